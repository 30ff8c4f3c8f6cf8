"""The segment editor: read-only id, name and rules, and which guides use it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.widgets.entities.segment_editor import SegmentEditor
from guidestudio.widgets.rules.builder import RuleBuilder
from tests.widgets.editor_support import BANNER, guide_editor, open_example


def test_segment_fields_rules_and_usage(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = SegmentEditor(doc)
    qtbot.addWidget(editor)
    assert not editor.form.isEnabled()
    editor.set_segment("free-plan")
    assert editor.id_field.text() == "free-plan" and editor.id_field.isReadOnly()
    editor.show()
    assert editor.name.y() < editor.id_field.y()  # its name first, the file's id after
    users = [g for g, guide in doc.project.guides.items()
             if guide.audience and "free-plan" in guide.audience.segments]
    assert editor.used_by.text().startswith(f"{len(users)} guides: ")
    editor.name.selectAll()
    QTest.keyClicks(editor.name, "Free accounts")
    assert doc.get(("segments", "free-plan", "name")) == "Free accounts"
    editor.name.selectAll()
    QTest.keyClick(editor.name, Qt.Key.Key_Delete)  # a segment needs a name
    assert doc.get(("segments", "free-plan", "name")) == "Free accounts"
    builder = editor.condition.findChild(RuleBuilder)
    assert builder.condition() == {"plan": "free"}
    builder.json_edit.setPlainText('{"plan": {"$in": ["free", "starter"]}}')
    assert doc.get(("segments", "free-plan", "condition")) == {
        "plan": {"$in": ["free", "starter"]}}
    builder.json_edit.setPlainText("{}")  # everyone: kept, a segment's condition is required
    assert doc.get(("segments", "free-plan", "condition")) == {}
    # Another view changes who uses it: the count follows.
    editor.set_segment("admins")
    assert editor.used_by.text().startswith("1 guide: Release announcement")
    guides = guide_editor(qtbot, doc, BANNER)
    guides.audience.segments.item(0).setCheckState(Qt.CheckState.Checked)  # admins
    assert editor.used_by.text().startswith("2 guides: ")
    doc.undo_stack.undo()
    assert editor.used_by.text().startswith("1 guide: ")
    editor.focus_field("name")
    assert editor.focusWidget() is editor.name


def test_a_removed_segment_empties_the_editor(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = SegmentEditor(doc)
    qtbot.addWidget(editor)
    editor.set_segment("pro-plan")
    from guidestudio.core.edits import MISSING

    doc.set_value(("segments", "pro-plan"), MISSING)
    assert editor.segment_id() is None and not editor.form.isEnabled()
    doc.undo_stack.undo()
    editor.set_segment("pro-plan")
    assert editor.name.text() == doc.project.segments["pro-plan"].name
