"""The open project as Qt sees it: one model, one undo stack, change signals.

Widgets read the model through ``get`` and change it only through the edit
methods here, which push ``EditCommand``s; every change is then announced with
``changed(Change)``. A ``Change`` says what changed and who initiated it (Anki's
pattern), so the field the user is typing in does not reload itself while every
other view follows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.commands import EditCommand
from app.core import edits
from app.core.edits import MISSING, Edit, InsertItem, MoveItem, RemoveItem, SetValue
from app.core.problems import Problem
from app.core.project_io import LoadResult, ProjectFiles, load_project, save_project

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """What changed (a path into the project) and who did it (None: undo/redo/reload)."""

    path: tuple[Any, ...]
    origin: Any
    kind: str  # "edit" | "undo" | "redo" | "reload" (a file changed on disk)

    def touches(self, path: tuple[Any, ...]) -> bool:
        """True when this change is at, above or below ``path``."""
        n = min(len(path), len(self.path))
        return self.path[:n] == path[:n]


class Document(QObject):
    changed = Signal(object)  # Change
    reset = Signal()  # the whole project was replaced (open, reload)
    problemsChanged = Signal()
    rootChanged = Signal(object)  # Path

    #: Delay between the last edit and revalidation: keeps validation off the typing path.
    VALIDATE_DELAY_MS = 400

    def __init__(self, result: LoadResult, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._result = result
        self._validation: list[Problem] = []
        # Entities touched since the last save; None means "don't know: save everything".
        self._dirty: set[tuple[str, ...]] | None = set()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(self.VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.revalidate)
        self.revalidate()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str, parent: QObject | None = None) -> Document:
        return cls(load_project(Path(root)), parent)

    def replace(self, result: LoadResult) -> None:
        """Take a freshly loaded project (reload from disk); history no longer applies."""
        self._result = result
        self._dirty = set()
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.reset.emit()
        self.revalidate()

    def dispose(self) -> None:
        """Silence the document before it is dropped (closing or switching projects).

        QUndoStack's destructor clears the stack and emits ``cleanChanged`` and
        ``indexChanged``; if that happens while the garbage collector is tearing
        down the views connected to them, PySide calls into freed objects.
        """
        self._validate_timer.stop()
        self.undo_stack.blockSignals(True)
        self.blockSignals(True)

    # --- reading ---------------------------------------------------------------------

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self._result.project

    @property
    def files(self) -> ProjectFiles:
        return self._result.files

    @property
    def root(self) -> Path | None:
        return self._result.project.root

    @property
    def load_problems(self) -> list[Problem]:
        return self._result.problems

    @property
    def problems(self) -> list[Problem]:
        return [*self._result.problems, *self._validation]

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def get(self, path: tuple[Any, ...], default: Any = None) -> Any:
        value = edits.get(self.project, path)
        return default if value is MISSING else value

    # --- writing (the only way the model changes) -------------------------------------

    def apply(self, edit: Edit, text: str, origin: Any = None, mergeable: bool = False) -> None:
        self.undo_stack.push(EditCommand(self, edit, text, origin, mergeable))

    def set_value(self, path: tuple[Any, ...], value: Any, text: str | None = None,
                  origin: Any = None, merge: bool | None = None) -> None:
        """Set one field; consecutive typing in the same field merges into one undo step.

        ``merge`` defaults to True for text (typing) and False otherwise; a rule
        builder whose value box rewrites a whole condition passes True.
        """
        if self.get(path, MISSING) == value:
            return
        label = text or f"Edit {_describe(path)}"
        mergeable = isinstance(value, str) if merge is None else merge
        self.apply(SetValue(path, value), label, origin, mergeable=mergeable)

    def clear_value(self, path: tuple[Any, ...], text: str | None = None,
                    origin: Any = None) -> None:
        if self.get(path, MISSING) in (MISSING, None):
            return
        self.apply(SetValue(path, MISSING), text or f"Clear {_describe(path)}", origin)

    def insert_item(self, path: tuple[Any, ...], index: int, item: Any, text: str,
                    origin: Any = None) -> None:
        self.apply(InsertItem(path, index, item), text, origin)

    def remove_item(self, path: tuple[Any, ...], index: int, text: str,
                    origin: Any = None) -> None:
        self.apply(RemoveItem(path, index), text, origin)

    def move_item(self, path: tuple[Any, ...], source: int, dest: int, text: str,
                  origin: Any = None) -> None:
        if source != dest:
            self.apply(MoveItem(path, source, dest), text, origin)

    # --- saving ----------------------------------------------------------------------

    def save(self, root: Path | str | None = None) -> list[str]:
        """Write changed files atomically; the undo stack's clean state is the saved state."""
        target = Path(root) if root is not None else self.root
        written = save_project(self.project, self.files, root=target, only=self._dirty)
        self._dirty = set()
        if target is not None and target != self.root:
            # Save As: the project now lives there; reload so file bookkeeping matches.
            self._result = load_project(target)
            self.rootChanged.emit(target)
            self.revalidate()
        self.undo_stack.setClean()
        return written

    # --- validation ------------------------------------------------------------------

    def schedule_validation(self) -> None:
        self._validate_timer.start()

    def revalidate(self) -> None:
        from app.core.validate import validate_project

        try:
            self._validation = validate_project(self.project, self.files)
        except Exception:  # validation must never take the editor down
            log.exception("validation failed")
            self._validation = []
        self.problemsChanged.emit()

    # --- internal --------------------------------------------------------------------

    def _notify(self, path: tuple[Any, ...], origin: Any, kind: str) -> None:
        self._mark_dirty(tuple(path))
        self.changed.emit(Change(tuple(path), origin, kind))
        self.schedule_validation()


    def _mark_dirty(self, path: tuple[Any, ...]) -> None:
        if self._dirty is None:
            return
        if len(path) >= 2 and path[0] in ("guides", "segments", "themes"):
            self._dirty.add((path[0], path[1]))
        elif path and path[0] == "settings":
            self._dirty.add(("settings",))
        elif path and path[0] == "profiles":
            self._dirty.add(("profiles",))
        else:
            self._dirty = None  # a change above one entity: save everything

    def mark_changed(self, path: tuple[Any, ...]) -> None:
        """For changes made outside the undo stack (a file reloaded from disk)."""
        self._mark_dirty(tuple(path))


def _describe(path: tuple[Any, ...]) -> str:
    """Undo menu text: "Edit title (ja)" reads better than a raw path."""
    words = [p for p in path if isinstance(p, str)]
    if len(words) >= 2 and len(path) >= 2 and path[-1] == words[-1] and _is_locale(words[-1]):
        return f"{words[-2].replace('_', ' ')} ({words[-1]})"
    return words[-1].replace("_", " ") if words else "value"


def _is_locale(word: str) -> bool:
    head = word.split("-")[0]
    return 2 <= len(head) <= 3 and head.isalpha() and head.islower()
