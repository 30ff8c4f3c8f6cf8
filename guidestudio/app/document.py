"""The open project as Qt sees it: one model, one undo stack, change signals.

Widgets read the model through ``get`` and change it only through the edit
methods here, which push ``EditCommand``s; every change is then announced with
``changed(Change)``. A ``Change`` says what changed and who initiated it (Anki's
pattern), so the field the user is typing in does not reload itself while every
other view follows.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoStack

from guidestudio.app.commands import EditCommand
from guidestudio.core import edits
from guidestudio.core.edits import MISSING, Edit, InsertItem, MoveItem, RemoveItem, SetValue
from guidestudio.core.files.project_io import LoadResult, ProjectFiles, load_project, save_project
from guidestudio.core.problems import FieldHint, Problem

if TYPE_CHECKING:
    from guidestudio.core.validate.incremental import ProjectValidator

log = logging.getLogger(__name__)
_VALIDATOR_MODULE = "guidestudio.core.validate.incremental"


class _ImportValidator(QRunnable):
    """Import the validation stack on a pool thread, then let the document start.

    It is ~150 ms of imports (Markdown, CSS selectors, the targeting
    evaluator); on the GUI thread that would be the longest freeze of opening
    a project.
    """

    def __init__(self, document: Document) -> None:
        super().__init__()
        self._document = document

    def run(self) -> None:
        import importlib

        try:
            importlib.import_module(_VALIDATOR_MODULE)
            from guidestudio.core.validate.values import warm_up

            warm_up()
        except Exception:  # the slices will import it again and report what fails
            log.exception("could not prepare validation")
        finally:
            try:
                self._document._validatorImported.emit()  # queued to the GUI thread
            except RuntimeError:  # the document was deleted meanwhile: nothing to do
                pass


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
    validationProgress = Signal(int, int)  # units checked, units in this pass
    #: The undo stack's ``cleanChanged``, relayed: connect here, never to the stack itself.
    cleanChanged = Signal(bool)
    _validatorImported = Signal()

    #: Delay between the last edit and revalidation: keeps validation off the typing path.
    VALIDATE_DELAY_MS = 400
    #: The longest validation holds the GUI thread at a time (one unit more at worst).
    VALIDATE_SLICE_S = 0.015

    def __init__(self, result: LoadResult, parent: QObject | None = None,
                 validate: bool = True) -> None:
        """``validate=False`` leaves the first validation to ``validate_in_background``.

        The loader builds documents on a worker thread and hands them over
        unvalidated: the project shows at once and its problems arrive in
        slices, instead of the window waiting for a full pass.
        """
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        # QUndoStack's destructor clears the stack and emits cleanChanged/indexChanged/
        # canUndoChanged... while the objects that listen to it may be half torn down
        # (a child of this document, a view in the same garbage cycle), and PySide then
        # calls into a dead wrapper. A signal-to-signal relay is a connection *to this
        # document*, which ~QObject removes before it deletes its children (the stack):
        # the stack's last words reach no one. Views listen to the relay.
        self.undo_stack.cleanChanged.connect(self.cleanChanged)
        self._result = result
        self._validation: list[Problem] = []
        self._validator: ProjectValidator | None = None  # made when first needed
        # What only a host page shows (set_page_problems): per entity, its problems and the
        # hints its fields show, by the field's model path.
        self._page: dict[tuple[str, ...], tuple[list[Problem], dict[tuple[Any, ...], FieldHint]]]
        self._page = {}
        # Entities touched since the last save; None means "don't know: save everything".
        self._dirty: set[tuple[str, ...]] | None = set()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(self.VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.validate_in_background)
        self._slice_timer = QTimer(self)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._validate_slice)
        self._validatorImported.connect(self.validate_in_background)
        # Every change, also those the file watcher applies directly, dirties what it touches.
        self.changed.connect(self._invalidate)
        #: Counts every change and reset: work done against the project off the GUI thread
        #: (planning an import) compares it to know whether what it read is still current —
        #: the undo stack cannot tell (typing merges into one command; the watcher bypasses it).
        self.revision = 0
        self.changed.connect(self._bump_revision)
        self.reset.connect(self._bump_revision)
        if validate:
            self.revalidate()

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str, parent: QObject | None = None,
             validate: bool = True, cache_dir: Path | None = None) -> Document:
        """``cache_dir``: where parsed files are kept between opens (``core/files/parse_cache``)."""
        return cls(load_project(Path(root), cache_dir), parent, validate)

    def replace(self, result: LoadResult) -> None:
        """Take a freshly loaded project (reload from disk); history no longer applies."""
        self._result = result
        self._validator = None
        self._dirty = set()
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._page.clear()  # the canvas checks the reloaded guides again
        self.reset.emit()
        self.validate_in_background()

    def dispose(self) -> None:
        """Silence the document before it is dropped (closing or switching projects).

        Its timers stop and nothing it or its undo stack emits while it dies
        reaches a view (listeners use the ``cleanChanged`` relay anyway, see
        ``__init__``; ``app/gc_policy.py`` for when cycles are freed).
        """
        self._validate_timer.stop()
        self._slice_timer.stop()
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
        """What loading and validating the project found (the same as a fresh check would)."""
        return [*self._result.problems, *self._validation]

    @property
    def page_problems(self) -> list[Problem]:
        """What the host page on the canvas showed (``set_page_problems``): shown with the
        others (``kit.editing.all_problems``), but no check of the files can repeat it."""
        return [p for key, (found, _) in self._page.items() if self._exists(key) for p in found]

    # --- what the canvas found on the host page ---------------------------------------

    def set_page_problems(self, entity: tuple[str, ...], problems: Sequence[Problem],
                          hints: Mapping[tuple[Any, ...], FieldHint] | None = None) -> None:
        """Problems only the host page on the canvas can show (a step's element missing) for
        one entity, e.g. ``("guides", id)``, replacing its last ones; ``hints`` (by a field's
        model path) are what the field's form says and offers under it.

        Kept apart from validation, which never sees a page: a revalidation keeps
        them, and the canvas replaces them whenever it has checked its page again.
        """
        new = (list(problems), dict(hints or {}))
        if self._page.get(entity, ([], {})) == new:
            return
        if new[0] or new[1]:
            self._page[entity] = new
        else:
            self._page.pop(entity, None)
        self.problemsChanged.emit()

    def clear_page_problems(self) -> None:
        """Forget what the last host page showed (another page is being loaded)."""
        if self._page:
            self._page.clear()
            self.problemsChanged.emit()

    def field_hint(self, path: tuple[Any, ...]) -> FieldHint | None:
        """What the canvas says under the field at ``path`` (``set_page_problems``), if any."""
        for key, (_, hints) in self._page.items():
            if tuple(path[:len(key)]) == key and self._exists(key):
                hint = hints.get(tuple(path))
                if hint is not None:
                    return hint
        return None

    def _exists(self, entity: tuple[str, ...]) -> bool:
        return self.get(entity, MISSING) is not MISSING

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def unsaved(self) -> list[tuple[str, ...]] | None:
        """What was edited since the last save: ``("guides", id)``, ``("settings",)``…,
        sorted; None when an edit spanned the whole project (everything is written)."""
        return None if self._dirty is None else sorted(self._dirty)

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
            self._validator = None
            self.rootChanged.emit(target)
            self.validate_in_background()
        self.undo_stack.setClean()
        return written

    # --- validation ------------------------------------------------------------------

    @property
    def validating(self) -> bool:
        """Whether some of the project has not been checked since it last changed."""
        return self._validator is None or self._validator.pending > 0

    def _ensure_validator(self) -> ProjectValidator:
        if self._validator is None:
            from guidestudio.core.validate.incremental import ProjectValidator

            self._validator = ProjectValidator(self.project, self.files)
        return self._validator

    def schedule_validation(self) -> None:
        """Revalidate once the user pauses (what changed was already marked dirty)."""
        self._validate_timer.start()

    def validate_in_background(self) -> None:
        """Check what is dirty in slices of the event loop, then publish the problems.

        Slices rather than a thread: the model is edited on this thread, so a
        validator running elsewhere would read it mid-edit. A slice holds the
        loop for ``VALIDATE_SLICE_S``; an edit's revalidation (one guide) fits
        in one.
        """
        self._validate_timer.stop()
        if _VALIDATOR_MODULE not in sys.modules:
            QThreadPool.globalInstance().start(_ImportValidator(self))  # comes back here
            return
        if not self._slice_timer.isActive():
            self._slice_timer.start()

    def revalidate(self) -> None:
        """Check everything now, on this thread (opening synchronously, tests, benchmarks)."""
        self._slice_timer.stop()
        self._validate_timer.stop()
        validator = self._ensure_validator()
        validator.invalidate_all()
        validator.run()
        self._publish()

    def _validate_slice(self) -> None:
        validator = self._ensure_validator()
        done = validator.run(self.VALIDATE_SLICE_S)
        self.validationProgress.emit(validator.total - validator.pending, validator.total)
        if done:
            self._slice_timer.stop()
            self._publish()

    def _publish(self) -> None:
        try:
            self._validation = self._ensure_validator().problems()
        except Exception:  # validation must never take the editor down
            log.exception("validation failed")
            self._validation = []
        self.problemsChanged.emit()

    def _bump_revision(self, *_: Any) -> None:
        self.revision += 1

    def _invalidate(self, change: Change) -> None:
        if self._validator is not None:  # else everything is still to be checked anyway
            self._validator.invalidate(change.path)

    def announce(self, path: tuple[Any, ...], origin: Any, kind: str,
                 touched: list[tuple[Any, ...]] | None = None) -> None:
        """Tell every view that ``path`` changed (the undo commands call this after each
        edit they apply); ``origin`` is who made the edit, ``kind`` edit/undo/redo.

        ``touched``: the single changes under ``path`` (a batch's parts), so that a
        rename marks the entities it touched for saving instead of the whole project.
        """
        for part in touched if touched else [path]:
            self._mark_dirty(tuple(part))
        self.changed.emit(Change(tuple(path), origin, kind))
        self.schedule_validation()

    # --- internal --------------------------------------------------------------------

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


def _describe(path: tuple[Any, ...]) -> str:
    """Undo menu text: "Edit title (ja)" reads better than a raw path."""
    words = [p for p in path if isinstance(p, str)]
    if len(words) >= 2 and len(path) >= 2 and path[-1] == words[-1] and _is_locale(words[-1]):
        return f"{words[-2].replace('_', ' ')} ({words[-1]})"
    return words[-1].replace("_", " ") if words else "value"


def _is_locale(word: str) -> bool:
    head = word.split("-")[0]
    return 2 <= len(head) <= 3 and head.isalpha() and head.islower()
