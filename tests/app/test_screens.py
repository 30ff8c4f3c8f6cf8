"""Screens as tests (issue 12): the window as a marketer sees it, for every kind of guide.

At 1280×800 and 1920×1080, in light and dark, with a guide of each kind selected:
no form scrolls sideways or cuts a label short, no visible text shows a literal
"&", no tab bar needs scroll arrows, no button paints its menu's arrow over its
words, every canvas control shows its whole text, the guide is at least 300 px
wide on screen, not cut at the canvas's sides and shown at a scale its text reads
at, and the canvas is the largest thing in the window; the project tree shows
every name whole up to its subtitle (at 1920 px whole), and Problems speaks in
names and labels, not ids and YAML keys. One window per size and scheme
is reused across the kinds (a web view's first page costs about a second).

Every screen is saved as a PNG to look at, named size-scheme-kind (and
size-scheme-kind-inspector-tab for the inspector's other tabs): into
``build/screens/`` (git-ignored) or ``$GUIDESTUDIO_SCREENSHOTS`` if set; the
folder is printed at the end of the run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QMenu,
    QStyleOptionViewItem,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)

from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.guide.guide_editor import GuideEditor
from guidestudio.widgets.preview.surface import READABLE_SCALE
from guidestudio.widgets.project.tree import SUBTITLE, ProjectTree
from guidestudio.widgets.project.tree_model import KIND_ROLE
from tests.app.screens import canvas_image, wait_for_still_canvas
from tests.conftest import REPO_ROOT
from tests.core.test_problem_words import KEYS
from tests.widgets.inspector_support import (
    arrows_on_text,
    cut_texts,
    literal_ampersands,
    settle,
    shown_text,
    sideways,
)

SIZES = ((1280, 800), (1920, 1080))
SCHEMES = ("light", "dark")
#: A guide of each kind in the example project.
KINDS = {"tooltip": "premium-feature-tooltip", "modal": "release-announcement",
         "walkthrough": "trial-conversion-tour", "banner": "storage-almost-full",
         "hotspot": "holiday-promo-draft", "checklist": "onboarding-checklist",
         "survey": "nps-survey"}
GUIDE_MIN_ON_SCREEN = 300
#: A name too long for its row shows at least this many letters of its start and its end.
ENDS_SHOWN = 6
#: From this window width on, the project tree shows the example's guide names whole, and
#: the problems panel its problem's place and message.
WHOLE_NAMES_FROM = 1920
ENV = "GUIDESTUDIO_SCREENSHOTS"
#: zlib's effort for the PNGs: about a third faster than Qt's default, files as small.
PNG_QUALITY = 50


class Screenshots:
    """The folder the screens go to; PNGs are encoded on a thread of their own (a 1920×1080
    one takes about half a second), so the window goes on to the next guide meanwhile."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._saving = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screens")
        self._pending: list[Future[bool]] = []

    def save(self, picture: QPixmap, name: str) -> None:
        image = picture.toImage()  # a QPixmap belongs to the GUI thread, a QImage does not
        self._pending.append(self._saving.submit(image.save, str(self.folder / f"{name}.png"),
                                                 "PNG", PNG_QUALITY))

    def close(self) -> int:
        self._saving.shutdown(wait=True)
        failed = [f for f in self._pending if not f.result()]
        assert not failed, f"{len(failed)} screenshots could not be written to {self.folder}"
        return len(self._pending)


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Iterator[Screenshots]:
    """Where the screens go; said once the run is over, so that people look at them."""
    configured = os.environ.get(ENV)
    folder = Path(configured) if configured else REPO_ROOT / "build" / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # only this run's screens: none left from another
        old.unlink()
    shots = Screenshots(folder)
    yield shots
    count = shots.close()
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and count:
        reporter.write_line(f"screens: {count} screenshots in {folder} (set {ENV} to choose)")


def menu_ampersands(window: MainWindow) -> list[str]:
    """Menu entries and dock titles that would show an "&" (menus underline "&x")."""
    found = []
    for menu in window.findChildren(QMenu):
        for action in menu.actions():
            if "&" in shown_text(action.text(), True):
                found.append(f"menu {menu.title()!r}: {action.text()!r}")
    for dock in window.findChildren(QDockWidget):
        if dock.isVisible() and "&" in dock.windowTitle():
            found.append(f"dock {dock.windowTitle()!r}")
    return found


def area(widget: QWidget) -> int:
    return widget.width() * widget.height() if widget.isVisible() else 0


def check_screen(window: MainWindow, where: str) -> None:
    pane = window.centre.pane
    assert pane is not None and pane.surface is not None, where
    assert window.centre.currentWidget() is pane, where
    assert pane.controls.truncated() == [], where
    rect = pane.surface.guide_rect()
    assert rect is not None, f"{where}: no guide on the canvas"
    assert rect.width() >= GUIDE_MIN_ON_SCREEN, f"{where}: the guide is {rect.width()} px wide"
    assert pane.surface.guide_in_view(), where
    # its text readable: a banner spans the page, which is then laid out narrower
    assert pane.surface.scale() >= READABLE_SCALE * 0.95, \
        f"{where}: the page is shown at {pane.surface.scale():.0%}"
    port = pane.surface.viewport().width()
    assert rect.left() >= 0 and rect.right() < port, \
        f"{where}: the guide ({rect.left()}..{rect.right()}) is cut at the sides of {port} px"
    canvas = area(window.centre)
    for dock in window.findChildren(QDockWidget):
        assert area(dock) < canvas, f"{where}: {dock.objectName()} is larger than the canvas"
    assert literal_ampersands(window) == [], where
    assert menu_ampersands(window) == [], where
    assert scrolling_tabs(window) == [], where
    assert arrows_on_text(window) == [], where


