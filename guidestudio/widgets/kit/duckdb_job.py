"""A DuckDB query run on the thread pool that the GUI thread may stop at any moment.

Counting an audience and computing results both run a long DuckDB query off the GUI
thread and must stop it when the user edits again, cancels or closes the view: the flag
alone would only be seen between queries, so ``cancel`` also interrupts the connection
the job is using right now."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QRunnable


class DuckdbJob(QRunnable):
    """Subclasses call ``use`` with the connection they query and ``release`` when done;
    ``cancel`` may be called from any thread, before, during or after the run."""

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)  # its owner keeps it until its answer arrives
        self.cancelled = False
        self._lock = threading.Lock()
        self._con: Any = None

    @property
    def con(self) -> Any:
        """The connection in use (None before and after the run)."""
        return self._con

    def use(self, con: Any) -> None:
        with self._lock:
            self._con = con

    def release(self) -> None:
        """Closes the connection in use, if any."""
        with self._lock:
            con, self._con = self._con, None
        if con is not None:
            con.close()

    def cancel(self) -> None:
        self.cancelled = True
        with self._lock:
            con = self._con
        if con is not None:
            try:
                con.interrupt()
            except Exception:  # closed meanwhile: nothing left to stop
                pass

    @staticmethod
    def emit(signal: Any, *args: Any) -> None:
        """``signal.emit(*args)``, unless its owner is gone (closed mid-run)."""
        try:
            signal.emit(*args)
        except RuntimeError:
            pass
