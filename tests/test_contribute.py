"""Members update their own profiles: the template, the prefilled link, the
field table, `make new-member`, CODEOWNERS, the issue form and the
pull-request check."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from building import ROOT, SITE_TODAY
from contribute.context import GITHUB_URL_LIMIT, build_context, new_file_url
from contribute.member_template import Snippet, TemplateError, load, parse
from frontmatter.problems import Problem
from site_helpers import page
from tools import codeowners, contributing_table, issue_form, new_member, pr_check
from tools.synthetic import copy_project
from validation.project import Project
from validation.schemas import load_schemas
from validation.vocabularies import load_vocabularies

TODAY = dt.date.fromisoformat(SITE_TODAY)
TEMPLATE = ROOT / "tools/templates/member.md"
WORKFLOWS = ROOT / ".github/workflows"


@pytest.fixture(scope="module")
def member_schema() -> dict:
    return load_schemas(load_vocabularies(ROOT))["member"]


@pytest.fixture(scope="module")
def template():
    return load(TEMPLATE)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project to write into; the real content is never touched."""
    return copy_project(tmp_path / "project")


def fill_placeholders(text: str) -> str:
    """A profile in the template's format with every field still to fill in
    (no '#') given its example; optional fields stay left out."""
    profile = parse(text)
    values = {}
    for name, field in profile.fields.items():
        if field.optional:
            continue
        placeholder = "\n".join(profile.lines[field.line - 1: field.end - 1])
        if '""' in placeholder:
            values[name] = Snippet(field.example)
    return profile.fill(values)


def problems_in(root: Path, source: str, today: dt.date = TODAY) -> list[str]:
    """Every problem `make check` would report for one file of a project."""
    _, problems, _ = Project(root, today).check_all()
    return [p.format() for p in problems if p.source == source]


# -- the member template ----------------------------------------------------------


def test_template_has_every_schema_field_and_required_ones_are_to_fill_in(template, member_schema):
    assert list(template.fields) and set(template.fields) == set(member_schema["properties"])
    for name in member_schema["required"]:
        assert not template.fields[name].optional, f"{name} is required, so the template must not leave it out"
    for field in template.fields.values():
        assert field.note, f"{field.name} needs a note saying what to write"


@pytest.mark.parametrize("include_optional", [False, True], ids=["fields-to-fill", "every-field"])
def test_template_validates_once_filled_with_its_examples(project_copy, template, include_optional):
    path = project_copy / "members" / "example-community-trust.md"
    path.write_text(template.with_examples(include_optional), encoding="utf-8")
    assert problems_in(project_copy, "members/example-community-trust.md") == []


def test_unfilled_template_fails_on_the_line_of_each_placeholder(project_copy, template):
    path = project_copy / "members" / "unfilled.md"
    path.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    _, problems, _ = Project(project_copy, TODAY).check_all()
    found = {p.field.split("[")[0]: p.line for p in problems if p.source == "members/unfilled.md"}
    to_fill = {name: field for name, field in template.fields.items() if not field.optional}
    assert set(found) == set(to_fill)
    for name, field in to_fill.items():
        assert field.line <= found[name] < field.end, f"{name} is reported on line {found[name]}"


