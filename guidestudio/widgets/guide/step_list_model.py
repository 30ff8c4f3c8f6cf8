"""The steps of the selected variant as an item model: what the step list shows and moves.

``StepListModel`` is a small item model over the document, holding a snapshot
of the step labels so the view never sees the data change before it is told
(Qt views keep raw row numbers). Its own moves and insertions are announced
around the document edit (``beginMoveRows`` … edit … ``endMoveRows``) and then
ignored when the document reports them; changes from anywhere else (undo,
another view) reset it. Dragging a step calls ``moveRows``, which is a
``document.move_item``, so a drag is one undo step like any other edit.

A step is labelled by its title as people read it (``readable``): no Markdown
marks, a placeholder named (‹First name›) rather than spelled in braces.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from guidestudio.core import catalogue
from guidestudio.core.ids import unique_id
from guidestudio.core.model import Project, Step
from guidestudio.core.rich_text import plain_words
from guidestudio.widgets.kit.form_kit import GuideContext
from guidestudio.widgets.kit.icons import severity_icon

MIME = "application/x-guidestudio-step-row"
_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex


def readable(text: str, project: Project | None = None) -> str:
    """A title as people read it: no Markdown marks, a placeholder as ‹First name› (its
    catalogue label)."""
    return plain_words(text, lambda key: catalogue.label_of(project, key))


def step_label(step: Step, locale: str, project: Project | None = None) -> str:
    """What a marketer recognises a step by: its title, else its id."""
    title = step.title or {}
    text = title.get(locale) or next((t for t in title.values() if t), "")
    return readable(text, project) if text else (
        f"({step.id})" if step.id else "(untitled step)")


def unique_step_id(steps: list[Step], base: str) -> str:
    return unique_id(base or "step", {s.id for s in steps})


class StepListModel(QAbstractListModel):
    """The selected variant's steps, one row each; moving rows moves steps."""

    movedByDrag = Signal(int)  # the row a dragged step landed on

    def __init__(self, ctx: GuideContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document = ctx.document
        self._labels: list[str] = []
        self._problems: list[str] = []
        self._snapshot()
        self.document.changed.connect(self._changed)
        self.document.reset.connect(self.reload)
        self.document.problemsChanged.connect(self._problems_changed)
        ctx.selectionChanged.connect(self._selection_changed)
        self._shown = self._key()

    # --- reading -----------------------------------------------------------------------

    def steps_path(self) -> tuple[Any, ...] | None:
        return self.ctx.variant_path("steps")

    def steps(self) -> list[Step]:
        path = self.steps_path()
        value = self.document.get(path, None) if path else None
        return value if isinstance(value, list) else []

    def _snapshot(self) -> None:
        settings = self.document.project.settings
        steps = self.steps()
        # No numbers in the labels: a number would change on every row above an
        # insertion, which views (and Qt's model tester) take to be a data change.
        self._labels = [step_label(s, settings.default_locale, self.document.project)
                        for s in steps]
        self._problems = [self._severity(i) for i in range(len(steps))]

    def _severity(self, row: int) -> str:
        items = self.ctx.marks.items_under(f"variants[{self.ctx.variant}].steps[{row}]")
        severities = {s for _, s, _ in items}
        return "error" if "error" in severities else "warning" if severities else ""

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._labels)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._labels):
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._labels[row]
        if role == Qt.ItemDataRole.ToolTipRole:
            note = {"error": "\nThis step has a problem: see the marked fields.",
                    "warning": "\nThis step has a warning: see the marked fields."}
            return (f"Step {row + 1}: {self._labels[row]}{note.get(self._problems[row], '')}\n"
                    "Drag, or use Move up / Move down (Ctrl+Up / Ctrl+Down), to reorder.")
        if role == Qt.ItemDataRole.DecorationRole and self._problems[row]:
            return severity_icon(self._problems[row])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    # --- moving ------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        rows = [int(r) for r in bytes(data.data(MIME).data()).decode().split(",") if r]
        if len(rows) != 1:
            return False
        if parent.isValid():  # dropped onto a step: goes before it
            row = parent.row()
        if row < 0:
            row = self.rowCount()
        return self.moveRows(QModelIndex(), rows[0], 1, QModelIndex(), row)

    def moveRows(self, sourceParent: Index, sourceRow: int, count: int,
                 destinationParent: Index, destinationChild: int) -> bool:
        """Move one step so it lands before ``destinationChild`` (Qt's convention)."""
        path = self.steps_path()
        n = self.rowCount()
        if (path is None or count != 1 or sourceParent.isValid() or destinationParent.isValid()
                or not 0 <= sourceRow < n or not 0 <= destinationChild <= n
                or destinationChild in (sourceRow, sourceRow + 1)):
            return False
        dest = destinationChild - 1 if destinationChild > sourceRow else destinationChild
        if not self.beginMoveRows(QModelIndex(), sourceRow, sourceRow, QModelIndex(),
                                  destinationChild):
            return False
        self.document.move_item(path, sourceRow, dest, "Move step", origin=self)
        self._snapshot()
        self.endMoveRows()
        self.movedByDrag.emit(dest)
        return True

    # --- structural edits the list's buttons make ----------------------------------------

    def insert_step(self, row: int, step: Step, text: str = "Add step") -> None:
        path = self.steps_path()
        if path is None:
            return
        self.beginInsertRows(QModelIndex(), row, row)
        self.document.insert_item(path, row, step, text, origin=self)
        self._snapshot()
        self.endInsertRows()

    def remove_step(self, row: int) -> None:
        path = self.steps_path()
        if path is None or not 0 <= row < self.rowCount():
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self.document.remove_item(path, row, "Remove step", origin=self)
        self._snapshot()
        self.endRemoveRows()

    def duplicate_step(self, row: int) -> None:
        steps = self.steps()
        if not 0 <= row < len(steps):
            return
        copy_ = copy.deepcopy(steps[row])
        if copy_.id:
            copy_.id = unique_step_id(steps, f"{copy_.id}-copy")
        self.insert_step(row + 1, copy_, "Duplicate step")

    # --- following the document --------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        self._snapshot()
        self.endResetModel()
        self._shown = self._key()

    def _key(self) -> tuple[Any, ...]:
        return (self.ctx.guide_id, self.ctx.variant)

    def _selection_changed(self) -> None:
        if self._key() != self._shown:
            self.reload()

    def _changed(self, change: Any) -> None:
        path = self.steps_path()
        if path is None:
            if self._labels:
                self.reload()
            return
        if change.origin is self or not change.touches(path):
            return
        deeper = change.path[len(path):]
        if change.path[:len(path)] == path and deeper and isinstance(deeper[0], int) \
                and len(deeper) > 1 and len(self.steps()) == len(self._labels):
            self._snapshot()  # a field inside one step: only its label may have changed
            row = deeper[0]
            if 0 <= row < len(self._labels):
                self.dataChanged.emit(self.index(row), self.index(row))
            return
        self.reload()

    def _problems_changed(self) -> None:
        before = list(self._problems)
        self._problems = [self._severity(i) for i in range(len(self._labels))]
        if before != self._problems and self._labels:
            self.dataChanged.emit(self.index(0), self.index(len(self._labels) - 1),
                                  [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole])
