"""Checks across files: slugs, duplicates and cross-references.

These need every document at once, so they run after each file has passed
its own schema. A reference that does not resolve gets a did-you-mean
suggestion from the slugs that exist.
"""

from __future__ import annotations

import re

from frontmatter.parse import dotted_path
from frontmatter.problems import Problem

from .schemas import resolve, uses_keyword
from .types import RESERVED_SLUGS
from .validate import suggest

SLUG = re.compile(r"^[a-z0-9]++(?:-[a-z0-9]++)*+$")
_NOT_SLUG = re.compile(r"[^a-z0-9]++")
#: Both run over file names (tests/test_patterns.py).
CONTENT_PATTERNS = (SLUG, _NOT_SLUG)
#: Fields whose values must be unique across all files of a type.
UNIQUE_FIELDS = {
    "member": ("name", "charity_number", "scottish_charity_number", "ni_charity_number",
               "company_number", "mutuals_number"),
    "case_study": ("name",),
    "model": ("name",),
    "tender": ("ocid",),
}


def slug_problem(source: str, slug: str) -> Problem | None:
    if SLUG.match(slug):
        return None
    suggestion = _NOT_SLUG.sub("-", slug.lower()).strip("-") or "your-organisation"
    return Problem(source, 1, 1, "file name",
                   f"'{slug}' cannot be used as a slug: use lower-case letters, digits and single hyphens",
                   hint=f"rename the file to {suggestion}.md")


def reserved_slug_problem(source: str, type_name: str, url_prefix: str, slug: str) -> Problem | None:
    """A file whose page would take the place of one of the site's own."""
    page = RESERVED_SLUGS.get(type_name, {}).get(slug)
    if page is None:
        return None
    return Problem(source, 1, 1, "file name",
                   f"'{slug}' cannot be used as a slug: /{url_prefix}{slug}/ is already {page}",
                   hint="rename the file; its name is the page's address")


def check_collection(entries: dict, schemas: dict, existing: dict | None = None) -> list[Problem]:
    """``entries`` maps a type name to ``{slug: (document, meta)}``.

    ``existing`` maps a type name to the slugs of all its files, including
    those that could not be read: a reference to a file that exists but has
    problems of its own is not reported again."""
    problems: list[Problem] = []
    for type_name, by_slug in entries.items():
        in_order = sorted(by_slug.items(), key=lambda kv: kv[1][0].source) if type_name in UNIQUE_FIELDS else []
        for field in UNIQUE_FIELDS.get(type_name, ()):
            first_seen: dict = {}
            for slug, (document, meta) in in_order:
                value = meta.get(field)
                if not isinstance(value, str):
                    continue
                key = value.casefold().strip()
                if key in first_seen:
                    line, column = document.position((field,))
                    problems.append(Problem(document.source, line, column, field,
                                            f"'{value}' is already used by {first_seen[key]}",
                                            hint="each profile must be for a different organisation; merge the two files"))
                else:
                    first_seen[key] = document.source
    for type_name, by_slug in entries.items():
        schema = schemas[type_name]
        if not uses_keyword(schema, schema, "x-ref"):
            continue
        for slug, (document, meta) in by_slug.items():
            for path, target_type, value in _references(meta, schema, schema, ()):
                targets = entries.get(target_type, {})
                if value in targets or value in (existing or {}).get(target_type, ()):
                    continue
                line, column = document.value_position(path)
                close = suggest(value, list(targets))
                folder = {"member": "members/", "model": "content/models/"}.get(target_type, target_type)
                noun = {"member": "member profile", "model": "model"}.get(target_type, target_type)
                hint = f"did you mean '{close[0]}'?" if close else f"the value must be the name of a file in {folder}, without .md"
                problems.append(Problem(document.source, line, column, dotted_path(path),
                                        f"no {noun} '{value}'", hint=hint))
    return problems


def _references(value, schema, root, path):
    schema = resolve(schema, root)
    target = schema.get("x-ref")
    if target and isinstance(value, str):
        yield path, target, value
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            yield from _references(item, properties.get(key, {}), root, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _references(item, schema.get("items", {}), root, path + (index,))
