"""The runtime in products that are strict or hostile, in the real web engine.

- A strict Content-Security-Policy (``default-src 'self'; style-src 'self'``, no
  ``'unsafe-inline'``): the demo app made CSP-clean (its ``<style>``, scripts and
  style attributes moved to files) and served with that header. Every layout must
  render with the same computed styles as on the plain demo page, and the page must
  report no ``securitypolicyviolation`` (a canary proves the policy and the listener
  are live). A browser without constructable stylesheets gets a ``<style nonce>``.
- Host CSS that restyles everything (``* { all: revert !important; font: 30px serif
  !important }`` and worse): with ``shadow: true`` the guide's computed styles equal
  the plain demo page's; without, the test records what the host changes. The
  guide's own CSS never restyles the host.
- A pushing banner on a page with a fixed navbar, a fixed sidebar, a sticky toolbar
  and a chat button: the bars on the banner's side move by its height, the navbar
  stays visible and clickable, and every inline style is put back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT
from tests.http_support import QuietHandler, serving
from tests.runtime.conftest import (
    DEMO_APP,
    NOW_MS,
    RUNTIME_JS,
    RUNTIME_MIN_JS,
    GuidePage,
    guide,
    rebundle,
)

Bundle = dict[str, Any]
STRICT = "default-src 'self'; style-src 'self'"
NONCE = "gs-test-nonce"
DEC_20 = NOW_MS + 26 * 86_400_000  # in the holiday hotspot's window
USER = {"id": "u-4000", "first_name": "Ada", "plan": "free", "role": "owner", "storage_used_pct": 93}
# One example guide per layout (show() opens it whatever the user's eligibility).
LAYOUTS = {"banner": "storage-almost-full", "tooltip": "premium-feature-tooltip",
           "modal": "release-announcement", "hotspot": "holiday-promo-draft",
           "checklist": "onboarding-checklist", "survey": "nps-survey"}

# ---------------------------------------------------------------------------
# Pages: the demo app made CSP-clean, and a page with fixed and sticky bars
# ---------------------------------------------------------------------------


def strict_demo() -> dict[str, bytes]:
    """The demo app without anything a strict CSP blocks: its <style> becomes demo.css, its
    script demo.js, and each style attribute a data attribute with its rule in demo.css."""
    html = re.sub(r"<!--.*?-->", "", DEMO_APP.read_text(encoding="utf-8"), flags=re.S)
    css = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    js = "".join(re.findall(r"<script>(.*?)</script>", html, flags=re.S))
    html = re.sub(r"<style>.*?</style>|<script>.*?</script>", "", html, flags=re.S)
    rules: list[str] = []

    def attribute(match: re.Match[str]) -> str:
        rules.append(f'[data-demo-style="{len(rules)}"] {{ {match.group(1)} }}')
        return f'data-demo-style="{len(rules) - 1}"'

    html = re.sub(r'(?<=\s)style="([^"]*)"', attribute, html)
    assert not re.search(r"\sstyle=|<style|<script>", html)
    html = html.replace("<head>", '<head>\n<script src="/probe.js"></script>'
                        '<link rel="stylesheet" href="/demo.css">', 1)
    html = html.replace("</body>", '<script src="/demo.js"></script>'
                        '<script src="/RUNTIME"></script></body>', 1)
    return {"page": html.encode(), "/demo.css": (css + "\n".join(rules)).encode(),
            "/demo.js": js.encode()}


# Records every violation the page reports, from the first byte on (the first script in <head>).
PROBE = b"""window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + e.sample));"""

NAVBAR_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Admin</title><style>
  body { margin: 0; font: 15px/1.5 sans-serif; }
  #navbar { position: fixed; top: 0; left: 0; right: 0; height: 56px; z-index: 1030;
            display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #1e293b; color: #fff; }
  #sidebar { position: fixed; top: 56px; bottom: 0; left: 0; width: 200px; background: #f1f5f9; }
  #content { margin: 56px 0 0 200px; padding: 0 24px; min-height: 3000px; }
  #toolbar { position: sticky; top: 56px; height: 40px; background: #e2e8f0; }
  #toast { position: fixed; top: 70%; left: 40%; width: 100px; height: 30px; }
  #chat { position: fixed; right: 16px; bottom: 16px; width: 56px; height: 56px; }
  #menu-button { height: 36px; }
</style></head><body>
<nav id="navbar"><strong>Admin</strong><button id="menu-button" type="button">Menu</button>
  <input id="search" type="search" placeholder="Search"></nav>
<aside id="sidebar" style="top: 56px !important; color: rgb(1, 2, 3)">Sidebar</aside>
<main id="content"><div id="toolbar" style="">Toolbar</div><p>Content</p></main>
<div id="toast">Toast</div><button id="chat" type="button">Chat</button>
<script>
  window.__menu = 0;
  document.getElementById('menu-button').addEventListener('click', () => { window.__menu++; });
</script>
</body></html>"""


