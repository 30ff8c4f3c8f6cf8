"""A token ("chips") editor: a list of values shown as removable chips plus a line to type more.

The rule builder used a comma-separated line for ``$in`` / ``$nin`` / ``$all``
lists, which could not hold a value with a comma without quoting rules nobody
remembers, and showed ``1, 2`` the same whether the list held numbers or text.
Here each value is a chip of its own, so a value is exactly what the chip
shows, and a value of the wrong type is refused when it is typed, not after.

The widget does not own the list: ``set_items`` shows one (keeping whatever the
author is typing), and ``itemsEdited`` reports the whole new list once per
add or remove — never per keystroke — for the owner to write as one edit.
How a typed text becomes a value (and why it may be refused) is the owner's
``parse`` callback, so the widget stays free of rule semantics.

Keyboard: Enter, a comma or Tab (when something is typed) adds; a value with a
comma goes in double quotes (``"Tokyo, Japan"``); pasting ``a, b, c`` or several
lines adds several. In the empty line, Backspace or Left selects the last chip;
on a chip, Left/Right/Home/End move between chips and Delete or Backspace
removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.rules.values import parse_list
from guidestudio.widgets.kit.flow_layout import FlowLayout

Parse = Callable[[str], tuple[Any, "str | None"]]

_CHIP_STYLE = """
QFrame#chip { background: palette(button); border: 1px solid palette(mid); border-radius: 9px; }
QFrame#chip:focus { border: 2px solid palette(highlight); }
QToolButton#chipRemove { border: none; padding: 0px 2px; }
QLabel#chipHint { color: #b00020; }
"""


def _text_item(text: str) -> tuple[Any, str | None]:
    return (text, None) if text else (text, "a value cannot be empty")


def split_input(text: str) -> list[str]:
    """The values in typed or pasted text: one per line when there are several
    lines, else comma-separated with ``"…"`` quoting as ``parse_list`` reads it.
    Empty pieces are dropped."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    return [item for item in parse_list(text.replace("\n", " ")) if item]


def has_separator(text: str) -> bool:
    """Does ``text`` hold a comma outside double quotes, or a line break? (Typing
    a comma inside an unclosed quote must not cut the value.)"""
    if "\n" in text:
        return True
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            return True
    return False


def quote(text: str) -> str:
    """How to type ``text`` back so that it stays one value."""
    if "," in text or '"' in text or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


class Chip(QFrame):
    """One value: its text and a × that removes it. Focusable (arrow keys reach it)
    so that Delete/Backspace can remove it without a mouse."""

    removeRequested = Signal(QWidget)
    stepRequested = Signal(QWidget, int)  # chip, -1 left / +1 right / -2 first / +2 end

    def __init__(self, text: str, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setObjectName("chip")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # arrows, not Tab: long lists stay quick
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 2, 1)
        layout.setSpacing(2)
        self.label = QLabel(text, self)
        self.label.setObjectName("chipText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.remove_button = QToolButton(self)
        self.remove_button.setObjectName("chipRemove")
        self.remove_button.setText("×")
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Delete on the chip instead
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        tip = f"Remove {text!r}"
        self.remove_button.setToolTip(tip)
        self.remove_button.setAccessibleName(tip)
        layout.addWidget(self.label)
        layout.addWidget(self.remove_button)
        self.setAccessibleName(f"{noun} {text}")
        self.setToolTip(f"{text}\nDelete or Backspace removes it; ← → move between values.")
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.removeRequested.emit(self)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.stepRequested.emit(self, -1)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.stepRequested.emit(self, 1)
        elif key == Qt.Key.Key_Home:
            self.stepRequested.emit(self, -2)
        elif key == Qt.Key.Key_End:
            self.stepRequested.emit(self, 2)
        else:
            super().keyPressEvent(event)


class _ChipLine(QLineEdit):
    """The typing line: Enter / Tab (when not empty) add, Backspace / Left at the
    start step back into the chips. Tab must be caught in ``event``: QWidget moves
    focus on Tab before ``keyPressEvent`` would see it."""

    commitRequested = Signal()
    backRequested = Signal()

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Tab
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.text().strip()):
            self.commitRequested.emit()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.text().strip():
                self.commitRequested.emit()
                return
        elif (not event.modifiers() and self.cursorPosition() == 0
              and not self.hasSelectedText()
              and (key == Qt.Key.Key_Left or (key == Qt.Key.Key_Backspace
                                              and not self.text()))):
            self.backRequested.emit()
            return
        super().keyPressEvent(event)


