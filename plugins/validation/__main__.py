"""``python -m validation`` – check all content without building (``make check``).

Exit status: 0 when there is no error (warnings are printed but pass unless
``--strict``), 1 when there is any error, 2 when the project itself is
broken (a vocabulary file, say).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from frontmatter.problems import one_line

from .project import Project
from .today import uk_today
from .report import report_lines
from .vocabularies import VocabularyError


def site_today() -> dt.date:
    value = os.environ.get("SITE_TODAY", "").strip()
    if value:
        return dt.date.fromisoformat(value)
    return uk_today()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="only report on these files (all files are still read)")
    parser.add_argument("--root", default=".", help="the project folder (default: here)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    args = parser.parse_args(argv)
    try:
        today = site_today()
    except ValueError:
        print(f"error: SITE_TODAY must be a date written as YYYY-MM-DD, not '{os.environ['SITE_TODAY']}'")
        return 2
    try:
        project = Project(Path(args.root), today)
    except VocabularyError as error:  # its message names the file: "path: error: ..."
        print(one_line(str(error)))
        return 2
    except KeyError as error:  # a schema names a vocabulary that does not exist
        print(one_line(f"error: {error.args[0]}"))
        return 2
    _, problems, count = project.check_all()
    if args.paths:
        wanted = {Path(p).as_posix().removeprefix("./") for p in args.paths}
        problems = [p for p in problems if p.source in wanted]
    for line in report_lines(problems, count):
        print(line)
    failing = [p for p in problems if p.severity == "error" or args.strict]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
