"""The sample profiles editor: list edits, typed attributes and event counts, all undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from guidestudio.app.document import Document
from guidestudio.core.files.project_io import load_project
from guidestudio.core.profile_rows import flatten
from guidestudio.widgets.entities.profiles_editor import ProfilesEditor
from guidestudio.widgets.kit.marks import mark_of
from guidestudio.widgets.rules.builder import RuleBuilder
from tests.widgets.editor_support import BANNER, errors_after_reload, guide_editor, open_example


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    return open_example(tmp_path)


@pytest.fixture
def editor(doc: Document, qtbot) -> ProfilesEditor:  # type: ignore[no-untyped-def]
    widget = ProfilesEditor(doc)
    qtbot.addWidget(widget)
    widget.set_item("")
    return widget


def row_of(editor: ProfilesEditor, name: str) -> int:
    return [r.name.text() for r in editor.attributes.rows].index(name)


def retype(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def test_list_add_duplicate_remove_move(doc: Document, editor: ProfilesEditor) -> None:
    stack, n = doc.undo_stack, len(doc.project.profiles)
    assert editor.profile_list.list.count() == n and editor.current() == 0
    assert editor.attributes.table.rowCount() == len(flatten(doc.project.profiles[0].attributes))
    editor.profile_list.add_button.click()
    assert len(doc.project.profiles) == n + 1 and stack.count() == 1
    new = doc.project.profiles[-1]
    assert editor.current() == n and editor.id_field.text() == new.id
    QTest.keyClicks(editor.name, "Zoe")  # the name is selected: typing replaces it
    assert doc.project.profiles[-1].name == "Zoe" and stack.count() == 2
    assert editor.profile_list.list.item(n).text().startswith("Zoe")
    editor.profile_list.duplicate_button.click()
    assert doc.project.profiles[-1].id == f"{new.id}-copy" and stack.count() == 3
    editor.profile_list.up_button.click()
    assert doc.project.profiles[-2].id == f"{new.id}-copy" and editor.current() == n
    editor.profile_list.remove_button.click()
    assert len(doc.project.profiles) == n + 1 and stack.count() == 5
    retype(editor.id_field, doc.project.profiles[0].id)  # taken: not saved
    assert doc.project.profiles[editor.current()].id != doc.project.profiles[0].id
    while stack.canUndo():
        stack.undo()
    assert len(doc.project.profiles) == n and editor.profile_list.list.count() == n


def test_attributes_are_typed_and_validated(doc: Document, editor: ProfilesEditor) -> None:
    stack = doc.undo_stack
    profile = doc.project.profiles[0]
    seats = editor.attributes.rows[row_of(editor, "account.seats")]
    assert seats.kind.currentData() == "number"
    retype(seats.value, "12")
    assert profile.attributes["account"]["seats"] == 12 and stack.count() == 1
    QTest.keyClicks(seats.value, "x")  # "12x" is no number: refused, shown on the field
    assert profile.attributes["account"]["seats"] == 12
    assert mark_of(seats.value) == "error" and "not a number" in seats.value.toolTip()
    plan = editor.attributes.rows[row_of(editor, "plan")]
    retype(plan.value, "team")
    assert profile.attributes["plan"] == "team" and stack.count() == 2
    plan.kind.setCurrentIndex(plan.kind.findData("string_list"))  # a type change converts
    assert profile.attributes["plan"] == ["team"] and stack.count() == 3
    editor.attributes.add_button.click()
    added = editor.attributes.rows[-1]
    assert "attribute" in profile.attributes and stack.count() == 4
    QTest.keyClicks(added.name, "beta")  # selected: typing renames it
    assert "beta" in profile.attributes and "attribute" not in profile.attributes
    added.kind.setCurrentIndex(added.kind.findData("bool"))
    assert profile.attributes["beta"] is False
    QTest.keyClicks(editor.attributes.rows[-1].name, ".x")  # renamed into a group: still fine
    assert profile.attributes["beta"] == {"x": False}
    editor.attributes.rows[-1].name.setFocus()
    editor.attributes.remove_button.click()
    assert "beta" not in profile.attributes
    while stack.canUndo():
        stack.undo()
    assert profile.attributes["account"]["seats"] == 1 and profile.attributes["plan"] == "free"
    assert editor.attributes.rows[row_of(editor, "plan")].value.text() == "free"


def test_events_and_saving(doc: Document, editor: ProfilesEditor) -> None:
    stack = doc.undo_stack
    profile = doc.project.profiles[0]
    name, day, count = editor.events.rows[0]
    assert (name.text(), day.date().toString("yyyy-MM-dd"), count.value()) \
        == ("login", "2026-11-02", 1)
    count.setValue(4)
    count.setValue(5)  # spinning merges
    assert profile.events["login"]["2026-11-02"] == 5 and stack.count() == 1
    day.setDate(QDate(2026, 11, 7))  # login already has a count on the 7th: refused
    assert "2026-11-02" in profile.events["login"]
    assert mark_of(editor.events.table) == "error"
    day.setDate(QDate(2026, 11, 1))
    assert profile.events["login"]["2026-11-01"] == 5 and mark_of(editor.events.table) == ""
    editor.events.add_button.click()
    event_name = editor.events.rows[-1][0]
    retype(event_name, "report_exported")
    assert list(profile.events["report_exported"].values()) == [1]
    event_name.selectAll()
    event_name.insert("bad name")  # pasted: spaces are not allowed in event names
    assert "report_exported" in profile.events and event_name.text() == "report_exported"
    doc.save()
    load_problems, errors = errors_after_reload(doc.root)
    assert load_problems == [] and errors == []
    assert load_project(doc.root).project.profiles == doc.project.profiles


def test_a_new_profile_changes_the_rule_builder_total(doc: Document, editor: ProfilesEditor,
                                                      qtbot) -> None:
    guides = guide_editor(qtbot, doc, BANNER)
    builder = guides.audience.findChild(RuleBuilder)
    total = len(doc.project.profiles)
    assert f"of {total} sample profiles" in builder.match_label.text()
    editor.profile_list.add_button.click()
    assert f"of {total + 1} sample profiles" in builder.match_label.text()
    doc.undo_stack.undo()
    assert f"of {total} sample profiles" in builder.match_label.text()


def test_jump_to_a_profile_field(editor: ProfilesEditor) -> None:
    editor.show()
    editor.focus_field("profiles[1].attributes.plan")
    assert editor.current() == 1
    assert editor.focusWidget() is editor.attributes.rows[row_of(editor, "plan")].value
    editor.focus_field("profiles[2].name")
    assert editor.current() == 2 and editor.focusWidget() is editor.name
    assert editor.profile_list.list.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_removing_every_profile_is_saved(doc: Document, editor: ProfilesEditor) -> None:
    while doc.project.profiles:
        editor.profile_list.remove_button.click()
    assert editor.profile_list.list.count() == 0 and not editor.detail.isEnabled()
    doc.save()
    load_problems, errors = errors_after_reload(doc.root)
    assert load_problems == [] and errors == []
    assert load_project(doc.root).project.profiles == []
