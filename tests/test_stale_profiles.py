"""The weekly reminders (python -m tools.stale_profiles): profiles made stale
by a fixed today get one issue each, addressed to their maintainers, linking
to the editor, and never a second one while the first is open."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from building import ROOT, SITE_TODAY
from tools import stale_profiles
from tools.synthetic import copy_project

SITE = "https://example.org/consortium"


def with_date(path: Path, date: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"last_verified: {SITE_TODAY}", f"last_verified: {date}"), encoding="utf-8")


def test_only_profiles_checked_more_than_twelve_months_ago_are_stale(tmp_path):
    project = copy_project(tmp_path / "project")
    with_date(project / "members/example-youth-trust.md", "2025-11-21")  # a year and a day
    with_date(project / "members/disc.md", "2025-11-22")  # exactly twelve months: not yet
    with_date(project / "members/havs.md", "2024-06-01")
    today = dt.date(2026, 11, 22)
    stale = stale_profiles.stale_profiles(project, today)
    assert [(slug, verified.isoformat()) for slug, verified, _ in stale] == [
        ("havs", "2024-06-01"), ("example-youth-trust", "2025-11-21")]
    assert stale_profiles.stale_profiles(ROOT, today) == []  # the real content is current...
    later = stale_profiles.stale_profiles(ROOT, dt.date(2027, 11, 23))  # ...until a year and a day later
    assert sorted(slug for slug, _, _ in later) == sorted(path.stem for path in (ROOT / "members").glob("*.md"))


def test_a_reminder_is_addressed_to_the_maintainers_and_links_to_the_editor(tmp_path):
    project = copy_project(tmp_path / "project")
    with_date(project / "members/example-youth-trust.md", "2025-01-10")
    with_date(project / "members/havs.md", "2025-01-10")
    reminders = {item.slug: item for item in stale_profiles.reminders(project, dt.date(2026, 11, 22), SITE + "/")}
    trust = reminders["example-youth-trust"]
    assert trust.title == "Please check the profile of Example Youth Trust (last checked 2025-01-10)"
    first, addressed = trust.body.split("\n")[:2]
    assert first == "<!-- stale-profile: example-youth-trust -->" == trust.marker
    assert addressed == ("@example-user: the profile of **Example Youth Trust** was last checked on 2025-01-10, "
                         "more than 12 months ago.")
    assert f"]({SITE}/contribute/profile/?member=example-youth-trust)" in trust.body
    # A profile that names no maintainers is the site maintainers' to check.
    assert reminders["havs"].body.split("\n")[1].startswith("@example-consortium/site-maintainers: ")
    assert "**Harrow Association of Voluntary Services \\(HAVS\\)**" in reminders["havs"].body


def test_a_name_cannot_add_markdown_or_mentions_to_a_reminder():
    item = stale_profiles.reminder("x", dt.date(2020, 1, 1), {"name": "[Click](https://evil.example) @someone"},
                                   SITE, ["@site"])
    assert "\\[Click\\]\\(https://evil.example\\) @\u200bsomeone" in item.body


def test_no_second_reminder_while_one_is_open(tmp_path):
    project = copy_project(tmp_path / "project")
    for slug in ("disc", "havs", "westbank"):
        with_date(project / f"members/{slug}.md", "2024-01-01")
    wanted = stale_profiles.reminders(project, dt.date(2026, 11, 22), SITE)
    open_issues = [{"number": 7, "body": "Someone wrote about <!-- stale-profile: havs --> here"},
                   {"number": 8, "body": None}]
    assert [item.slug for item in stale_profiles.still_to_open(wanted, open_issues)] == ["disc", "westbank"]

    issues = tmp_path / "open.json"
    issues.write_text(json.dumps(open_issues), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tools.stale_profiles", "--root", str(project), "--today", "2026-11-22",
         "--site-url", SITE, "--open-issues", str(issues)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")}, capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == ("3 profile(s) last checked before 2025-11-22; 1 already have an open "
                                             "reminder; 2 to open.")
    assert "members/westbank.md" in result.stdout and "members/havs.md" not in result.stdout


def test_the_site_address_defaults_to_github_pages(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("GITHUB_REPOSITORY", "Example-Consortium/directory")
    assert stale_profiles.default_site_url() == "https://example-consortium.github.io/directory"
    monkeypatch.setenv("SITE_URL", "https://members.example.org")
    assert stale_profiles.default_site_url() == "https://members.example.org"
