"""The canvas as the window's centre: readable guides, controls that never cut, its panels.

The pane sits in a main window shaped like the editor's (project tree on the
left, inspector on the right, a bottom panel) at the two window sizes the
issue names; sizes are measured on screen, in the real web engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QTabWidget,
)

from guidestudio.widgets.preview.pane import PreviewPane
from guidestudio.widgets.preview.surface import PreviewSurface
from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TITLE_JS,
    TOUR,
    delete_now,
    doc_fixture,
    dom,
    dom_until,
    pane_fixture,
    ready,
)

#: One guide of every kind in the example project.
KINDS = {"walkthrough": TOUR, "modal": "cross-sell-automations",
         "tooltip": "premium-feature-tooltip", "hotspot": "holiday-promo-draft",
         "banner": "storage-almost-full", "survey": "nps-survey",
         "checklist": "onboarding-checklist"}
SIZES = [(1280, 800), (1920, 1080)]
STEP_RECT_JS = ("(function(){var s=document.querySelector('.gs-root .gs-step');"
                "if(!s||s.hidden)return null;var r=s.getBoundingClientRect();"
                "return JSON.stringify([r.left,r.top,r.width,r.height]);})()")
PROGRESS_JS = "(function(){var p=document.querySelector('[data-gs-checklist-progress]');" \
              "return p ? p.textContent.trim() : null;})()"


@pytest.fixture
def window(qtbot: Any, doc: Any, monkeypatch: pytest.MonkeyPatch,
           request: pytest.FixtureRequest) -> Iterator[tuple[QMainWindow, PreviewPane]]:
    """The pane as the central widget of a window laid out like the editor's."""
    monkeypatch.setattr(PreviewPane, "DEBOUNCE_MS", 0)
    width, height = request.param
    win = QMainWindow()
    pane = PreviewPane(doc)
    win.setCentralWidget(pane)
    for title, area, size in (("Project", Qt.DockWidgetArea.LeftDockWidgetArea, 240),
                              ("Inspector", Qt.DockWidgetArea.RightDockWidgetArea,
                               420 if width < 1600 else 520)):
        content = QLabel(title)
        content.setFixedWidth(size)
        dock = QDockWidget(title, win)
        dock.setWidget(content)
        win.addDockWidget(area, dock)
    panel = QTabWidget()
    panel.setFixedHeight(180)
    panel.addTab(pane.take_diagnostics(), "Preview log")
    bottom = QDockWidget("Panel", win)
    bottom.setWidget(panel)
    win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, bottom)
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    yield win, pane
    delete_now(win)


def on_screen(qtbot: Any, surface: PreviewSurface) -> tuple[QRect, QRect] | None:
    """(the guide's box, the visible part of the canvas), in the canvas's pixels."""
    text = dom(qtbot, surface, STEP_RECT_JS)
    if not text:
        return None
    x, y, w, h = json.loads(text)
    zoom = surface.view.zoomFactor()
    top_left = surface.view.mapTo(surface.viewport(), QPoint(round(x * zoom), round(y * zoom)))
    return QRect(top_left.x(), top_left.y(), round(w * zoom), round(h * zoom)), \
        surface.viewport().rect()


def readable(qtbot: Any, surface: PreviewSurface, found: list[Any]) -> bool:
    """Is the guide at least 300 px wide on screen and in view (a guide bigger than the
    canvas: at least 300 px of it, from its start)?"""
    found[:] = [on_screen(qtbot, surface)]
    if found[0] is None:
        return False
    box, view = found[0]
    seen = box.intersected(view)
    whole = box.width() <= view.width() and box.height() <= view.height()
    return box.width() >= 300 and seen.width() >= 300 and (seen == box or not whole)


def across(qtbot: Any, surface: PreviewSurface, found: list[Any]) -> bool:
    """Is the guide's whole width in view?"""
    found[:] = [on_screen(qtbot, surface)]
    if found[0] is None:
        return False
    box, view = found[0]
    return view.left() <= box.left() and box.right() <= view.right()


@pytest.mark.parametrize("window", SIZES, indirect=True, ids=["1280x800", "1920x1080"])
def test_every_kind_of_guide_is_readable_and_in_view(qtbot, window) -> None:
    _win, pane = window
    for kind, guide in KINDS.items():
        pane.set_guide(guide)
        if pane.surface is not None:  # each guide starts on the device's page (not narrowed)
            assert pane.surface.page_width == 1440, kind
        surface = ready(qtbot, pane.surface)
        found: list[Any] = []
        try:
            qtbot.waitUntil(lambda s=surface, f=found: readable(qtbot, s, f), timeout=8000)
        except qtbot.TimeoutError:
            raise AssertionError(f"{kind}: guide {found[0]!r}, scale {surface.scale():.2f}") \
                from None
        assert surface.scale() >= 0.75, kind  # text at least three quarters of its size
        if kind == "banner":  # it spans the page: laid out narrower, whole, and said so
            try:
                qtbot.waitUntil(lambda s=surface, f=found: across(qtbot, s, f), timeout=8000)
            except qtbot.TimeoutError:
                raise AssertionError(f"banner cut at the sides: {found[0]!r}") from None
            narrowed = surface.page_width
            assert narrowed < 1440 or pane.width() >= 1440 * 0.8, narrowed
            dom_until(qtbot, surface, "window.innerWidth", lambda w, n=narrowed: w == n)
            if narrowed < 1440:
                assert pane.controls.page_width.isVisible()
                assert f"{narrowed} px" in pane.controls.page_width.text()
        else:
            dom_until(qtbot, surface, "window.innerWidth", lambda w: w == 1440)  # still desktop
            assert not pane.controls.page_width.isVisible(), kind


