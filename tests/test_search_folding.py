"""The two languages fold text alike: ``fold`` and ``slugFromTitle`` in
theme/static/js/search.js, run by Node.js from the real file, give what
``fold`` (search_index/documents.py) and ``_slug_from_title``
(search_index/files.py) give on the same inputs. The index is folded in
Python and what people type in JavaScript: a difference would make a word
typed exactly as written find nothing.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest

from building import ROOT
from search_index.documents import fold
from search_index.files import _slug_from_title

SEARCH_JS = ROOT / "theme" / "static" / "js" / "search.js"
RUN = """
const text = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(s => [text.fold(s), text.slugFromTitle(s)])));
});
"""

CASES = [
    "", " ", "\t\n", "Café", "CAFÉ crème brûlée", "naïve façade", "Ångström", "Łódź", "Søren", "ß ẞ Straße",
    "St Anne's", "St Anne\u2019s", "\u2018quoted\u2019", "O\u02bcBrien", "Rock 'n' roll", "''", "\u2019",
    "don't-stop", "well-known", "co\u2011operative", "en\u2013dash\u2014em", "-leading and trailing-", "a_b",
    "PQQ: deadline", "2008", "Tender 2026-11-22", "½ ² Ⅻ", "１２３ ＡＢＣ", "ﬁne ﬂow", "İstanbul ıi",
    "ΟΔΟΣ", "Οδός ΑΘΗΝΑ", "ἀρετή", "Москва Ёлка", "Київ ґанок", "القاهرة", "مُحَمَّد", "עִברִית", "東京都",
    "北京 大学", "日本語のテキスト", "한국어 텍스트", "हिन्दी", "ภาษาไทย", "Caerdydd ŵ ŷ Ŵ Ŷ", "Gŵyl y Gwanwyn",
    "emoji 🎉 party", "👍🏽", "👩‍👩‍👧", "🇬🇧", "❤️", "a\u200db\u200cc", "non\u00a0breaking", "x\u0301\u0302",
    "\u0301lonely mark", "K\u212a Ω\u2126", "Example Lookalike Trust & Co. (3 < 5)", "DISC",
    "Developing Initiatives Supporting Communities (DISC)", "Leeds Community Drugs Services",
]


def in_javascript(inputs: list[str]) -> list[list[str]]:
    result = subprocess.run(["node", "-e", RUN, str(SEARCH_JS)], input=json.dumps(inputs), capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def in_python(inputs: list[str]) -> list[list[str]]:
    return [[fold(text), _slug_from_title(text)] for text in inputs]


def disagreements(inputs: list[str]) -> list[str]:
    return [f"{text!r}: Python {python}, JavaScript {javascript}"
            for text, python, javascript in zip(inputs, in_python(inputs), in_javascript(inputs))
            if python != javascript]


def test_fold_and_slug_agree_on_accents_apostrophes_and_non_latin_text():
    assert disagreements(CASES) == []


@pytest.mark.parametrize("text, folded, slug", [
    ("St Anne\u2019s-on-Sea", "st annes on sea", "st-anne-s-on-sea"),
    ("Caerdydd ŵ ŷ", "caerdydd w y", "caerdydd"),
    ("ΟΔΟΣ", "οδος", ""),
    ("emoji 🎉 party", "emoji party", "emoji-party"),
    ("½ ² Ⅻ", "1 2 2 xii", ""),
    ("", "", ""),
])
def test_what_both_give(text, folded, slug):
    """A few results spelled out, so that agreeing on something wrong shows."""
    assert in_python([text]) == in_javascript([text]) == [[folded, slug]]


def test_fold_and_slug_agree_on_every_character_both_languages_know():
    """Every code point Python's Unicode database assigns (JavaScript's is
    usually newer: characters assigned since are not compared), each between
    letters and in runs of 256 side by side, where marks meet their bases."""
    assigned = [chr(code) for code in range(0x110000)
                if not 0xD800 <= code <= 0xDFFF and unicodedata.category(chr(code)) != "Cn"]
    runs = [assigned[i:i + 256] for i in range(0, len(assigned), 256)]
    inputs = [" ".join(f"A{char}b" for char in run) for run in runs] + ["".join(run) for run in runs]
    found = disagreements(inputs)
    assert found == [], f"{len(found)} of {len(inputs)} runs differ; the first: {found[0][:300]}"
