"""The Nu HTML Checker (vnu.jar from npm, run with Java) on the whole built site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from building import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(site):
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Java was not found: .ci/run should have installed it")
        pytest.skip("no Java found; the HTML checker needs it")
    assert VNU.exists(), "run make setup: vnu-jar is not installed"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", "--also-check-css",
         str(site)],
        capture_output=True, text=True, timeout=600,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').split(str(site))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors[:40])
    assert result.returncode == 0, result.stderr[:2000]
