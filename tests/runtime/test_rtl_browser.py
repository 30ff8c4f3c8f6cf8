"""Right-to-left guides in the real web engine: the example with Arabic (tests/arabic_project.py).

What an Arabic reader would notice, measured on screen: the step is dir="rtl"
and lang="ar"; a tooltip placed "right" shows on its anchor's left with its
arrow on the side facing the anchor; the close button sits at the top left, the
buttons and the progress read from the right ("2 / 4" shows the 2 rightmost);
a banner and a checklist mirror; a placeholder's Latin value keeps its order
inside an Arabic sentence; and an English guide on a right-to-left host page
stays left to right. Both the readable and the shipped runtime run every test.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from guidestudio.core.eligibility import parse_utc
from tests.arabic_project import arabic_project
from tests.runtime.conftest import VIEWPORT, GuidePage, export_example, guide, history_of, rebundle

Bundle = dict[str, Any]
Profiles = dict[str, dict[str, Any]]
STEP = ".gs-root .gs-step"
TOUR = "trial-conversion-tour"
DEC_20 = int(parse_utc("2026-12-20T12:00:00Z") or 0)  # the holiday hotspot's window


@pytest.fixture(scope="session")
def arabic_bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    return export_example(arabic_project(tmp_path_factory.mktemp("arabic")))


def start(browser: GuidePage, bundle: Bundle, profiles: Profiles, profile_id: str,
          locale: str = "ar", **kwargs: Any) -> None:
    browser.load("/files")
    profile = profiles[profile_id]
    browser.start(bundle, profile["attributes"], history=history_of(profile), locale=locale,
                  **kwargs)


def close_to(a: float, b: float, tolerance: float = 1.5) -> bool:
    return abs(a - b) <= tolerance


def centre_x(rect: dict[str, float]) -> float:
    return rect["left"] + rect["width"] / 2


def centre_y(rect: dict[str, float]) -> float:
    return rect["top"] + rect["height"] / 2


def glyphs(browser: GuidePage, selector: str) -> list[tuple[str, float]]:
    """Each character of the element's text with the x of its centre on screen, in text order."""
    found = browser.run(
        f"const e = document.querySelector({json.dumps(selector)}), out = [];"
        "const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);"
        "for (let n; (n = walk.nextNode());) for (let i = 0; i < n.length; i++) {"
        " const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);"
        " const b = r.getBoundingClientRect(); out.push([n.data[i], b.left + b.width / 2]); }"
        "return out;")
    return [(char, x) for char, x in found]


def reads_right_to_left(browser: GuidePage, selector: str) -> bool:
    """The element's non-blank characters stand on screen from right to left in text order."""
    xs = [x for char, x in glyphs(browser, selector) if char.strip()]
    return len(xs) > 1 and all(a > b for a, b in zip(xs, xs[1:], strict=False))


def text_box(browser: GuidePage, selector: str) -> dict[str, float]:
    """Where the element's text is drawn (its line boxes), not the element's own box."""
    return browser.run(
        f"const r = document.createRange(); r.selectNodeContents(document.querySelector("
        f"{json.dumps(selector)})); const b = r.getBoundingClientRect();"
        "return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};")


def step_at(browser: GuidePage, index: int) -> None:
    browser.wait_for(f"document.querySelector('{STEP}') && gs && "
                     f"document.querySelector('{STEP} [data-gs-progress]').textContent.startsWith("
                     f"'{index + 1} ')")


# ---------------------------------------------------------------------------
# A walkthrough in Arabic
# ---------------------------------------------------------------------------


