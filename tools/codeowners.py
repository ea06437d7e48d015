"""Write .github/CODEOWNERS from the profiles' ``maintainers``.

    make codeowners                              # write .github/CODEOWNERS
    python -m tools.codeowners --check           # exit 1 if it is out of date (main)
    python -m tools.codeowners --check --warn    # only warn (pull requests)

A pull request that adds a profile with its maintainers (as the template
asks) always makes the committed file out of date, so on pull requests the
check only warns and tells the reviewer what to do; on main it fails.

Each member's maintainers own its profile (``/members/<slug>.md``), so that
GitHub asks them to review every change to it. The site's maintainers,
listed in .github/site-maintainers.yml, own everything else, and every
profile too: GitHub only counts a code owner who has write access to the
repository, and members usually work from forks without it. A profile line
naming only its member's accounts would then leave the profile with no
valid owner at all (the last matching line wins, so ``*`` no longer
applies), and with branch protection requiring code owners' review nobody
could approve a change to it. With both, one approval from any of them is
enough; the pull-request check warns when the author is not one of the
profile's maintainers. GitHub reads CODEOWNERS from the pull request's base
branch, so a pull request cannot make itself the owner of a profile.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from frontmatter.parse import read_document  # noqa: E402
from frontmatter.problems import ContentError  # noqa: E402
from validation.collection import SLUG  # noqa: E402
from validation.schemas import SCHEMA_FOLDER  # noqa: E402

from tools.github_actions import in_actions, write_step_summary  # noqa: E402

CODEOWNERS = Path(".github/CODEOWNERS")
SITE_MAINTAINERS = Path(".github/site-maintainers.yml")
MEMBERS = Path("members")
#: A GitHub account or team as CODEOWNERS writes it: @name or @org/team.
OWNER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]++)?$")
#: Runs over maintainers from content (tests/test_patterns.py); so does the
#: schema's pattern, which is timed with the other schema patterns.
CONTENT_PATTERNS = (OWNER,)


class OwnersError(Exception):
    """A setting is wrong; the message names the file."""


def maintainer_pattern() -> re.Pattern:
    """The member schema's rule for a GitHub user name (one source)."""
    schema = json.loads((SCHEMA_FOLDER / "member.schema.json").read_text(encoding="utf-8"))
    return re.compile(schema["properties"]["maintainers"]["items"]["pattern"])


def site_maintainers(root: Path) -> list[str]:
    path = root / SITE_MAINTAINERS
    try:
        owners = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OwnersError(f"{SITE_MAINTAINERS}: missing; it lists the site's maintainers, "
                          f"for example - \"@your-organisation/site-maintainers\"") from None
    except yaml.YAMLError as error:
        raise OwnersError(f"{SITE_MAINTAINERS}: not valid YAML: {error}") from None
    if not isinstance(owners, list) or not owners:
        raise OwnersError(f"{SITE_MAINTAINERS}: must be a list of at least one @account or @org/team")
    wrong = [str(owner) for owner in owners if not isinstance(owner, str) or not OWNER.match(owner)]
    if wrong:
        raise OwnersError(f"{SITE_MAINTAINERS}: {', '.join(wrong)}: each owner is written "
                          f"@account or @org/team, in quotes")
    return owners


