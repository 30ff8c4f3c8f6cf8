"""File ▸ Export for translation… and Import translations…: the window's side of core/l10n.

Export writes the project as the editor holds it. Import plans the file
against the document's project (nothing changes yet), shows the plan, and on
"Apply" pushes its one ``Batch`` onto the undo stack — planned again first, so
a file that stopped fitting while the dialog was open (a reload from disk)
is refused instead of half applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QStatusBar, QWidget

from guidestudio.app.document import Document
from guidestudio.core.describe.trail import language_name
from guidestudio.core.l10n.importer import import_file_plan
from guidestudio.widgets.dialogs.translation_export import TranslationExportDialog
from guidestudio.widgets.dialogs.translation_import import TranslationImportDialog, describe

FILTER = "XLIFF files (*.xlf *.xliff *.xml);;All files (*)"


class Host(Protocol):
    document: Document | None

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt API)


def export_for_translation(window: Host) -> TranslationExportDialog | None:
    document = window.document
    if document is None:
        return None
    parent = window if isinstance(window, QWidget) else None
    dialog = TranslationExportDialog(document.project, document.root, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exported.connect(lambda path: window.statusBar().showMessage(
        f"Exported for translation: {path}", 8000))
    dialog.open()
    return dialog


def import_translations(window: Host, path: str | None = None) -> TranslationImportDialog | None:
    """Ask for the file (unless ``path``), then show what it would change."""
    document = window.document
    if document is None:
        return None
    parent = window if isinstance(window, QWidget) else None
    if path is None:
        start = str(Path(document.root).parent) if document.root is not None else ""
        path, _ = QFileDialog.getOpenFileName(parent, "Import translations", start, FILTER)
        if not path:
            return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a big project: seconds
    try:
        plan = import_file_plan(document.project, path)
    finally:
        QApplication.restoreOverrideCursor()
    dialog = TranslationImportDialog(plan, document.project, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    planned_on = _state(document)

    def apply() -> None:
        current = window.document
        if current is not None and _state(current) == planned_on:
            fresh = plan  # nothing changed since the plan was made
        else:
            fresh = import_file_plan(current.project, path) if current is not None else plan
        if current is None or not fresh.ok or fresh.edit != plan.edit:
            window.statusBar().showMessage(
                "Not imported: the project changed while the summary was open; "
                "import the file again to see what it would change now.", 10000)
            return
        current.apply(fresh.edit, f"Import {language_name(fresh.locale)} translations")
        window.statusBar().showMessage(describe(fresh).replace(" will change", " changed")
                                       .replace(" joins ", " joined "), 10000)

    dialog.apply_requested.connect(apply)
    dialog.open()
    return dialog


def _state(document: Document) -> tuple[int, int, int]:
    """What the project is now: which model object (a reload replaces it) and where its undo
    stack stands. Equal states: the plan made then still fits."""
    stack = document.undo_stack
    return id(document.project), stack.index(), stack.count()
