"""Typed pickers for rule values the catalogue knows more about than their kind.

A text value of an attribute with allowed values (the plans) is picked from
them; a date gets a calendar. Both stay editors of their kind underneath — the
author may still type, the row still parses and checks what is typed the same
way — so a value outside the list (an old plan) is shown, kept and flagged
rather than silently replaced. ``make_editor`` chooses between these and the
plain editors of ``value_editors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from guidestudio.core.rules.values import DATE_RE, format_scalar, format_value
from guidestudio.widgets.kit.icons import icon
from guidestudio.widgets.rules.value_editors import (
    TextValue,
    ValueEditor,
    editor_class,
)

_CHOICE_TIP = ("Pick one of the values the product sends (from the attribute catalogue in "
               "Project settings), or type another.")
_CALENDAR_TIP = "Pick the date from a calendar."


class ChoiceValue(ValueEditor):
    """A text value picked from the attribute's allowed values (or typed)."""

    def __init__(self, kind: str, choices: Sequence[Any], parent: QWidget | None = None
                 ) -> None:
        super().__init__(kind, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("value")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.addItems([format_scalar(c) for c in choices])
        self.combo.setToolTip(_CHOICE_TIP)
        self.combo.lineEdit().setPlaceholderText("pick a value")
        self.layout().addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.lineEdit().textEdited.connect(self._report)
        self.combo.textActivated.connect(self._report)

    def choices(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def set_value(self, value: Any, text: str | None = None) -> None:
        shown = text if text is not None else format_value(self.kind, value)
        with QSignalBlocker(self.combo), QSignalBlocker(self.combo.lineEdit()):
            index = self.combo.findText(shown, Qt.MatchFlag.MatchExactly)
            self.combo.setCurrentIndex(index)
            self.combo.setEditText(shown)

    def field(self) -> QWidget:
        return self.combo

    def set_problem(self, message: str | None, severity: str = "error") -> None:
        super().set_problem(message, severity)
        if not message:
            self.combo.setToolTip(_CHOICE_TIP)


class DateValue(TextValue):
    """A date typed as text (``2026-12-01``, or with a time) or picked from a calendar."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        self.pick = QToolButton(self)
        self.pick.setObjectName("pickDate")
        self.pick.setIcon(icon("calendar"))
        self.pick.setToolTip(_CALENDAR_TIP)
        self.pick.setAccessibleName("Pick a date")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pick)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(False)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._show_current)
        self.pick.setMenu(menu)
        self.layout().addWidget(self.pick)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def _show_current(self) -> None:
        text = self.line.text().strip()
        date = QDate.fromString(text[:10], "yyyy-MM-dd") if DATE_RE.fullmatch(text) else QDate()
        self.calendar.setSelectedDate(date if date.isValid() else QDate.currentDate())

    def pick_date(self, date: QDate) -> None:
        """What a click in the calendar does: the date, as ISO text, is the value."""
        self._picked(date)

    def _picked(self, date: QDate) -> None:
        menu = self.pick.menu()
        if menu is not None:
            menu.hide()
        text = date.toString("yyyy-MM-dd")
        self.line.setText(text)
        self._report(text)


def make_editor(kind: str, value: Any, refused: bool, choices: Sequence[Any] = (),
                parent: QWidget | None = None) -> ValueEditor:
    """The editor for a value of ``kind``: a picker when the attribute's allowed
    ``choices`` are known (for one text value) or it is a date, else the plain one."""
    if kind == "string" and choices:
        return ChoiceValue(kind, choices, parent)
    if kind == "date":
        return DateValue(kind, parent)
    return editor_class(kind, value, refused)(kind, parent)


def picker_class(kind: str, value: Any, refused: bool, choices: Sequence[Any] = ()
                 ) -> type[ValueEditor]:
    """The class ``make_editor`` would use (the row keeps an editor of the right class)."""
    if kind == "string" and choices:
        return ChoiceValue
    if kind == "date":
        return DateValue
    return editor_class(kind, value, refused)


__all__ = ["ChoiceValue", "DateValue", "make_editor", "picker_class"]
