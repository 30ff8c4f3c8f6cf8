"""A titled table of row editors with Add/Remove buttons under it.

The profiles editor shows a profile's attributes and its events this way: each
cell holds an editor widget, so "the row being worked on" is the row of the
focused editor (``focused_row``), which is what Remove takes out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

#: A function giving the selected profile's path (``("profiles", 2)``), None if none.
ProfilePath = Callable[[], tuple[Any, ...] | None]


def button(text: str, tip: str, slot: Callable[[], Any], parent: QWidget) -> QPushButton:
    """A push button reachable with Tab, explaining itself."""
    widget = QPushButton(text, parent)
    widget.setToolTip(tip)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.clicked.connect(slot)
    return widget


class TableBox(QGroupBox):
    """The group box, its table (``table``) and its ``add_button`` / ``remove_button``."""

    def __init__(self, title: str, tip: str, headers: list[str], *, stretch: int,
                 select_rows: bool, add: tuple[str, str], remove: tuple[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setToolTip(tip)
        box = QVBoxLayout(self)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(stretch,
                                                           QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        if select_rows:
            self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab moves between the row's editors
        self.table.setAccessibleName(title)
        box.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = button(*add, self.add_row, self)
        self.remove_button = button(*remove, self.remove_row, self)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box.addLayout(buttons)

    def add_row(self) -> None:
        """What Add does; each table says."""
        raise NotImplementedError

    def remove_row(self) -> None:
        """What Remove does; each table says."""
        raise NotImplementedError

    def focused_row(self) -> int:
        """The row holding the focused editor, else the table's current row (else the last)."""
        table = self.table
        focus = table.focusWidget()
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                widget = table.cellWidget(row, column)
                if widget is not None and focus is not None and (
                        widget is focus or widget.isAncestorOf(focus)):
                    return row
        return table.currentRow() if table.currentRow() >= 0 else table.rowCount() - 1
