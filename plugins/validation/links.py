"""Links inside Markdown bodies to other pages of this site must resolve.

A body may link to ``/models/lead-partner/`` or ``/guides/glossary/#sla``;
if that page (or that heading on it) does not exist, the author is told
which line, with a did-you-mean from the pages that do exist. Paths outside
the content types (``/data/…``, ``/search/…``) are left to the build tests.
"""

from __future__ import annotations

import re

from frontmatter.problems import Problem

from .body import _CONTAINERS, code_lines
from .types import CONTENT_TYPES, RESERVED_SLUGS
from .validate import suggest

_LINK = re.compile(r"\]\(\s*+<?(/[^)\s>]*+)")
_REFERENCE = re.compile(r"\A" + _CONTAINERS + r"\[[^\]]*+\]:[ \t]*+<?(/\S*+)")
_EMPHASIS_MARKS = re.compile(r"[*_`]")
#: Every pattern above that runs over contributed text (see body.py).
CONTENT_PATTERNS = (_LINK, _REFERENCE, _EMPHASIS_MARKS)
#: Pages under members/ that are not profiles: the directory's filter pages.
DIRECTORY_FOLDERS = set(RESERVED_SLUGS["member"])
LIST_PAGES = {"", "members/", "case-studies/", "models/", "tenders/", "tenders/archive/", "guides/", "events/",
              "search/", "data/"}


def check_internal_links(entries: dict) -> list[Problem]:
    pages: dict[str, object] = {}
    for type_name, by_slug in entries.items():
        prefix = CONTENT_TYPES[type_name].url_prefix
        for slug, (document, _) in by_slug.items():
            pages[f"{prefix}{slug}/"] = document
    anchors: dict[str, set[str]] = {}
    problems = []
    for by_slug in entries.values():
        for document, _ in by_slug.values():
            for number, column, target in _links(document):
                path, _, fragment = target.lstrip("/").partition("#")
                path = path.split("?")[0]
                if path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
                    path += "/"
                first = path.split("/")[0]
                checked_prefixes = {t.url_prefix.rstrip("/") for t in CONTENT_TYPES.values() if t.url_prefix}
                if path in LIST_PAGES or path.startswith("members/") and path.split("/")[1] in DIRECTORY_FOLDERS:
                    continue
                is_page = path in pages
                if not is_page and (first in checked_prefixes or path.count("/") == 1):
                    close = suggest(path, list(pages) + sorted(LIST_PAGES))
                    hint = f"did you mean '/{close[0]}'?" if close else "link to a page that exists, such as /guides/"
                    problems.append(Problem(document.source, number, column, "body",
                                            f"the link '{target}' goes to a page that does not exist", hint=hint))
                    continue
                if is_page and fragment:
                    if path not in anchors:
                        anchors[path] = _heading_ids(pages[path].body)
                    if fragment not in anchors[path]:
                        problems.append(Problem(document.source, number, column, "body",
                                                f"the link '{target}' goes to a heading that does not exist",
                                                hint=f"the headings on that page are: {', '.join(sorted(anchors[path])) or 'none'}"))
    return problems


def _links(document):
    if "](" not in document.body and "]:" not in document.body:
        return  # no inline link or link definition, so nothing to look at
    lines = document.body.split("\n")
    code = code_lines(lines)
    for offset, line in enumerate(lines):
        if code[offset]:
            continue
        for match in _LINK.finditer(line):
            yield document.body_line + offset, match.start(1) + 1, match.group(1)
        reference = _REFERENCE.match(line) if "]:" in line else None
        if reference:
            yield document.body_line + offset, reference.start(1) + 1, reference.group(1).removesuffix(">")


def _heading_ids(body: str) -> set[str]:
    from markdown.extensions.toc import slugify  # as the renderer makes heading ids

    ids, seen = set(), {}
    lines = body.split("\n")
    code = code_lines(lines)
    for offset, line in enumerate(lines):
        heading = None if code[offset] else heading_text(line)
        if heading:
            base = slugify(_EMPHASIS_MARKS.sub("", heading), "-")
            count = seen.get(base, 0)
            ids.add(base if count == 0 else f"{base}_{count}")
            seen[base] = count + 1
    return ids


def heading_text(line: str) -> str | None:
    """The text of a '#' heading line (up to three spaces, one to six '#',
    a space, the text, any closing '#'), or None. Plain string work: a
    pattern for this took time growing with the square of a line of spaces."""
    text = line.lstrip(" ")
    if len(line) - len(text) > 3 or not text.startswith("#"):
        return None
    level = len(text) - len(text.lstrip("#"))
    rest = text[level:]
    if level > 6 or not rest[:1].isspace():
        return None
    return rest.strip().rstrip("#").rstrip() or None
