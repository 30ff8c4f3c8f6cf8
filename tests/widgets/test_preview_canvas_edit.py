"""Editing texts on the canvas, in the real web engine: real clicks and key presses.

What is asserted is what a marketer notices: the text typed is in the document
as the Markdown they would have written (bold, italic, links, placeholders),
typing is one undo step, Undo puts the canvas back, the inspector and the
canvas show the same step, and nothing of the editor reaches a bundle.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from guidestudio.core.bundle.compiler import compile_project
from guidestudio.core.bundle.export import export_project
from guidestudio.widgets.kit.form_kit import GuideContext
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

CHECKLIST = "onboarding-checklist"
BODY = ("guides", TOUR, "variants", 0, "steps", 0, "body", "en")
STATE_JS = "JSON.stringify(window.__gsEdit.state())"
PROGRESS_JS = "(function(){var p=document.querySelector('[data-gs-progress]');" \
              "return p ? p.textContent.trim() : null;})()"
EDITOR_MARKUP = ("contenteditable", "data-gs-field", "data-gs-chip", "data-gs-src",
                 "data-gs-editor", "data-gs-edit")


def shown(qtbot: Any, pane: Any, guide: str = TOUR) -> Any:
    """The guide on the canvas, zoomed to where it stays (clicks land where they aim)."""
    pane.set_guide(guide)
    surface = ready(qtbot, pane.surface)
    dom_until(qtbot, surface, "document.querySelectorAll('[data-gs-field]').length", bool)
    qtbot.waitUntil(lambda: surface.guide_box is not None)
    dom_until(qtbot, surface, "window.innerWidth", lambda w: w == surface.device[0])
    return surface


def state(qtbot: Any, surface: Any) -> dict[str, Any] | None:
    result = json.loads(dom(qtbot, surface, STATE_JS) or "null")
    return result if isinstance(result, dict) else None


def settled(qtbot: Any, pane: Any) -> dict[str, Any]:
    """Wait until the document has every keystroke and the canvas shows its rendering."""
    answer: list[Any] = []

    def done() -> bool:
        current = state(qtbot, pane.surface)
        answer[:] = [current]
        return current is not None and not pane.live.pending and \
            current["seq"] == pane.editor.ack == current["rendered"]

    qtbot.waitUntil(done, timeout=8000)
    return answer[0]


def click(qtbot: Any, surface: Any, css: str, where: str = "left",
          element: str = "document.querySelector({})") -> None:
    """A real mouse click on an element of the page, through the view's input widget."""
    rect = json.loads(dom(qtbot, surface, "(function(){var r=" + element.format(json.dumps(css))
                          + ".getBoundingClientRect();return JSON.stringify("
                          "[r.left,r.top,r.width,r.height]);})()"))
    x = rect[0] + (2 if where == "left" else rect[2] - 2 if where == "right" else rect[2] / 2)
    y = rect[1] + rect[3] / 2
    zoom = surface.view.zoomFactor()
    point = QPoint(round(x * zoom), round(y * zoom))
    target = surface.view.focusProxy()
    QTest.mouseMove(target, point)
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def keys(surface: Any, text: str) -> None:
    QTest.keyClicks(surface.view.focusProxy(), text)


