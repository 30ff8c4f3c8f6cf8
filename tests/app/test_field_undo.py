"""Undo/Redo pressed in a form field undo the document, as Edit ▸ Undo does (widgets/kit/field_undo.py).

Driven through the real main window with real key events, so the path under
test is Qt's: ``ShortcutOverride`` to the focus widget, then the key press.
Before the router existed, a field claimed Ctrl+Z for its own text history and
the binding saved the older text as a new edit: the model looked undone while
the document's history grew by one command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.guide.guide_editor import reveal
from guidestudio.widgets.kit.rich_text_edit import RichTextEdit

TOUR = "trial-conversion-tour"
NAME = ("guides", TOUR, "name")
PRIORITY = ("guides", TOUR, "priority")
BODY_EN = ("guides", TOUR, "variants", 0, "steps", 0, "body", "en")


def undo(widget: QWidget) -> None:
    """The platform's Undo keys (the first binding: Ctrl+Z on Linux and Windows)."""
    QTest.keySequence(widget, QKeySequence(QKeySequence.StandardKey.Undo))


def redo(widget: QWidget) -> None:
    QTest.keySequence(widget, QKeySequence(QKeySequence.StandardKey.Redo))


@pytest.fixture
def editor(window: MainWindow, qtbot) -> Any:  # type: ignore[no-untyped-def]
    """The guide editor on the walkthrough, in an active window (shortcuts need one)."""
    assert window.tree.select("guide", TOUR)
    window.activateWindow()
    qtbot.waitActive(window)
    return window.current_editor()


def focus(qtbot, field: QWidget) -> None:  # type: ignore[no-untyped-def]
    reveal(field)
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(field.hasFocus)


def stack(window: MainWindow) -> Any:
    assert window.document is not None
    return window.document.undo_stack


def value(window: MainWindow, path: tuple[Any, ...]) -> Any:
    assert window.document is not None
    return window.document.get(path)


def body_box(editor: Any) -> RichTextEdit:
    box = editor.step_editor.body.editor("en")
    assert isinstance(box, RichTextEdit)
    return box