class _Handler(QuietHandler):
    """`/files?csp=strict|nonce|none&runtime=readable|minified`: the CSP-clean demo app with that
    policy; its files; the example's assets; `/navbar`: the page with fixed and sticky bars."""

    files = strict_demo()
    runtimes = {"readable": RUNTIME_JS.read_bytes(), "minified": RUNTIME_MIN_JS.read_bytes()}
    policies = {"strict": STRICT, "nonce": f"default-src 'self'; style-src 'self' 'nonce-{NONCE}'"}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        asset = EXAMPLE_PROJECT / "assets" / url.path.rsplit("/", 1)[-1]
        if url.path == "/files":
            page = self.files["page"].replace(b"/RUNTIME", f"/{query['runtime']}.js".encode())
            self._send("text/html; charset=utf-8", page, self.policies.get(query.get("csp", "")))
        elif url.path == "/navbar":
            self._send("text/html; charset=utf-8", NAVBAR_PAGE)
        elif url.path in self.files:
            kind = "text/css" if url.path.endswith(".css") else "text/javascript"
            self._send(kind, self.files[url.path])
        elif url.path == "/probe.js":
            self._send("text/javascript", PROBE)
        elif url.path.endswith(".js") and url.path[1:-3] in self.runtimes:
            self._send("text/javascript", self.runtimes[url.path[1:-3]])
        elif url.path.startswith("/assets/") and asset.is_file():
            self._send("image/png", asset.read_bytes())
        else:
            self.send_error(404)

    def _send(self, kind: str, body: bytes, policy: str | None = None) -> None:
        self.send(200, kind, body, {"Content-Security-Policy": policy} if policy else None)


@pytest.fixture(scope="module")
def host_server() -> Iterator[str]:
    with serving(_Handler, "embedding-server") as url:
        yield url


# ---------------------------------------------------------------------------
# Driving the runtime
# ---------------------------------------------------------------------------


def variant(browser: GuidePage) -> str:
    return "minified" if browser.runtime == RUNTIME_MIN_JS else "readable"


# Always a vertical scrollbar, so that a page made longer by hostile CSS has the same viewport width.
SCROLLBAR = "document.documentElement.style.overflowY = 'scroll';"


def init(browser: GuidePage, bundle: Bundle, now: int = NOW_MS, **options: Any) -> None:
    """GuideStudio.init on the loaded page (the runtime injected unless the page loads it), with
    extra options such as shadow or nonce; events collect in window.__events."""
    browser.run(SCROLLBAR)
    if not browser.js("typeof GuideStudio === 'object'"):
        browser.page.runJavaScript(browser.runtime.read_text(encoding="utf-8"), 0)
    extra = "".join(f", {name}: {json.dumps(value)}" for name, value in options.items())
    browser.run(f"window.__events = []; window.gs = GuideStudio.init({{bundle: {json.dumps(bundle)},"
                f" user: {json.dumps(USER)}, locale: 'en', now: () => {now}{extra},"
                " onEvent: (name, props) => window.__events.push([name, props])});")


