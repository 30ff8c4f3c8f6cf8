"""Run an export off the GUI thread: a worker QObject on a QThread.

The export is ``guidestudio.core.bundle.export.export_project`` — the very function behind
``guidestudio export`` — so the dialog can never produce a bundle the CLI
would not. Its ``progress`` callback is called on the worker thread; the worker
turns it into a signal (queued to the GUI thread) and uses it as the place to
stop when the user cancels.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

log = logging.getLogger(__name__)


class ExportCancelled(Exception):
    """Raised from the progress callback to stop between two guides."""


@dataclass(frozen=True)
class ExportRequest:
    root: Path
    output: Path
    environment: str = "production"
    locales: tuple[str, ...] | None = None
    include_drafts: bool = False
    runtime_dir: Path | None = None


class ExportWorker(QObject):
    progress = Signal(int, int)  # guides compiled, total
    finished = Signal(object)  # ExportResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, request: ExportRequest) -> None:
        super().__init__()
        self.request = request
        self.thread_id: int | None = None  # which thread ran it (tests check it is not the GUI's)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise ExportCancelled
        self.progress.emit(done, total)

    def run(self) -> None:
        self.thread_id = threading.get_ident()
        r = self.request
        try:
            from guidestudio.core.bundle.export import (
                export_project,  # compiler, Jinja2: only when exporting
            )

            result = export_project(r.root, r.output, environment=r.environment,
                                    locales=list(r.locales) if r.locales else None,
                                    include_drafts=r.include_drafts, runtime_dir=r.runtime_dir,
                                    progress=self._progress)
        except ExportCancelled:
            self.cancelled.emit()
        except Exception as exc:  # a usage error or a bug: say so instead of dying silently
            log.exception("export failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


def start_export(request: ExportRequest, parent: QObject) -> tuple[QThread, ExportWorker]:
    """Start ``request`` on a new thread; both clean themselves up when it ends."""
    thread = QThread(parent)
    worker = ExportWorker(request)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    for signal in (worker.finished, worker.failed, worker.cancelled):
        signal.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread, worker