def key(surface: Any, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
    QTest.keyClick(surface.view.focusProxy(), k, modifier)


def written(qtbot: Any, doc: Any, path: tuple[Any, ...], expected: str) -> None:
    """Wait for the document to hold ``expected`` at ``path`` (and say what it holds if not)."""
    try:
        qtbot.waitUntil(lambda: doc.get(path) == expected, timeout=8000)
    except qtbot.TimeoutError:
        raise AssertionError(f"{doc.get(path)!r} != {expected!r}") from None


def focus(qtbot: Any, pane: Any) -> None:
    pane.activateWindow()
    pane.surface.view.focusProxy().setFocus()
    qtbot.waitUntil(lambda: pane.surface.view.focusProxy().hasFocus())


def test_typing_in_a_title_is_one_undo_step_and_undo_restores_the_canvas(qtbot, pane,
                                                                          doc) -> None:
    surface = shown(qtbot, pane)
    before = doc.get(title_path())
    shown_before = dom(qtbot, surface, TITLE_JS)
    steps = doc.undo_stack.count()
    focus(qtbot, pane)
    click(qtbot, surface, ".gs-root .gs-title", where="right")
    dom_until(qtbot, surface, STATE_JS, lambda s: json.loads(s or "null") is not None)
    key(surface, Qt.Key.Key_End)
    keys(surface, " Enjoy")
    written(qtbot, doc, title_path(), before + " Enjoy")
    settled(qtbot, pane)
    assert doc.undo_stack.count() == steps + 1, [  # six keystrokes, one step
        doc.undo_stack.text(i) for i in range(doc.undo_stack.count())]
    assert doc.undo_stack.undoText() == "Edit title (en)"
    assert dom(qtbot, surface, TITLE_JS) == shown_before + " Enjoy"
    assert dom(qtbot, surface, "document.querySelector('.gs-title').isContentEditable")

    key(surface, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z in the text
    written(qtbot, doc, title_path(), before)
    dom_until(qtbot, surface, TITLE_JS, lambda t: t == shown_before)
    keys(surface, "!")  # still editing, at the end of the restored text
    written(qtbot, doc, title_path(), before + "!")


def test_bold_italic_link_and_placeholder_are_stored_as_markdown(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    focus(qtbot, pane)
    click(qtbot, surface, ".gs-root .gs-body")
    dom_until(qtbot, surface, STATE_JS, lambda s: "body" in (s or ""))
    key(surface, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # all of it
    # Keys reach the page in order; a script call does not wait for them: wait in between.
    keys(surface, "Hello ")
    key(surface, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys(surface, "world")
    written(qtbot, doc, BODY, "Hello **world**")
    key(surface, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    keys(surface, " and ")
    key(surface, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    keys(surface, "more")
    key(surface, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    keys(surface, " in the docs")
    written(qtbot, doc, BODY, "Hello **world** and *more* in the docs")
    settled(qtbot, pane)
    end = len("Hello world and more in the docs")
    dom(qtbot, surface, f"window.__gsEdit.select({end - 4}, {end})")
    assert dom(qtbot, surface, "window.__gsEdit.link('https://docs.example.com/tour')")
    docs = "Hello **world** and *more* in the [docs](https://docs.example.com/tour)"
    written(qtbot, doc, BODY, docs)
    settled(qtbot, pane)
    key(surface, Qt.Key.Key_End)
    keys(surface, ", ")
    written(qtbot, doc, BODY, docs + ", ")
    settled(qtbot, pane)
    dom(qtbot, surface, "window.__gsEdit.placeholder('first_name', 'friend')")
    written(qtbot, doc, BODY, docs + ", {{first_name|friend}}")
    settled(qtbot, pane)
    keys(surface, "!")
    written(qtbot, doc, BODY, docs + ", {{first_name|friend}}!")
    settled(qtbot, pane)
    html = dom(qtbot, surface, "document.querySelector('.gs-body').innerHTML")
    assert "<strong>world</strong>" in html and "<em>more</em>" in html
    assert 'href="https://docs.example.com/tour"' in html
    assert dom(qtbot, surface, "document.querySelector('.gs-body').textContent") == \
        "Hello world and more in the docs, Emma!"  # the sample user's name in the chip

    key(surface, Qt.Key.Key_Escape)  # done: the product's rendering, nothing of the editor
    dom_until(qtbot, surface, STATE_JS, lambda s: json.loads(s or "null") is None)
    assert dom(qtbot, surface, TITLE_JS)  # Escape ended the editing, not the guide
    for name in EDITOR_MARKUP:
        assert name not in doc.get(BODY)
    bundle = json.dumps(compile_project(doc.project, include_drafts=True))
    assert "Hello <strong>world</strong> and <em>more</em>" in bundle
    for name in EDITOR_MARKUP:
        assert name not in bundle, name
    doc.save()
    result = export_project(doc.root, None, environment="staging", include_drafts=True)
    assert result.ok and result.bundle is not None
    saved = json.dumps(result.bundle)
    assert "{{first_name|friend}}" not in saved and 'data-gs-attr=\\"first_name\\">friend' in saved
    for name in EDITOR_MARKUP:
        assert name not in saved, name


def test_typed_markdown_characters_stay_text(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    focus(qtbot, pane)
    assert dom(qtbot, surface, "window.__gsEdit.begin('title')")
    length = len(dom(qtbot, surface, "document.querySelector('.gs-title').textContent"))
    dom(qtbot, surface, f"window.__gsEdit.select(0, {length})")
    keys(surface, "Save 20% on *all* plans_now [today](x) 5 * 3")
    qtbot.waitUntil(lambda: "5 * 3" in doc.get(title_path()))
    settled(qtbot, pane)
    # Escapes only where Markdown would otherwise format: what is shown is what was typed.
    assert doc.get(title_path()) == r"Save 20% on *all\* plans_now [today\](x) 5 * 3"
    assert dom(qtbot, surface, TITLE_JS) == "Save 20% on *all* plans_now [today](x) 5 * 3"


def test_a_text_the_canvas_cannot_keep_exactly_is_left_to_the_inspector(qtbot, pane,
                                                                        doc) -> None:
    doc.set_value(BODY, "Two things:\n\n* upload a file\n* invite a teammate")
    surface = shown(qtbot, pane)
    focus(qtbot, pane)
    assert dom(qtbot, surface, "window.__gsEdit.begin('body')")
    dom_until(qtbot, surface, STATE_JS, lambda s: json.loads(s or "null") is None)  # refused
    note = "window.__gsEdit.bar().$('.note').textContent"
    assert "inspector" in dom(qtbot, surface, note)
    keys(surface, "x")
    assert doc.get(BODY) == "Two things:\n\n* upload a file\n* invite a teammate"
    # Escapes the rendering does not need are not a reason to refuse: snake_case stays.
    doc.set_value(BODY, "Rename snake_case_files and 5 * 3 items.")
    dom_until(qtbot, surface, "document.querySelector('.gs-body').textContent",
              lambda t: "snake_case" in (t or ""))
    assert dom(qtbot, surface, "window.__gsEdit.begin('body')")
    dom_until(qtbot, surface, STATE_JS, lambda s: '"checking":false' in (s or ""))
    keys(surface, " Now.")
    written(qtbot, doc, BODY, "Rename snake_case_files and 5 * 3 items. Now.")


def test_buttons_items_and_questions_are_edited_not_pressed(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    focus(qtbot, pane)
    click(qtbot, surface, ".gs-root [data-gs-action='0']", where="right")  # "Show me around"
    dom_until(qtbot, surface, STATE_JS, lambda s: "button.0" in (s or ""))
    key(surface, Qt.Key.Key_End)
    keys(surface, " now")
    label = ("guides", TOUR, "variants", 0, "steps", 0, "buttons", 0, "label", "en")
    written(qtbot, doc, label, "Show me around now")
    assert dom(qtbot, surface, PROGRESS_JS) == "1 / 3"  # the click did not go to step 2

    shown(qtbot, pane, CHECKLIST)
    focus(qtbot, pane)
    click(qtbot, surface, ".gs-root [data-gs-item='invite-teammate'] .gs-item-label",
          where="right")
    dom_until(qtbot, surface, STATE_JS, lambda s: "item.invite-teammate.label" in (s or ""))
    key(surface, Qt.Key.Key_End)
    keys(surface, " or two")
    item = ("guides", CHECKLIST, "variants", 0, "steps", 0, "items", 1, "label", "en")
    written(qtbot, doc, item, "Invite a teammate or two")
    assert surface.page.url().fileName() == "demo-app.html"  # the item's link was not followed

    shown(qtbot, pane, "nps-survey")
    focus(qtbot, pane)
    click(qtbot, surface, ".gs-root .gs-question", where="right")
    dom_until(qtbot, surface, STATE_JS, lambda s: "survey.question" in (s or ""))
    key(surface, Qt.Key.Key_End)
    keys(surface, " Be honest.")
    question = ("guides", "nps-survey", "variants", 0, "steps", 0, "survey", "question", "en")
    written(qtbot, doc, question, "How likely are you to recommend Acme Cloud to a friend or "
            "colleague? Be honest.")


def test_another_language_is_edited_in_that_language(qtbot, pane, doc) -> None:
    ja = title_path(step=1, locale="ja")
    doc.clear_value(ja)  # step 2 has no Japanese title: the English one is shown
    surface = shown(qtbot, pane)
    pane.controls.locale.setCurrentIndex(pane.controls.locale.findData("ja"))
    pane.show_step(1)
    dom_until(qtbot, surface, TITLE_JS, lambda t: t == "Share with one click")
    focus(qtbot, pane)
    assert dom(qtbot, surface, "window.__gsEdit.begin('title')")
    note = "window.__gsEdit.bar().$('.note').textContent"
    assert "ja" in dom(qtbot, surface, note)
    length = len("Share with one click")
    dom(qtbot, surface, f"window.__gsEdit.select(0, {length})")
    keys(surface, "Kyouyuu")
    written(qtbot, doc, ja, "Kyouyuu")
    assert doc.get(title_path(step=1)) == "Share with one click"  # English untouched


def test_the_canvas_and_the_inspector_select_the_same_step(qtbot, pane, doc) -> None:
    ctx = GuideContext(doc)
    ctx.select(TOUR, variant=0, step=0)
    surface = shown(qtbot, pane)
    pane.link_selection(ctx)
    ctx.select(step=2)  # the inspector picks step 3: the canvas shows it
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "3 / 3")
    pane.controls.back.click()  # the step bar on the canvas
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "2 / 3")
    qtbot.waitUntil(lambda: ctx.step == 1)
    ctx.select(variant=1, step=3)  # another variant in the inspector
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "4 / 4")
    assert pane.variant() == "full"
    ctx.select(step=0)
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "1 / 4")
    with qtbot.waitSignal(pane.stepSelected) as selected:  # a click on the step on the canvas
        click(qtbot, surface, ".gs-root .gs-step", where="middle")
    assert selected.args == [1, 0] and (ctx.variant, ctx.step) == (1, 0)

    pane.set_guide(None)
    ctx.select(TOUR, variant=0, step=2)  # e.g. a problem in step 3 chosen, then the canvas
    pane.set_guide(TOUR)
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "3 / 3")
    assert (ctx.variant, ctx.step) == (0, 2)

    other = GuideContext(doc)  # another inspector (another project window) takes over
    other.select(TOUR, variant=0, step=2)
    pane.link_selection(other)
    pane.previous_step()
    qtbot.waitUntil(lambda: other.step == 1)
    assert ctx.step == 2  # the first one is no longer driven


def test_the_formatting_bar_links_and_personalizes_with_clicks(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    focus(qtbot, pane)
    assert dom(qtbot, surface, "window.__gsEdit.begin('body')")
    dom(qtbot, surface, "window.__gsEdit.select(0, 3)")  # "Let"
    in_bar = "window.__gsEdit.bar().$({})"
    click(qtbot, surface, "[data-cmd=link]", "middle", in_bar)
    dom_until(qtbot, surface, "document.activeElement.getAttribute('data-gs-editor')",
              lambda v: v == "bar")  # the address field has the keys now
    keys(surface, "https://acme.example/tour")
    key(surface, Qt.Key.Key_Return)
    body = doc.get(BODY)
    written(qtbot, doc, BODY, "[Let](https://acme.example/tour)" + body[3:])
    settled(qtbot, pane)
    key(surface, Qt.Key.Key_End)  # the caret is back in the text
    click(qtbot, surface, "[data-cmd=placeholder]", "middle", in_bar)
    dom_until(qtbot, surface, in_bar.format('"[data-in=attr]"') + ".value",
              lambda v: v == "first_name")
    key(surface, Qt.Key.Key_Tab)  # to "If unknown, show…"
    keys(surface, "friend")
    key(surface, Qt.Key.Key_Return)
    written(qtbot, doc, BODY, "[Let](https://acme.example/tour)" + body[3:] +
            "{{first_name|friend}}")
    assert "Emma" in dom(qtbot, surface, "document.querySelector('.gs-body').textContent")
