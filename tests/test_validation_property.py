"""Whatever a contributor writes, the validator answers with problems, never a
traceback: random text, random YAML and mutations of valid files."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validation.project import Project

ROOT = Path(__file__).resolve().parent.parent
VALID_BASE = Path(__file__).resolve().parent / "fixtures" / "valid-base"

SEEDS = {
    "members": (VALID_BASE / "members" / "example-trust.md").read_text(encoding="utf-8"),
    "content/models": (VALID_BASE / "content" / "models" / "example-lead-partner.md").read_text(encoding="utf-8"),
    "case_studies": """---
name: Example Consortium
summary: An example case study for the property tests, made up for demonstration.
model: example-lead-partner
place: Leeds
areas:
  - leeds
partners:
  - name: Example Trust
    role: lead
    sector: voluntary
    member: example-trust
sources:
  - title: Example source for the test fixtures
    url: https://example.org/source
example: true
---
## Background

Example data, with [a link](https://example.org/) and `code`.
""",
    "content/tenders": """---
title: Example tender for the property tests
buyer:
  name: Example Council
description: Example data, a made-up opportunity used by the tests.
datePublished: 2025-03-10
tenderPeriod:
  endDate: 2025-04-01 12:00
value:
  minimum: 10000
  maximum: 20000
contractPeriod:
  startDate: 2025-06-01
  endDate: 2026-05-31
notice:
  source: contracts-finder
  url: https://example.org/notice
services:
  - health-and-wellbeing
deliveryAreas:
  - leeds
interested_members:
  - example-trust
example: true
---
Body.
""",
    "content/events": """---
title: Example forum meeting
summary: An example event for the property tests, made up for demonstration.
start: 2025-03-10 10:00
end: 2025-03-10 12:00
online: true
example: true
---
Body.
""",
}

# A module-level project: Hypothesis runs many examples per test, and
# function-scoped pytest fixtures are not reset between them.
_FOLDER = Path(tempfile.mkdtemp(prefix="validation-property-"))
shutil.copytree(ROOT / "content" / "_data", _FOLDER / "content" / "_data")
shutil.copytree(VALID_BASE, _FOLDER, dirs_exist_ok=True)
for _folder in SEEDS:
    (_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
PROJECT = Project(_FOLDER, dt.date(2025, 6, 1))


@pytest.fixture(scope="module", autouse=True)
def _remove_project_folder():
    yield
    shutil.rmtree(_FOLDER, ignore_errors=True)


def test_the_seeds_are_valid():
    for folder, text in SEEDS.items():
        path = _FOLDER / folder / "seed.md"
        path.write_text(text, encoding="utf-8")
        try:
            assert PROJECT.check_file(path).problems == [], folder
        finally:
            path.unlink()


def assert_checked_cleanly(folder: str, raw: bytes, name: str = "fuzzed.md"):
    """Check one file; every problem must name it, with a line, on one line."""
    path = _FOLDER / folder / name
    path.write_bytes(raw)
    try:
        checked = PROJECT.check_file(path)
    finally:
        path.unlink()
    source = f"{folder}/{name}"
    for problem in checked.problems:
        assert problem.source == source
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.severity in ("error", "warning")
        assert problem.message
        line = problem.format()
        assert line.startswith(f"{source}:{problem.line}:{problem.column}: {problem.severity}: ")
        assert "\n" not in line and "\r" not in line
    return checked


FOLDERS = st.sampled_from(sorted(SEEDS))
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- random input -----------------------------------------------------------------


@FAST
@given(folder=FOLDERS, text=st.text())
def test_random_text_never_raises(folder, text):
    assert_checked_cleanly(folder, text.encode("utf-8", "surrogatepass"))


@FAST
@given(folder=FOLDERS, raw=st.binary(max_size=400))
def test_random_bytes_never_raise(folder, raw):
    assert_checked_cleanly(folder, b"---\n" + raw)


@FAST
@given(folder=FOLDERS, header=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
       body=st.text(max_size=100))
def test_random_front_matter_never_raises(folder, header, body):
    assert_checked_cleanly(folder, f"---\n{header}\n---\n{body}".encode("utf-8", "surrogatepass"))


YAML_SYNTAX = st.sampled_from([":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "!x ", "'", '"',
                               "|", ">", "#", "? ", "\t", "  ", "\n", "---", "...", "%YAML 1.1", "<<: ", "~",
                               "<script>", "javascript:", "\\", ",", "@", "`", "\x00", "\ufeff", "\u2028"])
WORDS = st.sampled_from(["name", "summary", "services", "areas", "health-and-wellbeing", "leeds", "true", "no",
                         "2025-02-30", "2025-01-15", "01234567", "https://example.org/", "example-trust",
                         "partners", "member", "model", "start", "end", "tenderPeriod", "endDate"])


@FAST
@given(folder=FOLDERS, parts=st.lists(st.one_of(YAML_SYNTAX, WORDS, st.text(max_size=5)), max_size=60))
def test_yaml_like_soup_never_raises(folder, parts):
    assert_checked_cleanly(folder, ("---\n" + "".join(parts) + "\n---\nBody.\n").encode("utf-8", "surrogatepass"))


SCALARS = st.one_of(st.text(max_size=30), st.booleans(), st.integers(), st.none(), st.dates().map(str),
                    st.floats(allow_nan=True), WORDS)
KEYS = st.one_of(WORDS, st.text(min_size=1, max_size=15))
YAML_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=25,
)


@FAST
@given(folder=FOLDERS, fields=st.dictionaries(KEYS, YAML_VALUES, max_size=8), body=st.text(max_size=200))
def test_random_yaml_fields_never_raise(folder, fields, body):
    header = yaml.safe_dump(fields, allow_unicode=True, default_flow_style=False)
    assert_checked_cleanly(folder, f"---\n{header}---\n{body}".encode("utf-8", "surrogatepass"))


@FAST
@given(folder=FOLDERS, data=st.data())
def test_seed_fields_replaced_with_random_values_never_raise(folder, data):
    fields = yaml.load(SEEDS[folder].split("---\n")[1], Loader=yaml.BaseLoader)
    for key in data.draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True)):
        fields[key] = data.draw(YAML_VALUES)
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    assert_checked_cleanly(folder, f"---\n{header}---\nBody.\n".encode("utf-8", "surrogatepass"))


# -- mutations of valid files ------------------------------------------------------------

MUTATIONS = st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent", "swap", "truncate", "tab"])


def mutate(lines: list[str], mutation: str, index: int, text: str) -> list[str]:
    lines = list(lines)
    if not lines:
        return [text]
    index %= len(lines)
    if mutation == "delete":
        del lines[index]
    elif mutation == "duplicate":
        lines.insert(index, lines[index])
    elif mutation == "insert":
        position = len(text) and index % (len(lines[index]) + 1)
        lines[index] = lines[index][:position] + text + lines[index][position:]
    elif mutation == "indent":
        lines[index] = "  " + lines[index]
    elif mutation == "dedent":
        lines[index] = lines[index].lstrip(" ")
    elif mutation == "swap":
        other = (index + 1) % len(lines)
        lines[index], lines[other] = lines[other], lines[index]
    elif mutation == "truncate":
        lines[index] = lines[index][: len(lines[index]) // 2]
    elif mutation == "tab":
        lines[index] = "\t" + lines[index]
    return lines


@FAST
@given(folder=FOLDERS,
       steps=st.lists(st.tuples(MUTATIONS, st.integers(0, 200), st.one_of(YAML_SYNTAX, st.text(max_size=8))),
                      min_size=1, max_size=6),
       crlf=st.booleans(), bom=st.booleans())
def test_mutated_valid_files_never_raise(folder, steps, crlf, bom):
    lines = SEEDS[folder].split("\n")
    for mutation, index, text in steps:
        lines = mutate(lines, mutation, index, text)
    text = ("\r\n" if crlf else "\n").join(lines)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")
    assert_checked_cleanly(folder, raw)


@settings(max_examples=50, deadline=None)
@given(steps=st.lists(st.tuples(MUTATIONS, st.integers(0, 200), st.one_of(YAML_SYNTAX, st.text(max_size=8))),
                      min_size=1, max_size=4),
       folder=FOLDERS)
def test_mutated_files_in_a_whole_project_never_raise(steps, folder):
    """The checks across files (duplicates, references) also cope."""
    lines = SEEDS[folder].split("\n")
    for mutation, index, text in steps:
        lines = mutate(lines, mutation, index, text)
    path = _FOLDER / folder / "mutated.md"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        _, problems, count = PROJECT.check_all()
    finally:
        path.unlink()
    assert count == 3
    for problem in problems:
        assert problem.source in (f"{folder}/mutated.md", "members/example-trust.md",
                                  "content/models/example-lead-partner.md"), problem
        assert problem.line >= 1 and problem.column >= 1
