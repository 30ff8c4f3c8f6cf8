"""A marketer's session, driven through the real window with keys and clicks, then
undone step by step back to the very bytes on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QMessageBox

from guidestudio.app.editor_area import load_class
from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.rules.rows import RuleRow
from tests.app.conftest import snapshot

TOUR = "trial-conversion-tour"


def test_gallery_fields_steps_rule_and_weights_then_undo_to_the_bytes_on_disk(
        window: MainWindow, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    original = snapshot(project)
    document = window.document
    assert document is not None
    window.activateWindow()

    # 1. A guide from the starter gallery, picked with the keyboard, then named by typing.
    gallery = load_class("guidestudio.widgets.dialogs.starter_gallery", "StarterGalleryDialog")

    def pick_second(dialog: QDialog) -> int:
        dialog.show()
        QTest.keyClick(dialog.list, Qt.Key.Key_Down)  # type: ignore[attr-defined]
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(gallery, "exec", pick_second)
    before = set(document.project.guides)
    window.actions_.new_guide.trigger()
    (new_id,) = set(document.project.guides) - before
    editor = window.current_editor()
    name = editor.settings.name  # type: ignore[attr-defined]
    name.setFocus()
    name.selectAll()
    QTest.keyClicks(name, "Storage upsell")
    assert document.get(("guides", new_id, "name")) == "Storage upsell"

    # 2. Steps of a walkthrough: add one, move it up, type in its title.
    window.tree.select("guide", TOUR)
    editor = window.current_editor()
    steps_before = len(document.project.guides[TOUR].variants[0].steps)
    editor.steps.add_step()  # type: ignore[attr-defined]
    editor.steps.move_step(-1)  # type: ignore[attr-defined]
    QTest.keyClicks(editor.step_editor.title.editor("en"), " now")  # type: ignore[attr-defined]
    assert len(document.project.guides[TOUR].variants[0].steps) == steps_before + 1

    # 3. A rule in the builder: the JSON and the match count follow.
    builder = editor.audience.conditions.builder  # type: ignore[attr-defined]
    json_before, matches_before = builder.json_edit.toPlainText(), builder.match_label.text()
    root = builder.root_group_widget()
    root.add_rule_button.click()
    row = root.findChildren(RuleRow)[-1]
    QTest.keyClicks(row.attribute_box.lineEdit(), "plan")
    QTest.keyClick(row.attribute_box.lineEdit(), Qt.Key.Key_Return)
    field = row.editor.field()
    QTest.keyClicks(field, "free")
    QTest.keyClick(field, Qt.Key.Key_Tab)
    assert '"plan"' in builder.json_edit.toPlainText() != json_before
    assert builder.match_label.text() != matches_before
    condition = document.get(("guides", TOUR, "audience", "conditions"))
    assert "free" in str(condition)

    # 4. Weights as percentages that always total 100.
    variants = editor.variants.rows  # type: ignore[attr-defined]
    if len(variants.rows) < 2:
        variants.add_button.click()
    variants.rows[0].share.setValue(30)
    shares = [r.share.value() for r in variants.rows]
    assert shares[0] == 30 and sum(shares) == 100

    assert window.isWindowModified()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    assert window.save()
    assert snapshot(project) != original

    # Undo every step from the Edit menu, save: the folder is byte-identical again.
    while document.undo_stack.canUndo():
        window.actions_.undo.trigger()
    assert window.save()
    assert snapshot(project) == original
    assert not window.isWindowModified()
