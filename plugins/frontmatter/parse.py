"""Split a content file into YAML front matter and Markdown body, safely.

The front matter is parsed with libyaml's *base* loader, so every scalar
arrives as the text that was written: an unquoted ``01234567`` stays
``"01234567"`` and ``no`` stays ``"no"``. The schema decides later which
fields are numbers, booleans or dates. Alongside the data we keep where each
key and value was written, so that every later problem can name its line.
"""

from __future__ import annotations

import os
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import ContentError, Problem

try:  # libyaml is about ten times faster than the pure-Python parser.
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import BaseLoader as _BaseLoader

_DEFAULT_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                 yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_BaseLoader):
    """The base loader, minus the cost of asking its resolver about every
    node: it has no implicit or path resolvers, so every untagged node gets
    its kind's default tag, which is what these methods give at once."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass

#: Largest file we read; anything bigger is almost certainly a mistake.
MAX_FILE_BYTES = 1024 * 1024
#: Deepest nesting of lists and fields we accept. Content needs three or four
#: levels; a hostile file nested thousands deep would crash libyaml's composer.
MAX_DEPTH = 20
#: Headers whose nesting cannot exceed this (by a cheap count) are composed
#: without the event scan; libyaml's composer copes with far deeper input.
_SAFE_TO_COMPOSE = 1000
DELIMITER = "---"
# A line of the delimiter alone, give or take trailing spaces.
_OPENING = re.compile(r"---[^\S\n]*+(\n|\Z)")
_CLOSING = re.compile(r"^---[^\S\n]*+$", re.MULTILINE)
_TAB_INDENT = re.compile(r"^( *+)\t", re.MULTILINE)
#: Every pattern here that runs over contributed text (tests/test_patterns.py).
CONTENT_PATTERNS = (_OPENING, _CLOSING, _TAB_INDENT)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_PLAIN_TAGS = {"!", None}

Path_ = tuple  # a path into the data: ("partners", 2, "member")


@dataclass
class Document:
    """A content file split into its parts. Lines are 1-based, in the file."""

    source: str  # the path as shown in messages, relative to the project
    meta: dict
    body: str
    body_line: int
    #: Where each value, and each key and list item, was written: (line,
    #: column) pairs, one after the other, in the order the builder met them
    #: (each value, then each of its keys and their values, depth first).
    #: They follow the shape of ``meta``, so they are looked up by path
    #: (key_positions, value_positions) only once a problem asks where it is:
    #: most files have none. A large project is checked by several processes
    #: (validation.project), which send their documents back pickled, the
    #: positions as one flat array of numbers.
    positions_in_order: list = field(default_factory=list, repr=False, compare=False)

    @property
    def key_positions(self) -> dict:
        """path -> (line, column) of each key and list item."""
        return self._positions()[0]

    @property
    def value_positions(self) -> dict:
        """path -> (line, column) of each value."""
        return self._positions()[1]

    def position(self, path: Path_) -> tuple[int, int]:
        """Where the key (or list item) at ``path`` was written; falls back to
        the nearest written parent, then to the start of the front matter."""
        keys = self._positions()[0]
        path = tuple(path)
        while path:
            if path in keys:
                return keys[path]
            path = path[:-1]
        return (2, 1)

    def value_position(self, path: Path_) -> tuple[int, int]:
        values = self._positions()[1]
        path = tuple(path)
        if path in values:
            return values[path]
        return self.position(path)

    def _positions(self) -> tuple[dict, dict]:
        found = self.__dict__.get("_unpacked")
        if found is None:
            keys, values = {}, {}
            if len(self.positions_in_order):
                _unpack(self.meta, (), keys, values, iter(self.positions_in_order))
            found = self._unpacked = (keys, values)
        return found

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_unpacked", None)
        state["positions_in_order"] = array("l", self.positions_in_order)
        return state


def _unpack(value, path, keys, values, numbers):
    values[path] = (next(numbers), next(numbers))
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        keys[path + (key,)] = (next(numbers), next(numbers))
        _unpack(child, path + (key,), keys, values, numbers)


def read_document(path: Path, source: str) -> Document:
    """Read and split one file. Raises :class:`ContentError` naming the file."""
    try:
        raw = _read(path)
    except OSError as error:
        raise ContentError([Problem(source, message=f"cannot read the file: {error.strerror}")])
    return parse_document(raw, source)


def _read(path) -> bytes:
    """The file's bytes, read without open()'s size check and buffer."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while True:
            chunk = os.read(descriptor, _READ_SIZE)
            if not chunk:
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(descriptor)


