"""Start a new member profile from the member template.

    make new-member NAME="Example Trust"      # writes members/example-trust.md

The file name (the slug) comes from the name: lower case, plain letters and
digits, hyphens between words. The name and today's date are filled in;
every other field keeps its empty placeholder, which ``make check`` reports
until it is filled. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from contribute.member_template import load  # noqa: E402
from frontmatter.parse import read_document  # noqa: E402
from frontmatter.problems import ContentError  # noqa: E402
from validation.today import uk_today  # noqa: E402

TEMPLATE = Path("tools/templates/member.md")
MEMBERS = Path("members")
NAME_LENGTH = (2, 150)  # as the member schema allows

_APOSTROPHES = re.compile(r"['\u2019`]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
#: Both run over the name given to make new-member (tests/test_patterns.py).
CONTENT_PATTERNS = (_APOSTROPHES, _NOT_ALPHANUMERIC)


class NewMemberError(Exception):
    """Why the profile was not written, in words for the person who asked."""


def slug_for(name: str) -> str:
    """``"St Anne's Community Services"`` → ``"st-annes-community-services"``.

    Accented and other letters become their nearest plain ones; ``&``
    becomes ``and``; apostrophes disappear; anything else separates words.
    """
    text = unidecode(name).lower().replace("&", " and ")
    text = _APOSTROPHES.sub("", text)
    return _NOT_ALPHANUMERIC.sub("-", text).strip("-")


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise NewMemberError("the name contains a control character; type it again as plain text")
    low, high = NAME_LENGTH
    if not low <= len(name) <= high:
        raise NewMemberError(f"the name must be {low} to {high} characters long; it is {len(name)}")
    return name


def existing_names(folder: Path) -> dict[str, str]:
    """Member names (folded for comparison) and the files that hold them."""
    names = {}
    for path in sorted(folder.glob("*.md")):
        try:
            name = read_document(path, path.name).meta.get("name")
        except ContentError:
            continue  # make check reports a broken file; it cannot clash here
        if isinstance(name, str):
            names[" ".join(name.split()).casefold()] = f"{folder.name}/{path.name}"
    return names


def new_member(name: str, root: Path = ROOT, today: dt.date | None = None) -> Path:
    """Write ``members/<slug>.md`` for ``name``; returns its path.
    Raises :class:`NewMemberError` and writes nothing when it cannot."""
    name = check_name(name)
    slug = slug_for(name)
    if not slug:
        raise NewMemberError(f"'{name}' has no letters or digits to make a file name from; "
                             f"write the name with at least one letter A to Z or digit")
    folder = root / MEMBERS
    path = folder / f"{slug}.md"
    if path.exists():
        raise NewMemberError(f"{MEMBERS.as_posix()}/{path.name} already exists, so nothing was written. "
                             f"To change that profile, edit the file; to add a different organisation "
                             f"with a similar name, use a longer name (a place or legal form, say)")
    clash = existing_names(folder).get(name.casefold()) if folder.is_dir() else None
    if clash:
        raise NewMemberError(f"{clash} already has the name '{name}', so nothing was written; "
                             f"edit that file instead")
    template = load(root / TEMPLATE)
    text = template.fill({"name": name, "last_verified": today or uk_today()})
    folder.mkdir(exist_ok=True)
    # "x" mode: fails rather than overwrite a file that appeared meanwhile.
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def next_steps(path: Path, root: Path) -> str:
    relative = path.relative_to(root).as_posix()
    return "\n".join([
        f"Wrote {relative}. Next:",
        f"  1. Open {relative} and fill in each field that still has empty quotes (\"\").",
        "     The note above each field says what to write. Optional fields start with #:",
        "     delete the # to use one.",
        "  2. Run `make check` until it reports no problems. It names the line of each",
        "     field that still needs filling in.",
        "  3. If you changed maintainers, run `make codeowners`.",
        "  4. Commit the file and open a pull request.",
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make new-member", description=__doc__.split("\n")[0])
    parser.add_argument("name", help='the organisation\'s name, for example "Example Trust"')
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this project)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        path = new_member(args.name, root)
    except (NewMemberError, FileExistsError) as error:
        message = str(error) if isinstance(error, NewMemberError) else f"{error.filename} already exists"
        print(f"make new-member: {message}", file=sys.stderr)
        return 1
    print(next_steps(path, root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
