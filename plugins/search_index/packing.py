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

import math
from collections import Counter

import lunr
from lunr import get_default_builder
from lunr.token import Token

from .documents import folded_words


def packed_index(fields: list[tuple[str, int]], documents: list[dict],
                 analysed: tuple[dict, dict] | None = None) -> dict:
    """The packed form of the lunr index over ``documents`` (dicts with an
    integer ``ref`` and one text per field): exactly what
    ``pack(builder.build().serialize())`` gives for a lunr (Python) builder
    with its default pipeline (trimmer, stop words, Porter stemmer) fed the
    folded texts, worked out directly.

    lunr's builder keeps a ``Vector`` object per field of each document,
    inserts every score into it one at a time, builds a token set nobody
    reads and serialises it all, only for :func:`pack` to take it apart
    again: at ten thousand members that was 10 s of a build. This counts
    the terms once per field, scores them with lunr's BM25 (the same
    expression, so the same floating-point result, rounded as lunr rounds)
    and lays the postings out as :func:`pack` would. Each distinct word
    goes through lunr's own pipeline once. ``tests/test_search.py`` checks
    the result against lunr's, term for term and score for score.

    ``analysed``, if given, is (before, now): what each text of each field
    came to (its length in terms and each term's count) in an earlier build,
    to look up, and in this one, to fill in. A rebuild after one profile
    changed then analyses one text, not ten thousand."""
    run = _pipeline()
    # What each word of each field came to: each word goes through the
    # pipeline once (the Porter stemmer is slow, and a directory repeats its
    # words endlessly).
    seen: list[dict[str, list[str]]] = [{} for _ in fields]
    names = [name for name, _ in fields]
    # term -> per field, [(ref, term frequency, field length)]
    occurrences: dict[str, list[list[tuple[int, int, int]]]] = {}
    total_length = [0] * len(fields)
    lengths = [set() for _ in fields]
    refs = set()
    for document in documents:
        ref = int(document["ref"])
        if ref in refs:
            raise ValueError(f"two search documents have the ref {ref}")
        refs.add(ref)
        for position, name in enumerate(names):
            text = document.get(name) or ""
            found = analysed[0].get((name, text)) if analysed is not None else None
            if found is None:
                # Each distinct word once: bodies repeat theirs.
                counts: dict[str, int] = {}
                field_seen = seen[position]
                for word, times in Counter(_words(text)).items():
                    terms = field_seen.get(word)
                    if terms is None:
                        terms = field_seen[word] = run(word, name)
                    for term in terms:
                        counts[term] = counts.get(term, 0) + times
                found = (sum(counts.values()), list(counts.items()))
            if analysed is not None:
                analysed[1][name, text] = found
            length, counts = found
            total_length[position] += length
            lengths[position].add(length)
            for term, frequency in counts:
                per_field = occurrences.get(term)
                if per_field is None:
                    per_field = occurrences[term] = [[] for _ in fields]
                per_field[position].append((ref, frequency, length))
    count = len(refs)
    # Documents given in ascending ref order (as the site gives them) leave
    # every posting in order already.
    given = [int(document["ref"]) for document in documents]
    in_order = all(earlier < later for earlier, later in zip(given, given[1:]))
    k1, b = 1.2, 0.75  # lunr's defaults
    # The part of lunr's BM25 denominator that depends on a field's length
    # (k1 * (1 - b + b * length / average)), once per field and length.
    norms = []
    for position, total in enumerate(total_length):
        average = total / count if count else 0
        norms.append({length: k1 * (1 - b + b * (length / average)) for length in lengths[position] if average})
    terms = sorted(occurrences, key=_javascript_order)
    postings = []
    # A term's idf depends only on how many fields of documents hold it, and
    # its score on that, the field, its frequency and the field's length: so
    # terms held as often share their scores. Most terms of a directory are
    # held once (names, numbers, addresses), and they were most of the time.
    by_count: dict[int, tuple[float, list[dict]]] = {}
    for term in terms:
        per_field = occurrences[term]
        with_term = sum(map(len, per_field))
        known = by_count.get(with_term)
        if known is None:
            x = (count - with_term + 0.5) / (with_term + 0.5)
            known = by_count[with_term] = (math.log(1 + abs(x)), [{} for _ in fields])
        idf, caches = known
        packed_fields = []
        for position, found in enumerate(per_field):
            if not found:
                packed_fields.append([])
                continue
            boost, norm, scores = fields[position][1], norms[position], caches[position]
            packed, previous = [], -1
            for ref, tf, length in (found if in_order else sorted(found)):
                score = scores.get((tf, length))
                if score is None:
                    # lunr: score = idf * ((k1 + 1) * tf) / (norm + tf), times the
                    # field's boost, rounded to three decimals.
                    score = scores[tf, length] = round(
                        round(idf * ((k1 + 1) * tf) / (norm[length] + tf) * boost, 3) * 1000)
                packed += [ref - previous, score]
                previous = ref
            packed_fields.append(packed)
        postings.append(packed_fields)
    return {"version": lunr.__TARGET_JS_VERSION__, "pipeline": _SEARCH_PIPELINE, "fields": names,
            "terms": terms, "postings": postings}


_SEARCH_PIPELINE = get_default_builder().search_pipeline.serialize()


def _pipeline():
    """What lunr's default indexing pipeline makes of a word in a field. Its
    functions look at one token at a time, so running them word by word
    gives the same terms."""
    pipeline = get_default_builder().pipeline

    def run(word: str, field_name: str) -> list[str]:
        return [str(term) for term in pipeline.run([Token(word, {})], field_name)]

    return run


def _words(text: str | None) -> list[str]:
    return folded_words(text or "")


def pack(serialized: dict) -> dict:
    """The packed form of lunr's ``Index.serialize()`` output."""
    fields = serialized["fields"]
    inverted = sorted(serialized["invertedIndex"], key=lambda pair: _javascript_order(pair[0]))
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
    inverted = sorted(serialized["invertedIndex"], key=lambda pair: _javascript_order(pair[0]))
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


def _javascript_order(term: str) -> bytes:
    # lunr.js inserts terms into its token set in JavaScript's string order
    # (UTF-16 code units), which differs from Python's beyond U+FFFF.
    return term.encode("utf-16-be")
