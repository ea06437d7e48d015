"""Whatever a contributor writes, the validator answers with problems, never a
traceback: random text, random YAML and mutations of valid files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontmatter.parse import parse_document
from frontmatter.problems import ContentError
from validation.body import check_body
from validation.fields import coerce_and_check
from validation.project import Project
from validation.types import type_for_source

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


# -- the fast schema check is never more lenient than jsonschema -------------------------

INVALID_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "invalid"


def schema_verdicts(source: str, raw: bytes):
    """(jsonschema's errors, the fast check's verdict) for a file's coerced
    front matter, as the validator sees it; None if the file cannot be read."""
    content_type = type_for_source(source)
    validator = PROJECT.validators[content_type.name]
    try:
        document = parse_document(raw, source)
    except ContentError:
        return None
    meta = coerce_and_check(document.meta, validator.fields, (), document, [], set(), set())
    return list(validator.check.validator.iter_errors(meta)), validator.check.is_valid(meta), meta


def assert_fast_check_agrees(source: str, raw: bytes):
    verdicts = schema_verdicts(source, raw)
    if verdicts is None:
        return
    errors, fast_says_valid, meta = verdicts
    if errors:  # whatever jsonschema refuses, the fast check refuses too
        assert not fast_says_valid, (meta, [e.message for e in errors])


INTERESTING_VALUES = [
    "true", "false", "True", "no", "1", "0", "-3", "1.5", "1,000", "2025-02-30", "2025-01-15", "2025-01-15 12:00",
    "2025-01-15T12:00", "2025-1-15", "x\n", "", " ", "full", "none", "lead", "partner", "voluntary",
    "health-and-wellbeing", "leeds", "contracts-finder", "https://example.org/", "http://x", "mailto:a@b.org",
    "a@b.org", "1012345", "7654321\n", "SC012345", "01234567", "NIC100002", "12345R", "GBP", "example-trust",
    "example-lead-partner", "0113 123 4567", "2024", "ab",
]
INTERESTING = st.sampled_from(INTERESTING_VALUES)
FIELD_VALUES = st.recursive(
    st.one_of(INTERESTING, SCALARS),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.one_of(WORDS, st.sampled_from(
                                   ["role", "sector", "title", "url", "amount", "minimum", "maximum", "currency",
                                    "startDate", "endDate", "source", "id", "scheme", "historical"])),
                                   children, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=FOLDERS, data=st.data())
def test_the_fast_check_refuses_whatever_jsonschema_refuses(folder, data):
    fields = yaml.load(SEEDS[folder].split("---\n")[1], Loader=yaml.BaseLoader)
    schema = PROJECT.schemas[type_for_source(f"{folder}/x.md").name]
    names = sorted(set(fields) | set(schema["properties"]))
    for key in data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        if data.draw(st.booleans()) and key in fields:
            del fields[key]
        else:
            fields[key] = data.draw(FIELD_VALUES)
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    assert_fast_check_agrees(f"{folder}/fuzzed.md", f"---\n{header}---\nBody.\n".encode("utf-8", "surrogatepass"))


def test_the_fast_check_refuses_every_invalid_fixture_jsonschema_refuses():
    refused = 0
    for path in sorted(INVALID_FIXTURES.rglob("*.md")):
        source = "/".join(path.relative_to(INVALID_FIXTURES).parts[1:])  # without the rule's folder
        if type_for_source(source) is None:
            continue
        verdicts = schema_verdicts(source, path.read_bytes())
        if verdicts and verdicts[0]:
            assert not verdicts[1], source
            refused += 1
    assert refused >= 15  # the fixtures do exercise it


def _field_paths(schema, root, path=(), depth=0):
    """Paths to every field the schema describes, two levels down (a list's
    items as index 0)."""
    from validation.schemas import resolve

    schema = resolve(schema, root)
    if path:
        yield path
    if depth >= 2:
        return
    for name, child in schema.get("properties", {}).items():
        yield from _field_paths(child, root, path + (name,), depth + 1)
    if isinstance(schema.get("items"), dict):
        yield from _field_paths(schema["items"], root, path + (0,), depth + 1)


def _put(fields, path, value):
    """``fields`` with ``value`` at ``path``, making the containers on the way."""
    fields = dict(fields)
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        return [value if not rest else _put({}, rest, value)]
    current = fields.get(key)
    if rest:
        inner = current if isinstance(current, (dict, list)) else ([] if isinstance(rest[0], int) else {})
        if isinstance(rest[0], int):
            first = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], dict) else {}
            fields[key] = [value] if len(rest) == 1 else [_put(first, rest[1:], value)]
        else:
            fields[key] = _put(inner if isinstance(inner, dict) else {}, rest, value)
    else:
        fields[key] = value
    return fields


def test_the_fast_check_refuses_what_jsonschema_refuses_in_every_field():
    """Every interesting value in every field of every type, in turn."""
    checked = 0
    for folder, seed in SEEDS.items():
        fields = yaml.load(seed.split("---\n")[1], Loader=yaml.BaseLoader)
        schema = PROJECT.schemas[type_for_source(f"{folder}/x.md").name]
        for path in _field_paths(schema, schema):
            for value in INTERESTING_VALUES:
                header = yaml.safe_dump(_put(fields, path, value), allow_unicode=True, sort_keys=False)
                assert_fast_check_agrees(f"{folder}/fuzzed.md", f"---\n{header}---\nBody.\n".encode())
                checked += 1
    assert checked > 1000


# -- hostile bodies and values: an answer in good time, and one view of the body ---------------

#: Pieces that Markdown and the pattern checks read specially, and long runs of them.
BODY_PIECES = st.sampled_from([
    "`", "``", "```", "\\", "\\`", " ", "  ", "\t", "\n", "\n\n", "\n```\n", "\n~~~\n", "\n  ```\n", "\n    ", "> ",
    "- ", "1. ", "# ", "#", "[", "]", "(", ")", "](", "]:", "[a]: ", "*", "_", "<", ">", "<b>", "<script>", "&#58;",
    "javascript:", "https://", "@", "{filename}", "|tag|", "a", "word ", "x.org",
])
HOSTILE_BODIES = st.lists(st.one_of(BODY_PIECES, st.tuples(BODY_PIECES, st.integers(1, 3000)).map(lambda p: p[0] * p[1])),
                          max_size=40).map("".join)
HOSTILE_VALUES = st.lists(st.one_of(BODY_PIECES, st.tuples(BODY_PIECES, st.integers(1, 20000)).map(lambda p: p[0] * p[1]),
                                    st.text(max_size=20)), max_size=12).map("".join)
#: Hypothesis's own guard against a slow example: a pattern that backtracks
#: on one of these inputs takes far longer than this.
HOSTILE = settings(max_examples=150, deadline=dt.timedelta(seconds=2),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _member_with(body: str = "Body.", summary: str | None = None, website: str | None = None,
                 email: str | None = None) -> bytes:
    text = SEEDS["members"]
    header, _, _ = text.partition("\n---\n")
    lines = [header]
    for field, value in (("summary", summary), ("website", website), ("email", email)):
        if value is not None:
            lines = [line for line in "\n".join(lines).split("\n") if not line.startswith(f"{field}:")]
            lines.append(f"{field}: {json.dumps(value)}")
    return ("\n".join(lines) + "\n---\n" + body + "\n").encode("utf-8")


@HOSTILE
@given(body=HOSTILE_BODIES)
def test_a_hostile_body_is_answered_in_good_time_with_problems_that_name_their_place(body):
    assert_checked_cleanly("members", _member_with(body=body))


@HOSTILE
@given(summary=HOSTILE_VALUES, website=HOSTILE_VALUES, email=HOSTILE_VALUES)
def test_hostile_field_values_are_answered_in_good_time_with_problems_that_name_their_place(summary, website, email):
    assert_checked_cleanly("members", _member_with(summary=summary, website=website, email=email))


#: Pieces for bodies that Python-Markdown renders quickly: short, so that the
#: comparison with its output stays fast.
VIEW_PIECES = st.sampled_from([
    "`", "``", "```", "\\", "\\`", " ", "\n", "\n\n", "\n```\n", "\n~~~\n", "\n  ```\n", "\n    ", "\n> ", "\n- ",
    "\n# ", "<x-tag>", "[a](javascript:x)", "[a]", "\n[a]: javascript:x\n", "\n> [a]: javascript:x\n", "a", "b ",
])
_RAW = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", "toc", "def_list", "abbr"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(VIEW_PIECES, max_size=30).map("".join))
def test_the_body_check_sees_every_tag_and_link_that_python_markdown_renders(body):
    """One view of the body: whatever raw HTML or script link Python-Markdown
    (with raw HTML allowed, as it was before the renderer stopped reading
    it) would put on the page, the body check reports."""
    document = parse_document(_member_with(body=body), "members/view.md")
    messages = [p.message for p in check_body(document)]
    _RAW.reset()
    rendered = _RAW.convert(document.body)
    if "<x-tag>" in rendered:
        assert any(m.startswith("raw HTML") for m in messages), rendered
    if 'href="javascript:' in rendered:
        assert any("'javascript:'" in m for m in messages), rendered
