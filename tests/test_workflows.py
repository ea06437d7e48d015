"""The GitHub Actions workflows are locked down (issue 19) and wired as the
README says (issue 17): zizmor, run offline, finds nothing; every action is
pinned by commit with its release beside it; every job has a time limit and
only the permissions it needs; no checkout keeps the token; no untrusted
value is pasted into a command; the build and the check are stopped with a
message far past their normal time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from building import ROOT

WORKFLOWS = ROOT / ".github/workflows"
PATHS = sorted(WORKFLOWS.glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")
#: The permissions a job may have beyond reading the repository, by workflow.
WRITES = {
    "deploy.yml": {"deploy": {"pages": "write", "id-token": "write"}},
    "profile-request.yml": {"prepare": {"contents": "read"},
                            "propose": {"contents": "write", "pull-requests": "write", "issues": "read"},
                            "explain": {"issues": "write"}},
    "stale-profiles.yml": {"remind": {"contents": "read", "issues": "write"}},
}


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return workflow


def steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def test_zizmor_finds_nothing_offline():
    assert ZIZMOR.exists(), "zizmor is installed by make setup (requirements.txt)"
    result = subprocess.run([str(ZIZMOR), "--offline", "--no-config", "--persona=pedantic", "--no-progress",
                             "--color=never", "--format=plain", str(WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"zizmor found problems in the workflows:\n{result.stdout}{result.stderr}"
    assert "No findings to report" in result.stdout


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_commit_with_its_release_beside_it(path):
    uses = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_every_job_has_a_time_limit_and_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] in ({}, {"contents": "read"}), "the default is read-only or nothing"
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 20, name
        expected = WRITES.get(path.name, {}).get(name)
        assert job.get("permissions", workflow["permissions"]) == (expected or workflow["permissions"]), name
        if "permissions" not in job:
            assert workflow["permissions"] == {"contents": "read"}, f"{name} needs permissions of its own"


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.name)
def test_no_checkout_keeps_the_token_and_no_command_has_an_expression(path):
    for name, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, name
        assert "${{" not in step.get("run", ""), f"{name}: pass values to commands through env"


def test_the_build_and_the_check_stop_with_a_message_far_past_their_normal_time():
    build = next(step for _, step in steps(load(WORKFLOWS / "deploy.yml")) if step.get("name") == "Build")
    assert build["run"].startswith("python3 -m tools.time_limit --minutes 10 ")
    assert build["run"].endswith("-- make build")
    check = next(step for _, step in steps(load(WORKFLOWS / "check.yml")) if "make check" in step.get("run", ""))
    assert check["run"].startswith("python3 -m tools.time_limit --minutes 5 ")
    for name in ("deploy.yml", "check.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "Normal times:" in text, f"{name} says what its normal times are"


def test_profile_requests_run_only_for_the_forms_issues_and_never_read_the_body_from_an_expression():
    workflow = load(WORKFLOWS / "profile-request.yml")
    assert workflow["on"] == {"issues": {"types": ["opened", "edited"]}}
    jobs = workflow["jobs"]
    assert "contains(github.event.issue.labels.*.name, 'member-profile')" in jobs["prepare"]["if"]
    text = (WORKFLOWS / "profile-request.yml").read_text(encoding="utf-8")
    assert "issue.body" not in text and "issue.title" not in text, "the issue's text arrives as the event file"
    prepare = next(step for step in jobs["prepare"]["steps"] if step.get("id") == "prepare")
    assert "--event-file \"$GITHUB_EVENT_PATH\"" in prepare["run"] and "env" not in prepare
    assert jobs["propose"]["if"] == "needs.prepare.outputs.status == 'ready'"
    for job in ("propose", "explain"):
        with_token = [step for step in jobs[job]["steps"] if "GH_TOKEN" in step.get("env", {})]
        assert len(with_token) == 1, "the token is given to one step only"
        assert with_token[0]["run"].startswith("python3 -m tools.profile_request ")


def test_reminders_run_weekly_and_by_hand():
    workflow = load(WORKFLOWS / "stale-profiles.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    minute, hour, day, month, weekday = workflow["on"]["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    runs = [step.get("run", "") for _, step in steps(workflow)]
    assert any("--label profile-reminder" in run for run in runs)
    assert any(run.startswith(".venv/bin/python -m tools.stale_profiles --open-issues ") for run in runs)
