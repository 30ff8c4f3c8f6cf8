"""In the whole window: a mistyped element is in Problems, on the field, fixed with a click,
and the Edit menu's Ctrl+Z brings the typo back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from guidestudio.app.main_window import MainWindow
from guidestudio.core.describe.anchors import CODE
from guidestudio.widgets.kit.marks import mark_of
from tests.app.screens import wait_for_canvas

TOOLTIP = "premium-feature-tooltip"
SELECTOR = ("guides", TOOLTIP, "variants", 0, "steps", 0, "anchor", "selector")


def test_a_mistyped_element_in_the_window(window: MainWindow, qtbot) -> None:
    assert window.tree.select("guide", TOOLTIP)
    wait_for_canvas(qtbot, window)
    document = window.document
    assert document is not None
    step = window.current_editor().step_editor
    step.selector.setFocus()
    step.selector.selectAll()
    QTest.keyClicks(step.selector, "#advanced-serch")  # typed, as a marketer would
    QTest.keyClick(step.selector, Qt.Key.Key_Tab)
    assert document.get(SELECTOR) == "#advanced-serch"

    model = window.problems.model
    qtbot.waitUntil(lambda: any(p.code == CODE for p in model.problems), timeout=10_000)
    row = next(r for r, p in enumerate(model.problems) if p.code == CODE)
    assert model.index(row, 2).data().startswith(
        "Step “Advanced search”: element #advanced-serch is not on demo-app.html")
    assert model.index(row, 1).data().endswith("› Step 1 › Anchor › Element")
    qtbot.waitUntil(lambda: mark_of(step.selector) == "warning")

    qtbot.waitUntil(lambda: bool(step.anchor_hint.buttons))
    button = step.anchor_hint.buttons[0]
    assert button.text() == "#advanced-search"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert document.get(SELECTOR) == "#advanced-search"
    qtbot.waitUntil(lambda: not any(p.code == CODE for p in model.problems), timeout=10_000)
    assert mark_of(step.selector) == ""

    QTest.keySequence(window, QKeySequence.StandardKey.Undo)
    assert document.get(SELECTOR) == "#advanced-serch"
    assert step.selector.text() == "#advanced-serch"
    qtbot.waitUntil(lambda: any(p.code == CODE for p in model.problems), timeout=10_000)
