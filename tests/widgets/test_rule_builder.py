"""The rule builder driven as a marketer would: clicks, typing, the JSON tab."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox

from guidestudio.core.files.project_io import load_project
from guidestudio.widgets.rules.builder import RuleBuilder
from guidestudio.widgets.rules.condition_field import ConditionField
from guidestudio.widgets.rules.groups import GroupWidget
from guidestudio.widgets.rules.moves import MIME
from guidestudio.widgets.rules.rows import AdvancedRow, RuleRow
from guidestudio.widgets.rules.value_editors import ChipsValue, NumberValue, TextValue
from tests.conftest import EXAMPLE_PROJECT
from tests.widgets.editor_support import open_example

NOW = int(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC).timestamp() * 1000)


def same(a: Any, b: Any) -> bool:
    return json.dumps(a) == json.dumps(b)


@pytest.fixture(scope="module")
def project() -> Any:
    return load_project(EXAMPLE_PROJECT).project


@pytest.fixture
def builder(qtbot, project) -> RuleBuilder:
    widget = RuleBuilder()
    qtbot.addWidget(widget)
    widget.set_profiles(project.profiles, NOW)
    widget.resize(900, 500)
    widget.show()
    widget.activateWindow()  # Alt+arrow shortcuts only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def type_attribute(qtbot, row: RuleRow, name: str) -> None:
    line = row.attribute_box.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def choose(qtbot, combo: QComboBox, label: str) -> None:
    """Pick an item with the keyboard (Home, then Down), as a user would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == label:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == label, [combo.itemText(i) for i in range(combo.count())]


def type_value(qtbot, row: RuleRow, text: str) -> None:
    assert row.editor is not None
    field = row.editor.field()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)


def add_chips(qtbot, row: RuleRow, *values: str) -> None:
    """Type each value into the row's list and press Enter, as a user adds chips."""
    assert isinstance(row.editor, ChipsValue)
    line = row.editor.field()
    line.setFocus()
    for value in values:
        qtbot.keyClicks(line, value)
        qtbot.keyClick(line, Qt.Key.Key_Return)


def published(builder: RuleBuilder) -> list[Any]:
    """The conditions ``builder`` publishes from now on, in order."""
    emitted: list[Any] = []
    builder.conditionEdited.connect(lambda condition, _mergeable: emitted.append(condition))
    return emitted


def rows(group: GroupWidget) -> list[Any]:
    return group.child_widgets()


def test_build_a_rule_by_clicking_and_typing(qtbot, builder: RuleBuilder) -> None:
    emitted = published(builder)
    root = builder.root_group_widget()

    qtbot.mouseClick(root.add_rule_button, Qt.MouseButton.LeftButton)
    plan = rows(root)[0]
    type_attribute(qtbot, plan, "plan")
    assert plan.type_box.currentText() == "text"
    assert plan.operator_box.currentText() == "equals"
    type_value(qtbot, plan, "free")
    assert same(emitted[-1], {"plan": {"$eq": "free"}})

    qtbot.mouseClick(root.add_group_button, Qt.MouseButton.LeftButton)
    group = rows(root)[1]
    assert isinstance(group, GroupWidget)
    choose(qtbot, group.mode_box, "all of")
    choose(qtbot, group.mode_box, "any of")
    storage = rows(group)[0]
    type_attribute(qtbot, storage, "storage_used_pct")
    assert storage.type_box.currentText() == "number"
    choose(qtbot, storage.operator_box, "is at least")
    assert isinstance(storage.editor, NumberValue)
    type_value(qtbot, storage, "90")

    qtbot.mouseClick(group.add_rule_button, Qt.MouseButton.LeftButton)
    country = rows(group)[1]
    type_attribute(qtbot, country, "country")
    choose(qtbot, country.operator_box, "is one of")
    add_chips(qtbot, country, "JP", "DE")

    expected = {"plan": {"$eq": "free"},
                "$or": [{"storage_used_pct": {"$gte": 90}}, {"country": {"$in": ["JP", "DE"]}}]}
    assert same(builder.condition(), expected)
    assert same(emitted[-1], expected)
    assert builder.match_label.text() == "Matches 2 of 12 sample profiles"
    tip = builder.match_label.toolTip()
    assert "Emma" in tip and "Hostile" in tip and "Sofia" not in tip
    assert json.loads(builder.json_edit.toPlainText()) == expected

    qtbot.mouseClick(country.remove, Qt.MouseButton.LeftButton)
    assert same(emitted[-1], {"plan": {"$eq": "free"},
                              "$or": [{"storage_used_pct": {"$gte": 90}}]})
    choose(qtbot, group.mode_box, "none of")
    assert same(emitted[-1], {"plan": {"$eq": "free"},
                              "$nor": [{"storage_used_pct": {"$gte": 90}}]})
    assert builder.match_label.text() == "Matches 1 of 12 sample profiles"  # Sofia
    qtbot.mouseClick(group.remove, Qt.MouseButton.LeftButton)
    assert same(emitted[-1], {"plan": {"$eq": "free"}})


