"""The cyclic garbage collector runs on the GUI thread, between events — never anywhere else.

Python's collector runs whenever an allocation crosses its threshold: in any
thread, in the middle of any slot or event handler. Qt objects make that
dangerous, because freeing a cycle that holds a PySide wrapper can delete the
C++ object behind it:

* on a worker thread (the export, the validator import, the loader's parser
  pool all run Python), a collection deletes GUI objects from the wrong
  thread: Qt cannot stop their timers ("Timers cannot be stopped from another
  thread"), and the next timer event is delivered to freed memory;
* on the GUI thread, in the middle of an event, it can delete an object whose
  handler is still on the C++ stack, or tear a widget tree down piecemeal
  (shiboken clears the wrappers of a cycle one by one, handing each child's
  C++ object back to Python) while Qt is still delivering events to it.

So automatic collection is switched off and ``GuiThreadCollector`` does the
same work from a timer on the GUI thread, with the collector's own
thresholds: a collection then only ever starts from the event loop, when no
slot is half way through and no other thread is inside Python. Reference
counting still frees every acyclic object at once, as before.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: How often the GUI thread checks whether a collection is due (the check is a few ns).
INTERVAL_MS = 200

_holds = 0
_holds_lock = threading.Lock()


@contextlib.contextmanager
def held() -> Iterator[None]:
    """No collections while the block runs (on any thread), e.g. loading a project.

    Loading 2,000 guides allocates millions of objects that are not garbage;
    a full pass over them every 200 ms would freeze the GUI thread ~100 ms
    each time and slow the load. The loader freezes them (``gc.freeze``)
    when it is done, so later passes skip them.
    """
    global _holds
    with _holds_lock:
        _holds += 1
    try:
        yield
    finally:
        with _holds_lock:
            _holds -= 1


def freeze() -> None:
    """Keep every object alive now out of later collector passes (``gc.freeze``).

    For a job that just made hundreds of thousands of objects that will live
    a while (a loaded project, a planned import with its summary): the GUI
    thread's next full pass would walk them all — 0.8 s after planning an import
    of 1,000 guides. Frozen objects are still freed by reference counting when
    dropped; only cyclic garbage that exists at this moment waits, until the
    next ``gc.unfreeze`` (the loader's, when a project is opened)."""
    gc.freeze()


class GuiThreadCollector(QObject):
    """Collects cycles from the event loop of the thread it lives in (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int:
        """Collect the oldest generation whose threshold is exceeded; the number freed."""
        if _holds:
            return 0
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        generation = -1
        for i in range(3):
            if thresholds[i] and counts[i] > thresholds[i]:
                generation = i
        return gc.collect(generation) if generation >= 0 else 0


def install(app: QCoreApplication | None = None,
            interval_ms: int = INTERVAL_MS) -> GuiThreadCollector:
    """Collect on ``app``'s (the GUI) thread only, from now on; calling it again is harmless."""
    app = app if app is not None else QCoreApplication.instance()
    if app is None:
        raise RuntimeError("gc_policy.install needs the application object")
    existing = app.findChild(GuiThreadCollector)
    if existing is not None:
        return existing
    return GuiThreadCollector(app, interval_ms)
