"""Add picture: a file dropped on the step's Picture section is copied in and shown, undoably."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from guidestudio.core.model import Image
from guidestudio.widgets.kit.combo_data import combo_value
from guidestudio.widgets.kit.marks import mark_of
from tests.core.test_pictures import PNG
from tests.widgets.editor_support import BANNER, guide_editor, open_example

STEP = ("guides", BANNER, "variants", 0, "steps", 0)


def drop(widget, path: Path) -> QDropEvent:  # type: ignore[no-untyped-def]
    """Drag ``path`` from a file manager onto ``widget`` and let go; returns the drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(widget.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where.toPoint(), actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the picture section refuses the drag"
    event = QDropEvent(where, actions, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event


def test_a_dropped_picture_is_copied_by_hash_shown_and_undone_in_one_step(
        tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    step = editor.step_editor
    assert doc.get((*STEP, "image")) is None
    picture = tmp_path / "Desktop" / "Storage chart.png"
    picture.parent.mkdir()
    picture.write_bytes(PNG)
    rel = f"assets/{hashlib.sha256(PNG).hexdigest()[:16]}.png"
    steps_before = doc.undo_stack.count()

    assert drop(step.image_box, picture).isAccepted()

    assert (doc.root / rel).read_bytes() == PNG
    assert doc.get((*STEP, "image")) == Image(src=rel, alt={"en": ""})
    assert doc.undo_stack.count() == steps_before + 1
    assert combo_value(step.image) == rel
    assert step.image_form.isRowVisible(step.image_alt)
    # The description is asked for: the cursor is in it, and it is an error until written.
    assert QApplication.focusWidget() is step.image_alt.editor("en")
    doc.revalidate()
    assert mark_of(step.image_alt.editor("en")) == "error"
    assert "no description" in step.image_alt.editor("en").toolTip()

    # The same picture dropped again makes no second file and no second step.
    drop(step.image_box, picture)
    assert [p.name for p in (doc.root / "assets").iterdir()].count(Path(rel).name) == 1
    assert doc.undo_stack.count() == steps_before + 1

    doc.undo_stack.undo()
    assert doc.get((*STEP, "image")) is None
    assert combo_value(step.image) is None
    assert (doc.root / rel).is_file()  # left in assets/; nothing refers to it
    doc.undo_stack.redo()
    assert doc.get((*STEP, "image")).src == rel


def test_a_dropped_file_that_is_not_a_picture_is_refused_in_words(tmp_path: Path,
                                                                  qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    editor.show()
    step = editor.step_editor
    assets_before = sorted(p.name for p in (doc.root / "assets").iterdir())
    steps_before = doc.undo_stack.count()
    report = tmp_path / "Q3 report.pdf"
    report.write_bytes(b"%PDF-1.7\n")

    drop(step.image_box, report)

    assert step.image_box.message.isVisible()
    assert step.image_box.message.text() == (
        "“Q3 report.pdf” is not a picture. Add a PNG, JPG, GIF, WebP or SVG file.")
    assert mark_of(step.image_box.message) == "error"
    assert doc.get((*STEP, "image")) is None
    assert doc.undo_stack.count() == steps_before
    assert sorted(p.name for p in (doc.root / "assets").iterdir()) == assets_before

    picture = tmp_path / "chart.png"
    picture.write_bytes(PNG)
    assert step.add_picture_file(picture)
    assert not step.image_box.message.isVisible()


def test_the_add_picture_button_is_in_the_picture_section(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    editor.show()
    button = editor.step_editor.image_box.add_button
    assert button.text() == "Add picture…" and button.isVisible()
    assert editor.step_editor.image_box.isAncestorOf(button)
