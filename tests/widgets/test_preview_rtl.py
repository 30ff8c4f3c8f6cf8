"""Arabic on the canvas: choosing it as the preview's language shows the guide mirrored.

On the example with Arabic added (tests/arabic_project.py), in the real web
engine: the canvas renders the step the way the product will for an Arabic
reader, right to left, with the tooltip's close button and buttons mirrored;
and "Pseudo right-to-left" (ar-XB) does the same for a guide not yet translated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guidestudio.app.document import Document
from guidestudio.core.l10n.pseudo import PSEUDO_RTL_LOCALE, PSEUDO_RTL_NAME
from tests.arabic_project import arabic_project
from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TITLE_JS,
    TOOLTIP,
    TOUR,
    dom,
    dom_until,
    pane_fixture,
    ready,
)

# Where the step's parts are on the canvas's page, and its direction (as JSON: PySide6 drops
# nested values that runJavaScript hands back).
LAYOUT_JS = """(function () {
  var s = document.querySelector('.gs-root .gs-step');
  if (!s || !s.getClientRects().length) return null;
  function box(sel) { var e = s.querySelector(sel); if (!e) return null;
    var r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }
  var r = s.getBoundingClientRect();
  return JSON.stringify({dir: getComputedStyle(s).direction, lang: s.lang, left: r.left, right: r.right,
          title: s.querySelector('.gs-title').textContent, close: box('[data-gs-close]'),
          first: box('[data-gs-action="0"]'), second: box('[data-gs-action="1"]')});
})()"""


@pytest.fixture(name="doc")
def arabic_doc(tmp_path: Path, qapp: Any) -> Iterator[Document]:
    document = Document.open(arabic_project(tmp_path))
    yield document
    document.deleteLater()


def layout(qtbot: Any, surface: Any, locale: str) -> dict[str, Any]:
    """The step's layout once the canvas shows it in ``locale``."""
    got = dom_until(qtbot, surface, LAYOUT_JS,
                    lambda raw: bool(raw) and json.loads(raw)["lang"] == locale)
    return json.loads(got)


def choose(combo: Any, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


@pytest.mark.parametrize(("guide", "step"), [(TOOLTIP, 0), (TOUR, 1)])  # tooltips; the tour's 2nd
def test_arabic_as_the_preview_language_mirrors_the_guide(qtbot, pane, doc, guide: str,
                                                          step: int) -> None:
    pane.set_guide(guide)
    surface = ready(qtbot, pane.surface)
    pane.show_step(step)
    qtbot.waitUntil(lambda: pane.current_step() == step)
    english = layout(qtbot, surface, "en")
    assert english["dir"] == "ltr" and english["close"]["right"] > english["right"] - 12
    assert english["first"]["right"] < english["second"]["left"]

    assert pane.controls.locale.itemText(pane.controls.locale.findData("ar")) == "Arabic (ar)"
    choose(pane.controls.locale, "ar")
    arabic = layout(qtbot, surface, "ar")
    assert arabic["dir"] == "rtl"
    assert pane.current_step() == step
    assert arabic["title"] == doc.project.guides[guide].variants[0].steps[step].title["ar"]
    # the close button at the top left, the first button at the right of the second
    assert arabic["close"]["left"] < arabic["left"] + 12
    assert arabic["first"]["left"] > arabic["second"]["right"]


def test_pseudo_right_to_left_mirrors_a_guide_nobody_has_translated(qtbot, pane, doc) -> None:
    """ar-XB, offered beside the pseudo lengths: the English drawn backwards, laid out as for
    Arabic; the project gains no language."""
    controls = pane.controls
    assert controls.locale.itemText(controls.locale.findData(PSEUDO_RTL_LOCALE)) == PSEUDO_RTL_NAME
    pane.set_guide("release-announcement")  # a modal with no Arabic text
    surface = ready(qtbot, pane.surface)
    layout(qtbot, surface, "en")
    choose(controls.locale, PSEUDO_RTL_LOCALE)
    mirrored = layout(qtbot, surface, PSEUDO_RTL_LOCALE)
    english = doc.project.guides["release-announcement"].variants[0].steps[0].title["en"]
    assert mirrored["dir"] == "rtl" and mirrored["title"] == f"\u202e{english}\u202c"
    assert mirrored["close"]["left"] < mirrored["left"] + 12
    assert mirrored["first"]["left"] > mirrored["second"]["right"]
    assert PSEUDO_RTL_LOCALE not in doc.project.settings.locales
