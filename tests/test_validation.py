"""The validation rules, pinned by their exact messages (``make check``).

Each folder under ``fixtures/invalid/`` holds the broken file(s) for one rule
at their content path and ``expected.txt``, the exact lines ``make check``
prints for them. A test copies the real vocabularies (``content/_data``), the
small valid project in ``fixtures/valid-base/`` and one rule's folder into a
temporary project, runs the validator and compares.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from frontmatter.parse import MAX_FILE_BYTES, _check_depth, parse_document
from frontmatter.problems import ContentError, Problem
from validation import project as project_module
from validation.__main__ import main
from validation.checkers import SchemaCheck
from validation.project import Project
from validation.schemas import load_schemas
from validation.types import CONTENT_TYPES, RESERVED_SLUGS
from validation.validate import org_ids
from validation.vocabularies import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_BASE = FIXTURES / "valid-base"
INVALID = FIXTURES / "invalid"
RULES = sorted(path.name for path in INVALID.iterdir() if path.is_dir())
TODAY = "2025-06-01"  # the fixtures' dates are written relative to this day
LINE = re.compile(r"^(?P<source>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<what>.+)$")


# -- helpers -------------------------------------------------------------------


def make_project(destination: Path, *rules: str) -> Path:
    """A project of the real vocabularies, the valid base and the given rules' files."""
    shutil.copytree(ROOT / "content" / "_data", destination / "content" / "_data")
    shutil.copytree(VALID_BASE, destination, dirs_exist_ok=True)
    for rule in rules:
        shutil.copytree(INVALID / rule, destination, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.txt"))
    return destination


def expected_lines(rule: str) -> list[str]:
    return (INVALID / rule / "expected.txt").read_text(encoding="utf-8").splitlines()


def content_file_count(root: Path) -> int:
    return len(Project(root, dt.date.fromisoformat(TODAY)).content_files())


def summary_for(lines: list[str], files_checked: int) -> str:
    """The summary line ``make check`` must print after ``lines``."""
    parsed = [LINE.match(line) for line in lines]
    errors = sum(1 for m in parsed if m["severity"] == "error")
    warnings = sum(1 for m in parsed if m["severity"] == "warning")
    files = len({m["source"] for m in parsed})
    checked = f"checked {files_checked} file{'s' if files_checked != 1 else ''}"
    if not lines:
        return f"no problems ({checked})"
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{' and '.join(parts)} in {files} file{'s' if files != 1 else ''} ({checked})"


def check(root: Path, capsys, *arguments: str) -> tuple[int, list[str]]:
    """Run ``make check`` in-process; return the exit status and the lines printed."""
    capsys.readouterr()
    status = main([*arguments, "--root", str(root)])
    return status, capsys.readouterr().out.splitlines()


def check_in_subprocess(root: Path, *arguments: str, github: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m validation`` as ``make check`` does."""
    env = {**os.environ, "SITE_TODAY": TODAY, "PYTHONPATH": str(ROOT / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run([sys.executable, "-m", "validation", *arguments, "--root", str(root)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SITE_TODAY", TODAY)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


# -- one fixture per rule ----------------------------------------------------------


def test_the_valid_base_has_no_problem(tmp_path, capsys):
    root = make_project(tmp_path)
    status, lines = check(root, capsys)
    assert lines == ["no problems (checked 2 files)"]
    assert status == 0


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_reports_its_exact_message(rule, tmp_path, capsys):
    root = make_project(tmp_path, rule)
    expected = expected_lines(rule)
    assert expected, f"{rule}/expected.txt is empty"
    status, lines = check(root, capsys)
    assert lines[:-1] == expected
    assert lines[-1] == summary_for(expected, content_file_count(root))
    has_error = any(": error: " in line for line in expected)
    assert status == (1 if has_error else 0)


def test_every_rule_fixture_names_a_file_that_exists(tmp_path):
    for rule in RULES:
        for line in expected_lines(rule):
            match = LINE.match(line)
            assert match, f"{rule}: not in the path:line:col: form: {line}"
            source = match["source"]
            assert (INVALID / rule / source).exists() or (VALID_BASE / source).exists(), (rule, source)


def test_a_file_over_the_size_limit_is_refused(tmp_path, capsys):
    root = make_project(tmp_path)
    base = (VALID_BASE / "members" / "example-trust.md").read_text(encoding="utf-8")
    padding = "This sentence pads the body of an overlong profile.\n" * (MAX_FILE_BYTES // 50)
    big = root / "members" / "too-large.md"
    big.write_text(base.replace("Example Trust", "Example Too Large") + padding, encoding="utf-8")
    size_kb = -(-big.stat().st_size // 1024)  # rounded up
    assert big.stat().st_size > MAX_FILE_BYTES
    status, lines = check(root, capsys)
    assert lines == [
        f"members/too-large.md:1:1: error: the file is {size_kb} KB; the limit is 1024 KB; "
        "split it or remove what does not belong",
        "1 error in 1 file (checked 3 files)",
    ]
    assert status == 1


def test_a_five_megabyte_body_is_one_clear_error(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "members" / "five-mb.md").write_bytes(b"---\nname: Example\n---\n" + b"x" * (5 * 1024 * 1024))
    status, lines = check(root, capsys)
    assert len(lines) == 2 and lines[0].startswith("members/five-mb.md:1:1: error: the file is 5121 KB; the limit is 1024 KB")
    assert status == 1


def test_a_stale_profile_warns_but_passes_unless_strict(tmp_path, capsys):
    root = make_project(tmp_path, "stale-last-verified")
    status, lines = check(root, capsys)
    assert status == 0
    assert lines == [*expected_lines("stale-last-verified"), "0 errors and 1 warning in 1 file (checked 3 files)"]
    status, _ = check(root, capsys, "--strict")
    assert status == 1
    assert check_in_subprocess(root).returncode == 0
    assert check_in_subprocess(root, "--strict").returncode == 1


def test_a_byte_order_mark_and_crlf_line_endings_are_accepted(tmp_path, capsys):
    root = make_project(tmp_path)
    member = (VALID_BASE / "members" / "example-trust.md").read_text(encoding="utf-8")
    member = member.replace("Example Trust", "Example Windows Trust").replace('"1012345"', '"1012346"') \
        .replace('"01234567"', '"01234568"')
    (root / "members" / "windows.md").write_bytes(b"\xef\xbb\xbf" + member.replace("\n", "\r\n").encode("utf-8"))
    status, lines = check(root, capsys)
    assert lines == ["no problems (checked 3 files)"]
    assert status == 0


def test_crlf_line_endings_keep_line_numbers_right(tmp_path, capsys):
    root = make_project(tmp_path)
    member = (VALID_BASE / "members" / "example-trust.md").read_text(encoding="utf-8")
    member = member.replace("Example Trust", "Example Windows Trust").replace("charitable-company", "charity-shop")
    member = member.replace('"1012345"', '"1012346"').replace('"01234567"', '"01234568"')
    (root / "members" / "windows.md").write_bytes(b"\xef\xbb\xbf" + member.replace("\n", "\r\n").encode("utf-8"))
    _, lines = check(root, capsys)
    assert lines[0].startswith("members/windows.md:4:1: error: legal_form: 'charity-shop' is not a known legal form")


def test_an_unquoted_company_number_keeps_its_leading_zero(tmp_path, capsys):
    root = make_project(tmp_path)
    path = root / "members" / "example-trust.md"
    text = path.read_text(encoding="utf-8")
    assert 'company_number: "01234567"' in text
    path.write_text(text.replace('company_number: "01234567"', "company_number: 01234567"), encoding="utf-8")
    status, lines = check(root, capsys)
    assert lines == ["no problems (checked 2 files)"]
    assert status == 0
    checked = Project(root, dt.date.fromisoformat(TODAY)).check_file(path)
    assert checked.meta["company_number"] == "01234567"
    assert "GB-COH-01234567" in org_ids(checked.meta, load_schemas(load_vocabularies(root))["member"])


def test_a_symbolic_link_is_refused(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "members" / "linked.md").symlink_to(root / "members" / "example-trust.md")
    status, lines = check(root, capsys)
    assert lines[0] == ("members/linked.md:1:1: error: 'linked.md' is a symbolic link; "
                        "content files must be ordinary files; copy the content in")
    assert status == 1


def test_input_nested_a_hundred_thousand_deep_does_not_crash(tmp_path):
    # libyaml's composer recursed in C and crashed the interpreter on this.
    root = make_project(tmp_path)
    (root / "members" / "deep.md").write_text("---\nname: " + "[" * 100_000 + "\n---\n", encoding="utf-8")
    result = check_in_subprocess(root)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith(
        "members/deep.md:2:26: error: the front matter is nested more than 20 levels deep")
    assert result.stderr == ""


def test_only_the_named_files_are_reported(tmp_path, capsys):
    root = make_project(tmp_path, "bad-email", "bad-date")
    status, lines = check(root, capsys, "members/bad-email.md")
    assert lines == [*expected_lines("bad-email"), "1 error in 1 file (checked 4 files)"]
    assert status == 1


def test_a_broken_vocabulary_is_reported_as_a_project_problem(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "content" / "_data" / "services.yml").write_text("services: [not a list of entries]\n")
    status, lines = check(root, capsys)
    assert status == 2
    assert lines == ["content/_data/services.yml:1:1: error: must be a list of entries with id and label"]


# -- every problem in one run -------------------------------------------------------------


def test_a_broken_project_gets_every_problem_reported_in_one_run(tmp_path, capsys):
    """All the rule fixtures at once: every problem of every file, each with
    its file and line, and a summary that counts them."""
    root = make_project(tmp_path, *RULES)
    (root / "members" / "too-large.md").write_bytes(b"---\n" + b"a" * (MAX_FILE_BYTES + 1))
    expected = [line for rule in RULES for line in expected_lines(rule)]
    expected.append("members/too-large.md:1:1: error: the file is 1025 KB; the limit is 1024 KB; "
                    "split it or remove what does not belong")
    files_checked = content_file_count(root)

    status, lines = check(root, capsys)
    problems, summary = lines[:-1], lines[-1]
    assert sorted(problems) == sorted(expected)
    assert len(problems) == len(expected) > 50
    for line in problems:
        match = LINE.match(line)
        assert match and int(match["line"]) >= 1, line
        assert (root / match["source"]).exists(), line
    assert summary == summary_for(expected, files_checked)
    assert re.fullmatch(r"\d+ errors and 1 warning in \d+ files \(checked \d+ files\)", summary)
    assert status == 1

    result = check_in_subprocess(root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == lines
    assert result.stderr == ""


def test_problems_are_printed_file_by_file_in_line_order(tmp_path, capsys):
    root = make_project(tmp_path, "many-problems-in-one-file", "bad-email", "raw-html-in-body")
    _, lines = check(root, capsys)
    keys = [(m["source"], int(m["line"]), int(m["column"])) for m in map(LINE.match, lines[:-1])]
    assert keys == sorted(keys)


def test_many_similar_members_are_all_checked_without_a_false_problem(tmp_path):
    """Five hundred profiles alike but for their names and numbers: every
    one is checked and none is taken for another. (How long checking takes
    is measured by make bench: make check at 1,000 and 10,000 members.)"""
    root = make_project(tmp_path)
    base = (VALID_BASE / "members" / "example-trust.md").read_text(encoding="utf-8")
    for number in range(500):
        (root / "members" / f"member-{number}.md").write_text(
            base.replace("Example Trust", f"Example Member {number}").replace('"1012345"', f'"1{number:06d}"')
            .replace('"01234567"', f'"0{number:07d}"'), encoding="utf-8")
    _, problems, count = Project(root, dt.date.fromisoformat(TODAY)).check_all()
    assert (problems, count) == ([], 502)


def test_a_large_project_is_checked_in_parallel_with_the_same_results(tmp_path, monkeypatch):
    """Above PARALLEL_FROM files the per-file checks are shared among
    processes; what comes back (problems with their lines, cross-file
    problems included, and the entries) is what one process finds."""
    root = make_project(tmp_path, *RULES)
    today = dt.date.fromisoformat(TODAY)
    sequential = Project(root, today).check_all()
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project_module, "_CHUNK", 3)
    monkeypatch.setattr(project_module, "_worker_count", lambda: 2)
    parallel = Project(root, today).check_all()
    assert parallel[1] == sequential[1] and len(parallel[1]) > 50
    assert parallel[2] == sequential[2]
    for type_name, by_slug in sequential[0].items():
        assert {slug: meta for slug, (_, meta) in by_slug.items()} == \
            {slug: meta for slug, (_, meta) in parallel[0][type_name].items()}
        for slug, (document, _) in by_slug.items():
            other = parallel[0][type_name][slug][0]
            assert (other.source, other.body, other.body_line) == (document.source, document.body, document.body_line)
            assert other.position(("name",)) == document.position(("name",))
            assert (other.key_positions, other.value_positions) == (document.key_positions, document.value_positions)


def test_files_a_helper_process_fails_on_are_checked_by_the_parent(tmp_path, monkeypatch):
    root = make_project(tmp_path, "bad-email", "vocabulary-typo", "unknown-field")
    today = dt.date.fromisoformat(TODAY)
    sequential = Project(root, today).check_all()[1]
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project_module, "_CHUNK", 1)
    monkeypatch.setattr(project_module, "_worker_count", lambda: 2)
    parent = os.getpid()
    real_check_chunk = project_module._check_chunk

    def failing_in_helpers(project, files):
        if os.getpid() != parent:
            raise RuntimeError("a helper's bug")
        return real_check_chunk(project, files)

    monkeypatch.setattr(project_module, "_check_chunk", failing_in_helpers)
    assert Project(root, today).check_all()[1] == sequential


# -- rules that follow the rest of the project ---------------------------------------------------


def test_reserved_slugs_are_the_site_s_own_pages():
    """Every address the site writes a page of its own at, among a content
    type's URLs, is reserved for that type, and nothing else is."""
    import pelicanconf
    from content_types.directory import FILTERS
    from content_types.pages import LIST_PAGES
    from tender_feeds.settings import DEFAULTS

    by_prefix = {t.url_prefix: t.name for t in CONTENT_TYPES.values()}
    expected = {"member": {f.folder for f in FILTERS} | {"page"}}  # and members/page/2/ ...
    folders = [save_as.removesuffix("/index.html") for _, save_as in LIST_PAGES]
    folders += [getattr(pelicanconf, f"{name.upper()}_SAVE_AS", name).removesuffix("/index.html")
                for name in pelicanconf.DIRECT_TEMPLATES if name not in ("index", "404")]
    folders += [DEFAULTS["TENDER_FEEDS_ATOM_PATH"].split("/")[0], getattr(pelicanconf, "THEME_STATIC_DIR", "theme")]
    for folder in folders:
        prefix, _, slug = folder.rpartition("/")
        if (f"{prefix}/" if prefix else "") not in by_prefix:
            continue  # inside a page's own folder (contribute/profile/): no content type writes there
        expected.setdefault(by_prefix[f"{prefix}/" if prefix else ""], set()).add(slug)
    assert {name: set(slugs) for name, slugs in RESERVED_SLUGS.items()} == expected


def test_a_block_scalar_s_last_line_break_is_layout(tmp_path, capsys):
    root = make_project(tmp_path)
    path = root / "members" / "example-trust.md"
    text = path.read_text(encoding="utf-8")
    summary = "summary: An example member profile for the validation tests, made up for demonstration."
    assert summary in text
    path.write_text(text.replace(summary, "summary: >\n  An example member profile for the validation tests,\n"
                                          "  made up for demonstration."), encoding="utf-8")
    status, lines = check(root, capsys)
    assert lines == ["no problems (checked 2 files)"]
    checked = Project(root, dt.date.fromisoformat(TODAY)).check_file(path)
    assert checked.meta["summary"] == "An example member profile for the validation tests, made up for demonstration."


@pytest.mark.parametrize("value, valid", [("7654321", True), ("7654321\n", False), ("\n7654321", False),
                                          ("765432", True), ("76543210", False)])
def test_patterns_match_as_in_ecma_262(member_schema, value, valid):
    """The published schemas' patterns mean there what they mean here: '$'
    is the very end, not before a final line break."""
    checking = SchemaCheck({"type": "string", "pattern": member_schema["properties"]["charity_number"]["pattern"]})
    assert checking.is_valid(value) is valid
    assert (checking.errors(value) == []) is valid
    assert (list(checking.validator.iter_errors(value)) == []) is valid


def test_nesting_found_while_building_is_reported_as_the_event_scan_reports_it():
    header = "name: Example\nservices:\n" + "".join("  " * depth + "-\n" for depth in range(1, 25)) + "  " * 25 + "- x"

    def fail(message, line=1, column=1, hint=""):
        return ContentError([Problem("m.md", line, column, message=message, hint=hint)])

    with pytest.raises(ContentError) as scanned:
        _check_depth(header, fail)
    with pytest.raises(ContentError) as built:
        parse_document(f"---\n{header}\n---\nBody.\n".encode(), "m.md")
    assert [p.format() for p in built.value.problems] == [p.format() for p in scanned.value.problems]
    assert "nested more than 20 levels deep" in built.value.problems[0].message


# -- GitHub Actions annotations -----------------------------------------------------------------


def test_github_actions_gets_annotations_on_the_lines(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, "bad-company-number", "stale-last-verified")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, lines = check(root, capsys)
    assert status == 1
    assert "::error file=members/bad-company-number.md,line=12,col=1::company_number: '1234567' is not in " \
           "the right form; Companies House number: exactly 8 characters, keeping leading zeros, for example " \
           "01234567 or SC123456. Put it in quotes." in lines
    assert "::warning file=members/stale.md,line=10,col=1::last_verified: was last verified on 2023-05-01, " \
           "more than 12 months ago; check the profile is still right and update last_verified" in lines
    # the plain lines and the summary are still there
    assert expected_lines("bad-company-number")[0] in lines
    assert lines[-1] == "1 error and 1 warning in 2 files (checked 4 files)"


def test_github_annotations_in_a_real_run(tmp_path):
    root = make_project(tmp_path, "vocabulary-typo")
    result = check_in_subprocess(root, github=True)
    assert result.returncode == 1
    assert ("::error file=members/vocabulary-typo.md,line=8,col=5::services[1]: 'halth' is not a known service; "
            "did you mean 'health-and-wellbeing'? (allowed values: content/_data/services.yml)") in result.stdout


def test_without_github_actions_there_are_no_annotations(tmp_path, capsys):
    root = make_project(tmp_path, "vocabulary-typo")
    _, lines = check(root, capsys)
    assert not any(line.startswith("::") for line in lines)


def test_a_value_cannot_inject_a_workflow_command(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path, "value-with-line-break")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, lines = check(root, capsys)
    assert [line for line in lines if line.startswith("::")] == [
        "::error file=members/value-with-line-break.md,line=12,col=8::email: 'hello@example.org%0A::error::injected'"
        " contains a line break; write the value on one line"
    ]


# -- org-ids -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def member_schema():
    return load_schemas(load_vocabularies(ROOT))["member"]


@pytest.mark.parametrize("field, value, org_id", [
    ("charity_number", "1012345", "GB-CHC-1012345"),
    ("scottish_charity_number", "SC012345", "GB-SC-SC012345"),
    ("ni_charity_number", "NIC100002", "GB-NIC-100002"),
    ("ni_charity_number", "100002", "GB-NIC-100002"),
    ("company_number", "01234567", "GB-COH-01234567"),
    ("company_number", "SC123456", "GB-COH-SC123456"),
    ("mutuals_number", "12345R", "GB-MPR-12345R"),
])
def test_org_ids_from_each_identifier(member_schema, field, value, org_id):
    assert org_ids({field: value}, member_schema) == [org_id]


def test_org_ids_of_a_member_with_several_identifiers(member_schema):
    member = {"name": "Example Trust", "charity_number": "1012345", "company_number": "01234567",
              "scottish_charity_number": "SC012345"}
    assert sorted(org_ids(member, member_schema)) == ["GB-CHC-1012345", "GB-COH-01234567", "GB-SC-SC012345"]


def test_org_ids_of_a_member_without_identifiers(member_schema):
    assert org_ids({"name": "Example Group"}, member_schema) == []


# -- the reader on its own ---------------------------------------------------------------------


def test_every_scalar_is_read_as_the_text_written():
    document = parse_document(b"---\ncompany_number: 01234567\nvcse: no\nwhen: 2025-01-15\n---\nBody\n", "m.md")
    assert document.meta == {"company_number": "01234567", "vcse": "no", "when": "2025-01-15"}
    assert document.body == "Body\n"
    assert document.body_line == 6
    assert document.position(("vcse",)) == (3, 1)


def test_the_real_content_passes(capsys, monkeypatch):
    monkeypatch.delenv("SITE_TODAY")  # as make check runs: dated today
    status, lines = check(ROOT, capsys)
    assert status == 0, "\n".join(lines)
