"""Walk a document's fields alongside its schema.

The front matter arrives with every scalar as text. :func:`coerce_and_check`
turns the text of booleans and numbers into values where the schema wants
them, and checks every piece of text for what no schema keyword can say
(hidden characters, web and email addresses, markup). :func:`convert` turns
checked dates and times into Python values, leaving out values that failed
a check so that nothing builds on them.

Each schema node is resolved once into a :class:`Field`, since the same
schema walks thousands of documents.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from frontmatter.parse import dotted_path
from frontmatter.problems import Problem

from .schemas import resolve, uses_keyword

UK = ZoneInfo("Europe/London")
#: A plain address: no '%', '?', '&', '#' or other characters that a mailto:
#: link would read as encoding, parameters (a hidden copy to someone else) or
#: a fragment.
EMAIL = re.compile(r"\A[A-Za-z0-9._+'-]++@[A-Za-z0-9](?:[A-Za-z0-9-]*+(?<=[A-Za-z0-9]))?+"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*+(?<=[A-Za-z0-9]))?+)++\Z")
MARKUP = re.compile(r"<\s*+/?\s*+[A-Za-z!?]")
#: What no field may hold: line breaks and other control characters (a value
#: is one line on the page, in the CSV and in CI's output), and the
#: bidirectional embeddings, overrides and isolates, which can make text
#: display in a different order from the one it is read in.
HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Text without any of these needs no check beyond its link (if any).
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069<]")
_MAILTO_SPECIAL = "%?&#=/!$*^`{|}~"
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: An http(s) address with a plain ASCII host and no user information:
#: urlsplit would accept it, and the address goes where it shows.
_PLAIN_WEB_ADDRESS = re.compile(r"\A(?i:https?)://[A-Za-z0-9.:%_~!$&'()*+,;=-]++(?:[/?#][^\s<>\"@]*+)?+\Z")
_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,15}(?:\.[0-9]*+)?|\.[0-9]++)")

#: Every pattern above that runs over contributed text.
CONTENT_PATTERNS = (EMAIL, MARKUP, HIDDEN, _SUSPECT, _PLAIN_WEB_ADDRESS, _INTEGER, _NUMBER)


class Field:
    """One schema node, resolved, with its children looked up on demand."""

    __slots__ = ("schema", "root", "type", "link", "convert", "has_convert", "plain_text", "_properties", "_items",
                 "_converted")

    def __init__(self, schema: dict, root: dict):
        self.schema = resolve(schema, root)
        self.root = root
        self.type = self.schema.get("type")
        self.link = self.schema.get("x-link")
        self.convert = self.schema.get("x-convert")
        self.has_convert = uses_keyword(self.schema, root, "x-convert")
        self.plain_text = self.type not in ("boolean", "integer", "number")  # text stays text
        self._properties: dict[str, Field] = {}
        self._items = None
        self._converted = None

    def child(self, key) -> Field:
        """The field for a key of an object, or for an item of a list."""
        if isinstance(key, int):
            if self._items is None:
                self._items = _field(self.schema.get("items", {}), self.root)
            return self._items
        field = self._properties.get(key)
        if field is None:
            field = self._properties[key] = _field(self.schema.get("properties", {}).get(key, {}), self.root)
        return field

    def converted_keys(self) -> tuple:
        """The properties that hold, or contain, a date or time."""
        if self._converted is None:
            self._converted = _converted_keys(self)
        return self._converted


_FIELDS: dict[tuple[int, int], tuple[dict, Field]] = {}


def field_for(schema: dict, root: dict | None = None) -> Field:
    return _field(schema, schema if root is None else root)


def _converted_keys(field: Field) -> tuple:
    return tuple(k for k in field.schema.get("properties", {}) if field.child(k).has_convert)


def _field(schema: dict, root: dict) -> Field:
    # Keyed by identity; the cache keeps the schema node, so its id stays its own.
    cached = _FIELDS.get((id(schema), id(root)))
    if cached is not None and cached[0] is schema:
        return cached[1]
    field = Field(schema, root)
    _FIELDS[(id(schema), id(root))] = (schema, field)
    return field


def coerce_and_check(value, field: Field, path: tuple, document, problems: list, failed: set, unreadable: set):
    """``value`` with booleans and numbers coerced where ``field`` wants
    them; problems with its text are added to ``problems``, and their paths
    to ``failed`` (and to ``unreadable`` for hidden characters)."""
    if isinstance(value, str):
        expected = field.type
        if expected == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if expected == "integer" and _INTEGER.fullmatch(value):
            return int(value)
        if expected == "number" and _NUMBER.fullmatch(value.replace(",", "")):
            number = float(value.replace(",", ""))
            return int(number) if number.is_integer() else number
        if field.link or _SUSPECT.search(value):
            _check_text(value, field, path, document, problems, failed, unreadable)
        return value
    if isinstance(value, dict):
        children = field._properties
        coerced = {}
        for k, v in value.items():
            child = children.get(k) or field.child(k)
            if type(v) is str and child.plain_text:
                # Most values: what the call would do, without the call.
                if child.link or _SUSPECT.search(v):
                    _check_text(v, child, path + (k,), document, problems, failed, unreadable)
                coerced[k] = v
            else:
                coerced[k] = coerce_and_check(v, child, path + (k,), document, problems, failed, unreadable)
        return coerced
    if isinstance(value, list):
        items = field.child(0)
        return [coerce_and_check(v, items, path + (i,), document, problems, failed, unreadable)
                for i, v in enumerate(value)]
    return value


def _check_text(value: str, field: Field, path: tuple, document, problems, failed, unreadable):
    def add(message, hint):
        line, column = document.value_position(path)
        problems.append(Problem(document.source, line, column, dotted_path(path), message, hint=hint))
        failed.add(path)

    hidden = HIDDEN.search(value)
    if hidden:
        add(*_hidden_character(value, hidden.group()))
        unreadable.add(path)
        return
    if field.link == "web":
        if not _PLAIN_WEB_ADDRESS.match(value):  # a quick yes for most; the full check for the rest
            _check_web_address(value, add)
    elif field.link == "email":
        if not EMAIL.match(value):
            unsafe = next((c for c in value if c in _MAILTO_SPECIAL), None) if "@" in value else None
            if unsafe:
                # info%40example.org?bcc=someone%40elsewhere.example&x=@example.org
                # would become a mailto: link that copies someone else in.
                add(f"{_quoted(value)} is not a plain email address: it holds '{unsafe}', which an email program "
                    "reads as part of a link, not of the address",
                    "write just the address, as name@example.org")
            else:
                add(f"{_quoted(value)} is not an email address", "write it as name@example.org, without 'mailto:'")
    if MARKUP.search(value):
        add("HTML is not allowed in fields", "write plain text without '<' tags")


def _check_web_address(value: str, add):
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1" and the like
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' <>"'):
        add(f"{_quoted(value)} is not a web address", "write the full address starting with https://")
    elif "@" in parts.netloc:
        # https://www.example.org@elsewhere.example/ goes to elsewhere.example.
        add(f"{_quoted(value)} holds a user name before '@', so it goes to '{parts.netloc.rpartition('@')[2][:80]}', "
            "not to the address it seems to show",
            "write the address without the part up to '@', as https://www.example.org/")


def _quoted(value: str) -> str:
    """The value in quotes, cut short if it is long: one problem, one line."""
    return f"'{value}'" if len(value) <= 200 else f"'{value[:200]}…' ({len(value)} characters)"


def _hidden_character(value: str, character: str) -> tuple[str, str]:
    shown = f"'{value}'" if len(value) < 60 else "the text"
    if character in _LINE_BREAKS:
        return f"{shown} contains a line break", "write the value on one line"
    if character in _BIDI:
        return (f"{shown} contains the invisible character U+{ord(character):04X}, "
                "which changes the order text is shown in",
                "remove it (retype the value if you copied it from elsewhere)")
    return (f"{shown} contains the control character U+{ord(character):04X}",
            "remove it; only printable characters are allowed")


def convert(value, field: Field, path: tuple, document, problems: list, failed: set):
    """``value`` without the values at ``failed`` paths, with dates and
    times turned into Python values where the schema says so."""
    if not failed and not field.has_convert:
        return value
    if isinstance(value, str):
        if field.convert:
            try:
                return convert_value(value, field.convert)
            except ValueError:
                line, column = document.value_position(path)
                problems.append(Problem(document.source, line, column, dotted_path(path),
                                        f"'{value}' is not a real date or time",
                                        hint=field.schema.get("description", "")))
        return value
    if isinstance(value, dict):
        if not failed:  # only the fields that hold dates need a look
            converted = dict(value)
            for k in field.converted_keys():
                if k in value:
                    converted[k] = convert(value[k], field.child(k), path + (k,), document, problems, failed)
            return converted
        return {k: convert(v, field.child(k), path + (k,), document, problems, failed)
                for k, v in value.items() if path + (k,) not in failed}
    if isinstance(value, list):
        items = field.child(0)
        return [convert(v, items, path + (i,), document, problems, failed)
                for i, v in enumerate(value) if path + (i,) not in failed]
    return value


def convert_value(value: str, kind: str):
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "uk-datetime":
        return dt.datetime.strptime(value.replace("T", " "), "%Y-%m-%d %H:%M").replace(tzinfo=UK)
    if kind == "uk-date-or-datetime":
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.strptime(value.replace("T", " "), "%Y-%m-%d %H:%M").replace(tzinfo=UK)
    raise ValueError(kind)