def test_every_example_condition_round_trips_without_emitting(
        qtbot, builder: RuleBuilder, project: Any) -> None:
    emitted = published(builder)
    conditions = [s.condition for s in project.segments.values()]
    conditions += [g.audience.conditions for g in project.guides.values()
                   if g.audience and g.audience.conditions is not None]
    for condition in conditions:
        builder.set_condition(condition)
        assert same(builder.condition(), condition)
        assert json.loads(builder.json_edit.toPlainText()) == condition
        assert not any(isinstance(w, AdvancedRow) for w in rows(builder.root_group_widget()))
    assert emitted == []
    builder.set_condition({"plan": "free", "storage_used_pct": {"$gte": 90}})
    assert builder.match_label.text() == "Matches 2 of 12 sample profiles"


def test_advanced_rows_are_read_only_and_preserved(qtbot, builder: RuleBuilder) -> None:
    condition = {"tags": {"$elemMatch": {"name": "beta", "n": {"$gt": 1}}},
                 "plan": {"$regx": "fre+"},
                 "country": "JP",
                 "$or": [{"role": {"$type": "string"}}, 3]}
    builder.set_condition(condition)
    assert same(builder.condition(), condition)
    root = builder.root_group_widget()
    advanced = [w for w in rows(root) if isinstance(w, AdvancedRow)]
    assert len(advanced) == 2 and all(w.text.isReadOnly() for w in advanced)
    assert "$regx" in advanced[1].text.toolTip()
    emitted = published(builder)
    country = rows(root)[2]
    type_value(qtbot, country, "DE")
    assert same(emitted[-1], {**condition, "country": "DE"})  # literal form kept, rest intact


def test_json_tab_updates_rows_and_bad_json_leaves_them(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"plan": "free"})
    emitted = published(builder)
    builder.tabs.setCurrentIndex(1)
    builder.json_edit.setFocus()
    builder.json_edit.selectAll()
    qtbot.keyClicks(builder.json_edit, '{"app_version": {"$vgte": "2.0.0"}, "role": "admin"}')
    assert same(emitted[-1], {"app_version": {"$vgte": "2.0.0"}, "role": "admin"})
    root = builder.root_group_widget()
    first = rows(root)[0]
    assert first.type_box.currentText() == "version"
    assert first.operator_box.currentText() == "is at least version"
    assert builder.match_label.text() == "Matches 1 of 12 sample profiles"  # Priya

    count = len(emitted)
    qtbot.keyClick(builder.json_edit, Qt.Key.Key_Backspace)  # drop the closing brace
    assert "invalid JSON" in builder.json_message.text()
    assert builder.root_group_widget() is root and len(rows(root)) == 2
    assert len(emitted) == count
    builder.json_edit.selectAll()
    qtbot.keyClicks(builder.json_edit, '{"a": 1, "a": 2}')
    assert "twice" in builder.json_message.text()
    builder.json_edit.selectAll()
    qtbot.keyClicks(builder.json_edit, "[1]")
    assert "JSON object" in builder.json_message.text()
    assert same(builder.condition(), {"app_version": {"$vgte": "2.0.0"}, "role": "admin"})


def test_bad_regex_is_flagged_and_not_emitted(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"email": {"$regex": "@acme\\.example$"}})
    emitted = published(builder)
    row = rows(builder.root_group_widget())[0]
    assert row.operator_box.currentText() == "matches regex"
    type_value(qtbot, row, "(?i)@example")
    field = row.editor.field()
    assert field.property("problem") == "error"
    assert "regular expression" in field.toolTip()
    assert same(builder.condition(), {})
    assert all("(?i)" not in json.dumps(c) for c in emitted)
    assert "1 unfinished or invalid rule not applied" in builder.match_label.text()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "@example\\.jp$")
    assert field.property("problem") == ""
    assert same(emitted[-1], {"email": {"$regex": "@example\\.jp$"}})
    assert builder.match_label.text() == "Matches 2 of 12 sample profiles"


