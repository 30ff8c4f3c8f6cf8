"""The steps of the selected variant: a list to pick, reorder, add and remove them.

``StepListModel`` is a small item model over the document, holding a snapshot
of the step labels so the view never sees the data change before it is told
(Qt views keep raw row numbers). Its own moves and insertions are announced
around the document edit (``beginMoveRows`` … edit … ``endMoveRows``) and then
ignored when the document reports them; changes from anywhere else (undo,
another view) reset it. Dragging a step calls ``moveRows``, which is a
``document.move_item``, so a drag is one undo step like any other edit.

Only walkthroughs hold several steps; for the other kinds adding is hidden,
and the editor hides the whole list when it holds the one step those kinds
have (``is_needed``). The list is a compact strip above the step form, as tall
as its steps (up to ``VISIBLE_ROWS``), its buttons wrapping like words when the
inspector is narrow.
"""

from __future__ import annotations

import copy
import re
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
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core import markdown_text
from guidestudio.core.ids import unique_id
from guidestudio.core.model import Step
from guidestudio.widgets.kit.flow_layout import FlowLayout
from guidestudio.widgets.kit.form_kit import GuideContext
from guidestudio.widgets.kit.icons import severity_icon

MIME = "application/x-guidestudio-step-row"
#: ``{{first_name|there}}``: a personal detail and its fallback (core/markdown_text.py).
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*(?:\|[^}]*)?\}\}")
#: The step strip grows with the steps up to this many rows, then scrolls.
VISIBLE_ROWS = 5
_ROOT = QModelIndex()
Index = QModelIndex | QPersistentModelIndex


def readable(text: str) -> str:
    """A title as people read it: no Markdown marks, a placeholder as ‹first name›."""
    named = PLACEHOLDER.sub(lambda m: "‹" + m.group(1).replace("_", " ") + "›", text)
    return markdown_text.render(named, inline=True, links=False).text or text


def step_label(step: Step, locale: str) -> str:
    """What a marketer recognises a step by: its title, else its id."""
    title = step.title or {}
    text = title.get(locale) or next((t for t in title.values() if t), "")
    return readable(text) if text else (f"({step.id})" if step.id else "(untitled step)")


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
        self._labels = [step_label(s, settings.default_locale) for s in steps]
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


class StepList(QWidget):
    """The step list with its buttons; picking a row selects that step for editing."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = StepListModel(ctx, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.view = QListView(self)
        caption = QLabel("&Steps", self)
        caption.setBuddy(self.view)
        layout.addWidget(caption)
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setToolTip("The steps people go through, in order. Drag a step, or use "
                             "Ctrl+Up / Ctrl+Down, to change the order.")
        self.view.setAccessibleName("Steps")
        layout.addWidget(self.view)

        button_row = QWidget(self)
        buttons = FlowLayout(button_row)
        self.add_button = self._button("&Add step", "Add a new step after the selected one.",
                                       self.add_step)
        self.duplicate_button = self._button("Du&plicate", "Add a copy of the selected step "
                                             "right after it.", self.duplicate_step)
        self.remove_button = self._button("&Remove", "Remove the selected step (Undo brings it "
                                          "back).", self.remove_step)
        self.up_button = self._button("↑", "Move the selected step one place earlier "
                                      "(Ctrl+Up).", lambda: self.move_step(-1), tool=True)
        self.down_button = self._button("↓", "Move the selected step one place later "
                                        "(Ctrl+Down).", lambda: self.move_step(1), tool=True)
        for button in (self.add_button, self.duplicate_button, self.remove_button,
                       self.up_button, self.down_button):
            buttons.addWidget(button)
        layout.addWidget(button_row)
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=step: self.move_step(s))

        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._sync_current)
        self.model.rowsInserted.connect(self.update_buttons)
        self.model.rowsRemoved.connect(self.update_buttons)
        self.model.movedByDrag.connect(self._select)
        ctx.selectionChanged.connect(self._sync_current)
        ctx.marks.watch(self.view, lambda: ("variants", ctx.variant, "steps")
                        if ctx.guide() is not None else None, deep=False)
        self._sync_current()

    def _button(self, text: str, tooltip: str, slot: Any,
                tool: bool = False) -> QAbstractButton:
        """A push button; ``tool``: a narrow arrow button, named for screen readers."""
        button: QAbstractButton
        if tool:
            button = QToolButton(self)
            button.setText(text)
            button.setAccessibleName(tooltip.split(" (")[0])
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        else:
            button = QPushButton(text, self)
        button.setToolTip(tooltip)
        button.clicked.connect(slot)
        return button

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def add_step(self) -> None:
        steps = self.model.steps()
        locale = self.ctx.document.project.settings.default_locale
        walkthrough = self.ctx.kind() == "walkthrough"
        step = Step(id=unique_step_id(steps, f"step-{len(steps) + 1}"),
                    layout="modal" if walkthrough else None, title={locale: "New step"})
        row = self.current_row() + 1 if steps else 0
        self.model.insert_step(row, step)
        self._select(row)

    def duplicate_step(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.model.duplicate_step(row)
            self._select(row + 1)

    def remove_step(self) -> None:
        row = self.current_row()
        if row >= 0 and self.model.rowCount() > 1:
            self.model.remove_step(row)
            self._select(min(row, self.model.rowCount() - 1))

    def move_step(self, delta: int) -> None:
        row = self.current_row()
        target = row + delta
        if row < 0 or not 0 <= target < self.model.rowCount():
            return
        # Qt's moveRows counts the destination before the move: "below" is target + 1.
        self.model.moveRows(QModelIndex(), row, 1, QModelIndex(),
                            target + 1 if delta > 0 else target)

    def _select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row))
        self.update_buttons()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.ctx.select(step=current.row())
        self.update_buttons()

    def _sync_current(self) -> None:
        """Show the context's step as current (after a reset or a jump to a field)."""
        n = self.model.rowCount()
        if n:
            row = min(max(self.ctx.step, 0), n - 1)
            if self.view.currentIndex().row() != row:
                self.view.setCurrentIndex(self.model.index(row))
            elif self.ctx.step != row:
                self.ctx.select(step=row)
        self.update_buttons()

    def is_needed(self) -> bool:
        """Whether there is anything to choose or do here: a walkthrough's steps, or a guide
        of another kind that holds no step (to add one) or several (to see and remove them)."""
        if self.model.steps_path() is None:
            return False
        return self.ctx.kind() == "walkthrough" or self.model.rowCount() != 1

    def _fit_height(self) -> None:
        rows = min(max(self.model.rowCount(), 2), VISIBLE_ROWS)
        row = self.view.sizeHintForRow(0) if self.model.rowCount() else -1
        if row <= 0:
            row = self.view.fontMetrics().height() + 6
        frame = 2 * self.view.frameWidth()
        self.view.setFixedHeight(rows * row + frame + 2)

    def update_buttons(self, *_: Any) -> None:
        """Show the buttons the guide's kind uses, enabled for the selected step."""
        self._fit_height()
        n = self.model.rowCount()
        row = self.current_row()
        multi = self.ctx.kind() == "walkthrough"
        has_variant = self.model.steps_path() is not None
        self.add_button.setVisible(has_variant and (multi or n == 0))
        self.duplicate_button.setVisible(multi)
        self.up_button.setVisible(multi)
        self.down_button.setVisible(multi)
        self.remove_button.setEnabled(n > 1 and row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < n - 1)
        self.duplicate_button.setEnabled(row >= 0)
