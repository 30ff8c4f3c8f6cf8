"""The embedding snippets of docs/runtime.md, run as written, against a real export.

``guidestudio export --runtime DIR`` writes the example bundle and the runtime folder (with its
``package.json``); a local server gives the folder at ``/static/`` and the bundle at
``/guides/bundle.json``, and serves, on every route, a page made of one snippet taken from the
docs' text (between its ``<!-- snippet: NAME -->`` marker and the end of the code block), so the
docs cannot drift from what is tested. The page only adds ``analytics.track``, which the
snippets' ``onEvent`` calls. Node imports the same folder as a package through its ``exports``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView

from guidestudio.core.bundle.export import export_project, runtime_package_json
from guidestudio.core.resources import RUNTIME_DIR
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT
from tests.http_support import QuietHandler, serving
from tests.runtime.conftest import VIEWPORT, GuidePage, RecordingPage

DOCS = REPO_ROOT / "docs" / "runtime.md"
NODE = shutil.which("node")
BANNER = "storage-almost-full"  # free plan, storage >= 90 %, page views of /files/**
KINDS = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
         ".map": "application/json", ".ts": "text/plain"}


def snippet(name: str) -> str:
    """The code block that follows ``<!-- snippet: NAME -->`` in docs/runtime.md."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(rf"<!-- snippet: {re.escape(name)} -->\n```html\n(.*?)\n```", text, re.S)
    assert found, f"docs/runtime.md has no '{name}' snippet"
    return found.group(1)


def page_for(name: str) -> bytes:
    return ("<!doctype html><html><head><meta charset='utf-8'><title>host</title><script>"
            "window.__events = []; window.__loaded = Math.random();"
            "window.analytics = {track: (name, props) => window.__events.push([name, props])};"
            f"</script></head><body>\n{snippet(name)}\n</body></html>").encode()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's production bundle and the runtime package, through the real export."""
    out = tmp_path_factory.mktemp("export")
    result = export_project(EXAMPLE_PROJECT, out / "bundle.json", runtime_dir=out / "runtime")
    assert result.ok, result.problems
    return out


class _Handler(QuietHandler):
    root: ClassVar[Path]
    page: ClassVar[bytes] = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?")[0]
        if path == "/guides/bundle.json":
            self.send(200, KINDS[".json"], (self.root / "bundle.json").read_bytes())
        elif path.startswith("/static/"):
            file = self.root / "runtime" / path.removeprefix("/static/")
            if file.is_file() and "/" not in path.removeprefix("/static/"):
                self.send(200, KINDS.get(file.suffix, "application/octet-stream"),
                           file.read_bytes())
            else:
                self.send(404, "text/plain", b"not found")
        elif path.endswith((".ico", ".js", ".json")):
            self.send(404, "text/plain", b"not found")
        else:  # every route of the app is the page (an SPA's server does this)
            self.send(200, "text/html; charset=utf-8", self.page)

@pytest.fixture(scope="module")
def server(exported: Path) -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"root": exported})
    with serving(handler, "snippet-server") as url:
        yield url, handler


@pytest.fixture
def host(qtbot: Any, server: tuple[str, type[_Handler]]) -> Iterator[tuple[GuidePage, type[_Handler]]]:
    """A shown view on a fresh off-the-record profile; the test picks the page's snippet."""
    profile = QWebEngineProfile()
    view = QWebEngineView()
    page = RecordingPage(profile, view)
    view.setPage(page)
    view.resize(*VIEWPORT)
    view.show()
    qtbot.waitExposed(view)
    yield GuidePage(qtbot, view, page, server[0]), server[1]
    view.close()
    page.deleteLater()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    profile.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def shown(page: GuidePage) -> list[str]:
    return [props["guide_id"] for name, props in page.js("window.__events") if name == "guide_shown"]


def test_the_package_json_is_the_same_bytes_every_export(exported: Path, tmp_path: Path) -> None:
    again = export_project(EXAMPLE_PROJECT, tmp_path / "bundle.json", runtime_dir=tmp_path / "rt")
    assert again.ok
    first = (exported / "runtime" / "package.json").read_bytes()
    assert (tmp_path / "rt" / "package.json").read_bytes() == first
    assert first.endswith(b"}\n")
    package = json.loads(first)
    listed = {Path(p).name for p in package["files"]}
    assert listed == {p.name for p in (exported / "runtime").iterdir()} - {"package.json"}
    for target in [package["main"], package["types"], *package["exports"]["."].values()]:
        assert (exported / "runtime" / target).is_file(), target
    assert package["version"] == re.search(  # the runtime's GuideStudio.version
        r"version: '([^']+)'", (RUNTIME_DIR / "guide-runtime.js").read_text()).group(1)  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="version"):
        runtime_package_json("no version here", [])


