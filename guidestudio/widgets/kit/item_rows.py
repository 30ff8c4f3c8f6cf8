"""An editable list of small forms: a step's buttons, a checklist's items.

Each row is a form bound to "item *i* of the list", so rows never need
rebinding: when items are added, removed or reordered (by the buttons here or
by undo), the list only grows or shrinks its rows to the new length and every
binding re-reads its item. Moving is done with buttons that keyboard users
can reach (Move up / Move down), never by dragging alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.widgets.kit.bindings import PathFn
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import Follower, Form


class ItemRow(Form):
    """One item's form, with Move up / Move down / Remove in its header."""

    def __init__(self, owner: ItemRows, index: int) -> None:
        super().__init__(owner.document, owner.marks, owner)
        self.owner = owner
        self.index = index
        frame = QVBoxLayout(self)
        frame.setContentsMargins(0, 4, 0, 4)
        header = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setWordWrap(True)  # "Button 2 — <its label>" must not widen a narrow form
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        header.addWidget(self.title, 1)
        noun = owner.noun
        self.up = self._tool("↑", f"Move this {noun} up", lambda: owner.move(self.index, -1))
        self.down = self._tool("↓", f"Move this {noun} down", lambda: owner.move(self.index, 1))
        self.remove = self._tool("✕", f"Remove this {noun} (Undo brings it back)",
                                 lambda: owner.remove(self.index))
        for button in (self.up, self.down, self.remove):
            header.addWidget(button)
        frame.addLayout(header)
        self.body = QVBoxLayout()
        frame.addLayout(self.body)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        frame.addWidget(line)

    def _tool(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(slot)
        return button

    def path(self, *parts: Any) -> tuple[Any, ...] | None:
        base = self.owner.path_fn()
        return None if base is None else (*base, self.index, *parts)

    def item(self) -> Any:
        path = self.path()
        return None if path is None else self.document.get(path)

    def update_header(self, count: int) -> None:
        self.title.setText(f"{self.owner.noun.capitalize()} {self.index + 1}")
        self.up.setEnabled(self.index > 0)
        self.down.setEnabled(self.index < count - 1)

    def first_field(self) -> QWidget | None:
        """Where focus goes when this item was just added."""
        return None


class ItemRows(QWidget):
    """Rows for the items of the list at ``path_fn()``, plus an Add button."""

    def __init__(self, document: EditableDocument, marks: FieldMarks, path_fn: PathFn,
                 make_row: Callable[[ItemRows, int], ItemRow], new_item: Callable[[], Any],
                 noun: str, max_items: int | None = None, add_tooltip: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.marks = marks
        self.path_fn = path_fn
        self.noun = noun
        self._make_row = make_row
        self._new_item = new_item
        self.max_items = max_items
        self.rows: list[ItemRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout = QVBoxLayout()
        layout.addLayout(self.rows_layout)
        self.add_button = QPushButton(f"Add {noun}", self)
        self.add_button.setToolTip(add_tooltip or f"Add a {noun} at the end.")
        self.add_button.clicked.connect(self.add)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        Follower(document, path_fn, self.sync, self)
        self.sync()

    def items(self) -> list[Any]:
        path = self.path_fn()
        value = self.document.get(path, None) if path is not None else None
        return value if isinstance(value, list) else []

    def sync(self) -> None:
        """Grow or shrink the rows to the number of items."""
        n = len(self.items())
        while len(self.rows) > n:
            row = self.rows.pop()
            self.rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        while len(self.rows) < n:
            row = self._make_row(self, len(self.rows))
            self.rows.append(row)
            self.rows_layout.addWidget(row)
        for row in self.rows:
            row.update_header(n)
        self.add_button.setEnabled(self.path_fn() is not None and
                                   (self.max_items is None or n < self.max_items))

    def refresh(self) -> None:
        self.sync()
        for row in self.rows:
            row.refresh()

    def add(self) -> None:
        path = self.path_fn()
        items = self.items()
        if path is None or (self.max_items is not None and len(items) >= self.max_items):
            return
        if self.document.get(path, None) is None:  # e.g. a step's first checklist item
            self.document.set_value(path, [self._new_item()], text=f"Add {self.noun}")
        else:
            self.document.insert_item(path, len(items), self._new_item(), f"Add {self.noun}")
        self.sync()
        if self.rows:
            target = self.rows[-1].first_field()
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)

    def remove(self, index: int) -> None:
        path = self.path_fn()
        if path is not None and 0 <= index < len(self.items()):
            self.document.remove_item(path, index, f"Remove {self.noun}")

    def move(self, index: int, delta: int) -> None:
        path = self.path_fn()
        target = index + delta
        if path is not None and 0 <= target < len(self.items()):
            self.document.move_item(path, index, target, f"Move {self.noun}")
            row = self.rows[target]
            (row.up if delta < 0 and target > 0 else row.down if target < len(self.rows) - 1
             else row.remove).setFocus(Qt.FocusReason.OtherFocusReason)
