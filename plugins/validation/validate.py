"""Check one document's front matter against its schema.

The front matter arrives with every scalar as text (see the frontmatter
plugin). :meth:`DocumentValidator.validate` coerces what the schema says is
a boolean or number and checks the text of every field (fields.py), checks
the shape against the schema (checkers.py: a fast check, then jsonschema's
errors for a file that fails it), converts dates, and runs the rules
between fields that a schema cannot express. Every problem comes back as a
:class:`~frontmatter.problems.Problem` with the line of the offending field
and a hint that says how to fix it. Nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from frontmatter.parse import Document, dotted_path
from frontmatter.problems import Problem

from .body import check_body
from .checkers import SchemaCheck
from .fields import UK, coerce_and_check, convert, field_for
from .schemas import resolve

_REQUIRED = re.compile(r"'([^']++)' is a required property")
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Both run over values and messages about them (tests/test_patterns.py).
CONTENT_PATTERNS = (_REQUIRED, _DATE_SHAPE)

STALE_AFTER_DAYS = 365
TYPE_WORDS = {"string": "text", "array": "a list", "object": "a set of fields", "boolean": "true or false",
              "integer": "a whole number", "number": "a number", "null": "nothing"}


class DocumentValidator:
    """Validates documents of one content type. Build once, use for many files."""

    def __init__(self, type_name: str, schema: dict, vocabularies: dict, today: dt.date):
        self.type_name = type_name
        self.schema = schema
        self.vocabularies = vocabularies
        self.today = today
        self.check = SchemaCheck(schema)
        self.fields = field_for(schema)

    # -- public -------------------------------------------------------------

    def validate(self, document: Document) -> tuple[dict, list[Problem]]:
        """Return the converted front matter and the problems found.

        Every check runs on every file: a field that fails its schema is
        left out of the checks that build on it (the conversions and the
        rules between fields), so each problem is reported once."""
        problems: list[Problem] = []
        failed: set = set()  # paths of values with a problem of their own
        unreadable: set = set()  # paths of values with a line break or other hidden character
        meta = coerce_and_check(document.meta, self.fields, (), document, problems, failed, unreadable)
        errors = self.check.errors(meta)
        # A value of the wrong type also fails its enum or pattern; say only
        # what matters ("expected text, found a set of fields").
        wrong_type = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        for error in errors:
            path = tuple(error.absolute_path)
            if path in unreadable or error.validator != "type" and path in wrong_type:
                continue
            explained = self._explain(error, document)
            problems.extend(explained if isinstance(explained, list) else [explained])
            failed.update(self._failed_paths(error, path))
        meta = convert(meta, self.fields, (), document, problems, failed)
        self._check_rules(meta, document, problems)
        problems.extend(check_body(document))
        return meta, _dedupe(problems)

    def _failed_paths(self, error, path: tuple) -> list[tuple]:
        """The values a schema error is about: a missing field is no value,
        and an unknown field is only itself, not the fields beside it."""
        if error.validator == "required":
            return []
        if error.validator == "additionalProperties":
            schema = resolve(error.schema, self.schema) if isinstance(error.schema, dict) else {}
            known = schema.get("properties", {})
            return [path + (name,) for name in error.instance if name not in known]
        return [path]

    # -- explaining jsonschema's errors in plain English --------------------

    def _explain(self, error, document: Document) -> Problem | list[Problem]:
        path = tuple(error.absolute_path)
        schema = resolve(error.schema, self.schema) if isinstance(error.schema, dict) else {}
        validator = error.validator
        field = dotted_path(path)
        line, column = document.position(path)
        description = schema.get("description", "")

        def problem(message, hint="", at=None, name=field):
            where_line, where_column = at or (line, column)
            return Problem(document.source, where_line, where_column, name, message, hint=hint)

        if validator == "required":
            missing = _REQUIRED.search(error.message)
            name = missing.group(1) if missing else "?"
            property_schema = resolve(schema.get("properties", {}).get(name, {}), self.schema)
            # A field required by an if/then rule is described in the main schema.
            what = property_schema.get("description", "") or self._schema_at(path + (name,)).get("description", "")
            full = dotted_path(path + (name,))
            at = document.position(path) if path else (2, 1)
            return problem("is missing", f"add '{name}:' ({what.rstrip('.')})" if what else f"add '{name}:'",
                           at=at, name=full)
        if validator == "additionalProperties":
            known = list(schema.get("properties", {}))
            extra = [name for name in error.instance if name not in known] or ["?"]
            found = []
            for name in extra:  # one problem for each unknown field
                full = dotted_path(path + (name,))
                at = document.position(path + (name,))
                close = suggest(name, known)
                hint = f"did you mean '{close[0]}'?" if close else "allowed fields: " + ", ".join(known)
                found.append(problem(f"'{name}' is not a known field", hint, at=at, name=full))
            return found
        if validator == "enum":
            vocabulary_name = schema.get("x-vocabulary")
            allowed = [str(v) for v in error.validator_value]
            labels = {}
            if vocabulary_name:
                vocabulary = self.vocabularies[vocabulary_name]
                labels = {term.id: term.label for term in vocabulary.terms.values()}
            close = suggest(str(error.instance), allowed, labels)
            where = vocabulary.source if vocabulary_name else ", ".join(allowed)
            if error.instance == "":  # a template's placeholder left as it was
                return problem("is empty", f"write one of the allowed values ({where})")
            if vocabulary_name:
                message = f"'{error.instance}' is not a known {_vocabulary_noun(vocabulary_name)}"
            else:
                message = f"'{error.instance}' is not allowed"
            hint = f"did you mean '{close[0]}'? (allowed values: {where})" if close \
                else f"write one of the allowed values ({where})"
            return problem(message, hint)
        if validator == "type":
            expected = error.validator_value
            expected = expected if isinstance(expected, str) else expected[0]
            found = _describe(error.instance)
            if expected == "boolean":
                return problem(f"expected true or false, found {found}", "write true or false")
            if expected in ("integer", "number"):
                return problem(f"expected {TYPE_WORDS[expected]}, found {found}", "write digits only, for example 3")
            if expected == "array":
                return problem(f"expected a list, found {found}", "write each item on its own line starting with '  - '")
            return problem(f"expected {TYPE_WORDS.get(expected, expected)}, found {found}", description)
        if validator == "format" and _DATE_SHAPE.fullmatch(str(error.instance)):
            return problem(f"'{error.instance}' is not a real date", description or "check the value")
        if (validator == "pattern" or validator == "format") and error.instance == "":
            return problem("is empty", description or "write a value or remove the line")
        if validator == "pattern" or validator == "format":
            return problem(f"'{error.instance}' is not in the right form", description or "check the value")
        if validator == "minLength":
            if error.instance == "":
                return problem("is empty", description or "write a value or remove the line")
            return problem(f"is too short (at least {error.validator_value} characters)", description)
        if validator == "maxLength":
            return problem(f"is too long ({len(error.instance)} characters; at most {error.validator_value})",
                           "shorten it")
        if validator == "minItems":
            return problem(f"needs at least {error.validator_value} item{'s' if error.validator_value > 1 else ''}",
                           description)
        if validator == "uniqueItems":
            return problem("lists the same item twice", "remove the repeated item")
        if validator in ("minimum", "exclusiveMinimum"):
            return problem(f"must be at least {error.validator_value}", description)
        if validator == "const":
            return problem(f"must be {error.validator_value!r}", description)
        return problem(error.message, description)

    def _schema_at(self, path) -> dict:
        """The main schema's description of the field at ``path``."""
        schema = resolve(self.schema, self.schema)
        for part in path:
            key = "items" if isinstance(part, int) else None
            schema = resolve(schema.get(key, {}) if key else schema.get("properties", {}).get(part, {}), self.schema)
        return schema

    # -- conversions and checks a schema cannot express --------------------

    def _check_rules(self, meta: dict, document: Document, problems: list[Problem]):
        def add(path, message, hint="", severity="error"):
            line, column = document.position(path)
            problems.append(Problem(document.source, line, column, dotted_path(path), message,
                                    severity=severity, hint=hint))

        verified = meta.get("last_verified")
        if isinstance(verified, dt.date):
            if verified > self.today:
                add(("last_verified",), f"{verified.isoformat()} is in the future",
                    "write the date the profile was last checked")
            elif (self.today - verified).days > STALE_AFTER_DAYS:
                add(("last_verified",), f"was last verified on {verified.isoformat()}, more than 12 months ago",
                    "check the profile is still right and update last_verified", severity="warning")
        if self.type_name == "tender":
            published = meta.get("datePublished")
            deadline = (meta.get("tenderPeriod") or {}).get("endDate")
            if isinstance(published, dt.date) and isinstance(deadline, dt.datetime) and deadline.date() < published:
                add(("tenderPeriod", "endDate"), "the deadline is before the published date",
                    f"the notice was published on {published.isoformat()}")
            period = meta.get("contractPeriod") or {}
            start, end = period.get("startDate"), period.get("endDate")
            if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
                add(("contractPeriod", "endDate"), "the contract ends before it starts", "check both dates")
            value = meta.get("value") or {}
            if "amount" in value and ("minimum" in value or "maximum" in value):
                add(("value",), "give either an amount or a minimum and maximum, not both")
            if isinstance(value.get("minimum"), (int, float)) and isinstance(value.get("maximum"), (int, float)) \
                    and value["maximum"] < value["minimum"]:
                add(("value", "maximum"), "is less than the minimum", "check both values")
        if self.type_name == "event":
            start, end = meta.get("start"), meta.get("end")
            if isinstance(start, dt.date) and isinstance(end, dt.date) and _as_datetime(end) < _as_datetime(start):
                add(("end",), "the event ends before it starts", "check start and end")


