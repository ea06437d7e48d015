"""lunr indexes built in Python, and their packed form for the browser.

lunr's own serialisation (``Index.serialize()``) repeats itself: every
posting names its document as a string key with an empty object, and every
field vector repeats the field name and the document ref. The packed form
holds the same numbers once each:

``{"version": "2.3.9", "pipeline": ["stemmer"], "fields": [...],
"terms": [...], "postings": [[[ref gap, score × 1000, ...] per field] per term]}``

- ``terms`` is sorted (in JavaScript's string order, as lunr.js needs to
  load them); a term's position is its ``_index``.
- For each term and field, the documents holding the term are listed in
  ascending ref order as the gap from the previous ref (the first from -1),
  each followed by that term's score in the document's field vector times
  1000 (lunr rounds scores to three decimals, so this is exact).

Field vectors are rebuilt from the postings: the vector of ``field/ref``
lists, in term order, every term whose posting names that ref in that
field, with its score. This is all a field vector ever holds, so
:func:`unpack` (and search.js's ``unpack``) give back exactly what
``serialize()`` wrote, with the terms renumbered in sorted order and the
vectors of empty fields left out (lunr never reads a vector for a field
that matched nothing).
"""

from __future__ import annotations

import contextlib

import lunr.builder
from lunr import get_default_builder
from lunr.token import Token

from .documents import fold


def build_index(fields: list[tuple[str, int]], documents: list[dict]):
    """A lunr index over ``documents`` (dicts with an integer ``ref`` and one
    text per field), built by lunr (Python) with its default pipeline:
    trimmer, stop words, Porter stemmer. Texts are folded first.

    Two shortcuts keep this fast at ten thousand members without changing
    the index: folded text is already split on single spaces, so each field
    is given to lunr as its list of words (lunr's own tokenizer walks the
    text a character at a time), and each distinct word goes through the
    pipeline once (the stemmer is most of lunr's time, and a directory
    repeats its words endlessly). ``tests/test_search.py`` checks that the
    index is the one lunr builds from the plain text."""
    builder = get_default_builder()
    builder.pipeline.run = _once_per_word(builder.pipeline.run)
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    with _words_as_tokens():
        for document in documents:
            builder.add({"ref": document["ref"], **{name: _words(document.get(name)) for name, _ in fields}})
    return builder.build()


@contextlib.contextmanager
def _words_as_tokens():
    """While indexing, lunr's Builder.add turns our lists of words straight
    into tokens. Its own tokenizer would do the same for a list, but copies
    an empty metadata dict for every word: a second per ten thousand
    members. Restored afterwards, whatever happens."""
    original = lunr.builder.Tokenizer
    lunr.builder.Tokenizer = lambda words, metadata=None: [Token(word, {}) for word in words or ()]
    try:
        yield
    finally:
        lunr.builder.Tokenizer = original


def _words(text: str | None) -> list[str]:
    folded = fold(text or "")
    return folded.split(" ") if folded else []


def _once_per_word(run):
    """lunr's ``Pipeline.run`` with what it makes of each word remembered.
    The default pipeline's functions look at one token at a time and our
    builder records no token metadata, so this gives the same terms."""
    seen: dict[tuple[str, str | None], list[str]] = {}

    def run_once(tokens, field_name=None):
        terms = []
        for token in tokens:
            key = (token.string, field_name)
            words = seen.get(key)
            if words is None:
                words = seen[key] = [str(term) for term in run([Token(token.string, {})], field_name)]
            terms.extend(Token(word, token.metadata) for word in words)
        return terms

    return run_once


def pack(serialized: dict) -> dict:
    """The packed form of lunr's ``Index.serialize()`` output."""
    fields = serialized["fields"]
    inverted = sorted(serialized["invertedIndex"], key=_in_javascript_order)
    # (old term index, field) -> {ref: score}
    scores: dict[tuple[int, str], dict[int, float]] = {}
    for field_ref, elements in serialized["fieldVectors"]:
        field_name, ref = field_ref.split("/", 1)
        for position in range(0, len(elements), 2):
            scores.setdefault((elements[position], field_name), {})[int(ref)] = elements[position + 1]
    terms, postings = [], []
    for term, posting in inverted:
        terms.append(term)
        per_field = []
        for field_name in fields:
            refs = sorted(int(ref) for ref in posting[field_name])
            field_scores = scores.get((posting["_index"], field_name), {})
            packed, previous = [], -1
            for ref in refs:
                packed += [ref - previous, round(field_scores[ref] * 1000)]
                previous = ref
            per_field.append(packed)
        postings.append(per_field)
    return {"version": serialized["version"], "pipeline": serialized["pipeline"], "fields": fields,
            "terms": terms, "postings": postings}


def unpack(packed: dict) -> dict:
    """lunr's serialisation from its packed form (what search.js does before
    ``lunr.Index.load``)."""
    fields = packed["fields"]
    vectors: dict[str, list] = {}
    inverted = []
    for term_index, (term, per_field) in enumerate(zip(packed["terms"], packed["postings"])):
        posting = {"_index": term_index}
        for field_name, numbers in zip(fields, per_field):
            refs, ref = {}, -1
            for position in range(0, len(numbers), 2):
                ref += numbers[position]
                refs[str(ref)] = {}
                vectors.setdefault(f"{field_name}/{ref}", []).extend([term_index, numbers[position + 1] / 1000])
            posting[field_name] = refs
        inverted.append([term, posting])
    return {"version": packed["version"], "fields": fields, "fieldVectors": list(vectors.items()),
            "invertedIndex": inverted, "pipeline": packed["pipeline"]}


def renumbered(serialized: dict) -> dict:
    """lunr's serialisation with terms numbered in sorted order and empty
    field vectors left out: what ``unpack(pack(serialized))`` gives back."""
    inverted = sorted(serialized["invertedIndex"], key=_in_javascript_order)
    new_index = {posting["_index"]: position for position, (_term, posting) in enumerate(inverted)}
    vectors = []
    for field_ref, elements in serialized["fieldVectors"]:
        pairs = sorted((new_index[elements[i]], elements[i + 1]) for i in range(0, len(elements), 2))
        if pairs:
            vectors.append((field_ref, [number for pair in pairs for number in pair]))
    return {
        "version": serialized["version"],
        "fields": serialized["fields"],
        "fieldVectors": vectors,
        "invertedIndex": [[term, {**posting, "_index": new_index[posting["_index"]]}] for term, posting in inverted],
        "pipeline": serialized["pipeline"],
    }


def _in_javascript_order(pair) -> bytes:
    # lunr.js inserts terms into its token set in JavaScript's string order
    # (UTF-16 code units), which differs from Python's beyond U+FFFF.
    return pair[0].encode("utf-16-be")
