"""The runtime in the real web engine, on the demo app, with the example project's bundle.

Everything is asserted from the DOM the way a user would notice it: where a
guide sits relative to its anchor and the viewport, what has the focus, what
text is on screen, which events the product received. Keys are real key
presses through Qt; clicks are DOM clicks. Nothing sleeps: every wait polls a
JavaScript value.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl

from guidestudio.core.eligibility import assignment, parse_utc
from tests.runtime.conftest import (
    DEMO_APP,
    NOW_MS,
    PAYLOAD_FIELDS,
    VIEWPORT,
    GuidePage,
    guide,
    history_of,
    payload,
    rebundle,
)

Bundle = dict[str, Any]
Profiles = dict[str, dict[str, Any]]
MINUTE = 60_000
DEC_20 = int(parse_utc("2026-12-20T12:00:00Z") or 0)  # the holiday hotspot's window
STEP = ".gs-root .gs-step"


def attrs(profiles: Profiles, profile_id: str) -> dict[str, Any]:
    return profiles[profile_id]["attributes"]


def start_profile(browser: GuidePage, bundle: Bundle, profiles: Profiles, profile_id: str,
                  path: str = "/files", **kwargs: Any) -> None:
    """Load ``path`` and start the runtime as the sample user, with their event history."""
    browser.load(path)
    profile = profiles[profile_id]
    browser.start(bundle, profile["attributes"], history=history_of(profile), **kwargs)


def close_to(a: float, b: float, tolerance: float = 1.0) -> bool:
    return abs(a - b) <= tolerance


def common(props: dict[str, Any]) -> tuple[Any, ...]:
    return props["guide_id"], props["variant"], props["experiment"], props.get("step")


# ---------------------------------------------------------------------------
# Each kind where it belongs
# ---------------------------------------------------------------------------


def test_banner_sits_on_top_pushes_the_page_down_and_greets_by_name(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full")

    step = browser.box(STEP)  # the storage banner shows on /files
    width = browser.js("document.documentElement.clientWidth")
    assert (step["top"], step["left"], step["width"]) == (0, 0, width)
    assert browser.js("document.querySelector('.gs-root').classList.contains('gs-layout-banner')")
    # pushed, not covered: the body gained the banner's height and the top bar starts below it
    assert close_to(browser.js("parseFloat(document.body.style.paddingTop)"), step["height"])
    assert close_to(browser.box(".topbar")["top"], step["height"])
    assert browser.text(f"{STEP} [data-gs-attr=first_name]") == "Emma"
    assert browser.text(f"{STEP} [data-gs-attr=storage_used_pct]") == "93"
    assert "Hi Emma, you've used 93% of your 10 GB" in (browser.text(".gs-body") or "")

    expected = ("storage-almost-full", "a", "storage-banner-copy", 0)
    assert [(n, common(p)) for n, p in browser.events()] == [
        ("experiment_viewed", expected), ("guide_shown", expected), ("step_shown", expected)]

    browser.click(f"{STEP} [data-gs-close]")
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("document.body.style.paddingTop") == ""
    assert browser.box(".topbar")["top"] == 0
    assert browser.events()[-1] == ("guide_dismissed", {
        "guide_id": "storage-almost-full", "variant": "a", "experiment": "storage-banner-copy",
        "step": 0, "locale": "en"})

def test_a_pushing_banner_keeps_the_page_below_it_when_the_window_narrows(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    """A narrower window wraps the banner's text onto more lines: the page moves down with it
    instead of sliding under the banner (the push followed the height it was shown at)."""
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full")
    tall_before = browser.box(STEP)["height"]
    browser.view.resize(700, browser.view.height())
    browser.wait_for(f"document.querySelector({json.dumps(STEP)}).offsetHeight > {tall_before}")
    browser.wait_for("Math.abs(parseFloat(document.body.style.paddingTop) - "
                     f"document.querySelector({json.dumps(STEP)}).offsetHeight) < 1")
    step = browser.box(STEP)
    assert close_to(browser.box(".topbar")["top"], step["height"])
    browser.click(f"{STEP} [data-gs-close]")
    assert browser.js("document.body.style.paddingTop") == ""



def test_tooltip_opens_below_its_anchor_on_click_and_flips_when_the_anchor_moves(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.click("#advanced-search")  # trigger: click on the selector

    browser.wait_for("document.querySelector('.gs-root .gs-step')")
    anchor, step = browser.box("#advanced-search"), browser.box(STEP)
    assert browser.js("document.querySelector('.gs-step').dataset.gsPlacement") == "bottom"
    assert close_to(step["top"], anchor["bottom"] + 10)  # the default offset
    assert close_to(step["left"] + step["width"] / 2, anchor["left"] + anchor["width"] / 2)
    assert browser.names() == ["guide_shown", "step_shown"]

    # the product moves the anchor to the bottom of the viewport: no room below any more
    browser.run(
        "const a = document.getElementById('advanced-search').getBoundingClientRect();"
        "const head = document.querySelector('#section-files .page-head');"
        "head.style.marginBottom = (20 + innerHeight - 70 - a.top) + 'px';"
    )
    browser.wait_for("document.querySelector('.gs-step').dataset.gsPlacement === 'top'")
    anchor, step = browser.box("#advanced-search"), browser.box(STEP)
    assert anchor["bottom"] > VIEWPORT[1] - 80
    assert close_to(step["bottom"], anchor["top"] - 10)


def test_tooltip_follows_its_anchor_when_the_page_scrolls_and_the_window_resizes(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    browser.run("document.querySelector('main').style.paddingBottom = '2000px';")  # room to scroll
    browser.click("#advanced-search")
    placed = ("(() => { const a = document.getElementById('advanced-search').getBoundingClientRect(),"
              " s = document.querySelector('.gs-step').getBoundingClientRect();"
              " return Math.abs(s.top - a.bottom - 10) < 1 && Math.abs(s.left + s.width / 2 - a.left"
              " - a.width / 2) < 1; })()")
    browser.wait_for(placed)
    before = browser.box(STEP)
    browser.run("window.scrollBy(0, 120);")
    browser.wait_for(f"scrollY === 120 && {placed}")
    after = browser.box(STEP)
    assert close_to(after["top"], before["top"] - 120)
    browser.view.resize(900, 640)  # the layout reflows: the search box moves left
    browser.wait_for(f"innerWidth === 900 && {placed}")
    assert browser.box(STEP)["left"] < after["left"]


def test_hotspot_beacon_sits_on_its_anchor_and_opens_the_tooltip(
        browser: GuidePage, example_bundle: Bundle) -> None:
    browser.load("/files")
    user = {"id": "u-3000", "first_name": "Ada", "plan": "free", "role": "member",
            "storage_used_pct": 10}
    browser.start(example_bundle, user, now=DEC_20)  # the holiday draft's schedule

    browser.wait_for("document.querySelector('.gs-beacon')")
    beacon, anchor = browser.box(".gs-beacon"), browser.box("#upgrade-button")
    assert close_to(beacon["left"] + beacon["width"] / 2, anchor["right"])
    assert close_to(beacon["top"] + beacon["height"] / 2, anchor["top"])
    assert browser.js("document.querySelector('.gs-step').hidden") is True
    assert browser.js("document.querySelector('.gs-beacon').getAttribute('aria-expanded')") == "false"
    assert browser.names() == ["guide_shown"]  # the step shows when the beacon is opened

    browser.click(".gs-beacon")
    assert browser.js("document.querySelector('.gs-beacon').getAttribute('aria-expanded')") == "true"
    step = browser.box(STEP)
    assert step["width"] > 0
    assert close_to(step["top"], anchor["bottom"] + 10)
    assert step["right"] <= VIEWPORT[0] - 8 + 1  # clamped inside the viewport
    assert [(n, common(p)) for n, p in browser.events()] == [
        ("guide_shown", ("holiday-promo-draft", "a", None, 0)),
        ("step_shown", ("holiday-promo-draft", "a", None, 0))]


def test_modal_is_centred_over_a_backdrop_with_the_focus_inside(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "lucas-pro-inactive")

    step, backdrop = browser.box(STEP), browser.box(".gs-backdrop")
    assert (backdrop["left"], backdrop["top"], backdrop["width"], backdrop["height"]) == (
        0, 0, *VIEWPORT)
    assert close_to(step["left"] + step["width"] / 2, VIEWPORT[0] / 2)
    assert close_to(step["top"] + step["height"] / 2, VIEWPORT[1] / 2)
    assert browser.js("document.querySelector('.gs-step').getAttribute('aria-modal')") == "true"
    assert browser.js("document.querySelector('.gs-root').classList.contains('gs-theme-acme-dark')")
    assert browser.js("document.querySelector('.gs-step').contains(document.activeElement)")
    # the backdrop takes the clicks the page would otherwise get
    assert browser.run(
        "const e = document.elementFromPoint(5, 5); return e.className;") == "gs-backdrop"


def test_focus_is_trapped_in_a_modal_and_returned_after_escape(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    browser.load("/files")
    browser.run("document.getElementById('upload-button').focus();")
    profile = profiles["lucas-pro-inactive"]
    browser.start(example_bundle, profile["attributes"], history=history_of(profile))
    inside = "document.querySelector('.gs-step').contains(document.activeElement)"
    assert browser.active() == "data-gs-close"  # the first control

    browser.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # from the first: the last
    browser.wait_for("document.activeElement.dataset.gsAction === '2'")
    browser.key(Qt.Key.Key_Tab)  # from the last: back to the first
    browser.wait_for("'gsClose' in document.activeElement.dataset")
    for expected in ("0", "1", "2"):  # and round again, never leaving the dialog
        browser.key(Qt.Key.Key_Tab)
        browser.wait_for(f"document.activeElement.dataset.gsAction === '{expected}'")
        assert browser.js(inside)
    browser.key(Qt.Key.Key_Tab)
    browser.wait_for("'gsClose' in document.activeElement.dataset")

    browser.key(Qt.Key.Key_Escape)
    browser.wait_for("!document.querySelector('.gs-root')")
    assert browser.active() == "upload-button"  # the focus goes back where it was
    assert browser.names()[-1] == "guide_dismissed"


def test_escape_dismissal_is_remembered_after_a_reload(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "lucas-pro-inactive")
    assert browser.js("!!document.querySelector('.gs-root')")
    browser.key(Qt.Key.Key_Escape)
    browser.wait_for("!document.querySelector('.gs-root')")
    assert browser.events()[-1] == ("guide_dismissed", {
        "guide_id": "win-back-inactive", "variant": "a", "experiment": None, "step": 0,
        "locale": "en"})

    browser.load("/files")  # same profile: localStorage survives
    browser.start(example_bundle, attrs(profiles, "lucas-pro-inactive"))
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.names() == []
    assert browser.js("gs.decide('win-back-inactive')") == {
        "eligible": False, "reason": "stopped", "detail": "dismissed", "variant": None}


def test_checklist_panel_ticks_items_off_and_its_close_button_is_remembered(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "sofia-free-new")
    step = browser.box(STEP)
    assert close_to(step["right"], VIEWPORT[0] - 16) and close_to(step["bottom"], VIEWPORT[1] - 16)
    assert browser.text("[data-gs-checklist-progress]") == "0 / 5"
    browser.key(Qt.Key.Key_Escape)  # a checklist is not dismissed by ESC
    assert browser.js("!!document.querySelector('.gs-root')")

    browser.run("gs.track('file_uploaded');")
    item = "[data-gs-item=upload-first-file]"
    assert browser.js(f"document.querySelector('{item}').classList.contains('gs-done')")
    # (what assistive technology reads of it: tests/runtime/test_accessibility.py)
    assert browser.text("[data-gs-checklist-progress]") == "1 / 5"
    assert browser.events()[-1] == ("checklist_item_done", {
        "guide_id": "onboarding-checklist", "variant": "a", "experiment": None, "step": 0,
        "locale": "en", "item": "upload-first-file"})

    browser.click(f"{STEP} [data-gs-close]")
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.load("/files")
    browser.start(example_bundle, attrs(profiles, "sofia-free-new"))
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("gs.decide('onboarding-checklist').detail") == "dismissed"


def test_survey_records_a_score_and_a_comment(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    browser.run("gs.show('nps-survey');")
    step = browser.box(STEP)
    assert close_to(step["right"], VIEWPORT[0] - 16) and close_to(step["bottom"], VIEWPORT[1] - 16)
    assert browser.js("document.querySelector('.gs-step').getAttribute('aria-modal')") == "true"
    assert browser.js("document.querySelector('.gs-step').contains(document.activeElement)")

    browser.click("[data-gs-score='9']")
    assert browser.js("[...document.querySelectorAll('[data-gs-score]')]"
                      ".filter((b) => b.getAttribute('aria-pressed') === 'true')"
                      ".map((b) => b.dataset.gsScore)") == ["9"]
    browser.run("document.querySelector('[data-gs-comment]').value = 'Fast sync';")
    browser.click("[data-gs-submit]")
    assert browser.js("document.querySelector('[data-gs-thanks]').hidden") is False
    assert browser.js("'gsSubmitted' in document.querySelector('.gs-survey').dataset")
    assert browser.js("document.querySelector('.gs-question').getClientRects().length") == 0
    assert browser.js("location.pathname") == "/files"  # no form submission
    response = ("survey_response", {"guide_id": "nps-survey", "variant": "a", "experiment": None,
                                    "step": 0, "locale": "en", "score": 9, "comment": "Fast sync"})
    assert browser.events()[-2:] == [response, ("guide_completed", {
        "guide_id": "nps-survey", "variant": "a", "experiment": None, "step": 0,
        "locale": "en"})]


# ---------------------------------------------------------------------------
# Walkthroughs and missing anchors
# ---------------------------------------------------------------------------

TOUR = "trial-conversion-tour"


def progress(browser: GuidePage) -> str | None:
    return browser.text(f"{STEP} [data-gs-progress]")


def below(browser: GuidePage, anchor: str, offset: float) -> bool:
    return close_to(browser.box(STEP)["top"], browser.box(anchor)["bottom"] + offset)


def test_walkthrough_goes_next_and_back_then_the_waiting_guide_shows(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new")  # the 4-step variant
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == TOUR
    assert progress(browser) == "1 / 4"
    assert browser.text(".gs-title") == "Welcome to Acme Cloud, Noah!"
    assert browser.js("document.querySelector('.gs-root').classList.contains('gs-layout-modal')")

    browser.click("[data-gs-action='0']")  # Show me around
    assert progress(browser) == "2 / 4"
    assert below(browser, "#nav-reports", 10)
    browser.click("[data-gs-action='0']")  # Back
    assert progress(browser) == "1 / 4"
    assert browser.js("!!document.querySelector('.gs-backdrop')")
    browser.click("[data-gs-action='0']")
    browser.click("[data-gs-action='1']")  # Next
    assert progress(browser) == "3 / 4"
    assert below(browser, "#share-button", 8)  # the step's own offset
    browser.click("[data-gs-action='1']")
    assert progress(browser) == "4 / 4"
    anchor, step = browser.box("#integrations-link"), browser.box(STEP)
    assert close_to(step["bottom"], anchor["top"] - 10)  # placement: top

    # one guide at a time: the checklist (lower priority) waited; it shows once the tour is
    # done and the project's 30-minute gap has passed
    browser.run(f"window.__now += {31 * MINUTE};")
    browser.click("[data-gs-action='2']")  # Finish
    browser.wait_for("document.querySelector('.gs-step').dataset.gsGuide === 'onboarding-checklist'")
    tour = [(n, p["step"]) for n, p in browser.events() if p["guide_id"] == TOUR]
    assert tour == [("experiment_viewed", 0), ("guide_shown", 0), ("step_shown", 0),
                    ("step_shown", 1), ("step_shown", 0), ("step_shown", 1), ("step_shown", 2),
                    ("step_shown", 3), ("guide_completed", 3)]
    assert {p["variant"] for n, p in browser.events() if p["guide_id"] == TOUR} == {"full"}


def test_missing_anchor_with_skip_goes_to_the_next_step(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new")
    browser.run("document.getElementById('nav-reports').remove();")
    browser.click("[data-gs-action='0']")
    assert progress(browser) == "3 / 4"
    assert below(browser, "#share-button", 8)
    error = {"guide_id": TOUR, "variant": "full", "experiment": "trial-tour-length", "step": 1,
             "locale": "en", "selector": "#nav-reports", "reason": "not_found"}
    assert browser.events()[-2:] == [("step_error", error), ("step_shown", {
        "guide_id": TOUR, "variant": "full", "experiment": "trial-tour-length", "step": 2,
        "locale": "en"})]
    browser.click("[data-gs-action='0']")  # Back skips it too, to the welcome modal
    assert progress(browser) == "1 / 4"


def test_missing_anchor_with_modal_shows_the_step_as_a_modal(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new")
    browser.run("document.getElementById('integrations-link').remove();")
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', step: 2}});")
    browser.click("[data-gs-action='1']")  # Next, to the integrations step
    assert progress(browser) == "4 / 4"
    assert browser.js("document.querySelector('.gs-root').classList.contains('gs-layout-modal')")
    assert browser.js("document.querySelector('.gs-step').getAttribute('aria-modal')") == "true"
    assert browser.js("!!document.querySelector('.gs-backdrop')")
    step = browser.box(STEP)
    assert close_to(step["left"] + step["width"] / 2, VIEWPORT[0] / 2)
    assert ("step_error", {"guide_id": TOUR, "variant": "full", "experiment": "trial-tour-length",
                           "step": 3, "locale": "en", "selector": "#integrations-link", "reason": "not_found"}
            ) in browser.events()


def test_missing_anchor_with_wait_shows_the_step_once_the_anchor_appears(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new")
    browser.run("window.__share = document.getElementById('share-button'); __share.remove();")
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', step: 2}});")
    assert browser.js("document.querySelector('.gs-root')") is None  # waiting
    browser.run("document.querySelector('#section-files .actions').prepend(__share);")
    browser.wait_for("!!document.querySelector('.gs-root .gs-step')")
    assert progress(browser) == "3 / 4"
    assert below(browser, "#share-button", 8)
    assert "step_error" not in browser.names()


def test_missing_anchor_with_wait_gives_up_after_wait_seconds(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    def short_wait(b: Bundle) -> None:
        for variant in guide(b, TOUR)["variants"]:
            for step in variant["steps"]:
                if step["if_missing"] == "wait":
                    step["wait_seconds"] = 0.2

    start_profile(browser, rebundle(example_bundle, short_wait), profiles, "noah-trial-new")
    browser.run("document.getElementById('share-button').remove();")
    browser.run(f"gs.show('{TOUR}', {{variant: 'full', step: 2}});")
    browser.wait_for("!!document.querySelector('.gs-root .gs-step')")
    assert progress(browser) == "4 / 4"  # gave up on the share step and moved on
    errors = [p for n, p in browser.events() if n == "step_error"]
    assert errors == [{"guide_id": TOUR, "variant": "full", "experiment": "trial-tour-length",
                       "step": 2, "locale": "en", "selector": "#share-button", "reason": "timeout"}]


def test_anchor_in_a_hidden_view_counts_as_missing_until_that_view_shows(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "noah-trial-new", path="/reports")
    browser.click("[data-gs-action='0']")  # to the reports step: its anchor is in the top bar
    assert progress(browser) == "2 / 4"
    browser.click("[data-gs-action='1']")  # the share button is in the hidden Files view: wait
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.names()[-1] == "step_shown" and browser.events()[-1][1]["step"] == 1
    browser.click("#nav-files")  # the product switches views; the step appears on its anchor
    browser.wait_for("!!document.querySelector('.gs-root .gs-step')")
    assert progress(browser) == "3 / 4"
    assert below(browser, "#share-button", 8)
    assert browser.js("document.querySelector('.gs-root').style.visibility") == ""
    assert "step_error" not in browser.names()


# ---------------------------------------------------------------------------
# Single-page apps
# ---------------------------------------------------------------------------


def test_route_change_through_page_shows_page_view_guides_for_matching_urls(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full", path="/reports")
    assert browser.js("document.querySelector('.gs-root')") is None  # the banner is for /files/**
    browser.click("#nav-settings")  # the demo app pushes /settings
    browser.run("gs.page();")
    assert browser.js("location.pathname") == "/settings"
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.click("#nav-files")
    browser.run("gs.page();")
    assert browser.js("location.pathname") == "/files"
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"


def test_popstate_shows_page_view_guides_for_matching_urls(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full", path="/reports")
    browser.run("history.pushState({}, '', '/files/shared'); history.pushState({}, '', '/reports');")
    assert browser.js("document.querySelector('.gs-root')") is None  # the runtime was not told
    browser.run("history.back();")
    browser.wait_for("!!document.querySelector('.gs-root')")
    assert browser.js("location.pathname") == "/files/shared"
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"


# ---------------------------------------------------------------------------
# Events and personalisation
# ---------------------------------------------------------------------------


def test_call_to_action_events_arrive_in_order_and_stop_the_guide(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "lucas-pro-inactive")
    browser.click("[data-gs-action='0']")  # Claim my free month (an event button)
    base = {"guide_id": "win-back-inactive", "variant": "a", "experiment": None, "step": 0,
        "locale": "en"}
    assert browser.events() == [
        ("guide_shown", base), ("step_shown", base),
        ("cta_clicked", {**base, "action": "event", "event": "winback_offer_claimed"}),
        ("winback_offer_claimed", base)]
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.load("/files")
    browser.start(example_bundle, attrs(profiles, "lucas-pro-inactive"))
    assert browser.js("gs.decide('win-back-inactive').detail") == "cta_clicked"
    assert browser.js("document.querySelector('.gs-root')") is None


def test_a_product_event_triggers_its_guide_and_later_reaches_its_goal(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "marcus-pro-sharer")
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.run("gs.track('file_shared');")  # the cross-sell's trigger
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "cross-sell-automations"
    browser.click("[data-gs-action='0']")  # Start free trial
    browser.run("window.__now += 3 * 86400000; gs.track('automation_created');")
    base = {"guide_id": "cross-sell-automations", "variant": "a", "experiment": None, "step": 0,
        "locale": "en"}
    assert browser.events() == [
        ("guide_shown", base), ("step_shown", base),
        ("cta_clicked", {**base, "action": "event", "event": "automation_trial_started"}),
        ("automation_trial_started", base), ("goal_reached", {**base, "goal": "automation_created"})]


def test_a_delay_trigger_shows_its_guide_after_the_delay(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    quick = rebundle(example_bundle,
                     lambda b: guide(b, "nps-survey")["trigger"].update(seconds=0.2, url="/files"))
    # The page notes when init ran and when the guide appeared: a busy machine may take longer
    # than the delay to answer a question, so the test compares the page's own clock.
    browser.load("/files")
    browser.page.runJavaScript(browser.runtime.read_text(encoding="utf-8"), 0)
    browser.run("const init = GuideStudio.init; window.__shownAt = null;"
                "GuideStudio.init = (o) => { window.__initAt = performance.now(); return init(o); };"
                "new MutationObserver((_, o) => { if (document.querySelector('.gs-root')) {"
                " window.__shownAt = performance.now(); o.disconnect(); } })"
                ".observe(document.documentElement, {childList: true, subtree: true});")
    profile = profiles["marcus-pro-sharer"]
    browser.start(quick, profile["attributes"], history=history_of(profile))
    browser.wait_for("!!document.querySelector('.gs-root [data-gs-survey]')")
    assert browser.js("window.__shownAt - window.__initAt") >= 200
    assert browser.names() == ["guide_shown", "step_shown"]


def test_snooze_is_remembered_after_a_reload(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "emma-free-storage-full")
    browser.click("[data-gs-action='1']")  # Not now: snooze for 24 hours
    assert browser.events()[-1] == ("guide_snoozed", {
        "guide_id": "storage-almost-full", "variant": "a", "experiment": "storage-banner-copy",
        "step": 0, "locale": "en", "hours": 24, "until": NOW_MS + 24 * 3_600_000})
    assert browser.js("document.querySelector('.gs-root')") is None
    browser.load("/files")
    browser.start(example_bundle, attrs(profiles, "emma-free-storage-full"), now=NOW_MS + 3_600_000)
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("gs.decide('storage-almost-full').reason") == "snoozed"


def test_a_file_url_page_keeps_its_storage_across_reloads(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    """As a preview opens the demo app: from file://, where localStorage works too."""
    url = QUrl.fromLocalFile(str(DEMO_APP)).toString()
    profile = profiles["lucas-pro-inactive"]
    browser.load(url)
    browser.start(example_bundle, profile["attributes"], history=history_of(profile))
    assert browser.js("location.protocol") == "file:"
    browser.click(f"{STEP} [data-gs-close]")
    browser.load(url)
    browser.start(example_bundle, profile["attributes"])
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("gs.decide('win-back-inactive').detail") == "dismissed"


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", json.dumps({"v": 1, "guides": 7})])
def test_corrupt_or_foreign_storage_is_replaced_not_fatal(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles, stored: str) -> None:
    browser.load("/files")
    browser.start(example_bundle, attrs(profiles, "emma-free-storage-full"), history=stored)
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"
    saved = json.loads(browser.js("localStorage.getItem('guidestudio:acme-cloud')"))
    assert saved["v"] == 1 and saved["guides"]["storage-almost-full"]["shows"] == 1


