"""Problems: everything wrong with a project, phrased for the person who can fix it.

Loading and validation never raise on bad content; they return Problems. One
type serves the CLI (``file:line: field: message``), the editor's problems panel
(jump to file and field) and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = "error"
    code: str = ""
    column: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        prefix = "" if self.severity == "error" else " warning:"
        return f"{where}:{prefix}{field} {self.message}"


@dataclass(frozen=True)
class FieldHint:
    """What a form says under a field about a problem only the canvas could find (an element
    the host page lacks): a short sentence, and values that would fix it, best first, for
    the form to offer as one-click choices. Problems carry no such offers: the CLI and the
    validator have nothing to offer them from."""

    text: str
    offers: tuple[str, ...] = ()


def sort_key(problem: Problem) -> tuple[object, ...]:
    """Errors first, then by file and line, so the first line of output is the one to fix."""
    return (
        0 if problem.is_error else 1,
        problem.file,
        problem.line if problem.line is not None else 0,
        problem.field,
        problem.message,
    )


def count(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
