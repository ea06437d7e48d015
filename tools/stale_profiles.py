"""Remind members whose profile has not been checked for more than 12 months.

    python -m tools.stale_profiles                       # list them, with each reminder
    python -m tools.stale_profiles --open-issues open.json --create

Run weekly by .github/workflows/stale-profiles.yml. A profile is stale when
its ``last_verified`` is more than 12 months before today (in the UK). Each
reminder is one issue, addressed to the profile's maintainers (or the
site's, when it names none), linking to the site's profile editor for that
profile. Every reminder's text carries a marker naming the profile
(``<!-- stale-profile: <slug> -->``) and the label ``profile-reminder``;
the workflow lists the open issues with that label first (``gh issue list
--json number,body``, the file given as ``--open-issues``), and a profile
whose marker is in an open issue gets no second one.

``--create`` opens the issues with the GitHub CLI (``gh``, which reads
``GH_TOKEN``); without it nothing is sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from frontmatter.parse import read_document  # noqa: E402
from frontmatter.problems import ContentError  # noqa: E402
from validation.collection import SLUG  # noqa: E402
from validation.today import uk_today  # noqa: E402

from tools.codeowners import OwnersError, maintainer_pattern, read_maintainers, site_maintainers  # noqa: E402

MEMBERS = Path("members")
LABEL = "profile-reminder"
LABEL_COLOUR = "d4c5f9"
LABEL_DESCRIPTION = "A member profile that has not been checked for more than 12 months"
_MARKER = "<!-- stale-profile: {slug} -->"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: What Markdown would read as markup in a name, to escape it.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")
#: Run over profiles' values, one character at a time or whole (fullmatch), so linear.
CONTENT_PATTERNS = (_DATE, _MARKDOWN_PUNCTUATION)


@dataclass(frozen=True)
class Reminder:
    slug: str
    last_verified: dt.date
    title: str
    body: str

    @property
    def marker(self) -> str:
        return marker(self.slug)


def marker(slug: str) -> str:
    return _MARKER.format(slug=slug)


def a_year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def stale_profiles(root: Path, today: dt.date) -> list[tuple[str, dt.date, dict]]:
    """``(slug, last_verified, front matter)`` of every profile checked more
    than 12 months before ``today``, oldest first. Files make check would
    refuse are left to make check."""
    cutoff = a_year_before(today)
    found = []
    for path in sorted((root / MEMBERS).glob("*.md")):
        if not SLUG.match(path.stem) or path.is_symlink():
            continue
        try:
            meta = read_document(path, f"{MEMBERS.as_posix()}/{path.name}").meta
        except ContentError:
            continue
        written = meta.get("last_verified")
        if not isinstance(written, str) or not _DATE.fullmatch(written):
            continue
        try:
            verified = dt.date.fromisoformat(written)
        except ValueError:
            continue
        if verified < cutoff:
            found.append((path.stem, verified, meta))
    return sorted(found, key=lambda entry: (entry[1], entry[0]))


def _plain(text: str) -> str:
    """A value from a profile, shown as text in an issue: no Markdown, links,
    tags or mentions of its own."""
    text = " ".join(str(text).split())
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


def reminder(slug: str, verified: dt.date, meta: dict, site_url: str, fallback_owners: list[str]) -> Reminder:
    name = meta.get("name") if isinstance(meta.get("name"), str) else slug
    owners = [f"@{name}" for name in read_maintainers(meta, maintainer_pattern())] or fallback_owners
    editor = f"{site_url.rstrip('/')}/contribute/profile/?member={slug}"
    profile = f"{site_url.rstrip('/')}/members/{slug}/"
    body = "\n".join([
        marker(slug),
        f"{' '.join(owners)}: the profile of **{_plain(name)}** was last checked on "
        f"{verified.isoformat()}, more than 12 months ago.",
        "",
        "Commissioners and partners rely on the directory being current, so please check it:",
        "",
        f"1. Open [the profile in the site's editor]({editor}). Every field is filled in with what is "
        f"published now.",
        "2. If something has changed, correct it and send it from the editor to GitHub. If nothing has "
        "changed, say so there: the request is \"Confirm nothing has changed\".",
        "3. A pull request is made for you; once a maintainer merges it, the profile shows today's date.",
        "",
        f"The profile: {profile} (the file is `members/{slug}.md`).",
        "",
        "Close this issue once the profile is checked. This reminder was opened by "
        "`.github/workflows/stale-profiles.yml`; it opens no other for this profile while this one is open.",
    ])
    title = f"Please check the profile of {' '.join(str(name).split())[:100]} (last checked {verified.isoformat()})"
    return Reminder(slug, verified, title, body + "\n")


def reminders(root: Path, today: dt.date, site_url: str) -> list[Reminder]:
    stale = stale_profiles(root, today)
    if not stale:
        return []
    try:
        fallback = site_maintainers(root)
    except OwnersError:
        fallback = []
    return [reminder(slug, verified, meta, site_url, fallback) for slug, verified, meta in stale]


def still_to_open(wanted: list[Reminder], open_issues: list[dict]) -> list[Reminder]:
    """The reminders no open issue already carries (by marker)."""
    bodies = [issue.get("body") or "" for issue in open_issues if isinstance(issue, dict)]
    return [item for item in wanted if not any(item.marker in body for body in bodies)]


def default_site_url() -> str:
    """The site's address: $SITE_URL, else GitHub Pages' for this repository."""
    if os.environ.get("SITE_URL", "").strip():
        return os.environ["SITE_URL"].strip()
    owner, _, name = os.environ.get("GITHUB_REPOSITORY", "example-consortium/consortium-directory").partition("/")
    return f"https://{owner.lower()}.github.io/{name}" if name != f"{owner.lower()}.github.io" \
        else f"https://{name}"


def _gh(*args: str, text: str | None = None) -> None:
    subprocess.run(["gh", *args], input=text, text=True, check=True)


def create(items: list[Reminder]) -> None:
    """Open each reminder as an issue with the GitHub CLI."""
    if items:
        _gh("label", "create", LABEL, "--color", LABEL_COLOUR, "--description", LABEL_DESCRIPTION, "--force")
    for item in items:
        _gh("issue", "create", "--title", item.title, "--label", LABEL, "--body-file", "-", text=item.body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stale_profiles", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this project)")
    parser.add_argument("--today", default=os.environ.get("SITE_TODAY", ""),
                        help="YYYY-MM-DD (default: $SITE_TODAY, or today in the UK)")
    parser.add_argument("--site-url", default=None, help="the site's address (default: $SITE_URL, or GitHub Pages')")
    parser.add_argument("--open-issues", type=Path, help="the open reminders, as `gh issue list --json number,body`")
    parser.add_argument("--create", action="store_true", help="open the issues with `gh` (needs GH_TOKEN)")
    args = parser.parse_args(argv)
    try:
        today = dt.date.fromisoformat(args.today) if args.today else uk_today()
    except ValueError:
        print(f"error: --today must be written as YYYY-MM-DD, not '{args.today}'")
        return 2
    open_issues = []
    if args.open_issues:
        try:
            open_issues = json.loads(args.open_issues.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"error: {args.open_issues} is not the JSON list `gh issue list --json` writes ({error})")
            return 2
    wanted = reminders(args.root, today, args.site_url or default_site_url())
    to_open = still_to_open(wanted, open_issues if isinstance(open_issues, list) else [])
    print(f"{len(wanted)} profile(s) last checked before {a_year_before(today).isoformat()}; "
          f"{len(wanted) - len(to_open)} already have an open reminder; {len(to_open)} to open.")
    for item in to_open:
        print(f"- members/{item.slug}.md (last checked {item.last_verified.isoformat()}): {item.title}")
    if args.create:
        try:
            create(to_open)
        except (OSError, subprocess.CalledProcessError) as error:
            print(f"error: the GitHub CLI could not open the issues: {error}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
