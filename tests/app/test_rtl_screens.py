"""The canvas in Arabic as a marketer sees it: 1280×800 and 1920×1080, light and dark.

The example with Arabic added (tests/arabic_project.py) opens in the real main
window; choosing Arabic as the canvas's language shows the trial tour mirrored —
its welcome modal, then a tooltip of the walkthrough — and the advanced-search
tooltip, then the inspector's Arabic texts; a guide with no Arabic yet (its English
stands in, left to right inside the mirrored step); last, a guide with no Arabic in
"Pseudo right-to-left". Saved as build/screens/rtl-*.png (``$GUIDESTUDIO_SCREENSHOTS`` if set)
to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.l10n.pseudo import PSEUDO_RTL_LOCALE
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit
from tests.app.screens import canvas_image, wait_for_still_canvas
from tests.arabic_project import arabic_project
from tests.conftest import REPO_ROOT

TOUR, TOOLTIP = "trial-conversion-tour", "premium-feature-tooltip"
DIRECTION_JS = ("(function(){var s=document.querySelector('.gs-root .gs-step');"
                "return s ? s.lang + ' ' + getComputedStyle(s).direction : '';})()")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Arabic copy instead of the plain example (the ``screen`` fixture opens this)."""
    return arabic_project(tmp_path)


def choose(combo: Any, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def direction(qtbot: Any, window: Any) -> str:
    with qtbot.waitCallback(timeout=5000) as callback:
        window.centre.pane.surface.evaluate(DIRECTION_JS, callback)
    return callback.args[0]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_arabic_on_the_canvas(screen: Any, qtbot, size: tuple[int, int], scheme: str) -> None:
    folder = Path(os.environ.get("GUIDESTUDIO_SCREENSHOTS") or REPO_ROOT / "build" / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{size[0]}x{size[1]}-{scheme}"
    window = screen(size, scheme, ("guide", TOUR))
    pane = window.centre.pane
    before = canvas_image(window)
    choose(pane.controls.locale, "ar")
    wait_for_still_canvas(qtbot, window, before)
    assert direction(qtbot, window) == "ar rtl"
    window.grab().save(str(folder / f"rtl-tour-welcome-{name}.png"))

    before = canvas_image(window)
    pane.show_step(1)  # the walkthrough's first tooltip
    wait_for_still_canvas(qtbot, window, before)
    assert pane.current_step() == 1 and direction(qtbot, window) == "ar rtl"
    window.grab().save(str(folder / f"rtl-tour-tooltip-{name}.png"))

    assert window.tree.select("guide", TOOLTIP)
    before = canvas_image(window)
    wait_for_still_canvas(qtbot, window, before)
    assert pane.controls.locale.currentData() == "ar"  # the language stays chosen
    assert direction(qtbot, window) == "ar rtl"
    window.grab().save(str(folder / f"rtl-tooltip-{name}.png"))

    # the inspector's Arabic texts, as a translator reviews them
    fields = window.findChildren(LocalizedTextEdit)
    assert fields
    for field in fields:
        field.set_locale("ar")
    qtbot.waitUntil(lambda: all(field.current_locale() == "ar" for field in fields))
    window.grab().save(str(folder / f"rtl-inspector-{name}.png"))

    # a guide with no Arabic yet, in Arabic: mirrored, its English standing in left to right
    assert window.tree.select("guide", "win-back-inactive")
    before = canvas_image(window)
    wait_for_still_canvas(qtbot, window, before)
    assert direction(qtbot, window) == "ar rtl"
    with qtbot.waitCallback(timeout=5000) as callback:
        pane.surface.evaluate("(function(){var t=document.querySelector('.gs-root .gs-title [lang]');"
                              "return t ? t.lang + ' ' + getComputedStyle(t).direction : '';})()",
                              callback)
    assert callback.args[0] == "en ltr"
    window.grab().save(str(folder / f"rtl-fallback-{name}.png"))

    # a guide nobody has translated, in the pseudo right-to-left language
    assert window.tree.select("guide", "release-announcement")
    before = canvas_image(window)
    choose(pane.controls.locale, PSEUDO_RTL_LOCALE)
    wait_for_still_canvas(qtbot, window, before)
    assert direction(qtbot, window) == "ar-XB rtl"
    window.grab().save(str(folder / f"rtl-pseudo-{name}.png"))
