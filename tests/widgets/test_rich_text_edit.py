"""The inspector's text fields show formatting and chips and store Markdown (issue 12, item 5).

A marketer sees **bold** in bold and ``{{first_name|there}}`` as a chip saying
"First name · there"; typing is one undo step of the document, Ctrl+B formats,
a chip goes as a unit, and a text only looked at is stored byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.core import markdown_text
from guidestudio.core.rich_text import Placeholder
from guidestudio.widgets.kit import rich_document
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit
from tests.widgets.editor_support import TOUR, open_example

WELCOME = ("guides", TOUR, "variants", 0, "steps", 0, "title")
NEWS = ("guides", "release-announcement", "variants", 0, "steps", 0, "body")


def make(qtbot, doc, path, **options) -> LocalizedTextEdit:
    widget = LocalizedTextEdit(doc, lambda: path, **options)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def shown(editor) -> str:
    """The words on screen, a chip as the words it draws."""
    painter = editor.painter
    out = []
    block = editor.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            for char in fragment.text():
                is_chip = char == rich_document.OBJECT
                out.append(f"[{painter.words(fragment.charFormat())}]" if is_chip else char)
            it += 1
        block = block.next()
        out.append("\n" if block.isValid() else "")
    return "".join(out)


def test_a_placeholder_shows_as_a_chip_in_plain_words(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    assert doc.get((*WELCOME, "en")) == "Welcome to Acme Cloud, {{first_name|there}}!"
    assert shown(editor) == "Welcome to Acme Cloud, [First name · there]!"
    assert editor.text() == "Welcome to Acme Cloud, {{first_name|there}}!"


def test_bold_links_and_lists_show_as_formatting(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, NEWS, multiline=True)
    editor = field.editor("en")
    text = shown(editor)
    assert "**" not in text and "](" not in text and "{{" not in text
    assert text.startswith("Hi [First name · there], as an admin")
    assert "Read the release notes, book" in text
    runs = editor.runs()
    bold = [s.text for part in runs.blocks for item in getattr(part, "items", ())
            for s in item if s.bold]
    assert bold == ["Workspaces", "audit log", "twice as fast"]
    assert editor.document().begin().next().textList() is not None  # a real list
    assert doc.undo_stack.count() == 0  # looking changes nothing


def test_typing_is_one_undo_step_and_stored_as_markdown(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, " *Go* now")
    stored = doc.get((*WELCOME, "en"))
    assert stored.startswith("Welcome to Acme Cloud, {{first_name|there}}! ")
    assert markdown_text.render(stored, inline=True).text.endswith("! *Go* now")
    assert doc.undo_stack.count() == 1
    assert shown(editor).endswith("! *Go* now")  # asterisks typed are words, not syntax
    doc.undo_stack.undo()
    assert doc.get((*WELCOME, "en")) == "Welcome to Acme Cloud, {{first_name|there}}!"
    assert shown(editor) == "Welcome to Acme Cloud, [First name · there]!"


def test_ctrl_b_wraps_the_selection_in_stars(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(11)
    cursor.setPosition(21, cursor.MoveMode.KeepAnchor)  # "Acme Cloud"
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert doc.get((*WELCOME, "en")) == "Welcome to **Acme Cloud**, {{first_name|there}}!"
    QTest.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert doc.get((*WELCOME, "en")) == "Welcome to ***Acme Cloud***, {{first_name|there}}!"
    QTest.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # off again
    assert doc.get((*WELCOME, "en")) == "Welcome to *Acme Cloud*, {{first_name|there}}!"


def test_a_chip_is_deleted_as_a_unit(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClick(editor, Qt.Key.Key_Left)  # before "!"
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert doc.get((*WELCOME, "en")) == "Welcome to Acme Cloud, !"
    assert doc.undo_stack.count() == 1


def test_the_picker_inserts_a_chip_named_in_the_catalogue(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    details = dict(field.details())
    assert details["first_name"] == "First name" and "plan" in details
    editor = field.editor("en")
    menu = editor.build_menu()
    words = [a.text() for a in menu.actions()]
    assert "Bold" in words and "Italic" in words and "Link…" in words
    picker = next(a.menu() for a in menu.actions() if a.text() == "Insert personal detail")
    assert "First name" in [a.text() for a in picker.actions()]
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    next(a for a in picker.actions() if a.text() == details["plan"]).trigger()
    assert doc.get((*WELCOME, "en")) == "Welcome to Acme Cloud, {{first_name|there}}!{{plan}}"
    menu.deleteLater()


def test_a_single_line_field_stays_one_line(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert editor.document().blockCount() == 1 and doc.undo_stack.count() == 0
    editor.insertFromMimeData(_mime("two\nlines"))
    assert "\n" not in doc.get((*WELCOME, "en"))


def test_markdown_the_field_cannot_hold_is_edited_as_markdown(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    doc.set_value((*NEWS, "en"), "# A heading\n\n__bold__ text")
    field = make(qtbot, doc, NEWS, multiline=True)
    editor = field.editor("en")
    assert not editor.is_rich()
    assert editor.document().toPlainText() == "# A heading\n\n__bold__ text"
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insert("!")
    assert doc.get((*NEWS, "en")) == "# A heading\n\n__bold__ text!"


def test_a_chip_keeps_the_source_it_was_written_as(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    doc.set_value((*WELCOME, "en"), "Hi {{ first_name | friend }}")
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    assert shown(editor) == "Hi [First name · friend]"
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insert("!")
    assert doc.get((*WELCOME, "en")) == "Hi {{ first_name | friend }}!"
    assert Placeholder.make("first_name", "there").source == "{{first_name|there}}"


def _mime(text: str):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData
    data = QMimeData()
    data.setText(text)
    return data


def test_formatting_markdown_cannot_say_is_shown_as_it_will_read(tmp_path: Path, qtbot) -> None:
    """Italic right after a chip, on punctuation, is not italic in the product: the field
    shows, once typing pauses, what people will see (the stars as written)."""
    doc = open_example(tmp_path)
    doc.set_value((*WELCOME, "en"), "Hi {{first_name|there}}")
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insert("<")
    cursor = editor.textCursor()
    cursor.setPosition(cursor.position() - 1, cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.toggle_italic()
    stored = doc.get((*WELCOME, "en"))
    assert markdown_text.render(stored, inline=True).text == "Hi there*<*"
    qtbot.waitUntil(lambda: shown(editor) == "Hi [First name · there]*<*")
    assert editor.text() == stored  # showing it again changes nothing stored


def test_a_chip_copied_and_pasted_is_a_chip_again(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    cursor = editor.textCursor()
    cursor.setPosition(21)
    cursor.setPosition(24, cursor.MoveMode.KeepAnchor)  # ", " and the chip
    editor.setTextCursor(cursor)
    copied = editor.createMimeDataFromSelection()
    assert copied.text() == ", {{first_name|there}}"
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    editor.insertFromMimeData(copied)
    assert doc.get((*WELCOME, "en")) == \
        ", {{first_name|there}}Welcome to Acme Cloud, {{first_name|there}}!"
    assert shown(editor).startswith(", [First name · there]Welcome")
    assert doc.undo_stack.count() == 1


def test_bold_over_a_chip_keeps_the_chip(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert doc.get((*WELCOME, "en")) == "**Welcome to Acme Cloud, {{first_name|there}}!**"
    assert shown(editor) == "Welcome to Acme Cloud, [First name · there]!"


def test_a_space_typed_at_the_end_stays_while_typing_pauses(tmp_path: Path, qtbot) -> None:
    """The renderer drops a trailing space; the field must not (the next word follows)."""
    doc = open_example(tmp_path)
    field = make(qtbot, doc, WELCOME)
    editor = field.editor("en")
    editor.setFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Save ")
    assert doc.get((*WELCOME, "en")) == "Save "
    editor.check_shown()  # what the field does once typing pauses
    assert editor.is_rich() and shown(editor) == "Save "
    QTest.keyClicks(editor, "now")
    assert doc.get((*WELCOME, "en")) == "Save now" and doc.undo_stack.count() == 1


def test_the_field_says_when_it_shows_a_text_as_written(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    field = make(qtbot, doc, NEWS, multiline=True)
    assert not field.as_written_note.isVisible()
    doc.set_value((*NEWS, "en"), "# A heading")  # from elsewhere: the file, the canvas
    assert field.as_written_note.isVisible()
    doc.undo_stack.undo()
    assert not field.as_written_note.isVisible() and field.editor("en").is_rich()
