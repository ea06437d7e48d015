"""Write any number of valid, varied synthetic member profiles.

Used by tests and benchmarks; it always writes into a folder you give it
(a temporary copy of the project), never into the real content. Every
profile is marked ``example: true`` and says it is synthetic.

    python -m tools.synthetic --count 1000 --into /tmp/bench-project
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from validation.vocabularies import load_vocabularies  # noqa: E402

WORDS = ("community river valley harbour meadow hill forest bridge market station park garden "
         "northern southern eastern western united together open bright kind hope green friends "
         "voices pathways steps roots futures circle network works hub trust care action").split()
KINDS = ("Trust", "Network", "CIC", "Partnership", "Project", "Society", "Foundation", "Alliance", "Group")
VERBS = ("runs", "offers", "delivers", "provides", "coordinates", "supports")
PEOPLE = ("young people", "families", "older people", "carers", "disabled people", "people in recovery",
          "people looking for work", "local groups", "tenants", "volunteers")
SENTENCES = (
    "It works from {place} and has done so for {years} years.",
    "Volunteers make up most of its team, alongside {staff} paid staff.",
    "It has delivered contracts for the council and the local health service.",
    "Its work with {people} is shaped by the people who use it.",
    "It is keen to bid with partners who share its values.",
    "It shares a building and back-office services with two other charities.",
    "Its trustees include people with lived experience of the services it runs.",
)


def synthetic_member(number: int, rng: random.Random, vocabularies: dict) -> tuple[str, str]:
    """Return (slug, file text) for one synthetic member."""
    services = list(vocabularies["services"].terms)
    areas = [a for a in vocabularies["areas"].terms if vocabularies["areas"].terms[a].parent not in (None, "uk-wide")]
    legal_forms = [f for f in vocabularies["legal_forms"].terms if f != "not-stated"]
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.choice(KINDS)} {number}"
    slug = name.lower().replace(" ", "-")
    chosen_services = rng.sample(services, rng.randint(1, 3))
    chosen_areas = rng.sample(areas, rng.randint(1, 2))
    place = vocabularies["areas"].label(chosen_areas[0])
    lines = [
        "---",
        f"name: {name}",
        f"summary: This is an example profile, made up for testing, of an organisation that "
        f"{rng.choice(VERBS)} services for {rng.choice(PEOPLE)} in {place}.",
        f"legal_form: {rng.choice(legal_forms)}",
        f"vcse: {rng.choice(['true', 'false'])}",
        f"charity_number: '{1000000 + number:07d}'",
        f"membership_tier: {rng.choice(['full', 'associate'])}",
        "services:", *[f"  - {s}" for s in chosen_services],
        "areas:", *[f"  - {a}" for a in chosen_areas],
        f"website: https://example.org/members/{slug}",
        f"email: contact-{number}@example.org",
        f"size_band: {rng.choice(list(vocabularies['size_bands'].terms))}",
        f"can_lead_bids: {rng.choice(['true', 'false'])}",
        f"looking_for_partners: {rng.choice(['true', 'false'])}",
        "last_verified: 2026-10-01",
        "example: true",
        "---",
    ]
    body = " ".join(rng.choice(SENTENCES).format(place=place, years=rng.randint(2, 40), staff=rng.randint(1, 30),
                                                  people=rng.choice(PEOPLE)) for _ in range(rng.randint(2, 5)))
    return slug, "\n".join(lines) + "\n" + body + "\n"


def example_profile(name: str, summary: str, body: str = "", last_verified: str = "2026-10-01") -> str:
    """A made-up member profile (``example: true``) with every required
    field, for tests and benchmarks that need one file of their own: its
    ``name`` and ``summary`` written as given (quoted by the caller where
    YAML needs it), then ``body``."""
    return f"""---
name: {name}
summary: {summary}
legal_form: charitable-company
membership_tier: full
services:
  - health-and-wellbeing
areas:
  - leeds
last_verified: {last_verified}
example: true
---
{body}"""


def write_members(folder: Path, count: int, seed: int = 1) -> list[Path]:
    """Write ``count`` profiles into ``folder`` (a project's members/ folder)."""
    vocabularies = load_vocabularies(ROOT)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(1, count + 1):
        slug, text = synthetic_member(number, rng, vocabularies)
        path = folder / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def copy_project(destination: Path, with_members: bool = True) -> Path:
    """Copy the project (content, plugins, theme, settings, tools) for a build
    that must not touch the real folders. node_modules is linked, not copied."""
    ignore = shutil.ignore_patterns(".venv", "node_modules", "output", ".git", "__pycache__", ".output.*",
                                    "tests", ".pytest_cache", ".hypothesis", "docs")
    shutil.copytree(ROOT, destination, ignore=ignore)
    if (ROOT / "node_modules").exists():
        (destination / "node_modules").symlink_to(ROOT / "node_modules")
    if not with_members:
        shutil.rmtree(destination / "members")
        (destination / "members").mkdir()
    return destination


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--into", required=True, help="a new folder: the project is copied there first")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    destination = Path(args.into).resolve()
    if destination == ROOT or ROOT in destination.parents:
        parser.error("write into a folder outside the project")
    if destination.exists():
        parser.error(f"{destination} already exists")
    copy_project(destination)
    write_members(destination / "members", args.count, args.seed)
    print(f"Wrote {args.count} synthetic members into {destination / 'members'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
