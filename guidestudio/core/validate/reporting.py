"""How rules report: Problems located in their file, project-wide facts, guards.

Every rule module writes through a ``Reporter`` (field path in, file line and
dotted name out), reads the project through a ``Context`` built once, and is
run inside ``guarded`` so a bug in one rule becomes one ``internal`` Problem.
Shared by the rule modules and the incremental validator that runs them, so
they all phrase "did you mean" and internal errors the same way.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from guidestudio.core.files.project_io import FOLDERS, PROJECT_FILE, ProjectFiles
from guidestudio.core.files.schemas import format_path
from guidestudio.core.model import Project
from guidestudio.core.problems import Problem, Severity

log = logging.getLogger("guidestudio.core.validate")  # the package's logger, as before the split

FieldPath = tuple[Any, ...]
T = TypeVar("T")


@dataclass
class Reporter:
    """Collects Problems for one file, turning field paths into lines and dotted names."""

    files: ProjectFiles
    file: str
    out: list[Problem] = field(default_factory=list)

    def add(self, path: FieldPath, code: str, message: str,
            severity: Severity = "error") -> None:
        self.out.append(Problem(self.file, self.files.locate(self.file, path),
                                format_path(path), message, severity, code))

    def warn(self, path: FieldPath, code: str, message: str) -> None:
        self.add(path, code, message, "warning")


@dataclass
class Context:
    """Project-wide facts every rule needs, computed once."""

    project: Project
    files: ProjectFiles
    locales: tuple[str, ...] | None  # None when guidestudio.yaml is broken: unknown
    root_real: Path | None
    broken_ids: dict[str, set[str]]
    image_cache: dict[str, list[tuple[str, str, Severity]]] = field(default_factory=dict)

    @classmethod
    def build(cls, project: Project, files: ProjectFiles) -> Context:
        broken: dict[str, set[str]] = {folder: set() for folder in FOLDERS}
        for rel in files.broken:
            folder, _, name = rel.partition("/")
            if folder in broken and name:
                broken[folder].add(name.rsplit(".", 1)[0])
        locales = None if PROJECT_FILE in files.broken else tuple(project.settings.locales or ())
        root_real = None
        if project.root is not None:
            try:
                root_real = Path(project.root).resolve()
            except (OSError, RuntimeError):
                root_real = None
        return cls(project, files, locales, root_real, broken)

    def missing_ref(self, folder: str, ref: str, what: str, known: Mapping[str, Any]) -> str:
        """Message for a reference to an entity that is not in the model."""
        if ref in self.broken_ids.get(folder, ()):
            return (f"{what} {ref!r} could not be loaded because {folder}/{ref}.yaml has "
                    f"errors; fix that file first")
        return (f"there is no {what} {ref!r}{did_you_mean(ref, set(known))}; pick an existing "
                f"{what} or create {folder}/{ref}.yaml")


def did_you_mean(name: Any, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``options``, or nothing if none is close."""
    close = difflib.get_close_matches(str(name), sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def guarded(out: list[Problem], file: str, what: str, check: Callable[[], T]) -> T | None:
    """Run one group of rules; a bug in it becomes one Problem instead of a traceback."""
    try:
        return check()
    except Exception as exc:  # the whole point is to contain any bug in a rule
        log.exception("validation of %s failed", what)
        out.append(internal_problem(file, what, exc))
        return None


def internal_problem(file: str, what: str, exc: BaseException) -> Problem:
    """The Problem that stands for a bug found while checking ``what``."""
    return Problem(file, None, "",
                   f"internal error while checking {what} ({type(exc).__name__}: "
                   f"{exc}); the other checks still ran — please report this bug",
                   "error", "internal")