def scrolling_tabs(root: QWidget) -> list[str]:
    """Tab bars too narrow for their tabs (they show scroll arrows instead)."""
    return [" · ".join(bar.tabText(i) for i in range(bar.count()))
            for bar in root.findChildren(QTabBar) if bar.isVisible()
            and any(b.isVisible() for b in bar.findChildren(QToolButton))]


def cut_rows(view: QTreeView) -> list[str]:
    """Cells of a tree or table view whose text does not fit its column (shown elided)."""
    cut = []
    model, port = view.model(), view.viewport().width()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    parents = [QModelIndex()]
    while parents:
        parent = parents.pop()
        for row in range(model.rowCount(parent)):
            parents.append(model.index(row, 0, parent))
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                rect = view.visualRect(index)
                if rect.isEmpty():  # folded away or scrolled out
                    continue
                hint = view.itemDelegateForIndex(index).sizeHint(option, index).width()
                room = min(rect.right() + 1, port)
                if rect.left() + hint > room:
                    cut.append(f"{index.data()!r} needs {rect.left() + hint} px of {room}")
    return cut


def cut_names(tree: ProjectTree) -> list[str]:
    """Rows of the project tree whose name (before its subtitle: "Storage almost full" of
    "Storage almost full — upgrade prompt") does not show whole, as painted."""
    view = tree.view
    model, cut = view.model(), []
    parents = [QModelIndex()]
    while parents:
        parent = parents.pop()
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            parents.append(index)
            rect = view.visualRect(index)
            if rect.isEmpty():
                continue
            option = QStyleOptionViewItem()
            view.initViewItemOption(option)
            option.rect = rect
            shown, _badge = tree.badges.layout_row(option, index)
            name = str(index.data()).split(SUBTITLE, 1)[0]
            start, cut_here, end = shown.text.partition("…")
            # whole, or too long for the row even alone: its start and its end
            readable = shown.text.startswith(name) or (
                cut_here and name.startswith(start) and name.endswith(end)
                and min(len(start), len(end)) >= ENDS_SHOWN)
            if not readable or shown.fontMetrics.horizontalAdvance(shown.text) > rect.width():
                cut.append(f"{index.data()!r} shows as {shown.text!r}")
            if index.data(KIND_ROLE) in ("guide", "segment", "theme") and \
                    str(index.data()) not in str(index.data(Qt.ItemDataRole.ToolTipRole)):
                cut.append(f"{index.data()!r}: its tooltip does not name it")
    return cut


def check_forms(editor: GuideEditor, inspector: QWidget,
                where: str) -> list[tuple[str, QPixmap]]:
    """Every tab of the inspector fits its column; its look on each tab but the one shown."""
    shots = []
    first = editor.tabs.currentIndex()
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        settle(inspector)
        tab = f"{where}, {editor.tabs.tabText(index)} tab"
        assert sideways(inspector) == [], tab
        assert cut_texts(inspector) == [], tab
        assert literal_ampersands(inspector) == [], tab
        assert arrows_on_text(inspector) == [], tab
        if index != first:
            shots.append((editor.tabs.tabText(index), inspector.grab()))
    editor.tabs.setCurrentIndex(first)
    return shots


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", shown_text(text, True).lower()).strip("-")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kind_of_guide_fits_the_window(screen: Any, qtbot, screenshots: Screenshots,
                                             size: tuple[int, int], scheme: str) -> None:
    window = screen(size, scheme, ("guide", KINDS["tooltip"]))
    size_name = f"{size[0]}x{size[1]}"
    for kind, guide_id in KINDS.items():
        before = canvas_image(window)
        assert window.tree.select("guide", guide_id)
        wait_for_still_canvas(qtbot, window, before)
        settle(window)
        where = f"{kind} at {size_name}, {scheme}"
        name = f"{size_name}-{scheme}-{kind}"
        screenshots.save(window.grab(), name)
        editor = window.current_editor()
        assert isinstance(editor, GuideEditor), where
        for tab, shot in check_forms(editor, window.inspector_dock.widget(), where):
            screenshots.save(shot, f"{name}-inspector-{slug(tab)}")
        check_screen(window, where)
    assert cut_names(window.tree) == [], f"{size_name}, {scheme}"
    problems = window.bottom.problems.model  # in the forms' words, not the files'
    said = [problems.index(row, column).data() for row in range(problems.rowCount())
            for column in (1, 2)]
    assert said and [text for text in said if KEYS.search(text)] == [], said
    if size[0] >= WHOLE_NAMES_FROM:  # the guides' names, the problems' places and messages
        assert cut_rows(window.tree.view) == [], f"{size_name}, {scheme}"
        assert cut_rows(window.bottom.problems.view) == [], f"{size_name}, {scheme}"
