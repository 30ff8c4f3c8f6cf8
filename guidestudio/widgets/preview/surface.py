"""One live preview: a web view showing the host page at a device's viewport size.

The page is loaded once; everything after that — a new bundle, a profile, a
variant, a keystroke's worth of changes — is pushed into it with
``runJavaScript`` (Qt's markdown-editor example, Anki), so the page's scroll
position and state survive edits. What the runtime should be showing is kept
here as *state*, and replayed whenever a (new) document reports ready: that is
the "queue JavaScript until the page is ready" rule without a queue that can
go stale. Callbacks that arrive after the widget is gone are dropped.

The device viewport is real: the view's zoom factor is chosen so that the
page's CSS viewport is exactly the device's width (``window.innerWidth``)
while the widget is scaled to fit the space it has.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from guidestudio.widgets.preview.bridge import Bridge, js_call
from guidestudio.widgets.preview.page import WORLD, PreviewPage, demo_url, make_profile

DEVICES: dict[str, tuple[int, int]] = {
    "desktop": (1440, 900),
    "laptop": (1280, 800),
    "tablet": (768, 1024),
    "phone": (390, 844),
}
MIN_ZOOM, MAX_ZOOM = 0.25, 2.0


def _guarded(callback: Callable[[Any], None]) -> Callable[[Any], None]:
    """A JavaScript result callback that does nothing once its widget has been deleted."""
    if not isinstance(callback, types.MethodType):
        return callback  # plain functions do not belong to a widget
    ref = weakref.WeakMethod(callback)

    def guarded(result: Any) -> None:
        bound = ref()
        if bound is not None and shiboken6.isValid(bound.__self__):
            bound(result)

    return guarded


def _ignore(_result: Any) -> None:
    pass


class PreviewSurface(QScrollArea):
    """A host page with the runtime in it, at one device size; see the module docstring."""

    ready = Signal(str)  # URL of the page that is now ready
    loadFailed = Signal(str)  # a message for people
    runtimeEvent = Signal(str, dict)
    consoleMessage = Signal(str, str, int, str)
    stepChanged = Signal(int)

    #: How long a host page may take before the preview gives up on it (tests shorten it).
    LOAD_TIMEOUT_MS = 15_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        holder = QWidget()
        self.setWidget(holder)
        self.view = QWebEngineView(holder)
        # Created after the view, so Qt deletes the page (the view's child) before the profile.
        self.profile = make_profile(self)
        self.page = PreviewPage(self.profile, self.view)
        self.view.setPage(self.page)
        self.bridge = Bridge(self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("previewBridge", self.bridge)
        self.page.setWebChannel(self.channel, WORLD)

        self._ready = False
        self._url = QUrl()
        self._state: dict[str, Any] | None = None
        self._picking = False
        self._device = DEVICES["desktop"]
        self._zoom: float | None = None  # None: fit the space
        self.current_step = -1
        self.set_zoom(None)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._timed_out)

        self.bridge.pageReady.connect(self._on_ready)
        self.bridge.runtimeEvent.connect(self._on_event)
        self.page.loadingChanged.connect(self._on_loading)
        self.page.consoleMessage.connect(self.consoleMessage)

    # --- loading -------------------------------------------------------------------------

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def url(self) -> QUrl:
        return self._url

    @property
    def configured(self) -> bool:
        """Whether the runtime has been told what to show (a guide that never compiled: no)."""
        return self._state is not None and self._state.get("guide") is not None

    def load(self, url: QUrl | None = None) -> None:
        """Load a host page (the demo app by default); the runtime state is replayed on it."""
        self._url = url if url is not None else demo_url()
        self._ready = False
        self._timeout.start(self.LOAD_TIMEOUT_MS)
        self.page.load_host(self._url)

    def _on_loading(self, info: QWebEngineLoadingInfo) -> None:
        if info.status() == QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus \
                and info.url() == self._url:
            self._timeout.stop()
            reason = info.errorString() or f"error {info.errorCode()}"
            self.loadFailed.emit(f"Could not load {info.url().toDisplayString()}: {reason}")

    def _timed_out(self) -> None:
        self.page.triggerAction(QWebEnginePage.WebAction.Stop)
        seconds = self.LOAD_TIMEOUT_MS / 1000
        self.loadFailed.emit(f"{self._url.toDisplayString()} did not load within {seconds:g} s; "
                             "check the address, or that the site is running")

    def _on_ready(self, href: str) -> None:
        if href.startswith(("chrome-error:", "about:")):  # error pages, blank documents
            return
        self._timeout.stop()
        self._ready = True
        self.view.setZoomFactor(self._zoom_factor)  # the engine may reset it on navigation
        if self._state is not None:
            self._run(js_call("configure", self._state), self._after_step)
        if self._picking:
            self._run(js_call("pick", True))
        self.ready.emit(href)

    # --- what the runtime shows ----------------------------------------------------------

    def configure(self, state: dict[str, Any]) -> None:
        """Start a fresh runtime: ``{bundle, user, locale, storage, guide, variant, step}``."""
        self._state = dict(state)
        self.current_step = -1
        if self._ready:
            self._run(js_call("configure", self._state), self._after_step)

    def show_step(self, index: int) -> None:
        if self._state is None:
            return
        self._state["step"] = index
        if self._ready:
            self._run(js_call("show", index), self._after_step)

    def update(self, guide_or_bundle: dict[str, Any],
               done: Callable[[Any], None] | None = None) -> None:
        """Re-render in place with a freshly compiled guide (or bundle); no reload."""
        if self._state is None:  # nothing started yet: the caller must configure()
            if done is not None:
                done(None)
            return
        key = "bundle" if "format" in guide_or_bundle else "latest"
        self._state[key] = guide_or_bundle
        if key == "bundle":
            self._state.pop("latest", None)
        if self._ready:
            self._run(js_call("update", guide_or_bundle), done)
        elif done is not None:
            done(None)

    def set_picking(self, on: bool) -> None:
        self._picking = on
        if self._ready:
            self._run(js_call("pick", on))

    def evaluate(self, source: str, callback: Callable[[Any], None] | None = None,
                 main_world: bool = False) -> None:
        """Run JavaScript now (tests, benchmark, diagnostics); the isolated world by default."""
        world = 0 if main_world else WORLD
        self.page.runJavaScript(source, world, _guarded(callback) if callback else _ignore)

    def _run(self, source: str, callback: Callable[[Any], None] | None = None) -> None:
        self.page.runJavaScript(source, WORLD, _guarded(callback) if callback else _ignore)

    def _after_step(self, step: Any) -> None:
        if isinstance(step, (int, float)) and step >= 0 and step != self.current_step:
            self.current_step = int(step)
            self.stepChanged.emit(self.current_step)

    def _on_event(self, name: str, props: dict[str, Any]) -> None:
        if name == "step_shown" and self._state is not None \
                and props.get("guide_id") == self._state.get("guide"):
            self._after_step(props.get("step"))
        self.runtimeEvent.emit(name, props)

    # --- device size and zoom ------------------------------------------------------------

    @property
    def device(self) -> tuple[int, int]:
        return self._device

    def set_device(self, size: tuple[int, int] | str) -> None:
        self._device = DEVICES[size] if isinstance(size, str) else size
        self._relayout()

    def set_zoom(self, zoom: float | None) -> None:
        """A fixed zoom (1.0 = device pixels) or None to fit the available space."""
        self._zoom = zoom
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if zoom is None \
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)
        self._relayout()

    @property
    def _zoom_factor(self) -> float:
        return self.view.width() / self._device[0]

    def _relayout(self) -> None:
        width, height = self._device
        if self._zoom is None:
            space = self.viewport().size()
            scale = min(space.width() / width, space.height() / height, 1.0)
        else:
            scale = self._zoom
        scale = min(max(scale, MIN_ZOOM), MAX_ZOOM)
        # Whole pixels for the widget; the zoom then makes innerWidth exactly the device width.
        w = max(1, round(width * scale))
        h = max(1, round(height * w / width))
        self.view.setGeometry(0, 0, w, h)
        self.widget().resize(w, h)
        self.view.setZoomFactor(w / width)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._zoom is None:
            self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def grab_image(self) -> QImage:
        """The page as shown (at the widget's size: the device size at zoom 1)."""
        return self.view.grab().toImage()
