"""Results computed off the GUI thread, with progress and a Cancel that stops DuckDB.

One ``ResultsRunner`` per open project. ``run()`` takes a slim copy of the guides
(what the analysis reads: ids, names, variants' keys, weights and step counts, goals,
experiments) on the GUI thread, so the worker never reads the model while it is
edited, and hands it to a one-thread pool where a fresh in-process DuckDB connection
reads the event files and runs every query (``core/results``). A timer on the GUI
thread polls ``query_progress()`` for the bar; ``cancel()`` calls
``connection.interrupt()``, which DuckDB honours between vectors, so even a query over
gigabytes stops within a moment. Each run has a number: whatever a cancelled or
replaced run says afterwards is ignored.

The event sources are the user's, per project, kept in the user's settings by the
window (``sourcesChanged``), never in the project: another person's files are not
there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from guidestudio.core.model import Guide, Project, Settings, Step, Variant
from guidestudio.widgets.kit.duckdb_job import DuckdbJob

log = logging.getLogger(__name__)
POLL_MS = 150
STAGES = ("Reading the event files", "Counting funnels and experiments",
          "Measuring daily reach")


@dataclass
class Outcome:
    """What one run found: every guide's results, what was left out, reach per day."""

    sources: list[str]
    results: list[Any]  # core.results.analysis.GuideResult
    load: Any  # core.results.store.LoadReport
    reach: dict[str, Any] = field(default_factory=dict)  # guide id -> planning.Reach
    seconds: float = 0.0

    def result(self, guide_id: str) -> Any | None:
        return next((r for r in self.results if r.guide_id == guide_id), None)


def snapshot(project: Project) -> Project:
    """The guides as the analysis reads them, copied: texts and rules stay behind."""
    guides = {}
    for gid, g in project.guides.items():
        variants = [Variant(v.key, [Step() for _ in v.steps], v.name, v.weight)
                    for v in g.variants]
        experiment = None
        if g.experiment is not None:
            experiment = replace(g.experiment, namespace=None)
        goal = None if g.goal is None else type(g.goal)(g.goal.event, g.goal.within_days)
        guides[gid] = Guide(g.id, g.name, g.kind, g.status, variants, goal=goal,
                            experiment=experiment)
    return Project(Settings(project.settings.id, project.settings.name), guides=guides)


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)
    stopped = Signal(int)


class _Job(DuckdbJob):
    """One run on the pool's thread; ``cancel`` may be called from the GUI thread."""

    def __init__(self, number: int, project: Project, sources: list[str],
                 signals: _Signals) -> None:
        super().__init__()
        self.number, self.project, self.sources = number, project, sources
        self.signals = signals
        self.stage = STAGES[0]
        #: How a cancelled run ended: "interrupted" (DuckDB stopped mid-query) or "between
        #: stages" (the flag was seen between two steps).
        self.stopped_by = ""

    def progress(self) -> int:
        """The running query's percentage (-1: none running or not known)."""
        con = self.con
        if con is None:
            return -1
        try:
            return int(con.query_progress())
        except Exception:
            return -1

    def run(self) -> None:
        try:
            outcome = self._work()
        except Exception as exc:
            if self.cancelled:
                self.stopped_by = ("between stages" if isinstance(exc, InterruptedError)
                                   else "interrupted" if "interrupt" in str(exc).lower()
                                   else type(exc).__name__)
                self.emit(self.signals.stopped, self.number)
            else:
                self.emit(self.signals.failed, self.number, describe(exc))
            return
        finally:
            self.release()
        if self.cancelled:
            self.stopped_by = "at the end"
            self.emit(self.signals.stopped, self.number)
        else:
            self.emit(self.signals.done, self.number, outcome)

    def _work(self) -> Outcome:
        from guidestudio.core.results import analysis, planning, store

        start = time.perf_counter()
        con = store.connect()
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        self.use(con)
        if self.cancelled:
            raise InterruptedError
        load = store.load(con, self.project, self.sources)
        self.stage = STAGES[1]
        if self.cancelled:
            raise InterruptedError
        results = analysis.analyse(con, self.project)
        self.stage = STAGES[2]
        reach = planning.reach_per_day(con)
        return Outcome(list(self.sources), results, load, reach, time.perf_counter() - start)


