"""Read and plan a translation file on the thread pool, against a project the user keeps editing.

A 110 MB XLIFF file of a 2,000-guide project takes seconds to read and check
(``core/l10n/importer.plan_file``); done on the GUI thread the window froze
for all of it. Here a pool thread does it and the answer comes back by a
queued signal. The core stays Qt-free: the task only wraps its calls, and
stops through the ``progress`` hook it already offers (the hook raises).

The user may edit while the file is checked, so what the worker read may be
out of date by the time it answers. Every answer is compared with the
document's ``revision`` (and project object: a reload replaces it) from when
the task started; a stale one is never handed on: the file (already read, kept)
is planned again against the project as it is now — up to ``MAX_REPLANS``
times, then the job gives up and says why, rather than chase an editor who
keeps typing. A failure in the worker while the project changed is taken for
the race it likely is (a dict changing size under the reader) and planned
again the same way; one while nothing changed is reported.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from guidestudio.app import gc_policy

if TYPE_CHECKING:
    from guidestudio.app.document import Document
    from guidestudio.core.l10n.importer import ImportPlan
    from guidestudio.core.l10n.xliff_read import XliffFile

log = logging.getLogger(__name__)

#: ``prepare(plan, project)``: run by the worker after planning (see ``PlanJob``).
Prepare = Callable[[Any, Any], Any]

#: How many times in a row a plan made stale by an edit is made again before giving up.
MAX_REPLANS = 3


class _Stopped(Exception):
    """Raised from the progress hook: the job was cancelled."""


#: Relays whose job ended while a task still runs: kept until the task says it is done.
_RETIRED: set[_Relay] = set()


class _Relay(QObject):
    """Lives in the GUI thread; the task's signals reach it queued.

    It has no parent and outlives its job: a task may still be running when
    the job is cancelled or its window closes, and must never emit into a
    deleted object. It deletes itself when retired and no task is left."""

    read = Signal(int, object)  # generation, XliffFile (kept to plan again)
    progress = Signal(int, int, int)  # generation, units checked, units in the file
    planned = Signal(int, object, object)  # generation, ImportPlan, what prepare made
    error = Signal(int, str)  # generation, message
    done = Signal()  # a task ended, whatever its outcome

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.retired = False
        self.done.connect(self._task_done)

    def retire(self) -> None:
        if not self.retired:
            self.retired = True
            _RETIRED.add(self)
            self._task_done(0)

    def _task_done(self, count: int = 1) -> None:
        self.in_flight -= count
        if self.retired and self.in_flight == 0:
            _RETIRED.discard(self)
            self.deleteLater()


class _PlanTask(QRunnable):
    def __init__(self, generation: int, path: str, doc: XliffFile | None, project: Any,
                 prepare: Prepare | None, relay: _Relay, stop: threading.Event) -> None:
        super().__init__()
        self._generation, self._path, self._doc, self._project = generation, path, doc, project
        self._prepare, self._relay, self._stop = prepare, relay, stop

    def _emit(self, signal: Any, *args: Any) -> None:
        signal.emit(self._generation, *args)  # the relay outlives the task: safe

    def _progress(self, done: int, total: int) -> None:
        if self._stop.is_set():
            raise _Stopped
        self._emit(self._relay.progress, done, total)

    def run(self) -> None:
        try:
            self._plan()
        finally:
            self._doc = self._project = None
            self._relay.done.emit()  # last: the relay may go once it has heard this

    def _plan(self) -> None:
        from guidestudio.core.l10n.importer import plan_file, read_file

        # Millions of short-lived objects: no collection passes on the GUI thread meanwhile.
        with gc_policy.held():
            try:
                doc = self._doc
                if doc is None:
                    doc = read_file(self._path)
                    _consolidate_freed_memory()
                    self._emit(self._relay.read, doc)
                if self._stop.is_set():
                    return
                plan = plan_file(self._project, doc, self._path, self._progress)
                prepared = self._prepare(plan, self._project) if self._prepare else None
                gc_policy.freeze()  # the plan and its summary: out of the GUI's next pass
            except _Stopped:
                return
            except Exception as exc:  # a bug, or the project changed under the reader
                log.info("planning %s failed", self._path, exc_info=True)
                self._emit(self._relay.error, str(exc) or type(exc).__name__)
                return
            self._emit(self._relay.planned, plan, prepared)


class _Release(QRunnable):
    """Frees a read file's units on a pool thread, a slice at a time: dropped at once on
    the GUI thread, 96,000 of them took a few hundred ms there in one deallocation."""

    def __init__(self, doc: XliffFile) -> None:
        super().__init__()
        self._doc: XliffFile | None = doc

    def run(self) -> None:
        assert self._doc is not None
        units, self._doc = self._doc.units, None
        while units:
            del units[-256:]


def _find_malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None


_MALLOC_TRIM = _find_malloc_trim()


def _consolidate_freed_memory() -> None:
    """Tidy the millions of small blocks the parsed XML tree freed, with the GIL released.

    glibc leaves freed small blocks in per-size lists and merges them at the next
    larger request; after a 100 MB file that merge took 0.6 s inside whichever
    allocation came next (a regular expression's, here), holding the GIL, so the
    window froze. ``malloc_trim`` does the same merge now, and a ctypes call
    releases the GIL while it runs: the worker waits, the window does not."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class PlanJob(QObject):
    """Plans ``path`` against ``document``'s project; ``planned(plan)`` with a current plan,
    else ``failed(message)``; ``cancel`` stops waiting at once (the worker stops soon after)."""

    progressed = Signal(int, int)  # units checked, units in the file (0, 0: still reading)
    replanning = Signal()  # the project changed: checking the file again
    planned = Signal(object, object)  # ImportPlan current with the document, prepare's result
    failed = Signal(str)

    def __init__(self, document: Document, path: str, parent: QObject | None = None,
                 prepare: Prepare | None = None) -> None:
        """``prepare(plan, project)``: more work for the worker once the plan is made (what
        the summary shows), handed on with it."""
        super().__init__(parent)
        self.document = document
        self.path = path
        self.prepare = prepare
        self.replans = 0
        self.running = False
        self._generation = 0
        self._doc: XliffFile | None = None
        self._started_on: tuple[int, int] = (0, 0)
        self._stop = threading.Event()
        self._relay = _Relay()
        self.destroyed.connect(self._relay.retire)
        self._relay.read.connect(self._read)
        self._relay.progress.connect(self._progress)
        self._relay.planned.connect(self._planned)
        self._relay.error.connect(self._error)

    def start(self) -> None:
        self._generation += 1
        self._stop = threading.Event()
        self._started_on = state_of(self.document)
        self.running = True
        self._relay.in_flight += 1
        task = _PlanTask(self._generation, self.path, self._doc, self.document.project,
                         self.prepare, self._relay, self._stop)
        QThreadPool.globalInstance().start(task)

    def cancel(self) -> None:
        """Forget the work in flight: no answer is handed on, the worker stops at its next
        progress check."""
        self._stop.set()
        self._generation += 1
        self.running = False
        self._release_doc()

    def _release_doc(self) -> None:
        doc, self._doc = self._doc, None
        if doc is not None:
            QThreadPool.globalInstance().start(_Release(doc))

    def _current(self, generation: int) -> bool:
        return self.running and generation == self._generation

    def _read(self, generation: int, doc: XliffFile) -> None:
        if self._current(generation):
            self._doc = doc
        else:  # cancelled meanwhile: not freed here either
            QThreadPool.globalInstance().start(_Release(doc))

    def _progress(self, generation: int, done: int, total: int) -> None:
        if self._current(generation):
            self.progressed.emit(done, total)

    def _stale(self) -> bool:
        return state_of(self.document) != self._started_on

    def _again(self, why: str) -> None:
        if self.replans >= MAX_REPLANS:
            self.running = False
            self._release_doc()
            self.failed.emit(why)
            return
        self.replans += 1
        self.replanning.emit()
        self.start()

    def _planned(self, generation: int, plan: ImportPlan, prepared: Any) -> None:
        if not self._current(generation):
            return
        if self._stale():
            self._again("the project kept changing while the file was checked; import it "
                        "again when you have finished editing")
            return
        self.running = False
        self._release_doc()
        self.planned.emit(plan, prepared)

    def _error(self, generation: int, message: str) -> None:
        if not self._current(generation):
            return
        if self._stale():
            self._again(f"the project kept changing while the file was checked ({message})")
            return
        self.running = False
        self._release_doc()
        self.failed.emit(message)


def state_of(document: Document) -> tuple[int, int]:
    """What the project is now: which model object (a reload or Save As replaces it) and how
    many changes it has seen. Equal states: a plan made then still fits."""
    return id(document.project), document.revision