# Where the guide is: the document, or the open shadow root of the <guide-studio> element.
SCOPE = ("const host = document.querySelector('guide-studio'),"
         " scope = host ? host.shadowRoot : document;")

# The computed styles of every element of the guide on screen (animations cancelled, so nothing is
# caught mid-fade), without what depends on where it sits or on the viewport: position, size, the
# arrow's custom properties.
SNAPSHOT = SCOPE + """
  const root = scope.querySelector('.gs-root');
  if (!root) return null;
  root.getAnimations({subtree: true}).forEach((animation) => animation.cancel());
  const skip = /^(top|left|right|bottom|inset.*|width|height|inline-size|block-size|transform-origin|perspective-origin|--.*)$/;
  return [root, ...root.querySelectorAll('*')].map((element) => {
    const style = getComputedStyle(element), out = {};
    for (const name of style) if (!skip.test(name)) out[name] = style.getPropertyValue(name);
    return [element.tagName.toLowerCase() + '.' + element.className, out];
  });"""


ANCHORS = {"tooltip": "#advanced-search", "hotspot": "#upgrade-button"}


def show(browser: GuidePage, layout: str) -> list[tuple[str, dict[str, str]]]:
    """Open the example guide of ``layout`` (a hotspot's step too) and snapshot its styles. An
    anchored step's anchor is scrolled to the middle of the window first, so that the step is on
    the same side of it on every page (the arrow's borders depend on the side)."""
    if layout in ANCHORS:
        browser.run(f"document.querySelector({json.dumps(ANCHORS[layout])})"
                    ".scrollIntoView({block: 'center'});")
    browser.run(f"gs.show({json.dumps(LAYOUTS[layout])});")
    if layout == "hotspot":
        browser.run(SCOPE + "scope.querySelector('.gs-beacon').click();")
    browser.qtbot.waitUntil(lambda: browser.run(
        SCOPE + "const s = scope.querySelector('.gs-step'); return !!s && !s.hidden;") is True)
    return [(label, style) for label, style in browser.run(SNAPSHOT)]


