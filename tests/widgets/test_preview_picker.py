"""The element picker: stable, unique selectors from real clicks, written undoably."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TITLE_JS,
    TOOLTIP,
    doc_fixture,
    dom,
    dom_until,
    pane_fixture,
    ready,
)

PAGE = """<!doctype html>
<html><head><style>body{margin:0;font:16px sans-serif} button,span,a,p,h3{display:inline-block;
margin:4px;padding:6px}</style></head><body>
<div id="app">
  <button id="save-button">Save</button>
  <button id="btn-4f9a2c1d8e" data-testid="cancel">Cancel</button>
  <span data-qa="user-name">Ann</span>
  <ul class="menu"><li><a class="link">One</a></li><li><a class="link">Two</a></li></ul>
  <section><p>First</p><p>Second <em>here</em></p></section>
</div>
<div class="card"><h3 class="card-title">A</h3></div>
<div class="card"><h3 class="card-title">B</h3></div>
<div><div><span>deep one</span></div><div><span>deep two</span></div></div>
</body></html>
"""
#: (how to find the element for the test, what the picker should say; None: any unique one)
CASES = [
    ("#save-button", "#save-button"),
    ("[data-testid=cancel]", '[data-testid="cancel"]'),  # generated id: the test hook wins
    ("span", '[data-qa="user-name"]'),
    (".menu li:nth-child(2) a", None),
    (".card:nth-of-type(3) h3", None),
    ("section p:nth-child(2)", None),
    ("body > div:last-child > div:last-child > span", None),
]


@pytest.fixture
def test_page(tmp_path: Path) -> Path:
    page = tmp_path / "app.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


def on_test_page(qtbot: Any, pane: Any, page: Path) -> Any:
    """The tooltip guide on the test page, at 100% so page and widget pixels agree."""
    pane.controls.zoom.setCurrentIndex(pane.controls.zoom.findText("100%"))
    pane.set_guide(TOOLTIP)
    surface = ready(qtbot, pane.surface)
    pane.load_host(str(page))
    qtbot.waitUntil(lambda: surface.is_ready and surface.url.fileName() == "app.html")
    return surface


def click(qtbot: Any, surface: Any, css: str) -> None:
    """A real mouse click on the element's centre, through the view's input widget."""
    rect = dom(qtbot, surface, "(function(){var r=document.querySelector(" + json.dumps(css) +
               ").getBoundingClientRect();return JSON.stringify([r.left+r.width/2,"
               "r.top+r.height/2]);})()")
    x, y = json.loads(rect)
    zoom = surface.view.zoomFactor()
    point = QPoint(round(x * zoom), round(y * zoom))
    target = surface.view.focusProxy()
    QTest.mouseMove(target, point)
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_selectors_prefer_ids_then_data_then_short_paths(qtbot, pane, test_page) -> None:
    surface = on_test_page(qtbot, pane, test_page)
    for css, expected in CASES:
        source = ("(function(){var el=document.querySelector(" + json.dumps(css) + "),"
                  "s=window.__gsPicker.selectorFor(el), all=document.querySelectorAll(s);"
                  "return JSON.stringify([s, all.length, all[0]===el]);})()")
        selector, count, same = json.loads(dom(qtbot, surface, source))
        assert count == 1 and same, (css, selector)
        if expected is not None:
            assert selector == expected, css
        else:
            assert not selector.startswith("html"), selector
            assert selector.count(":nth-of-type") <= 1, selector


def test_picking_by_clicking_returns_unique_selectors(qtbot, pane, test_page) -> None:
    surface = on_test_page(qtbot, pane, test_page)
    picks = []
    for css in ("#save-button", "span", ".menu li:nth-child(2) a"):
        pane.controls.pick.setChecked(True)
        dom_until(qtbot, surface, "window.__gsPicker.active()", bool)
        with qtbot.waitSignal(pane.selectorPicked, timeout=5000) as picked:
            click(qtbot, surface, css)
        picks.append(picked.args[0])
        assert not pane.controls.pick.isChecked()
        source = ("(function(){var a=document.querySelectorAll(" + json.dumps(picks[-1]) +
                  ");return a.length===1 && a[0]===document.querySelector(" + json.dumps(css) +
                  ");})()")
        assert dom(qtbot, surface, source) is True, picks[-1]
    assert picks[:2] == ["#save-button", '[data-qa="user-name"]']
    assert dom(qtbot, surface, "document.querySelectorAll('[data-gs-picker]').length") == 0


def test_a_pick_sets_the_steps_anchor_as_one_undoable_edit(qtbot, pane, doc, test_page) -> None:
    surface = on_test_page(qtbot, pane, test_page)
    path = ("guides", TOOLTIP, "variants", 0, "steps", 0, "anchor", "selector")
    assert doc.get(path) == "#advanced-search"
    pane.controls.pick.setChecked(True)
    dom_until(qtbot, surface, "window.__gsPicker.active()", bool)
    clicks_before = dom(qtbot, surface, "window.__clicks = 0; document.getElementById("
                        "'save-button').onclick = function(){ window.__clicks++; }; 0",
                        main_world=True)
    with qtbot.waitSignal(pane.selectorPicked, timeout=5000):
        click(qtbot, surface, "#save-button")
    assert doc.get(path) == "#save-button"
    assert dom(qtbot, surface, "window.__clicks", main_world=True) == clicks_before  # swallowed
    dom_until(qtbot, surface, TITLE_JS, bool)  # the tooltip now points at the picked element
    assert doc.undo_stack.undoText().startswith("Pick element")
    doc.undo_stack.undo()
    assert doc.get(path) == "#advanced-search"


def test_escape_cancels_pick_mode(qtbot, pane, doc, test_page) -> None:
    surface = on_test_page(qtbot, pane, test_page)
    pane.controls.pick.setChecked(True)
    dom_until(qtbot, surface, "window.__gsPicker.active()", bool)
    QTest.keyClick(surface.view.focusProxy(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not pane.controls.pick.isChecked())
    assert doc.undo_stack.count() == 0
