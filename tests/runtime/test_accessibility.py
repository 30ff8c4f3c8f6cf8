"""Guides that assistive technology and keyboards can use, in the real web engine (issue 17, item 9).

What a held-out audit (axe-core and keyboard checks in a real browser) found, each checked here
the way it was found: axe-core's rules on every guide state of the example bundle, real Tab and
Escape presses through Qt, what has the focus after every way a step closes or a walkthrough moves
on, in every layout; where a guide sits in the tab order; what a screen reader is given to read
(accessible names as axe computes them, states, alerts, languages); and the light theme's focus
ring and beacon against the card, measured from the engine's computed styles. Both the readable
and the shipped (minified) runtime run every test. Nothing sleeps: every wait polls the page.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt

from guidestudio.core.css_color import contrast_ratio, parse_color
from guidestudio.core.eligibility import parse_utc
from tests.runtime.conftest import NOW_MS, REPO_ROOT, GuidePage, guide, history_of, rebundle

Bundle = dict[str, Any]
Profiles = dict[str, dict[str, Any]]
AXE = REPO_ROOT / "tools" / "js" / "node_modules" / "axe-core" / "axe.min.js"
DEC_20 = int(parse_utc("2026-12-20T12:00:00Z") or 0)  # the holiday hotspot's window
STEP = ".gs-root .gs-step"
TOUR = "trial-conversion-tour"
# What has the focus, the way GuidePage.active() names it; "body" would mean it was lost.
BODY = "body"
# A user the holiday hotspot shows to on page load, and nothing else (as in test_runtime_browser.py).
HOTSPOT_USER = {"id": "u-3000", "first_name": "Ada", "plan": "free", "role": "member",
                "storage_used_pct": 10}


def start_hotspot(browser: GuidePage, bundle: Bundle) -> None:
    browser.load("/files")
    browser.start(bundle, HOTSPOT_USER, now=DEC_20)
    browser.wait_for("!!document.querySelector('.gs-beacon')")
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "holiday-promo-draft"


def start_profile(browser: GuidePage, bundle: Bundle, profiles: Profiles, profile_id: str,
                  path: str = "/files", focus: str | None = None, **kwargs: Any) -> None:
    """Load ``path``, put the focus on ``focus`` (a selector) as a user would have it, and start
    the runtime as the sample user."""
    browser.load(path)
    if focus:
        browser.run(f"document.querySelector({json.dumps(focus)}).focus();")
        assert browser.js(f"document.activeElement === document.querySelector({json.dumps(focus)})")
    profile = profiles[profile_id]
    browser.start(bundle, profile["attributes"], history=history_of(profile), **kwargs)


def in_step(browser: GuidePage) -> bool:
    return bool(browser.js("!!document.activeElement.closest('.gs-step')"))


def focused_on(browser: GuidePage, selector: str) -> bool:
    return bool(browser.js(f"document.activeElement === document.querySelector({json.dumps(selector)})"))


def tab_stops(browser: GuidePage, count: int) -> list[str]:
    """Press Tab ``count`` times from the start of the page; what each press lands on."""
    browser.run("document.activeElement && document.activeElement.blur();"
                " window.getSelection().removeAllRanges();")
    stops = []
    for _ in range(count):
        browser.run("window.__from = document.activeElement;")
        browser.key(Qt.Key.Key_Tab)
        browser.wait_for("document.activeElement !== window.__from")
        stops.append(browser.run(
            "const e = document.activeElement;"
            "return (e.closest('.gs-root') ? 'guide:' : '') + (e.id || e.className || e.tagName);"))
    return stops


# ---------------------------------------------------------------------------
# axe-core on every guide state
# ---------------------------------------------------------------------------


def axe_violations(browser: GuidePage) -> list[str]:
    """axe-core's WCAG 2.x A/AA and best-practice rules on the guide on screen (the host page is
    not ours to judge: only .gs-root is included)."""
    if not browser.js("typeof axe === 'object'"):
        browser.page.runJavaScript(AXE.read_text(encoding="utf-8"), 0)
        browser.wait_for("typeof axe === 'object'")
    assert browser.js("!!document.querySelector('.gs-root')"), "no guide on screen"
    # colours are measured as painted: after the fade-in (the beacon's pulse never ends)
    browser.wait_for("document.getAnimations().every((a) => a.playState !== 'running'"
                     " || a.effect.getComputedTiming().iterations === Infinity)")
    browser.run(
        "window.__axe = null;"
        "axe.run({include: [['.gs-root']]}, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',"
        " 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, rules: {region: {enabled: false}}})"
        ".then((r) => { window.__axe = r.violations.map((v) => v.id + ' ' + v.impact + ': '"
        " + v.nodes.map((n) => n.target.join(' ')).join(', ')); },"
        " (e) => { window.__axe = ['axe failed: ' + e]; });")
    browser.wait_for("window.__axe", timeout=20_000)
    return browser.js("window.__axe")


def test_axe_finds_nothing_in_any_guide_state(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    """Every step of every guide and variant, the hotspot closed and open, the checklist with an
    item done, the survey with its alert, a score and its thanks, in English and Japanese (the
    shipped file, which makes the same DOM, in English only: each state costs ~0.25 s)."""
    assert AXE.is_file(), "axe-core is installed by `make runtime-check` (npm ci in tools/js)"
    found: dict[str, list[str]] = {}
    states = 0

    def check(state: str) -> None:
        nonlocal states
        states += 1
        violations = axe_violations(browser)
        if violations:
            found[state] = violations

    shipped = browser.runtime.name.endswith(".min.js")
    for locale in ("en",) if shipped else ("en", "ja"):
        start_profile(browser, example_bundle, profiles, "marcus-pro-sharer", locale=locale, now=DEC_20)
        for g in example_bundle["guides"]:
            for variant in g["variants"]:
                for index, step in enumerate(variant["steps"]):
                    browser.run(f"gs.show({json.dumps(g['id'])}, {{variant: {json.dumps(variant['key'])},"
                                f" step: {index}, locale: {json.dumps(locale)}}});")
                    browser.wait_for("!!document.querySelector('.gs-root .gs-step')")
                    name = f"{locale} {g['id']} {variant['key']} {step['id']}"
                    check(name)
                    if step["layout"] == "hotspot":
                        browser.click(".gs-beacon")
                        check(name + " (open)")
                    if step["layout"] == "checklist":
                        browser.run("gs.track('file_uploaded');")
                        check(name + " (one done)")
                    if step["layout"] == "survey":
                        browser.click("[data-gs-submit]")  # no score yet: the alert
                        check(name + " (no score)")
                        browser.click("[data-gs-score='8']")
                        check(name + " (a score)")
                        browser.click("[data-gs-submit]")
                        check(name + " (thanks)")
    assert states >= (20 if shipped else 40)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


# ---------------------------------------------------------------------------
# What a screen reader is given
# ---------------------------------------------------------------------------


def accessible_name(browser: GuidePage, selector: str) -> str:
    """The accessible name as axe-core computes it (the accname algorithm)."""
    if not browser.js("typeof axe === 'object'"):
        browser.page.runJavaScript(AXE.read_text(encoding="utf-8"), 0)
        browser.wait_for("typeof axe === 'object'")
    return browser.run(
        "axe.setup(document);"
        f"const name = axe.commons.text.accessibleText(document.querySelector({json.dumps(selector)}));"
        "axe.teardown(); return name;")


def test_checklist_items_say_whether_they_are_done_without_aria_checked_on_list_items(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "sofia-free-new")
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "onboarding-checklist"
    spoken = ("[...document.querySelectorAll('[data-gs-item]')].map((li) =>"
              " [...li.querySelectorAll('.gs-sr')].filter((s) => getComputedStyle(s).display !== 'none')"
              ".map((s) => s.textContent).join(''))")
    items = browser.js("document.querySelectorAll('[data-gs-item]').length")
    assert browser.js(spoken) == ["Not done"] * items
    browser.run("gs.track('file_uploaded');")
    assert browser.js(spoken) == ["Done", *["Not done"] * (items - 1)]
    assert browser.js("document.querySelectorAll('.gs-root [aria-checked]').length") == 0
    # the words are for screen readers only: they take no room on screen
    assert browser.js("[...document.querySelectorAll('.gs-sr')].every((s) =>"
                      " s.getBoundingClientRect().width <= 1 && s.getBoundingClientRect().height <= 1)")
    assert browser.js("document.querySelector('[data-gs-item=upload-first-file]').innerText"
                      ".startsWith('Done')")


def test_the_survey_says_when_no_score_was_chosen_and_names_the_ends_of_its_scale(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    browser.run("gs.show('nps-survey');")
    alert = "document.querySelector('[data-gs-error]')"
    assert browser.js(f"{alert}.getClientRects().length") == 0  # nothing to say yet
    browser.click("[data-gs-submit]")
    assert browser.js(f"{alert}.getAttribute('role')") == "alert"
    assert browser.js(f"{alert}.getClientRects().length") > 0
    assert browser.js(f"{alert}.textContent") == "Choose a score before you submit."
    assert "survey_response" not in browser.names()
    assert browser.js("document.querySelector('.gs-root') !== null")
    browser.click("[data-gs-score='7']")  # the alert goes once a score is chosen
    assert browser.js(f"{alert}.getClientRects().length") == 0

    low, high = browser.text(".gs-scale-low"), browser.text(".gs-scale-high")
    assert accessible_name(browser, "[data-gs-score='0']") == f"0, {low}"
    assert accessible_name(browser, "[data-gs-score='10']") == f"10, {high}"
    assert accessible_name(browser, "[data-gs-score='5']") == "5"
    assert browser.js("!document.querySelector('.gs-scale-labels').closest('[aria-hidden]')")


def test_the_beacon_is_named_in_the_steps_language(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "hina-trial-ja", locale="ja", now=DEC_20)
    browser.run("gs.show('holiday-promo-draft');")
    beacon = ".gs-beacon"
    assert browser.js(f"document.querySelector('{beacon}').lang") == "ja"
    assert browser.js("document.querySelector('.gs-step').lang") == "ja"
    name = accessible_name(browser, beacon)
    assert name and name == browser.js("document.querySelector('.gs-step').getAttribute('aria-label')"
                                       " || document.querySelector('.gs-title').textContent")
    assert any("\u3040" <= c <= "\u9fff" for c in name), name  # Japanese, read as Japanese


# ---------------------------------------------------------------------------
# Where guides sit in the tab order
# ---------------------------------------------------------------------------


def test_a_top_banner_is_the_first_tab_stop_and_a_bottom_banner_the_last(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full")
    assert browser.js("document.body.firstElementChild.classList.contains('gs-root')")
    controls = browser.js(f"document.querySelectorAll('{STEP} button, {STEP} a').length")
    stops = tab_stops(browser, controls + 1)
    assert all(stop.startswith("guide:") for stop in stops[:controls]), stops
    assert not stops[-1].startswith("guide:"), stops  # then the page, from its top

    bottom = rebundle(example_bundle, lambda b: guide(b, "storage-almost-full")["display"].update(
        position="bottom", push=False))
    start_profile(browser, bottom, profiles, "emma-free-storage-full")
    assert browser.js("document.body.lastElementChild.classList.contains('gs-root')")
    assert not tab_stops(browser, 1)[0].startswith("guide:")


def test_a_top_banner_in_a_shadow_root_is_early_in_the_tab_order_too(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    browser.load("/files")
    browser.page.runJavaScript(browser.runtime.read_text(encoding="utf-8"), 0)
    profile = profiles["emma-free-storage-full"]
    browser.run(f"localStorage.setItem('guidestudio:acme-cloud', {json.dumps(json.dumps(history_of(profile)))});"
                f"window.gs = GuideStudio.init({{bundle: {json.dumps(example_bundle)}, shadow: true,"
                f" user: {json.dumps(profile['attributes'])}, now: () => {NOW_MS}}});")
    assert browser.js("document.body.firstElementChild.tagName") == "GUIDE-STUDIO"
    assert browser.js("!!document.querySelector('guide-studio').shadowRoot.querySelector('.gs-layout-banner')")
    browser.run("document.activeElement && document.activeElement.blur();")
    browser.key(Qt.Key.Key_Tab)
    browser.wait_for("document.activeElement !== document.body")
    assert browser.js("document.activeElement.tagName") == "GUIDE-STUDIO"
    assert browser.js("document.querySelector('guide-studio').shadowRoot.activeElement"
                      ".closest('.gs-layout-banner') !== null")


def test_an_open_hotspot_comes_after_its_beacon_in_the_tab_order(
        browser: GuidePage, example_bundle: Bundle) -> None:
    start_hotspot(browser, example_bundle)
    browser.run("document.querySelector('.gs-beacon').focus();")
    browser.key(Qt.Key.Key_Return)  # a keyboard user opens it
    browser.wait_for("document.querySelector('.gs-beacon').getAttribute('aria-expanded') === 'true'")
    assert focused_on(browser, ".gs-beacon")  # a disclosure: the focus stays on its button
    browser.key(Qt.Key.Key_Tab)  # and the step's controls come next
    browser.wait_for("!!document.activeElement.closest('.gs-step')")
    assert browser.active() == "data-gs-close"
    browser.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    browser.wait_for("document.activeElement === document.querySelector('.gs-beacon')")


# ---------------------------------------------------------------------------
# Focus: a new step takes it, a closing guide gives it back (never to <body>)
# ---------------------------------------------------------------------------


def test_tooltip_escape_and_maybe_later_give_the_focus_back_to_the_search_box(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    for close in ("escape", "maybe later"):
        start_profile(browser, example_bundle, profiles, "marcus-pro-sharer", focus="#advanced-search")
        browser.click("#advanced-search")  # the trigger
        browser.wait_for("!!document.querySelector('.gs-root .gs-step')")
        assert focused_on(browser, "#advanced-search")  # a tooltip does not steal the focus
        browser.run("document.querySelector('.gs-step [data-gs-action=\"1\"]').focus();")  # reached by Tab
        assert in_step(browser)
        if close == "escape":
            browser.key(Qt.Key.Key_Escape)
        else:
            browser.click(".gs-step [data-gs-action='1']")  # Maybe later (dismiss)
        browser.wait_for("!document.querySelector('.gs-root')")
        assert browser.names()[-1] == "guide_dismissed"
        assert focused_on(browser, "#advanced-search"), browser.active()


def test_tooltip_opened_with_nothing_focused_gives_the_focus_to_its_anchor(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    browser.run("gs.show('premium-feature-tooltip');")
    browser.run("document.querySelector('.gs-step [data-gs-close]').focus();")
    browser.key(Qt.Key.Key_Escape)
    browser.wait_for("!document.querySelector('.gs-root')")
    assert focused_on(browser, "#advanced-search"), browser.active()


def test_every_step_of_a_walkthrough_takes_the_focus_and_finishing_gives_it_back(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new", focus="#upload-button")
    progress = f"document.querySelector('{STEP} [data-gs-progress]').textContent"
    assert browser.js(progress) == "1 / 4" and in_step(browser)  # the modal welcome takes it
    for action, expected in (("0", "2 / 4"), ("0", "1 / 4"), ("0", "2 / 4"), ("1", "3 / 4"),
                             ("0", "2 / 4"), ("1", "3 / 4"), ("1", "4 / 4")):
        browser.run(f"document.querySelector('{STEP} [data-gs-action=\"{action}\"]').focus();")
        browser.key(Qt.Key.Key_Return)  # Next / Back, from the keyboard
        browser.wait_for(f"{progress} === {json.dumps(expected)}")
        assert in_step(browser), (expected, browser.active())  # tooltips too, not only modals
        assert browser.active() == "data-gs-close" or browser.js(
            "document.activeElement.classList.contains('gs-step')")
    browser.run(f"document.querySelector('{STEP} [data-gs-action=\"2\"]').focus();")
    browser.key(Qt.Key.Key_Return)  # Finish
    browser.wait_for(f"!document.querySelector('.gs-step[data-gs-guide=\"{TOUR}\"]')")
    assert "guide_completed" in browser.names()
    assert focused_on(browser, "#upload-button"), browser.active()


def test_a_walkthrough_moved_on_with_the_mouse_keeps_the_focus_in_the_guide(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    """A click on Next focuses the button first (as in the browser), then the step goes."""
    start_profile(browser, example_bundle, profiles, "noah-trial-new")
    browser.run(f"const b = document.querySelector('{STEP} [data-gs-action=\"0\"]'); b.focus(); b.click();")
    browser.wait_for(f"document.querySelector('{STEP} [data-gs-progress]').textContent === '2 / 4'")
    assert in_step(browser)
    browser.key(Qt.Key.Key_Escape)  # dismissed from a tooltip step: nothing had the focus before
    browser.wait_for(f"!document.querySelector('.gs-step[data-gs-guide=\"{TOUR}\"]')")
    assert browser.active() != BODY
    assert focused_on(browser, "#nav-reports")  # the step's anchor


def test_modal_close_button_gives_the_focus_back(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "lucas-pro-inactive", focus="#share-button")
    assert in_step(browser)
    browser.key(Qt.Key.Key_Return)  # on the close button, the first control
    browser.wait_for("!document.querySelector('.gs-root')")
    assert focused_on(browser, "#share-button"), browser.active()


def test_a_modal_shown_on_page_load_gives_the_focus_to_the_page_not_to_body(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "lucas-pro-inactive")  # nothing had the focus
    browser.key(Qt.Key.Key_Escape)
    browser.wait_for("!document.querySelector('.gs-root')")
    assert browser.active() != BODY
    assert focused_on(browser, "a.brand")  # the page's first control


def test_banner_close_and_snooze_give_the_focus_back(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    for button, before, after in (("[data-gs-close]", "#upload-button", "#upload-button"),
                                  ("[data-gs-action='1']", None, "a.brand")):
        start_profile(browser, example_bundle, profiles, "emma-free-storage-full", focus=before)
        assert not in_step(browser)  # a banner never takes the focus by itself
        browser.run(f"document.querySelector({json.dumps(f'{STEP} {button}')}).focus();")
        assert in_step(browser)
        browser.key(Qt.Key.Key_Return)
        browser.wait_for("!document.querySelector('.gs-root')")
        assert focused_on(browser, after), (button, browser.active())


def test_hotspot_close_gives_the_focus_to_its_anchor(
        browser: GuidePage, example_bundle: Bundle) -> None:
    """Nothing had the focus when the hotspot appeared on page load: its anchor gets it."""
    start_hotspot(browser, example_bundle)
    browser.run("document.querySelector('.gs-beacon').focus();")
    browser.key(Qt.Key.Key_Space)
    browser.wait_for("!document.querySelector('.gs-step').hidden")
    browser.key(Qt.Key.Key_Tab)
    browser.wait_for("!!document.activeElement.closest('.gs-step')")
    browser.key(Qt.Key.Key_Return)  # the close button
    browser.wait_for("!document.querySelector('.gs-root')")
    assert focused_on(browser, "#upgrade-button"), browser.active()


def test_checklist_close_gives_the_focus_back(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "sofia-free-new", focus="#advanced-search")
    assert not in_step(browser)
    browser.run(f"document.querySelector('{STEP} [data-gs-close]').focus();")
    browser.key(Qt.Key.Key_Return)
    browser.wait_for("!document.querySelector('.gs-root')")
    assert focused_on(browser, "#advanced-search"), browser.active()


def test_survey_submit_keeps_the_focus_on_the_thanks_then_gives_it_back(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    quick = rebundle(example_bundle, lambda b: guide(b, "nps-survey")["trigger"].update(
        seconds=0.1, url="/files"))
    start_profile(browser, quick, profiles, "marcus-pro-sharer", focus="#share-button")
    browser.wait_for("!!document.querySelector('.gs-root [data-gs-survey]')")
    assert in_step(browser)  # modal: it takes the focus
    browser.run("document.querySelector('[data-gs-submit]').focus();")
    browser.key(Qt.Key.Key_Return)  # no score: the alert, and the focus stays
    browser.wait_for("document.querySelector('[data-gs-error]').getClientRects().length > 0")
    assert browser.active() == "data-gs-submit"
    browser.run("document.querySelector('[data-gs-score=\"9\"]').focus();")
    browser.key(Qt.Key.Key_Space)
    browser.wait_for("document.querySelector('[data-gs-score=\"9\"]').getAttribute('aria-pressed') === 'true'")
    browser.run("document.querySelector('[data-gs-submit]').focus();")
    browser.key(Qt.Key.Key_Return)
    browser.wait_for("document.querySelector('[data-gs-thanks]').getClientRects().length > 0")
    assert browser.active() == "data-gs-thanks"  # not lost with the hidden form
    browser.wait_for("!document.querySelector('.gs-root')", timeout=10_000)  # closes after 2.5 s
    assert focused_on(browser, "#share-button"), browser.active()


# ---------------------------------------------------------------------------
# Non-text contrast of the light theme (WCAG 1.4.11)
# ---------------------------------------------------------------------------


def test_the_light_themes_focus_ring_and_beacon_reach_3_to_1_on_the_card(
        browser: GuidePage, example_bundle: Bundle) -> None:
    start_hotspot(browser, example_bundle)
    assert browser.js("document.querySelector('.gs-root').classList.contains('gs-theme-acme-light')")
    browser.run("document.querySelector('.gs-beacon').focus();")
    browser.key(Qt.Key.Key_Return)
    browser.wait_for("!document.querySelector('.gs-step').hidden")
    browser.key(Qt.Key.Key_Tab)  # from the keyboard: the focus ring shows
    browser.wait_for("document.activeElement.matches('.gs-step :focus-visible')")
    colours = browser.run(
        "const s = (q) => getComputedStyle(document.querySelector(q));"
        "return {ring: getComputedStyle(document.activeElement).outlineColor,"
        " width: getComputedStyle(document.activeElement).outlineWidth,"
        " beacon: s('.gs-beacon').backgroundColor, card: s('.gs-step').backgroundColor};")
    card = parse_color(colours["card"])
    assert card is not None and colours["width"] == "3px"
    for part in ("ring", "beacon"):
        colour = parse_color(colours[part])
        assert colour is not None, colours
        assert contrast_ratio(colour, card) >= 3.0, (part, colours)


def test_the_beacon_sits_centred_on_the_anchors_corner(
        browser: GuidePage, example_bundle: Bundle) -> None:
    """Its centring moved from the runtime's inline style to the theme: still where it was."""
    start_hotspot(browser, example_bundle)
    beacon, anchor = browser.box(".gs-beacon"), browser.box("#upgrade-button")
    assert abs(beacon["left"] + beacon["width"] / 2 - anchor["right"]) <= 1
    assert abs(beacon["top"] + beacon["height"] / 2 - anchor["top"]) <= 1


def test_a_hotspot_without_its_anchor_shown_as_a_modal_has_its_step_and_no_beacon(
        browser: GuidePage, example_bundle: Bundle) -> None:
    """The beacon and the step's hidden state are compiled now: the runtime still shows the step
    when the anchor is missing and the step says if_missing: modal."""
    def modal_if_missing(b: Bundle) -> None:
        for step in guide(b, "holiday-promo-draft")["variants"][0]["steps"]:
            step["if_missing"] = "modal"
            step["anchor"]["selector"] = "#no-such-element"

    browser.load("/files")
    browser.start(rebundle(example_bundle, modal_if_missing), HOTSPOT_USER, now=DEC_20)
    browser.wait_for("!!document.querySelector('.gs-root.gs-layout-modal')")
    assert browser.js("document.querySelector('.gs-step').getClientRects().length") > 0
    assert browser.js("document.querySelector('.gs-beacon').getClientRects().length") == 0
    assert in_step(browser)  # a modal: it takes the focus
    assert "step_error" in browser.names()
