"""The main window driven as a user would: open, select, edit, delete, undo, save, reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWidget

from guidestudio.app import settings_store
from guidestudio.app.editor_area import load_class
from guidestudio.app.main_window import MainWindow
from guidestudio.core.edits import MISSING
from guidestudio.core.model import Guide, Step, Variant
from guidestudio.widgets.project.tree_model import KEY_ROLE
from tests.app.conftest import snapshot

NPS = "nps-survey"
NAME = ("guides", NPS, "name")


def tree_label(win: MainWindow, kind: str, key: str) -> str:
    return win.tree.model.index_for(kind, key).data()


def test_opens_the_example_and_shows_the_selected_guide(window: MainWindow) -> None:
    assert window.windowTitle() == "Acme Cloud[*] — Guide Studio"
    assert not window.isWindowModified()
    assert window.tree.select("guide", NPS)
    assert window.tree.current_ref() == ("guide", NPS)
    page = window.current_editor()
    assert page is window.editors._pages["guide"]
    assert not isinstance(page, QLabel), "the real guide editor, not a placeholder"
    assert window.tree.select("theme", "acme-light")
    assert "Acme Light" in window.current_editor().header.text()  # type: ignore[attr-defined]
    assert window.counts.text() == "0 errors, 1 warning"


def test_renaming_a_guide_updates_the_tree_and_the_title_star(window: MainWindow) -> None:
    doc = window.document
    assert doc is not None
    doc.set_value(NAME, "NPS — renamed")
    assert tree_label(window, "guide", NPS) == "NPS — renamed"
    assert window.isWindowModified()
    doc.undo_stack.undo()
    assert tree_label(window, "guide", NPS) == doc.get(NAME)
    assert not window.isWindowModified()


def test_delete_asks_first_and_undo_brings_the_guide_back(window: MainWindow, qtbot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(parent: QWidget, title: str, text: str, *args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    window.tree.select("guide", NPS)
    window.tree.view.setFocus()
    QTest.keySequence(window.tree.view, QKeySequence(QKeySequence.StandardKey.Delete))
    assert asked and NPS in asked[0]
    assert NPS not in window.document.project.guides  # type: ignore[union-attr]
    assert not window.tree.model.index_for("guide", NPS).isValid()
    window.actions_.undo.trigger()  # type: ignore[union-attr]
    assert NPS in window.document.project.guides  # type: ignore[union-attr]
    assert window.tree.model.index_for("guide", NPS).isValid()


def test_new_guide_from_the_gallery(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    gallery = load_class("guidestudio.widgets.dialogs.starter_gallery", "StarterGalleryDialog")
    assert gallery is not None
    chosen: dict[str, Any] = {}

    def accept(dialog: QDialog) -> int:  # the user picks the second starter and presses Enter
        dialog.show()
        QTest.keyClick(dialog.list, Qt.Key.Key_Down)  # type: ignore[attr-defined]
        QTest.keyClick(dialog, Qt.Key.Key_Return)
        chosen["guide"] = dialog.guide()  # type: ignore[attr-defined]
        return dialog.result()

    monkeypatch.setattr(gallery, "exec", accept)
    before = set(window.document.project.guides)  # type: ignore[union-attr]
    window.actions_.new_guide.trigger()
    added = set(window.document.project.guides) - before  # type: ignore[union-attr]
    assert len(added) == 1 and chosen["guide"] is not None
    assert window.tree.current_ref() == ("guide", added.pop())
    assert window.isWindowModified()


def test_undo_and_redo_everything_back_to_the_bytes_on_disk(window: MainWindow, project: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Yes))
    monkeypatch.setattr("guidestudio.app.actions.QInputDialog.getText",
                        staticmethod(lambda *a, **k: ("nps-renamed", True)))
    original = snapshot(project)
    doc, actions = window.document, window.actions_
    assert doc is not None
    doc.set_value(NAME, "Edited name")
    doc.set_value(("guides", "welcome-new"), Guide(
        id="welcome-new", name="New", kind="modal",
        variants=[Variant(key="a", steps=[Step(title={"en": "Hi"})])]))
    for guide_id, action in ((NPS, actions.archive), ("win-back-inactive", actions.duplicate),
                             (NPS, actions.rename), ("release-announcement", actions.delete)):
        assert window.tree.select("guide", guide_id)
        action.trigger()
    assert "nps-renamed" in doc.project.guides and "win-back-inactive-copy" in doc.project.guides
    assert window.save()
    edited = snapshot(project)
    assert edited != original and "guides/nps-renamed.yaml" in edited
    steps = doc.undo_stack.count()
    while doc.undo_stack.canUndo():
        actions.undo.trigger()  # type: ignore[union-attr]
    assert window.save()
    assert snapshot(project) == original
    for _ in range(steps):
        actions.redo.trigger()  # type: ignore[union-attr]
    assert window.save()
    assert snapshot(project) == edited
    # ...and a fresh open of what was saved is the project we had.
    saved = doc.project
    window.open_project(project, background=False)
    assert window.document is not doc and not window.isWindowModified()
    assert window.document.project.guides == saved.guides  # type: ignore[union-attr]


def test_save_then_reopen_in_the_background(window: MainWindow, project: Path, qtbot) -> None:
    window.document.set_value(NAME, "Saved name")  # type: ignore[union-attr]
    assert window.isWindowModified()
    assert window.save()
    assert not window.isWindowModified()
    with qtbot.waitSignal(window.projectOpened, timeout=10_000) as opened:
        assert window.open_folder(project)
    assert opened.args[0].get(NAME) == "Saved name"
    assert settings_store.recent_projects()[0] == project.resolve()


def test_a_project_with_a_broken_guide_opens_and_the_file_is_never_overwritten(
        window: MainWindow, project: Path, qtbot) -> None:
    broken = project / "guides" / "broken-guide.yaml"
    broken.write_text("schema_version: 1\nid: broken-guide\nname: [unclosed\n", encoding="utf-8")
    before = broken.read_bytes()
    window.open_project(project, background=False)
    assert window.tree.select("broken", "guides/broken-guide.yaml")
    assert "not valid YAML" in window.current_editor().text()  # type: ignore[attr-defined]
    assert any(p.file == "guides/broken-guide.yaml" for p in window.problems.model.problems)
    window.document.set_value(NAME, "Other edit")  # type: ignore[union-attr]
    assert window.save()
    assert broken.read_bytes() == before


def test_activating_a_problem_jumps_to_the_guide_and_field(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    with qtbot.waitSignal(window.document.problemsChanged, timeout=5000):  # type: ignore[union-attr]
        window.document.set_value(("guides", NPS, "audience", "segments"),  # type: ignore[union-attr]
                                  ["no-such-segment"])
    assert window.counts.text().startswith("1 error")
    view = window.problems.view
    index = view.model().index(0, 0)  # errors come first
    assert index.data() == "Error"
    view.setCurrentIndex(index)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert window.tree.current_ref() == ("guide", NPS)
    editor = window.current_editor()
    assert window.inspector_dock.isAncestorOf(editor)  # the guide's forms, in the inspector
    focused = window.focusWidget()
    assert focused is not None and editor.audience.isAncestorOf(focused)  # type: ignore[attr-defined]


def test_closing_with_unsaved_changes_asks(window: MainWindow, project: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window.document.set_value(NAME, "Unsaved")  # type: ignore[union-attr]
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "cancel")
    assert not window.close()
    assert window.isVisible()
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "save")
    assert window.close()
    assert "Unsaved" in (project / "guides" / f"{NPS}.yaml").read_text(encoding="utf-8")


def test_layout_and_recent_projects_survive_a_restart(window: MainWindow, project: Path,
                                                      qtbot) -> None:
    window.inspector_dock.hide()  # first: with it, the window cannot be as narrow as 700
    QApplication.processEvents()  # the window's minimum size follows
    window.resize(700, 500)  # within the offscreen screen (800x600): restore clamps to it
    window.tree.set_grouping("kind")
    size = window.size()
    assert window.close()
    assert QSettings().value(settings_store.LAST, "", type=str) == str(project.resolve())
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size() == size
    assert again.tree.model.grouping == "kind"
    assert again.inspector_dock.isHidden()


def test_new_project_is_created_and_opened(window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "new-product"
    assert window.create_project(folder, "New Product")
    assert window.windowTitle().startswith("New Product")
    assert window.tree.model.index_for("guide", "welcome").isValid()


def test_every_action_has_a_tooltip_and_the_common_ones_standard_keys(window: MainWindow) -> None:
    actions = window.actions_
    for action in window.findChildren(type(actions.save)):
        if action.text() and not action.isSeparator() and action.menu() is None:
            assert action.toolTip() and action.toolTip() != action.text().replace("&", ""), \
                action.text()
    assert actions.save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert actions.undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)  # type: ignore[union-attr]
    window.actions_.focus_tree.trigger()
    assert window.tree.view.hasFocus() or not window.isActiveWindow()


def test_deleting_the_open_guide_from_outside_clears_nothing_else(window: MainWindow) -> None:
    window.tree.select("guide", NPS)
    window.document.set_value(("guides", NPS), MISSING)  # type: ignore[union-attr]
    assert all(window.tree.model.index_for("guide", g).data(KEY_ROLE) == g
               for g in window.document.project.guides)  # type: ignore[union-attr]


def test_keyboard_only_find_open_and_edit(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    QTest.keyClick(window.tree.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tree.filter_edit.hasFocus()
    QTest.keyClicks(window.tree.filter_edit, "nps")
    QTest.keyClick(window.tree.filter_edit, Qt.Key.Key_Return)
    assert window.tree.current_ref() == ("guide", NPS)
    assert window.tree.view.hasFocus()
    QTest.keyClick(window.tree.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.tree.filter_edit, Qt.Key.Key_Escape)  # clears it, back to the tree
    assert window.tree.filter_edit.text() == "" and window.tree.view.hasFocus()
    QTest.keyClick(window.tree.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "nps-survey-copy" in window.document.project.guides  # type: ignore[union-attr]
    assert window.tree.current_ref() == ("guide", "nps-survey-copy")


def test_save_as_moves_the_project_with_its_assets(window: MainWindow, tmp_path: Path) -> None:
    window.document.set_value(NAME, "Saved elsewhere")  # type: ignore[union-attr]
    target = tmp_path / "copy"
    assert window.save_to(target)
    assert (target / "assets" / "tour-welcome.png").is_file()
    assert "Saved elsewhere" in (target / "guides" / f"{NPS}.yaml").read_text("utf-8")
    assert window.document.root == target and not window.isWindowModified()  # type: ignore[union-attr]
    assert settings_store.recent_projects()[0] == target.resolve()
    window.actions_._fill_recent()
    assert window.actions_.recent_menu.actions()[0].data() == str(target.resolve())


def test_typing_a_guide_name_in_the_editor_updates_the_tree(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    window.tree.select("guide", NPS)
    window.editors.focus_field("name")
    field = QApplication.focusWidget()
    assert field is not None and window.current_editor().isAncestorOf(field)
    field.selectAll()  # type: ignore[attr-defined]
    QTest.keyClicks(field, "Typed name")
    assert window.document.get(NAME) == "Typed name"  # type: ignore[union-attr]
    assert tree_label(window, "guide", NPS) == "Typed name"
    assert window.isWindowModified() and window.document.undo_stack.count() == 1  # type: ignore[union-attr]


def test_a_problem_jumps_into_the_real_guide_editor(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    with qtbot.waitSignal(window.document.problemsChanged, timeout=5000):  # type: ignore[union-attr]
        window.document.set_value(("guides", NPS, "variants", 0, "steps", 0, "title"),  # type: ignore[union-attr]
                                  {"en": ""})
    problem = next(p for p in window.problems.model.problems
                   if p.field == "variants[0].steps[0].title")
    view = window.problems.view
    row = window.problems.model.problems.index(problem)
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # one click
    assert window.tree.current_ref() == ("guide", NPS)
    focused = QApplication.focusWidget()
    assert focused is not None and window.current_editor().isAncestorOf(focused)


def test_selecting_a_segment_shows_the_segment_editor(window: MainWindow) -> None:
    editor_class = load_class("guidestudio.widgets.entities.segment_editor", "SegmentEditor")
    assert window.tree.select("segment", "pro-plan")
    page = window.current_editor()
    if editor_class is None:
        assert isinstance(page, QLabel) and "not available" in page.text()
        return
    assert isinstance(page, editor_class)
    problem = next(p for p in window.problems.model.problems if p.file == "segments/pro-plan.yaml")
    window.tree.select("guide", NPS)
    window.jump_to_problem(problem)  # the unused-segment warning leads back to the segment
    assert window.tree.current_ref() == ("segment", "pro-plan")
    assert window.current_editor() is page


def test_the_view_menu_switches_to_a_dark_palette_and_remembers_it(window: MainWindow) -> None:
    from PySide6.QtGui import QPalette

    from guidestudio.app import theme

    window.actions_.theme_actions["dark"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert settings_store.get_str(settings_store.THEME, "") == "dark"
    window.actions_.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert theme.current_mode() == "light"


def test_the_new_project_wizard_checks_name_and_folder(window: MainWindow, tmp_path: Path,
                                                       qtbot) -> None:
    from guidestudio.app.new_project_wizard import NewProjectWizard

    wizard = NewProjectWizard(window)
    qtbot.addWidget(wizard)
    page = wizard.page
    page.location.setText(str(tmp_path))
    assert not page.isComplete()  # no name yet
    page.name.setText("Acme Mobile")
    assert page.isComplete() and wizard.folder() == tmp_path / "acme-mobile"
    (tmp_path / "acme-mobile").mkdir()
    (tmp_path / "acme-mobile" / "notes.txt").write_text("x", "utf-8")
    page.name.setText("Acme Mobile ")
    assert not page.isComplete() and "not empty" in page.preview.text()


def test_the_first_guide_is_painted_before_its_forms_are_built_and_the_check_runs(
        shell_env: Path, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from guidestudio.app.centre import FIRST_GUIDE_PAINTED
    from guidestudio.app.editor_area import EditorPages

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    monkeypatch.setattr(EditorPages, "DEFER_MS", 0)  # without waiting, the forms come at once
    # The bounds on waiting for the page, out of reach however slow this machine is today.
    monkeypatch.setattr(EditorPages, "WAIT_MS", 120_000)
    monkeypatch.setattr(MainWindow, "CHECK_AFTER_MS", 120_000)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    at_paint: dict[str, bool] = {}

    def painted(tag: str) -> None:
        if tag == FIRST_GUIDE_PAINTED and win.document is not None and not at_paint:
            at_paint["forms"] = win.editors.built("guide") is not None
            at_paint["checked"] = not win.document.validating

    win.centre.paneBuilt.connect(lambda pane: pane.surfaceMade.connect(
        lambda surface: surface.bridge.notified.connect(painted)))
    assert win.open_project(project)
    qtbot.waitUntil(lambda: bool(at_paint), timeout=30000)
    assert at_paint == {"forms": False, "checked": False}
    # ...and then they follow: the guide's forms in the inspector, the problems listed.
    qtbot.waitUntil(lambda: win.editors.built("guide") is not None, timeout=30000)
    document = win.document
    assert document is not None
    qtbot.waitUntil(lambda: not document.validating, timeout=30000)
    assert win.counts.text() == "0 errors, 1 warning"
    assert win.current_editor() is win.editors.built("guide")


def test_the_canvas_page_loads_while_the_canvas_is_prepared_and_is_the_one_shown(
        shell_env: Path, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The web engine's start and the host page's first load are most of the way to the first
    guide on the canvas: they begin before the canvas (which waits for the compiler) is built,
    and the canvas shows that very page instead of loading another."""
    from guidestudio.widgets.preview.page import demo_url
    from guidestudio.widgets.preview.surface import PreviewSurface

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    before: list[list[PreviewSurface]] = []
    win.centre.paneBuilt.connect(
        lambda pane: before.append(win.centre.findChildren(PreviewSurface)))
    assert win.open_project(project)
    qtbot.waitUntil(lambda: win.centre.pane_built and win.centre.pane is not None
                    and win.centre.pane.surface is not None, timeout=30000)
    pane = win.centre.pane
    assert pane is not None and pane.surface is not None
    assert [[surface.url for surface in made] for made in before] == [[demo_url()]]
    assert pane.surface is before[0][0]
    qtbot.waitUntil(lambda: pane.surface is not None and pane.surface.guide_box is not None,
                    timeout=30000)  # the guide is on that page
    assert win.centre.findChildren(PreviewSurface) == [pane.surface]


def test_a_first_guide_that_does_not_compile_gets_its_forms_at_once(
        shell_env: Path, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from guidestudio.app.editor_area import EditorPages
    from guidestudio.core.resources import TEMPLATES_DIR

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    monkeypatch.setattr(EditorPages, "WAIT_MS", 120_000)  # no bound to rescue the forms
    (project / "templates").mkdir()
    for template in TEMPLATES_DIR.glob("*.html.j2"):  # every kind's markup is broken
        (project / "templates" / template.name).write_text("{{ broken", "utf-8")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(project)
    # Nothing can be painted on the canvas; the forms, where the guide is fixed, still come.
    qtbot.waitUntil(lambda: win.editors.built("guide") is not None, timeout=30000)
    pane = win.centre.pane
    assert pane is not None and pane.banner.isVisibleTo(pane)
