"""Qt objects freed by the cyclic garbage collector: no crash, no slot called on a dead object.

Documents, their undo stacks, recovery, file watcher and the views on them form
reference cycles (a child's ``__dict__`` points at its parent; the parent's
wrapper holds its children). When the collector frees such a cycle, shiboken
clears the wrappers one by one, and whatever Qt emits while the C++ objects
die reaches half-torn-down Python objects: QUndoStack's destructor used to emit
``cleanChanged`` into ``Recovery``/the window ("Slot 'Recovery::' not found",
or a segfault). And a collection on a worker thread deleted GUI objects from
the wrong thread (dangling timers, a segfault later). Each scenario runs in a
subprocess so that a crash fails the test instead of killing the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

PRELUDE = textwrap.dedent("""
    import gc, shutil, sys, tempfile, threading
    from pathlib import Path
    errors = []
    sys.excepthook = lambda *exc: errors.append(exc[1])  # exceptions raised in slots
    from guidestudio.app.gui import create_application
    app = create_application([])
    root = Path(tempfile.mkdtemp()) / "p"
    shutil.copytree(sys.argv[1], root)
""")

DOCUMENT_CYCLES = PRELUDE + textwrap.dedent("""
    from guidestudio.app.document import Document
    from guidestudio.app.file_watcher import FileWatcher
    from guidestudio.app.recovery import Recovery
    from guidestudio.widgets.guide.guide_editor import GuideEditor
    from guidestudio.widgets.project.problems_panel import ProblemsPanel
    from guidestudio.widgets.project.tree import ProjectTree

    def session():
        document = Document.open(root)
        Recovery(document, folder=root.parent / "recovery")
        FileWatcher(document, lambda *a: "mine")
        views = [ProjectTree(), ProblemsPanel(), GuideEditor(document)]
        for view in views[:2]:
            view.set_document(document)
        views[2].set_guide("nps-survey")
        document.set_value(("guides", "nps-survey", "name"), "Edited")  # a non-empty stack:
        document.set_value(("settings", "name"), "Renamed")             # its destructor emits
        return views

    for _ in range(5):
        session()  # everything dropped at once, nothing disposed or closed
        app.processEvents()
        for _ in range(3):
            gc.collect()
        app.processEvents()
    print("errors:", errors, flush=True)
    sys.exit(1 if errors else 0)
""")

WINDOW_DROPPED = PRELUDE + textwrap.dedent("""
    from guidestudio.app.main_window import MainWindow

    # A window dropped unclosed is a crash: the next one finds its journal; decline it.
    MainWindow.ask_restore = lambda self, data: False
    for _ in range(3):
        window = MainWindow()
        window.show()
        assert window.open_project(root, background=False)
        window.document.set_value(("guides", "nps-survey", "name"), "Edited")
        window.tree.select("guide", "nps-survey")
        app.processEvents()
        window.hide()
        del window  # not closed: the collector gets the whole window, document and all
        for _ in range(3):
            gc.collect()
        app.processEvents()
    print("errors:", errors, flush=True)
    sys.exit(1 if errors else 0)
""")

WORKER_THREAD = PRELUDE + textwrap.dedent("""
    from guidestudio.app.document import Document
    from guidestudio.widgets.guide.guide_editor import GuideEditor

    collected_on = []
    gc.callbacks.append(lambda phase, info: phase == "start"
                        and collected_on.append(threading.current_thread().name))

    def garbage():  # GUI objects with running timers, unreachable, in cycles
        document = Document.open(root)
        editor = GuideEditor(document)
        editor.set_guide("nps-survey")
        document.schedule_validation()

    for _ in range(3):
        garbage()
    worker = threading.Thread(target=lambda: [[{} for _ in range(50)] for _ in range(20_000)],
                              name="worker")  # enough allocations to trigger collections
    worker.start()
    worker.join()
    for _ in range(20):
        app.processEvents()  # the GUI thread collects, between events
    print("collections on:", sorted(set(collected_on)), "errors:", errors, flush=True)
    sys.exit(1 if errors or "worker" in collected_on else 0)
""")


@pytest.mark.parametrize("script", [DOCUMENT_CYCLES, WINDOW_DROPPED, WORKER_THREAD],
                         ids=["document-and-views", "window-dropped", "worker-thread"])
def test_the_collector_frees_qt_cycles_safely(script: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", script,
                           str(EXAMPLE_PROJECT)], capture_output=True, text=True, env=env,
                          timeout=120, cwd=REPO_ROOT)
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-4000:])
