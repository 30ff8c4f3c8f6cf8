"""View ▸ All languages of this guide, in the real window: it opens for the selected guide,
follows the selection, and its edits are undone by the window's Undo."""

from __future__ import annotations

from guidestudio.app.main_window import MainWindow

CHECKLIST = "onboarding-checklist"
NPS = "nps-survey"


def test_the_view_menu_opens_the_languages_of_the_selected_guide(window: MainWindow) -> None:
    action = window.actions_.languages
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    assert action in view_menu.actions()

    assert window.tree.select("segment", "pro-plan")
    action.trigger()  # not a guide: a sentence, no window
    assert "Select a guide first" in window.statusBar().currentMessage()

    assert window.tree.select("guide", CHECKLIST)
    action.trigger()
    editor = window.current_editor()
    view = editor.languages  # type: ignore[attr-defined]
    assert view is not None and view.isVisible()
    assert view.guide_id() == CHECKLIST
    assert view.heading.text().startswith("Onboarding checklist")

    window.tree.select("guide", NPS)
    assert view.guide_id() == NPS  # it shows the guide in the inspector
    labels = [r.label for r in view.model.rows]
    assert "Question" in labels and "Thank-you message" in labels


def test_an_edit_in_the_languages_window_is_undone_by_the_window_undo(
        window: MainWindow) -> None:
    doc = window.document
    assert doc is not None
    assert window.tree.select("guide", CHECKLIST)
    view = window.current_editor().open_languages()  # type: ignore[attr-defined]
    undo = window.actions_.undo
    assert undo is not None and undo in view.actions()  # its keys work in this window
    assert view.undo_button.defaultAction() is undo and view.undo_button.isVisible()

    title = ("guides", CHECKLIST, "variants", 0, "steps", 0, "title", "ja")
    before = doc.get(title)
    index = view.model.index(0, 2)
    assert view.model.setData(index, "準備しましょう")
    assert doc.get(title) == "準備しましょう"
    assert window.isWindowModified()
    assert undo.text() == "&Undo Edit Title (Japanese)"
    undo.trigger()
    assert doc.get(title) == before
    assert index.data() == before
