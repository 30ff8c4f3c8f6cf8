"""The binding helper: one undo step per typing, no echo, empty clears, never invalid."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox

from guidestudio.core.edits import MISSING
from guidestudio.core.model import Trigger
from guidestudio.widgets.kit.bindings import bind, write_value
from guidestudio.widgets.kit.marks import mark_of
from tests.widgets.editor_support import BANNER, TOUR, open_example

TITLE = ("guides", TOUR, "variants", 0, "steps", 1, "title", "en")


def test_typing_is_one_undo_step_and_undo_restores_the_field(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    bind(edit, doc, lambda: TITLE)
    original = edit.text()
    assert original == "Share with one click"
    edit.selectAll()
    QTest.keyClicks(edit, "Hello")
    assert doc.get(TITLE) == "Hello"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert edit.text() == original
    doc.undo_stack.redo()
    assert edit.text() == "Hello"


def test_no_echo_and_the_other_field_follows_keeping_its_cursor(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    mine, other = QLineEdit(), QLineEdit()
    for w in (mine, other):
        qtbot.addWidget(w)
        bind(w, doc, lambda: TITLE)
    mine.setCursorPosition(5)  # "Share| with one click"
    other.setCursorPosition(3)
    shown: list[str] = []
    mine.textChanged.connect(shown.append)  # setText would emit textChanged: an echo
    QTest.keyClicks(mine, "X")
    assert doc.get(TITLE) == "ShareX with one click"
    assert shown == ["ShareX with one click"]  # only the keystroke itself
    assert mine.cursorPosition() == 6
    assert other.text() == "ShareX with one click"
    assert other.cursorPosition() == 3


def test_plain_text_spin_combo_and_checkbox(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    guide = ("guides", BANNER)
    text, spin, combo, check = QPlainTextEdit(), QSpinBox(), QComboBox(), QCheckBox()
    for w in (text, spin, combo, check):
        qtbot.addWidget(w)
    spin.setRange(-1, 1000)
    spin.setSpecialValueText("Default")
    combo.addItem("Draft", "draft")
    combo.addItem("Live", "live")
    bind(text, doc, lambda: (*guide, "description"))
    bind(spin, doc, lambda: (*guide, "priority"))
    bind(combo, doc, lambda: (*guide, "status"))
    bind(check, doc, lambda: (*guide, "exempt_from_throttle"),
         to_model=lambda on: True if on else MISSING)
    assert spin.value() == 10 and combo.currentData() == "live" and not check.isChecked()
    text.selectAll()
    QTest.keyClicks(text, "Short")
    assert doc.get((*guide, "description")) == "Short"
    spin.setValue(-1)  # the "Default" entry: the key goes away
    assert doc.get((*guide, "priority")) is None
    combo.setCurrentIndex(0)
    assert doc.get((*guide, "status")) == "draft"
    check.setChecked(True)
    assert doc.get((*guide, "exempt_from_throttle")) is True
    check.setChecked(False)
    assert doc.get((*guide, "exempt_from_throttle")) is None
    doc.set_value((*guide, "priority"), 7)
    assert spin.value() == 7


def test_empty_optional_text_clears_the_key_and_an_empty_section(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    guide = ("guides", BANNER)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    bind(edit, doc, lambda: (*guide, "trigger", "url"))
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    assert doc.get((*guide, "trigger")) == Trigger(on="page_view")
    # Clearing the last text of a localized field removes the field, not leaves {}.
    path = ("guides", BANNER, "variants", 0, "steps", 0, "body")
    write_value(doc, (*path, "ja"), MISSING)
    write_value(doc, (*path, "en"), MISSING)
    assert doc.get(path) is None


def test_a_missing_section_is_created_by_its_first_field(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    guide = ("guides", "nps-survey")
    assert doc.get((*guide, "goal")) is None
    edit = QLineEdit()
    qtbot.addWidget(edit)
    bind(edit, doc, lambda: (*guide, "goal", "event"))
    QTest.keyClicks(edit, "nps_answered")
    assert doc.get((*guide, "goal", "event")) == "nps_answered"


def test_an_edit_that_would_break_the_schema_waits_for_its_partner(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    guide = ("guides", BANNER)
    on, selector = QComboBox(), QLineEdit()
    for w in (on, selector):
        qtbot.addWidget(w)
    for value in ("page_view", "click"):
        on.addItem(value, value)
    bind(on, doc, lambda: (*guide, "trigger", "on"))
    bind(selector, doc, lambda: (*guide, "trigger", "selector"))
    count = doc.undo_stack.count()
    on.setCurrentIndex(1)  # click needs a selector: not written yet, and marked
    assert doc.get((*guide, "trigger", "on")) == "page_view"
    assert mark_of(on) == "error" and "selector" in on.toolTip()
    QTest.keyClicks(selector, "#files")
    assert doc.get((*guide, "trigger")) == Trigger(on="click", url="/files/**", selector="#files")
    assert mark_of(on) == ""
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.undo_stack.count() - doc.undo_stack.index() == 2  # two steps, all valid
    assert doc.get((*guide, "trigger")) == Trigger(on="page_view", url="/files/**")
    assert on.currentData() == "page_view" and selector.text() == ""
    assert doc.undo_stack.index() == count


def test_rebinding_follows_the_selection(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    selected = {"step": 0}
    edit = QLineEdit()
    qtbot.addWidget(edit)
    binding = bind(edit, doc, lambda: ("guides", TOUR, "variants", 0, "steps",
                                       selected["step"], "title", "en"))
    assert edit.text().startswith("Welcome")
    selected["step"] = 2
    binding.refresh()
    assert edit.text() == "Connect the tools you already use"
