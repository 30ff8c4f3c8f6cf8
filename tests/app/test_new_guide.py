"""Creating a guide is obvious: the toolbar's New guide, the empty states, the gallery."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QToolButton

from guidestudio.app.editor_area import load_class
from guidestudio.app.empty_state import NO_GUIDES, NO_PROJECT, NOTHING_SELECTED
from guidestudio.app.guide_creation import KINDS
from guidestudio.app.main_window import MainWindow
from guidestudio.core.edits import MISSING
from guidestudio.core.model import GUIDE_KINDS
from guidestudio.widgets.kit.rich_text_edit import RichTextEdit

CONTENT = 0  # the inspector's first tab


def toolbar_menu(window: MainWindow) -> list[str]:
    button = window.toolbar.widgetForAction(window.creator.new_guide)
    assert isinstance(button, QToolButton) and button.isVisible()
    assert button.popupMode() == QToolButton.ToolButtonPopupMode.InstantPopup
    menu = button.menu() or window.creator.new_guide.menu()
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_the_toolbar_offers_every_kind_and_the_starters(window: MainWindow) -> None:
    assert toolbar_menu(window) == [label for _k, label, _t in KINDS] + ["From a &starter…"]
    assert [kind for kind, *_ in KINDS] == list(GUIDE_KINDS)
    words = [a.iconText() for a in window.toolbar.actions() if not a.isSeparator()]
    assert words == ["New guide", "Save", "Undo", "Redo", "Export bundle"]


@pytest.mark.parametrize("kind", GUIDE_KINDS)
def test_new_guide_of_a_kind_opens_on_its_content_in_one_undo_step(
        window: MainWindow, kind: str, qtbot) -> None:
    document = window.document
    assert document is not None
    window.activateWindow()
    before, steps = set(document.project.guides), document.undo_stack.index()
    window.creator.kind_actions[kind].trigger()
    (new_id,) = set(document.project.guides) - before
    guide = document.project.guides[new_id]
    assert guide.kind == kind and guide.status == "draft"
    assert guide.name[0].isupper() and "-" not in guide.name  # "New tooltip", not an id
    assert document.undo_stack.index() == steps + 1
    assert document.undo_stack.undoText() == f"New guide {guide.name!r}"
    # It is selected, on the canvas, and the cursor is in its first text, selected to replace.
    assert window.tree.current_ref() == ("guide", new_id)
    assert window.centre.pane is not None and window.centre.pane.guide_id == new_id
    editor = window.current_editor()
    assert editor.tabs.currentIndex() == CONTENT  # type: ignore[attr-defined]
    field = window.focusWidget()
    assert isinstance(field, RichTextEdit) and editor.isAncestorOf(field)
    assert field.selectedText() == field.text() == guide.variants[0].steps[0].title["en"]
    QTest.keyClicks(field, "Try the new search")
    assert document.project.guides[new_id].variants[0].steps[0].title["en"] == \
        "Try the new search"
    while document.undo_stack.index() > steps:
        window.actions_.undo.trigger()  # type: ignore[union-attr]
    assert new_id not in document.project.guides


def test_a_blank_starter_from_the_gallery_also_opens_on_its_content(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    gallery = load_class("guidestudio.widgets.dialogs.starter_gallery", "StarterGalleryDialog")

    def pick_blank_banner(dialog: QDialog) -> int:
        dialog.show()
        row = next(i for i, s in enumerate(dialog.starters)  # type: ignore[attr-defined]
                   if s.blank and s.kind == "banner")
        dialog.list.setCurrentRow(row)  # type: ignore[attr-defined]
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(gallery, "exec", pick_blank_banner)
    window.activateWindow()
    new_id = window.creator.from_gallery()
    assert new_id == "new-banner"
    field = window.focusWidget()
    assert isinstance(field, RichTextEdit) and field.selectedText() == "Banner headline"


def test_the_empty_centre_says_what_to_do_next(shell_env: Path, project: Path, qtbot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    empty = window.centre.empty
    assert window.centre.currentWidget() is empty
    assert empty.title.text() == NO_PROJECT[0]
    assert [b.text() for b in empty.buttons] == ["Open project…", "New project…"]
    assert window.open_project(project, background=False)
    # A project, nothing chosen yet: never "Open a project" while one is open.
    assert empty.title.text() == NOTHING_SELECTED[0] and "Open" not in empty.text.text()
    assert [b.text() for b in empty.buttons] == ["New guide", "From a starter…"]
    assert empty.buttons[0].menu() is window.creator.menu
    for guide_id in list(window.document.project.guides):  # type: ignore[union-attr]
        window.document.set_value(("guides", guide_id), MISSING)  # type: ignore[union-attr]
    assert window.centre.currentWidget() is empty and empty.title.text() == NO_GUIDES[0]
    window.actions_.undo.trigger()  # type: ignore[union-attr]
    assert empty.title.text() == NOTHING_SELECTED[0]


def test_the_empty_state_button_opens_the_gallery(window: MainWindow,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    gallery = load_class("guidestudio.widgets.dialogs.starter_gallery", "StarterGalleryDialog")
    shown: list[int] = []

    def cancel(dialog: QDialog) -> int:
        shown.append(dialog.list.count())  # type: ignore[attr-defined]
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(gallery, "exec", cancel)
    window.tree.view.setCurrentIndex(window.tree.proxy.index(0, 0))  # nothing to show
    buttons = {b.text(): b for b in window.centre.empty.buttons}
    buttons["From a starter…"].click()
    assert shown == [16]  # the plays and a blank starter of each kind
