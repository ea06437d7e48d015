"""The files written under /search/: the first index with the document
store, and the full-text shards (README.md documents the format)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass, field

from .documents import SearchDocument
from .packing import packed_index

#: Bumped whenever the format changes, so that search.js can tell an index
#: it does not understand (a stale cached copy) from one it does.
FORMAT = 2

#: The positions of a document in the store (``docs``), as README.md
#: describes them; search.js reads them by the same names (DOCUMENT in
#: theme/static/js/search.js; tests/test_search_store.py compares them).
#: ``example`` is 1 for made-up demonstration content; ``named`` is 1 for a
#: directory entry that is not a member (only named in a case study). Each
#: is 0 otherwise, and trailing 0s are left out, so only the documents
#: flagged pay for them.
DOCUMENT_FIELDS = ("type", "slug", "title", "summary", "example", "named")
#: The optional flags at the end of an entry.
_FLAGS = ("example", "named")

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
#: Runs over content type names and values (tests/test_patterns.py).
CONTENT_PATTERNS = (_NOT_ALPHANUMERIC,)


@dataclass
class SearchFiles:
    """What to write: paths relative to the output folder, and their bytes."""

    index_path: str
    files: dict[str, bytes] = field(default_factory=dict)
    documents: int = 0
    #: Each packed index built, by a digest of what it was built from; each
    #: shard file's bytes and gzipped size, by that digest and "file"; the
    #: first index's JSON, by its digest and "json";
    #: the next build passes them back and makes only the ones that changed.
    indexes: dict[bytes, object] = field(default_factory=dict)
    #: What each text came to (see packing.packed_index), for the next build.
    analysed: dict = field(default_factory=dict)
    #: From a second process, what the next build in the parent needs
    #: (writer._changes), instead of ``indexes`` and ``analysed``.
    changes: dict | None = None


def search_files(documents: list[SearchDocument], settings: dict, content_types: dict,
                 known: dict[bytes, object] | None = None, analysed: tuple[dict, dict] | None = None) -> SearchFiles:
    """Build every index and serialise it. ``known``: the indexes a previous
    build made (``SearchFiles.indexes``), used again where their input is
    the same; ``analysed``: see ``packed_index``."""
    known = known or {}
    made: dict[bytes, object] = {}

    def kept_or_made(key, make):
        """What is kept under ``key`` (from ``known``), else made now."""
        made[key] = known[key] if key in known else make()
        return made[key]

    def index_key(fields, texts):
        key = _input_digest(fields, texts)
        if key not in known:
            made[key] = packed_index(fields, texts, analysed)
            return key
        made[key] = known[key]
        if analysed is not None:  # still wanted by the next build
            before, now = analysed
            for text in texts:
                for name, _ in fields:
                    entry = (name, text.get(name) or "")
                    if entry in before:
                        now[entry] = before[entry]
        return key

    folder = settings["SEARCH_INDEX_PATH"].strip("/")
    boosts = settings["SEARCH_FIELD_BOOSTS"]
    type_names = list(dict.fromkeys([*content_types, *(d.type for d in documents)]))
    type_number = {name: number for number, name in enumerate(type_names)}

    first = index_key(
        [(name, boosts[name]) for name in ("title", "keywords", "summary")],
        [{"ref": ref, "title": d.title, "keywords": "\n".join(d.keywords), "summary": d.summary}
         for ref, d in enumerate(documents)],
    )
    # Its JSON too is kept while its input is the same (0.1 s at ten
    # thousand members, after an edit to a profile's text).
    first_json = kept_or_made(first + b"json", lambda: _json(made[first]))
    url_patterns = {name: _url_pattern([d for d in documents if d.type == name]) for name in type_names}
    result = SearchFiles(index_path=f"{folder}/index.json", documents=len(documents))

    shards = []
    for name, types in settings["SEARCH_TEXT_SHARDS"].items():
        members = [(ref, d) for ref, d in enumerate(documents) if d.type in types and d.body]
        if not members:
            continue
        key = index_key([("body", 1)], [{"ref": ref, "body": d.body} for ref, d in members])
        # The file holds the refs, the texts and the index: all in the
        # index's key, so a shard whose texts are as they were is not
        # serialised and compressed again (2 × 0.2 s at ten thousand members).
        data, zipped = kept_or_made(key + b"file", lambda: _with_gzip_size(_json({
            "format": FORMAT, "refs": [ref for ref, _ in members], "text": [d.body for _, d in members],
            "index": made[key]})))
        file_name = f"text-{name}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        result.files[f"{folder}/{file_name}"] = data
        shards.append({"name": name, "url": file_name, "types": [type_number[t] for t in types if t in type_number],
                       "documents": len(members), "bytes": len(data), "gzipBytes": zipped,
                       "prefetch": zipped <= settings["SEARCH_PREFETCH_BYTES"]})

    types = []
    for name in type_names:
        content_type = content_types.get(name)
        label = content_type.label if content_type else name.replace("_", " ")
        plural = content_type.plural if content_type else label + "s"
        types.append([name, label[0].upper() + label[1:], plural, *url_patterns[name]])
    limit = settings["SEARCH_SUMMARY_CHARS"]
    store = [_stored(d, type_number[d.type], url_patterns[d.type], limit) for d in documents]
    # What _json would make of {"format", "types", "docs", "index", "shards",
    # "fullTextBelow"}, with the index's JSON as made above.
    result.files[result.index_path] = b"".join([
        b'{"format":', _json(FORMAT), b',"types":', _json(types), b',"docs":', _json(store),
        b',"index":', first_json, b',"shards":', _json(shards),
        b',"fullTextBelow":', _json(settings["SEARCH_FULL_TEXT_BELOW"]), b"}"])
    result.indexes = made
    result.analysed = analysed[1] if analysed is not None else {}
    return result


def _with_gzip_size(data: bytes) -> tuple[bytes, int]:
    return data, len(gzip.compress(data, 6))


def _input_digest(fields: list[tuple[str, int]], documents: list[dict]) -> bytes:
    digest = hashlib.blake2b(repr(fields).encode(), digest_size=16)
    for document in documents:
        for value in (str(document["ref"]), *(document.get(name) or "" for name, _ in fields)):
            value = value.encode()
            digest.update(len(value).to_bytes(8, "little") + value)
    return digest.digest()


def _stored(document: SearchDocument, type_number: int, url_pattern: tuple[str, str], limit: int) -> list:
    """A document's entry in the store: its fields in DOCUMENT_FIELDS order,
    without the trailing flags that are 0 (a real member's entry has four
    fields, an example's five, a named organisation's six)."""
    fields = {"type": type_number, "slug": _stored_slug(document, url_pattern), "title": document.title,
              "summary": _shorten(document.summary, limit),
              "example": int(document.example), "named": int(document.named)}
    entry = [fields[name] for name in DOCUMENT_FIELDS]
    while len(entry) > len(DOCUMENT_FIELDS) - len(_FLAGS) and entry[-1] == 0:
        entry.pop()
    return entry


def _url_pattern(documents: list[SearchDocument]) -> tuple[str, str]:
    """(prefix, suffix) such that every document's URL is prefix + slug +
    suffix, so the store holds slugs only; ("", "") if there is none, and
    then the store holds whole URLs."""
    if not documents:
        return "", ""
    first = documents[0]
    at = first.url.rfind(first.slug)
    if not first.slug or at < 0:
        return "", ""
    prefix, suffix = first.url[:at], first.url[at + len(first.slug):]
    if all(d.url == f"{prefix}{d.slug}{suffix}" for d in documents):
        return prefix, suffix
    return "", ""


def _stored_slug(document: SearchDocument, url_pattern: tuple[str, str]) -> str:
    """What the store holds for a document's URL: "" when the slug is the
    title in lower case with hyphens (search.js works it out the same way),
    else the slug, or the whole URL when its type has no URL pattern."""
    if url_pattern == ("", ""):
        return document.url
    if document.title.isascii() and document.slug == _slug_from_title(document.title):
        return ""
    return document.slug


def _slug_from_title(title: str) -> str:
    # Keep in step with slugFromTitle in theme/static/js/search.js
    # (tests/test_search_folding.py compares them).
    return _NOT_ALPHANUMERIC.sub("-", title.lower()).strip("-")


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
