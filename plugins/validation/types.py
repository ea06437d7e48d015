"""The content types: where each one's files live and which schema checks them.

This is the one place that maps folders to types; the build, ``make check``
and the tests all read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentType:
    name: str  # as in the schema file name: member, case_study, ...
    folder: str  # relative to the project root
    label: str  # singular, for people
    plural: str
    url_prefix: str  # the first part of its pages' URLs (pelicanconf's *_URL settings agree; a test checks)


CONTENT_TYPES: dict[str, ContentType] = {
    t.name: t
    for t in (
        ContentType("member", "members", "member", "members", "members/"),
        ContentType("case_study", "case_studies", "case study", "case studies", "case-studies/"),
        ContentType("model", "content/models", "consortium model", "consortium models", "models/"),
        ContentType("tender", "content/tenders", "tender", "tenders", "tenders/"),
        ContentType("guide", "content/guides", "guide", "guides", "guides/"),
        ContentType("event", "content/events", "event", "events", "events/"),
        ContentType("page", "content/pages", "page", "pages", ""),
    )
}

#: Addresses the site writes pages of its own at, by the type whose URLs
#: they share: a file with one of these slugs would overwrite that page (and
#: fail the build) or hide it. They follow the content_types plugin's
#: LIST_PAGES and FILTERS, pelicanconf's DIRECT_TEMPLATES and the theme's
#: static folder; a test keeps them in step.
RESERVED_SLUGS: dict[str, dict[str, str]] = {
    "member": {
        "services": "the directory filtered by service",
        "areas": "the directory filtered by area",
        "legal-forms": "the directory filtered by legal form",
        "membership": "the directory filtered by membership tier",
        "can-lead-bids": "the list of members that can lead bids",
        "looking-for-partners": "the list of members looking for partners",
        "page": "the folder of the directory's further pages",
    },
    "tender": {"archive": "the list of closed tenders"},
    "page": {
        "members": "the member directory",
        "case-studies": "the list of case studies",
        "models": "the comparison of consortium models",
        "tenders": "the list of open tenders",
        "guides": "the list of guides",
        "events": "the list of events",
        "data": "the open data page",
        "search": "the search page",
        "feeds": "the folder of feeds",
        "theme": "the folder of the site's styles and scripts",
    },
}

DATA_FOLDER = "content/_data"
CONTENT_SUFFIX = ".md"


def type_for_source(source: str) -> ContentType | None:
    """The content type of a file, from its folder (``members/x.md`` → member)."""
    folder = source.rsplit("/", 1)[0] if "/" in source else ""
    for content_type in CONTENT_TYPES.values():
        if folder == content_type.folder:
            return content_type
    return None
