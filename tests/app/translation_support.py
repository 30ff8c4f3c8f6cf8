"""Waiting for File ▸ Import translations: the file is read and checked on the thread pool,
and the summary opens when that is done (``TranslationImport.ready``)."""

from __future__ import annotations

from typing import Any

from guidestudio.app.main_window import MainWindow
from guidestudio.widgets.dialogs.translation_import import TranslationImportDialog


def import_summary(qtbot: Any, window: MainWindow, path: object,
                   timeout: int = 30_000) -> TranslationImportDialog:
    """Start the import of ``path`` and wait (on signals, never sleeps) for its summary."""
    run = window.actions_.import_translations(str(path))
    assert run is not None
    with qtbot.waitSignal(run.ready, timeout=timeout) as ready:
        pass
    dialog = ready.args[0]
    assert isinstance(dialog, TranslationImportDialog)
    return dialog
