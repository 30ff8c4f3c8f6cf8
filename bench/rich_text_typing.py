"""Keystroke → model in the inspector's rich text fields (issue 12 item 5), offscreen.

    .venv/bin/python bench/rich_text_typing.py [--count 300]

A real ``QTest.keyClick`` into a step's title (one line, with a placeholder chip)
and into a body (a list, bold, links, a chip) of the example project in the main
window, each keystroke timed until the document reports the change. The same
target as ``bench/gui.py`` (c), the guide name, measured in the same run for
comparison: median ≤ 5 ms, p99 ≤ 16 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.gui import _quiet_offscreen, _stats, _wait, keystrokes, open_project  # noqa: E402

FIELDS = (("trial-conversion-tour", "title", "title (one line, a chip)"),
          ("release-announcement", "body", "body (a list, bold, links, a chip)"))


def type_into(app: Any, window: Any, guide_id: str, field: str, count: int,
              cpu_times: list[float]) -> list[float]:
    """Wall-clock latency of each keystroke; the GUI thread's CPU time for each is added to
    ``cpu_times`` (steadier than wall time on a busy machine)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    document = window.document
    path = ("guides", guide_id, "variants", 0, "steps", 0, field, "en")
    seen: list[float] = []
    document.changed.connect(lambda change: seen.append(time.perf_counter())
                             if tuple(change.path[:7]) == path[:7] else None)
    window.tree.select("guide", guide_id)
    app.processEvents()
    editor = getattr(window.current_editor().step_editor, field).editor("en")
    editor.setFocus()
    original = editor.text()
    latencies: list[float] = []
    for i in range(count):
        if i % 50 == 0:  # keep the text its usual length: start again from the original
            document.set_value(path, original)
            app.processEvents()
            QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        before = len(seen)
        start, cpu = time.perf_counter(), time.thread_time()
        QTest.keyClick(editor, "abcdefghi "[i % 10])
        _wait(app, lambda b=before: len(seen) > b, timeout=5)
        latencies.append(seen[-1] - start)
        cpu_times.append(time.thread_time() - cpu)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_quiet_offscreen)
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="gs-bench-rich-")
    from guidestudio.app.gui import create_application
    from guidestudio.core.resources import EXAMPLE_PROJECT

    app = create_application([])
    from guidestudio.app.main_window import MainWindow

    window = MainWindow()
    window.ask_save_changes = lambda: "discard"  # type: ignore[method-assign]
    window.show()
    app.processEvents()
    open_project(app, window, EXAMPLE_PROJECT)
    print("keystroke to model updated, QTest.keyClick into the inspector's rich text fields:")
    _method, names = keystrokes(app, window, "nps-survey", args.count)
    print(f"    for comparison, a guide's name (a line edit, bench/gui.py (c)): {_stats(names)}")
    for guide_id, field, words in FIELDS:
        cpu: list[float] = []
        print(f"    {words}: {_stats(type_into(app, window, guide_id, field, args.count, cpu))}"
              "   (target median <= 5 ms, p99 <= 16 ms)")
        print(f"        GUI thread CPU per keystroke: {_stats(cpu)}")
    window.document.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
