"""Waiting for File ▸ Import translations: the file is read and checked on the thread pool,
and the summary opens when that is done (``TranslationImport.ready``)."""

from __future__ import annotations

from typing import Any

from guidestudio.app.main_window import MainWindow
from guidestudio.app.translation_files import TranslationImport
from guidestudio.widgets.dialogs.translation_import import TranslationImportDialog


def import_summary(qtbot: Any, window: MainWindow, path: object,
                   timeout: int = 30_000) -> TranslationImportDialog:
    """Start the import of ``path`` and wait (on signals, never sleeps) for its summary."""
    return import_run(qtbot, window, path, timeout)[1]


def import_run(qtbot: Any, window: MainWindow, path: object, timeout: int = 30_000
               ) -> tuple[TranslationImport, TranslationImportDialog]:
    """``import_summary``, with the import itself (its ``applied`` says how Apply ended)."""
    run = window.actions_.import_translations(str(path))
    assert isinstance(run, TranslationImport)
    with qtbot.waitSignal(run.ready, timeout=timeout) as ready:
        pass
    dialog = ready.args[0]
    assert isinstance(dialog, TranslationImportDialog)
    return run, dialog
