"""Building the real site for tests, exactly as ``make build`` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_TODAY = "2026-11-22"
SUBPATH = "consortium"


def run_build(output: Path, siteurl: str = "", today: str = SITE_TODAY, root: Path = ROOT,
              settings: str = "pelicanconf.py") -> subprocess.CompletedProcess:
    env = {**os.environ, "SITEURL": siteurl, "SITE_TODAY": today, "PYTHONPATH": str(root / "plugins")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "tools.build", "--settings", settings, "--output", str(output)],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
