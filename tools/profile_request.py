"""The steps of .github/workflows/profile-request.yml, kept here to be tested.

    python -m tools.profile_request prepare --event-file "$GITHUB_EVENT_PATH" --out DIR
    python -m tools.profile_request propose --out DIR     # needs GH_TOKEN
    python -m tools.profile_request explain --out DIR     # needs GH_TOKEN

``prepare`` runs with a read-only token: it turns the issue into its one file
change (tools.issue_to_profile), writes it, runs ``make check``, and leaves
in DIR what the next job needs: ``request.json`` (the outcome, the issue,
the file), the file itself under ``file``, and ``pull-request.md`` or
``comment.md``. It also writes ``status=ready|refused|problems|unchanged``
to $GITHUB_OUTPUT. It exits 0 whenever the outcome is known, so the
workflow can tell the member.

``propose`` runs in a job that may push: it copies the file (only ever
``members/<slug>.md`` or ``content/tenders/<slug>.md``) into its own
checkout, commits it on the branch ``profile-request/<issue>``, pushes it
(forced, so an edited issue replaces its earlier change) and opens the pull
request, or updates the one already open. It needs only git, the GitHub CLI
and Python's standard library, not the project's packages.

``explain`` comments on the issue with ``comment.md``: the problems in plain
English and how to fix them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What prepare may hand on, and propose may write: one content file.
CHANGEABLE = re.compile(r"(members|content/tenders)/[a-z0-9]+(-[a-z0-9]+)*\.md")
BRANCH_PREFIX = "profile-request/"
REMINDER_LABEL = "profile-reminder"  # tools.stale_profiles.LABEL
_MARKER = "<!-- stale-profile: {slug} -->"  # tools.stale_profiles.marker
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
#: Runs of backticks, to fence a text in a longer run.
_BACKTICKS = re.compile(r"`++")
#: Run over an issue's text and the converter's answer, each whole (fullmatch) or consuming what it
#: matches (findall), so linear.
CONTENT_PATTERNS = (CHANGEABLE, _LOGIN, _BACKTICKS)
#: Largest event file read (GitHub's issue bodies are at most 65,536 characters).
MAX_EVENT_BYTES = 8 * 1024 * 1024
WORKFLOW = ".github/workflows/profile-request.yml"
HOW_TO_FIX = """\
**How to fix it:** open the menu (**…**) at the top right of this issue, choose **Edit**, correct the \
answers and choose **Update comment**. The request is checked again by itself. If you used the site's \
profile editor, you can also make the correction there and paste the new file under "Profile file".

If you are stuck, write a comment here and one of the site's maintainers will help."""
WHY_NO_CHECKS = """\
GitHub does not start other workflows for a pull request opened with a workflow's own token (so that \
workflows cannot set each other off without end), so the usual checks of `check.yml` and `deploy.yml` may \
not show here. `make check` ran on this change before the pull request was opened (above). To run the \
usual checks too, a maintainer can close this pull request and reopen it, or set the \
`PROFILE_REQUEST_TOKEN` secret (see the README)."""


class StepError(Exception):
    """A step that cannot go on, with the reason."""


@dataclass(frozen=True)
class Request:
    """What prepare hands on to the next job (request.json)."""

    status: str  # ready, refused, problems or unchanged
    issue: int
    path: str = ""
    slug: str = ""
    summary: str = ""

    @property
    def branch(self) -> str:
        return f"{BRANCH_PREFIX}{self.issue}"


# -- prepare (read-only) ---------------------------------------------------------------------


def read_event(path: Path) -> tuple[bytes, int, str, str]:
    """(body as bytes, number, title, author) of the issue in a GitHub event file."""
    with open(path, "rb") as file:
        raw = file.read(MAX_EVENT_BYTES + 1)
    if len(raw) > MAX_EVENT_BYTES:
        raise StepError("the event file is far larger than any issue")
    issue = json.loads(raw).get("issue") or {}
    number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise StepError("the event names no issue")
    author = (issue.get("user") or {}).get("login") or ""
    body = issue.get("body") or ""
    return body.encode("utf-8"), number, str(issue.get("title") or ""), author if _LOGIN.fullmatch(author) else ""


