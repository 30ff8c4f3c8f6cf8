"""The value box of a rule row, one editor per kind of value.

A number gets a spin box, a yes/no a check box, a list chips (one per value,
see ``guidestudio.widgets.kit.chips_edit``), everything else a line edit with a placeholder
showing the expected form. Editors only report what the author entered
(``edited``); parsing and validation live in ``guidestudio.core.rules.values`` so the
row can refuse bad input and say why (``set_problem``).

An editor whose every report is a finished step (a chip added or removed)
says so with ``discrete``: the builder then writes it as an undo step of its
own instead of merging it with the typing around it.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLocale, QSignalBlocker, QSize, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from guidestudio.core.rules.values import (
    LIST_KINDS,
    format_list,
    format_scalar,
    format_value,
    is_number,
    parse_list,
    parse_number,
    parse_value,
)
from guidestudio.widgets.kit.chips_edit import ChipsEdit

_PLACEHOLDERS = {
    "string": "value",
    "regex": "regular expression, e.g. @acme\\.example$",
    "regexi": "regular expression, e.g. @acme\\.example$",
    "version": "version, e.g. 2.4.1",
    "date": "date, e.g. 2026-12-01",
    "number": "number, e.g. 90",
    "count": "number of items",
    "number_list": "numbers, e.g. 1, 2, 3",
    "string_list": "values, e.g. JP, DE",
}
_TOOLTIPS = {
    "string": "The text to compare with, exactly as the product sends it (case matters).",
    "number": "The number to compare with; \".\" is the decimal point.",
    "count": "How many items the list must have.",
    "bool": "Tick for true, untick for false.",
    "item": "The value the list must contain.",
    "number_list": "Numbers, one chip each: type a number and press Enter.",
    "string_list": "Values, one chip each: type a value and press Enter; a value "
                   "containing a comma goes in \"double quotes\".",
    "regex": "A JavaScript regular expression, tested against the attribute as text.",
    "regexi": "A JavaScript regular expression, ignoring upper/lower case.",
    "date": "An ISO date (2026-12-01) or date and time (2026-12-01T09:00:00Z); dates are "
            "compared as text, which orders ISO dates correctly.",
    "version": "Versions compare part by part: 2.10.0 is newer than 2.9.1.",
}


def _tooltip(kind: str) -> str:
    """What to enter for a value of ``kind``: shown until a problem replaces it."""
    return _TOOLTIPS.get(kind, "The value to compare the attribute with.")


def set_problem(widget: QWidget, message: str | None, severity: str = "error",
                hint: str = "") -> None:
    """Outline ``widget`` (red for refused input, amber for a kept-but-doubtful
    value) and put the reason in its tooltip; clear both when ``message`` is None."""
    state = severity if message else ""
    if widget.property("problem") != state:
        widget.setProperty("problem", state)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
    widget.setToolTip(message or hint)
    widget.setAccessibleDescription(message or "")


class _NumberSpin(QDoubleSpinBox):
    """A spin box that shows 90 as "90", not "90.00", and takes "." as decimal point
    whatever the system locale, because conditions are data, not prose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        self.setDecimals(6)
        self.setRange(-1e12, 1e12)
        self.setKeyboardTracking(True)
        self.setGroupSeparatorShown(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for a few digits, not for the widest value of the range: rows must fit
        narrow inspectors, and a long number scrolls in the box."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 80), hint.height())

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        number = parse_number(text)
        return float(number) if number is not None else 0.0

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        if stripped in ("", "-", "+", ".", "-.", "+."):
            return QValidator.State.Intermediate, text, pos
        if parse_number(stripped) is not None:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos


class ValueEditor(QWidget):
    """Base: ``edited(raw)`` when the author changes the value (never on ``set_value``)."""

    edited = Signal(object)
    #: True when each ``edited`` is a complete step (one undo step), not a keystroke.
    discrete = False

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def set_value(self, value: Any, text: str | None = None) -> None:
        """Show ``value``, or the refused input ``text`` when there is one."""

    def _report(self, raw: object) -> None:
        self.edited.emit(raw)

    def field(self) -> QWidget:
        """The widget that takes focus and carries the problem outline."""
        return self

    def set_problem(self, message: str | None, severity: str = "error") -> None:
        set_problem(self.field(), message, severity, _tooltip(self.kind))

    def set_suggestions(self, values: list[str]) -> None:
        """Values the sample profiles hold for the attribute; editors that can offer
        them do (only the list editor, for now)."""


class NoValue(ValueEditor):
    """For "is set" / "is not set": nothing to enter."""


class TextValue(ValueEditor):
    """A line edit for text, regex, version, date, lists — and for a number the
    author typed that is not one yet (a spin box could not show it)."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        self.line = QLineEdit(self)
        self.line.setObjectName("value")
        self.line.setPlaceholderText(_PLACEHOLDERS.get(kind, "value"))
        self.line.setToolTip(_tooltip(kind))
        self.layout().addWidget(self.line)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._report)

    def set_value(self, value: Any, text: str | None = None) -> None:
        with QSignalBlocker(self.line):
            self.line.setText(text if text is not None else format_value(self.kind, value))

    def field(self) -> QWidget:
        return self.line


class NumberValue(ValueEditor):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        if kind == "count":
            self.spin: QSpinBox | QDoubleSpinBox = QSpinBox(self)
            self.spin.setRange(0, 1_000_000)
        else:
            self.spin = _NumberSpin(self)
        self.spin.setObjectName("value")
        self.spin.setToolTip(_tooltip(kind))
        # May shrink below its size hint (which fits the widest number of the range).
        self.spin.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.layout().addWidget(self.spin)
        self.setFocusProxy(self.spin)
        self.spin.valueChanged.connect(self._report)

    def set_value(self, value: Any, text: str | None = None) -> None:
        number = float(value) if is_number(value) and math.isfinite(value) else 0.0
        with QSignalBlocker(self.spin):
            self.spin.setValue(int(number) if isinstance(self.spin, QSpinBox) else number)

    def field(self) -> QWidget:
        return self.spin


class BoolValue(ValueEditor):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        self.check = QCheckBox("true", self)
        self.check.setObjectName("value")
        self.check.setToolTip(_tooltip(kind))
        self.layout().addWidget(self.check)
        self.layout().addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)

    def _toggled(self, checked: bool) -> None:
        self.check.setText("true" if checked else "false")
        self.edited.emit(checked)

    def set_value(self, value: Any, text: str | None = None) -> None:
        with QSignalBlocker(self.check):
            self.check.setChecked(bool(value))
        self.check.setText("true" if value else "false")

    def field(self) -> QWidget:
        return self.check


class ChipsValue(ValueEditor):
    """A list as chips. Each chip is typed when it is added — a number list
    refuses "two" on the spot, with the core's reason — so the list it reports
    is always valid. It reports the list as ``format_list`` text, the form the
    core's ``parse_value`` reads back exactly, so the row stores it through the
    same path as any typed value."""

    discrete = True

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(kind, parent)
        numbers = kind == "number_list"
        self.chips = ChipsEdit(self, parse=self._parse_item, display=format_scalar,
                               noun="number" if numbers else "value")
        self.chips.setObjectName("value")
        self.chips.line.setPlaceholderText("a number, then Enter" if numbers
                                           else "a value, then Enter")
        self.layout().addWidget(self.chips)
        self.setFocusProxy(self.chips)
        self._row_problem: tuple[str | None, str] = (None, "error")
        self._input_problem: str | None = None
        self.chips.itemsEdited.connect(self._items_edited)
        self.chips.inputRefused.connect(self._input_refused)

    def _parse_item(self, text: str) -> tuple[Any, str | None]:
        if self.kind == "number_list":
            value, error = parse_value("number", text)
            if error is not None:
                return value, f"{text.strip()!r} is not a number; this list compares numbers"
            return value, None
        return parse_value("string", text)

    def _items_edited(self, items: list[Any]) -> None:
        self._report(format_list([format_scalar(item) for item in items]))

    def set_value(self, value: Any, text: str | None = None) -> None:
        if text is not None:
            # Refused input carried over (e.g. a non-number when the type became a
            # number list): chips for what parses, the rest waits in the line.
            good = [v for v, e in map(self._parse_item, parse_list(text)) if e is None]
            self.chips.set_items(good)
            if not self.chips.text():
                bad = [t for t in parse_list(text) if self._parse_item(t)[1] is not None]
                self.chips.line.setText(format_list(bad))
            return
        self.chips.set_items(value if isinstance(value, list) else
                             [] if value in (None, "") else [value])

    def set_suggestions(self, values: list[str]) -> None:
        if self.kind == "number_list":
            values = [v for v in values if parse_number(v) is not None]
        self.chips.set_suggestions(values)

    def field(self) -> QWidget:
        return self.chips.line

    def set_problem(self, message: str | None, severity: str = "error") -> None:
        self._row_problem = (message, severity)
        self._show_problem()

    def _input_refused(self, message: str | None) -> None:
        self._input_problem = message
        self._show_problem()

    def _show_problem(self) -> None:
        """A value refused while typing outranks the row's own state (which only
        knows about the values already in the list)."""
        message, severity = self._row_problem
        if self._input_problem:
            message, severity = self._input_problem, "error"
        set_problem(self.field(), message, severity, self.chips.line_tip())


def editor_class(kind: str, value: Any, refused: bool) -> type[ValueEditor]:
    """Which editor shows a value of ``kind``: chips for a list; a spin box only
    when the value is a number it can hold exactly; refused input stays in a
    line edit."""
    if kind == "none":
        return NoValue
    if kind in LIST_KINDS:
        return ChipsValue
    if kind == "bool":
        return BoolValue
    if (kind in ("number", "count") and not refused and is_number(value)
            and math.isfinite(value) and abs(value) <= 1e12):
        return NumberValue
    return TextValue


def make_editor(kind: str, value: Any, refused: bool, parent: QWidget | None = None
                ) -> ValueEditor:
    return editor_class(kind, value, refused)(kind, parent)
