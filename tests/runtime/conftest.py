"""The runtime in the real web engine: the demo app, the example bundle, a page to drive.

Shaped after qutebrowser's JavaScript tests: load a page waiting on
``loadFinished``, run JavaScript with ``qtbot.waitCallback`` and assert on the
value. The demo app is served by a tiny HTTP server on 127.0.0.1 (port 0) so the
page has a real origin: ``history.pushState`` to ``/reports`` is refused on
``file://``. Every test gets its own off-the-record profile, so storage starts
empty; a test that reloads keeps the profile and therefore its localStorage.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

# QtWebEngine must be imported before the QApplication exists (pytest-qt creates it lazily).
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

from guidestudio.core.bundle import bundle_file as bundle_io
from guidestudio.core.bundle.export import export_project
from guidestudio.core.eligibility import parse_utc
from guidestudio.core.files import yaml_io
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT
from tests.http_support import QuietHandler, serving

RUNTIME_JS = REPO_ROOT / "guidestudio" / "resources" / "runtime" / "guide-runtime.js"
# What the package ships to products: built from RUNTIME_JS by `make runtime` (property names of the
# per-guide state are mangled), so every browser test runs on both files.
RUNTIME_MIN_JS = RUNTIME_JS.with_name("guide-runtime.min.js")
DEMO_APP = REPO_ROOT / "guidestudio" / "resources" / "preview" / "demo-app.html"
ROUTES = ("", "files", "reports", "settings")  # the demo app's SPA routes
NOW_MS = int(parse_utc("2026-11-24T12:00:00Z") or 0)
VIEWPORT = (1280, 800)


def load_profiles() -> dict[str, dict[str, Any]]:
    """The example project's sample users by id: ``{attributes, events}``."""
    data = yaml.safe_load((EXAMPLE_PROJECT / "profiles.yaml").read_text(encoding="utf-8"))
    return {p["id"]: p for p in data["profiles"]}


def history_of(profile: dict[str, Any]) -> dict[str, Any]:
    """A fresh runtime history holding a profile's event counts (YAML dates -> 'YYYY-MM-DD')."""
    events = {name: {str(day): count for day, count in days.items()}
              for name, days in (profile.get("events") or {}).items()}
    return {"v": 1, "guides": {}, "events": events}


