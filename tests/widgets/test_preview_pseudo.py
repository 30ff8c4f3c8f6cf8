"""Pseudo-localisation on the canvas, in the real web engine, and text that overflows its box."""

from __future__ import annotations

from typing import Any

from guidestudio.core.l10n.overflow import Overflow
from guidestudio.core.l10n.pseudo import PSEUDO_LOCALE, PSEUDO_NAME
from guidestudio.widgets.preview.overflow_check import measure_overflow
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

STEP_TEXT_JS = "(function(){var s=document.querySelector('.gs-root .gs-step');" \
               "return s && s.getClientRects().length ? s.innerText : null;})()"
#: Guides whose first step is not on screen when the canvas opens: a hotspot waits for its
#: beacon to be clicked.
HIDDEN_AT_FIRST = {"holiday-promo-draft"}


def choose(combo: Any, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def overflows(qtbot: Any, surface: Any) -> list[Overflow]:
    with qtbot.waitCallback(timeout=5000) as callback:
        measure_overflow(surface, callback)
    return callback.args[0]


def test_pseudo_is_a_language_of_the_canvas_only(qtbot, pane, doc) -> None:
    c = pane.controls
    pane.set_guide(TOUR)
    index = c.locale.findData(PSEUDO_LOCALE)
    assert c.locale.itemText(index) == PSEUDO_NAME
    assert PSEUDO_LOCALE not in doc.project.settings.locales
    choose(c.locale, PSEUDO_LOCALE)
    surface = ready(qtbot, pane.surface)
    title = dom_until(qtbot, surface, TITLE_JS, lambda t: bool(t) and t.startswith("["))
    english = doc.project.guides[TOUR].variants[0].steps[0].title["en"]
    assert title.endswith("]") and "·" in title
    assert "Emma" in title and "{{" not in title  # the placeholder still filled by the runtime
    assert 1.25 * len(english.replace("{{first_name|there}}", "Emma")) < len(title)
    # an edit of the English shows at once in pseudo; nothing is written in the pseudo locale
    doc.set_value(title_path(), "Hello {{first_name|there}}, a new title")
    assert "ñéŵ ţîţļé" in dom_until(qtbot, surface, TITLE_JS, lambda t: "ñéŵ" in (t or ""))
    assert set(doc.project.guides[TOUR].variants[0].steps[0].title) == {"en", "ja"}


def test_no_example_guide_overflows_on_a_phone_in_pseudo(qtbot, pane, doc) -> None:
    """Done-when of issue 16, item 5: measured, every step of every example guide shown on a
    phone (390×844) in pseudo fits its box — the theme wraps titles and buttons."""
    choose(pane.controls.locale, PSEUDO_LOCALE)
    choose(pane.controls.device, "phone")
    measured = 0
    for gid in sorted(set(doc.project.guides) - HIDDEN_AT_FIRST):
        pane.set_guide(gid)
        surface = ready(qtbot, pane.surface)
        total = len(doc.project.guides[gid].variants[0].steps)
        for step in range(total):
            pane.show_step(step)
            qtbot.waitUntil(lambda step=step: pane.current_step() == step)
            dom_until(qtbot, surface, STEP_TEXT_JS, lambda t: bool(t) and "·" in t)
            assert overflows(qtbot, surface) == [], (gid, step)
            measured += 1
    assert measured >= 10  # 11 steps of 9 guides today


def test_text_too_long_for_a_phone_is_a_problem_in_words(qtbot, pane, doc) -> None:
    choose(pane.controls.device, "phone")
    pane.set_guide(TOUR)
    surface = ready(qtbot, pane.surface)
    dom_until(qtbot, surface, TITLE_JS, bool)
    assert overflows(qtbot, surface) == []
    long_body = "\n\n".join(f"Paragraph {i} of a text nobody will read on a phone." for i in range(40))
    doc.set_value(("guides", TOUR, "variants", 0, "steps", 0, "body", "en"), long_body)
    qtbot.waitUntil(lambda: any(p.code == "text-overflow" for p in doc.page_problems), timeout=8000)
    [problem] = [p for p in doc.page_problems if p.code == "text-overflow"]
    name = doc.project.guides[TOUR].name
    assert problem.severity == "warning"
    assert f"“{name}”, step 1, in English (en) on a phone" in problem.message
    assert "scroll" in problem.message
    # undo the long text: it fits again and the problem goes
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: not any(p.code == "text-overflow" for p in doc.page_problems),
                    timeout=8000)


def test_a_checklist_item_that_is_cut_is_quoted_by_its_label(qtbot, pane, doc) -> None:
    """Each item also holds "Not done" / "Done" for screen readers (issue 17, item 9): the
    warning quotes what the marketer wrote, not those words."""
    pane.set_guide("onboarding-checklist")
    surface = ready(qtbot, pane.surface)
    dom_until(qtbot, surface, "!!document.querySelector('.gs-root [data-gs-item]')", bool)
    dom(qtbot, surface, "(() => { const s = document.createElement('style');"
        " s.textContent = '.gs-root [data-gs-item] { height: 8px; overflow: hidden; }';"
        " document.head.append(s); return true; })()")
    items = [found for found in overflows(qtbot, surface) if found.part == "item"]
    assert items and items[0].how == "cut"
    assert items[0].text == "Upload your first file"