def identifier_fields(schema: dict) -> list[tuple[str, str]]:
    """(field, org-id prefix) for each field the schema marks ``x-identifier``."""
    return [(name, spec["x-identifier"]) for name, spec in schema.get("properties", {}).items()
            if spec.get("x-identifier")]


def org_ids(member: dict, schema: dict, fields: list[tuple[str, str]] | None = None) -> list[str]:
    """The org-ids a member's identifiers give (``GB-CHC-1234567`` ...);
    ``fields`` is ``identifier_fields(schema)``, if already worked out."""
    ids = []
    for name, prefix in identifier_fields(schema) if fields is None else fields:
        value = member.get(name)
        if isinstance(value, str):
            if prefix == "GB-NIC":
                value = value.removeprefix("NIC")
            ids.append(f"{prefix}-{value}")
    return ids


# -- helpers -----------------------------------------------------------------


def suggest(value: str, options: list[str], labels: dict | None = None) -> list[str]:
    """The option closest to a mistyped value, if any is close enough.

    Vocabulary ids are often several words (``health-and-wellbeing``), so a
    value is also compared with each word of an id and with its label."""
    value = value.strip().lower()
    labels = labels or {}
    best, best_score = None, 0.0
    for option in options:
        candidates = [option.lower(), *option.lower().replace("_", "-").split("-"),
                      labels.get(option, "").lower()]
        # An empty option (the home page's path, "") has nothing to compare.
        score = max((difflib.SequenceMatcher(None, value, c).ratio() for c in candidates if c), default=0.0)
        if score > best_score:
            best, best_score = option, score
    return [best] if best is not None and best_score >= 0.75 else []


def _as_datetime(value):
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(0, 0), tzinfo=UK)


def _describe(value) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) < 60 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "nothing"
    return repr(value)


def _vocabulary_noun(name: str) -> str:
    nouns = {"services": "service", "areas": "area", "legal_forms": "legal form",
             "membership_tiers": "membership tier", "size_bands": "size band", "partner_roles": "partner role",
             "sectors": "sector", "agreement_kinds": "kind of agreement", "topics": "topic",
             "notice_sources": "notice source", "procurement_methods": "procurement method"}
    return nouns.get(name, name.rstrip("s"))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for problem in problems:
        key = (problem.line, problem.column, problem.field, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return sorted(out)
