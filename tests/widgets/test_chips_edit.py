"""List values as chips: typed with the keyboard, written to the project one
undo step per add or remove, and following undo without losing what is typed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from guidestudio.core.rules.match import matching_profiles
from guidestudio.widgets.kit.chips_edit import ChipsEdit, split_input
from guidestudio.widgets.rules.condition_field import ConditionField
from guidestudio.widgets.rules.rows import RuleRow
from guidestudio.widgets.rules.value_editors import ChipsValue
from tests.widgets.editor_support import open_example

PATH = ("segments", "admins", "condition")  # {"role": {"$in": ["owner", "admin"]}}


@pytest.fixture
def doc(tmp_path: Path) -> Any:
    return open_example(tmp_path)


@pytest.fixture
def field(qtbot, doc) -> ConditionField:
    widget = ConditionField(doc, lambda: PATH, optional=False)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    return widget


def first_row(field: ConditionField) -> RuleRow:
    row = field.builder.root_group_widget().child_widgets()[0]
    assert isinstance(row, RuleRow) and isinstance(row.editor, ChipsValue)
    return row


def chip_texts(row: RuleRow) -> list[str]:
    assert isinstance(row.editor, ChipsValue)
    return [chip.text for chip in row.editor.chips.chips()]


def add(qtbot, row: RuleRow, text: str) -> None:
    assert row.editor is not None
    line = row.editor.field()
    line.setFocus()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def shown_json(field: ConditionField) -> Any:
    return json.loads(field.builder.json_edit.toPlainText())


def expected_matches(doc: Any) -> str:
    profiles = doc.project.profiles
    count = len(matching_profiles(doc.get(PATH), profiles, None))
    return f"Matches {count} of {len(profiles)} sample profiles"


def test_typing_adds_chips_one_undo_step_each_and_undo_keeps_typing(qtbot, doc, field) -> None:
    row = first_row(field)
    assert chip_texts(row) == ["owner", "admin"]
    steps = doc.undo_stack.count()
    before = field.builder.match_label.text()

    add(qtbot, row, "member")
    add(qtbot, row, "viewer")  # well inside the typing-merge window: still its own step
    assert chip_texts(row) == ["owner", "admin", "member", "viewer"]
    assert doc.get(PATH) == {"role": {"$in": ["owner", "admin", "member", "viewer"]}}
    assert shown_json(field) == doc.get(PATH)
    assert doc.undo_stack.count() == steps + 2
    assert field.builder.match_label.text() == expected_matches(doc) != before

    editor = row.editor
    assert isinstance(editor, ChipsValue)
    line = editor.field()
    qtbot.keyClicks(line, "gue")  # typing, not yet a value: nothing written
    assert doc.undo_stack.count() == steps + 2
    doc.undo_stack.undo()
    assert doc.get(PATH) == {"role": {"$in": ["owner", "admin", "member"]}}
    row = first_row(field)
    assert row.editor is editor  # shown in place, not rebuilt
    assert chip_texts(row) == ["owner", "admin", "member"]
    assert line.text() == "gue" and line.hasFocus()  # the typing survived the undo
    assert field.builder.match_label.text() == expected_matches(doc)
    doc.undo_stack.redo()
    assert chip_texts(row) == ["owner", "admin", "member", "viewer"]
    assert line.text() == "gue"
    field.builder.json_edit.setPlainText('{"role": {"$in": ["owner", "Tokyo, Japan"]}}')
    assert chip_texts(row) == ["owner", "Tokyo, Japan"] and line.text() == "gue"
    assert doc.get(PATH) == {"role": {"$in": ["owner", "Tokyo, Japan"]}}


def test_backspace_and_delete_remove_chips_by_keyboard(qtbot, doc, field) -> None:
    row = first_row(field)
    assert isinstance(row.editor, ChipsValue)
    chips = row.editor.chips
    line = row.editor.field()
    line.setFocus()
    steps = doc.undo_stack.count()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)  # empty line: selects the last chip
    assert chips.chips()[-1].hasFocus() and chip_texts(row) == ["owner", "admin"]
    qtbot.keyClick(chips.chips()[-1], Qt.Key.Key_Backspace)  # removes it
    assert doc.get(PATH) == {"role": {"$in": ["owner"]}}
    assert chip_texts(row) == ["owner"] and doc.undo_stack.count() == steps + 1
    assert chips.chips()[0].hasFocus()  # the keyboard stays in the list

    add(qtbot, row, "member")
    qtbot.keyClick(line, Qt.Key.Key_Left)  # into the chips...
    assert chips.chips()[1].hasFocus()
    qtbot.keyClick(chips.chips()[1], Qt.Key.Key_Left)
    assert chips.chips()[0].hasFocus()
    qtbot.keyClick(chips.chips()[0], Qt.Key.Key_Delete)  # ...Delete removes the focused one
    assert doc.get(PATH) == {"role": {"$in": ["member"]}}
    doc.undo_stack.undo()
    assert chip_texts(row) == ["owner", "member"]


def test_values_with_commas_stay_one_chip_and_pastes_make_several(qtbot, doc, field) -> None:
    row = first_row(field)
    steps = doc.undo_stack.count()
    add(qtbot, row, '"Tokyo, Japan"')
    assert chip_texts(row) == ["owner", "admin", "Tokyo, Japan"]
    assert doc.get(PATH) == {"role": {"$in": ["owner", "admin", "Tokyo, Japan"]}}
    assert shown_json(field)["role"]["$in"][-1] == "Tokyo, Japan"

    assert isinstance(row.editor, ChipsValue)
    line = row.editor.field()
    QApplication.clipboard().setText("a, b, c")
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert chip_texts(row)[-3:] == ["a", "b", "c"] and line.text() == ""
    QApplication.clipboard().setText("Osaka, Japan\nKyoto, Japan\n")
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert chip_texts(row)[-2:] == ["Osaka, Japan", "Kyoto, Japan"]
    assert doc.undo_stack.count() == steps + 3  # one step per paste
    # A comma inside an unfinished quote does not cut the value.
    qtbot.keyClicks(line, '"x,')
    assert line.text() == '"x,' and chip_texts(row)[-1] == "Kyoto, Japan"
    qtbot.keyClicks(line, ' y",')
    assert chip_texts(row)[-1] == "x, y"


def test_duplicates_and_comma_and_tab_entry(qtbot, doc, field) -> None:
    row = first_row(field)
    assert isinstance(row.editor, ChipsValue)
    chips = row.editor.chips
    line = row.editor.field()
    steps = doc.undo_stack.count()
    add(qtbot, row, "owner")
    assert chips.hint.isVisible() and "already in the list" in chips.hint.text()
    assert line.text() == "owner" and doc.undo_stack.count() == steps
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, "member,")  # a comma adds too
    assert not chips.hint.isVisible() and chip_texts(row)[-1] == "member"
    qtbot.keyClicks(line, "viewer")
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # Tab adds when something is typed...
    assert chip_texts(row)[-1] == "viewer" and line.hasFocus()
    assert doc.get(PATH) == {"role": {"$in": ["owner", "admin", "member", "viewer"]}}


def test_number_lists_refuse_text_and_store_numbers(qtbot, doc, field) -> None:
    doc.set_value(PATH, {"account.seats": {"$in": [1, 3]}})
    row = first_row(field)
    assert row.editor is not None and row.editor.kind == "number_list"
    steps = doc.undo_stack.count()
    add(qtbot, row, "two")
    line = row.editor.field()
    assert line.property("problem") == "error" and "not a number" in line.toolTip()
    assert isinstance(row.editor, ChipsValue)
    assert row.editor.chips.hint.isVisible()
    assert doc.get(PATH) == {"account.seats": {"$in": [1, 3]}}
    assert doc.undo_stack.count() == steps
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, "12")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    value = doc.get(PATH)["account.seats"]["$in"]
    assert value == [1, 3, 12] and type(value[-1]) is int
    assert line.property("problem") == ""
    add(qtbot, row, "12.0")  # the same number
    assert "already in the list" in row.editor.chips.hint.text()


def test_suggestions_come_from_the_sample_profiles(qtbot, doc, field) -> None:
    row = first_row(field)
    assert isinstance(row.editor, ChipsValue)
    offered = row.editor.chips.completer.model().stringList()  # type: ignore[attr-defined]
    assert "member" in offered and "viewer" in offered
    assert "owner" not in offered  # already chosen
    assert row.editor.field().toolTip() and row.editor.chips.chips()[0].accessibleName()


def test_chips_edit_alone() -> None:
    assert split_input('a, "b, c", d') == ["a", "b, c", "d"]
    assert split_input("one, two\nthree") == ["one, two", "three"]


def test_set_items_keeps_typed_text(qtbot) -> None:
    chips = ChipsEdit()
    qtbot.addWidget(chips)
    edits: list[Any] = []
    chips.itemsEdited.connect(edits.append)
    chips.set_items(["a"])
    qtbot.keyClicks(chips.line, "b")
    chips.set_items(["a", "z"])
    assert chips.text() == "b" and edits == []
    qtbot.keyClick(chips.line, Qt.Key.Key_Return)
    assert edits == [["a", "z", "b"]]
    remove = chips.chips()[1].remove_button
    assert remove.accessibleName() == "Remove 'z'"
    remove.click()
    assert edits[-1] == ["a", "b"]