@pytest.mark.parametrize("name", ["script-tag", "es-module"])
def test_the_snippet_shows_the_banner_on_a_files_page(
        host: tuple[GuidePage, type[_Handler]], name: str) -> None:
    page, handler = host
    handler.page = page_for(name)
    page.load("/files")
    page.wait_for(f"window.__events.some(([n, p]) => n === 'guide_shown' && p.guide_id === '{BANNER}')")
    assert page.js("document.querySelector('.gs-root').classList.contains('gs-layout-banner')")
    assert page.js("typeof window.guides.page") == "function"
    assert not [m for m in page.page.console if "rror" in m], page.page.console


def test_the_spa_snippet_follows_pushstate_route_changes(host: tuple[GuidePage, type[_Handler]]) -> None:
    page, handler = host
    handler.page = page_for("spa")
    page.load("/")
    page.wait_for("window.guides")  # the module ran: the bundle is in, the router hooked
    loaded = page.js("window.__loaded")
    assert BANNER not in shown(page)  # the home page is not /files/**
    page.click("nav a[href='/files']")
    page.wait_for(f"window.__events.some(([n, p]) => n === 'guide_shown' && p.guide_id === '{BANNER}')")
    assert page.js("location.pathname") == "/files"
    assert page.js("window.__loaded") == loaded  # a route change, not a page load
    assert page.js("!!document.querySelector('.gs-root.gs-layout-banner')")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_node_imports_the_exported_folder_as_a_package(exported: Path, tmp_path: Path) -> None:
    """A product's node_modules/@guidestudio/runtime: ``import`` and ``require`` resolve
    through the package's ``exports`` and give the same runtime."""
    installed = tmp_path / "node_modules" / "@guidestudio" / "runtime"
    shutil.copytree(exported / "runtime", installed)
    script = tmp_path / "check.mjs"
    script.write_text(
        "import {createRequire} from 'node:module';\n"
        "const esm = await import('@guidestudio/runtime');\n"
        "const cjs = createRequire(import.meta.url)('@guidestudio/runtime');\n"
        "console.log(JSON.stringify({init: typeof esm.init, same: esm.init === cjs.init,"
        " default: esm.default === cjs, version: esm.version,"
        " resolved: import.meta.resolve('@guidestudio/runtime')}));\n", encoding="utf-8")
    done = subprocess.run([str(NODE), str(script)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    package = json.loads((installed / "package.json").read_text(encoding="utf-8"))
    assert seen["init"] == "function" and seen["same"] and seen["default"]
    assert seen["version"] == package["version"]
    assert seen["resolved"].endswith("/node_modules/@guidestudio/runtime/guide-runtime.mjs")


TSC = REPO_ROOT / "tools" / "js" / "node_modules" / ".bin" / "tsc"


@pytest.mark.skipif(not TSC.is_file(), reason="`make runtime-check` installs TypeScript")
@pytest.mark.parametrize("resolution", ["nodenext", "bundler"])
def test_typescript_finds_the_types_through_the_exports(exported: Path, tmp_path: Path,
                                                        resolution: str) -> None:
    """A TypeScript product gets the .d.ts for ``import`` (Node's and bundlers' resolution),
    and a misuse of the API is a type error."""
    shutil.copytree(exported / "runtime", tmp_path / "node_modules" / "@guidestudio" / "runtime")
    (tmp_path / "app.mts").write_text(
        "import GuideStudio, {init} from '@guidestudio/runtime';\n"
        "export const version: string = GuideStudio.version;\n"
        "init({bundle: JSON.parse('{}')}).page('/files');\n"
        "// @ts-expect-error page() takes a URL string\n"
        "init({bundle: JSON.parse('{}')}).page(42);\n", encoding="utf-8")
    module = "nodenext" if resolution == "nodenext" else "esnext"
    (tmp_path / "tsconfig.json").write_text(json.dumps({"files": ["app.mts"], "compilerOptions": {
        "module": module, "moduleResolution": resolution, "strict": True, "noEmit": True,
        "esModuleInterop": True}}), encoding="utf-8")
    done = subprocess.run([str(TSC), "-p", str(tmp_path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
