"""Open a project without freezing the window: load on a worker thread, validate in slices.

Parsing thousands of YAML files takes a second or more; done on the GUI thread
the window would stop repainting. The ``Document`` is built in a pool thread
(``Document.open`` loads, and imports the core on the way) and handed to the
GUI thread with ``moveToThread`` before anyone connects to it. Its first
validation is not run there: the project is shown as soon as it is loaded and
the document checks it in event-loop slices (``Document.validate_in_background``),
so problems fill in while the user already works (the window starts that once
the project is shown). A generation counter drops
results of a load that was superseded by another open. Parsed files are kept
in the user's cache folder between opens (``core/files/parse_cache.py``: keyed
by each file's bytes, so a changed file is always parsed again).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, QThread, QThreadPool, Signal

from guidestudio.app import gc_policy

if TYPE_CHECKING:
    from guidestudio.app.document import Document

log = logging.getLogger(__name__)


def parse_cache_dir() -> Path | None:
    """Where parsed project files are kept between opens: the user's cache folder (a
    second open of a big project skips most parsing; ``core/files/parse_cache.py``)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base) / "parsed" if base else None


class _Relay(QObject):
    """Lives in the GUI thread; its signals carry results across (queued)."""

    done = Signal(int, object)  # generation, Document
    error = Signal(int, object, str)  # generation, root, message


class _LoadTask(QRunnable):
    def __init__(self, generation: int, root: Path, relay: _Relay, target: QThread,
                 cache_dir: Path | None) -> None:
        super().__init__()
        self._generation, self._root, self._relay, self._target = generation, root, relay, target
        self._cache_dir = cache_dir

    def run(self) -> None:
        # Loading allocates millions of objects; the cyclic collector would run full passes
        # over them again and again, each one freezing the GUI thread too (it holds the
        # GIL). The model has no cycles, so hold collection while loading and then freeze
        # what was loaded out of future passes (gc.freeze): typing never pays for it.
        gc.unfreeze()  # whatever an earlier project left frozen may be collected again
        with gc_policy.held():
            try:
                from guidestudio.app.document import (
                    Document,  # the heavy core loads here, off the GUI thread
                )

                document = Document.open(self._root, validate=False,
                                         cache_dir=self._cache_dir)
                document.moveToThread(self._target)  # hand it over before the GUI connects
                gc.freeze()
            except Exception as exc:  # NotAProject, permissions…: reported, never fatal
                log.info("could not open %s: %s", self._root, exc)
                self._relay.error.emit(self._generation, self._root, str(exc))
            else:
                self._relay.done.emit(self._generation, document)


class ProjectLoader(QObject):
    loaded = Signal(object)  # Document (GUI thread)
    failed = Signal(object, str)  # root, message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._busy = False
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.error.connect(self._error)

    @property
    def busy(self) -> bool:
        return self._busy

    def load(self, root: Path) -> None:
        self._generation += 1
        self._busy = True
        target = self.thread()
        task = _LoadTask(self._generation, Path(root), self._relay, target, parse_cache_dir())
        QThreadPool.globalInstance().start(task)

    def cancel(self) -> None:
        """Forget the load in flight; its result is dropped when it arrives."""
        self._generation += 1
        self._busy = False

    def _done(self, generation: int, document: Document) -> None:
        if generation != self._generation:
            document.deleteLater()
            return
        self._busy = False
        self.loaded.emit(document)

    def _error(self, generation: int, root: Path, message: str) -> None:
        if generation == self._generation:
            self._busy = False
            self.failed.emit(root, message)