def test_ctrl_z_in_a_line_edit_undoes_the_documents_typing_and_redo_reapplies(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    field = editor.settings.name
    original = value(window, NAME)
    before = stack(window).index()
    focus(qtbot, field)
    QTest.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClicks(field, " v2")
    assert value(window, NAME) == f"{original} v2"
    assert stack(window).index() == before + 1, "typing in one field is one command"

    undo(field)
    assert stack(window).index() == before, "the document's command was undone, none was added"
    assert value(window, NAME) == original
    assert field.text() == original

    redo(field)
    assert stack(window).index() == before + 1
    assert value(window, NAME) == field.text() == f"{original} v2"

    undo(field)
    qtbot.keyClicks(field, "!")  # the cursor is still usable, at the end of the undone text
    assert field.text() == value(window, NAME) == f"{original}!"
    assert stack(window).index() == before + 1 and not stack(window).canRedo()


def test_ctrl_z_in_a_plain_text_body_undoes_the_document(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = body_box(editor)
    original = value(window, BODY_EN)
    assert box.text() == original
    before = stack(window).index()
    focus(qtbot, box)
    QTest.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, " Really.")
    assert value(window, BODY_EN) == f"{original} Really."
    assert stack(window).index() == before + 1

    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stack(window).index() == before
    assert value(window, BODY_EN) == box.text() == original

    redo(box)
    assert stack(window).index() == before + 1
    assert value(window, BODY_EN) == box.text() == f"{original} Really."


def test_ctrl_z_in_a_spin_box_undoes_the_document(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    spin = editor.settings.priority
    assert isinstance(spin, QAbstractSpinBox)
    original = value(window, PRIORITY)
    shown = spin.value()
    before = stack(window).index()
    focus(qtbot, spin)
    spin.selectAll()
    qtbot.keyClicks(spin, "42")
    assert value(window, PRIORITY) == 42
    assert stack(window).index() == before + 1

    undo(spin)
    assert stack(window).index() == before
    assert value(window, PRIORITY) == original
    assert spin.value() == shown

    redo(spin)
    assert value(window, PRIORITY) == spin.value() == 42


def test_ctrl_z_in_one_field_undoes_the_last_edit_made_in_another(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    name, box = editor.settings.name, body_box(editor)
    original_name, original_body = value(window, NAME), value(window, BODY_EN)
    before = stack(window).index()
    focus(qtbot, name)
    QTest.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, " v2")

    focus(qtbot, box)
    undo(box)
    assert stack(window).index() == before
    assert value(window, NAME) == name.text() == original_name
    assert value(window, BODY_EN) == box.text() == original_body

    redo(box)
    assert value(window, NAME) == name.text() == f"{original_name} v2"
    assert value(window, BODY_EN) == original_body


def test_every_key_the_platform_maps_to_undo_undoes_the_document(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    field = editor.settings.name
    original = value(window, NAME)
    focus(qtbot, field)
    for binding in QKeySequence.keyBindings(QKeySequence.StandardKey.Undo):
        combo = binding[0]
        if combo.key() == Qt.Key.Key_Undo:  # a keyboard's dedicated Undo key: no text widget
            continue                       # binds it; the window's action has it anyway
        before = stack(window).index()
        QTest.keyClick(field, Qt.Key.Key_End)
        qtbot.keyClicks(field, " x")
        QTest.keyClick(field, combo.key(), combo.keyboardModifiers())
        assert stack(window).index() == before, binding.toString()
        assert value(window, NAME) == field.text() == original, binding.toString()


def test_ctrl_z_past_the_start_of_the_history_leaves_the_field_alone(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    field = editor.settings.name
    original = value(window, NAME)
    assert not stack(window).canUndo()
    focus(qtbot, field)
    QTest.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClicks(field, "ab")
    undo(field)
    assert value(window, NAME) == field.text() == original
    undo(field)  # the action is disabled: not the widget's history either
    assert value(window, NAME) == field.text() == original
    assert stack(window).index() == 0 and stack(window).canRedo()


def run_context_menu(target: QWidget, pos: QPoint,
                     choose: Callable[[QMenu], Any]) -> list[Any]:
    """Open ``target``'s context menu as a right click would; ``choose`` acts on it."""
    seen: list[Any] = []

    def act() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):  # not shown yet
            QTimer.singleShot(10, act)
            return
        seen.append([a.objectName() for a in menu.actions()])
        try:
            chosen = choose(menu)
            if chosen is not None:
                chosen.trigger()
        finally:
            menu.close()  # a spin box's exec() must return even when ``choose`` fails

    QTimer.singleShot(0, act)  # a spin box runs the menu with exec(): act from inside it
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, target.mapToGlobal(pos))
    QApplication.sendEvent(target, event)
    return seen


def undo_entry(window: MainWindow) -> Callable[[QMenu], Any]:
    def choose(menu: QMenu) -> Any:
        names = [a.objectName() for a in menu.actions()]
        assert "edit-undo" not in names and "edit-redo" not in names, \
            "the widget's own Undo/Redo entries are gone"
        entry = next(a for a in menu.actions() if a.objectName() == "document-undo")
        assert entry.isEnabled()
        assert entry.text().startswith(window.actions_.undo.text())  # type: ignore[union-attr]
        return entry
    return choose


@pytest.mark.parametrize("which", ["name", "body", "priority"])
def test_context_menu_undo_is_the_documents(window: MainWindow, editor: Any, qtbot,  # type: ignore[no-untyped-def]
                                            which: str) -> None:
    field: QWidget = {"name": editor.settings.name, "body": body_box(editor),
                      "priority": editor.settings.priority}[which]
    path = {"name": NAME, "body": BODY_EN, "priority": PRIORITY}[which]
    original = value(window, path)
    focus(qtbot, field)
    if isinstance(field, QAbstractSpinBox):
        field.selectAll()
        qtbot.keyClicks(field, "7")
    else:
        QTest.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, "+")
    assert value(window, path) != original
    before = stack(window).index()
    target = field.viewport() if isinstance(field, (QPlainTextEdit, RichTextEdit)) else field
    seen = run_context_menu(target, QPoint(5, 5), undo_entry(window))
    qtbot.waitUntil(lambda: bool(seen) and stack(window).index() == before - 1)
    assert value(window, path) == original


def test_fields_outside_the_forms_keep_their_own_undo(
        window: MainWindow, editor: Any, qtbot) -> None:  # type: ignore[no-untyped-def]
    name = editor.settings.name
    focus(qtbot, name)
    QTest.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, " v2")
    before = stack(window).index()

    search = window.tree.filter_edit
    assert isinstance(search, QLineEdit)
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "zz")
    undo(search)
    assert search.text() == "", "the tree's filter box undoes its own typing"
    assert stack(window).index() == before, "and leaves the document alone"


def test_unbound_inputs_of_the_forms_are_document_fields_too(
        window: MainWindow, editor: Any) -> None:
    """The rule builder's JSON tab and value boxes write through the document without a Binding."""
    router = window.actions_.field_undo
    json_edit = editor.findChild(QPlainTextEdit, "jsonEdit")
    assert json_edit is not None
    assert router.is_document_field(json_edit)
    assert router.is_document_field(editor.settings.name)
    assert router.is_document_field(editor.settings.priority.findChild(QLineEdit))
    assert not router.is_document_field(window.tree.filter_edit)
    assert not router.is_document_field(window.tree.view)
