"""Split a content file into YAML front matter and Markdown body, safely.

The front matter is parsed with libyaml's *base* loader, so every scalar
arrives as the text that was written: an unquoted ``01234567`` stays
``"01234567"`` and ``no`` stays ``"no"``. The schema decides later which
fields are numbers, booleans or dates. Alongside the data we keep where each
key and value was written, so that every later problem can name its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import ContentError, Problem

try:  # libyaml is about ten times faster than the pure-Python parser.
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import BaseLoader as _Loader

#: Largest file we read; anything bigger is almost certainly a mistake.
MAX_FILE_BYTES = 1024 * 1024
#: Deepest nesting of lists and fields we accept. Content needs three or four
#: levels; a hostile file nested thousands deep would crash libyaml's composer.
MAX_DEPTH = 20
DELIMITER = "---"
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
    key_positions: dict = field(default_factory=dict)  # path -> (line, col)
    value_positions: dict = field(default_factory=dict)  # path -> (line, col)

    def position(self, path: Path_) -> tuple[int, int]:
        """Where the key (or list item) at ``path`` was written; falls back to
        the nearest written parent, then to the start of the front matter."""
        path = tuple(path)
        while path:
            if path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return (2, 1)

    def value_position(self, path: Path_) -> tuple[int, int]:
        path = tuple(path)
        if path in self.value_positions:
            return self.value_positions[path]
        return self.position(path)


def read_document(path: Path, source: str) -> Document:
    """Read and split one file. Raises :class:`ContentError` naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ContentError([Problem(source, message=f"cannot read the file: {error.strerror}")])
    return parse_document(raw, source)


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
    lines = text.split("\n")
    if lines[0].rstrip() != DELIMITER:
        raise fail(
            "the file does not start with front matter",
            hint="the first line must be '---', followed by the fields and a closing '---'",
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == DELIMITER)
    except StopIteration:
        raise fail("the front matter is never closed", 1,
                   hint="add a line '---' after the last field")
    header = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    document = Document(source=source, meta={}, body=body, body_line=end + 2)
    document.meta = _load_header(header, document, fail)
    return document


def _load_header(header: str, document: Document, fail) -> dict:
    if not header.strip():
        raise fail("the front matter is empty", 2, hint="write the fields between the two '---' lines")
    tab = re.search(r"^( *)\t", header, re.MULTILINE)
    if tab:
        line = header[: tab.start()].count("\n") + 2
        raise fail("a tab is used for indenting", line, len(tab.group(1)) + 1,
                   hint="indent with spaces only")
    try:
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
    return _Builder(document, fail).build(node, ())


def _check_depth(header: str, fail) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses in C
    and crashes the interpreter on input nested tens of thousands deep."""
    depth = 0
    for event in yaml.parse(header, Loader=_Loader):  # events come one at a time
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise fail(f"the front matter is nested more than {MAX_DEPTH} levels deep",
                           event.start_mark.line + 2, event.start_mark.column + 1,
                           hint="content files need only a few levels of fields and lists")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


class _Builder:
    """Turns a composed YAML node tree into plain dicts, lists and strings,
    recording positions and refusing what content files never need."""

    def __init__(self, document: Document, fail):
        self.document = document
        self.fail = fail
        self.seen: set[int] = set()

    def pos(self, mark) -> tuple[int, int]:
        return (mark.line + 2, mark.column + 1)  # +1 for the opening '---'

    def build(self, node, path):
        if id(node) in self.seen:
            line, column = self.pos(node.start_mark)
            raise self.fail("anchors and aliases ('&' and '*') are not allowed", line, column,
                            hint="write the value out in full")
        self.seen.add(id(node))
        if node.tag not in _STANDARD_TAGS and not _is_plain(node):
            line, column = self.pos(node.start_mark)
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(f"the YAML tag '{tag}' is not allowed", line, column,
                            hint="remove the tag (the part starting with '!')")
        self.document.value_positions[path] = self.pos(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = self.pos(key_node.start_mark)
                    raise self.fail("a field name must be plain text", line, column)
                key = key_node.value
                if key == "<<":
                    line, column = self.pos(key_node.start_mark)
                    raise self.fail("merge keys ('<<') are not allowed", line, column,
                                    hint="write the fields out in full")
                if key in result:
                    line, column = self.pos(key_node.start_mark)
                    raise self.fail(f"the field '{_dotted(path + (key,))}' is given twice", line, column,
                                    hint="keep one of them")
                self.document.key_positions[path + (key,)] = self.pos(key_node.start_mark)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.document.key_positions[path + (index,)] = self.pos(item.start_mark)
                items.append(self.build(item, path + (index,)))
            return items
        # An empty plain scalar ("field:" with nothing after it) means "no value".
        plain = node.style in (None, "")
        if plain and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value


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
