"""Load the content schemas and complete them with the vocabularies.

The schema files in ``schemas/`` are written by hand. Two custom keywords
tie them to the rest of the project:

* ``x-vocabulary: services`` – the value must be an ``id`` from
  ``content/_data/services.yml``; the loader adds the ``enum``.
* ``x-ref: member`` – the value must be the slug of a file of that type;
  checked across files (see :mod:`validation.collection`).

``x-convert`` (date, uk-datetime) tells the validator how to turn a checked
string into a Python value; ``x-identifier`` names the org-id prefix an
identifier field derives; ``x-link`` marks web, email and phone fields.
The completed schemas stand alone (shared ``$defs`` copied in) and are what
the site publishes under ``/data/schemas/``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .types import CONTENT_TYPES
from .vocabularies import Vocabulary

SCHEMA_FOLDER = Path(__file__).parent / "schemas"


def load_schemas(vocabularies: dict[str, Vocabulary]) -> dict[str, dict]:
    common = json.loads((SCHEMA_FOLDER / "_common.json").read_text(encoding="utf-8"))["$defs"]
    schemas = {}
    for name in CONTENT_TYPES:
        schema = json.loads((SCHEMA_FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
        schema["$id"] = f"{name}.schema.json"
        schema.setdefault("$defs", {}).update(copy.deepcopy(common))
        _complete(schema, vocabularies)
        schemas[name] = schema
    return schemas


def _complete(node, vocabularies):
    if isinstance(node, dict):
        vocabulary_name = node.get("x-vocabulary")
        if vocabulary_name:
            vocabulary = vocabularies.get(vocabulary_name)
            if vocabulary is None:
                raise KeyError(f"schema names the vocabulary '{vocabulary_name}', but content/_data/{vocabulary_name}.yml does not exist")
            node["enum"] = list(vocabulary.terms)
        for value in node.values():
            _complete(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            _complete(value, vocabularies)


def resolve(schema: dict, root: dict) -> dict:
    """Follow a local ``$ref``, merging the referring node's own keywords.

    The schemas do not change once loaded, so each node is resolved once:
    the cache keeps the node itself, so its id is never reused."""
    if "$ref" not in schema:
        return schema
    cached = _RESOLVED.get((id(schema), id(root)))
    if cached is not None and cached[0] is schema and cached[1] is root:
        return cached[2]
    node = schema
    while "$ref" in node:
        target = root
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        node = merged
    _RESOLVED[(id(schema), id(root))] = (schema, root, node)
    return node


_RESOLVED: dict[tuple[int, int], tuple[dict, dict, dict]] = {}


def uses_keyword(schema, root: dict, keyword: str, seen: set | None = None) -> bool:
    """Whether ``schema`` or any field inside it (through ``$ref``s, objects
    and list items) sets ``keyword`` (``x-ref``, ``x-convert``, ...)."""
    seen = set() if seen is None else seen
    schema = resolve(schema, root) if isinstance(schema, dict) else {}
    if id(schema) in seen:
        return False
    seen.add(id(schema))
    if schema.get(keyword):
        return True
    children = list(schema.get("properties", {}).values())
    if isinstance(schema.get("items"), dict):
        children.append(schema["items"])
    return any(uses_keyword(child, root, keyword, seen) for child in children)
