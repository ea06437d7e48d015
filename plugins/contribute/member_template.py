"""The member template: the one file every way of adding a member starts from.

The template (``tools/templates/member.md`` by default) is a member profile
whose values are empty placeholders (``""``), each field with a note above
it and an example. The prefilled "Add your organisation" link, ``make
new-member``, the issue form and the field table on /contribute/ all read
it, so an example is written once.

The format, which :func:`parse` checks:

* A field is one line ``name: ""`` (to fill in) or ``#name: ""`` (optional,
  left out until someone deletes the ``#``), followed by its list lines
  (``  - ""``, or ``#  - ""`` for an optional list).
* The comment lines right above a field (no blank line between) describe it.
  One of them starts ``# For example:`` and is followed either by the
  example on the same line (``# For example: name: "Example Trust"``) or by
  the example's lines, indented under it (``#   services:``).
* Any other comment, set apart by a blank line, is a note for the reader.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DELIMITER = "---"
_FIELD = re.compile(r"^(?P<hash>#?)(?P<name>[a-z][a-z0-9_]*):(?P<rest>.*)$")
# A list item or nested key under a field: "  - x", "    url: x", "#  - x".
_CONTINUATION = re.compile(r"^(?P<hash>#?)(?P<indent> {2,})\S")
_EXAMPLE = re.compile(r"^# For example:(?P<rest>.*)$")
_EXAMPLE_LINE = re.compile(r"^#(?P<text> {2,}\S.*)$")
#: All four run over the profile template, which is ours (tests/test_patterns.py).
TRUSTED_PATTERNS = (_FIELD, _CONTINUATION, _EXAMPLE, _EXAMPLE_LINE)


class TemplateError(ValueError):
    """The template file does not follow the format; the message names the line."""


@dataclass
class TemplateField:
    """One field of the template."""

    name: str
    optional: bool  # written as "#name:", to be uncommented if wanted
    note: str  # the comment above the field, without the example
    example: str  # the example as written in a profile, e.g. 'name: "Example Trust"'
    line: int  # 1-based line of "name:" in the template
    end: int  # 1-based line after the field's last line

    @property
    def example_value(self):
        """The example as data (a string, a list, a date, ...)."""
        return yaml.safe_load(self.example)[self.name]


@dataclass
class MemberTemplate:
    text: str
    fields: dict[str, TemplateField] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def fill(self, values: dict) -> str:
        """The template with the given fields written in (placeholders
        replaced, optional fields uncommented), notes kept. ``values`` maps
        a field name to a value (text, number, true/false, a date, or a
        list of those) or to a ready YAML snippet given as :class:`Snippet`."""
        unknown = set(values) - set(self.fields)
        if unknown:
            raise KeyError(f"the template has no field {', '.join(sorted(unknown))}")
        lines = self.lines
        # Replace from the bottom up so earlier line numbers stay right.
        for name in sorted(values, key=lambda n: self.fields[n].line, reverse=True):
            template_field = self.fields[name]
            value = values[name]
            snippet = value.text if isinstance(value, Snippet) else yaml_lines(name, value)
            lines[template_field.line - 1: template_field.end - 1] = snippet.split("\n")
        return "\n".join(lines)

    def with_examples(self, include_optional: bool = True) -> str:
        """The template filled with its own examples: a complete profile."""
        return self.fill({name: Snippet(f.example) for name, f in self.fields.items()
                          if include_optional or not f.optional})


@dataclass(frozen=True)
class Snippet:
    """YAML lines to write as they are (``services:\\n  - "carers"``)."""

    text: str


def load(path: Path) -> MemberTemplate:
    return parse(path.read_text(encoding="utf-8"), str(path))


def parse(text: str, source: str = "the member template") -> MemberTemplate:
    """Read a template and check its format; raises :class:`TemplateError`."""
    lines = text.split("\n")

    def fail(number: int, message: str) -> TemplateError:
        return TemplateError(f"{source}:{number}: {message}")

    if not lines or lines[0].rstrip() != DELIMITER:
        raise fail(1, "the first line must be '---'")
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() == DELIMITER)
    except StopIteration:
        raise fail(1, "the front matter is never closed with '---'") from None
    template = MemberTemplate(text)
    comments: list[tuple[int, str]] = []  # (line number, text) right above the next field
    current: TemplateField | None = None
    for index in range(1, closing):
        number, line = index + 1, lines[index]
        if not line.strip():
            comments, current = [], None
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and current is not None and bool(continuation.group("hash")) == current.optional:
            current.end = number + 1
            continue
        match = _FIELD.match(line)
        if match:
            name = match.group("name")
            if name in template.fields:
                raise fail(number, f"'{name}' is written twice")
            note, example = _note_and_example(comments, name, fail, number)
            current = TemplateField(name, bool(match.group("hash")), note, example, number, number + 1)
            template.fields[name] = current
            comments = []
            continue
        if line.startswith("#"):
            comments.append((number, line))
            current = None
            continue
        raise fail(number, f"expected a field, a list line or a '#' note, found {line.strip()[:40]!r}")
    return template


def _note_and_example(comments, name, fail, number) -> tuple[str, str]:
    note: list[str] = []
    example: list[str] = []
    in_example = False
    for line_number, line in comments:
        start = _EXAMPLE.match(line)
        if start:
            if example:
                raise fail(line_number, f"'{name}' has two examples")
            in_example = True
            if start.group("rest").strip():
                example.append(start.group("rest").strip())
                in_example = False
            continue
        indented = _EXAMPLE_LINE.match(line)
        if in_example and indented:
            example.append(indented.group("text"))
            continue
        in_example = False
        note.append(line.lstrip("#").strip())
    if not example:
        raise fail(number, f"'{name}' needs a '# For example:' line above it")
    snippet = textwrap.dedent("\n".join(example))
    try:
        data = yaml.safe_load(snippet)
    except yaml.YAMLError as error:
        raise fail(number, f"the example for '{name}' is not valid YAML: {error}") from None
    if not isinstance(data, dict) or list(data) != [name]:
        raise fail(number, f"the example for '{name}' must be written as '{name}: ...'")
    return " ".join(note), snippet


def yaml_lines(name: str, value) -> str:
    """``name: value`` as profile YAML: text in double quotes, dates and
    true/false bare, lists one item a line."""
    if isinstance(value, (list, tuple)):
        return "\n".join([f"{name}:", *(f"  - {_scalar(item)}" for item in value)])
    return f"{name}: {_scalar(value)}"


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, int, float)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        # A JSON string is a valid YAML double-quoted scalar.
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} into the template")