_READ_SIZE = 64 * 1024  # most content files in one read


def parse_document(raw: bytes, source: str) -> Document:
    def fail(message: str, line: int = 1, column: int = 1, hint: str = "") -> ContentError:
        return ContentError([Problem(source, line, column, message=message, hint=hint)])

    if len(raw) > MAX_FILE_BYTES:
        raise fail(
            f"the file is {-(-len(raw) // 1024)} KB; the limit is {MAX_FILE_BYTES // 1024} KB",
            hint="split it or remove what does not belong",
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise fail("the file contains a NUL byte, so it is not a text file", line,
                   hint="save it again as plain UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise fail(f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})", line,
                   hint="save it again as UTF-8 text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise fail("the file is empty", hint="start it with a line '---', the fields, then another '---'")
    opening = _OPENING.match(text)
    if not opening:
        raise fail(
            "the file does not start with front matter",
            hint="the first line must be '---', followed by the fields and a closing '---'",
        )
    closing = _CLOSING.search(text, opening.end()) if opening.group(1) else None
    if not closing:
        raise fail("the front matter is never closed", 1,
                   hint="add a line '---' after the last field")
    header = text[opening.end():max(opening.end(), closing.start() - 1)]
    body = text[closing.end() + 1:]
    end = text.count("\n", 0, closing.start())  # the closing line's index
    document = Document(source=source, meta={}, body=body, body_line=end + 2)
    document.meta = _load_header(header, document, fail)
    return document


def _load_header(header: str, document: Document, fail) -> dict:
    if not header.strip():
        raise fail("the front matter is empty", 2, hint="write the fields between the two '---' lines")
    tab = _TAB_INDENT.search(header)
    if tab:
        line = header[: tab.start()].count("\n") + 2
        raise fail("a tab is used for indenting", line, len(tab.group(1)) + 1,
                   hint="indent with spaces only")
    try:
        if _nesting_bound(header) > _SAFE_TO_COMPOSE:
            _check_depth(header, fail)
        node = yaml.compose(header, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        column = mark.column + 1 if mark else 1
        what = error.problem or error.context or "it cannot be read"
        raise fail(f"the front matter is not valid YAML: {what}", line, column,
                   hint="check the indentation and put quotes around values that contain ': ' or start with a special character")
    except yaml.reader.ReaderError as error:  # a control character: no mark, a position
        before = header[: error.position]
        line = before.count("\n") + 2
        column = len(before) - (before.rfind("\n") + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        raise fail(f"the front matter contains the control character U+{code:04X}", line, column,
                   hint="remove it; only printable characters, tabs and line breaks are allowed")
    except yaml.YAMLError as error:  # pragma: no cover - other errors without a mark
        raise fail(f"the front matter is not valid YAML: {error}", 2)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 2 if node is not None else 2
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise fail(f"the front matter is {kind}, not a set of fields", line,
                   hint="write one 'field: value' per line")
    # Without a '*' there can be no alias, so nothing to watch for.
    return _Builder(document, fail, aliases_possible="*" in header).build(node, ())


def _nesting_bound(header: str) -> int:
    """An upper bound on how deep the header can nest: every level opens with
    a '[', '{', '-' or '?', or on a new line."""
    return (header.count("[") + header.count("{") + header.count("-") + header.count("?")
            + header.count("\n") + 1)


def _depth_problem(fail, line: int, column: int):
    return fail(f"the front matter is nested more than {MAX_DEPTH} levels deep", line, column,
                hint="content files need only a few levels of fields and lists")


def _check_depth(header: str, fail) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses in C
    and crashes the interpreter on input nested tens of thousands deep."""
    depth = 0
    for event in yaml.parse(header, Loader=_Loader):  # events come one at a time
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _depth_problem(fail, event.start_mark.line + 2, event.start_mark.column + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


_MAPPING, _SEQUENCE, _SCALAR = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
_STR = "tag:yaml.org,2002:str"
_NULLS = {"", "~", "null", "Null", "NULL"}


def _scalar(value: str, style):
    # An empty plain scalar ("field:" with nothing after it) means "no value".
    if not style:
        return None if value in _NULLS else value
    if (style == "|" or style == ">") and value.endswith("\n"):
        # A block scalar ends with the line break YAML keeps by default; it
        # is layout, not part of the value.
        return value[:-1]
    return value


class _Builder:
    """Turns a composed YAML node tree into plain dicts, lists and strings,
    recording positions and refusing what content files never need. Lines
    are the file's: +1 for the opening '---'. (It runs for every node of
    every file, so it is written for speed.)"""

    def __init__(self, document: Document, fail, aliases_possible: bool = True):
        self.in_order = document.positions_in_order = []  # see Document.positions_in_order
        self.fail = fail
        self.seen: set[int] | None = set() if aliases_possible else None

    def at(self, node) -> tuple[int, int]:
        return (node.start_mark.line + 2, node.start_mark.column + 1)

    def build(self, node, path):
        seen = self.seen
        if seen is not None:
            if id(node) in seen:
                raise self.fail("anchors and aliases ('&' and '*') are not allowed", *self.at(node),
                                hint="write the value out in full")
            seen.add(id(node))
        tag = node.tag
        if tag not in _STANDARD_TAGS and tag not in _PLAIN_TAGS:
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(f"the YAML tag '{tag}' is not allowed", *self.at(node),
                            hint="remove the tag (the part starting with '!')")
        mark = node.start_mark
        self.in_order += (mark.line + 2, mark.column + 1)
        kind = type(node)
        if kind is _SCALAR:
            return _scalar(node.value, node.style)
        if len(path) >= MAX_DEPTH:
            # The same problem _check_depth reports for headers it scans.
            raise _depth_problem(self.fail, *self.at(node))
        in_order = self.in_order
        if kind is _MAPPING:
            result = {}
            for key_node, value_node in node.value:
                if type(key_node) is not _SCALAR:
                    raise self.fail("a field name must be plain text", *self.at(key_node))
                key = key_node.value
                if key == "<<":
                    raise self.fail("merge keys ('<<') are not allowed", *self.at(key_node),
                                    hint="write the fields out in full")
                if key in result:
                    raise self.fail(f"the field '{_dotted(path + (key,))}' is given twice", *self.at(key_node),
                                    hint="keep one of them")
                mark = key_node.start_mark
                in_order += (mark.line + 2, mark.column + 1)
                if seen is None and type(value_node) is _SCALAR and value_node.tag == _STR:
                    # Most values: what build() would do, without the call.
                    mark = value_node.start_mark
                    in_order += (mark.line + 2, mark.column + 1)
                    result[key] = _scalar(value_node.value, value_node.style)
                else:
                    result[key] = self.build(value_node, path + (key,))
            return result
        items = []
        for index, item in enumerate(node.value):
            mark = item.start_mark
            in_order += (mark.line + 2, mark.column + 1)
            items.append(self.build(item, path + (index,)))
        return items


def _is_plain(node) -> bool:
    # Untagged nodes get the base loader's default tags; "!" is a plain
    # non-specific tag. Anything else was written explicitly.
    return getattr(node, "tag", None) in _PLAIN_TAGS


def _dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted_path = _dotted