def read_maintainers(meta: dict, pattern: re.Pattern | None = None) -> list[str]:
    """The valid maintainers in a profile's front matter, each once (GitHub
    names ignore case). Invalid entries are left to ``make check``."""
    pattern = pattern or maintainer_pattern()
    value = meta.get("maintainers")
    if not isinstance(value, list):
        return []
    seen, owners = set(), []
    for name in value:
        if isinstance(name, str) and pattern.match(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            owners.append(name)
    return owners


def profile_owners(root: Path) -> list[tuple[str, list[str]]]:
    """``(path in the repository, maintainers)`` for every profile that names
    any, in file-name order."""
    pattern = maintainer_pattern()
    owners = []
    for path in sorted((root / MEMBERS).glob("*.md")):
        if not SLUG.match(path.stem):
            continue  # make check reports the file name
        try:
            meta = read_document(path, f"{MEMBERS.as_posix()}/{path.name}").meta
        except ContentError:
            continue  # make check reports the broken file
        maintainers = read_maintainers(meta, pattern)
        if maintainers:
            owners.append((f"{MEMBERS.as_posix()}/{path.name}", maintainers))
    return owners


def profile_line_owners(maintainers: list[str], default_owners: list[str]) -> list[str]:
    """A profile's owners: its maintainers, then the site's maintainers, each
    once (GitHub names ignore case)."""
    owners, seen = [], set()
    for owner in ["@" + name for name in maintainers] + default_owners:
        if owner.casefold() not in seen:
            seen.add(owner.casefold())
            owners.append(owner)
    return owners


def render(default_owners: list[str], profiles: list[tuple[str, list[str]]]) -> str:
    lines = [
        "# Who must approve changes: GitHub asks these owners to review a pull request",
        "# that touches their files, and branch protection can require their approval.",
        "#",
        "# Generated by `make codeowners` from the `maintainers` of each profile in",
        f"# {MEMBERS.as_posix()}/ and from {SITE_MAINTAINERS.as_posix()}. Do not edit by hand: the tests",
        "# and every push to main fail when this file is out of date (pull requests warn).",
        "",
        "# The site's maintainers own everything.",
        f"* {' '.join(default_owners)}",
        "",
    ]
    if profiles:
        lines += [
            "# Each member's maintainers own its profile as well. The last matching rule wins,",
            "# so each line names the site's maintainers again: GitHub only counts owners with",
            "# write access, which a member's accounts do not have until they are given it.",
        ]
        lines += [f"/{path} {' '.join(profile_line_owners(names, default_owners))}" for path, names in profiles]
    else:
        lines.append("# No profile names maintainers yet.")
    return "\n".join(lines) + "\n"


def expected(root: Path) -> str:
    return render(site_maintainers(root), profile_owners(root))


OUT_OF_DATE_SUMMARY = """\
### The list of profile owners needs updating

This pull request changes who maintains a profile, so `.github/CODEOWNERS`,
the file that tells GitHub whose review each profile needs, must be
regenerated. **If you are proposing a profile, you do not need to do anything:**
this is a note for the site's maintainers, not a problem with your change.

For the site's maintainers: run `make codeowners` and commit `.github/CODEOWNERS`,
to this pull request's branch before merging or to main straight after. The same
check fails on main until it is done. Give each new maintainer write access to
the repository: GitHub only asks code owners with write access to review.
"""
#: The warning on a pull request (one line: it becomes a workflow annotation).
OUT_OF_DATE_WARNING = ("this pull request changes the profiles' maintainers, so .github/CODEOWNERS needs "
                       "regenerating. Nothing to do if you are proposing a profile; a site maintainer runs "
                       "`make codeowners` and commits the result before or right after merging")


def annotation(message: str) -> str:
    """A workflow warning on .github/CODEOWNERS; Actions reads % and newlines
    in the message as escapes."""
    text = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::warning file={CODEOWNERS.as_posix()},line=1,title=Profile owners out of date::{text}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make codeowners", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if .github/CODEOWNERS is out of date")
    parser.add_argument("--warn", action="store_true",
                        help="with --check: report an out-of-date file as a warning and exit 0 (pull requests)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this project)")
    args = parser.parse_args(argv)
    if args.warn and not args.check:
        parser.error("--warn goes with --check")
    root = args.root.resolve()
    try:
        text = expected(root)
    except OwnersError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    target = root / CODEOWNERS
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if args.check:
        if current == text:
            print(f"{CODEOWNERS} is up to date.")
            return 0
        print(f"{'warning' if args.warn else 'error'}: {CODEOWNERS} is out of date: run `make codeowners` "
              f"and commit it. The difference:")
        sys.stdout.writelines(difflib.unified_diff(
            current.splitlines(keepends=True), text.splitlines(keepends=True),
            f"{CODEOWNERS} (committed)", f"{CODEOWNERS} (from the profiles)"))
        write_step_summary(OUT_OF_DATE_SUMMARY)
        if not args.warn:
            return 1
        if in_actions():
            print(annotation(OUT_OF_DATE_WARNING))
        return 0
    if current == text:
        print(f"{CODEOWNERS} was already up to date.")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"Wrote {CODEOWNERS}: {len(profile_owners(root))} profiles name their maintainers.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
