"""Small helpers for what a GitHub Actions job shows: annotations and the
job summary. Outside Actions they do nothing, so the tools stay usable
from a terminal."""

from __future__ import annotations

import os
from pathlib import Path


def in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def write_step_summary(markdown: str) -> bool:
    """Append to the job summary ($GITHUB_STEP_SUMMARY); False outside Actions."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(markdown.rstrip("\n") + "\n\n")
    return True