def plain_block(text: str) -> str:
    """Text shown exactly as it is in a comment: a fenced block longer than
    any run of backticks in it, so nothing in it is Markdown, a link or a
    mention."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def refused_comment(message: str) -> str:
    return "\n\n".join(["**Your request could not be turned into a pull request yet.** This is what needs "
                        "changing:", plain_block(message), HOW_TO_FIX, f"<sub>From `{WORKFLOW}`.</sub>"]) + "\n"


def problems_comment(summary: str, check_output: str) -> str:
    return "\n\n".join([f"**Your request could not be turned into a pull request yet.** The change ({summary}) "
                        f"was made, but `make check`, the same check every pull request gets, found problems. "
                        f"Each line names the file, the line and the field:", plain_block(check_output),
                        HOW_TO_FIX, f"<sub>From `{WORKFLOW}`.</sub>"]) + "\n"


def unchanged_comment(summary: str) -> str:
    return (f"**There is nothing to change:** {summary}. If you meant something else, edit the issue (the menu "
            f"**…** at its top right, then **Edit**) and it is checked again.\n\n<sub>From `{WORKFLOW}`.</sub>\n")


def pull_request_body(request: Request, author: str, check_output: str) -> str:
    asked = f" by @{author}" if author else ""
    return "\n\n".join([
        f"Closes #{request.issue}",
        f"{request.summary}. Made automatically from issue #{request.issue}{asked} by `{WORKFLOW}`; "
        f"the issue's text was used only as data.",
        "`make check` found no errors:", plain_block(check_output or "(no output)"),
        "A maintainer reviews the change as any other (`.github/CODEOWNERS` asks the profile's maintainers). "
        "Editing the issue updates this pull request.",
        WHY_NO_CHECKS,
    ]) + "\n"


def uk_today() -> dt.date:
    sys.path.insert(0, str(ROOT / "plugins"))
    from validation.today import uk_today as today_in_the_uk

    return today_in_the_uk()


def prepare(root: Path, body: bytes, issue: int, author: str, out: Path, today: dt.date,
            check_command: list[str]) -> Request:
    """Make the change in ``root`` and write what the next job needs to ``out``."""
    # Imported here: propose and explain run on the runner's Python without
    # the project's packages, which this needs.
    sys.path.insert(0, str(ROOT / "plugins"))
    from tools.issue_to_profile import RequestError, convert, write
    from tools.issue_to_profile.issue_body import decode_body

    out.mkdir(parents=True, exist_ok=True)
    try:
        change = convert(decode_body(body), root, today)
        if not change.unchanged:
            write(change, root)
    except RequestError as error:
        request = Request("refused", issue)
        print(f"Issue #{issue} could not be turned into a change.\n\n{error}")
        (out / "comment.md").write_text(refused_comment(str(error)), encoding="utf-8")
        return _hand_on(request, out)
    if change.unchanged:
        request = Request("unchanged", issue, change.path, change.slug, change.summary)
        print(f"Issue #{issue}: nothing to change: {change.summary}.")
        (out / "comment.md").write_text(unchanged_comment(change.summary), encoding="utf-8")
        return _hand_on(request, out)
    print(f"Issue #{issue}: wrote {change.path}: {change.summary}. Running {shlex.join(check_command)}:")
    check = subprocess.run(check_command, cwd=root, capture_output=True, text=True, errors="replace")
    output = (check.stdout + check.stderr).strip()
    print(output)
    if check.returncode != 0:
        request = Request("problems", issue, change.path, change.slug, change.summary)
        (out / "comment.md").write_text(problems_comment(change.summary, output), encoding="utf-8")
        return _hand_on(request, out)
    request = Request("ready", issue, change.path, change.slug, change.summary)
    (out / "file").write_bytes((root / change.path).read_bytes())
    (out / "pull-request.md").write_text(pull_request_body(request, author, output), encoding="utf-8")
    return _hand_on(request, out)


def _hand_on(request: Request, out: Path) -> Request:
    (out / "request.json").write_text(json.dumps(asdict(request), indent=2) + "\n", encoding="utf-8")
    github_output = os.environ.get("GITHUB_OUTPUT")
    if github_output:
        with open(github_output, "a", encoding="utf-8") as file:
            file.write(f"status={request.status}\n")
    return request


# -- propose and explain (they may write to GitHub) ------------------------------------------------


def handed_on(out: Path, status: str | None = None) -> Request:
    """request.json, refused unless it is exactly what prepare writes."""
    try:
        data = json.loads((out / "request.json").read_text(encoding="utf-8"))
        request = Request(**data)
    except (OSError, ValueError, TypeError) as error:
        raise StepError(f"{out / 'request.json'} is not what the prepare step writes ({error})")
    if not isinstance(request.issue, int) or isinstance(request.issue, bool) or request.issue <= 0:
        raise StepError("request.json names no issue")
    if status and request.status != status:
        raise StepError(f"the request is '{request.status}', not '{status}'")
    if request.status == "ready" and not CHANGEABLE.fullmatch(request.path):
        raise StepError(f"'{request.path}' is not a file a profile request may change")
    return request


def run(command: list[str], root: Path, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=root, check=True, text=True, **options)


def reminders_for(slug: str, open_issues: list[dict]) -> list[int]:
    """Open reminder issues (tools.stale_profiles) for this profile."""
    marker = _MARKER.format(slug=slug)
    return sorted(issue["number"] for issue in open_issues
                  if isinstance(issue, dict) and isinstance(issue.get("number"), int)
                  and marker in (issue.get("body") or ""))


def open_pull_request(pull_requests: list[dict]) -> int | None:
    """The number of the open pull request from the request's branch, if any."""
    numbers = [pr["number"] for pr in pull_requests if isinstance(pr, dict) and isinstance(pr.get("number"), int)]
    return min(numbers) if numbers else None