def test_wrong_value_types_are_flagged_and_not_emitted(qtbot, builder: RuleBuilder) -> None:
    root = builder.root_group_widget()
    emitted = published(builder)
    qtbot.mouseClick(root.add_rule_button, Qt.MouseButton.LeftButton)
    row = rows(root)[0]
    type_attribute(qtbot, row, "account.seats")
    choose(qtbot, row.operator_box, "is one of")
    assert [c.text for c in row.editor.chips.chips()] == ["0"]  # the 0 carried over
    field = row.editor.field()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)  # selects the last chip...
    qtbot.keyClick(row.editor.chips.chips()[0], Qt.Key.Key_Backspace)  # ...and removes it
    assert row.editor.chips.items() == []
    add_chips(qtbot, row, "1")
    assert same(emitted[-1], {"account.seats": {"$in": [1]}})
    count = len(emitted)
    add_chips(qtbot, row, "two")  # refused on the spot: never reaches the condition
    assert field.property("problem") == "error"
    assert "'two' is not a number" in field.toolTip()
    hint = row.editor.chips.hint
    assert hint.isVisible() and "'two' is not a number" in hint.text()
    assert len(emitted) == count and same(builder.condition(), {"account.seats": {"$in": [1]}})
    assert field.text() == "two"  # kept for fixing, not lost
    type_value(qtbot, row, "2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.property("problem") == "" and not hint.isVisible()
    assert same(emitted[-1], {"account.seats": {"$in": [1, 2]}})

    qtbot.mouseClick(root.add_rule_button, Qt.MouseButton.LeftButton)
    carried = rows(root)[1]
    type_attribute(qtbot, carried, "country")
    type_value(qtbot, carried, "JP")
    type_attribute(qtbot, carried, "trial_days_left")  # a number now: "JP" is no number
    assert isinstance(carried.editor, TextValue)
    assert carried.editor.field().property("problem") == "error"
    assert same(builder.condition(), {"account.seats": {"$in": [1, 2]}})
    type_value(qtbot, carried, "3")
    assert same(emitted[-1], {"account.seats": {"$in": [1, 2]}, "trial_days_left": {"$eq": 3}})


def test_loaded_values_of_the_wrong_type_are_kept_but_flagged(qtbot, builder) -> None:
    condition = {"storage_used_pct": {"$gte": "90"}, "email": {"$regex": "(?i)x"}}
    builder.set_condition(condition)
    first, second = rows(builder.root_group_widget())
    assert first.editor.field().property("problem") == "warning"
    assert "number in the sample profiles" in first.editor.field().toolTip()
    assert second.editor.field().property("problem") == "warning"
    assert same(builder.condition(), condition)


def test_suggestions_types_and_behaviour_attributes(qtbot, builder: RuleBuilder) -> None:
    root = builder.root_group_widget()
    row = root.add_rule()
    box = row.attribute_box
    items = [box.itemText(i) for i in range(box.count())]
    assert "account.age_days" in items and "events.login.last_7d" in items
    type_attribute(qtbot, row, "events.login.days_since")
    assert row.type_box.currentText() == "event count"
    choose(qtbot, row.operator_box, "is at least")
    type_value(qtbot, row, "21")
    assert same(builder.condition(), {"events.login.days_since": {"$gte": 21}})
    assert builder.match_label.text() == "Matches 1 of 12 sample profiles"  # Lucas
    type_attribute(qtbot, row, "beta_opt_in")  # unknown: the author picks the type
    choose(qtbot, row.type_box, "yes/no")
    assert same(builder.condition(), {"beta_opt_in": {"$eq": True}})
    row.editor.field().click()
    assert same(builder.condition(), {"beta_opt_in": {"$eq": False}})


# --- moving rows -------------------------------------------------------------------

MOVABLE = {"plan": "free", "$or": [{"country": "JP"}, {"storage_used_pct": {"$gte": 90}}]}


def drop(builder: RuleBuilder, widget: Any, target: Any, y: int) -> bool:
    """Deliver a drag of ``widget`` to height ``y`` of ``target`` as Qt does: enter,
    move (which draws the indicator) and drop, sent to the innermost widget
    under the cursor and passed up to the group that takes it."""
    root = builder.root_group_widget()
    data = builder.moves.mime_for(widget)
    assert data is not None and data.formats() == [MIME]
    pos = target.mapTo(root, QPoint(40, y))
    under = root.childAt(pos) or root
    local = under.mapFrom(root, pos)
    args = (Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(under, QDragEnterEvent(local, *args))
    move = QDragMoveEvent(local, *args)
    QApplication.sendEvent(under, move)
    if not move.isAccepted():
        return False
    assert builder.moves.drop_indicator.isVisible()
    event = QDropEvent(QPointF(local), *args)
    QApplication.sendEvent(under, event)
    assert not builder.moves.drop_indicator.isVisible()
    return event.isAccepted()


def test_alt_arrows_move_rows_within_and_between_groups(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition(MOVABLE)
    steps: list[tuple[Any, bool]] = []
    builder.conditionEdited.connect(lambda c, merge: steps.append((c, merge)))
    root = builder.root_group_widget()
    plan, group = rows(root)
    line = plan.attribute_box.lineEdit()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert rows(root) == [group, plan] and line.hasFocus()
    assert list(builder.condition()) == ["$or", "plan"]
    assert steps[-1][1] is False  # its own undo step, never merged with typing
    qtbot.keyClick(line, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert list(builder.condition()) == ["plan", "$or"]
    qtbot.keyClick(line, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # already first
    assert len(steps) == 2

    country = rows(group)[0]
    country.attribute_box.lineEdit().setFocus()
    qtbot.keyClick(country.attribute_box.lineEdit(), Qt.Key.Key_Left,
                   Qt.KeyboardModifier.AltModifier)  # out of the group
    assert rows(root) == [plan, group, country]
    assert same(builder.condition(), {"plan": "free",
                                      "$or": [{"storage_used_pct": {"$gte": 90}}],
                                      "country": "JP"})
    qtbot.keyClick(country.attribute_box.lineEdit(), Qt.Key.Key_Right,
                   Qt.KeyboardModifier.AltModifier)  # into the group above, at its end
    assert same(builder.condition(), {"plan": "free", "$or": [
        {"storage_used_pct": {"$gte": 90}}, {"country": "JP"}]})
    assert builder.match_label.text() == f"Matches {builder.matched_count()} of 12 sample profiles"
    labels = [(label, keys, action is not None)
              for label, keys, action in builder.moves.move_actions(country)]
    assert labels[0] == ("Move up", "Alt+Up", True) and labels[1][2] is False
    assert "Alt+Up" in country.handle.toolTip()
    assert country.handle.cursor().shape() == Qt.CursorShape.OpenHandCursor


def test_dropping_a_row_into_another_group(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition(MOVABLE)
    root = builder.root_group_widget()
    plan, group = rows(root)
    country, storage = rows(group)
    before = builder.matched_count()
    assert drop(builder, plan, storage, storage.height() - 2)  # below storage, in the group
    assert rows(group) == [country, storage, plan] and rows(root) == [group]
    assert same(builder.condition(), {"$or": [{"country": "JP"},
                                              {"storage_used_pct": {"$gte": 90}},
                                              {"plan": "free"}]})
    assert builder.matched_count() != before
    assert builder.match_label.text() == f"Matches {builder.matched_count()} of 12 sample profiles"
    assert json.loads(builder.json_edit.toPlainText()) == builder.condition()
    # On a nested group's header: before the group, in the enclosing group.
    assert drop(builder, storage, group, 4)
    assert rows(root) == [storage, group]
    # A group cannot go inside itself; another builder's drag is not ours.
    assert not drop(builder, group, plan, 2)
    other = RuleBuilder()
    qtbot.addWidget(other)
    other.set_condition(MOVABLE)
    data = other.moves.mime_for(rows(other.root_group_widget())[0])
    assert data is not None and builder.moves.dragged(data) is None


def test_moves_are_one_undo_step_each_in_the_document(qtbot, tmp_path: Path) -> None:
    doc = open_example(tmp_path)
    path = ("segments", "admins", "condition")
    doc.set_value(path, MOVABLE)
    field = ConditionField(doc, lambda: path, optional=False)
    qtbot.addWidget(field)
    field.resize(900, 500)
    field.show()
    field.activateWindow()  # keyboard shortcuts only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is field)
    builder = field.builder
    root = builder.root_group_widget()
    plan, group = rows(root)
    steps = doc.undo_stack.count()

    line = plan.attribute_box.lineEdit()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert list(doc.get(path)) == ["$or", "plan"]
    qtbot.keyClick(line, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # at once: not merged
    assert list(doc.get(path)) == ["plan", "$or"]
    assert doc.undo_stack.count() == steps + 2
    doc.undo_stack.undo()
    assert list(doc.get(path)) == ["$or", "plan"]
    assert list(builder.condition()) == ["$or", "plan"]  # the rows follow
    doc.undo_stack.undo()
    assert doc.get(path) == MOVABLE

    root = builder.root_group_widget()
    plan, group = rows(root)
    storage = rows(group)[1]
    before = builder.match_label.text()
    assert drop(builder, plan, storage, storage.height() - 2)
    moved = {"$or": [{"country": "JP"}, {"storage_used_pct": {"$gte": 90}}, {"plan": "free"}]}
    assert doc.get(path) == moved and doc.undo_stack.count() == steps + 1
    assert builder.match_label.text() != before
    doc.undo_stack.undo()  # one step takes the whole move back
    assert doc.get(path) == MOVABLE
    assert same(builder.condition(), MOVABLE) and builder.match_label.text() == before
    doc.undo_stack.redo()
    assert doc.get(path) == moved and same(builder.condition(), moved)


def test_each_builder_edit_is_one_document_change(qtbot, tmp_path: Path) -> None:
    """Typing, picking, moving and the JSON tab: the builder publishes each edit once
    and the document changes once, so listeners (tree, preview, problems) run once."""
    doc = open_example(tmp_path)
    path = ("segments", "admins", "condition")
    doc.set_value(path, MOVABLE)
    field = ConditionField(doc, lambda: path, optional=False)
    qtbot.addWidget(field)
    field.resize(900, 500)
    field.show()
    field.activateWindow()  # keyboard shortcuts only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is field)
    builder = field.builder
    emitted = published(builder)
    changes: list[Any] = []
    doc.changed.connect(changes.append)
    plan, group = rows(builder.root_group_widget())
    steps = doc.undo_stack.count()

    def one_change_per(edit: Any) -> None:
        emitted.clear()
        changes.clear()
        edit()
        assert len(emitted) == 1 and len(changes) == 1
        assert json.loads(builder.json_edit.toPlainText()) == doc.get(path)

    one_change_per(lambda: qtbot.keyClicks(plan.editor.field(), "r"))
    assert doc.get(path)["plan"] == "freer"
    assert plan.operator_box.currentText() == "equals"
    plan.operator_box.setFocus()
    one_change_per(lambda: qtbot.keyClick(plan.operator_box, Qt.Key.Key_Down))
    assert plan.operator_box.currentText() == "does not equal"
    assert doc.get(path)["plan"] == {"$ne": "freer"}
    line = plan.attribute_box.lineEdit()
    line.setFocus()
    one_change_per(lambda: qtbot.keyClick(line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier))
    assert list(doc.get(path)) == ["$or", "plan"]
    assert doc.undo_stack.count() == steps + 3
    builder.tabs.setCurrentIndex(1)
    builder.json_edit.setFocus()
    builder.json_edit.selectAll()
    one_change_per(lambda: builder.json_edit.insertPlainText('{"plan": "pro"}'))
    assert doc.get(path) == {"plan": "pro"} and doc.undo_stack.count() == steps + 4


def test_json_tab_keeps_the_caret_when_the_condition_changes_elsewhere(qtbot) -> None:  # type: ignore[no-untyped-def]
    builder = RuleBuilder()
    qtbot.addWidget(builder)
    builder.set_condition({"plan": "pro", "country": "JP"})
    edit = builder.json_edit
    cursor = edit.textCursor()
    cursor.setPosition(5)
    edit.setTextCursor(cursor)
    builder.set_condition({"plan": "team", "country": "JP"})  # e.g. an undo
    assert '"team"' in edit.toPlainText()
    assert edit.textCursor().position() == 5
    assert not edit.isUndoRedoEnabled()


def test_every_rule_builder_field_explains_itself(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QWidget,
    )

    builder = RuleBuilder()
    qtbot.addWidget(builder)
    builder.set_condition({"plan": "pro", "seats": {"$gte": 5}, "beta": True,
                           "app_version": {"$vgte": "2.4.0"}, "country": {"$in": ["JP"]},
                           "email": {"$regex": "@acme"},
                           "$or": [{"events.export.last_7d": {"$gt": 2}}, {"trial": True}]})
    fields = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QAbstractButton)
    checked = 0
    for widget in builder.findChildren(QWidget):
        if not isinstance(widget, fields) or widget.objectName().startswith("qt_"):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox, QTabBar)):
            continue  # Qt's own parts of a spin box, combo box or tab bar
        checked += 1
        assert widget.toolTip(), f"no tooltip on {widget!r} ({widget.objectName()})"
    assert checked > 30
