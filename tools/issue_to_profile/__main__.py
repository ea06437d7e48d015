"""``python -m tools.issue_to_profile``: turn an issue into a profile change."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from frontmatter.problems import one_line  # noqa: E402
from validation.today import uk_today  # noqa: E402

from tools.issue_to_profile import RequestError, convert, write  # noqa: E402
from tools.issue_to_profile.issue_body import read_body  # noqa: E402

DESCRIPTION = """\
Read the text of an issue made with the member form (.github/ISSUE_TEMPLATE/
add-or-update-member.yml) and write what it asks for: members/<slug>.md (a
new or updated profile, or only its last_verified date), or the member's
slug added to a tender's interested_members in content/tenders/<slug>.md.
The issue's text is untrusted: anything that is not the form's answers is
refused with a message for the person who wrote it, and exit status 1."""


def today_from(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else uk_today()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.issue_to_profile", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("body_file", type=Path, help="a file holding the issue's text (its body)")
    parser.add_argument("--issue", default=os.environ.get("ISSUE_NUMBER", ""),
                        help="the issue's number (default: $ISSUE_NUMBER)")
    parser.add_argument("--title", default=os.environ.get("ISSUE_TITLE", ""),
                        help="the issue's title, shown in what is printed (default: $ISSUE_TITLE)")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: here)")
    parser.add_argument("--today", default=os.environ.get("SITE_TODAY", ""),
                        help="the date for last_verified, YYYY-MM-DD (default: $SITE_TODAY, or today in the UK)")
    parser.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
    args = parser.parse_args(argv)
    issue = f"Issue #{args.issue}" if args.issue else "The issue"
    if args.title:
        issue += f" ({one_line(args.title)[:80]})"
    try:
        today = today_from(args.today)
    except ValueError:
        print(f"error: the date must be written as YYYY-MM-DD, not '{args.today}'")
        return 2
    try:
        change = convert(read_body(args.body_file), args.root, today)
        if change.unchanged:
            print(f"{issue}: nothing to change: {change.summary}.")
            return 0
        if not args.dry_run:
            write(change, args.root)
    except RequestError as error:
        print(f"{issue} could not be turned into a change.\n\n{error}")
        return 1
    print(f"{issue}: {'would write' if args.dry_run else 'wrote'} {change.path}: {change.summary}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
