"""The web page the preview runs in: injected runtime, isolation, and where links may go.

* The runtime is *injected* (``QWebEngineScript`` at DocumentReady) into an
  isolated world, so any page — the bundled demo app, a local file, a staging
  site — can be previewed without changing it, and the page's own scripts can
  neither see nor clobber ours. Isolated worlds share the DOM, which is all the
  runtime and the element picker need.
* The profile is off the record: no cookies, cache or storage on disk, nothing
  shared with the user's browser or between preview panes.
* The page never leaves the host page on its own: a link in a guide (or a
  ``url`` button, or a ``window.open``) opens in the system browser. Only
  loads the preview asked for, reloads and same-document moves stay inside.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QFile, QIODevice, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript

from guidestudio.core.resources import DEMO_APP, RUNTIME_DIR
from guidestudio.widgets.preview.element_picker import PICKER_JS

#: The world our scripts run in: not the page's (0), and fixed so runJavaScript can target it.
WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
SCRIPT_NAME = "guidestudio-preview"
#: The preview's own page scripts (editor-only: never in a bundle or the shipped runtime), in
#: the order they need each other: the canvas editor's serialiser, the editor, the bridge.
EDITOR_SCRIPTS = ("canvas-markdown.js", "canvas-edit.js", "preview-bridge.js")
NavigationType = QWebEnginePage.NavigationType
#: Navigations that keep the preview where it is: loads we asked for, reloads, history, server
#: redirects, and form posts (a staging site's sign-in cannot be handed to another browser).
_STAY = (NavigationType.NavigationTypeTyped, NavigationType.NavigationTypeReload,
         NavigationType.NavigationTypeBackForward, NavigationType.NavigationTypeRedirect,
         NavigationType.NavigationTypeFormSubmitted)


def demo_url() -> QUrl:
    return QUrl.fromLocalFile(str(DEMO_APP))


def host_url(text: str) -> QUrl:
    """What the user typed as a host page: empty = the demo app; a path = a local file."""
    text = text.strip()
    if not text:
        return demo_url()
    path = Path(text).expanduser()
    if path.is_absolute() or text.startswith((".", "~")):
        return QUrl.fromLocalFile(str(path.resolve()))
    return QUrl.fromUserInput(text)


@functools.cache
def _script_source() -> str:
    channel = QFile(":/qtwebchannel/qwebchannel.js")
    if not channel.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("qwebchannel.js is missing from the Qt installation")
    qwebchannel = bytes(channel.readAll().data()).decode("utf-8")
    channel.close()
    runtime = (RUNTIME_DIR / "guide-runtime.js").read_text(encoding="utf-8")
    editor = [(DEMO_APP.parent / name).read_text(encoding="utf-8") for name in EDITOR_SCRIPTS]
    # One script, so the order (channel, runtime, picker, editor, bridge) is guaranteed.
    return "\n;\n".join((qwebchannel, runtime, PICKER_JS, *editor))


def injected_source() -> str:
    """The one script every preview page gets (read once; any thread)."""
    return _script_source()


def injected_script() -> QWebEngineScript:
    script = QWebEngineScript()
    script.setName(SCRIPT_NAME)
    script.setSourceCode(_script_source())
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setWorldId(WORLD)
    script.setRunsOnSubFrames(False)
    return script


def make_profile(parent: QObject) -> QWebEngineProfile:
    """A fresh off-the-record profile (no storage name means nothing touches the disk)."""
    profile = QWebEngineProfile(parent)
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    return profile


def _without_fragment(url: QUrl) -> str:
    return url.toString().split("#", 1)[0]


def open_externally(url: QUrl) -> None:
    """The one place the preview hands a URL to the system browser (tests patch openUrl)."""
    if url.scheme() in ("http", "https", "mailto"):
        QDesktopServices.openUrl(url)


class _PopupPage(QWebEnginePage):
    """What ``window.open`` gets: its first navigation goes to the system browser instead."""

    def acceptNavigationRequest(self, url: QUrl | str, type_: NavigationType,
                                isMainFrame: bool) -> bool:
        open_externally(QUrl(url))
        self.deleteLater()
        return False


class PreviewPage(QWebEnginePage):
    """A page that stays on its host page and reports the page's console."""

    consoleMessage = Signal(str, str, int, str)  # level, message, line, source
    openedExternally = Signal(QUrl)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.scripts().insert(injected_script())
        self._expected: QUrl | None = None

    def load_host(self, url: QUrl) -> None:
        """Load a host page: the only navigation to another document the preview starts."""
        self._expected = url
        self.load(url)

    def acceptNavigationRequest(self, url: QUrl | str, type_: NavigationType,
                                isMainFrame: bool) -> bool:
        url = QUrl(url)
        if not isMainFrame:
            return True  # the host page's own frames are its business
        expected, self._expected = self._expected, None
        if type_ in _STAY or (expected is not None and url == expected):
            return True
        if _without_fragment(url) == _without_fragment(self.url()):
            return True  # an in-page anchor
        open_externally(url)
        self.openedExternally.emit(url)
        return False

    def createWindow(self, type_: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        return _PopupPage(self.profile(), self)

    def javaScriptConsoleMessage(self, level: QWebEnginePage.JavaScriptConsoleMessageLevel,
                                 message: str, lineNumber: int, sourceID: str) -> None:
        name = {
            QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: "info",
            QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: "warning",
            QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel: "error",
        }.get(level, "info")
        self.consoleMessage.emit(name, message, lineNumber, sourceID)
