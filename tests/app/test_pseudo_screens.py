"""The canvas in the pseudo language as a marketer sees it, at 1280×800, light and dark.

Saved as build/screens/pseudo-*.png (``$GUIDESTUDIO_SCREENSHOTS`` if set) to look
at: the tour's accented, bracketed texts on a laptop; then on a phone with a body
too long for it, and the Problems panel saying so in words.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.l10n.pseudo import PSEUDO_LOCALE
from tests.app.screens import canvas_image, wait_for_still_canvas
from tests.conftest import REPO_ROOT

TOUR = "trial-conversion-tour"


def choose(combo: Any, data: Any) -> None:
    combo.setCurrentIndex(combo.findData(data))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pseudo_canvas_and_its_overflow_warning(screen: Any, qtbot, scheme: str) -> None:
    folder = Path(os.environ.get("GUIDESTUDIO_SCREENSHOTS") or REPO_ROOT / "build" / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    window = screen((1280, 800), scheme, ("guide", TOUR))
    pane = window.centre.pane
    before = canvas_image(window)
    choose(pane.controls.locale, PSEUDO_LOCALE)
    wait_for_still_canvas(qtbot, window, before)
    window.grab().save(str(folder / f"pseudo-1280x800-{scheme}.png"))

    before = canvas_image(window)
    choose(pane.controls.device, "phone")
    body = "\n\n".join(f"Step {i}: invite your team, share a folder and set who may edit it."
                       for i in range(14))
    window.document.set_value(("guides", TOUR, "variants", 0, "steps", 0, "body", "en"), body)
    qtbot.waitUntil(lambda: any(p.code == "text-overflow" for p in window.document.page_problems),
                    timeout=10_000)
    wait_for_still_canvas(qtbot, window, before)
    problems = window.bottom.problems.model
    said = [problems.index(row, 2).data() or "" for row in range(problems.rowCount())]
    assert any("Pseudo (test lengths) on a phone" in text for text in said), said
    window.grab().save(str(folder / f"pseudo-1280x800-{scheme}-phone-overflow.png"))
