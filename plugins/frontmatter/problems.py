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


def format_problem(problem: Problem) -> str:
    where = f"{problem.source}:{problem.line}:{problem.column}"
    what = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.hint:
        what = f"{what}; {problem.hint}"
    return f"{where}: {problem.severity}: {what}"


def github_annotation(problem: Problem) -> str:
    """The same problem as a GitHub Actions workflow command."""
    what = f"{problem.field}: {problem.message}" if problem.field else problem.message
    if problem.hint:
        what = f"{what}; {problem.hint}"
    # Workflow commands treat %, CR and LF specially in the message.
    what = what.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    kind = "error" if problem.severity == "error" else "warning"
    return f"::{kind} file={problem.source},line={problem.line},col={problem.column}::{what}"


class ContentError(Exception):
    """Raised when a content file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