def differences(a: list[tuple[str, dict[str, str]]], b: list[tuple[str, dict[str, str]]]
                ) -> dict[str, set[str]]:
    """Element label -> the properties whose computed values differ."""
    assert [label for label, _ in a] == [label for label, _ in b]
    out: dict[str, set[str]] = {}
    for (label, left), (_, right) in zip(a, b, strict=True):
        changed = {name for name in left if left[name] != right.get(name)}
        if changed:
            out[label] = changed
    return out


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Snapshots of every layout on the plain demo page, by (mode, layout), filled by the first
    test that needs them (each browser test runs on both runtime files; both must match)."""
    return {}


def demo_snapshots(browser: GuidePage, bundle: Bundle, cache: dict[str, Any], shadow: bool
                   ) -> dict[str, list[tuple[str, dict[str, str]]]]:
    key = f"{variant(browser)}-{shadow}"
    if key not in cache:
        browser.load("/files")
        init(browser, bundle, DEC_20, shadow=shadow)
        cache[key] = {layout: show(browser, layout) for layout in LAYOUTS}
    return cache[key]


# ---------------------------------------------------------------------------
# 3. A strict Content-Security-Policy
# ---------------------------------------------------------------------------


def violations(browser: GuidePage) -> list[str]:
    return browser.js("window.__violations")


def test_every_layout_is_styled_under_a_strict_csp_and_nothing_is_blocked(
        browser: GuidePage, example_bundle: Bundle, host_server: str,
        reference: dict[str, Any]) -> None:
    expected = demo_snapshots(browser, example_bundle, reference, shadow=False)
    browser.load(f"{host_server}/files?csp=strict&runtime={variant(browser)}")
    assert browser.js("typeof GuideStudio") == "object"  # loaded by <script src>, as 'self'
    assert violations(browser) == []  # the CSP-clean demo page itself
    init(browser, example_bundle, DEC_20)
    for layout in LAYOUTS:
        assert differences(show(browser, layout), expected[layout]) == {}, layout
        assert violations(browser) == [], layout
    # the pushed banner moved the sticky top bar through the CSSOM, which the policy allows
    browser.run("gs.show('storage-almost-full');")
    assert browser.js("document.querySelector('.topbar').style.top") != ""
    assert browser.js("document.adoptedStyleSheets.length") == 1
    assert not browser.js("document.querySelector('style')")
    browser.run("gs.destroy();")
    assert browser.js("document.adoptedStyleSheets.length") == 0
    # canary: the policy is live and the listener hears it (a style attribute is refused)
    browser.run("document.body.insertAdjacentHTML('beforeend', '<b id=canary style=\"color: red\">x</b>');")
    browser.qtbot.waitUntil(lambda: len(violations(browser)) == 1)
    assert violations(browser)[0].startswith("style-src-attr")
    assert browser.js("getComputedStyle(document.getElementById('canary')).color") != "rgb(255, 0, 0)"


@pytest.mark.parametrize("nonce", [NONCE, None], ids=["with-nonce", "without-nonce"])
def test_without_constructable_stylesheets_a_nonce_lets_the_style_element_in(
        browser: GuidePage, example_bundle: Bundle, host_server: str, nonce: str | None) -> None:
    """An older browser (no adoptedStyleSheets) under a nonce-based policy: the runtime's <style>
    carries the nonce and applies; without the option the policy refuses it, and says so."""
    browser.load(f"{host_server}/files?csp=nonce&runtime={variant(browser)}")
    browser.run("delete Document.prototype.adoptedStyleSheets; delete ShadowRoot.prototype.adoptedStyleSheets;")
    init(browser, example_bundle, **({"nonce": nonce} if nonce else {}))
    browser.run("gs.show('release-announcement');")
    radius = "getComputedStyle(document.querySelector('.gs-step')).borderTopLeftRadius"
    if nonce:
        assert browser.js("document.querySelector('head > style').nonce") == NONCE
        assert browser.js(radius) not in ("", "0px")
        assert violations(browser) == []
    else:
        browser.qtbot.waitUntil(lambda: len(violations(browser)) > 0)
        assert all(v.startswith("style-src-elem") for v in violations(browser)), violations(browser)
        assert browser.js(radius) == "0px"
    browser.run("gs.destroy();")
    assert browser.js("document.querySelector('style')") is None


# ---------------------------------------------------------------------------
# 4. Style isolation: a shadow root
# ---------------------------------------------------------------------------

HOSTILE_CSS = """
* { all: revert !important; font: italic 30px/3 serif !important; color: #f0f !important;
    letter-spacing: 3px !important; text-transform: uppercase !important; cursor: wait !important;
    text-shadow: 2px 2px red !important; visibility: visible !important; }
button, input, textarea { all: unset !important; background: lime !important; border: 5px dashed red !important;
    padding: 20px !important; }
