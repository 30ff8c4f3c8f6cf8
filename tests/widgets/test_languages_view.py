"""The side-by-side languages window: every text of a guide, one column per language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from guidestudio.widgets.guide.translations_model import MISSING_BRUSH, MISSING_TEXT
from tests.widgets.editor_support import TOUR, guide_editor, open_example

CHECKLIST = "onboarding-checklist"


def cell(view, label: str, locale: str):  # type: ignore[no-untyped-def]
    """The table cell of the text named ``label`` in ``locale``."""
    model = view.model
    row = [r.label for r in model.rows].index(label)
    return model.index(row, 1 + model.locales.index(locale))


def test_every_text_is_listed_by_its_name_with_a_column_per_language(tmp_path: Path,
                                                                     qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, CHECKLIST)
    view = editor.open_languages()
    qtbot.addWidget(view)
    model = view.model
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels == [
        "Title", "Body", "Button 1", "Button 2",
        "Task 1", "Task 1 › Description", "Task 2", "Task 2 › Description",
        "Task 3", "Task 3 › Description", "Task 4", "Task 4 › Description",
        "Task 5", "Task 5 › Description"]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Text", "English (en)", "Japanese (ja)"]
    assert cell(view, "Task 2", "ja").data() == "チームメンバーを招待"
    assert view.summary.text() == "Every text is written in every language."
    assert view.windowTitle() == "All languages — Onboarding checklist — first 90 days"

    # Several steps and variants: the names say which.
    editor.set_guide(TOUR)
    assert view.model.guide_id == TOUR
    labels = [r.label for r in view.model.rows]
    assert labels[:4] == ["Variant Short tour (3 steps) › Step 1 › Title",
                          "Variant Short tour (3 steps) › Step 1 › Body",
                          "Variant Short tour (3 steps) › Step 1 › Picture description",
                          "Variant Short tour (3 steps) › Step 1 › Button 1"]
    assert "Variant Full tour (4 steps) › Step 4 › Button 3" in labels


def test_a_missing_translation_is_highlighted_and_counted(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    step = ("guides", CHECKLIST, "variants", 0, "steps", 0)
    doc.clear_value((*step, "items", 1, "label", "ja"))
    doc.clear_value((*step, "body", "ja"))
    editor = guide_editor(qtbot, doc, CHECKLIST)
    view = editor.open_languages()
    qtbot.addWidget(view)
    missing = cell(view, "Task 2", "ja")
    assert missing.data() == MISSING_TEXT
    assert missing.data(Qt.ItemDataRole.EditRole) == ""
    assert missing.data(Qt.ItemDataRole.BackgroundRole) == MISSING_BRUSH
    assert "no Japanese text yet" in missing.data(Qt.ItemDataRole.ToolTipRole)
    written = cell(view, "Task 2", "en")
    assert written.data() == "Invite a teammate"
    assert written.data(Qt.ItemDataRole.BackgroundRole) is None
    assert view.summary.text() == "2 texts missing in Japanese"


def test_an_edit_in_the_table_is_one_undo_step_and_the_inspector_follows(
        tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    body = ("guides", CHECKLIST, "variants", 0, "steps", 0, "buttons", 1, "label")
    doc.clear_value((*body, "ja"))
    editor = guide_editor(qtbot, doc, CHECKLIST)
    editor.show()
    view = editor.open_languages()
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    steps_before = doc.undo_stack.count()

    index = cell(view, "Button 2", "ja")
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit) and field.text() == ""
    field.insert("閉じる")  # as typed (QTest types ASCII only)
    QTest.keyClick(field, Qt.Key.Key_Return)  # the view commits on its next turn
    qtbot.waitUntil(lambda: doc.get((*body, "ja"), None) is not None)

    assert doc.get((*body, "ja")) == "閉じる"
    assert doc.undo_stack.count() == steps_before + 1
    assert cell(view, "Button 2", "ja").data() == "閉じる"
    assert view.summary.text() == "Every text is written in every language."
    # The inspector shows the new text in the button's Japanese field.
    row = editor.step_editor.buttons.rows[1]
    assert row.label.editor("ja").text() == "閉じる"

    doc.undo_stack.undo()
    assert doc.get((*body, "ja"), None) is None
    assert cell(view, "Button 2", "ja").data() == MISSING_TEXT
    assert row.label.editor("ja").text() == ""
    assert view.summary.text() == "1 text missing in Japanese"

    # And the other way: typing in the inspector shows in the table.
    field = row.label.editor("en")
    field.moveCursor(field.textCursor().MoveOperation.End)
    QTest.keyClicks(field, "!")
    assert cell(view, "Button 2", "en").data() == "Hide checklist!"
