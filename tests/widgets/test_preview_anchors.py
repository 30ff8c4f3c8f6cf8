"""A mistyped element on the real demo page is loud: Problems, the field, the verdict, a fix.

The canvas runs in a real web engine on the bundled host page; the guide editor
is the real inspector on the same document; undo is the document's own stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from guidestudio.core.describe.anchors import CODE
from guidestudio.widgets.kit.marks import mark_of
from tests.widgets.editor_support import guide_editor
from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TOOLTIP,
    doc_fixture,
    dom,
    pane_fixture,
    ready,
)

SELECTOR = ("guides", TOOLTIP, "variants", 0, "steps", 0, "anchor", "selector")
TOUR = "trial-conversion-tour"


def page_problems(doc: Any) -> list[Any]:
    return [p for p in doc.page_problems if p.code == CODE]


def test_a_mistyped_element_is_listed_marked_said_and_fixed_in_one_click(qtbot, pane,
                                                                          doc) -> None:
    pane.set_guide(TOOLTIP)
    surface = ready(qtbot, pane.surface)
    editor = guide_editor(qtbot, doc, TOOLTIP)
    step = editor.step_editor
    undo = doc.undo_stack.createUndoAction(editor)
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    editor.addAction(undo)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.waitUntil(lambda: pane.anchors is not None and pane.anchors.report is not None)
    assert page_problems(doc) == [] and step.anchor_hint.hint is None
    assert mark_of(step.selector) == ""

    doc.set_value(SELECTOR, "#advanced-serch")
    qtbot.waitUntil(lambda: len(page_problems(doc)) == 1, timeout=8000)
    [problem] = page_problems(doc)
    assert problem.message == (
        "Step “Advanced search”: element #advanced-serch is not on demo-app.html — the step is "
        "skipped, so the guide shows nothing. Did you mean #advanced-search?")
    assert (problem.file, problem.field, problem.severity) == (
        "guides/premium-feature-tooltip.yaml", "variants[0].steps[0].anchor.selector", "warning")
    assert problem.line is not None
    # The runtime really left the step out: nothing of the guide is on the page.
    assert dom(qtbot, surface, "document.querySelectorAll('.gs-root').length") == 0
    assert "step_error" in pane.diagnostics.event_names()

    # The verdict no longer promises a guide the page cannot show.
    qtbot.waitUntil(lambda: "would see nothing" in pane.diagnostics.decision.text())
    assert "its element #advanced-serch is not on this page, so the step is skipped" in \
        pane.diagnostics.decision.text()
    assert "would be shown this guide" not in pane.diagnostics.decision.text()
    # …and the canvas itself, where the tooltip is missing, says it first.
    assert pane.anchor_note.isVisible()
    assert pane.anchor_note.text() == (
        "Nothing of this guide shows here. Its element #advanced-serch is not on this "
        'page, so the step is skipped. <a href="0" style="color:#1d4ed8">Use #advanced-search</a>')

    # The inspector: the field is marked, a sentence says why, the page's closest elements.
    qtbot.waitUntil(lambda: mark_of(step.selector) == "warning")
    assert "#advanced-serch is not on demo-app.html" in step.selector.toolTip()
    hint = step.anchor_hint
    assert hint.isVisibleTo(editor)
    assert hint.text.text() == ("Not on demo-app.html — the step is skipped, so the guide shows "
                                "nothing.")
    assert [b.text() for b in hint.buttons] == ["#advanced-search"]
    assert hint.prompt.text() == "Did you mean this one? Click to use it."

    QTest.mouseClick(hint.buttons[0], Qt.MouseButton.LeftButton)
    assert doc.get(SELECTOR) == "#advanced-search" and step.selector.text() == "#advanced-search"
    assert doc.undo_stack.undoText() == "Use element #advanced-search"
    qtbot.waitUntil(lambda: page_problems(doc) == [], timeout=8000)
    qtbot.waitUntil(lambda: mark_of(step.selector) == "" and not hint.isVisibleTo(editor))
    qtbot.waitUntil(lambda: pane.diagnostics.decision.text().endswith(
        "would be shown this guide when its trigger fires."))
    assert dom(qtbot, surface, "document.querySelectorAll('.gs-root').length") == 1
    assert not pane.anchor_note.isVisible()

    step.selector.setFocus()
    QTest.keySequence(editor, QKeySequence.StandardKey.Undo)
    assert doc.get(SELECTOR) == "#advanced-serch" and step.selector.text() == "#advanced-serch"
    qtbot.waitUntil(lambda: len(page_problems(doc)) == 1, timeout=8000)

    # The same fix from the strip over the canvas (its link), undoable the same way.
    qtbot.waitUntil(lambda: "Use #advanced-search" in pane.anchor_note.text())
    pane.anchor_note.linkActivated.emit("0")
    assert doc.get(SELECTOR) == "#advanced-search"
    assert doc.undo_stack.undoText() == "Use element #advanced-search"
    qtbot.waitUntil(lambda: not pane.anchor_note.isVisible(), timeout=8000)
    doc.undo_stack.undo()
    assert doc.get(SELECTOR) == "#advanced-serch"


def test_did_you_mean_on_the_real_host_page_ranks_close_and_stable_selectors(qtbot, pane,
                                                                            doc) -> None:
    """The tour's steps on the demo page: each typo is offered its element first, from the
    picker's rules (ids before classes), and the modal/wait settings are said per step."""
    pane.set_guide(TOUR)
    ready(qtbot, pane.surface)
    doc.set_value(("guides", TOUR, "variants", 0, "steps", 1, "anchor", "selector"),
                  "#share-buton")
    doc.set_value(("guides", TOUR, "variants", 0, "steps", 2, "anchor", "selector"),
                  "#integration-link")
    doc.set_value(("guides", TOUR, "variants", 1, "steps", 1, "anchor", "selector"),
                  ".nav-report")
    qtbot.waitUntil(lambda: len(page_problems(doc)) == 3, timeout=8000)
    hints = {path[3:6]: doc.field_hint(path) for path in (
        ("guides", TOUR, "variants", v, "steps", s, "anchor", "selector")
        for v, s in ((0, 1), (0, 2), (1, 1)))}
    assert hints[(0, "steps", 1)].offers[0] == "#share-button"
    assert hints[(0, "steps", 1)].text == (
        "Not on demo-app.html — the step waits up to 5 s for it, then is skipped.")
    assert hints[(0, "steps", 2)].offers[0] == "#integrations-link"
    assert hints[(0, "steps", 2)].text == (
        "Not on demo-app.html — the step is shown as a modal instead.")
    # No element has that class; the id of the same word is the stable choice.
    assert hints[(1, "steps", 1)].offers[0] == "#nav-reports"
    # Only what is close: "#upload-button" is a different element, not a typo of it.
    assert hints[(0, "steps", 1)].offers == ("#share-button",)

    # Another host page: what the demo page showed no longer applies.
    pane.load_host("about:blank")
    assert page_problems(doc) == []


