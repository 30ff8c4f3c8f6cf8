"""Fixtures for the main window and its helpers: real files, isolated settings, no surprises.

Following napari and qutebrowser: settings and the recovery folder live in the
test's temp folder, debouncing is off so tests are fast and deterministic, any
dialog a test did not expect fails instead of hanging, and a test that leaves
a top-level widget behind fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import EXAMPLE_PROJECT


def _unexpected_dialog(*args: object, **kwargs: object) -> object:
    raise AssertionError(f"unexpected message box: {args[1:3]}")


@pytest.fixture
def shell_env(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Isolated QSettings, recovery and picture folders, instant timers, guarded dialogs,
    leak check."""
    from guidestudio.app import recovery, starter_thumbnails
    from guidestudio.app.document import Document
    from guidestudio.app.file_watcher import FileWatcher

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    QSettings().clear()
    monkeypatch.setattr(recovery, "recovery_dir", lambda: tmp_path / "recovery")
    monkeypatch.setattr(starter_thumbnails, "default_cache_dir", lambda: tmp_path / "thumbs")
    monkeypatch.setattr(FileWatcher, "DEBOUNCE_MS", 0)
    monkeypatch.setattr(Document, "VALIDATE_DELAY_MS", 0)
    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(_unexpected_dialog))
    before = set(QApplication.topLevelWidgets())
    yield tmp_path
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets()
              if w not in before and w.parent() is None and not w.isHidden()]
    assert not leaked, f"test left top-level widgets behind: {leaked}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project to edit freely."""
    root = tmp_path / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of a project folder, by relative path — not the hidden save folder, which
    git ignores (its lock file stays, empty, between saves)."""
    from guidestudio.core.files.transaction import HIDDEN_DIR

    return {rel: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and (rel := p.relative_to(root).as_posix()).split("/")[0] != HIDDEN_DIR}


@pytest.fixture
def window(shell_env: Path, project: Path, qtbot, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The real main window on a copy of the example; closing it discards changes."""
    from guidestudio.app.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(project, background=False)
    return win


@pytest.fixture
def screen(shell_env: Path, project: Path, qtbot,  # type: ignore[no-untyped-def]
           monkeypatch: pytest.MonkeyPatch):
    """``screen(size, scheme, item)``: the main window as ``tests/app/screens.py`` opens it
    (closing it discards changes); the light scheme is back afterwards."""
    from guidestudio.app.main_window import MainWindow
    from tests.app.screens import open_main_window, restore_light

    monkeypatch.setattr(MainWindow, "ask_save_changes", lambda self: "discard")

    def open_at(size: tuple[int, int] = (1280, 800), scheme: str = "light",
                item: tuple[str, str] | None = None):  # type: ignore[no-untyped-def]
        return open_main_window(qtbot, project, size, scheme, item)

    yield open_at
    restore_light()
