"""The canonical layout of a member profile file, which the profile editor
writes (theme/static/js/profile-editor.js) and every file in members/ keeps.

    ---
    name: "Example Community Trust"      text in double quotes (JSON's escapes)
    legal_form: charitable-company       a vocabulary id, bare
    vcse: true                           true or false, bare
    services:                            a list: one item a line, "  - "
      - youth-services
    maintainers:
      - example-user                     a GitHub user name, bare
    last_verified: 2026-05-01            a date, bare
    sources:                             a list of sets of fields
      - title: "…"
        publisher: "…"
    ---
    The body, as written, ending with one line break.

Fields come in the member schema's order, and the fields of a source in
the order the schema gives them. A value is written bare only when it
cannot be read as anything but itself (``^[a-z0-9-]+$`` for an id, the
GitHub name pattern, ``YYYY-MM-DD``); anything else is quoted, so no YAML
trap (``no``, ``01234567``, ``: ``) can change it. ``tests/test_contribute_editor.py``
checks that every real profile is written this way, and that the editor's
JavaScript writer gives back each of them byte for byte.
"""

from __future__ import annotations

import json
import re

from validation.schemas import resolve

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
#: How each kind of value may be written bare (see the module's docstring).
_BOOLEAN = re.compile(r"^(true|false)$")
BARE = {"id": _ID, "date": _DATE, "github-name": _GITHUB_NAME, "boolean": _BOOLEAN}
#: Run over profile values, each anchored and unambiguous, so linear (tests/test_patterns.py).
CONTENT_PATTERNS = (_ID, _DATE, _GITHUB_NAME, _BOOLEAN)


def value_kind(spec: dict, schema: dict) -> str:
    """``id``, ``date``, ``github-name``, ``boolean`` or ``text``: how a
    field's scalar values are written."""
    spec = resolve(spec, schema)
    if spec.get("type") == "array":
        spec = resolve(spec.get("items", {}), schema)
    if spec.get("x-vocabulary"):
        return "id"
    if spec.get("type") == "boolean":
        return "boolean"
    if spec.get("x-convert") == "date":
        return "date"
    if spec.get("pattern") == _GITHUB_NAME.pattern:
        return "github-name"
    return "text"


def layout(schema: dict) -> dict:
    """What the writers need from the schema, as lists (their order is the
    file's): ``{"fields": [{"name", "list", "kind", "item_fields"}]}``, where
    ``item_fields`` is ``[[name, kind], …]`` for a list of sets of fields.
    Published for the editor's script."""
    fields = []
    for name, spec in schema["properties"].items():
        resolved = resolve(spec, schema)
        items = resolve(resolved.get("items", {}), schema) if resolved.get("type") == "array" else {}
        entry = {"name": name, "list": resolved.get("type") == "array", "kind": value_kind(spec, schema)}
        if items.get("type") == "object":
            entry["item_fields"] = [[key, value_kind(child, schema)] for key, child in items["properties"].items()]
        fields.append(entry)
    return {"fields": fields}


def scalar(value: str, kind: str) -> str:
    pattern = BARE.get(kind)
    if pattern is not None and pattern.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_profile(meta: dict, body: str, file_layout: dict) -> str:
    """The profile file for front matter ``meta`` (every scalar as text, as
    the frontmatter plugin reads it) and ``body``."""
    lines = ["---"]
    for field in file_layout["fields"]:
        name = field["name"]
        if name not in meta:
            continue
        value = meta[name]
        if not field["list"]:
            lines.append(f"{name}: {scalar(value, field['kind'])}")
            continue
        lines.append(f"{name}:")
        for item in value:
            if isinstance(item, dict):
                prefix = "  - "
                for key, kind in field["item_fields"]:
                    if key in item:
                        lines.append(f"{prefix}{key}: {scalar(item[key], kind)}")
                        prefix = "    "
            else:
                lines.append(f"  - {scalar(item, field['kind'])}")
    lines.append("---")
    text = "\n".join(lines) + "\n"
    body = body.strip("\n")
    return text + (body + "\n" if body else "")

