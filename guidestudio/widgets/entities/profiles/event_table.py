"""The selected sample profile's events: how often it did what, per day.

Rules use them as ``events.<name>.count``, ``last_7d``, ``last_30d`` and
``days_since``. Each row is an event name, a day and a count
(``core.profile_rows`` turns rows into ``events`` and back); any change
rewrites the profile's events as a whole, merged while typing. Rows that
cannot be written (a bad event name, two counts on one day) mark the table
and are not saved.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDateEdit, QLineEdit, QSpinBox, QWidget

from guidestudio.core.profile_rows import EventRow, build_events, event_rows, next_event_row
from guidestudio.core.schema_patterns import EVENT_PATTERN
from guidestudio.widgets.entities.profiles.table_box import ProfilePath, TableBox
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.marks import set_mark

#: The editors of one event row: name, day, count.
EventEditors = tuple[QLineEdit, QDateEdit, QSpinBox]


class EventTable(TableBox):
    """The events of the profile at ``profile_path()``; edits are document edits."""

    def __init__(self, document: EditableDocument, profile_path: ProfilePath,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            "Events", "What this user did, per day: the product counts events it is told "
            "about, and rules use them as events.<name>.count, last_7d, last_30d and "
            "days_since.", ["Event", "Day", "Count"], stretch=0, select_rows=False,
            add=("Add &event", "Add a count of an event on a day."),
            remove=("Remove even&t", "Remove the event row that has the cursor."),
            parent=parent)
        self.document = document
        self.profile_path = profile_path
        self.rows: list[EventEditors] = []

    def fill(self) -> None:
        """Show the selected profile's events afresh."""
        rows = self._stored_rows()
        self.rows = []
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for i, (event, day, count) in enumerate(rows):
            name = QLineEdit(event)
            name.setToolTip("The product event's name, as the product reports it (track).")
            name.setAccessibleName(f"Event {i + 1} name")
            name.setValidator(QRegularExpressionValidator(QRegularExpression(EVENT_PATTERN), name))
            name.textEdited.connect(self._edited)
            date = QDateEdit()
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            date.setDate(QDate.fromString(day, "yyyy-MM-dd"))
            date.setToolTip("The day (UTC) the events happened.")
            date.setAccessibleName(f"Event {i + 1} day")
            date.dateChanged.connect(self._edited)
            count_box = QSpinBox()
            count_box.setRange(0, 1_000_000)
            count_box.setValue(int(count))
            count_box.setToolTip("How many times the event happened that day.")
            count_box.setAccessibleName(f"Event {i + 1} count")
            count_box.valueChanged.connect(self._edited)
            for column, widget in enumerate((name, date, count_box)):
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                self.table.setCellWidget(i, column, widget)
            self.rows.append((name, date, count_box))
        self.remove_button.setEnabled(bool(rows))

    def _path(self) -> tuple[Any, ...] | None:
        base = self.profile_path()
        return None if base is None else (*base, "events")

    def _stored_rows(self) -> list[EventRow]:
        path = self._path()
        return event_rows(self.document.get(path) if path is not None else None)

    def _shown_rows(self) -> list[EventRow]:
        return [(name.text().strip(), date.date().toString("yyyy-MM-dd"), count.value())
                for name, date, count in self.rows]

    def _write(self, rows: list[EventRow], text: str, merge: bool) -> bool:
        events, error = build_events(rows)
        set_mark(self.table, "input", "error" if error else None,
                 f"Not saved: {error}" if error else "")
        path = self._path()
        if error is not None or path is None:
            return False
        if events:
            self.document.set_value(path, events, text, origin=self, merge=merge)
        else:
            self.document.clear_value(path, text, origin=self)
        return True

    def _edited(self, *_: Any) -> None:
        self._write(self._shown_rows(), "Edit events", True)

    def add_row(self) -> None:
        rows = self._stored_rows()
        rows.append(next_event_row(rows, _dt.date.today()))
        if self._write(rows, "Add event", False):
            self.fill()
            self.rows[-1][0].setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_row(self) -> None:
        rows = self._stored_rows()
        i = self.focused_row()
        if not 0 <= i < len(rows):
            return
        rows.pop(i)
        if self._write(rows, "Remove event", False):
            self.fill()
