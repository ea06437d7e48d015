"""Problems found in content files, and the one way they are printed.

Every layer (the reader, the schema validator, the cross-file checks) reports
:class:`Problem` objects; :func:`format_problem` turns one into the compiler
style line that editors and CI understand::

    members/acme-trust.md:7:3: error: services[1]: 'halth' is not a known service; ...
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one content file. ``line`` and ``column`` are 1-based."""

    source: str
    line: int = 1
    column: int = 1
    field: str = ""
    message: str = ""
    severity: str = "error"  # "error" or "warning"
    hint: str = dc_field(default="", compare=False)

    def format(self) -> str:
        return format_problem(self)


# Control characters and line breaks from a file's name or values are shown
# escaped, so that each problem stays on one line and nothing a contributor
# writes can start a line of its own (a "::" workflow command in CI, say) or
# send escape sequences to a terminal.
_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, 0x85]}
_ESCAPES.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r",
                 0x2028: "\\u2028", 0x2029: "\\u2029"})
# Bidirectional controls would reorder the rest of the line on screen.
_ESCAPES.update({code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def one_line(text: str) -> str:
    """``text`` with control characters and line breaks escaped."""
    return text.translate(_ESCAPES)


def _what(problem: Problem) -> str:
    what = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.hint:
        what = f"{what}; {problem.hint}"
    return what


def format_problem(problem: Problem) -> str:
    where = f"{problem.source}:{problem.line}:{problem.column}"
    return one_line(f"{where}: {problem.severity}: {_what(problem)}")


def github_annotation(problem: Problem) -> str:
    """The same problem as a GitHub Actions workflow command."""
    # Workflow commands treat %, CR and LF specially in the message, and
    # also ':' and ',' in a property such as the file name.
    what = one_line(_escape_data(_what(problem)))
    source = one_line(_escape_data(problem.source).replace(":", "%3A").replace(",", "%2C"))
    kind = "error" if problem.severity == "error" else "warning"
    return f"::{kind} file={source},line={problem.line},col={problem.column}::{what}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class ContentError(Exception):
    """Raised when a content file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