h2, p, ul, li, form, img, textarea { display: none !important; }
[class*="gs-"] { outline: 9px solid orange !important; margin: 40px !important; }
div { box-sizing: content-box !important; border-radius: 0 !important; }
"""


def add_hostile_css(browser: GuidePage) -> None:
    browser.run("const s = document.createElement('style'); s.id = 'hostile';"
                f" s.textContent = {json.dumps(HOSTILE_CSS)}; document.head.append(s);")


def test_in_a_shadow_root_host_css_cannot_restyle_a_guide(
        browser: GuidePage, example_bundle: Bundle, reference: dict[str, Any]) -> None:
    expected = demo_snapshots(browser, example_bundle, reference, shadow=True)
    browser.load("/files")
    add_hostile_css(browser)
    init(browser, example_bundle, DEC_20, shadow=True)
    assert browser.js("document.querySelector('.gs-root')") is None  # not in the host's DOM
    for layout in LAYOUTS:
        assert differences(show(browser, layout), expected[layout]) == {}, layout


def test_without_a_shadow_root_host_css_restyles_a_guide(
        browser: GuidePage, example_bundle: Bundle, reference: dict[str, Any]) -> None:
    """The default mode is not isolated: a host's !important rules win. What changes is in
    docs/runtime.md; here, that the title and the buttons lose the theme's look."""
    expected = demo_snapshots(browser, example_bundle, reference, shadow=False)
    browser.load("/files")
    add_hostile_css(browser)
    init(browser, example_bundle, DEC_20)
    changed = differences(show(browser, "modal"), expected["modal"])
    step = next(label for label in changed if "gs-step" in label)
    assert {"font-size", "font-family", "color", "margin-top", "outline-style"} <= changed[step]
    button = next(label for label in changed if "gs-btn-primary" in label)
    assert {"background-color", "border-top-style", "padding-top"} <= changed[button]
    assert browser.js("getComputedStyle(document.querySelector('.gs-title')).display") == "none"


TEXTLESS = ("div.gs-root", "div.gs-backdrop", "button.gs-beacon")
INHERITED = re.compile(r"^(font-family|font-size|line-height|-webkit-locale|text-decoration|"
                       r"[-a-z]*color)$")


def test_shadow_mode_looks_like_the_default_mode_on_a_plain_page(
        browser: GuidePage, example_bundle: Bundle, reference: dict[str, Any]) -> None:
    """Only the boxes without text differ (root, backdrop, beacon), and only in what they would
    inherit for text: in the shadow root nothing is inherited from the page, where the default
    mode inherits the body's font and colour."""
    shadow = demo_snapshots(browser, example_bundle, reference, shadow=True)
    plain = demo_snapshots(browser, example_bundle, reference, shadow=False)
    for layout in LAYOUTS:
        changed = differences(shadow[layout], plain[layout])
        assert all(label.startswith(TEXTLESS) for label in changed), (layout, changed)
        assert all(INHERITED.match(name) for names in changed.values() for name in names), changed


def test_in_a_shadow_root_guides_still_sit_on_their_anchors_and_work(
        browser: GuidePage, example_bundle: Bundle) -> None:
    def for_everyone(b: Bundle) -> None:
        guide(b, "premium-feature-tooltip").update(audience={"segments": [], "condition": {}},
                                                   exempt_from_throttle=True)

    browser.load("/files")
    add_hostile_css(browser)
    init(browser, rebundle(example_bundle, for_everyone), DEC_20, shadow=True)
    rect = ("(e) => { const r = e.getBoundingClientRect();"
            " return {top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width}; }")
    # a click on the host page still triggers a guide (its trigger: a click on #advanced-search)
    browser.run("gs.show('release-announcement'); document.querySelector('guide-studio').shadowRoot"
                ".querySelector('[data-gs-close]').click();")
    browser.run("const a = document.getElementById('advanced-search');"
                " a.scrollIntoView({block: 'center'}); a.click();")
    browser.wait_for("document.querySelector('guide-studio').shadowRoot"
                     ".querySelector('.gs-layout-tooltip')")
    step, anchor = browser.run(SCOPE + f"const rect = {rect};"
                               " return [rect(scope.querySelector('.gs-step')),"
                               " rect(document.getElementById('advanced-search'))];")
    assert abs(step["top"] - anchor["bottom"] - 10) <= 1
    assert abs(step["left"] + step["width"] / 2 - anchor["left"] - anchor["width"] / 2) <= 1
    browser.run("document.getElementById('upgrade-button').scrollIntoView({block: 'center'});"
                "gs.show('holiday-promo-draft');")
    beacon, anchor = browser.run(SCOPE + f"const rect = {rect};"
                                 " return [rect(scope.querySelector('.gs-beacon')),"
                                 " rect(document.getElementById('upgrade-button'))];")
    assert abs((beacon["left"] + beacon["right"]) / 2 - anchor["right"]) <= 1
    # a modal: focus inside the shadow root, Tab cycles in it, its buttons and ESC work
    browser.run("gs.show('release-announcement');")
    inside = SCOPE + "return scope.querySelector('.gs-step').contains(scope.activeElement);"
    assert browser.run(inside) is True
    count = browser.run(SCOPE + "return scope.querySelectorAll('.gs-step button').length;")
    for _ in range(count + 1):
        browser.key(Qt.Key.Key_Tab)
        assert browser.run(inside) is True
    dismissed = ("window.__events.filter(([name, props]) => name === 'guide_dismissed'"
                 " && props.guide_id === 'release-announcement').length")
    before = browser.js(dismissed)
    browser.run(SCOPE + "scope.querySelector('[data-gs-close]').click();")
    assert browser.js(dismissed) == before + 1
    browser.run("gs.show('release-announcement');")
    browser.key(Qt.Key.Key_Escape)
    browser.wait_for(f"{dismissed} === {before + 2}")
    browser.run("gs.destroy();")
    assert browser.js("document.querySelector('guide-studio')") is None