@pytest.mark.parametrize("window", SIZES[:1], indirect=True, ids=["1280x800"])
def test_whole_page_fits_without_a_cut_edge(qtbot, window) -> None:
    _win, pane = window
    pane.set_guide(TOUR)
    surface = ready(qtbot, pane.surface)
    pane.controls.zoom.setCurrentIndex(pane.controls.zoom.findText("Whole page"))
    port = surface.viewport().rect()
    view = QRect(surface.view.mapTo(surface.viewport(), QPoint(0, 0)), surface.view.size())
    assert port.contains(view), (port, view)
    assert view.width() == port.width() or view.height() == port.height()  # as big as fits
    assert not surface.horizontalScrollBar().isVisible()
    assert not surface.verticalScrollBar().isVisible()
    dom_until(qtbot, surface, "window.innerWidth", lambda w: w == 1440)


def test_controls_wrap_and_never_cut_their_text(qtbot, pane, doc) -> None:
    pane.set_guide(TOUR)
    ready(qtbot, pane.surface)
    longest = max(doc.project.profiles, key=lambda p: len(p.name or p.id)).id
    pane.controls.profile.setCurrentIndex(pane.controls.profile.findData(longest))
    pane.controls.compare.setChecked(True)  # its "compare by" choice shows too
    rows = {}
    for width in (420, 640, 1000, 1500):
        pane.layout().activate()  # the pane is never narrower than its widest control
        expected = max(width, pane.minimumSizeHint().width())
        pane.resize(width, 760)
        qtbot.waitUntil(lambda w=expected: pane.controls.width() == w)
        try:  # once the layouts have run (posted events), nothing is cut
            qtbot.waitUntil(lambda: pane.controls.truncated() == [], timeout=3000)
        except qtbot.TimeoutError:
            raise AssertionError(f"{width}: {pane.controls.truncated()}") from None
        rows[width] = pane.controls.height()
    assert rows[420] > rows[1500]  # narrower: more rows, nothing cut


def test_the_window_can_take_the_diagnostics_panel(qtbot, pane) -> None:
    panel = pane.take_diagnostics()
    assert pane.take_diagnostics() is panel and panel.parent() is None
    assert pane.split.count() == 1  # the page alone
    tabs = QTabWidget()
    tabs.addTab(panel, "Preview log")
    tabs.show()
    pane.set_guide(TOUR)
    ready(qtbot, pane.surface)
    qtbot.waitUntil(lambda: "guide_shown" in panel.event_names())
    assert "Emma" in panel.decision.text()
    delete_now(tabs)


def test_compare_columns_say_variant_names_and_start_at_the_top(qtbot, pane) -> None:
    pane.set_guide(TOUR)
    ready(qtbot, pane.surface)
    pane.controls.compare.setChecked(True)
    columns = [c.title for c in pane.compare.column_widgets]
    assert [c.text() for c in columns] == ["Short tour (3 steps)", "Full tour (4 steps)"]
    for surface, title in zip(pane.compare.surfaces, columns, strict=True):
        ready(qtbot, surface)
        dom_until(qtbot, surface, TITLE_JS, bool)
        column = surface.parentWidget()
        top = surface.view.mapTo(column, QPoint(0, 0)).y()
        assert top <= title.geometry().bottom() + 4, (top, title.geometry())  # no gap above
    pane.controls.compare_by.setCurrentIndex(pane.controls.compare_by.findData("locales"))
    assert [c.title.text() for c in pane.compare.column_widgets] == ["English (en)",
                                                                     "Japanese (ja)"]


def test_the_checklist_ticks_what_the_sample_user_has_done(qtbot, pane) -> None:
    pane.set_guide("onboarding-checklist")
    surface = ready(qtbot, pane.surface)
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "1 / 5")  # Emma uploaded files
    done = "[].map.call(document.querySelectorAll('.gs-item.gs-done'),e=>e.dataset.gsItem)" \
           ".join(',')"
    assert dom(qtbot, surface, done) == "upload-first-file"
    pane.controls.profile.setCurrentIndex(pane.controls.profile.findData("hina-trial-ja"))
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "2 / 5")  # uploads, invitations
    assert dom(qtbot, surface, done) == "upload-first-file,invite-teammate"
    assert "checklist_item_done" in pane.diagnostics.event_names()
