"""A symbolic link in a published folder cannot pull files from outside the
repository into the site: ``make check`` and the build both refuse it,
naming it, and the previous ``output/`` stays as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from building import run_build
from test_build import snapshot
from test_hostile_content import make_check
from tools.synthetic import copy_project
from validation.tree import symbolic_link_problems

SECRET = "SECRET-7d1f-do-not-publish"
FOLDER_MESSAGE = ("this folder is a symbolic link, which would publish whatever it points to; remove the link and "
                  "put the files themselves there")
FILE_MESSAGE = ("this file is a symbolic link, which would publish whatever it points to; remove the link and "
                "put the file itself there")
EVENT = """---
title: Example secret event
summary: An example event kept outside the repository, made up for the tests. {secret}
start: 2026-03-10 10:00
end: 2026-03-10 12:00
example: true
---
{secret}
"""


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A copy of the project, built once, and a folder outside it holding the secret."""
    base = tmp_path_factory.mktemp("links")
    project = copy_project(base / "project")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    shutil.copytree(project / "content" / "events", outside / "events")
    (outside / "events" / "example-secret-event.md").write_text(EVENT.format(secret=SECRET), encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[remote]\n\turl = https://{SECRET}@example.org/\n", encoding="utf-8")
    output = project / "output"
    first = run_build(output, root=project)
    assert first.returncode == 0, first.stdout + first.stderr
    return project, outside, snapshot(output)


def _link_events_folder(project: Path, outside: Path) -> Path:
    events = project / "content" / "events"
    shutil.rmtree(events)
    events.symlink_to(outside / "events", target_is_directory=True)
    return events


def _link_static_file_outside(project: Path, outside: Path) -> Path:
    link = project / "theme" / "static" / "css" / "extra.css"
    link.symlink_to(outside / "secret.txt")
    return link


def _link_static_file_to_git_config(project: Path, outside: Path) -> Path:
    link = project / "theme" / "static" / "config.txt"
    link.symlink_to(project / ".git" / "config")
    return link


@pytest.mark.parametrize("make_link,source,message", [
    (_link_events_folder, "content/events", FOLDER_MESSAGE),
    (_link_static_file_outside, "theme/static/css/extra.css", FILE_MESSAGE),
    (_link_static_file_to_git_config, "theme/static/config.txt", FILE_MESSAGE),
], ids=["folder-to-outside", "static-file-to-outside", "static-file-to-git-config"])
def test_a_symbolic_link_is_refused_by_make_check_and_the_build(built_project, make_link, source, message):
    project, outside, before = built_project
    events = project / "content" / "events"
    kept = project.parent / "events-kept"
    shutil.copytree(events, kept)
    link = make_link(project, outside)
    try:
        expected = f"{source}:1:1: error: {message}"
        checked = make_check(project)
        assert checked.returncode == 1
        assert expected in checked.stdout.splitlines()
        assert "Traceback" not in checked.stdout + checked.stderr

        built = run_build(project / "output", root=project)
        assert built.returncode == 1
        assert expected in built.stdout.splitlines()
        assert "previous output/ is unchanged" in built.stdout
        assert "Traceback" not in built.stdout + built.stderr
        assert snapshot(project / "output") == before
        published = b"".join(p.read_bytes() for p in (project / "output").rglob("*") if p.is_file())
        assert SECRET.encode() not in published
        assert not list(project.glob(".output.*")), "the staging folder was left behind"
    finally:
        link.unlink()
        if not events.exists():
            shutil.copytree(kept, events)
        shutil.rmtree(kept)


def test_every_kind_of_link_in_a_published_folder_is_named(tmp_path):
    outside = tmp_path / "outside"
    (outside / "static").mkdir(parents=True)
    (outside / "services.yml").write_text("[]\n", encoding="utf-8")
    project = tmp_path / "project"
    for folder in ("members", "content/_data", "content/guides", "tools/templates"):
        (project / folder).mkdir(parents=True)
    (project / "theme").symlink_to(outside / "static", target_is_directory=True)  # the folder itself
    (project / "content" / "_data" / "services.yml").symlink_to(outside / "services.yml")
    (project / "content" / "guides" / "gone.md").symlink_to(outside / "no-such-file.md")  # dangling
    (project / "members" / "example-trust.md").symlink_to(outside / "services.yml")  # check_file names it
    (project / "tools" / "templates" / "member.md").symlink_to(outside / "services.yml")
    assert [(p.source, p.message.split(",")[0]) for p in symbolic_link_problems(project)] == [
        ("content/_data/services.yml", "this file is a symbolic link"),
        ("content/guides/gone.md", "this file is a symbolic link"),
        ("theme", "this folder is a symbolic link"),
        ("tools/templates/member.md", "this file is a symbolic link"),
    ]
