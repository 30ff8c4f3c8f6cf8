"""Per-locale tabs: each tab edits its own translation; missing ones are marked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.widgets.kit.localized_text import LocalizedTextEdit
from tests.widgets.editor_support import BANNER, TOUR, open_example

TITLE = ("guides", TOUR, "variants", 0, "steps", 1, "title")
BODY = ("guides", BANNER, "variants", 0, "steps", 0, "body")
LABEL = ("guides", BANNER, "variants", 0, "steps", 0, "buttons", 0, "label")


def make(qtbot, doc, path, **options) -> LocalizedTextEdit:
    widget = LocalizedTextEdit(doc, lambda: path, **options)
    qtbot.addWidget(widget)
    return widget


def test_switching_the_tab_edits_the_japanese_text(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, TITLE)
    assert field.locales() == ["en", "ja"]
    assert field.editor().text() == "Share with one click"
    field.tabs.setFocus()
    QTest.keyClick(field.tabs, Qt.Key.Key_Right)  # keyboard only
    assert field.current_locale() == "ja"
    editor = field.editor()
    editor.selectAll()
    editor.insert("共有")  # what an input method commits
    assert doc.get(TITLE) == {"en": "Share with one click", "ja": "共有"}
    assert doc.undo_stack.count() == 1


def test_missing_translation_marker_appears_and_disappears(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, TITLE)
    assert field.missing_locales() == []
    ja = field.editor("ja")
    ja.selectAll()
    QTest.keyClick(ja, Qt.Key.Key_Delete)
    assert doc.get(TITLE) == {"en": "Share with one click"}  # the key goes, not ""
    assert field.missing_locales() == ["ja"]
    assert field.tabs.tabText(1) == "ja •" and not field.tabs.tabIcon(1).isNull()
    assert "No ja text" in field.tabs.tabToolTip(1)
    ja.insert("共有")
    assert field.missing_locales() == []
    assert field.tabs.tabText(1) == "ja" and field.tabs.tabIcon(1).isNull()
    doc.undo_stack.undo()  # undo (another origin) brings the marker back
    assert field.missing_locales() == ["ja"] and ja.text() == ""


def test_clearing_every_language_of_an_optional_text_removes_it(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, TITLE)
    for locale in ("en", "ja"):
        field.editor(locale).selectAll()
        QTest.keyClick(field.editor(locale), Qt.Key.Key_Delete)
    assert doc.get(TITLE) is None
    assert field.missing_locales() == []  # no text at all: nothing is missing


def test_a_required_text_keeps_its_last_language(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, LABEL, required=True)
    for locale in ("ja", "en"):
        field.editor(locale).selectAll()
        QTest.keyClick(field.editor(locale), Qt.Key.Key_Delete)
    assert doc.get(LABEL) == {"en": ""}
    assert field.missing_locales() == ["en", "ja"]


def test_formatting_toolbar_and_character_count(tmp_path: Path, qtbot) -> None:
    """Issue 12: the buttons format and insert chips; the stored text is Markdown."""
    doc = open_example(tmp_path)
    field = make(qtbot, doc, BODY, multiline=True)
    editor = field.editor()
    editor.setPlainText("")  # programmatic: goes through the binding like typing
    assert doc.get((*BODY, "en")) is None
    QTest.keyClicks(editor, "Save now")
    cursor = editor.textCursor()
    cursor.setPosition(5)
    cursor.setPosition(8, cursor.MoveMode.KeepAnchor)  # "now"
    editor.setTextCursor(cursor)
    field.make_bold()
    assert doc.get((*BODY, "en")) == "Save **now**"
    cursor.setPosition(4)  # after "Save"
    editor.setTextCursor(cursor)
    field.insert_token("first_name")
    assert doc.get((*BODY, "en")) == "Save{{first_name|there}} **now**"
    assert "{{" not in editor.document().toPlainText()  # a chip, not syntax
    assert field.count_label.text() == "32 / 5000 characters"  # what is stored
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(4, cursor.MoveMode.KeepAnchor)  # "Save"
    editor.setTextCursor(cursor)
    editor.set_link("/billing")  # what the Link button's dialog does with an address
    assert doc.get((*BODY, "en")) == "[Save](/billing){{first_name|there}} **now**"
