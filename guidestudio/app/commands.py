"""The Qt side of an edit: a thin ``QUndoCommand`` around ``guidestudio.core.edits``.

All the logic of changing a project lives in the Qt-free ``edits`` module;
this adapter only puts edits on the undo stack, merges consecutive typing in
one field into one undo step (Orange's pattern: a fixed ``id()`` and
``mergeWith``), and tells the document what changed so views can follow.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from guidestudio.core import edits
from guidestudio.core.edits import Edit, SetValue
from guidestudio.core.model import Project

#: Typing pauses longer than this start a new undo step.
MERGE_WINDOW_S = 1.0
_TYPING_ID = 0x6755  # any constant: only commands with the same id are offered for merging


class EditTarget(Protocol):
    """The document as a command sees it: the project to change, and whom to tell."""

    @property
    def project(self) -> Project: ...

    def announce(self, path: tuple[Any, ...], origin: Any, kind: str,
                 touched: list[tuple[Any, ...]] | None = None) -> None: ...


class EditCommand(QUndoCommand):
    def __init__(self, document: EditTarget, edit: Edit, text: str, origin: Any = None,
                 mergeable: bool = False) -> None:
        super().__init__(text)
        self._document = document
        self._edit = edit
        self._inverse: Edit | None = None
        self._origin = origin
        self._mergeable = mergeable and isinstance(edit, SetValue)
        self._stamp = time.monotonic()

    @property
    def edit(self) -> Edit:
        return self._edit

    def redo(self) -> None:
        self._inverse = edits.apply(self._document.project, self._edit)
        origin, self._origin = self._origin, None  # only the first run has an initiator
        self._document.announce(self._edit.target, origin, "redo" if origin is None else "edit",
                                edits.leaf_targets(self._edit))

    def undo(self) -> None:
        if self._inverse is None:  # pragma: no cover - Qt always redoes first
            return
        edits.apply(self._document.project, self._inverse)
        self._document.announce(self._edit.target, None, "undo", edits.leaf_targets(self._edit))

    def id(self) -> int:
        return _TYPING_ID if self._mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, EditCommand) and other._mergeable and self._mergeable):
            return False
        assert isinstance(self._edit, SetValue) and isinstance(other._edit, SetValue)
        if other._stamp - self._stamp > MERGE_WINDOW_S:
            return False
        combined = edits.merged(self._edit, other._edit)
        if combined is None:
            return False
        # Keep our inverse (the value before the first keystroke), take their result.
        self._edit = combined
        self._stamp = other._stamp
        return True
