"""Write profile fields into a content file's text.

A new profile is written in the shape the template and the site's editor
use: fields in the schema's order, text in double quotes (so no value can
turn into a number, a date or true/false), vocabulary ids, true/false and
dates plain, lists one item a line. An update rewrites only the lines of the
fields it changes; every other byte of the file stays as it was.
"""

from __future__ import annotations

import json
import re

from .issue_body import RequestError

DELIMITER = "---"
# A field at the left margin: "name:" followed by a space or the line's end.
_FIELD_LINE = re.compile(r"\A([A-Za-z_][A-Za-z0-9_]*+):(?:[ \t]|$)")
#: A list written on one line, [a, b].
_FLOW_LIST = re.compile(r"\[([^\[\]]*+)\]")
#: Run over an issue's text, each from the start of a line or value only (match, fullmatch), so linear.
CONTENT_PATTERNS = (_FIELD_LINE, _FLOW_LIST)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


def field_lines(name: str, value, plain: bool) -> list[str]:
    """``name: value`` (or the list under ``name:``) as lines; ``plain``
    for vocabulary ids and true/false, which need no quotes."""
    def scalar(item: str) -> str:
        return item if plain else quoted(item)

    if isinstance(value, list):
        return [f"{name}:"] + [f"  - {scalar(item)}" for item in value]
    return [f"{name}: {scalar(value)}"]


def new_profile(fields: dict, order: list[str], plain: set[str], body: str) -> str:
    lines = [DELIMITER]
    for name in order:
        if name in fields:
            lines += field_lines(name, fields[name], name in plain)
    lines.append(DELIMITER)
    return "\n".join(lines) + "\n" + (body.strip() + "\n" if body.strip() else "")


def split(text: str, source: str) -> tuple[list[str], list[str], str]:
    """(opening line, header lines, the rest) of a file with front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        raise RequestError(f"{source} does not start with front matter, so it cannot be changed automatically. "
                           f"A maintainer will look at it.")
    for number in range(1, len(lines)):
        if lines[number].rstrip() == DELIMITER:
            return lines[:1], lines[1:number], "\n".join(lines[number:])
    raise RequestError(f"{source}'s front matter is never closed, so it cannot be changed automatically. "
                       f"A maintainer will look at it.")


def _blocks(header: list[str]) -> dict[str, tuple[int, int]]:
    """Each top-level field's lines in the header: [start, end)."""
    starts = [(number, match.group(1)) for number, line in enumerate(header)
              if (match := _FIELD_LINE.match(line))]
    blocks = {}
    for position, (start, name) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(header)
        while end - 1 > start and not header[end - 1].strip():
            end -= 1  # blank lines between fields stay between them
        blocks[name] = (start, end)
    return blocks


def updated_profile(text: str, fields: dict, order: list[str], plain: set[str], body: str | None,
                    source: str) -> str:
    """``text`` with the given fields (and the body, unless None) replaced;
    a field it does not have yet goes after the fields before it in
    ``order``."""
    opening, header, rest = split(text, source)
    for name in order:
        if name not in fields:
            continue
        new = field_lines(name, fields[name], name in plain)
        blocks = _blocks(header)
        if name in blocks:
            start, end = blocks[name]
            header[start:end] = new
            continue
        before = [blocks[other][1] for other in order[:order.index(name)] if other in blocks]
        at = max(before) if before else 0
        header[at:at] = new
    if body is not None:
        closing = rest.split("\n", 1)[0]
        rest = closing + "\n" + (body.strip() + "\n" if body.strip() else "")
    return "\n".join(opening + header) + "\n" + rest


def with_list_item(text: str, field: str, item: str, source: str) -> str:
    """``text`` with ``item`` added at the end of the list ``field`` (made
    if missing); every other byte stays as it was."""
    opening, header, rest = split(text, source)
    blocks = _blocks(header)
    if field not in blocks:
        header += [f"{field}:", f"  - {item}"]
    else:
        start, end = blocks[field]
        after = header[start][len(field) + 1:].strip()
        flow = _FLOW_LIST.fullmatch(after)
        if flow:
            items = [part.strip() for part in flow.group(1).split(",") if part.strip()]
            header[start] = f"{field}: [{', '.join(items + [item])}]"
        elif after and not after.startswith("#"):
            raise RequestError(f"The field {field} in {source} is not written as a list, so it cannot be "
                               f"changed automatically. A maintainer will add you by hand.")
        else:
            items = [number for number in range(start + 1, end) if header[number].lstrip().startswith("- ")]
            indent = header[items[-1]][:len(header[items[-1]]) - len(header[items[-1]].lstrip())] if items else "  "
            at = items[-1] + 1 if items else start + 1
            header[at:at] = [f"{indent}- {item}"]
    return "\n".join(opening + header) + "\n" + rest
