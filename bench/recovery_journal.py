"""Recovery journal benchmark (offscreen): does the journal keep up without slowing typing?

    .venv/bin/python bench/recovery_journal.py [--project PATH] [--guides 2000]

For the example project and a generated 2,000-guide one, in the real main window:

(a) keystroke → model updated (a real ``QTest.keyClick`` into the guide's name), typed in
    bursts with pauses of one quiet period, so the journal is written between bursts and
    its GUI-thread part (snapshot) competes with typing — target median ≤ 5 ms;
(b) the journal's GUI-thread time per write (snapshot of the changed files; JSON and the
    fsynced write happen on its own thread), after a one-guide edit and after a
    project-wide change (every file rendered once, then only what changed);
(c) last keystroke → journal on disk (its ``written`` signal), target ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.event_loop import wait_until  # noqa: E402 - after the path set-up


def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"median {statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
            f"max {ordered[-1] * 1000:.2f} ms (n={len(ordered)})")


def pump(app: Any, seconds: float) -> None:
    """Run the event loop for a while (the journal's timers fire in it)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def measure(app: Any, window: Any, root: Path, label: str) -> None:
    from PySide6.QtTest import QTest

    from guidestudio.app.recovery import Recovery

    opened: list[Any] = []
    window.projectOpened.connect(opened.append)
    window.open_project(root)
    wait_until(app, lambda: bool(opened), 300, poll=0.0005)
    wait_until(app, lambda: not window.document.validating, 300, poll=0.0005)
    window.projectOpened.disconnect(opened.append)
    document, recovery = window.document, window.recovery
    guide = sorted(document.project.guides)[0] if "nps-survey" not in document.project.guides \
        else "nps-survey"
    path = ("guides", guide, "name")

    # Time the GUI-thread part of every journal write.
    flushes: list[float] = []
    original = recovery.flush

    def timed_flush() -> None:
        started = time.perf_counter()
        original()
        flushes.append(time.perf_counter() - started)

    recovery._quiet.timeout.disconnect()  # noqa: SLF001 - a benchmark's probe
    recovery._quiet.timeout.connect(timed_flush)  # noqa: SLF001
    recovery._deadline.timeout.disconnect()  # noqa: SLF001
    recovery._deadline.timeout.connect(timed_flush)  # noqa: SLF001
    slices: list[float] = []
    render_slice = recovery._render_slice  # noqa: SLF001

    def timed_slice() -> None:
        started = time.perf_counter()
        render_slice()
        slices.append(time.perf_counter() - started)

    recovery._slices.timeout.disconnect()  # noqa: SLF001
    recovery._slices.timeout.connect(timed_slice)  # noqa: SLF001

    seen: list[float] = []
    document.changed.connect(lambda change: seen.append(time.perf_counter())
                             if tuple(change.path[:3]) == path else None)
    landed: list[float] = []
    recovery.written.connect(lambda _p: landed.append(time.perf_counter()))
    window.tree.select("guide", guide)
    app.processEvents()
    window.current_editor().focus_field("name")
    app.processEvents()
    field = app.focusWidget()
    latencies: list[float] = []
    to_disk: list[float] = []
    for burst in range(12):
        field.selectAll()
        for i in range(10):
            before = len(seen)
            started = time.perf_counter()
            QTest.keyClick(field, "abcdefghij"[(burst + i) % 10])
            wait_until(app, lambda b=before: len(seen) > b, 5, poll=0.0005)
            latencies.append(seen[-1] - started)
            pump(app, 0.03)  # ~30 characters a second
        last = seen[-1]
        before = len(landed)
        if recovery.DEBOUNCE_MS > 10**6:  # the baseline: no journal, a pause all the same
            pump(app, 0.45)
            continue
        wait_until(app, lambda b=before: len(landed) > b, 10, poll=0.0005)
        to_disk.append(landed[-1] - last)
    print(f"{label}:")
    if not to_disk:
        print(f"  (a) keystroke → model, typing in bursts, journal off: {stats(latencies)}")
        document.undo_stack.setClean()
        return
    print(f"  (a) keystroke → model, typing in bursts with the journal on: {stats(latencies)}"
          "   (target median <= 5 ms)")
    print(f"  (b) journal's GUI-thread time per write, one guide edited: {stats(flushes)}")
    print(f"  (c) last keystroke → journal on disk: {stats(to_disk)}   (target <= 1.5 s; "
          f"quiet period {Recovery.DEBOUNCE_MS} ms)")
    # A project-wide change: every file rendered once, then only what changed.
    from guidestudio.core.edits import SetValue

    document.apply(SetValue(("guides",), dict(document.project.guides)), "bench: every guide")
    slices.clear()
    started = time.perf_counter()
    recovery.flush()  # the first slice
    slices.append(time.perf_counter() - started)
    wait_until(app, lambda: not recovery.scheduled, 600, poll=0.0005)
    everything = time.perf_counter() - started
    started = time.perf_counter()
    document.set_value(path, "after the project-wide change")
    recovery.flush()
    one = time.perf_counter() - started
    print(f"  (b') after a change to all {len(document.project.guides)} guides: the next write "
          f"renders them all once, in 8 ms slices: {everything * 1000:.0f} ms in all, worst "
          f"slice {max(slices) * 1000:.1f} ms; a one-guide edit after it "
          f"{one * 1000:.1f} ms")
    recovery.settle()
    document.undo_stack.setClean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="a generated project (skip building)")
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--journal-off", action="store_true",
                        help="baseline: the journal never writes while typing")
    args = parser.parse_args()
    if args.journal_off:
        from guidestudio.app.recovery import Recovery

        Recovery.DEBOUNCE_MS = Recovery.MAX_WAIT_MS = 10**8
    home = Path(tempfile.mkdtemp(prefix="gs-journal-bench-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    import shutil

    from guidestudio.app.gui import create_application
    from guidestudio.core.resources import EXAMPLE_PROJECT

    app = create_application([])
    from guidestudio.app.main_window import MainWindow

    window = MainWindow()
    window.ask_save_changes = lambda: "discard"  # type: ignore[method-assign]
    window.show()
    example = home / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, example)
    measure(app, window, example, "example project")
    project = args.project
    if project is None:
        from bench.synthetic import build

        project = home / "synthetic"
        build(project, guides=args.guides)
    measure(app, window, project, f"{args.guides}-guide project")
    window.close()


if __name__ == "__main__":
    main()