# (after a blur: a guide that closes gives the focus back to the page, whose own focus ring is not
# the guide's doing)
HOST_STYLES = """
  window.__hostStyles = () => (document.activeElement.blur(), [...document.querySelectorAll('body *')])
    .filter((e) => !e.closest('.gs-root, guide-studio'))
    .map((e) => { const s = getComputedStyle(e); return [...s].map((n) => s.getPropertyValue(n)).join(';'); });"""


@pytest.mark.parametrize("shadow", [False, True], ids=["default", "shadow"])
def test_a_guides_css_does_not_restyle_the_host(
        browser: GuidePage, example_bundle: Bundle, shadow: bool) -> None:
    """Every host element's computed style is the same with every layout on screen (the banner
    without push: a pushing banner moves the page on purpose)."""
    bundle = rebundle(example_bundle, lambda b: guide(b, "storage-almost-full")["display"].update(
        push=False))
    browser.load("/files")
    browser.run(SCROLLBAR + HOST_STYLES)
    before = browser.js("window.__hostStyles()")
    init(browser, bundle, DEC_20, shadow=shadow)
    for layout in LAYOUTS:
        show(browser, layout)
        after = browser.js("window.__hostStyles()")
        changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert changed == [], layout


# ---------------------------------------------------------------------------
# 5. Fixed and sticky bars under a pushing banner
# ---------------------------------------------------------------------------

RECTS = """const rect = (id) => { const r = document.getElementById(id).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
return Object.fromEntries(['navbar', 'sidebar', 'toolbar', 'toast', 'chat', 'menu-button']
  .map((id) => [id, rect(id)]));"""
# Each inline style as declarations (null: no style attribute). Its text cannot be put back byte for
# byte under a strict CSP (setAttribute('style') is refused), its declarations can.
INLINE = """const inline = (e) => (e.getAttribute('style') === null ? null : e.style.cssText);
return Object.fromEntries(['navbar', 'sidebar', 'toolbar', 'toast', 'chat', 'content']
  .map((id) => [id, inline(document.getElementById(id))])
  .concat([['body', inline(document.body)],
           ['sidebar-priority', document.getElementById('sidebar').style.getPropertyPriority('top')]]));"""


def click_at(browser: GuidePage, x: float, y: float) -> None:
    """A real mouse click through Qt at viewport coordinates."""
    target = browser.view.focusProxy() or browser.view
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(x), round(y)))


