"""The steps of the selected variant: a list to pick, reorder, add and remove them.

The list shows ``StepListModel`` (``step_list_model.py``); picking a row selects
that step for editing, and the buttons and Ctrl+Up / Ctrl+Down edit the steps
through the model, one undo step each.

Only walkthroughs hold several steps; for the other kinds adding is hidden,
and the editor hides the whole list when it holds the one step those kinds
have (``is_needed``). The list is a compact strip above the step form, as tall
as its steps (up to ``VISIBLE_ROWS``), its buttons wrapping like words when the
inspector is narrow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
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

from guidestudio.core.model import Step
from guidestudio.widgets.guide.step_list_model import StepListModel, unique_step_id
from guidestudio.widgets.kit.flow_layout import FlowLayout
from guidestudio.widgets.kit.form_kit import GuideContext

#: The step strip grows with the steps up to this many rows, then scrolls.
VISIBLE_ROWS = 5


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
        self._fitted: tuple[Any, ...] | None = None  # what the view's height was fitted to
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
        # Runs on every edit of the guide (each keystroke in its texts); measuring a row
        # costs a few milliseconds, so only when what it depends on has changed.
        first = str(self.model.data(self.model.index(0)) or "") if self.model.rowCount() else ""
        key = (rows, bool(first), first.isascii(),  # (other scripts may need taller lines)
               self.view.font().key(), self.view.style().name(), self.view.frameWidth())
        if key == self._fitted:
            return
        self._fitted = key
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
