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
while the widget is scaled. "Auto" scales the page to the space's width but
never below the scale at which the guide is readable — its box at least
``GUIDE_MIN_PX`` wide on screen, text at least ``READABLE_SCALE`` of its size —
unless the guide would then be cut at the sides (a banner spans the page: the
page fits the width), and scrolls the guide into the middle of the view when a step is shown (the
page reports where the guide is: ``guideBox``). "Whole page" fits all of it.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from guidestudio.widgets.preview.channel import Bridge, js_call
from guidestudio.widgets.preview.page import WORLD, PreviewPage, demo_url, make_profile

DEVICES: dict[str, tuple[int, int]] = {
    "desktop": (1440, 900),
    "laptop": (1280, 800),
    "tablet": (768, 1024),
    "phone": (390, 844),
}
MIN_ZOOM, MAX_ZOOM = 0.25, 2.0
#: The zoom that shows the whole page (the default, None, is "Auto").
ZOOM_PAGE = "page"
#: Auto zoom: the guide's box at least this wide on screen, its text at least this scale.
GUIDE_MIN_PX, READABLE_SCALE = 320, 0.8
#: Auto zoom: room kept either side of the guide (CSS px) when it is zoomed to fit across.
GUIDE_MARGIN = 16
#: What a closed hotspot's step is assumed to measure (only its beacon is on the page).
HOTSPOT_WIDTH = 340


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
    guideMoved = Signal()  # the guide's box on the page changed (see guide_box)

    #: How long a host page may take before the preview gives up on it (tests shorten it).
    LOAD_TIMEOUT_MS = 15_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        # Pages start at the top (no gap above), centred across.
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
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
        self._zoom: float | str | None = None  # None: auto; ZOOM_PAGE: the whole page
        self._box: dict[str, Any] | None = None  # the guide on the page, CSS px (guideBox)
        self._centre_pending = True
        # The guide was scrolled into the middle and the user has not scrolled since: it
        # stays there while the view changes size (a scroll bar that appears, a resize).
        self._keep_centred = False
        self._centring = False
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.rangeChanged.connect(self._range_changed)
            bar.valueChanged.connect(self._scrolled)
        self.current_step = -1
        self.set_zoom(None)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._timed_out)

        self.bridge.pageReady.connect(self._on_ready)
        self.bridge.runtimeEvent.connect(self._on_event)
        self.bridge.guideBoxChanged.connect(self._on_box)
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
        self._centre_pending = True
        if self._ready:
            self._run(js_call("configure", self._state), self._after_step)

    def show_step(self, index: int) -> None:
        if self._state is None:
            return
        self._state["step"] = index
        self._centre_pending = True
        if self._ready:
            self._run(js_call("show", index), self._after_step)

    def update(self, guide_or_bundle: dict[str, Any],
               done: Callable[[Any], None] | None = None,
               edit: dict[str, Any] | None = None) -> None:
        """Re-render in place with a freshly compiled guide (or bundle); no reload.

        ``edit``: what the canvas may edit now (``canvas_text.canvas_meta``), sent
        with the guide so the page re-renders and re-attaches the text being typed
        in as one step.
        """
        if self._state is None:  # nothing started yet: the caller must configure()
            if done is not None:
                done(None)
            return
        key = "bundle" if "format" in guide_or_bundle else "latest"
        self._state[key] = guide_or_bundle
        if key == "bundle":
            self._state.pop("latest", None)
        if edit is not None:
            self._state["edit"] = edit
        if self._ready:
            self._run(js_call("update", guide_or_bundle, self._state.get("edit")), done)
        elif done is not None:
            done(None)

    def set_edit(self, edit: dict[str, Any] | None) -> None:
        """Change what the canvas may edit (edit mode, language) without re-rendering."""
        if self._state is not None:
            self._state["edit"] = edit
        if self._ready:
            self._run(js_call("edit", edit))

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

    def set_zoom(self, zoom: float | str | None) -> None:
        """A fixed zoom (1.0 = device pixels), ``ZOOM_PAGE`` or None (auto; see the docstring)."""
        self._zoom = zoom
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if zoom == ZOOM_PAGE \
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)
        self._centre_pending = True
        self._relayout()

    @property
    def zoom(self) -> float | str | None:
        return self._zoom

    @property
    def guide_box(self) -> dict[str, Any] | None:
        """Where the guide is: ``{x, y, w, h}`` in CSS pixels of the device, or None."""
        return self._box

    @property
    def _zoom_factor(self) -> float:
        return self.view.width() / self._device[0]

    def scale(self) -> float:
        """The scale the page is shown at now (1.0: one CSS pixel per screen pixel)."""
        return self._zoom_factor

    def _wanted_scale(self) -> float:
        width, height = self._device
        space = self.maximumViewportSize()  # the size without scroll bars
        if self._zoom == ZOOM_PAGE:
            scale = min(space.width() / width, space.height() / height)
        elif self._zoom is None:
            fit = min(space.width() / width, 1.0)
            if height * fit > space.height():  # a vertical scroll bar will take its width
                fit = min((space.width() - self.verticalScrollBar().sizeHint().width())
                          / width, 1.0)
            readable = READABLE_SCALE
            box = self._box
            if box is not None:
                guide = HOTSPOT_WIDTH if box.get("beacon") else max(int(box.get("w", 0)), 1)
                readable = max(readable, GUIDE_MIN_PX / guide)
                # ... but never so large that the guide is cut at the sides: a banner spans
                # the page, so the page fits the width (scale it up in Zoom to read it large).
                readable = min(readable, space.width() / (guide + 2 * GUIDE_MARGIN))
            # Within 5% of readable, fitting wins: no scroll bar for a few pixels of page.
            scale = fit if fit >= readable * 0.95 else readable
        else:
            scale = float(self._zoom)
        return min(max(scale, MIN_ZOOM), MAX_ZOOM)

    def _relayout(self) -> None:
        width, _height = self._device
        scale = self._wanted_scale()
        # Whole pixels for the widget; the zoom then makes innerWidth exactly the device width.
        w = max(1, round(width * scale))
        h = max(1, round(self._device[1] * w / width))
        if (w, h) != (self.view.width(), self.view.height()):
            self.view.setGeometry(0, 0, w, h)
            self.widget().resize(w, h)
        self.view.setZoomFactor(w / width)  # again: the engine may lose it while loading
        if self._centre_pending and self._box is not None:
            self.centre_guide()

    def centre_guide(self) -> None:
        """Scroll the guide into the middle of the view (its top-left, if it is bigger)."""
        box = self._box
        self._centre_pending = False
        if box is None:
            return
        scale = self._zoom_factor
        port = self.viewport().size()
        self._centring = True
        try:
            for bar, start, size, room in (
                    (self.horizontalScrollBar(), box["x"], box["w"], port.width()),
                    (self.verticalScrollBar(), box["y"], box["h"], port.height())):
                if size * scale <= room:
                    bar.setValue(round((start + size / 2) * scale - room / 2))
                else:
                    bar.setValue(round(start * scale - 16))
        finally:
            self._centring = False
        self._keep_centred = True

    def _range_changed(self, *_: int) -> None:
        """Scroll ranges follow the page's size and the view's: a zoom to the guide can make a
        scroll bar appear a moment after the guide was centred, which narrows the view."""
        if self._keep_centred and not self._centring:
            self.centre_guide()

    def _scrolled(self, _value: int) -> None:
        if not self._centring:
            self._keep_centred = False

    def _on_box(self, box: dict[str, Any] | None) -> None:
        moved_step = box is not None and (self._box is None or box.get("step") !=
                                          self._box.get("step"))
        self._box = box
        if moved_step:
            self._centre_pending = True
        self._relayout()
        if box is not None and (self._centre_pending or not self.guide_in_view()):
            self.centre_guide()  # a new step, or the guide moved out of sight (it was placed)
        self.guideMoved.emit()

    def guide_rect(self) -> QRect | None:
        """The guide on screen, in this widget's viewport pixels (None: no guide shown).

        From the box the page last reported; part of it may be scrolled out of view.
        """
        box = self._box
        if box is None:
            return None
        scale = self._zoom_factor
        origin = self.view.mapTo(self.viewport(), QPoint(0, 0))
        return QRect(origin.x() + round(box["x"] * scale), origin.y() + round(box["y"] * scale),
                     round(box["w"] * scale), round(box["h"] * scale))

    def guide_in_view(self) -> bool:
        """Is the guide on screen — all of it, or (when bigger than the view) its first part?"""
        rect = self.guide_rect()
        if rect is None:
            return False
        port = self.viewport().rect()
        wanted = QRect(rect.topLeft(), rect.size().boundedTo(port.size()))
        return port.contains(wanted)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._zoom is None or self._zoom == ZOOM_PAGE:
            self._relayout()

    def sizeHint(self) -> QSize:
        return QSize(480, 360)

    def grab_image(self) -> QImage:
        """The page as shown (at the widget's size: the device size at zoom 1)."""
        return self.view.grab().toImage()
