"""What the GUI benchmarks (and the tests that measure freezes) share: driving the event
loop until something has happened, and a meter of its worst stall."""

from __future__ import annotations

import time
from typing import Any


def wait_until(app: Any, condition: Any, timeout: float = 300.0, poll: float = 0.001) -> None:
    """Run the event loop until ``condition()`` (as the editor's own loop would), polling
    every ``poll`` seconds; TimeoutError after ``timeout``."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("gave up waiting")
        app.processEvents()
        time.sleep(poll)


class StallMeter:
    """A timer of ``interval_ms``; the largest gap between its ticks is the worst freeze.

    Also the most CPU time the GUI thread used between two ticks (``worst_cpu``):
    on a machine others load, a gap also holds time the process waited for a
    core, and this figure does not. ``count``: the ticks since ``start``.
    """

    def __init__(self, interval_ms: int = 10) -> None:
        from PySide6.QtCore import QTimer

        self.worst = self.worst_cpu = 0.0
        self.count = 0
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self._last)
        self.worst_cpu = max(self.worst_cpu, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu
        self.count += 1

    def start(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self.worst = self.worst_cpu = 0.0
        self.count = 0
        self.timer.start()

    def stop(self) -> float:
        """The worst gap, counting the one still open now."""
        self.timer.stop()
        self._tick()
        return self.worst
