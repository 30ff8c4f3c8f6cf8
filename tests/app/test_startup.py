"""Start-up stays light: what the window imports before it shows, and before the project is in.

Issue 5 (a) budgets the start at three times a bare ``QApplication`` +
``QMainWindow``. Most of that budget goes to Python imports, so these tests
guard the expensive ones that are easy to re-add by accident: the web engine
(~150 ms, wanted only with the first preview), the Python ``jsonschema`` stack
(~70 ms, wanted only to explain an invalid file: ``jsonschema_rs`` answers
validity), the core's loading and validation machinery (imported by the
loader thread, not the GUI thread), and the forms of editors nobody opened.

Each check runs in a fresh interpreter: this test process has long since
imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

WEB_ENGINE = ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebChannel")
#: never imported to show the window, nor to open a valid project
NOT_FOR_START = (*WEB_ENGINE, "jsonschema", "referencing", "guidestudio.widgets.preview.pane",
                 "guidestudio.widgets.guide.guide_editor", "guidestudio.widgets.entities.segment_editor", "guidestudio.widgets.entities.theme_editor",
                "duckdb", "PySide6.QtCharts", "guidestudio.widgets.results.results_view")
#: additionally not on the GUI thread's path to the first show: the loader thread imports them
NOT_FOR_WINDOW = (*NOT_FOR_START, "guidestudio.app.document", "guidestudio.core.files.project_io", "guidestudio.core.validate",
                  "guidestudio.core.bundle.compiler", "guidestudio.core.files.schemas", "jinja2", "markdown_it")

PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from guidestudio.app.gui import create_application
app = create_application(sys.argv[:1])
from guidestudio.app.main_window import MainWindow
report = {"window": sorted(sys.modules)}
window = MainWindow()
def opened(document):
    report["opened"] = sorted(sys.modules)
    report["guides"] = len(document.project.guides)
    report["tree_rows"] = window.tree.model.rowCount()
    report["pane_built"] = window.centre.pane_built
    app.quit()
window.projectOpened.connect(opened)
window.loader.failed.connect(lambda root, message: app.exit(3))
window.open_project(Path(sys.argv[1]))
window.show()
QTimer.singleShot(60_000, lambda: app.exit(4))
code = app.exec()
print(json.dumps(report))
sys.exit(code)
"""


@pytest.fixture(scope="module")
def startup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("startup-home")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE_PROJECT)], env=env,
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_importing_the_window_leaves_the_core_and_the_web_engine_alone(
        startup: dict[str, Any]) -> None:
    loaded = set(startup["window"])
    assert "guidestudio.app.main_window" in loaded
    assert sorted(loaded.intersection(NOT_FOR_WINDOW)) == []


def test_the_project_is_in_before_the_preview_or_an_editor_is_built(
        startup: dict[str, Any]) -> None:
    loaded = set(startup["opened"])
    assert "guidestudio.app.document" in loaded  # the project really is open...
    assert startup["guides"] > 0 and startup["tree_rows"] > 0  # ...and in the tree
    assert sorted(loaded.intersection(NOT_FOR_START)) == []
    assert not startup["pane_built"]


def test_the_canvas_is_built_when_a_guide_is_shown(qapp: Any, tmp_path: Path) -> None:
    from guidestudio.app.centre import Centre
    from guidestudio.app.document import Document

    doc = Document.open(EXAMPLE_PROJECT)
    centre = Centre()
    try:
        centre.set_document(doc)
        assert not centre.pane_built and centre.currentWidget() is centre.empty
        guide = sorted(doc.project.guides)[0]
        centre.show_guide(guide)
        assert centre.pane_built and centre.currentWidget() is centre.pane
        assert centre.pane is not None and centre.pane.guide_id == guide
        centre.set_document(None)
        assert centre.pane is None and centre.currentWidget() is centre.empty
    finally:
        centre.deleteLater()
        doc.deleteLater()


IMPORT_THREADS = """
import json, sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
WATCHED = ("guidestudio.widgets.preview.pane", "guidestudio.core.bundle.compiler")
seen = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in WATCHED:
            seen.setdefault(name, threading.current_thread() is threading.main_thread())
        return None
sys.meta_path.insert(0, Watch())
from guidestudio.app.gui import create_application
app = create_application(sys.argv[:1])
from guidestudio.app.main_window import MainWindow
window = MainWindow()
built = []
def pane_built(pane):
    built.append(True)
    QTimer.singleShot(0, app.quit)
window.centre.paneBuilt.connect(pane_built)
window.open_project(Path(sys.argv[1]))
window.show()
QTimer.singleShot(60_000, lambda: app.exit(4))
code = app.exec()
print(json.dumps({"on_gui_thread": seen, "pane": bool(built)}))
sys.exit(code)
"""


def test_the_canvas_is_imported_off_the_gui_thread(tmp_path: Path) -> None:
    """The first guide's canvas needs ~100 ms of imports (its widgets, the web page, the
    compiler); a pool thread does them while the GUI thread starts the web engine and loads
    the page, which need that thread."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", IMPORT_THREADS, str(EXAMPLE_PROJECT)], env=env,
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["pane"]
    assert report["on_gui_thread"] == {"guidestudio.widgets.preview.pane": False,
                                       "guidestudio.core.bundle.compiler": False}