class ChipsEdit(QWidget):
    """A list of values as chips; see the module docstring.

    ``itemsEdited(list)`` carries the whole list after an add or remove;
    ``inputRefused(str | None)`` tells the owner a typed value was refused (or
    that the refusal is over), so it can outline the line like any bad input.
    """

    itemsEdited = Signal(object)  # list; object so values keep their Python types
    inputRefused = Signal(object)  # str | None

    def __init__(self, parent: QWidget | None = None, *, parse: Parse = _text_item,
                 display: Callable[[Any], str] = str, noun: str = "value") -> None:
        super().__init__(parent)
        self.setStyleSheet(_CHIP_STYLE)
        self._parse = parse
        self._display = display
        self._noun = noun
        self._items: list[Any] = []
        self._chips: list[Chip] = []
        self._suggestions: list[str] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        self.flow = FlowLayout()
        outer.addLayout(self.flow)
        self.line = _ChipLine(self)
        self.line.setObjectName("chipInput")
        self.line.setMinimumWidth(90)
        self.line.setPlaceholderText("type a value, Enter to add")
        self.line.setAccessibleName(f"Add a {noun}")
        self.line.setToolTip(self.line_tip())
        self.flow.addWidget(self.line)
        self.hint = QLabel(self)
        self.hint.setObjectName("chipHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        outer.addWidget(self.hint)
        self.setFocusProxy(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.line.setCompleter(self.completer)
        self.completer.activated.connect(self._suggestion_chosen)
        self.line.commitRequested.connect(self.commit)
        self.line.backRequested.connect(self._step_back)
        self.line.textEdited.connect(self._text_edited)

    # -- showing ---------------------------------------------------------------------

    def items(self) -> list[Any]:
        return list(self._items)

    def chips(self) -> list[Chip]:
        return list(self._chips)

    def text(self) -> str:
        """What is typed and not yet a chip."""
        return self.line.text()

    def set_items(self, items: Sequence[Any]) -> None:
        """Show ``items`` (emits nothing). The typed text and focus are kept, so a
        change made elsewhere (undo, the JSON tab) never eats what is being typed."""
        items = list(items)
        if items == self._items and all(type(a) is type(b) for a, b in
                                        zip(items, self._items, strict=True)):
            return
        focused = next((i for i, chip in enumerate(self._chips) if chip.hasFocus()), None)
        for chip in self._chips:
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips = []
        self._items = items
        for index, item in enumerate(items):
            chip = Chip(self._display(item), self._noun, self)
            chip.removeRequested.connect(self._remove_chip)
            chip.stepRequested.connect(self._step)
            self.flow.insert_widget(index, chip)
            chip.show()
            self._chips.append(chip)
        self._update_completions()
        if focused is not None:
            self._focus_index(min(focused, len(self._chips)))
        self.updateGeometry()

    def set_suggestions(self, values: Sequence[str]) -> None:
        """Values offered while typing (e.g. what the sample profiles hold)."""
        self._suggestions = list(values)
        self._update_completions()
        self.line.setToolTip(self.line_tip())

    def set_hint(self, message: str | None) -> None:
        """Show (or clear) the reason the last typed value was not added."""
        self.hint.setText(message or "")
        self.hint.setVisible(bool(message))
        self.inputRefused.emit(message)

    # -- editing ---------------------------------------------------------------------

    def commit(self) -> bool:
        """Turn the typed text into chips; True when the list changed. Refused
        values (wrong type, already listed) stay in the line with the reason."""
        pieces = split_input(self.line.text())
        if not pieces:
            self.line.clear()
            return False
        added: list[Any] = []
        refused: list[str] = []
        reason: str | None = None
        for piece in pieces:
            value, error = self._parse(piece)
            if error is None and self._contains([*self._items, *added], value):
                error = f"{self._display(value)!r} is already in the list"
            if error is not None:
                refused.append(piece)
                reason = reason or error
                continue
            added.append(value)
        self.line.setText(", ".join(quote(p) for p in refused))
        if refused:
            self.line.selectAll()
        self.set_hint(reason and reason[0].upper() + reason[1:])
        if not added:
            return False
        self._write([*self._items, *added])
        return True

    def remove_at(self, index: int) -> None:
        """Remove the ``index``-th value (one write), keeping the keyboard nearby."""
        if not 0 <= index < len(self._items):
            return
        had_focus = self._chips[index].hasFocus()
        items = [*self._items[:index], *self._items[index + 1:]]
        self._write(items)
        if had_focus:
            if self._chips and index > 0:
                self._focus_index(index - 1)
            else:
                self._focus_index(len(self._chips))

    def _write(self, items: list[Any]) -> None:
        self.set_items(items)
        self.itemsEdited.emit(list(items))

    @staticmethod
    def _contains(items: Sequence[Any], value: Any) -> bool:
        """Numbers compare by value (1 and 1.0 are one value); text exactly."""
        return any(item == value and isinstance(item, str) == isinstance(value, str)
                   for item in items)

    # -- keyboard & signals ------------------------------------------------------------

    def _text_edited(self, text: str) -> None:
        if self.hint.isVisible():
            self.set_hint(None)
        if has_separator(text):
            self.commit()

    def _suggestion_chosen(self, text: str) -> None:
        # Enter in the popup may reach the line too; committing later and only
        # if the text is still there adds the value once either way.
        QTimer.singleShot(0, lambda: self.commit() if self.line.text().strip() else None)

    def _remove_chip(self, chip: QWidget) -> None:
        if chip in self._chips:
            self.remove_at(self._chips.index(chip))  # type: ignore[arg-type]

    def _step_back(self) -> None:
        if self._chips:
            self._focus_index(len(self._chips) - 1)

    def _step(self, chip: QWidget, step: int) -> None:
        index = self._chips.index(chip)  # type: ignore[arg-type]
        target = {-2: 0, 2: len(self._chips)}.get(step, index + step)
        self._focus_index(max(0, min(target, len(self._chips))))

    def _focus_index(self, index: int) -> None:
        """Focus chip ``index``; one past the last is the typing line."""
        if index < len(self._chips):
            self._chips[index].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_completions(self) -> None:
        shown = {self._display(item) for item in self._items}
        self._model.setStringList([s for s in self._suggestions if s not in shown])

    def line_tip(self) -> str:
        """How to use the typing line (its tooltip when no problem is shown)."""
        tip = ("Type a value and press Enter (or a comma, or Tab) to add it. A value "
               "with a comma goes in \"double quotes\". Backspace in the empty line "
               "selects the last value; Delete removes a selected value.")
        if self._suggestions:
            tip += " Suggestions come from the sample profiles."
        return tip

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(max(hint.width(), 200), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self.line.minimumWidth()
        height = self.flow.heightForWidth(max(self.width(), width))
        if self.hint.isVisible():
            height += self.hint.sizeHint().height()
        return QSize(width, max(height, self.line.sizeHint().height()))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        height = self.flow.heightForWidth(width)
        if self.hint.isVisible():
            height += self.hint.heightForWidth(width) + 1
        return height
