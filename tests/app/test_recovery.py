"""Crash recovery: a killed session's unsaved edits come back as one undoable step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from guidestudio.app.document import Document
from guidestudio.app.main_window import MainWindow
from guidestudio.app.recovery import Recovery, RecoveryData, recovery_file
from guidestudio.core.edits import MISSING
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.usefixtures("shell_env")
NAME = ("guides", "nps-survey", "name")

CRASHING_SESSION = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from guidestudio.app.gui import create_application
    from guidestudio.app.document import Document
    from guidestudio.app.recovery import Recovery

    app = create_application([])
    root, folder = Path(sys.argv[1]), Path(sys.argv[2])
    document = Document.open(root)
    recovery = Recovery(document, folder=folder)
    document.set_value(("guides", "nps-survey", "name"), "Edited before the crash")
    from guidestudio.core.edits import MISSING
    document.set_value(("guides", "release-announcement"), MISSING)
    print(recovery.autosave(), flush=True)
    os._exit(1)  # no clean shutdown: the recovery file stays behind
""")


def crash(project: Path, folder: Path) -> Path:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-c", CRASHING_SESSION, str(project), str(folder)],
                          capture_output=True, text=True, env=env, timeout=60, cwd=REPO_ROOT)
    assert done.returncode == 1, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def test_a_crashed_sessions_edits_are_restored_as_one_undoable_step(project: Path,
                                                                   tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "recovery"
    written = crash(project, folder)
    assert written == recovery_file(project, folder) and written.is_file()
    payload = json.loads(written.read_text(encoding="utf-8"))
    assert payload["root"] == str(project.resolve()) and payload["saved_at"]
    assert set(payload["files"]) == {"guides/nps-survey.yaml"}
    assert payload["removed"] == ["guides/release-announcement.yaml"]

    document = Document.open(project)  # the restarted editor
    recovery = Recovery(document, folder=folder)
    asked: list[RecoveryData] = []
    assert recovery.check(lambda data: asked.append(data) or True)
    assert "nps-survey" in asked[0].describe()
    assert document.get(NAME) == "Edited before the crash"
    assert "release-announcement" not in document.project.guides
    assert document.is_modified and document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.get(NAME) != "Edited before the crash"
    assert "release-announcement" in document.project.guides


def test_discarding_removes_the_file_and_saving_too(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    crash(project, folder)
    document = Document.open(project)
    recovery = Recovery(document, folder=folder)
    assert not recovery.check(lambda data: False)
    assert recovery.path is not None and not recovery.path.exists()
    assert not document.is_modified
    document.set_value(NAME, "x")
    assert recovery.autosave() == recovery.path
    document.save()  # clean again: nothing left to recover
    assert not recovery.path.exists()


def test_autosave_when_the_application_loses_focus(project: Path, tmp_path: Path,
                                                   qapp: QApplication) -> None:
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    document.set_value(NAME, "typed")
    assert recovery.path is not None and not recovery.path.exists()
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert recovery.path.exists()
    document.undo_stack.undo()  # back to the saved state: nothing unsaved
    assert not recovery.path.exists()


def test_only_changed_entities_are_written(project: Path, tmp_path: Path) -> None:
    document = Document.open(project)
    recovery = Recovery(document, folder=tmp_path / "r")
    document.set_value(("settings", "name"), "Renamed project")
    document.set_value(("segments", "admins"), MISSING)
    data = recovery.snapshot()
    assert set(data.files) == {"guidestudio.yaml"}
    assert data.removed == ["segments/admins.yaml"]


def test_the_window_offers_the_restore_when_it_opens_the_project(
        project: Path, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    crash(project, tmp_path / "recovery")  # where shell_env points the app's recovery folder
    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    monkeypatch.setattr(MainWindow, "ask_restore", lambda self, data: True)
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.projectOpened, timeout=10_000):
        window.open_project(project)
    assert window.document is not None
    assert window.document.get(NAME) == "Edited before the crash"
    assert window.isWindowModified()
    assert window.tree.model.index_for("guide", "nps-survey").data() == "Edited before the crash"
