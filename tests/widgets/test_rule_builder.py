"""The rule builder driven as a marketer would: clicks, typing, the JSON tab."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from app.core.project_io import load_project
from tests.conftest import EXAMPLE_PROJECT
from widgets.rule_builder import RuleBuilder
from widgets.rule_groups import GroupWidget
from widgets.rule_rows import AdvancedRow, RuleRow
from widgets.value_editors import NumberValue, TextValue

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


def rows(group: GroupWidget) -> list[Any]:
    return group.child_widgets()


def test_build_a_rule_by_clicking_and_typing(qtbot, builder: RuleBuilder) -> None:
    emitted: list[dict[str, Any]] = []
    builder.conditionEdited.connect(emitted.append)
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
    type_value(qtbot, country, "JP, DE")

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
    emitted: list[Any] = []
    builder.conditionEdited.connect(emitted.append)
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
    emitted: list[Any] = []
    builder.conditionEdited.connect(emitted.append)
    country = rows(root)[2]
    type_value(qtbot, country, "DE")
    assert same(emitted[-1], {**condition, "country": "DE"})  # literal form kept, rest intact


def test_json_tab_updates_rows_and_bad_json_leaves_them(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"plan": "free"})
    emitted: list[Any] = []
    builder.conditionEdited.connect(emitted.append)
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
    emitted: list[Any] = []
    builder.conditionEdited.connect(emitted.append)
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
    emitted: list[Any] = []
    builder.conditionEdited.connect(emitted.append)
    qtbot.mouseClick(root.add_rule_button, Qt.MouseButton.LeftButton)
    row = rows(root)[0]
    type_attribute(qtbot, row, "account.seats")
    choose(qtbot, row.operator_box, "is one of")
    type_value(qtbot, row, "1, two")
    assert row.editor.field().property("problem") == "error"
    assert "'two' is not a number" in row.editor.field().toolTip()
    assert same(builder.condition(), {})
    type_value(qtbot, row, "1, 2")
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
