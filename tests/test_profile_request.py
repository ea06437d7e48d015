"""The profile-request workflow's steps (tools.profile_request): an issue
becomes its file, checked by make check, handed on to the job that opens
the pull request, or explained in a comment; what is handed on is refused
unless it is one content file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from building import SITE_TODAY
from issue_forms import REQUESTS, issue_body
from tools import profile_request
from tools.synthetic import copy_project

TODAY = dt.date.fromisoformat(SITE_TODAY)
CHECK = [sys.executable, "-m", "validation"]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("PYTHONPATH", str(root / "plugins"))
    monkeypatch.setenv("SITE_TODAY", SITE_TODAY)
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "github-output"))
    return root


def event(tmp_path: Path, body: str, number: int = 42, login: str = "calder-food") -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps({"action": "opened", "issue": {
        "number": number, "title": "Member profile: x", "body": body, "user": {"login": login},
        "labels": [{"name": "member-profile"}]}}), encoding="utf-8")
    return path


def prepare(project: Path, tmp_path: Path, body: str) -> tuple[profile_request.Request, Path]:
    out = tmp_path / "request"
    data, number, _title, author = profile_request.read_event(event(tmp_path, body))
    return profile_request.prepare(project, data, number, author, out, TODAY, CHECK), out


def test_a_good_request_is_handed_on_with_its_file_and_pull_request(project, tmp_path):
    body = issue_body({"request": REQUESTS["tender"], "profile": "disc",
                       "tender": "example-youth-employment-wolverhampton"})
    request, out = prepare(project, tmp_path, body)
    assert (request.status, request.branch, request.path) == (
        "ready", "profile-request/42", "content/tenders/example-youth-employment-wolverhampton.md")
    assert (out / "file").read_bytes() == (project / request.path).read_bytes()
    assert b"  - disc\n" in (out / "file").read_bytes()
    text = (out / "pull-request.md").read_text(encoding="utf-8")
    assert text.startswith("Closes #42\n\nAdd disc to the members interested in content/tenders/")
    assert "from issue #42 by @calder-food" in text
    assert "`make check` found no errors:\n\n```text\n" in text
    assert text.endswith(profile_request.WHY_NO_CHECKS + "\n")
    assert (tmp_path / "github-output").read_text() == "status=ready\n"
    assert profile_request.handed_on(out, "ready") == request


def test_a_refused_request_is_explained_as_plain_text(project, tmp_path):
    body = issue_body({"request": REQUESTS["update"], "profile": "disc", "website": "javascript:alert('@x')"})
    request, out = prepare(project, tmp_path, body)
    assert request.status == "refused"
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("**Your request could not be turned into a pull request yet.**")
    block = comment.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert block.startswith("The profile cannot be published as it is:\n\n- \"Website\": 'javascript:alert('@x')'")
    assert "How to fix it:" in comment
    assert not (out / "file").exists()
    assert (tmp_path / "github-output").read_text() == "status=refused\n"


def test_problems_found_by_make_check_are_explained(project, tmp_path):
    # The converter checks the one file; make check also checks the others.
    case_study = next((project / "case_studies").glob("*.md"))
    case_study.write_text(case_study.read_text(encoding="utf-8").replace("---\n", "---\nunknown_field: 1\n", 1),
                          encoding="utf-8")
    body = issue_body({"request": REQUESTS["update"], "profile": "havs", "phone": "0113 496 0002"})
    request, out = prepare(project, tmp_path, body)
    assert request.status == "problems"
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert f"{case_study.relative_to(project).as_posix()}:2:1: error: unknown_field" in comment
    assert not (out / "file").exists()


def test_a_request_that_changes_nothing_says_so(project, tmp_path):
    body = issue_body({"request": REQUESTS["tender"], "profile": "example-youth-trust",
                       "tender": "example-youth-employment-wolverhampton"})
    request, out = prepare(project, tmp_path, body)
    assert request.status == "unchanged"
    assert "**There is nothing to change:** example-youth-trust is already listed" in \
        (out / "comment.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["../.github/workflows/check.yml", "members/x.md/../../Makefile",
                                  "members/.git", "theme/templates/base.html", "members/x.py"])
def test_the_pushing_job_refuses_any_other_file(tmp_path, path):
    (tmp_path / "request.json").write_text(json.dumps({"status": "ready", "issue": 3, "path": path, "slug": "x",
                                                       "summary": "s"}), encoding="utf-8")
    with pytest.raises(profile_request.StepError, match="is not a file a profile request may change"):
        profile_request.handed_on(tmp_path, "ready")


def test_the_pushing_job_refuses_what_prepare_did_not_write(tmp_path):
    (tmp_path / "request.json").write_text(json.dumps({"status": "ready", "issue": "1; rm -rf /", "path": "x"}))
    with pytest.raises(profile_request.StepError, match="names no issue"):
        profile_request.handed_on(tmp_path)
    (tmp_path / "request.json").write_text(json.dumps({"status": "ready", "issue": 1, "extra": "x"}))
    with pytest.raises(profile_request.StepError, match="is not what the prepare step writes"):
        profile_request.handed_on(tmp_path)


def test_reminders_for_the_profile_are_closed_by_its_pull_request():
    issues = [{"number": 9, "body": "<!-- stale-profile: havs -->\n@x: ..."},
              {"number": 4, "body": "<!-- stale-profile: havs-two -->"}, {"number": 5, "body": None}]
    assert profile_request.reminders_for("havs", issues) == [9]
    assert profile_request.open_pull_request([]) is None
    assert profile_request.open_pull_request([{"number": 12}]) == 12


def test_a_comment_cannot_be_escaped_by_backticks():
    block = profile_request.plain_block("a ```` b")
    assert block.startswith("`````text\n") and block.endswith("\n`````")


def test_the_event_file_gives_only_the_issue(tmp_path):
    data, number, title, author = profile_request.read_event(event(tmp_path, "### x", 5, "not a login!"))
    assert (data, number, title, author) == (b"### x", 5, "Member profile: x", "")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=root,
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()


def test_the_change_is_committed_alone_on_its_branch_and_replaced_when_the_issue_is_edited(project, tmp_path):
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(origin))
    git(project, "init", "--quiet", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "base")
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "--quiet", "origin", "main")
    base = git(project, "rev-parse", "HEAD")
    for phone in ("0113 496 0001", "0113 496 0002"):  # the issue, then the issue edited
        git(project, "checkout", "--quiet", "--force", "main")
        body = issue_body({"request": REQUESTS["update"], "profile": "havs", "phone": phone})
        request, out = prepare(project, tmp_path, body)
        assert request.status == "ready"
        git(project, "checkout", "--quiet", "--force", "main")  # the pushing job's own checkout
        profile_request.commit_and_push(project, profile_request.handed_on(out, "ready"), out)
    assert git(origin, "rev-list", "--count", f"{base}..profile-request/42") == "1"
    assert git(origin, "diff", "--name-only", base, "profile-request/42") == "members/havs.md"
    assert 'phone: "0113 496 0002"' in git(origin, "show", "profile-request/42:members/havs.md")
    assert git(origin, "log", "-1", "--format=%an%n%B", "profile-request/42").startswith(
        "github-actions[bot]\nUpdate the profile members/havs.md\n\nFrom issue #42.")