def test_a_pushing_banner_moves_the_fixed_navbar_and_puts_everything_back(
        browser: GuidePage, example_bundle: Bundle, host_server: str) -> None:
    browser.load(f"{host_server}/navbar")
    before, inline = browser.run(RECTS), browser.run(INLINE)
    init(browser, example_bundle)
    browser.run("gs.show('storage-almost-full');")
    height = browser.js("document.querySelector('.gs-step').getBoundingClientRect().height")
    assert height > 30
    now = browser.run(RECTS)
    # the top bars moved down by the banner's height; the toast (lower half) and the chat did not
    for bar in ("navbar", "sidebar", "menu-button"):
        assert abs(now[bar]["top"] - before[bar]["top"] - height) <= 1, bar
    assert now["toast"] == before["toast"] and now["chat"] == before["chat"]
    # the navbar is fully visible and clickable: at its centre and at the menu button is the navbar
    nav = now["navbar"]
    assert browser.js(f"document.getElementById('navbar').contains(document.elementFromPoint("
                      f"{(nav['left'] + nav['right']) / 2}, {(nav['top'] + nav['bottom']) / 2}))")
    menu = now["menu-button"]
    x, y = (menu["left"] + menu["right"]) / 2, (menu["top"] + menu["bottom"]) / 2
    assert browser.js(f"document.elementFromPoint({x}, {y}).id") == "menu-button"
    click_at(browser, x, y)
    browser.wait_for("window.__menu === 1")
    # scrolled: the sticky toolbar sticks right under the moved navbar, not under the banner
    browser.run("window.scrollTo(0, 600);")
    browser.wait_for("scrollY === 600")
    toolbar = browser.run(RECTS)["toolbar"]
    assert abs(toolbar["top"] - (height + 56)) <= 1
    browser.run("window.scrollTo(0, 0);")
    browser.run("document.querySelector('.gs-step [data-gs-close]').click();")
    assert browser.js("document.querySelector('.gs-root')") is None
    assert browser.run(RECTS) == before
    assert browser.run(INLINE) == inline  # down to the attributes that were not there
    assert inline["navbar"] is None and inline["body"] is None and inline["sidebar-priority"] == "important"


def test_a_pushing_bottom_banner_lifts_the_fixed_bottom_bars(
        browser: GuidePage, example_bundle: Bundle, host_server: str) -> None:
    bundle = rebundle(example_bundle, lambda b: guide(b, "storage-almost-full")["display"].update(
        position="bottom"))
    browser.load(f"{host_server}/navbar")
    before, inline = browser.run(RECTS), browser.run(INLINE)
    init(browser, bundle)
    browser.run("gs.show('storage-almost-full');")
    banner = browser.box(".gs-step")
    now = browser.run(RECTS)
    assert abs(now["chat"]["bottom"] - (banner["top"] - 16)) <= 1  # still 16 px above what is below it
    assert now["navbar"] == before["navbar"] and now["sidebar"]["top"] == before["sidebar"]["top"]
    browser.run("gs.destroy();")
    assert browser.run(RECTS) == before and browser.run(INLINE) == inline


# ---------------------------------------------------------------------------
# The snippet of docs/runtime.md
# ---------------------------------------------------------------------------


def test_the_documented_strict_page_snippet_runs_under_a_strict_csp(
        browser: GuidePage, example_bundle: Bundle, host_server: str) -> None:
    doc = (REPO_ROOT / "docs" / "runtime.md").read_text(encoding="utf-8")
    snippet = re.search(r"<!-- snippet: strict-init -->\n```js\n(.*?)```", doc, flags=re.S)
    assert snippet, "docs/runtime.md lost its strict-init snippet"
    browser.load(f"{host_server}/files?csp=strict&runtime={variant(browser)}")
    browser.run(f"((bundle, cspNonce) => {{ {snippet.group(1)} }})({json.dumps(example_bundle)});")
    browser.run("guides.show('release-announcement');")
    radius = browser.js("getComputedStyle(document.querySelector('guide-studio').shadowRoot"
                        ".querySelector('.gs-step')).borderTopLeftRadius")
    assert radius not in ("", "0px")  # themed
    assert violations(browser) == []
