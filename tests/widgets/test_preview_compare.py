"""Compare mode: one live view per variant (or locale), moving through steps together."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TITLE_JS,
    TOUR,
    doc_fixture,
    dom,
    dom_until,
    pane_fixture,
    ready,
    title_path,
)

PROGRESS_JS = "(function(){var p=document.querySelector('[data-gs-progress]');" \
              "return p ? p.textContent.trim() : null;})()"


def comparing(qtbot: Any, pane: Any) -> list[Any]:
    pane.set_guide(TOUR)
    ready(qtbot, pane.surface)
    pane.controls.compare.setChecked(True)
    assert pane.compare is not None
    surfaces = pane.compare.surfaces
    for surface in surfaces:
        ready(qtbot, surface)
        dom_until(qtbot, surface, TITLE_JS, bool)
    return surfaces


def test_one_view_per_variant_in_step(qtbot, pane, doc, tmp_path) -> None:
    surfaces = comparing(qtbot, pane)
    assert [c.variant for c in pane.compare.columns] == ["short", "full"]  # not the control
    assert pane.stack.currentWidget() is pane.compare
    assert [dom(qtbot, s, PROGRESS_JS) for s in surfaces] == ["1 / 3", "1 / 4"]
    qtbot.waitUntil(lambda: {"event · short", "event · full"} <= set(
        source for source, what, _ in pane.diagnostics.rows() if what == "guide_shown"))
    shows = [source for source, what, _ in pane.diagnostics.rows() if what == "guide_shown"]
    assert shows.count("event · short") == shows.count("event · full") == 1  # shown once each

    pane.next_step()
    for surface, expected in zip(surfaces, ("2 / 3", "2 / 4"), strict=True):
        dom_until(qtbot, surface, PROGRESS_JS, lambda p, e=expected: p == e)

    # Next inside one column moves the other one too.
    dom(qtbot, surfaces[1], "document.querySelector('.gs-root [data-gs-action=\"1\"]').click()")
    for surface, expected in zip(surfaces, ("3 / 3", "3 / 4"), strict=True):
        dom_until(qtbot, surface, PROGRESS_JS, lambda p, e=expected: p == e)

    doc.set_value(title_path(variant=1, step=2), "Share it, side by side")  # live, per column
    dom_until(qtbot, surfaces[1], TITLE_JS, lambda t: t == "Share it, side by side")

    shot = tmp_path / "compare.png"
    assert pane.save_screenshot(str(shot))
    image = QImage(str(shot))
    assert image.width() == pane.compare.width()
    for half in (0, 1):  # both pages are in the picture, not blank boxes
        x0 = half * image.width() // 2
        colours = {image.pixel(x, y) for x in range(x0, x0 + image.width() // 2, 9)
                   for y in range(0, image.height(), 9)}
        assert len(colours) > 20, half


def test_compare_by_locale_and_back_to_one_view(qtbot, pane) -> None:
    comparing(qtbot, pane)
    c = pane.controls
    c.compare_by.setCurrentIndex(c.compare_by.findData("locales"))
    assert [col.locale for col in pane.compare.columns] == ["en", "ja"]
    en, ja = pane.compare.surfaces
    for surface in (en, ja):
        ready(qtbot, surface)
    dom_until(qtbot, en, TITLE_JS, lambda t: "Welcome" in (t or ""))
    dom_until(qtbot, ja, TITLE_JS, lambda t: "ようこそ" in (t or ""))
    c.compare.setChecked(False)
    assert pane.compare is None and pane.stack.currentWidget() is pane.surface
    assert c.pick.isEnabled()
