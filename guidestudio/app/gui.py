"""Start the editor: ``guidestudio`` with no command, or ``guidestudio DIR``.

Sets up the application before anything else touches Qt —
``AA_ShareOpenGLContexts`` must be set before the ``QApplication`` exists
because the preview imports QtWebEngine later — names the application (for
QSettings and the recovery folder), applies the theme, and opens the given
project, else the last one, else (a copy of) the bundled example.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtWidgets import QApplication

from guidestudio.app import gc_policy, settings_store, theme
from guidestudio.core.resources import EXAMPLE_PROJECT

ORGANIZATION = "Guide Studio"
APPLICATION = "Guide Studio"


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, configured; reuses one that already exists (tests, embedding)."""
    existing = QApplication.instance()
    if existing is None:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to sandbox its helpers as root (containers, CI);
            # without this the preview's web engine would not start at all.
            os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    else:
        app = existing  # type: ignore[assignment]
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setOrganizationDomain("guidestudio.app")
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName("guidestudio")
    gc_policy.install(app)  # cycles are collected on this thread, between events only
    return app  # type: ignore[return-value]


def example_workspace() -> Path:
    """The user's own copy of the bundled example, made on first use.

    Saving into the bundled example would change the installed package for
    every user (and fail on a read-only install), so the first start opens a
    copy in the application's data folder; later starts reuse it, edits and all.
    If the copy cannot be made, the bundled example opens as before.
    """
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:
        return EXAMPLE_PROJECT
    target = Path(base) / "examples" / EXAMPLE_PROJECT.name
    if (target / "guidestudio.yaml").is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".copy-", dir=target.parent))
        shutil.copytree(EXAMPLE_PROJECT, staging / "p")
        if target.exists():  # a half-made copy from an interrupted first start
            shutil.rmtree(target)
        os.replace(staging / "p", target)  # appears complete or not at all
        shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        return EXAMPLE_PROJECT
    return target


def choose_project(requested: Path | None) -> Path:
    """The folder given, else the last project (if it still exists), else the example."""
    if requested is not None:
        return requested
    last = settings_store.last_project()
    if last is not None and (last / "guidestudio.yaml").is_file():
        return last
    return example_workspace()


def run_gui(project: Path | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code.

    A folder given on the command line that is not a project is a usage error
    (exit 2, message on stderr), as for every other command — not a window
    with an error dialog that a script would wait on forever.
    """
    if project is not None and not (Path(project) / "guidestudio.yaml").is_file():
        what = "no such folder" if not Path(project).is_dir() else \
            "not a Guide Studio project (no guidestudio.yaml in it)"
        print(f"guidestudio: {project}: {what}", file=sys.stderr)
        return 2
    app = create_application()
    theme.apply_theme(settings_store.get_str(settings_store.THEME, "system"))
    from guidestudio.app.main_window import MainWindow  # after the QApplication: widgets need it

    window = MainWindow()
    root = choose_project(Path(project) if project is not None else None)
    # Start loading before the first paint: the worker parses while the window appears.
    if not window.open_project(root) and root.name != EXAMPLE_PROJECT.name and project is None:
        settings_store.forget_project(root)
        window.open_project(EXAMPLE_PROJECT)
    window.show()
    if os.environ.get("GUIDESTUDIO_EXIT_AFTER_SHOW"):  # smoke tests and the benchmark
        window.projectOpened.connect(app.quit)
    return int(app.exec())
