"""The live preview in the real web engine: edits without reloads, the controls, safety."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage

from guidestudio.widgets.preview.surface import PreviewSurface
from tests.widgets.preview_support import (  # noqa: F401  (fixtures)
    TITLE_JS,
    TOUR,
    delete_now,
    doc_fixture,
    dom,
    dom_until,
    pane_fixture,
    ready,
    title_path,
)

PROGRESS_JS = "(function(){var p=document.querySelector('[data-gs-progress]');" \
              "return p ? p.textContent.trim() : null;})()"
ROOTS_JS = "document.querySelectorAll('.gs-root').length"


def shown(qtbot: Any, pane: Any, guide: str = TOUR) -> PreviewSurface:
    pane.set_guide(guide)
    surface = ready(qtbot, pane.surface)
    dom_until(qtbot, surface, TITLE_JS, bool)
    return surface


def choose(combo: Any, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_an_edit_rerenders_in_place_without_reloading(qtbot, pane, doc) -> None:
    choose(pane.controls.device, "phone")
    surface = shown(qtbot, pane)
    assert "Emma" in dom(qtbot, surface, TITLE_JS)  # the first profile fills the placeholder
    scrolled = dom(qtbot, surface, "window.__marker = 42; window.scrollTo(0, 120); window.scrollY",
                   main_world=True)
    assert scrolled > 100
    starts: list[bool] = []
    surface.page.loadStarted.connect(lambda: starts.append(True))

    doc.set_value(title_path(), "Hello {{first_name|there}}, a new title")
    assert dom_until(qtbot, surface, TITLE_JS, lambda t: "a new title" in (t or "")) \
        == "Hello Emma, a new title"
    assert dom(qtbot, surface, "window.__marker", main_world=True) == 42
    assert dom(qtbot, surface, "window.scrollY", main_world=True) == scrolled
    assert starts == []
    assert dom(qtbot, surface, ROOTS_JS) == 1  # replaced, not added


def test_a_theme_edit_restyles_live_and_nothing_reaches_page_storage(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    primary = "getComputedStyle(document.querySelector('.gs-root .gs-step'))" \
              ".getPropertyValue('--gs-primary').trim()"
    assert dom(qtbot, surface, primary) == "#2563eb"
    dom(qtbot, surface, "window.__marker = 1", main_world=True)
    doc.set_value(("themes", "acme-light", "colors", "primary"), "#ff0000")
    dom_until(qtbot, surface, primary, lambda c: c == "#ff0000")
    assert dom(qtbot, surface, "window.__marker", main_world=True) == 1
    # History lives in the runtime's in-memory storage, in an off-the-record profile.
    assert dom(qtbot, surface, "localStorage.length", main_world=True) == 0
    assert surface.profile.isOffTheRecord()


def test_variant_locale_profile_and_device_switch_the_dom(qtbot, pane) -> None:
    surface = shown(qtbot, pane)
    c = pane.controls
    assert c.variant_group.isVisible()  # the tour has variants to choose between ...
    assert dom(qtbot, surface, PROGRESS_JS) == "1 / 3"
    choose(c.variant, "full")
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "1 / 4")
    choose(c.locale, "ja")
    dom_until(qtbot, surface, TITLE_JS, lambda t: "ようこそ" in (t or ""))
    choose(c.profile, "hina-trial-ja")
    dom_until(qtbot, surface, TITLE_JS, lambda t: (t or "").startswith("陽菜"))
    choose(c.profile, "")  # no profile: the compiled fallback
    dom_until(qtbot, surface, TITLE_JS, lambda t: (t or "").startswith("お客"))
    for device, width in (("phone", 390), ("tablet", 768), ("desktop", 1440)):
        choose(c.device, device)
        dom_until(qtbot, surface, "window.innerWidth", lambda w, width=width: w == width)
    choose(c.variant, "control")
    dom_until(qtbot, surface, ROOTS_JS, lambda n: n == 0)
    assert pane.message.isVisible() and "Control group" in pane.message.text()
    pane.set_guide("premium-feature-tooltip")  # ... a guide with one has no choice to show
    assert not c.variant_group.isVisible()


def test_steps_navigate_and_replay_starts_over(qtbot, pane) -> None:
    surface = shown(qtbot, pane)
    assert pane.controls.step.text() == "Step 1 / 3"
    pane.next_step()
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "2 / 3")
    qtbot.waitUntil(lambda: pane.controls.step.text() == "Step 2 / 3")
    pane.previous_step()
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "1 / 3")
    pane.show_step(2)
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "3 / 3")
    pane.replay()
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "1 / 3")
    assert pane.controls.step.text() == "Step 1 / 3"


def test_a_compile_error_keeps_the_last_good_render_under_a_banner(qtbot, pane, doc) -> None:
    surface = shown(qtbot, pane)
    before = dom(qtbot, surface, TITLE_JS)
    url = ("guides", TOUR, "variants", 0, "steps", 2, "buttons", 1, "url")
    doc.set_value(url, "javascript:alert(1)")
    qtbot.waitUntil(pane.banner.isVisible)
    assert "not allowed" in pane.banner.text() and "Trial conversion tour ›" in pane.banner.text()
    doc.set_value(title_path(), "Not shown while broken")
    qtbot.waitUntil(lambda: not pane.live.pending)
    assert dom(qtbot, surface, TITLE_JS) == before
    doc.undo_stack.undo()  # the title
    doc.undo_stack.undo()  # the url
    qtbot.waitUntil(lambda: not pane.banner.isVisible())


def test_a_guide_broken_from_the_start_appears_once_fixed(qtbot, pane, doc) -> None:
    doc.set_value(("guides", TOUR, "variants", 0, "steps", 2, "buttons", 1, "url"), "javascript:x")
    pane.set_guide(TOUR)
    surface = ready(qtbot, pane.surface)
    assert pane.banner.isVisible()
    assert dom(qtbot, surface, ROOTS_JS) == 0
    doc.undo_stack.undo()
    dom_until(qtbot, surface, TITLE_JS, lambda t: "Welcome" in (t or ""))
    assert not pane.banner.isVisible()


def test_diagnostics_list_events_console_and_the_decision(qtbot, pane, doc, tmp_path) -> None:
    surface = shown(qtbot, pane)
    qtbot.waitUntil(lambda: "guide_shown" in pane.diagnostics.event_names())
    assert "Emma" in pane.diagnostics.decision.text()
    assert "would not be shown" in pane.diagnostics.decision.text()  # not a trial user
    assert "audience" in pane.diagnostics.decision.text()
    choose(pane.controls.profile, "hina-trial-ja")
    qtbot.waitUntil(lambda: "would be shown" in pane.diagnostics.decision.text())

    step = ("guides", TOUR, "variants", 0, "steps", 1)
    doc.set_value((*step, "if_missing"), "skip")
    doc.set_value((*step, "anchor", "selector"), "#not-on-this-page")
    pane.show_step(1)
    qtbot.waitUntil(lambda: any(what == "step_error" and "#not-on-this-page" in details
                                for _, what, details in pane.diagnostics.rows()))

    page = tmp_path / "noisy.html"
    page.write_text("<!doctype html><body><p>host</p>"
                    "<script>console.error('host page says boom')</script></body>")
    pane.load_host(str(page))
    qtbot.waitUntil(lambda: any(source == "console" and "boom" in details
                                for source, _, details in pane.diagnostics.rows()))
    ready(qtbot, surface)
    dom_until(qtbot, surface, TITLE_JS, bool)  # the guide follows to the new page


def test_links_in_guides_open_in_the_system_browser(qtbot, pane, doc,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    body = ("guides", TOUR, "variants", 0, "steps", 0, "body", "en")
    doc.set_value(body, "Read [the docs](https://docs.example.com/tour) first.")
    pane.set_editing(False)  # try the guide as users would: a click follows, not edits
    surface = shown(qtbot, pane)
    dom(qtbot, surface, "window.__marker = 7", main_world=True)
    href = "https://docs.example.com/tour"
    dom_until(qtbot, surface, "!!document.querySelector('.gs-body a')", bool)
    dom(qtbot, surface, "document.querySelector('.gs-body a').click()")
    qtbot.waitUntil(lambda: opened == [href])
    assert any(source == "page" and href in details
               for source, _, details in pane.diagnostics.rows())

    pane.show_step(2)  # "Upgrade now" is a url button: location.assign in the runtime
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "3 / 3")
    dom(qtbot, surface, "document.querySelector('.gs-root [data-gs-action=\"1\"]').click()")
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened[1].startswith("https://acme.example/billing/upgrade")

    doc.set_value(("guides", TOUR, "variants", 0, "steps", 2, "buttons", 1, "new_tab"), True)
    pane.replay()
    pane.show_step(2)  # new_tab: window.open, which the preview hands over as well
    dom_until(qtbot, surface, PROGRESS_JS, lambda p: p == "3 / 3")
    dom(qtbot, surface, "document.querySelector('.gs-root [data-gs-action=\"1\"]').click()")
    qtbot.waitUntil(lambda: len(opened) == 3)
    assert opened[2] == opened[1]
    assert dom(qtbot, surface, "window.__marker", main_world=True) == 7
    assert surface.page.url().fileName() == "demo-app.html"


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_host_page_that_fails_to_load_says_so(qtbot, pane, tmp_path, closed_port) -> None:
    shown(qtbot, pane)
    pane.load_host(str(tmp_path / "missing.html"))
    qtbot.waitUntil(pane.message.isVisible)
    assert "Could not load" in pane.message.text() and "missing.html" in pane.message.text()
    pane.controls.url.setText(f"http://127.0.0.1:{closed_port}/app")
    pane.controls.load.click()
    qtbot.waitUntil(lambda: str(closed_port) in pane.message.text())
    assert "Could not load" in pane.message.text()


def test_a_slow_host_page_times_out_with_a_message(qtbot, pane, monkeypatch) -> None:
    surface = shown(qtbot, pane)
    monkeypatch.setattr(surface, "LOAD_TIMEOUT_MS", 300)
    with socket.socket() as server:  # accepts connections, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        pane.load_host(f"http://127.0.0.1:{server.getsockname()[1]}/slow")
        qtbot.waitUntil(lambda: "did not load within" in pane.message.text())
    assert pane.isEnabled()


def test_save_screenshot_writes_the_view(qtbot, pane, tmp_path) -> None:
    surface = shown(qtbot, pane)
    out = tmp_path / "shot.png"
    assert pane.save_screenshot(str(out))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (surface.view.width(), surface.view.height())


def test_closing_the_pane_releases_page_before_profile(qtbot, doc, monkeypatch, qtlog) -> None:
    from guidestudio.widgets.preview.pane import PreviewPane

    monkeypatch.setattr(PreviewPane, "DEBOUNCE_MS", 0)
    widget = PreviewPane(doc)
    widget.show()
    widget.set_guide(TOUR)
    surface = ready(qtbot, widget.surface)
    late: list[Any] = []
    surface.evaluate("1 + 1", late.append)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(surface))
    assert not [m for m in qtlog.records if "Release of profile" in m.message]


def _alive(obj: Any) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_host_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    from guidestudio.widgets.preview.page import demo_url, host_url

    assert host_url("") == demo_url()
    assert host_url(str(tmp_path / "x.html")) == QUrl.fromLocalFile(str(tmp_path / "x.html"))
    assert host_url("staging.example.com/files").toString() == "http://staging.example.com/files"
