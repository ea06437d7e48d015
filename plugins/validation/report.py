"""Print problems the way editors and CI read them."""

from __future__ import annotations

import os

from frontmatter.problems import Problem, github_annotation


def summary_line(problems: list[Problem], files_checked: int) -> str:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    files = len({p.source for p in problems})
    parts = [f"{len(errors)} error{'s' if len(errors) != 1 else ''}"]
    if warnings:
        parts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    checked = f"checked {files_checked} file{'s' if files_checked != 1 else ''}"
    if not problems:
        return f"no problems ({checked})"
    return f"{' and '.join(parts)} in {files} file{'s' if files != 1 else ''} ({checked})"


def report_lines(problems: list[Problem], files_checked: int, github: bool | None = None) -> list[str]:
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    lines = [problem.format() for problem in problems]
    if github:
        lines += [github_annotation(problem) for problem in problems]
    lines.append(summary_line(problems, files_checked))
    return lines
