"""Translation files benchmark: XLIFF export and import of a 2,000-guide project.

What a localisation manager waits for: ``guidestudio l10n export`` (every text as XLIFF
2.0) and ``l10n import`` (read, check every unit's codes and formatting, plan the edit,
save once). Printed beside two floors measured in the same run on the same files:
loading the project (what every command pays first) and lxml parsing and serialising
the exported file (the least any XLIFF reader could do).

The editor's side (``--stall``): the worst event-loop stall while File ▸ Import
translations reads and checks the same file, measured by a 5 ms timer on the GUI
thread — the old way (everything on the GUI thread) against the import as the
window runs it now (``app/translation_files.py``: a pool thread, the summary
when done), beside a floor: the same timer while a thread only spins Python.

Run: .venv/bin/python bench/l10n.py [--guides N] [--stall]
"""

from __future__ import annotations

import argparse
import copy
import gc
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

from lxml import etree  # noqa: E402

from bench.synthetic import build  # noqa: E402
from guidestudio.core import edits, markdown_text  # noqa: E402
from guidestudio.core.files.project_io import load_project, save_project  # noqa: E402
from guidestudio.core.l10n.importer import plan_import  # noqa: E402
from guidestudio.core.l10n.xliff_write import XLIFF2, export_xliff  # noqa: E402


def translated(data: bytes) -> bytes:
    """Every unit given a target: its source's words and codes, as a tool would copy them."""
    root = etree.fromstring(data)
    for segment in root.iter(f"{{{XLIFF2}}}segment"):
        source = segment.find(f"{{{XLIFF2}}}source")
        target = copy.deepcopy(source)
        target.tag = f"{{{XLIFF2}}}target"
        segment.append(target)
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def stalls(root: Path, path: Path) -> None:
    """The worst event-loop stall of an import in the editor, before and after."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from guidestudio.app import gc_policy
    from guidestudio.app.document import Document
    from guidestudio.app.translation_files import import_translations
    from guidestudio.app.translation_plan_job import _consolidate_freed_memory
    from guidestudio.core.l10n.importer import import_file_plan
    from guidestudio.widgets.dialogs.translation_import import TranslationImportDialog

    app = QApplication.instance() or QApplication([])
    gc_policy.install(app)  # as the editor runs: collections on the GUI thread only

    class Window(QMainWindow):
        document: Document | None = None

    window = Window()
    window.document = Document(load_project(root), validate=False)
    gc.freeze()  # as the editor's loader does with a project it loaded (app/project_loader.py)
    from bench.event_loop import StallMeter

    ticks = StallMeter(interval_ms=5)
    loop = QEventLoop()

    def idle(ms: int = 500) -> None:
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    class AllAtOnce(TranslationImportDialog):
        FILL_AT_ONCE = 10**9  # the summary as it was built before: in one go

    def spin(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            sum(range(100))

    print(f"  editor, worst event-loop stall (target <= 100 ms), load {_load()}:")
    for attempt in (1, 2):
        # The floor: the same GUI thread beside a thread that only runs Python for 3 s
        # (GIL hand-over and this machine's load, nothing of the import's).
        spinner = threading.Thread(target=spin, args=(3.0,))
        ticks.start()
        spinner.start()
        idle(3000)
        spinner.join()
        floor = ticks.stop()
        markdown_text.clear_cache()
        idle()
        before: dict[str, float] = {}

        def synchronous(out: dict[str, float] = before) -> None:  # File ▸ Import, before
            start = time.perf_counter()
            plan = import_file_plan(window.document.project, str(path))
            out["plan"] = time.perf_counter() - start
            start = time.perf_counter()
            AllAtOnce(plan, window.document.project, window).deleteLater()
            out["summary"] = time.perf_counter() - start
            QTimer.singleShot(0, loop.quit)

        ticks.start()
        QTimer.singleShot(0, synchronous)
        loop.exec()
        before["stall"] = ticks.stop()
        # The old path parsed on this thread: glibc would merge the blocks its tree left at
        # this thread's next large allocation, inside the measurement below — a cost of the
        # old path, not the new one (a fresh process has none). Merged here, unmeasured.
        _consolidate_freed_memory()
        idle()

        markdown_text.clear_cache()
        after: dict[str, Any] = {}
        start = time.perf_counter()
        ticks.start()
        run = import_translations(window, str(path))
        assert run is not None
        run.job.planned.connect(
            lambda *_, out=after: out.update(planning=ticks.worst, at=time.perf_counter()))
        run.ready.connect(lambda dialog, out=after: (
            out.update(stall=ticks.stop(), done=time.perf_counter(), dialog=dialog),
            loop.quit()))
        loop.exec()
        ticks.start()  # the second after: the collector's first pass over what was made
        idle(1000)
        after["later"] = ticks.stop()
        after["dialog"].close()
        print(f"    run {attempt}: floor  {floor * 1000:5.0f} ms (beside a thread spinning "
              f"Python)")
        print(f"           before {before['stall'] * 1000:5.0f} ms (all on the GUI "
              f"thread: plan {before['plan'] * 1000:.0f} ms, summary "
              f"{before['summary'] * 1000:.0f} ms)")
        print(f"           after  {after['stall'] * 1000:5.0f} ms (worst while read and checked "
              f"{after['planning'] * 1000:.0f} ms; ready after "
              f"{(after['at'] - start) * 1000:.0f} ms, summary listed in "
              f"{(after['done'] - after['at']) * 1000:.0f} ms); in the second after it "
              f"opened {after['later'] * 1000:.0f} ms")
        idle()
    window.close()


def _load() -> str:
    import os

    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--stall", action="store_true",
                        help="only the editor's event-loop stall while importing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big"
        build(root, guides=args.guides)
        loaded, load_s = timed(lambda: load_project(root))
        project = loaded.project
        markdown_text.clear_cache()
        data, export_s = timed(lambda: export_xliff(project, "fr"))
        _, floor_s = timed(lambda: etree.tostring(etree.fromstring(data)))
        back = translated(data)
        if args.stall:
            path = Path(tmp) / "fr.xlf"
            path.write_bytes(back)
            print(f"{args.guides} guides, XLIFF 2.0 of {len(back) / 1e6:.1f} MB")
            del data, back
            stalls(root, path)
            return
        markdown_text.clear_cache()
        plan, plan_s = timed(lambda: plan_import(project, back, "fr.xlf"))
        assert plan.ok, plan.problems[:3]

        def apply_and_save() -> None:
            edits.apply(project, plan.edit)
            save_project(project, loaded.files,
                         only={t[:2] if t[0] == "guides" else t[:1]
                               for t in edits.leaf_targets(plan.edit)})

        _, save_s = timed(apply_and_save)
        units = len(plan.changes)
        print(f"{args.guides} guides, {units} texts, XLIFF 2.0 of {len(data) / 1e6:.1f} MB")
        print(f"  floor: load the project {load_s * 1000:7.0f} ms; lxml parse + write the file "
              f"{floor_s * 1000:5.0f} ms")
        for label, seconds in (("export", export_s), ("import: read, check, plan", plan_s),
                               ("import: apply and save", save_s)):
            print(f"  {label:28} {seconds * 1000:7.0f} ms  = {seconds / load_s:4.2f}x load, "
                  f"{seconds / floor_s:5.1f}x lxml")


if __name__ == "__main__":
    main()
