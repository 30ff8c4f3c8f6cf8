"""The rule builder in a marketer's words: labels, typed pickers, rows that fit narrow inspectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Attribute
from guidestudio.widgets.rules.builder import RuleBuilder
from guidestudio.widgets.rules.condition_field import ConditionField
from guidestudio.widgets.rules.groups import GroupWidget
from guidestudio.widgets.rules.pickers import ChoiceValue, DateValue
from guidestudio.widgets.rules.rows import RuleRow
from guidestudio.widgets.rules.value_editors import ChipsValue, NumberValue
from tests.conftest import EXAMPLE_PROJECT
from tests.widgets.editor_support import open_example
from tests.widgets.test_rule_builder import NOW, add_chips, published, rows, same, type_value

SIGNUP = Attribute("signup_date", "Signed up on", "date")
MIXED = {"plan": {"$in": ["free", "trial"]}, "storage_used_pct": {"$gte": 90},
         "$or": [{"events.login.days_since": {"$gte": 21}}, {"plan": "pro"},
                 {"signup_date": {"$gt": "2026-01-01"}}, {"beta_opt_in": True}],
         "app_version": {"$vgte": "2.0.0"}}


@pytest.fixture(scope="module")
def project() -> Any:
    return load_project(EXAMPLE_PROJECT).project


@pytest.fixture
def builder(qtbot, project) -> RuleBuilder:
    widget = RuleBuilder()
    qtbot.addWidget(widget)
    widget.set_profiles(project.profiles, NOW)
    widget.set_catalogue([*project.settings.attributes, SIGNUP])
    widget.resize(900, 500)
    widget.show()
    return widget


def all_rows(group: GroupWidget) -> list[RuleRow]:
    found: list[RuleRow] = []
    for child in rows(group):
        if isinstance(child, GroupWidget):
            found.extend(all_rows(child))
        elif isinstance(child, RuleRow):
            found.append(child)
    return found


def commit_text(qtbot, row: RuleRow, text: str) -> None:
    line = row.attribute_box.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


# --- labels ------------------------------------------------------------------------------


def test_rows_show_labels_with_the_key_quieter(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"events.login.days_since": {"$gte": 21},
                           "storage_used_pct": {"$gte": 90}, "crm_segment": "gold"})
    days, storage, unknown = rows(builder.root_group_widget())
    assert days.attribute_box.currentText() == "Days since last login"
    assert days.key_label.text() == "events.login.days_since" and days.key_label.isVisible()
    assert days.key_label.font().pointSizeF() < days.attribute_box.font().pointSizeF()
    assert days.type_box.isHidden()  # the catalogue says what it is
    assert (days.unit_label.text(), days.unit_label.isVisible()) == ("days", True)
    assert isinstance(storage.editor, NumberValue) and storage.unit_label.text() == "%"
    # Not in the catalogue: its key is all there is, and its type can be chosen.
    assert unknown.attribute_box.currentText() == "crm_segment"
    assert not unknown.key_label.isVisible() and not unknown.type_box.isHidden()
    assert same(builder.condition(), {"events.login.days_since": {"$gte": 21},
                                      "storage_used_pct": {"$gte": 90}, "crm_segment": "gold"})


def test_the_chooser_lists_labels_and_finds_attributes_by_key(qtbot, builder) -> None:
    emitted = published(builder)
    row = builder.root_group_widget().add_rule()
    box = row.attribute_box
    labels = [box.itemText(i) for i in range(box.count())]
    assert labels[:4] == ["User ID", "First name", "Email address", "Plan"]
    assert "Days since last login" in labels and "events.login.days_since" not in labels
    completer = box.completer()
    completer.setCompletionPrefix("days_since")  # a power user types the key
    found = [completer.completionModel().index(i, 0).data()
             for i in range(completer.completionModel().rowCount())]
    assert "Days since last login" in found and "Days since last upload" in found
    completer.setCompletionPrefix("storage")
    assert completer.completionModel().index(0, 0).data() == "Storage used"

    commit_text(qtbot, row, "storage used")  # the label, in any case: the key is written
    assert row.rule.attribute == "storage_used_pct"
    assert row.attribute_box.currentText() == "Storage used"
    commit_text(qtbot, row, "events.login.last_7d")  # the key: shown by its label
    assert row.attribute_box.currentText() == "Logins in the last 7 days"
    assert row.key_label.text() == "events.login.last_7d"
    type_value(qtbot, row, "3")
    assert same(emitted[-1], {"events.login.last_7d": {"$eq": 3}})


# --- typed pickers -----------------------------------------------------------------------


def test_a_plan_is_picked_from_the_plans(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"plan": "free"})
    emitted = published(builder)
    (row,) = rows(builder.root_group_widget())
    assert isinstance(row.editor, ChoiceValue)
    assert row.editor.choices() == ["free", "trial", "pro", "business"]
    combo = row.editor.field()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next plan
    assert same(emitted[-1], {"plan": "trial"})  # still the literal form
    assert combo.property("problem") in ("", None)

    # A value the product never sends is kept (the file does not change) but flagged.
    builder.set_condition({"plan": "Pro"})
    (row,) = rows(builder.root_group_widget())
    field = row.editor.field()
    assert field.property("problem") == "warning"
    assert "'Pro' is not one of the values of Plan" in field.toolTip()
    assert same(builder.condition(), {"plan": "Pro"})


def test_lists_offer_the_allowed_values_first(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"role": {"$in": ["owner"]}})
    (row,) = rows(builder.root_group_widget())
    assert isinstance(row.editor, ChipsValue)
    offered = row.editor.chips._suggestions
    assert offered[:4] == ["owner", "admin", "member", "viewer"]
    add_chips(qtbot, row, "admin")
    assert same(builder.condition(), {"role": {"$in": ["owner", "admin"]}})


def test_dates_come_with_a_calendar(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition({"signup_date": {"$gt": "2026-01-01"}})
    emitted = published(builder)
    (row,) = rows(builder.root_group_widget())
    assert row.attribute_box.currentText() == "Signed up on"
    assert row.operator_box.currentText() == "is after"
    assert isinstance(row.editor, DateValue)
    assert row.editor.pick.toolTip() and not row.editor.pick.icon().isNull()
    row.editor.pick.menu().aboutToShow.emit()
    assert row.editor.calendar.selectedDate() == QDate(2026, 1, 1)  # opens on the value
    row.editor.calendar.clicked.emit(QDate(2026, 12, 1))  # what a click on the 1st does
    assert same(emitted[-1], {"signup_date": {"$gt": "2026-12-01"}})
    assert row.editor.field().text() == "2026-12-01"
    type_value(qtbot, row, "2026-12-01T09:00:00Z")  # a time is still typed
    assert same(emitted[-1], {"signup_date": {"$gt": "2026-12-01T09:00:00Z"}})


# --- narrow inspectors -------------------------------------------------------------------


def inside(widget: QWidget, frame: QWidget) -> bool:
    left = widget.mapTo(frame, QPoint(0, 0)).x()
    return left >= 0 and left + widget.width() <= frame.width()


def check_nothing_cut(builder: RuleBuilder) -> None:
    viewport = builder.scroll.viewport()
    assert not builder.scroll.horizontalScrollBar().isVisible()
    for group in [builder.root_group_widget(),
                  *[w for w in builder.root_group_widget().findChildren(GroupWidget)]]:
        for button in (group.add_rule_button, group.add_group_button):
            assert inside(button, viewport), button.text()
            assert button.width() >= button.sizeHint().width(), button.text()
    for row in all_rows(builder.root_group_widget()):
        assert row.editor is not None
        parts = [row.attribute_box, row.operator_box, row.editor, row.remove]
        parts += [w for w in (row.unit_label, row.type_box) if w.isVisible()]
        if isinstance(row.editor, ChipsValue):  # the values themselves, one chip each
            parts += row.editor.chips.chips()
        else:
            parts.append(row.editor.field())
        for part in parts:
            assert part.isVisible() and inside(part, viewport), (row.rule.attribute, part)
        metrics = row.operator_box.fontMetrics()
        assert row.operator_box.width() > metrics.horizontalAdvance(
            row.operator_box.currentText()), row.operator_box.currentText()
        if row.unit_label.isVisible():
            assert row.unit_label.width() >= row.unit_label.sizeHint().width()


@pytest.mark.parametrize("width", [380, 420, 480])
def test_rows_wrap_instead_of_hiding_values_at_inspector_widths(qtbot, project,
                                                                width: int) -> None:
    frame = QWidget()
    qtbot.addWidget(frame)
    builder = RuleBuilder(frame)
    builder.set_profiles(project.profiles, NOW)
    builder.set_catalogue([*project.settings.attributes, SIGNUP])
    builder.set_condition(MIXED)
    frame.resize(width, 700)
    builder.resize(width, 700)
    frame.show()
    qtbot.waitUntil(lambda: builder.root_group_widget().width() > 0)
    QApplication.processEvents()
    check_nothing_cut(builder)
    wrapped = [row.wrapped for row in all_rows(builder.root_group_widget())]
    assert any(wrapped)  # some rows need two lines at this width
    assert same(builder.condition(), MIXED)


def test_wide_rows_stay_on_one_line(qtbot, builder: RuleBuilder) -> None:
    builder.set_condition(MIXED)
    builder.resize(1000, 700)
    QApplication.processEvents()
    check_nothing_cut(builder)
    assert not any(row.wrapped for row in all_rows(builder.root_group_widget()))
    assert not builder.root_group_widget().wrapped


# --- in the document ---------------------------------------------------------------------


def test_the_condition_field_follows_the_catalogue(qtbot, tmp_path: Path) -> None:
    doc = open_example(tmp_path)
    path = ("segments", "free-plan", "condition")
    field = ConditionField(doc, lambda: path, optional=False)
    qtbot.addWidget(field)
    (row,) = rows(field.builder.root_group_widget())
    assert row.attribute_box.currentText() == "Plan"
    plan = next(i for i, a in enumerate(doc.project.settings.attributes) if a.key == "plan")
    doc.set_value(("settings", "attributes", plan, "label"), "Subscription", "Rename")
    assert row.attribute_box.currentText() == "Subscription"
    doc.undo_stack.undo()
    assert row.attribute_box.currentText() == "Plan"
    assert json.loads(field.builder.json_edit.toPlainText()) == {"plan": "free"}


def test_every_new_field_explains_itself(qtbot, builder: RuleBuilder) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QCalendarWidget,
        QComboBox,
        QLineEdit,
        QTabBar,
    )

    builder.set_condition(MIXED)
    fields = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractButton)
    checked = 0
    for widget in builder.findChildren(QWidget):
        if not isinstance(widget, fields) or widget.objectName().startswith("qt_"):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox, QTabBar)):
            continue  # Qt's own parts
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, QCalendarWidget):
            parent = parent.parentWidget()
        if parent is not None:
            continue  # the calendar's own month and year buttons
        checked += 1
        assert widget.toolTip(), f"no tooltip on {widget!r} ({widget.objectName()})"
    assert checked > 20