def propose(root: Path, out: Path) -> int:
    request = handed_on(out, "ready")
    commit_and_push(root, request, out)
    opened = open_or_update_pull_request(root, request, out)
    print(f"{'Opened' if opened else 'Updated'} the pull request from {request.branch}: {request.summary}")
    return 0


def commit_and_push(root: Path, request: Request, out: Path) -> None:
    """Commit the one file on the request's branch, made afresh from the
    checked-out commit, and force-push it over any earlier version."""
    target = root / request.path
    if target.is_symlink() or target.parent.is_symlink():
        raise StepError(f"{request.path} is a symbolic link")
    target.write_bytes((out / "file").read_bytes())
    identity = ["-c", "user.name=github-actions[bot]",
                "-c", "user.email=41898282+github-actions[bot]@users.noreply.github.com"]
    run(["git", "checkout", "--quiet", "-B", request.branch], root)
    run(["git", "add", "--", request.path], root)
    run(["git", *identity, "commit", "--quiet", "-m", f"{request.summary}\n\nFrom issue #{request.issue}."], root)
    # The token reaches git only through the GitHub CLI, for this push.
    run(["git", "-c", "credential.helper=", "-c", "credential.helper=!gh auth git-credential",
         "push", "--quiet", "--force", "origin", f"HEAD:refs/heads/{request.branch}"], root)


def open_or_update_pull_request(root: Path, request: Request, out: Path) -> bool:
    """Open the pull request, or update the one open from the branch;
    True if it was opened."""
    body = (out / "pull-request.md").read_text(encoding="utf-8")
    reminders = json.loads(run(["gh", "issue", "list", "--state", "open", "--label", REMINDER_LABEL,
                                "--limit", "1000", "--json", "number,body"], root, capture_output=True).stdout)
    closes = reminders_for(request.slug, reminders) if request.path.startswith("members/") else []
    if closes:
        body = body.replace(f"Closes #{request.issue}",
                            ", ".join([f"Closes #{request.issue}"] + [f"closes #{n}" for n in closes]), 1)
    title = f"{request.summary} (#{request.issue})"
    existing = open_pull_request(json.loads(run(["gh", "pr", "list", "--state", "open", "--head", request.branch,
                                                 "--json", "number"], root, capture_output=True).stdout))
    if existing is None:
        run(["gh", "pr", "create", "--head", request.branch, "--title", title, "--body-file", "-"], root,
            input=body)
        return True
    run(["gh", "pr", "edit", str(existing), "--title", title, "--body-file", "-"], root, input=body)
    return False


def explain(root: Path, out: Path) -> int:
    request = handed_on(out)
    if request.status == "ready":
        raise StepError("the request is ready: there is nothing to explain")
    run(["gh", "issue", "comment", str(request.issue), "--body-file", str(out / "comment.md")], root)
    print(f"Commented on issue #{request.issue} ({request.status}).")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.profile_request", description=__doc__.split("\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    first = steps.add_parser("prepare", help="turn the issue into its change and run make check (read-only)")
    first.add_argument("--event-file", type=Path, help="the GitHub event ($GITHUB_EVENT_PATH)")
    first.add_argument("--body-file", type=Path, help="instead of --event-file: the issue's text")
    first.add_argument("--issue", type=int, default=0, help="with --body-file: the issue's number")
    first.add_argument("--check-command", default="make check", help="the check to run (default: make check)")
    first.add_argument("--today", default=os.environ.get("SITE_TODAY", ""), help="YYYY-MM-DD (default: today in the UK)")
    for name, text in (("propose", "commit, push and open or update the pull request"),
                       ("explain", "comment on the issue with what needs fixing")):
        steps.add_parser(name, help=text)
    for step in steps.choices.values():
        step.add_argument("--out", type=Path, required=True, help="the folder prepare writes and the others read")
        step.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: here)")
    args = parser.parse_args(argv)
    try:
        if args.step == "prepare":
            today = dt.date.fromisoformat(args.today) if args.today else uk_today()
            if args.event_file:
                body, issue, _title, author = read_event(args.event_file)
            elif args.body_file and args.issue > 0:
                body, issue, author = args.body_file.read_bytes()[:2 * 1024 * 1024], args.issue, ""
            else:
                parser.error("give --event-file, or --body-file with --issue")
            prepare(args.root, body, issue, author, args.out, today, shlex.split(args.check_command))
            return 0
        return propose(args.root, args.out) if args.step == "propose" else explain(args.root, args.out)
    except (StepError, OSError, ValueError, subprocess.CalledProcessError) as error:
        print(f"error: {args.step}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