PAGE = """<!doctype html><html><body>
<button id="save-button">Save</button>
<button id="btn-4f9a2c1d8e" data-testid="cancel">Cancel</button>
<span class="user-name">Ann</span>
<div hidden><button id="save-buttons">Hidden</button></div>
</body></html>
"""


def test_did_you_mean_follows_the_element_pickers_rules(qtbot, pane, doc, tmp_path) -> None:
    """Only selectors the picker would make are offered: a generated id is not (it changes
    with the next build), the test hook of the same element is; hidden elements are not."""
    page = tmp_path / "app.html"
    page.write_text(PAGE, encoding="utf-8")
    pane.set_guide(TOUR)
    surface = ready(qtbot, pane.surface)
    pane.load_host(str(page))
    qtbot.waitUntil(lambda: surface.is_ready and surface.url.fileName() == "app.html")
    typos = {1: "#save-buton", 2: "#btn-4f9a2c1d8f"}
    for step, typo in typos.items():
        doc.set_value(("guides", TOUR, "variants", 0, "steps", step, "anchor", "selector"), typo)
    paths = {step: ("guides", TOUR, "variants", 0, "steps", step, "anchor", "selector")
             for step in typos}
    qtbot.waitUntil(lambda: all(any(f"element {typo} " in p.message for p in page_problems(doc))
                                for typo in typos.values()), timeout=8000)
    assert doc.field_hint(paths[1]).offers == ("#save-button",)  # not the hidden #save-buttons
    assert doc.field_hint(paths[2]).offers == ()
    assert doc.field_hint(paths[2]).text == (
        "Not on app.html — the step is shown as a modal instead.")
    [problem] = [p for p in page_problems(doc) if p.field == "variants[0].steps[1].anchor.selector"]
    assert "element #save-buton is not on app.html" in problem.message