def describe(exc: BaseException) -> str:
    """An error as one sentence for the view: never a traceback."""
    import duckdb  # loaded by the run already

    from guidestudio.core.results.sources import SourceError

    if isinstance(exc, SourceError):
        return str(exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    if isinstance(exc, duckdb.OutOfMemoryException):
        return f"The events did not fit in memory ({first}); choose fewer files or days."
    if isinstance(exc, duckdb.Error):
        return f"The events could not be analysed: {first}"
    if isinstance(exc, OSError):
        return f"The event files could not be read: {first}"
    log.error("results run failed", exc_info=exc)
    return f"Something went wrong while analysing the events ({type(exc).__name__}: {first})."


class ResultsRunner(QObject):
    """Runs the analysis for one project; see the module docstring."""

    started = Signal()
    #: (stage, step of the stages from 1, percent of the running query or -1)
    progress = Signal(str, int, int)
    finished = Signal(object)  # Outcome
    failed = Signal(str)
    cancelled = Signal()
    #: The user chose other event files (the window keeps them in its settings).
    sourcesChanged = Signal(list)

    def __init__(self, project: Callable[[], Project], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.sources: list[str] = []
        self.outcome: Outcome | None = None
        self.error = ""
        self.stopped_by = ""  # the last cancelled run's ``_Job.stopped_by``
        self._number = 0
        self._job: _Job | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._signals.failed.connect(self._failed)
        self._signals.stopped.connect(self._stopped)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._tell_progress)

    @property
    def running(self) -> bool:
        return self._job is not None

    def set_sources(self, paths: list[str], remember: bool = True) -> None:
        """Use ``paths`` (files, folders, globs) from now on; results of others are dropped."""
        paths = [p for p in dict.fromkeys(paths) if p]
        if paths == self.sources:
            return
        self.sources = paths
        self.outcome, self.error = None, ""
        if remember:
            self.sourcesChanged.emit(list(paths))

    def run(self) -> bool:
        """Start analysing the sources (a run under way is cancelled). False: no sources."""
        if not self.sources:
            return False
        if self._job is not None:
            self._job.cancel()
        self._number += 1
        self.error = ""
        job = _Job(self._number, snapshot(self._project()), list(self.sources), self._signals)
        self._job = job
        self._pool.start(job)
        self._poll.start()
        self.started.emit()
        self.progress.emit(job.stage, 1, -1)
        return True

    def ensure(self) -> None:
        """Run once if there are sources and nothing was run yet (the planner wants reach)."""
        if self.sources and self.outcome is None and self._job is None and not self.error:
            self.run()

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.progress.emit("Stopping…", 0, -1)

    def wait(self, ms: int = 5000) -> bool:
        """Until the pool is idle (closing the window: cancel first)."""
        return bool(self._pool.waitForDone(ms))

    def shutdown(self) -> None:
        self.cancel()
        self._poll.stop()
        self.wait()

    def _tell_progress(self) -> None:
        job = self._job
        if job is None:
            return
        if job.cancelled:  # an interrupt that fell between two queries is repeated
            job.cancel()
            return
        self.progress.emit(job.stage, STAGES.index(job.stage) + 1, job.progress())

    def _current(self, number: int) -> bool:
        return self._job is not None and number == self._job.number

    def _settle(self) -> None:
        self._job = None
        self._poll.stop()

    def _done(self, number: int, outcome: Outcome) -> None:
        if not self._current(number):
            return
        self._settle()
        self.outcome = outcome
        self.finished.emit(outcome)

    def _failed(self, number: int, message: str) -> None:
        if not self._current(number):
            return
        self._settle()
        self.error = message
        self.failed.emit(message)

    def _stopped(self, number: int) -> None:
        if not self._current(number):
            return
        assert self._job is not None
        self.stopped_by = self._job.stopped_by
        self._settle()
        self.cancelled.emit()
