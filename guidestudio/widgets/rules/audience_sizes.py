"""Audience sizes on the user's users table, counted off the GUI thread.

One ``AudienceSizes`` per open project. A line that shows a size (``size_line``) asks
with ``ask(owner, question)``: an answer cached for the same table file (its path,
modification time and size) and the same question comes back at once, so switching
between unchanged guides counts nothing; otherwise the count runs on a one-thread pool
with a fresh in-process DuckDB connection (``core.audience_sql.sizes.count_size``) and
the answer arrives by ``answered``. A newer question from the same owner cancels the
older one: ``connection.interrupt()`` stops DuckDB between vectors, and is repeated
while the stale job still runs (an interrupt that falls between two of its queries is
otherwise lost). Each job has a number; what a replaced job says afterwards is ignored.
The GUI thread never runs a query — ``last_thread`` records the thread that did.

The table is the user's, per project, kept in the user's settings by the window
(``tableChosen``), never in the project: another person's export is not on this disk.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from guidestudio.widgets.kit.duckdb_job import DuckdbJob

if TYPE_CHECKING:  # the core's SQL engine loads with the first count, not with the window
    from guidestudio.core.audience_sql.sizes import AudienceSize, SizeError, SizeQuestion

log = logging.getLogger(__name__)
#: Answers kept (per project): every guide and segment of a large project, a few times.
CACHE_SIZE = 512
#: How often a cancelled job still running is interrupted again.
REPEAT_INTERRUPT_MS = 100
#: DuckDB's threads for a count: every core but one, which typing keeps (on two cores a
#: count over two million rows takes ~0.1 s on one thread; typing never waits for it).
COUNT_THREADS = max(1, (os.cpu_count() or 2) - 1)


class _Signals(QObject):
    done = Signal(int, object)  # job number, AudienceSize or SizeError
    stopped = Signal(int)


class _Job(DuckdbJob):
    """One count on the pool's thread; ``cancel`` may be called from the GUI thread."""

    def __init__(self, number: int, owner: int, spec: str, key: tuple[Any, ...],
                 question: SizeQuestion, signals: _Signals) -> None:
        super().__init__()
        self.number, self.owner, self.spec, self.key = number, owner, spec, key
        self.question = question
        self.signals = signals
        self.thread: int | None = None

    def run(self) -> None:
        if self.cancelled:
            self.emit(self.signals.stopped, self.number)
            return
        import duckdb

        from guidestudio.core.audience_sql.sizes import SizeError, count_size

        self.thread = threading.get_ident()
        con = duckdb.connect(config={"threads": str(COUNT_THREADS)})
        self.use(con)
        try:
            answer: AudienceSize | SizeError = count_size(self.spec, self.question, con)
        except SizeError as exc:
            answer = exc
        except Exception as exc:
            if self.cancelled:
                self.emit(self.signals.stopped, self.number)
                return
            log.error("audience count failed", exc_info=exc)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            answer = SizeError("Something went wrong while counting this audience.",
                               f"{type(exc).__name__}: {first}")
        finally:
            self.release()
        if self.cancelled:
            self.emit(self.signals.stopped, self.number)
        else:
            self.emit(self.signals.done, self.number, answer)


class AudienceSizes(QObject):
    """Counts audiences on one project's users table; see the module docstring."""

    #: (owner, AudienceSize or SizeError): the answer to that owner's latest question.
    answered = Signal(object, object)
    #: The table changed (chosen, forgotten or set by the window): lines ask again.
    tableSet = Signal(str)
    #: The user chose a table (or "" to forget it): the window keeps it in its settings.
    tableChosen = Signal(str)

    def __init__(self, table: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = table
        #: The thread the last count ran on (never the GUI thread's).
        self.last_thread: int | None = None
        self.started = 0  # counts started (cache misses), for tests and benches
        self.counted = 0  # counts run to the end and answered
        self._cache: OrderedDict[tuple[Any, ...], AudienceSize] = OrderedDict()
        self._jobs: dict[int, _Job] = {}  # owner -> its latest job
        self._stale: list[_Job] = []  # cancelled, maybe still running
        self._number = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._signals.stopped.connect(self._stopped)
        self._repeat = QTimer(self)
        self._repeat.setInterval(REPEAT_INTERRUPT_MS)
        self._repeat.timeout.connect(self._interrupt_stale)

    # --- the table ---------------------------------------------------------------------

    def set_table(self, spec: str, remember: bool = True) -> None:
        """Count on ``spec`` (a Parquet file or ``file.duckdb:table``; "" for none)."""
        if spec == self.table:
            return
        self.table = spec
        for owner in list(self._jobs):
            self.cancel(owner)
        self.tableSet.emit(spec)
        if remember:
            self.tableChosen.emit(spec)

    # --- questions ---------------------------------------------------------------------

    def ask(self, owner: int, question: SizeQuestion) -> AudienceSize | SizeError | None:
        """The answer now (cached, or why the table cannot be read), or None: it is being
        counted and ``answered`` will bring it. No table: a ``SizeError`` saying so."""
        from guidestudio.core.audience_sql.sizes import SizeError, table_identity

        if not self.table:
            return SizeError("No user table chosen.")
        try:
            identity = table_identity(self.table)
        except SizeError as exc:
            self.cancel(owner)
            return exc
        key = (self.table, identity, question.key())
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.cancel(owner)
            return cached
        running = self._jobs.get(owner)
        if running is not None and running.key == key and not running.cancelled:
            return None  # already being counted
        self.cancel(owner)
        self._number += 1
        self.started += 1
        job = _Job(self._number, owner, self.table, key, question, self._signals)
        self._jobs[owner] = job
        self._pool.start(job)
        return None

    def busy(self, owner: int) -> bool:
        return owner in self._jobs

    def cancel(self, owner: int) -> None:
        """Stop the owner's count (its answer will not come)."""
        job = self._jobs.pop(owner, None)
        if job is None:
            return
        job.cancel()
        self._stale.append(job)
        self._repeat.start()

    def wait(self, ms: int = 5000) -> bool:
        """Until the pool is idle (closing the project: cancel first)."""
        return bool(self._pool.waitForDone(ms))

    def shutdown(self) -> None:
        for owner in list(self._jobs):
            self.cancel(owner)
        self._pool.clear()  # jobs not started yet never start
        self.wait()
        self._repeat.stop()
        self._stale.clear()

    # --- answers -----------------------------------------------------------------------

    def _interrupt_stale(self) -> None:
        for job in self._stale:
            job.cancel()
        if not self._stale:
            self._repeat.stop()

    def _settle(self, number: int) -> _Job | None:
        """The owner's current job numbered ``number`` (None: a stale one), forgotten."""
        self._stale = [j for j in self._stale if j.number != number]
        for owner, job in self._jobs.items():
            if job.number == number:
                del self._jobs[owner]
                return job
        return None

    def _done(self, number: int, answer: AudienceSize | SizeError) -> None:
        job = self._settle(number)
        if job is None:
            return
        self.last_thread = job.thread
        if not isinstance(answer, Exception):  # an AudienceSize
            self.counted += 1
            self._cache[job.key] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        self.answered.emit(job.owner, answer)

    def _stopped(self, number: int) -> None:
        self._settle(number)
