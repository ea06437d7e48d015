"""The two JSON Schema checkers a document's front matter goes through.

fastjsonschema compiles each schema to Python once and says, many times
faster, only whether a document is valid; nearly every file is, and pays for
nothing more. jsonschema runs only on the files it refuses, for errors that
can be explained in plain English. The fast check must never accept what
jsonschema refuses (the property tests hold it to that), so:

* fastjsonschema knows drafts 4 to 7, where keywords beside a ``"$ref"`` are
  ignored; 2020-12 applies them, so :func:`fast_schema` moves them into an
  ``allOf``.
* formats are checked as jsonschema checks them here: ``date`` only.
* a ``pattern`` matches as ECMA-262 matches it, since the schemas are
  published: ``$`` only at the very end (in Python it also matches before a
  final line break, so ``"7654321\\n"`` would pass ``^[0-9]{6,7}$``).
  fastjsonschema already reads ``$`` so; jsonschema is taught to.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import fastjsonschema

_DOLLAR = re.compile(r"(?<!\\)\$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_REGEXES: dict[str, re.Pattern] = {}
#: _DATE runs over values; _DOLLAR over the schemas' own patterns, which
#: tests/test_patterns.py times as content patterns in their own right.
CONTENT_PATTERNS = (_DATE,)
TRUSTED_PATTERNS = (_DOLLAR,)
#: Keywords that only describe; beside a "$ref" they change nothing.
_ANNOTATIONS = {"description", "title", "$comment", "examples", "default"}


def ecma_regex(pattern: str) -> re.Pattern:
    """A schema ``pattern`` compiled to match as ECMA-262 matches it."""
    compiled = _REGEXES.get(pattern)
    if compiled is None:
        compiled = _REGEXES[pattern] = re.compile(_DOLLAR.sub(r"\\Z", pattern))
    return compiled


def is_date(value) -> bool:
    """The "date" format, as jsonschema checks it: YYYY-MM-DD, a real day."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


@functools.cache
def schema_validator():
    """jsonschema's 2020-12 validator class, with patterns read as ECMA-262
    reads them and dates checked. Imported when first needed: a project
    whose files are all valid never needs it."""
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

    def pattern(validator, pattern, instance, schema):
        if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    dates = FormatChecker(formats=())
    dates.checks("date", raises=ValueError)(is_date)
    return validators.extend(Draft202012Validator, {"pattern": pattern}), dates


def fast_schema(schema: dict) -> dict:
    """A copy of ``schema`` that fastjsonschema reads as jsonschema reads the
    original (see the module's docstring). Our own x- keywords go: they are
    not JSON Schema."""
    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {k: convert(v) for k, v in node.items() if not k.startswith("x-") and k not in ("$id", "$schema")}
        beside = {k: v for k, v in node.items() if k != "$ref" and k not in _ANNOTATIONS}
        if "$ref" in node and beside:
            return {"allOf": [{"$ref": node["$ref"]}, beside]}
        return node

    copied = convert(schema)
    copied["$schema"] = "http://json-schema.org/draft-07/schema#"
    return copied


class SchemaCheck:
    """Both checkers for one schema; the fast one is compiled when first used."""

    def __init__(self, schema: dict):
        self.schema = schema
        self._validator = None
        self._fast = None

    @property
    def validator(self):
        """jsonschema's validator for the schema."""
        if self._validator is None:
            validator_class, formats = schema_validator()
            self._validator = validator_class(self.schema, format_checker=formats)
        return self._validator

    def compile(self) -> None:
        """Compile the fast check now (it is compiled when first used)."""
        if self._fast is None:
            # detailed_exceptions=False would be faster still, but fails to
            # compile an if/then rule (fastjsonschema 2.22.3).
            self._fast = fastjsonschema.compile(
                fast_schema(self.schema), use_default=False,
                formats={"date": is_date, "email": lambda value: True, "uri": lambda value: True})

    def is_valid(self, instance) -> bool:
        if self._fast is None:
            self.compile()
        try:
            self._fast(instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def errors(self, instance) -> list:
        """jsonschema's errors, for their messages; none for a valid instance."""
        return [] if self.is_valid(instance) else list(self.validator.iter_errors(instance))