def control_user_id(bundle: Bundle, guide_id: str) -> str:
    """A user id the guide's experiment puts in the control group."""
    g = guide(bundle, guide_id)
    context = {"hash_attribute": bundle["hash_attribute"]}
    for n in range(1000):
        decision = assignment(g, {"id": f"user-{n}"}, context)
        if getattr(decision, "reason", None) == "control":
            return f"user-{n}"
    raise AssertionError("no control user in 1000 ids")


def test_control_users_are_logged_as_exposed_and_see_nothing(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    user = {**attrs(profiles, "emma-free-storage-full"),
            "id": control_user_id(example_bundle, "storage-almost-full")}
    browser.load("/files")
    browser.start(example_bundle, user)
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.events() == [("experiment_viewed", {
        "guide_id": "storage-almost-full", "variant": "control",
        "experiment": "storage-banner-copy", "locale": "en"})]  # no step: nothing was on screen


def test_locale_and_first_name_placeholders(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "hina-trial-ja", locale="ja")
    assert browser.js("document.querySelector('.gs-step').lang") == "ja"
    assert browser.text(".gs-title") == "陽菜様、Acme Cloud へようこそ！"
    assert progress(browser) == "1 / 3"  # the short variant
    assert browser.text("[data-gs-close]") == "×"
    assert browser.js("document.querySelector('[data-gs-close]').getAttribute('aria-label')") == "閉じる"
    # Every event says the locale, so results can be read per locale (docs/results.md).
    assert {p.get("locale") for _, p in browser.events()} == {"ja"}


# ---------------------------------------------------------------------------
# Safety
# ---------------------------------------------------------------------------

CANARY = ("const c = document.createElement('div');"
          "c.innerHTML = '<img src=/canary-missing onerror=\"window.__canary = 1\">';"
          "document.body.appendChild(c);")


def assert_nothing_ran(browser: GuidePage) -> None:
    """A canary image that errors like the payloads' images proves the page had time to run
    their handlers; only then is the sentinel's absence meaningful."""
    browser.run(CANARY)
    browser.wait_for("window.__canary === 1")
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.page.alerts == []


def test_hostile_first_name_of_the_sample_profile_is_shown_as_text(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    start_profile(browser, example_bundle, profiles, "hostile-first-name")
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "storage-almost-full"
    name = attrs(profiles, "hostile-first-name")["first_name"]
    assert browser.text("[data-gs-attr=first_name]") == name == "<img src=x onerror=alert(1)>"
    assert browser.js("document.querySelectorAll('.gs-root img').length") == 0
    browser.click(f"{STEP} [data-gs-close]")
    assert_nothing_ran(browser)


HOSTILE_USER = {"id": "u-6666", "plan": "trial", "trial_days_left": 5, "app_version": "2.4.1",
                "role": "owner", "storage_used_pct": 95, "account": {"age_days": 3},
                "first_name": "\"><script>window.__pwned='attr'</script>"
                              "<img src=x onerror=\"window.__pwned='attr'\">"}


def test_script_payloads_in_every_text_field_and_attribute_never_run(
        browser: GuidePage, poisoned_bundle: Bundle) -> None:
    browser.load("/files")
    browser.start(poisoned_bundle, HOSTILE_USER, now=DEC_20)
    seen: dict[str, str] = {}
    hrefs: list[str] = []

    def look() -> None:
        """Collect what is on screen, as text, from the current step."""
        for key, value in browser.run(
            "const s = document.querySelector('.gs-root .gs-step'); if (!s) return {};"
            "const t = (q) => [...s.querySelectorAll(q)].map((e) => e.textContent).join('');"
            "return {title: t('.gs-title'), body: t('.gs-body'), label: t('.gs-btn, .gs-item-label'),"
            " alt: [...s.querySelectorAll('img')].map((i) => i.alt).join(''),"
            " description: t('.gs-item-desc'), question: t('.gs-question'),"
            " low_label: t('.gs-scale-low'), high_label: t('.gs-scale-high'),"
            " comment_label: t('.gs-comment-label'), thank_you: t('[data-gs-thanks]'),"
            " name: s.getAttribute('aria-label') || '',"
            " attr: t('[data-gs-attr=first_name]')};"
        ).items():
            seen[key] = seen.get(key, "") + value

    for g in poisoned_bundle["guides"]:
        browser.run(f"gs.show({json.dumps(g['id'])}, {{variant: {json.dumps(g['variants'][-1]['key'])}}});")
        if browser.js("!!document.querySelector('.gs-beacon')"):
            browser.click(".gs-beacon")
        look()
        if g["kind"] == "walkthrough":
            for _ in range(3):
                browser.click(f"{STEP} [data-gs-action='{0 if progress(browser) == '1 / 4' else 1}']")
                look()
            browser.click(f"{STEP} [data-gs-action='0']")  # back
        if g["kind"] == "checklist":
            browser.run("gs.track('file_uploaded');")
        if g["kind"] == "survey":
            browser.click("[data-gs-score='3']")
            browser.click("[data-gs-submit]")
            look()
        hrefs += browser.js("[...document.querySelectorAll('.gs-root a')].map((a) => a.protocol)")

    for field in (*PAYLOAD_FIELDS, "name"):
        assert payload(field) in seen[field], f"{field} is not shown as text"
    assert "docs" in seen["body"] and set(hrefs) <= {"https:", "http:"}, hrefs
    assert seen["attr"].count(HOSTILE_USER["first_name"]) >= 3
    assert browser.js("document.querySelectorAll('.gs-root script, .gs-root svg').length") == 0
    assert_nothing_ran(browser)
    assert "runtime_error" not in browser.names()


@pytest.mark.parametrize("breakage", ["checksum", "format_version"])
def test_a_bad_bundle_shows_nothing_and_the_page_keeps_working(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles, breakage: str) -> None:
    if breakage == "checksum":
        bad = dict(example_bundle, checksum="sha256:" + "0" * 64)
    else:
        bad = rebundle(example_bundle, lambda b: b.update(format_version=2))
    browser.load("/files")
    styles = browser.js("document.querySelectorAll('style').length")
    profile = profiles["emma-free-storage-full"]
    browser.start(bad, profile["attributes"], history=history_of(profile))
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.js("document.querySelectorAll('style').length") == styles
    assert any("GuideStudio: bundle refused" in m for m in browser.page.console)
    browser.run("gs.page(); gs.track('file_shared'); gs.show('storage-almost-full');")
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.names() == []
    browser.click("#nav-reports")  # the product still works
    assert browser.js("document.getElementById('section-reports').hidden") is False


def test_a_guide_that_throws_reports_a_runtime_error_and_the_next_guide_shows(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    broken = rebundle(example_bundle, lambda b: guide(b, TOUR)["display"].update(position=5))
    start_profile(browser, broken, profiles, "noah-trial-new")
    names = browser.names()
    assert "runtime_error" in names and "guide_shown" in names
    error = dict(browser.events())["runtime_error"]
    assert error["guide_id"] == TOUR and error["message"]
    shown = [p["guide_id"] for n, p in browser.events() if n == "guide_shown"]
    assert shown == ["onboarding-checklist"]
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "onboarding-checklist"


def test_the_themes_z_index_stacks_the_guide(browser: GuidePage, profiles: Profiles,
                                             tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A theme's z_index is what the product gets (a host page's own overlays may need it)."""
    import shutil

    from tests.runtime.conftest import EXAMPLE_PROJECT, export_example

    root = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, root)
    theme = root / "themes" / "acme-dark.yaml"
    theme.write_text(theme.read_text("utf-8").replace("z_index: 2147483000", "z_index: 4242"),
                     "utf-8")
    start_profile(browser, export_example(root), profiles, "lucas-pro-inactive")
    assert browser.js("document.querySelector('.gs-root').classList"
                      ".contains('gs-theme-acme-dark')")
    assert browser.js("getComputedStyle(document.querySelector('.gs-root')).zIndex") == "4242"


def test_a_guide_missing_fields_is_skipped_alone_and_the_next_guide_shows(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    """Issue 13: one guide with missing fields in a bundle whose checksum is valid used to stop
    every guide; now it alone is left out, with a runtime_error naming it."""
    broken = rebundle(example_bundle, lambda b: guide(b, TOUR).pop("variants"))
    start_profile(browser, broken, profiles, "noah-trial-new")
    errors = [p for n, p in browser.events() if n == "runtime_error"]
    assert [e["guide_id"] for e in errors] == [TOUR]
    assert errors[0]["message"].startswith("guide skipped: ")
    shown = [p["guide_id"] for n, p in browser.events() if n == "guide_shown"]
    assert shown == ["onboarding-checklist"]
    assert browser.js("document.querySelector('.gs-step').dataset.gsGuide") == "onboarding-checklist"


def test_placeholders_named_after_object_prototype_members_show_their_fallback(
        browser: GuidePage, example_bundle: Bundle, profiles: Profiles) -> None:
    import re

    fallbacks: list[str] = []

    def rename(b: Bundle) -> None:
        for variant in guide(b, "storage-almost-full")["variants"]:
            for step in variant["steps"]:
                for locale, html in step["html"].items():
                    fallbacks.extend(re.findall(r'data-gs-attr="first_name">([^<]*)<', html))
                    step["html"][locale] = html.replace(
                        'data-gs-attr="first_name"', 'data-gs-attr="constructor"', 1).replace(
                        'data-gs-attr="first_name"', 'data-gs-attr="__proto__"')

    start_profile(browser, rebundle(example_bundle, rename), profiles, "emma-free-storage-full")
    assert fallbacks  # the banner greets by first name
    assert browser.text(f"{STEP} [data-gs-attr=constructor]") == fallbacks[0]
    assert "function" not in (browser.text(".gs-body") or "")
    assert "[object Object]" not in (browser.text(".gs-body") or "")
    assert browser.text(f"{STEP} [data-gs-attr=storage_used_pct]") == "93"  # real ones still fill
