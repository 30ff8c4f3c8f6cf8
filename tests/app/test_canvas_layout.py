"""The design tool's layout: tree · canvas · inspector · one bottom panel, remembered and reset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow

from guidestudio.app import settings_store
from guidestudio.app.main_window import MainWindow
from guidestudio.app.window_layout import FIRST_START_SHARE, panel_widths
from tests.app.screens import literal_ampersands, wait_for_canvas

LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)


def areas(window: MainWindow) -> dict[str, Qt.DockWidgetArea]:
    return {d.objectName(): window.dockWidgetArea(d) for d in window.findChildren(QDockWidget)}


def test_a_first_start_fills_most_of_the_screen_with_the_guide_on_the_canvas(
        shell_env: Path, project: Path, qtbot, monkeypatch: Any) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    window = MainWindow()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert window.width() >= min(int(available.width() * FIRST_START_SHARE),
                                 window.minimumWidth())
    assert abs(window.geometry().center().x() - available.center().x()) <= 2 \
        or window.width() >= available.width()  # centred (unless wider than the screen)
    window.show()
    with qtbot.waitSignal(window.projectOpened, timeout=20_000):
        window.open_project(project)
    # Soon after the project is in, its first guide is on the canvas, its forms beside it.
    qtbot.waitUntil(lambda: window.tree.current_ref() == ("guide", window.tree.first_key("guide")))
    assert window.centre.currentWidget() is window.centre.pane
    assert window.inspector_dock.isAncestorOf(window.current_editor())
    assert areas(window) == {"projectDock": LEFT, "inspectorDock": RIGHT, "bottomDock": BOTTOM}
    wait_for_canvas(qtbot, window)


def test_the_canvas_is_the_largest_thing_at_1280_by_800(screen: Any, qtbot) -> None:
    window = screen((1280, 800))
    wait_for_canvas(qtbot, window)
    canvas = window.centre.width() * window.centre.height()
    for dock in (window.tree_dock, window.inspector_dock, window.bottom_dock):
        assert dock.width() * dock.height() < canvas, dock.objectName()
    assert window.inspector_dock.width() >= 380  # its one column of forms fits
    assert literal_ampersands(window) == []


def test_the_layout_is_remembered_and_view_reset_layout_restores_the_default(
        window: MainWindow, qtbot) -> None:
    window.addDockWidget(LEFT, window.inspector_dock)  # the user moves and hides things
    window.tree_dock.hide()
    window.bottom.set_collapsed(True)
    window.toolbar.hide()
    assert window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert areas(again)["inspectorDock"] == LEFT
    assert again.tree_dock.isHidden() and again.toolbar.isHidden() and again.bottom.collapsed
    again.actions_.reset_layout.trigger()
    assert areas(again) == {"projectDock": LEFT, "inspectorDock": RIGHT, "bottomDock": BOTTOM}
    assert not any(w.isHidden() for w in (again.tree_dock, again.inspector_dock,
                                          again.bottom_dock, again.toolbar))
    assert not again.bottom.collapsed
    assert again.tree_dock.width() < again.centre.width() > again.inspector_dock.width()


def test_a_layout_saved_by_the_editor_before_the_canvas_is_not_restored(
        shell_env: Path, qtbot) -> None:
    old = QMainWindow()  # version 1: the editor in the centre, preview and problems docks
    for name, area in (("projectDock", LEFT), ("previewDock", LEFT), ("problemsDock", RIGHT)):
        dock = QDockWidget(name, old)
        dock.setObjectName(name)
        dock.setWidget(QLabel(name))
        old.addDockWidget(area, dock)
    QSettings().setValue(settings_store.STATE, QByteArray(old.saveState(1)))
    old.deleteLater()
    window = MainWindow()
    qtbot.addWidget(window)
    assert areas(window) == {"projectDock": LEFT, "inspectorDock": RIGHT, "bottomDock": BOTTOM}
    assert not window.inspector_dock.isHidden()


def test_the_inspector_steps_aside_for_what_the_centre_edits_unless_the_user_closed_it(
        window: MainWindow) -> None:
    window.tree.select("guide", "nps-survey")
    assert not window.inspector_dock.isHidden()
    window.tree.select("segment", "pro-plan")
    assert window.inspector_dock.isHidden()  # the rule builder gets the width
    assert window.centre.currentWidget() is window.current_editor()
    window.tree.select("guide", "nps-survey")
    assert not window.inspector_dock.isHidden()
    window.inspector_dock.toggleViewAction().trigger()  # the user closes it
    window.tree.select("segment", "pro-plan")
    window.tree.select("guide", "nps-survey")
    assert window.inspector_dock.isHidden()


def test_the_bottom_panel_folds_to_its_tabs_and_counts_problems(window: MainWindow,
                                                                qtbot) -> None:
    bottom = window.bottom
    assert bottom.tabs.tabText(bottom.PROBLEMS) == "Problems · 0 errors, 1 warning"
    tab = bottom.tabs.tabRect(bottom.PROBLEMS).center()
    QTest.mouseClick(bottom.tabs, Qt.MouseButton.LeftButton, pos=tab)  # the open tab: fold
    assert bottom.collapsed and bottom.pages.isHidden()
    QApplication.processEvents()
    assert window.bottom_dock.height() <= bottom.folded_height() + 8
    window.counts.click()  # the status bar's counts bring the problems back
    assert not bottom.collapsed and bottom.currentIndex() == bottom.PROBLEMS


def test_the_canvas_hands_its_log_to_the_bottom_panel(window: MainWindow, project: Path,
                                                      qtbot) -> None:
    window.tree.select("guide", "nps-survey")
    pane = window.centre.pane
    assert pane is not None and window.bottom.log is pane.diagnostics
    assert window.bottom.isAncestorOf(pane.diagnostics)
    assert not pane.isAncestorOf(pane.diagnostics)  # one log, below; not one per canvas
    window.open_project(project, background=False)  # another document, another canvas
    assert window.bottom.log is None or window.bottom.log is not pane.diagnostics
    assert window.bottom.log_stack.currentWidget() in (window.bottom.log_hint,
                                                       window.bottom.log)


def test_the_canvas_and_the_inspector_show_the_same_step(window: MainWindow, qtbot) -> None:
    """A step picked in the inspector is the step on the canvas, and a step the canvas moves
    to (its Next/Back bar) is picked in the inspector: the window links the two."""
    window.tree.select("guide", "trial-conversion-tour")
    wait_for_canvas(qtbot, window)
    pane = window.centre.pane
    editor = window.workspace.editors.current()
    assert pane is not None and editor is not None
    editor.select_step(2)
    qtbot.waitUntil(lambda: pane.current_step() == 2)
    pane.controls.back.click()
    qtbot.waitUntil(lambda: editor.current_step() == 1)


def test_panels_a_saved_layout_left_too_narrow_get_their_default_width_back(
        shell_env: Path, project: Path, qtbot, monkeypatch: Any) -> None:
    """A layout saved in a small window restored in a big one: the inspector's tabs must not
    hide behind scroll arrows, nor the tree's names shrink to a few letters."""
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    small = MainWindow()
    qtbot.addWidget(small)
    small.resize(900, 700)
    small.show()
    assert small.open_project(project, background=False)
    small.resizeDocks([small.tree_dock, small.inspector_dock], [150, 200],
                      Qt.Orientation.Horizontal)
    QApplication.processEvents()
    assert small.inspector_dock.width() < 380 and small.tree_dock.width() < 220, \
        (small.tree_dock.width(), small.inspector_dock.width())
    assert small.close()  # saves the layout
    big = MainWindow()
    qtbot.addWidget(big)
    big.resize(1728, 972)
    big.show()
    tree, inspector = panel_widths(1728)
    qtbot.waitUntil(lambda: abs(big.tree_dock.width() - tree) <= 4
                    and abs(big.inspector_dock.width() - inspector) <= 4, timeout=2000)
    assert big.centre.width() > big.inspector_dock.width()
