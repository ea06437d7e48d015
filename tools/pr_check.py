"""Explain a pull request's content check to the person who opened it.

Run by .github/workflows/check.yml after ``make check`` (which prints each
problem as an annotation on its line). This tool adds:

* the job summary: every problem in plain English, grouped by file, the
  files this pull request changed first, with how to fix them;
* a warning (never a failure) for each profile the pull request changes
  whose ``maintainers`` do not include the pull request's author, so that
  nobody changes another member's profile unnoticed.

    python -m tools.pr_check --base <commit> --author <github-login>

Both default to the environment (PR_BASE_SHA, PR_AUTHOR). The maintainers
are read from the base commit, so a pull request that adds its author to a
profile's maintainers is still warned about. Exit status 1 when the content
has errors, as ``make check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from frontmatter.parse import parse_document  # noqa: E402
from frontmatter.problems import ContentError, Problem, github_annotation, one_line  # noqa: E402
from validation.project import Project  # noqa: E402
from validation.report import summary_line  # noqa: E402
from validation.today import uk_today  # noqa: E402
from validation.vocabularies import VocabularyError  # noqa: E402

from tools.codeowners import maintainer_pattern, read_maintainers  # noqa: E402
from tools.github_actions import in_actions, write_step_summary  # noqa: E402

MEMBERS = "members/"
#: The job summary is limited to 1 MiB; a few hundred problems say enough.
MOST_PROBLEMS_LISTED = 200


@dataclass(frozen=True)
class ProfileChange:
    """A member profile that a pull request adds, changes or deletes."""

    source: str  # members/<slug>.md
    maintainers_before: tuple[str, ...] | None  # None: the profile is new
    line: int = 1  # where to show a warning: the maintainers line, if any


# -- who changed which profile -------------------------------------------------

_ITEM = re.compile(r"\[(\d+)\]")
_MARKDOWN_CHARACTER = re.compile(r"([\\`*_{}\[\]()#+!|~])")
#: Both run over field names and values from content (tests/test_patterns.py).
CONTENT_PATTERNS = (_ITEM, _MARKDOWN_CHARACTER)


def ownership_warnings(author: str, changes: list[ProfileChange]) -> list[Problem]:
    """A warning for each changed profile whose maintainers (before the
    change) do not include ``author``. New profiles have no maintainers to
    ask, so they get none. GitHub user names ignore case."""
    warnings = []
    for change in changes:
        before = change.maintainers_before
        if before is None or author.casefold() in {name.casefold() for name in before}:
            continue
        if before:
            names = ", ".join(f"@{name}" for name in before)
            message = (f"@{author} is not one of this profile's maintainers ({names})")
            hint = ("one of them or a site maintainer will check the change before it is accepted; "
                    "if you look after this profile, ask a maintainer to add you")
        else:
            message = "this profile names no maintainers"
            hint = (f"a site maintainer will check the change before it is accepted; if @{author} "
                    f"looks after this organisation's profile, add that name under maintainers")
        warnings.append(Problem(change.source, change.line, 1, "maintainers", message,
                                severity="warning", hint=hint))
    return warnings


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs git; its output comes back as bytes, as a file may not be UTF-8."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


def changed_files(root: Path, base: str) -> list[str]:
    """Files the pull request adds, changes or deletes, compared with where
    it branched from ``base``. Renames count as a deletion and an addition."""
    result = _git(root, "diff", "--name-only", "--no-renames", "-z", f"{base}...HEAD")
    if result.returncode != 0:
        raise RuntimeError(f"git diff against {base} failed: {result.stderr.decode(errors='replace').strip()}")
    return sorted(name for name in result.stdout.decode("utf-8", errors="replace").split("\0") if name)


def profile_changes(root: Path, base: str, changed: list[str]) -> list[ProfileChange]:
    pattern = maintainer_pattern()
    changes = []
    for source in changed:
        if not (source.startswith(MEMBERS) and source.endswith(".md") and "/" not in source[len(MEMBERS):]):
            continue
        shown = _git(root, "show", f"{base}:{source}")
        if shown.returncode != 0:  # not in the base: a new profile
            before = None
        else:
            try:
                meta = parse_document(shown.stdout, source).meta
            except ContentError:
                meta = {}  # unreadable before: nobody to ask but the site's maintainers
            before = tuple(read_maintainers(meta, pattern))
        changes.append(ProfileChange(source, before, _maintainers_line(root / source)))
    return changes


def _maintainers_line(path: Path) -> int:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:  # deleted by the pull request
        return 1
    return next((number for number, line in enumerate(lines, 1) if line.startswith("maintainers:")), 1)


# -- the job summary ---------------------------------------------------------


def plain_field(field: str) -> str:
    """``services[0]`` → ``services (item 1)``; ``sources[1].title`` →
    ``sources (item 2), title``."""
    text = _ITEM.sub(lambda m: f" (item {int(m.group(1)) + 1})", field)
    return text.replace(".", ", ")


def _markdown_text(text: str) -> str:
    """Text from a content file, made safe to show in Markdown: no links,
    tags or formatting of its own."""
    text = html.escape(one_line(text), quote=False)
    return _MARKDOWN_CHARACTER.sub(r"\\\1", text)


def _problem_item(problem: Problem) -> str:
    where = f"Line {problem.line}" + (f", {plain_field(problem.field)}" if problem.field else "")
    what = problem.message + (f"; {problem.hint}" if problem.hint else "")
    kind = "" if problem.severity == "error" else "Warning: "
    return f"- **{_markdown_text(where)}**: {kind}{_markdown_text(what)}"


def summary_markdown(problems: list[Problem], files_checked: int, changed: list[str] | None,
                     help_url: str = "") -> str:
    """The job summary. ``changed`` lists the pull request's files (None
    when unknown: every file is then treated as changed)."""
    errors = [p for p in problems if p.severity == "error"]
    lines = ["## Content check", ""]
    if errors:
        counts = summary_line(problems, files_checked)
        lines.append(f"**Something needs fixing before this change can be accepted.** "
                     f"{counts[0].upper()}{counts[1:]}.")
    elif problems:
        lines.append(f"**No errors.** Please read the warnings below. ({summary_line(problems, files_checked)}.)")
    else:
        lines.append(f"**Everything is fine.** The checks found no problems in the {files_checked} content files.")
    changed_set = set(changed) if changed is not None else None
    mine = [p for p in problems if changed_set is None or p.source in changed_set]
    others = [p for p in problems if changed_set is not None and p.source not in changed_set]
    listed = 0
    for heading, group in (("In the files this pull request changes", mine),
                           ("In other files (not caused by this pull request)", others)):
        if not group:
            continue
        lines += ["", f"### {heading}"]
        for source in sorted({p.source for p in group}):
            if listed == MOST_PROBLEMS_LISTED:
                break
            lines += ["", f"#### {_markdown_text(source)}", ""]
            for problem in sorted(p for p in group if p.source == source)[:MOST_PROBLEMS_LISTED - listed]:
                lines.append(_problem_item(problem))
                listed += 1
    if listed < len(problems):
        lines += ["", f"…and {len(problems) - listed} more: run `make check` to see them all."]
    if errors:
        lines += [
            "", "### How to fix a problem", "",
            "1. Open the **Files changed** tab of this pull request. Each problem is also shown beside its line there.",
            "2. Choose the three dots (**…**) at the top right of the file, then **Edit file**.",
            "3. Make the change, choose **Commit changes…**, then **Commit changes** again. The checks run again by themselves.",
            "",
            "If you cannot see what is wrong, write a comment on this pull request and a maintainer will help.",
        ]
        if help_url:
            lines.append(f"More help, with every field and the values it allows: [the contributing guide]({help_url}).")
    return "\n".join(lines) + "\n"


def ownership_markdown(warnings: list[Problem]) -> str:
    if not warnings:
        return ""
    lines = ["## Who looks after these profiles", "",
             "This pull request changes profiles whose maintainers did not open it. That is allowed, "
             "but the change is checked more carefully before it is accepted.", ""]
    for warning in warnings:
        lines.append(f"- **{_markdown_text(warning.source)}**: {_markdown_text(warning.message)}; "
                     f"{_markdown_text(warning.hint)}.")
    return "\n".join(lines) + "\n"


# -- the command ---------------------------------------------------------------


def help_url_from_environment() -> str:
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    branch = os.environ.get("GITHUB_BASE_REF") or "main"
    if server and repository:
        return f"{server}/{repository}/blob/{branch}/CONTRIBUTING.md#if-a-check-finds-a-problem"
    return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pr_check", description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=os.environ.get("PR_BASE_SHA", ""),
                        help="the commit the pull request is compared with (default: $PR_BASE_SHA)")
    parser.add_argument("--author", default=os.environ.get("PR_AUTHOR", ""),
                        help="the pull request author's GitHub user name (default: $PR_AUTHOR)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this project)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    today_text = os.environ.get("SITE_TODAY", "").strip()
    today = dt.date.fromisoformat(today_text) if today_text else uk_today()
    try:
        _, problems, files_checked = Project(root, today).check_all()
    except (VocabularyError, KeyError) as error:  # the project itself is broken, not a profile
        message = one_line(str(error.args[0] if isinstance(error, KeyError) else error))
        print(f"error: {message}")
        write_step_summary("## Content check\n\n**The site's own files are broken**, so no profile could "
                           f"be checked: {_markdown_text(message)}. A site maintainer needs to fix this.")
        return 2

    changed, warnings = None, []
    if args.base:
        try:
            changed = changed_files(root, args.base)
        except RuntimeError as error:
            print(f"warning: {error}; every file is treated as changed and maintainers are not compared")
        else:
            if args.author:
                warnings = ownership_warnings(args.author, profile_changes(root, args.base, changed))
    for warning in warnings:
        print(warning.format())
        if in_actions():
            print(github_annotation(warning))
    summary = summary_markdown(problems, files_checked, changed, help_url_from_environment())
    summary += ("\n" + ownership_markdown(warnings)) if warnings else ""
    if not write_step_summary(summary):
        print(summary)
    return 1 if any(p.severity == "error" for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