def test_an_arabic_walkthrough_reads_from_the_right_step_by_step(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    start(browser, arabic_bundle, profiles, "noah-trial-new")  # the 4-step variant
    root = browser.run(f"const s = document.querySelector('{STEP}');"
                       "return [s.dir, s.lang, getComputedStyle(s).direction];")
    assert root == ["rtl", "ar", "rtl"]
    assert browser.text(".gs-title") == "مرحبًا بك في Acme Cloud يا Noah!"
    assert browser.js("document.querySelector('[data-gs-close]').getAttribute('aria-label')") == "إغلاق"

    for index, anchor, side in [(0, None, None), (1, "#nav-reports", "bottom"),
                                (2, "#share-button", "bottom"), (3, "#integrations-link", "top")]:
        step, close = browser.box(STEP), browser.box(f"{STEP} [data-gs-close]")
        # the close button at the top left; the title's text starts at the right
        assert close_to(close["left"], step["left"] + 9) and close["top"] < step["top"] + 12
        title = text_box(browser, f"{STEP} .gs-title")
        assert title["right"] > step["right"] - 30 > title["left"]
        # the progress at the right end of the footer, its numbers read from the right ("2 / 4")
        count = browser.box(f"{STEP} [data-gs-progress]")
        assert close_to(count["right"], title["right"], 2)
        assert browser.text(f"{STEP} [data-gs-progress]") == f"{index + 1} / 4"
        assert reads_right_to_left(browser, f"{STEP} [data-gs-progress]")
        # the buttons in mirrored order: the first written (Show me around, Back) on the right
        first, second = browser.box(f"{STEP} [data-gs-action='0']"), browser.box(f"{STEP} [data-gs-action='1']")
        assert count["left"] > first["right"] and first["left"] > second["right"]
        if anchor is not None:
            # top and bottom do not mirror; the arrow still points at the anchor's centre
            target, arrow = browser.box(anchor), browser.box(f"{STEP} .gs-arrow")
            assert browser.js(f"document.querySelector('{STEP}').dataset.gsPlacement") == side
            assert close_to(centre_x(arrow), centre_x(target), 2)
            assert step["top"] > target["bottom"] if side == "bottom" else step["bottom"] < target["top"]
        browser.click(f"{STEP} [data-gs-action='{0 if index == 0 else 1}']")  # Show me around, Next
    assert {p.get("locale") for _, p in browser.events()} == {"ar"}


# ---------------------------------------------------------------------------
# Placement "right" mirrors
# ---------------------------------------------------------------------------


MODIFIED = "thead th:nth-child(3)"  # the file list's "Modified" heading: room on both sides


def share_step_placed(bundle: Bundle, placement: str, selector: str = MODIFIED) -> Bundle:
    """The tour's share step (step 3 of the full variant) placed ``placement`` of ``selector``."""
    def mutate(out: Bundle) -> None:
        full = next(v for v in guide(out, TOUR)["variants"] if v["key"] == "full")
        full["steps"][2]["anchor"].update(placement=placement, selector=selector)
    return rebundle(bundle, mutate)


def show_share_step(browser: GuidePage, bundle: Bundle, profiles: Profiles, locale: str) -> None:
    start(browser, bundle, profiles, "marcus-pro-sharer", locale=locale)  # sees no guide at first
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', step: 2, locale: '{locale}'}});")
    browser.wait_for(f"document.querySelector('{STEP}[data-gs-step=share][data-gs-placement]')")


def test_a_tooltip_placed_right_shows_on_its_anchors_left_in_arabic_arrow_towards_it(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    bundle = share_step_placed(arabic_bundle, "right")
    show_share_step(browser, bundle, profiles, "ar")
    anchor, step, arrow = browser.box(MODIFIED), browser.box(STEP), browser.box(f"{STEP} .gs-arrow")
    assert browser.js(f"document.querySelector('{STEP}').dataset.gsPlacement") == "left"
    assert close_to(step["right"], anchor["left"] - 8)  # the step's offset
    # the arrow on the step's right edge, sticking out towards the anchor, level with its centre
    assert step["right"] - 2 < centre_x(arrow) < anchor["left"]
    assert arrow["right"] > step["right"] + 4
    assert close_to(centre_y(arrow), centre_y(anchor), 2)
    # the arrow's two visible borders face the anchor: those of its right corner (rotated 45°)
    assert browser.run(f"const s = getComputedStyle(document.querySelector('{STEP} .gs-arrow'));"
                       "return [s.borderTopWidth, s.borderRightWidth, s.borderBottomWidth,"
                       " s.borderLeftWidth];") == ["1px", "1px", "0px", "0px"]

    # the same step in English stays on the right, as written
    show_share_step(browser, bundle, profiles, "en")
    anchor, step, arrow = browser.box(MODIFIED), browser.box(STEP), browser.box(f"{STEP} .gs-arrow")
    assert browser.js(f"document.querySelector('{STEP}').dataset.gsPlacement") == "right"
    assert close_to(step["left"], anchor["right"] + 8)
    assert anchor["right"] < centre_x(arrow) < step["left"] + 2


def test_a_right_placed_arabic_tooltip_without_room_on_the_left_flips_to_the_right(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    # the "Files" link is the first thing in the top bar: nothing fits on its left
    show_share_step(browser, share_step_placed(arabic_bundle, "right", "#nav-files"), profiles, "ar")
    anchor, step = browser.box("#nav-files"), browser.box(STEP)
    assert browser.js(f"document.querySelector('{STEP}').dataset.gsPlacement") == "right"
    assert close_to(step["left"], anchor["right"] + 8)


def test_an_arabic_hotspot_beacon_sits_on_the_anchors_top_left_corner(
        browser: GuidePage, arabic_bundle: Bundle) -> None:
    browser.load("/files")
    user = {"id": "u-3000", "first_name": "Ada", "plan": "free", "role": "member",
            "storage_used_pct": 10}
    browser.start(arabic_bundle, user, locale="ar", now=DEC_20)  # the holiday draft's schedule
    browser.wait_for("document.querySelector('.gs-beacon')")
    beacon, anchor = browser.box(".gs-beacon"), browser.box("#upgrade-button")
    assert close_to(centre_x(beacon), anchor["left"]) and close_to(centre_y(beacon), anchor["top"])
    browser.click(".gs-beacon")
    assert browser.text(f"{STEP} .gs-title") == "عرض العطلات: خصم 40% على Pro"


# ---------------------------------------------------------------------------
# Banner and checklist
# ---------------------------------------------------------------------------


def test_an_arabic_banner_mirrors_its_text_buttons_and_close_button(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    # an Egyptian reader: ar-EG falls back to the bundle's ar (resolveLocale), right to left
    start(browser, arabic_bundle, profiles, "emma-free-storage-full", locale="ar-EG")  # variant a
    assert browser.js(f"document.querySelector('{STEP}').lang") == "ar"
    assert browser.js(f"getComputedStyle(document.querySelector('{STEP}')).direction") == "rtl"
    step = browser.box(STEP)
    assert (step["top"], step["left"], step["width"]) == (0, 0, browser.js("document.documentElement.clientWidth"))
    close, content = browser.box(f"{STEP} [data-gs-close]"), browser.box(f"{STEP} .gs-content")
    footer = browser.box(f"{STEP} .gs-footer")
    assert close["left"] < 24  # at the left end, its 56 px of room there
    assert close_to(content["right"], step["right"] - 20) and footer["right"] <= content["left"]
    upgrade, later = browser.box(f"{STEP} [data-gs-action='0']"), browser.box(f"{STEP} [data-gs-action='1']")
    assert upgrade["left"] > later["right"]
    assert later["left"] > close["right"]


def test_an_arabic_checklist_sits_at_the_bottom_left_with_ticks_on_the_right(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    start(browser, arabic_bundle, profiles, "sofia-free-new")
    step = browser.box(STEP)
    # display.position bottom-right mirrors: where an Arabic reader's eye starts is the right...
    # of the text; the panel goes to the opposite corner from an English one, the bottom left
    assert close_to(step["left"], 16) and close_to(step["bottom"], VIEWPORT[1] - 16)
    assert close_to(browser.box(f"{STEP} [data-gs-close]")["left"], step["left"] + 9)
    item = f"{STEP} [data-gs-item=upload-first-file]"
    check, label = browser.box(f"{item} .gs-check"), browser.box(f"{item} .gs-item-text")
    assert check["left"] > label["right"]  # the tick circle first, at the right
    browser.run("gs.track('file_uploaded');")
    assert browser.text("[data-gs-checklist-progress]") == "1 / 5"
    assert reads_right_to_left(browser, "[data-gs-checklist-progress]")


def test_an_arabic_survey_scale_runs_from_zero_at_the_right(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    start(browser, arabic_bundle, profiles, "marcus-pro-sharer")
    browser.run("gs.show('nps-survey', {locale: 'ar'});")
    browser.wait_for(f"document.querySelector('{STEP}[data-gs-step=nps]')")
    zero, ten = browser.box("[data-gs-score='0']"), browser.box("[data-gs-score='10']")
    low, high = browser.box(".gs-scale-low"), browser.box(".gs-scale-high")
    assert zero["left"] > ten["right"] and low["left"] > high["right"]  # 0 and its label at the right
    assert close_to(zero["right"], low["right"])
    submit, step = browser.box("[data-gs-submit]"), browser.box(STEP)
    assert submit["left"] < step["left"] + 40  # the form's button at its end: the left
    assert browser.text("[data-gs-submit]") == "إرسال"


# ---------------------------------------------------------------------------
# Bidi isolation and the host page's direction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Acme, Inc.", "C++"])
def test_a_latin_placeholder_value_keeps_its_order_inside_arabic_text(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles, name: str) -> None:
    profile = profiles["emma-free-storage-full"]
    browser.load("/files")
    browser.start(arabic_bundle, {**profile["attributes"], "first_name": name},
                  history=history_of(profile), locale="ar")
    span = f"{STEP} .gs-body [data-gs-attr=first_name]"
    assert browser.text(span) == name
    # as written, left to right: its trailing "." or "++" stays at its right end instead of
    # jumping to the far side of the name, as it would with the sentence's direction
    xs = [x for char, x in glyphs(browser, span) if char.strip()]
    assert xs == sorted(xs), glyphs(browser, span)
    # and the number placeholder reads 93, not 39
    number = glyphs(browser, f"{STEP} .gs-body [data-gs-attr=storage_used_pct]")
    assert [char for char, _ in sorted(number, key=lambda glyph: glyph[1])] == ["9", "3"]


def test_an_english_guide_on_a_right_to_left_page_stays_left_to_right(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    browser.load("/files")
    browser.run("document.documentElement.dir = 'rtl';")  # a product shown in Arabic, say
    profile = profiles["noah-trial-new"]
    browser.start(arabic_bundle, profile["attributes"], history=history_of(profile), locale="en")
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', step: 1, locale: 'en'}});")  # Back, Next
    browser.wait_for(f"document.querySelector('{STEP}[data-gs-step=reports]')")
    assert browser.js(f"getComputedStyle(document.querySelector('{STEP}')).direction") == "ltr"
    step, close = browser.box(STEP), browser.box(f"{STEP} [data-gs-close]")
    assert close_to(close["right"], step["right"] - 9)
    count = browser.box(f"{STEP} [data-gs-progress]")
    back, next_ = browser.box(f"{STEP} [data-gs-action='0']"), browser.box(f"{STEP} [data-gs-action='1']")
    assert count["right"] < back["left"] and back["right"] < next_["left"]
    assert close_to(count["left"], step["left"] + 21)  # the step's padding


def test_an_english_text_standing_in_for_a_missing_arabic_one_keeps_its_own_direction(
        browser: GuidePage, arabic_bundle: Bundle, profiles: Profiles) -> None:
    # The win-back modal has no Arabic: an Arabic reader gets its English, inside a step laid
    # out right to left. "Sync was slow. We rebuilt it." must still read as written, its full
    # stop at the right end, not thrown to the left by the step's direction.
    start(browser, arabic_bundle, profiles, "marcus-pro-sharer")
    browser.run("gs.show('win-back-inactive', {locale: 'ar'});")
    browser.wait_for(f"document.querySelector('{STEP}[data-gs-step=sync-rebuilt]')")
    assert browser.js(f"getComputedStyle(document.querySelector('{STEP}')).direction") == "rtl"
    assert browser.text(f"{STEP} .gs-title") == "Sync was slow. We rebuilt it."
    title = [(char, x) for char, x in glyphs(browser, f"{STEP} .gs-title") if char.strip()]
    assert [x for _, x in title] == sorted(x for _, x in title), title  # left to right
    assert max(title, key=lambda glyph: glyph[1])[0] == "."
    # a screen reader is told it is English, and so reads it with an English voice
    wrapper = browser.run(f"const e = document.querySelector('{STEP} .gs-title [lang]');"
                          "return e && [e.lang, getComputedStyle(e).direction];")
    assert wrapper == ["en", "ltr"]
    # the body too: its last line ends at the right with "on us."
    body = [(char, x) for char, x in glyphs(browser, f"{STEP} .gs-body p:last-child")
            if char.strip()]
    (s, s_x), (stop, stop_x) = body[-2], body[-1]
    assert (s, stop) == ("s", ".") and stop_x > s_x  # right of "us", not at the line's far end
    # lined up with the title at the step's right side, as the rest of the Arabic layout
    title_box, body_box = text_box(browser, f"{STEP} .gs-title"), text_box(browser, f"{STEP} .gs-body")
    assert close_to(body_box["right"], title_box["right"], 2)
    # every English text of the step is marked (title, body, the three buttons)...
    assert browser.js(f"document.querySelectorAll('{STEP} [lang=en]').length") == 5
    # ...and a translated guide's texts are not
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', locale: 'ar'}});")
    browser.wait_for(f"document.querySelector('{STEP}[data-gs-step=welcome]')")
    assert browser.js(f"document.querySelectorAll('{STEP} [lang]').length") == 0
