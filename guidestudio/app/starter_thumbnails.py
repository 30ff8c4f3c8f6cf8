"""Pictures of the starters for the gallery, rendered by the product's runtime and kept on disk.

Each starter's guide is made with its default values (in the bundled example
project, so every picture shows the same host page) and shown on the demo
page by the same runtime and bundle compiler the preview uses; the page is
grabbed at a laptop's size and scaled down to a card. Rendering takes about a
third of a second a starter, so it never happens on the way to anything: the
gallery shows each kind's tile at once and asks for what is missing, one
starter per turn of the event loop (no nested loops, no thread — the web
engine lives on the GUI thread); pictures replace tiles as they arrive.

Pictures are cached in the user's cache folder under a hash of the starter's
file (and ``RENDER_VERSION``): an edited starter gets a new picture, an
unchanged one is never rendered twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from guidestudio.core.model import Project
    from guidestudio.core.starters import Starter
    from guidestudio.widgets.preview.surface import PreviewSurface

log = logging.getLogger(__name__)
#: Bump to render every picture again (a new look of the cards, a new host page).
RENDER_VERSION = b"3"
DEVICE = "laptop"  # 1280x800: the whole page, scaled to a card
THUMBNAIL = (480, 300)  # stored at 1.5x the card's 320x200 for sharp HiDPI cards
#: How long one starter may take before it is skipped (a broken starter, a stuck page).
TIMEOUT_MS = 8000
#: The page has painted when the runtime says so; the frame reaches the widget a moment later.
SETTLE_MS = 120
#: Where the guide is on the page (its boxes and hotspot dots), in CSS pixels, as JSON
#: ("[left, top, right, bottom]" or "null"): arrays do not survive runJavaScript's result.
GUIDE_BOUNDS = """(function () {
  var r = null;
  document.querySelectorAll('.gs-root .gs-step, .gs-root .gs-beacon').forEach(function (e) {
    var b = e.getBoundingClientRect();
    if (!b.width || !b.height) { return; }
    r = r ? [Math.min(r[0], b.left), Math.min(r[1], b.top), Math.max(r[2], b.right),
             Math.max(r[3], b.bottom)] : [b.left, b.top, b.right, b.bottom];
  });
  return JSON.stringify(r);
})()"""
#: A card shows the guide with some of the page around it: never less of the page than this.
MIN_CROP_WIDTH = 640


def crop_around(page: QSize, bounds: object) -> QRect:
    """A 16:10 part of a ``page``-sized grab centred on ``bounds`` (the whole page without)."""
    if not isinstance(bounds, list) or len(bounds) != 4:
        return QRect(QPoint(0, 0), page)
    left, top, right, bottom = (float(v) for v in bounds)
    width = min(page.width(), max(MIN_CROP_WIDTH, int((right - left) * 1.6),
                                  int((bottom - top) * 1.6 * 16 / 10)))
    height = min(page.height(), width * 10 // 16)
    width = height * 16 // 10
    x = int((left + right) / 2 - width / 2)
    y = int((top + bottom) / 2 - height / 2)
    x = max(0, min(x, page.width() - width))
    y = max(0, min(y, page.height() - height))
    return QRect(x, y, width, height)


def default_cache_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or tempfile.gettempdir()) / "starter-thumbnails"


class StarterThumbnails(QObject):
    """``thumbnail(starter)`` from the cache; ``request(starters)`` renders what is missing.

    Signals ``rendered(starter_id, png_path)`` for each picture made.
    """

    rendered = Signal(str, str)

    def __init__(self, cache_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir or default_cache_dir()
        self._queue: list[Starter] = []
        self._current: Starter | None = None
        self._surface: PreviewSurface | None = None
        self._project: Project | None = None
        self._grabs: list[QImage] = []
        self._tag = ""
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(TIMEOUT_MS)
        self._watchdog.timeout.connect(self._give_up)

    # --- the cache -----------------------------------------------------------------------

    def path_for(self, starter: Starter) -> Path:
        content = starter.path.read_bytes() if starter.path is not None else starter.id.encode()
        digest = hashlib.sha256(RENDER_VERSION + b"\0" + content).hexdigest()[:32]
        return self.cache_dir / f"{digest}.png"

    def thumbnail(self, starter: Starter) -> Path | None:
        """The cached picture of ``starter``, or None (yet)."""
        try:
            path = self.path_for(starter)
        except OSError:
            return None
        return path if path.is_file() else None

    # --- rendering -----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    def request(self, starters: list[Starter]) -> None:
        """Render the pictures of ``starters`` that are not cached, soon, one at a time."""
        queued = {s.id for s in self._queue} | ({self._current.id} if self._current else set())
        self._queue += [s for s in starters if s.id not in queued and self.thumbnail(s) is None]
        if self._queue and self._current is None:
            QTimer.singleShot(0, self, self._next)

    def stop(self) -> None:
        """Forget what is queued and let the page go (the gallery closed, the window quits)."""
        self._queue.clear()
        self._finish_current()
        self._drop_surface()

    def _next(self) -> None:
        if self._current is not None:
            return
        if not self._queue:
            self._drop_surface()
            return
        self._current = self._queue.pop(0)
        self._watchdog.start()
        surface = self._ensure_surface()
        if surface.is_ready:
            self._render()
        # else: _render runs when the page is ready

    def _ensure_surface(self) -> PreviewSurface:
        if self._surface is None:
            from guidestudio.widgets.preview.surface import PreviewSurface

            surface = self._surface = PreviewSurface()
            surface.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)  # painted, not shown
            surface.set_device(DEVICE)
            surface.set_zoom(1.0)
            surface.resize(*surface.device)
            surface.ready.connect(self._page_ready)
            surface.loadFailed.connect(self._load_failed)
            surface.bridge.notified.connect(self._notified)
            surface.show()
            surface.load()
        return self._surface

    def _drop_surface(self) -> None:
        surface, self._surface = self._surface, None
        if surface is not None:
            surface.close()
            surface.deleteLater()

    def _example(self) -> Project:
        if self._project is None:
            from guidestudio.core.files.project_io import load_project
            from guidestudio.core.resources import EXAMPLE_PROJECT

            self._project = load_project(EXAMPLE_PROJECT).project
        return self._project

    def _page_ready(self, _url: str) -> None:
        from guidestudio.widgets.preview.shot import STILL_CSS

        if self._surface is not None:  # final states, never a frame of a fade-in
            self._surface.evaluate(STILL_CSS)
        if self._current is not None:
            self._render()

    def _render(self) -> None:
        """Show the current starter's guide; the grab follows the runtime's "painted"."""
        import copy

        from guidestudio.core.starters import instantiate
        from guidestudio.widgets.preview.bridge import build_bundle, js_call, storage_for, user_for

        starter, surface = self._current, self._surface
        if starter is None or surface is None:
            return
        try:
            project = copy.copy(self._example())
            project.guides = dict(project.guides)
            guide = instantiate(starter, {}, project)
            project.guides[guide.id] = guide
            bundle = build_bundle(project, guide.id, None)
        except Exception:  # a starter that does not build: no picture, the tile stays
            log.exception("cannot render the starter %s", starter.id)
            self._finish_current()
            QTimer.singleShot(0, self, self._next)
            return
        locale = project.settings.default_locale
        surface.configure({"bundle": bundle, "user": user_for(None), "locale": locale,
                           "storage": storage_for(project, None), "guide": guide.id,
                           "variant": None, "step": 0})
        self._tag = f"thumbnail-{starter.id}-{time.monotonic_ns()}"
        self._grabs = []
        surface.evaluate(js_call("afterFrames", self._tag))

    def _notified(self, tag: str) -> None:
        if tag == self._tag and self._current is not None:
            QTimer.singleShot(SETTLE_MS, self, self._grab)

    def _grab(self) -> None:
        """Grab until two grabs in a row agree (the frame has arrived and stopped changing)."""
        starter, surface = self._current, self._surface
        if starter is None or surface is None:
            return
        self._grabs.append(surface.grab_image())
        if len(self._grabs) < 2 or self._grabs[-1] != self._grabs[-2]:
            if len(self._grabs) < 20:
                QTimer.singleShot(SETTLE_MS, self, self._grab)
                return
        image = self._grabs[-1]
        surface.evaluate(GUIDE_BOUNDS, lambda bounds: self._cropped(starter, image, bounds))

    def _cropped(self, starter: Starter, image: QImage, bounds: object) -> None:
        if starter is not self._current:
            return  # given up meanwhile
        try:
            box = json.loads(bounds) if isinstance(bounds, str) else None
        except ValueError:
            box = None
        self._store(starter, image.copy(crop_around(image.size(), box)))
        self._finish_current()
        QTimer.singleShot(0, self, self._next)

    def _store(self, starter: Starter, image: QImage) -> None:
        small = image.scaled(*THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        path = self.path_for(starter)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            if not small.save(str(partial), "PNG"):
                raise OSError(f"cannot write {partial}")
            os.replace(partial, path)  # complete or absent, never half a picture
        except OSError:
            log.exception("cannot cache the picture of %s", starter.id)
            return
        self.rendered.emit(starter.id, str(path))

    def _finish_current(self) -> None:
        self._watchdog.stop()
        self._current = None
        self._tag = ""
        self._grabs = []

    def _give_up(self) -> None:
        if self._current is not None:
            log.warning("gave up rendering the starter %s", self._current.id)
        self._finish_current()
        QTimer.singleShot(0, self, self._next)

    def _load_failed(self, message: str) -> None:
        log.warning("starter pictures: %s", message)
        self.stop()