def rebundle(bundle: dict[str, Any], mutate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """A changed copy of ``bundle`` with a valid checksum again."""
    out = copy.deepcopy(bundle)
    mutate(out)
    return bundle_io.finalize(out)


def guide(bundle: dict[str, Any], guide_id: str) -> dict[str, Any]:
    return next(g for g in bundle["guides"] if g["id"] == guide_id)


def export_example(root: Path = EXAMPLE_PROJECT) -> dict[str, Any]:
    """Staging bundle with drafts (the holiday hotspot is a draft), through the real export path."""
    result = export_project(root, None, environment="staging", include_drafts=True)
    assert result.ok and result.bundle is not None, result.problems
    return result.bundle


@pytest.fixture(scope="session")
def example_bundle() -> dict[str, Any]:
    return export_example()


@pytest.fixture(scope="session")
def profiles() -> dict[str, dict[str, Any]]:
    return load_profiles()


# ---------------------------------------------------------------------------
# Script payloads in every text field
# ---------------------------------------------------------------------------

PAYLOAD_FIELDS = ("title", "body", "label", "alt", "description", "question", "low_label",
                  "high_label", "comment_label", "thank_you")


def payload(field: str) -> str:
    """Markup that would set the sentinel if it were ever parsed as HTML or followed as a link."""
    return (f"<img src=x onerror=\"window.__pwned='{field}'\">\"><script>window.__pwned='{field}'"
            f"</script><svg onload=\"window.__pwned='{field}'\"></svg>")


def _poison(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PAYLOAD_FIELDS and isinstance(value, dict):
                text = payload(key)
                if key == "body":
                    text += (" [docs](https://acme.example/?q=\"><script>window.__pwned='href'</script>)"
                             " {{first_name|friend}}")
                if key == "title":
                    text += " {{first_name|friend}}"
                node[key] = dict.fromkeys(value, text)
            else:
                _poison(value)
    elif isinstance(node, list):
        for value in node:
            _poison(value)


@pytest.fixture(scope="session")
def poisoned_bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example project with a script payload in every text field and every guide's name;
    the survey step loses its title so the guide's name becomes its label."""
    root = tmp_path_factory.mktemp("poisoned") / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    for path in sorted((root / "guides").glob("*.yaml")):
        data, _ = yaml_io.load(path.read_text(encoding="utf-8"))
        data["name"] = payload("name")
        _poison(data)
        if data["id"] == "nps-survey":
            del data["variants"][0]["steps"][0]["title"]
        path.write_text(yaml_io.dump(data), encoding="utf-8")
    return export_example(root)


# ---------------------------------------------------------------------------
# The demo app over HTTP
# ---------------------------------------------------------------------------


class _DemoHandler(QuietHandler):
    """The demo app for every SPA route, the example's assets, 404 for anything else."""

    page = DEMO_APP.read_bytes()
    assets = EXAMPLE_PROJECT / "assets"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        if parts[0] in ROUTES:
            self.send(200, "text/html; charset=utf-8", self.page)
        elif parts[0] == "assets" and len(parts) == 2 and (self.assets / parts[1]).is_file():
            self.send(200, "image/png", (self.assets / parts[1]).read_bytes())
        else:
            self.send(404, "text/plain", b"not found")

@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    with serving(_DemoHandler, "demo-app-server") as url:
        yield url


# ---------------------------------------------------------------------------
# A page to drive
# ---------------------------------------------------------------------------


class RecordingPage(QWebEnginePage):
    """Keeps console messages and never blocks on alert() (a payload would call it)."""

    def __init__(self, profile: QWebEngineProfile, parent: Any = None) -> None:
        super().__init__(profile, parent)
        self.console: list[str] = []
        self.alerts: list[str] = []

    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:  # noqa: N802
        self.console.append(message)

    def javaScriptAlert(self, origin: QUrl, message: str) -> None:  # noqa: N802
        self.alerts.append(message)


class GuidePage:
    """The demo app in a QWebEngineView with the runtime on top; JSON in, JSON out."""

    def __init__(self, qtbot: Any, view: QWebEngineView, page: RecordingPage, base_url: str,
                 runtime: Path = RUNTIME_JS):
        self.runtime = runtime
        self.qtbot = qtbot
        self.view = view
        self.page = page
        self.base_url = base_url

    # -- loading and scripting --------------------------------------------------

    def load(self, path: str = "/files") -> None:
        """Load the demo app at ``path`` (a route of the local server), or at a full URL."""
        url = QUrl(path if "://" in path else self.base_url + path)
        with self.qtbot.waitSignal(self.page.loadFinished, timeout=10_000) as blocker:
            self.page.load(url)
        assert blocker.args == [True], f"{url.toString()} did not load"

    def run(self, body: str) -> Any:
        """Run a function body in the page; its ``return`` value comes back through JSON
        (PySide6 loses arrays returned by runJavaScript, JSON does not)."""
        with self.qtbot.waitCallback(timeout=10_000) as callback:
            self.page.runJavaScript(f"JSON.stringify((() => {{ {body}\n }})())", 0, callback)
        raw = callback.args[0]
        return None if raw in (None, "") else json.loads(raw)

    def js(self, expression: str) -> Any:
        return self.run(f"return ({expression});")

    def wait_for(self, expression: str, timeout: int = 5_000) -> None:
        """Poll a JS expression until it is truthy (no sleeps)."""
        self.qtbot.waitUntil(lambda: self.js(f"!!({expression})") is True, timeout=timeout)

    def start(self, bundle: dict[str, Any], user: dict[str, Any], *, history: Any = None,
              locale: str = "en", now: int = NOW_MS) -> None:
        """Inject the runtime and ``GuideStudio.init`` it on the loaded page as a product would;
        ``history`` (an object, or raw text) is put in localStorage first. Events collect in
        ``window.__events`` as ``[name, props]``; the clock is ``window.__now``."""
        if not self.js("typeof GuideStudio === 'object'"):
            self.page.runJavaScript(self.runtime.read_text(encoding="utf-8"), 0)
        if history is not None:
            raw = history if isinstance(history, str) else json.dumps(history)
            key = "guidestudio:" + bundle["project"]["id"]
            self.run(f"localStorage.setItem({json.dumps(key)}, {json.dumps(raw)});")
        self.run(
            f"window.__now = {now}; window.__events = [];"
            f"window.gs = GuideStudio.init({{bundle: {json.dumps(bundle)}, user: {json.dumps(user)},"
            f" locale: {json.dumps(locale)}, now: () => window.__now,"
            f" onEvent: (name, props) => window.__events.push([name, props])}});"
        )

    # -- what a user would notice ---------------------------------------------------

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [(name, props) for name, props in self.js("window.__events")]

    def names(self) -> list[str]:
        return [name for name, _ in self.events()]

    def rect(self, selector: str) -> dict[str, float] | None:
        return self.run(
            f"const e = document.querySelector({json.dumps(selector)});"
            "if (!e) return null; const r = e.getBoundingClientRect();"
            "return {top: r.top, left: r.left, right: r.right, bottom: r.bottom,"
            " width: r.width, height: r.height};"
        )

    def box(self, selector: str) -> dict[str, float]:
        """Like ``rect``, for an element that must be on the page."""
        rect = self.rect(selector)
        assert rect is not None, f"{selector} is not on the page"
        return rect

    def text(self, selector: str) -> str | None:
        return self.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent")

    def click(self, selector: str) -> None:
        assert self.js(f"!!document.querySelector({json.dumps(selector)})"), selector
        self.run(f"document.querySelector({json.dumps(selector)}).click();")

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
            ) -> None:
        """A real key press through Qt, as a keyboard user would make it."""
        target = self.view.focusProxy() or self.view
        target.setFocus()
        QTest.keyClick(target, key, modifier)

    def active(self) -> str:
        """What has the focus: the element's id, else its data-gs-* hook or tag."""
        return self.run(
            "const e = document.activeElement; if (!e) return '';"
            "return e.id || [...e.attributes].map((a) => a.name).find((n) => n.startsWith('data-gs'))"
            " || e.tagName.toLowerCase();"
        )


@pytest.fixture(params=[RUNTIME_JS, RUNTIME_MIN_JS], ids=["readable", "minified"])
def browser(request: pytest.FixtureRequest, qtbot: Any, demo_server: str) -> Iterator[GuidePage]:
    """A shown view on a fresh off-the-record profile (empty storage), running the readable or
    the shipped runtime; deleted page-first, and the test fails if it left a top-level widget
    behind."""
    before = set(QApplication.topLevelWidgets())
    profile = QWebEngineProfile()
    assert profile.isOffTheRecord()
    view = QWebEngineView()
    page = RecordingPage(profile, view)
    view.setPage(page)
    view.resize(*VIEWPORT)
    view.show()
    qtbot.waitExposed(view)
    yield GuidePage(qtbot, view, page, demo_server, request.param)
    view.close()
    page.deleteLater()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    profile.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before]
    assert not leaked, f"test left top-level widgets behind: {leaked}"
