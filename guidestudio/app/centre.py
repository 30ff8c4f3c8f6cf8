"""The centre of the window: the canvas for a guide, the editor of anything else, or what to do.

A guide is shown on the canvas — the preview pane
(``widgets/preview/pane.py``): the host page with the guide on it, as the
product's runtime shows it — while its forms sit in the inspector. Segments,
themes, the project settings and the sample profiles have nothing to show on
a page; their editors (added to this stack by ``EditorPages``) fill the
centre instead. With nothing selected the centre says what to do next.

The pane is built when the first guide is shown, not when a project opens:
its module imports the web engine and the compiler (~100 ms), which opening
a project should not wait for; the pane creates its web view later still,
once it is visible with a guide. A pane belongs to one document.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QMetaObject,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget, QWidget

from guidestudio.app.empty_state import NO_GUIDES, NO_PROJECT, NOTHING_SELECTED, EmptyState
from guidestudio.app.once import Once
from guidestudio.widgets.kit.editing import EditableDocument

if TYPE_CHECKING:
    from guidestudio.widgets.preview.pane import PreviewPane


MIN_CANVAS = QSize(320, 240)
PANE_MODULE = "guidestudio.widgets.preview.pane"
FIRST_GUIDE_PAINTED = "centre-first-guide"  # the page's word that the guide is painted
log = logging.getLogger(__name__)


class _ImportCore(QRunnable):
    """Prepares the canvas on a pool thread, then says so (queued).

    In the order the GUI thread needs them: the page's module and its script
    (the spare view's page is made as soon as the web engine has started),
    the compiler with the project's guide templates compiled (the first guide
    compiled would: ~250 ms), and the canvas's own module. Importing is Python
    work that would otherwise hold the GUI thread (~100 ms) while the web
    engine starts and loads the page there, which needs that thread too; no
    widget is made here.
    """

    def __init__(self, project: Any, done: SignalInstance) -> None:
        super().__init__()
        self._project = project
        self._done = done

    def run(self) -> None:
        try:
            from guidestudio.widgets.preview import page, surface  # noqa: F401

            page.injected_source()
        except Exception:  # imported again where used, which reports what is wrong
            log.exception("could not prepare the canvas's page")
        try:
            from guidestudio.core.bundle.compiler import templates_for
            from guidestudio.core.resources import TEMPLATES_DIR

            env = templates_for(self._project).env  # thread-safe: exports compile in threads
            for template in sorted(TEMPLATES_DIR.glob("*.j2")):
                env.get_template(template.name)
        except Exception:  # compiled again with the canvas, which reports what is wrong
            log.exception("could not prepare the canvas's templates")
        try:
            importlib.import_module(PANE_MODULE)
        except Exception:  # imported again by _core_imported, which says so
            log.exception("could not import the canvas")
        try:
            self._done.emit()
        except RuntimeError:  # the window is gone
            pass


class Centre(QStackedWidget):
    """Signals ``paneBuilt(PreviewPane)`` when the open document's canvas is made."""

    paneBuilt = Signal(object)
    _coreImported = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centre")
        self._document: EditableDocument | None = None
        self._pane: PreviewPane | None = None
        self.empty = EmptyState(self)
        self.addWidget(self.empty)
        #: The buttons the empty state offers: (without a project, with one).
        self.offers: tuple[list[QAction], list[QAction]] = ([], [])
        self._then: list[Callable[[], None]] = []  # waiting for prepare()
        self._guide_shown = False  # by the pane's page, since it was made
        self._paint_asked = False  # whether the page was asked to say when it has painted
        self._waiting: list[Once] = []  # after_first_guide()
        self._spare: QWidget | None = None  # warm_up(): a web view with its page loading
        self._warming = False  # warm_up() started the engine; the page is made next
        self._coreImported.connect(self._core_imported)

    @property
    def pane(self) -> PreviewPane | None:
        """The open document's canvas (built now if need be); None without a document."""
        if self._pane is None and self._document is not None:
            from guidestudio.widgets.preview.pane import (
                PreviewPane,  # the web engine modules load here
            )

            self._pane = PreviewPane(self._document, self)
            self._pane.setObjectName("canvas")
            if self._spare is not None:
                spare, self._spare = self._spare, None
                self._pane.give_surface(spare)  # type: ignore[arg-type]
            # The canvas takes the space the panels leave; its controls must not force the
            # window wider than the screen (they wrap or fold where it is narrow).
            self._pane.setMinimumSize(MIN_CANVAS)
            self._pane.surfaceMade.connect(self._surface_made)
            self.addWidget(self._pane)
            self.paneBuilt.emit(self._pane)
        return self._pane

    def warm_up(self) -> None:
        """Start the web engine and load the canvas's page now, before the canvas is made.

        The engine's start (its helper processes) and the page's first load
        are most of the time to the first guide on the canvas, and need nothing
        of the project or the compiler: they run while the compiler is imported
        and the canvas built (``prepare``). The canvas takes this view
        (``PreviewPane.give_surface``).

        The engine starts with the first profile made. Made from Python, that
        start would hold the GIL for its whole ~0.1-0.3 s (mostly waiting for
        the helper processes), stopping the thread that imports the compiler;
        a queued call into C++ (a bare view's ``reload``, which makes the
        default profile) starts it with the GIL free. The page is made a turn
        later.
        """
        if self._spare is not None or self._warming or \
                (self._pane is not None and self._pane.surface is not None):
            return
        try:
            from PySide6.QtWebEngineWidgets import QWebEngineView
        except Exception:  # the canvas reports it when it is made
            log.exception("could not start the web engine")
            return
        self._warming = True
        starter = QWebEngineView(self)
        starter.hide()
        QMetaObject.invokeMethod(starter, "reload", Qt.ConnectionType.QueuedConnection)
        QTimer.singleShot(0, self, partial(self._make_spare, starter))

    def _make_spare(self, starter: QWidget) -> None:
        starter.deleteLater()
        self._warming = False
        if self._document is None or (self._pane is not None and self._pane.surface is not None):
            return  # the project went, or its canvas made its own view meanwhile
        try:
            from guidestudio.widgets.preview.surface import PreviewSurface
        except Exception:
            log.exception("could not prepare the canvas's page")
            return
        spare = PreviewSurface(self)
        spare.hide()
        spare.load()
        if self._pane is not None:
            self._pane.give_surface(spare)
        else:
            self._spare = spare

    def _surface_made(self, surface: Any) -> None:
        self._guide_shown = self._paint_asked = False
        surface.runtimeEvent.connect(self._runtime_event)
        surface.bridge.notified.connect(self._notified)

    def prepare(self, then: Callable[[], None]) -> None:
        """Get what the canvas needs ready, then call ``then`` (on this thread).

        The core (the bundle compiler, Markdown, the guide templates compiled:
        several hundred milliseconds) is prepared on a pool thread, as the
        document does with the validator; the Qt modules (the web engine) are
        then imported here, in a turn of their own, and the canvas is made in
        the next: ``then`` (showing a guide on it) holds the event loop that
        much less at a time.
        """
        self._then.append(then)
        if len(self._then) == 1 and self._document is not None:
            task = _ImportCore(self._document.project, self._coreImported)
            QThreadPool.globalInstance().start(task)
        elif self._document is None:
            self._core_imported()

    def _core_imported(self) -> None:
        try:
            importlib.import_module(PANE_MODULE)
        except Exception:  # made when asked for, and then the error is shown
            log.exception("could not import the canvas")
            self._pane_made()
            return
        QTimer.singleShot(0, self, self._make_pane)  # a turn of its own, and then the next

    def _make_pane(self) -> None:
        _ = self.pane  # made now (without a document: nothing)
        self._pane_made()

    def _pane_made(self) -> None:
        waiting, self._then = self._then, []
        for then in waiting:
            QTimer.singleShot(0, self, then)  # a turn of its own; not once the window is gone

    @property
    def pane_built(self) -> bool:
        return self._pane is not None

    @property
    def page_loading(self) -> bool:
        """Whether the canvas's page is on its way and has not shown a guide yet."""
        surface = self._pane.surface if self._pane is not None else None
        return surface is not None and surface.configured and not self._guide_shown

    def after_first_guide(self, then: Callable[[], None], timeout_ms: int) -> None:
        """Call ``then`` once the canvas's page shows its first guide (or failed to load, or
        ``timeout_ms`` passed); at once when no page is on its way, or it has no guide to
        show (the guide does not compile: its forms are where it is fixed).

        Loading the page needs this thread (the web engine's UI loop runs on it),
        so work that would hold it for long — the guide's forms, the project's
        first check — waits until the guide is on the canvas.
        """
        if not self.page_loading:
            then()
            return
        assert self._pane is not None and self._pane.surface is not None
        surface = self._pane.surface
        once = Once(then)
        self._waiting.append(once)
        surface.loadFailed.connect(once)
        QTimer.singleShot(timeout_ms, self, once)

    def _runtime_event(self, name: str, _props: Any) -> None:
        """The runtime put the guide on the page: wait for it to be painted (two frames)."""
        pane = self._pane
        if name in ("guide_shown", "step_shown") and not self._paint_asked \
                and pane is not None and pane.surface is not None:
            from guidestudio.widgets.preview.bridge import js_call  # loaded with the pane

            self._paint_asked = True
            pane.surface.evaluate(js_call("afterFrames", FIRST_GUIDE_PAINTED))

    def _notified(self, tag: str) -> None:
        if tag == FIRST_GUIDE_PAINTED and not self._guide_shown:
            self._guide_shown = True
            # Not inside the page's message: what waited holds this thread a while, and
            # the page's other messages (it may have more to say) go first.
            QTimer.singleShot(0, self, self._release_waiting)

    def _release_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for once in waiting:
            once()

    def set_document(self, document: EditableDocument | None) -> None:
        """Follow another open project (None: no project); its canvas is made on demand."""
        if document is self._document:
            return
        old, self._pane = self._pane, None
        self._guide_shown = self._paint_asked = False
        waiting, self._waiting = self._waiting, []
        for once in waiting:  # nothing to wait for any more
            once()
        if self._document is not None:
            self._document.changed.disconnect(self._on_changed)
        self._document = document
        if document is not None:
            document.changed.connect(self._on_changed)
        self.show_empty()
        if old is not None:
            self.removeWidget(old)
            old.deleteLater()

    def show_guide(self, guide_id: str) -> None:
        pane = self.pane
        if pane is None:
            return
        self.setCurrentWidget(pane)  # first, so that the pane is visible and makes its view
        pane.set_guide(guide_id)

    def show_page(self, page: QWidget) -> None:
        """An entity's editor fills the centre; the canvas lets its guide go."""
        self.setCurrentWidget(page)
        if self._pane is not None:
            self._pane.set_guide(None)

    def show_empty(self) -> None:
        """Say what to do next: open or create a project, or pick or create a guide."""
        document = self._document
        if document is None:
            self.empty.show_state(NO_PROJECT, self.offers[0])
        else:
            state = NOTHING_SELECTED if document.project.guides else NO_GUIDES
            self.empty.show_state(state, self.offers[1])
        self.setCurrentWidget(self.empty)
        if self._pane is not None:
            self._pane.set_guide(None)

    def _on_changed(self, change: Any) -> None:
        """Guides added or deleted while the empty state shows: it may say something else."""
        if self.currentWidget() is self.empty and tuple(change.path[:1]) in ((), ("guides",)) \
                and len(change.path) <= 2:
            self.show_empty()

    def set_offers(self, without_project: list[QAction], with_project: list[QAction]) -> None:
        self.offers = (without_project, with_project)
        if self.currentWidget() is self.empty:
            self.show_empty()