@pytest.mark.parametrize("text, message", [
    ("name: \"\"\n", "the first line must be '---'"),
    ("---\nname: \"\"\n", "never closed"),
    ("---\n# The name.\nname: \"\"\n---\n", "'name' needs a '# For example:' line"),
    ("---\n# For example: summary: \"x\"\nname: \"\"\n---\n", "must be written as 'name: ...'"),
    ("---\n# For example: name: \"x\"\nname: \"\"\n\n# For example: name: \"y\"\nname: \"\"\n---\n",
     "'name' is written twice"),
    ("---\n# For example: name: [x\nname: \"\"\n---\n", "not valid YAML"),
    ("---\njust words\n---\n", "expected a field"),
])
def test_template_format_mistakes_are_named(text, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        parse(text)


def test_fill_writes_text_dates_and_lists_as_profiles_do(template):
    text = template.fill({"name": 'The "Quoted" Trust', "last_verified": dt.date(2026, 1, 2),
                          "services": ["carers", "disability"], "vcse": True})
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["name"] == 'The "Quoted" Trust'
    assert meta["last_verified"] == dt.date(2026, 1, 2)
    assert meta["services"] == ["carers", "disability"]
    assert meta["vcse"] is True  # optional fields are uncommented when filled
    with pytest.raises(KeyError):
        template.fill({"no_such_field": "x"})


# -- the /contribute/ page: prefilled link, field table, values ---------------------


def add_link(site) -> str:
    """The GitHub route's link; the first "Add your organisation" link opens the profile editor."""
    links = [a for a in page(site, "contribute/").find_all("a") if a.get_text(strip=True) == "Add your organisation on GitHub"]
    assert len(links) == 1, "the contribute page needs one 'Add your organisation on GitHub' link"
    return links[0]["href"]


def test_add_your_organisation_opens_githubs_new_file_page_with_the_template(site, template):
    import pelicanconf  # the project's settings, on sys.path through conftest.py

    href = add_link(site)
    assert len(href) <= GITHUB_URL_LIMIT
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == \
        f"{pelicanconf.REPOSITORY_URL}/new/{pelicanconf.REPOSITORY_BRANCH}"
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["filename"] == ["members/your-organisation-name.md"]
    (value,) = query["value"]
    assert value == template.fill({"last_verified": TODAY})


def test_prefilled_template_matches_the_schema_once_filled_in(site, project_copy):
    (value,) = parse_qs(urlsplit(add_link(site)).query)["value"]
    (project_copy / "members" / "example-community-trust.md").write_text(fill_placeholders(value), encoding="utf-8")
    assert problems_in(project_copy, "members/example-community-trust.md") == []


def test_field_table_lists_every_schema_field_with_the_templates_example(site, template, member_schema):
    table = page(site, "contribute/").find(id="fields").find_next("table")
    rows = table.tbody.find_all("tr")
    assert [row.th.code.get_text() for row in rows] == list(member_schema["properties"])
    for row in rows:
        name = row.th.code.get_text()
        example = row.find("pre")
        assert example is not None, f"{name} has no example"
        assert example.get_text() == template.fields[name].example
        expected = "required" if name in member_schema["required"] else ("recommended" if name == "maintainers"
                                                                          else "optional")
        assert row.th.find(class_="app-hint").get_text() == expected


def test_every_allowed_value_is_listed_where_the_field_table_points(site, member_schema):
    document = page(site, "contribute/")
    vocabularies = load_vocabularies(ROOT)
    for link in document.find(id="fields").find_next("table").find_all("a", href=re.compile("^#values-")):
        name = link["href"][len("#values-"):]
        section = document.find(id=f"values-{name}")
        assert section is not None, link["href"]
        listed = [code.get_text() for code in section.find_next("table").tbody.select("td:first-child code")]
        assert listed == list(vocabularies[name].terms)


def test_contribute_page_links_to_the_form_and_its_own_sections(site):
    document = page(site, "contribute/")
    hrefs = [a["href"] for a in document.find_all("a", href=True)]
    assert any(h.endswith("/issues/new?template=add-or-update-member.yml") for h in hrefs)
    assert (ROOT / ".github/ISSUE_TEMPLATE/add-or-update-member.yml").exists()
    ids = {tag["id"] for tag in document.find_all(id=True)}
    for href in hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, f"{href} points nowhere on /contribute/"
    assert document.find(string=re.compile(r"yaml-language-server"))  # the editor help


def test_the_build_fails_with_a_message_when_a_setting_is_wrong(tmp_path):
    settings = {"PATH": str(ROOT), "REPOSITORY_URL": "https://github.com/owner/name", "REPOSITORY_BRANCH": "main",
                "MAINTAINERS_EMAIL": "maintainers@example.org"}
    assert build_context(settings, TODAY).add_member_url.startswith("https://github.com/owner/name/new/main?")
    for address in ("", "maintainers", "a@b.org?cc=someone@else.org", "mailto:a@b.org"):
        with pytest.raises(ValueError, match="MAINTAINERS_EMAIL must be"):
            build_context({**settings, "MAINTAINERS_EMAIL": address}, TODAY)
    with pytest.raises(ValueError, match="REPOSITORY_URL must be"):
        build_context({**settings, "REPOSITORY_URL": "github.com/owner"}, TODAY)
    with pytest.raises(ValueError, match="there is no file"):
        build_context({**settings, "MEMBER_TEMPLATE": "nowhere.md"}, TODAY)
    long_template = tmp_path / "long.md"
    notes = "".join(f"# A note that is far too long, number {n}.\n" for n in range(300))
    long_template.write_text(f"---\n{notes}# For example: name: \"x\"\nname: \"\"\n---\n", encoding="utf-8")
    with pytest.raises(ValueError, match="GitHub refuses links"):
        build_context({**settings, "MEMBER_TEMPLATE": str(long_template)}, TODAY)


def test_new_file_url_escapes_what_would_end_the_value_early():
    url = new_file_url("https://github.com/o/r", "main", "members/x.md", "a&b=c#d +e\n")
    assert parse_qs(urlsplit(url).query)["value"] == ["a&b=c#d +e\n"]
    assert "#" not in url


# -- make new-member ----------------------------------------------------------------


@pytest.mark.parametrize("name, slug", [
    ("Example Trust", "example-trust"),
    ("St Anne's Community Services", "st-annes-community-services"),
    ("West Norfolk Voluntary & Community Action", "west-norfolk-voluntary-and-community-action"),
    ("Café Ærø (CIC)", "cafe-aero-cic"),
    ("  Spaced   out  ", "spaced-out"),
    ("!!!", ""),
])
def test_slug_is_lower_case_ascii_with_hyphens(name, slug):
    assert new_member.slug_for(name) == slug


def run_new_member(root: Path, name: str) -> subprocess.CompletedProcess:
    """What `make new-member NAME=...` runs, in a copy of the project."""
    env = {**os.environ, "PYTHONPATH": str(root / "plugins")}
    return subprocess.run([sys.executable, "-m", "tools.new_member", name], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)


def test_make_new_member_runs_the_tool(project_copy):
    result = subprocess.run(["make", "-n", "-C", str(project_copy), "new-member", "NAME=Example Trust"],
                            capture_output=True, text=True, timeout=60)
    assert '-m tools.new_member "Example Trust"' in result.stdout


def test_new_member_writes_a_profile_that_passes_once_filled_in(project_copy):
    result = run_new_member(project_copy, "Example Trust")
    assert result.returncode == 0, result.stderr
    assert "Wrote members/example-trust.md" in result.stdout and "make check" in result.stdout
    path = project_copy / "members/example-trust.md"
    written = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(written.split("---\n")[1])
    assert meta["name"] == "Example Trust" and meta["last_verified"] == dt.date.today()
    # Until the placeholders are filled, make check names each one.
    assert any("summary: is empty" in line for line in problems_in(project_copy, "members/example-trust.md"))
    path.write_text(fill_placeholders(written), encoding="utf-8")
    # The tool dates the profile today, so check it as of today (as `make check` does).
    assert problems_in(project_copy, "members/example-trust.md", dt.date.today()) == []


def test_new_member_refuses_to_overwrite_or_reuse_a_name(project_copy):
    existing = project_copy / "members/example-youth-trust.md"
    before = existing.read_text(encoding="utf-8")
    result = run_new_member(project_copy, "Example Youth Trust")
    assert result.returncode == 1
    assert "members/example-youth-trust.md already exists" in result.stderr
    assert existing.read_text(encoding="utf-8") == before
    # The same name under another file name is refused too.
    result = run_new_member(project_copy, "Example  youth trust")
    assert result.returncode == 1
    renamed = project_copy / "members/eyt.md"
    existing.rename(renamed)
    result = run_new_member(project_copy, "Example Youth Trust")
    assert result.returncode == 1 and "members/eyt.md already has the name" in result.stderr
    assert not existing.exists()


@pytest.mark.parametrize("name, message", [("!!!", "no letters or digits"), ("X", "2 to 150 characters"),
                                           ("Tab\tTrust\x07", "control character")])
def test_new_member_refuses_names_it_cannot_use(project_copy, name, message):
    before = sorted((project_copy / "members").iterdir())
    result = run_new_member(project_copy, name)
    assert result.returncode == 1 and message in result.stderr
    assert sorted((project_copy / "members").iterdir()) == before


# -- CODEOWNERS ---------------------------------------------------------------------


def owners_of(codeowners_text: str, path: str) -> list[str]:
    """The owners GitHub would give ``path``: the last matching rule wins."""
    owners = []
    for line in codeowners_text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *names = line.split()
        if pattern == "*" or pattern == f"/{path}":
            owners = names
    return owners


def test_committed_codeowners_is_up_to_date():
    committed = (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert committed == codeowners.expected(ROOT), \
        ".github/CODEOWNERS is out of date: run `make codeowners` and commit it"


def test_codeowners_gives_each_profile_its_maintainers():
    text = (ROOT / ".github/CODEOWNERS").read_text(encoding="utf-8")
    default = yaml.safe_load((ROOT / ".github/site-maintainers.yml").read_text(encoding="utf-8"))
    with_maintainers = 0
    for path in sorted((ROOT / "members").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        maintainers = meta.get("maintainers") or []
        # The site's maintainers stay owners of every profile: GitHub ignores an
        # owner without write access, which a member's accounts often lack.
        expected = [f"@{name}" for name in maintainers] + default
        assert owners_of(text, f"members/{path.name}") == expected, path.name
        with_maintainers += bool(maintainers)
    assert with_maintainers, "at least one profile should show how maintainers work"
    assert owners_of(text, "pelicanconf.py") == default


def test_codeowners_check_fails_until_regenerated(project_copy):
    env = {**os.environ, "PYTHONPATH": str(project_copy / "plugins")}
    env.pop("GITHUB_STEP_SUMMARY", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tools.codeowners", *args], cwd=project_copy, env=env,
                              capture_output=True, text=True, timeout=60)

    assert run("--check").returncode == 0
    profile = project_copy / "members/disc.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "last_verified:", "maintainers:\n  - disc-staff\nlast_verified:", 1), encoding="utf-8")
    result = run("--check")
    assert result.returncode == 1 and "+/members/disc.md @disc-staff @example-consortium/site-maintainers" \
        in result.stdout
    # On a pull request: a warning annotation for the reviewer, and success.
    env["GITHUB_ACTIONS"] = "true"
    result = run("--check", "--warn")
    assert result.returncode == 0 and "+/members/disc.md @disc-staff" in result.stdout
    assert "::warning file=.github/CODEOWNERS,line=1,title=Profile owners out of date::" in result.stdout
    assert "make codeowners" in result.stdout
    assert run("--check").returncode == 1, "without --warn it still fails"
    assert run().returncode == 0
    assert run("--check").returncode == 0


def test_every_profile_line_keeps_the_site_maintainers_as_owners():
    text = codeowners.render(["@org/site-maintainers"], [("members/a.md", ["alice"]),
                                                         ("members/b.md", ["Org", "bob"])])
    assert owners_of(text, "members/a.md") == ["@alice", "@org/site-maintainers"]
    assert owners_of(text, "members/b.md") == ["@Org", "@bob", "@org/site-maintainers"]
    assert owners_of(text, "members/c.md") == ["@org/site-maintainers"]
    # A site maintainer who also maintains a profile is named once.
    assert codeowners.profile_line_owners(["Alice"], ["@alice", "@org/team"]) == ["@Alice", "@org/team"]


def test_site_maintainers_must_be_accounts_or_teams(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/site-maintainers.yml").write_text('- "not an owner"\n', encoding="utf-8")
    with pytest.raises(codeowners.OwnersError, match="@account or @org/team"):
        codeowners.site_maintainers(tmp_path)


# -- workflows ----------------------------------------------------------------------


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def triggers(workflow: dict) -> set[str]:
    on = workflow["on"]
    return {on} if isinstance(on, str) else set(on)


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflows_parse_never_use_pull_request_target_and_pin_actions(path):
    workflow = load_workflow(path)
    assert "pull_request_target" not in triggers(workflow)
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), \
                    f"{job_name}: {step['uses']} must be pinned to a commit"
            # Text from a pull request must never be pasted into a command.
            assert "github.event" not in step.get("run", ""), f"{job_name}: pass event values through env"


def test_pull_request_check_workflow_is_read_only_and_runs_every_check():
    workflow = load_workflow(WORKFLOWS / "check.yml")
    assert triggers(workflow) == {"pull_request", "push"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    check = next(step for step in steps if step.get("run", "").endswith("-- make check"))
    assert check["env"]["GITHUB_ACTIONS"] == "true"
    explain = next(step for step in steps if "tools.pr_check" in step.get("run", ""))
    assert explain["env"]["PR_AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert explain["env"]["PR_BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert "cancelled()" in explain["if"]  # explains the problems even when make check failed
    assert workflow["jobs"]["content"]["if"] == "github.event_name == 'pull_request'"
    for step in steps:
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_codeowners_job_warns_on_pull_requests_and_fails_on_main():
    """A newcomer's pull request adds a profile with maintainers, which always
    makes CODEOWNERS out of date: that must not give them a red cross."""
    owners = load_workflow(WORKFLOWS / "check.yml")["jobs"]["owners"]
    assert "if" not in owners, "the owners job runs on pull requests and on main"
    compare = {step["if"]: step["run"] for step in owners["steps"] if "tools.codeowners" in step.get("run", "")}
    assert compare == {"github.event_name == 'pull_request'": ".venv/bin/python -m tools.codeowners --check --warn",
                       "github.event_name != 'pull_request'": ".venv/bin/python -m tools.codeowners --check"}
    for step in owners["steps"]:
        assert not step.get("continue-on-error"), "a failure on main must show"


# -- the pull-request check: maintainer warnings and the job summary ------------------


def test_maintainer_warning_fires_for_a_non_maintainer_only():
    changes = [pr_check.ProfileChange("members/a.md", ("alice", "Bob"), line=20),
               pr_check.ProfileChange("members/new.md", None)]
    assert pr_check.ownership_warnings("alice", changes) == []
    assert pr_check.ownership_warnings("bob", changes) == []  # GitHub names ignore case
    (warning,) = pr_check.ownership_warnings("mallory", changes)
    assert (warning.source, warning.line, warning.severity, warning.field) == ("members/a.md", 20, "warning",
                                                                               "maintainers")
    assert "@mallory is not one of this profile's maintainers (@alice, @Bob)" in warning.format()


def test_maintainer_warning_for_a_profile_without_maintainers():
    (warning,) = pr_check.ownership_warnings("someone", [pr_check.ProfileChange("members/disc.md", ())])
    assert "names no maintainers" in warning.message


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                            cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def run_pr_check(root: Path, base: str, author: str, summary: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "plugins"), "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(summary), "SITE_TODAY": SITE_TODAY}
    return subprocess.run([sys.executable, "-m", "tools.pr_check", "--base", base, "--author", author],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_pull_request_check_warns_about_changes_to_someone_elses_profile(project_copy, tmp_path):
    git(project_copy, "init", "-q", "-b", "main")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "-q", "-m", "base")
    base = git(project_copy, "rev-parse", "HEAD")
    profile = project_copy / "members/example-youth-trust.md"  # maintained by example-user
    text = profile.read_text(encoding="utf-8")
    # The pull request also adds its author as a maintainer: still warned.
    profile.write_text(text.replace('phone: "0121 496 0000"', 'phone: "0121 496 0001"')
                       .replace("  - example-user\n", "  - example-user\n  - mallory\n"), encoding="utf-8")
    git(project_copy, "commit", "-q", "-am", "change")

    summary = tmp_path / "summary.md"
    result = run_pr_check(project_copy, base, "mallory", summary)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(n for n, text in enumerate(profile.read_text().split("\n"), 1) if text.startswith("maintainers:"))
    assert f"::warning file=members/example-youth-trust.md,line={line},col=1::maintainers: @mallory is not one" \
        in result.stdout
    assert "Who looks after these profiles" in summary.read_text(encoding="utf-8")

    summary.unlink()
    result = run_pr_check(project_copy, base, "Example-User", summary)
    assert result.returncode == 0 and "::warning" not in result.stdout
    assert "Who looks after" not in summary.read_text(encoding="utf-8")


def test_job_summary_explains_each_problem_in_plain_english():
    problems = [
        Problem("members/acme.md", 30, 5, "services[0]", "'halth' is not a known service",
                hint="did you mean 'health-and-wellbeing'?"),
        Problem("members/acme.md", 9, 1, "name", "'[click](https://evil.example)' is <b>odd</b>"),
        Problem("members/other.md", 12, 1, "last_verified", "was last verified long ago", severity="warning"),
    ]
    summary = pr_check.summary_markdown(problems, 57, changed=["members/acme.md"])
    assert "Something needs fixing" in summary
    assert "- **Line 30, services \\(item 1\\)**: 'halth' is not a known service; " \
           "did you mean 'health\\-and\\-wellbeing'?" not in summary  # hyphens are left alone
    assert "- **Line 30, services \\(item 1\\)**: 'halth' is not a known service; " \
           "did you mean 'health-and-wellbeing'?" in summary
    # Text from a content file cannot add links or tags to the summary.
    assert "\\[click\\]\\(https://evil.example\\)" in summary and "&lt;b&gt;" in summary
    assert summary.index("In the files this pull request changes") < summary.index("members/acme.md") \
        < summary.index("In other files") < summary.index("members/other.md")
    assert "Warning: was last verified long ago" in summary
    assert "How to fix a problem" in summary
    assert pr_check.plain_field("sources[1].title") == "sources (item 2), title"


def test_contributing_field_table_is_up_to_date():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert text == contributing_table.with_table(text, contributing_table.expected_table(ROOT)), \
        "the field table in CONTRIBUTING.md is out of date: run `PYTHONPATH=plugins .venv/bin/python -m " \
        "tools.contributing_table`"


def test_contributing_field_table_lists_every_schema_field_with_the_templates_example(template, member_schema):
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split(contributing_table.BEGIN)[1].split(contributing_table.END)[0]
    rows = table.strip().splitlines()[2:]
    names = [re.match(r"^\| `(\w+)` \| (\w+) \|", row).groups() for row in rows]
    assert [name for name, _ in names] == list(member_schema["properties"])
    for row, (name, needed) in zip(rows, names):
        expected = "required" if name in member_schema["required"] else ("recommended" if name == "maintainers"
                                                                          else "optional")
        assert needed == expected, name
        (example,) = re.findall(r"<pre>(.*?)</pre>", row)
        assert html.unescape(example.replace("<br>", "\n")) == template.fields[name].example, name
    services = next(row for row in rows if row.startswith("| `services`"))
    assert "(content/_data/services.yml)" in services, "list fields say where their values are"
    assert "the-fields-of-a-profile" in {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
                                         for h in re.findall(r"^## (.+)$", text, re.MULTILINE)}


def test_contributing_table_needs_its_markers():
    with pytest.raises(contributing_table.TableError, match="field-table:begin"):
        contributing_table.with_table("# No markers here\n", "| table |")
    text = f"Before\n{contributing_table.BEGIN}\nold\n{contributing_table.END}\nAfter\n"
    assert contributing_table.with_table(text, "new") == \
        f"Before\n{contributing_table.BEGIN}\nnew\n{contributing_table.END}\nAfter\n"


def test_contributing_has_the_section_the_summary_links_to():
    headings = re.findall(r"^## (.+)$", (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), re.MULTILINE)
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
    assert "if-a-check-finds-a-problem" in anchors


# -- the issue form -----------------------------------------------------------------


def test_committed_issue_form_is_up_to_date():
    committed = (ROOT / issue_form.FORM).read_text(encoding="utf-8")
    assert committed == issue_form.render(issue_form.build_form(ROOT)), \
        "the issue form is out of date: run `PYTHONPATH=plugins .venv/bin/python -m tools.issue_form`"


def by_id_options(fields: list[dict], field_id: str) -> list[str]:
    return next(element for element in fields if element["id"] == field_id)["attributes"]["options"]


def test_issue_form_fields_match_the_schema(member_schema):
    form = yaml.safe_load((ROOT / issue_form.FORM).read_text(encoding="utf-8"))
    assert form["name"] and form["description"]
    fields = [element for element in form["body"] if element["type"] != "markdown"]
    ids = [element["id"] for element in fields]
    assert len(ids) == len(set(ids))
    assert set(member_schema["required"]) <= set(ids)
    assert set(ids) <= set(member_schema["properties"]) | {"request", "profile", "tender", "about", "profile_file"}
    assert form["labels"] == [issue_form.FORM_LABEL]
    assert by_id_options(fields, "request") == list(issue_form.REQUESTS.values())
    assert set(member_schema["properties"]) - issue_form.LEFT_OUT <= set(ids)
    assert set(issue_form.LABELS) <= set(member_schema["properties"])
    vocabularies = load_vocabularies(ROOT)
    by_id = {element["id"]: element for element in fields}
    assert by_id["services"]["attributes"]["multiple"] is True
    assert by_id["services"]["attributes"]["options"] == [t.label for t in vocabularies["services"].terms.values()]
    assert by_id["profile_file"]["attributes"]["render"] == "markdown"
    assert fields[-1]["id"] == "profile_file", "the file is read to the end of the issue"
    for element in fields:
        assert element["type"] in {"input", "textarea", "dropdown", "checkboxes"}
        assert element["attributes"]["label"]
        if element["type"] == "dropdown":
            options = element["attributes"]["options"]
            assert options and len(options) == len(set(options)) and "None" not in options


def test_issue_template_config_points_to_the_guide():
    config = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8"))
    assert isinstance(config["blank_issues_enabled"], bool)
    for link in config["contact_links"]:
        assert link["name"] and link["about"] and link["url"].startswith("https://")
    assert any(link["url"].endswith("/CONTRIBUTING.md") for link in config["contact_links"])


# -- editor help ----------------------------------------------------------------------


def read_jsonc(path: Path):
    """VS Code's settings files allow // comments on their own lines."""
    return json.loads("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                                if not line.lstrip().startswith("//")))


def test_vscode_settings_link_each_folder_to_a_schema_the_build_writes(site):
    schemas = read_jsonc(ROOT / ".vscode/settings.json")["yaml.schemas"]
    assert schemas["./output/data/schemas/member.schema.json"] == "members/*.md"
    for schema in schemas:
        assert (site / schema.removeprefix("./output/")).exists(), schema
    assert read_jsonc(ROOT / ".vscode/extensions.json")["recommendations"] == ["redhat.vscode-yaml"]


def test_vscode_task_puts_make_check_problems_on_their_lines():
    (task,) = read_jsonc(ROOT / ".vscode/tasks.json")["tasks"]
    assert task["command"] == "make check"
    pattern = task["problemMatcher"]["pattern"]
    line = "members/acme.md:7:3: error: services[1]: 'halth' is not a known service"
    match = re.match(pattern["regexp"], line)
    assert match and match.group(pattern["file"]) == "members/acme.md"
    assert (match.group(pattern["line"]), match.group(pattern["column"])) == ("7", "3")
    assert not re.match(pattern["regexp"], "2 errors in 2 files (checked 57 files)")
