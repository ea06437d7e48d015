"""What is searchable about each content type.

Every content object becomes one :class:`SearchDocument` with four texts:

- ``title``: the name or title;
- ``keywords``: the structured fields people search by (other names,
  identifiers, services, areas, places, partners, buyers, topics);
- ``summary``: the one-sentence summary (a tender's description);
- ``body``: the page's text and the longer fields (a model's comparison,
  a member's track record), for the full-text shards.

:func:`fold` is the one normalisation applied to every text before lunr
sees it; search.js applies the same one to what people type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import incremental
from incremental import changes_since, related_mark, with_changes

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_NOT_A_WORD = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
#: All three run over the text of pages (tests/test_patterns.py).
CONTENT_PATTERNS = (_APOSTROPHES, _NOT_A_WORD, _SPACES)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into spaces.

    "Café" becomes "cafe", "St Anne's" "st annes", "PQQ: deadline" "pqq
    deadline". lunr's own trimmer treats letters outside ASCII differently
    in Python and in JavaScript; folding first makes both sides agree.
    Keep in step with ``fold`` in theme/static/js/search.js
    (tests/test_search_folding.py compares them)."""
    if text.isascii():  # most of what is indexed: the same, by a table
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return _NOT_A_WORD.sub(" ", _APOSTROPHES.sub("", bare).lower()).strip()


def folded_words(text: str) -> list[str]:
    """The words of ``fold(text)``."""
    if text.isascii():
        return text.lower().translate(_ASCII_FOLD).split()
    folded = fold(text)
    return folded.split(" ") if folded else []


#: What fold does to ASCII text once it is in lower case: apostrophes go,
#: and every character but a letter or digit is a space (str.split then
#: makes each run of them one gap).
_ASCII_FOLD = str.maketrans({chr(code): None if chr(code) == "'" else " "
                             for code in range(128) if not chr(code).isalnum()})


@dataclass
class SearchDocument:
    type: str  # a content type name: member, case_study, ...
    slug: str
    url: str  # relative to SITEURL, as Pelican gives it: members/disc/
    title: str
    summary: str
    keywords: list[str] = field(default_factory=list)
    body: str = ""
    example: bool = False  # made up to show how the site works (front matter example: true)
    #: a member-type document whose membership tier is "none": an organisation
    #: the directory lists because a case study names it, not a member
    named: bool = False


#: The documents of the last build ({source path: (body, document,
#: related_mark of the object)}), kept under its shared key.
_kept = incremental.memo("search_index.documents")


def search_documents(site: dict, context: dict, shared_key: bytes | None = None) -> list[SearchDocument]:
    """One document per content object, in the order of ``site`` (type by
    type, each type in its listing order). ``context`` is the generators'
    shared context: the vocabularies and the models' compared attributes.

    ``shared_key`` stands for what every document is made from besides its
    own file and relations: the vocabularies, schemas, settings and build
    date (a digest of content_types.reading.fingerprint_of). When it is the
    last build's, an object whose body, front matter and relations' front
    matter are the same keeps its document (``make serve``: editing one
    profile makes one document again)."""
    kept = _kept.get(shared_key, {})
    now = {}
    documents = []
    for type_name, items in site.items():
        describe = _DESCRIBERS.get(type_name, _describe_page)
        for content in items:
            body = content._content
            mark = related_mark(content) if shared_key is not None else None
            known = kept.get(content.source_path)
            if known is not None and mark is not None and known[2] == mark and (known[0] is body or known[0] == body):
                documents.append(known[1])
                now[content.source_path] = known
                continue
            meta = content.metadata
            document = SearchDocument(
                type=type_name,
                slug=content.slug,
                url=content.url,
                title=str(content.title),
                summary=_clean(meta.get("summary") or meta.get("description") or ""),
                example=bool(meta.get("example")),
                named=type_name == "member" and meta.get("membership_tier") == "none",
            )
            extra_body = describe(content, meta, context, document.keywords)
            parts = [html_to_text(content.content or "")] + extra_body + [_sources_text(meta)]
            document.body = "\n".join(part for part in parts if part)
            document.keywords = list(dict.fromkeys(_clean(word) for word in document.keywords if word))
            documents.append(document)
            now[content.source_path] = (body, document, mark)
    _kept.keep(shared_key, now)
    return documents


def documents_kept() -> dict:
    """The documents the next :func:`search_documents` may keep: give this
    to :func:`document_changes` after it."""
    return _kept.value or {}


def document_changes(before: dict) -> tuple:
    """What :func:`search_documents` changed since ``before`` (from
    :func:`documents_kept`): for a second process to send back, so that the
    parent's next build keeps the documents as this one would. The kept
    documents are named by path, not sent."""
    return _kept.key, changes_since(before, _kept.value or {})


def apply_document_changes(changes: tuple) -> None:
    """Keep, in this process, the documents another made (document_changes)."""
    shared_key, found = changes
    _kept.keep(shared_key, with_changes(_kept.value or {}, found))


# -- one describer per type: fills in keywords, returns extra body text ----------
# Each takes the content object, its metadata, the shared context and the
# keyword list to extend.

def _describe_member(member, meta, context, keywords):
    keywords += [meta.get(name) for name in ("charity_number", "scottish_charity_number", "ni_charity_number",
                                              "company_number", "mutuals_number")]
    # The register's own form of each number too (NIC100002 is 100002 in
    # its org-id), without the org-id prefixes every charity shares.
    keywords += [org_id.rsplit("-", 1)[-1] for org_id in getattr(member, "org_ids", None) or []]
    keywords += _labels(context, "services", meta.get("services"))
    keywords += _labels(context, "areas", meta.get("areas"))
    keywords += _labels(context, "legal_forms", [meta["legal_form"]] if meta.get("legal_form") else [])
    keywords += meta.get("quality_marks") or []
    keywords += [case_study.title for case_study, _role in getattr(member, "case_studies", None) or []]
    return [
        _labelled("Looking to partner on", meta.get("partnership_interests")),
        _labelled("Policies", meta.get("policies")),
        _labelled("Track record", meta.get("track_record")),
    ]


def _describe_case_study(case_study, meta, context, keywords):
    keywords += [meta.get("place"), meta.get("commissioner")]
    keywords += [partner["name"] for partner in meta.get("partners") or []]
    keywords += _labels(context, "services", meta.get("services"))
    keywords += _labels(context, "areas", meta.get("areas"))
    model = getattr(case_study, "model_page", None)
    if model is not None:
        keywords.append(model.title)
    partners = [f"{p['name']}: {p['description']}" for p in meta.get("partners") or [] if p.get("description")]
    return [
        _labelled("Partners", partners),
        _labelled("Contract", meta.get("contract")),
        _labelled("Outcome", meta.get("outcome")),
    ]


def _describe_model(model, meta, context, keywords):
    keywords += meta.get("other_names") or []
    keywords += [case_study.title for case_study in getattr(model, "case_studies", None) or []]
    # The attributes the models page compares, named as the schema names them.
    compared = context.get("model_attributes") or []
    return [_labelled(title, meta.get(name)) for name, title in compared] + [
        _labelled("Pros", meta.get("pros")),
        _labelled("Cons", meta.get("cons")),
    ]


def _describe_tender(tender, meta, context, keywords):
    keywords += [(meta.get("buyer") or {}).get("name"), meta.get("ocid"), meta.get("procurementMethodDetails")]
    for classification in meta.get("classifications") or []:
        keywords += [classification.get("id"), classification.get("description")]
    keywords += _labels(context, "services", meta.get("services"))
    keywords += _labels(context, "areas", meta.get("deliveryAreas"))
    lots = [f"{lot['title']}: {lot.get('description', '')}".rstrip(": ") for lot in meta.get("lots") or []]
    return [_labelled("Lots", lots)]


def _describe_guide(guide, meta, context, keywords):
    keywords += _labels(context, "topics", meta.get("topics"))
    return []


def _describe_event(event, meta, context, keywords):
    start = meta.get("start")
    keywords += [meta.get("place"), "online" if meta.get("online") else None]
    if start is not None:
        keywords.append(f"{start.day} {start:%B %Y}")
    return [_labelled("Resources", [resource["title"] for resource in meta.get("resources") or []]),
            meta.get("date_note")]


def _describe_page(page, meta, context, keywords):
    return []


_DESCRIBERS = {
    "member": _describe_member,
    "case_study": _describe_case_study,
    "model": _describe_model,
    "tender": _describe_tender,
    "guide": _describe_guide,
    "event": _describe_event,
    "page": _describe_page,
}


# -- helpers ----------------------------------------------------------------------

def _labels(context: dict, name: str, values) -> list[str]:
    vocabulary = context.get("vocab", {}).get(name)
    return [vocabulary.label(value) if vocabulary else value for value in values or []]


def _labelled(label: str, value) -> str:
    if not value:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(_clean(str(item)) for item in value if item)
    return f"{label.rstrip('?')}: {_clean(str(value))}"


def _sources_text(meta: dict) -> str:
    sources = ["; ".join(str(source[key]) for key in ("title", "publisher") if source.get(key))
               for source in meta.get("sources") or []]
    return _labelled("Sources", sources)


def _clean(text) -> str:
    return _SPACES.sub(" ", str(text)).strip()


class _TextExtractor(HTMLParser):
    """The text of sanitised HTML, with a line break between blocks."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "th", "td", "blockquote",
              "pre", "br", "div", "section", "figcaption", "caption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: one line per block, spaces tidied."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (_clean(line) for line in "".join(extractor.chunks).split("\n"))
    return "\n".join(line for line in lines if line)
