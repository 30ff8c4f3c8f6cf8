"""File ▸ Export for translation… and Import translations…: the window's side of core/l10n.

Export writes the project as the editor holds it. Import plans the file
against the document's project (nothing changes yet) on the thread pool
(``translation_plan_job``), with a progress window and Cancel, shows the plan,
and on "Apply" pushes its one ``Batch`` onto the undo stack — if the project
changed while the summary was open, planned again first (off the GUI thread
too), so a file that stopped fitting (an edit, a reload from disk) is refused
instead of half applied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QStatusBar, QWidget

from guidestudio.app.document import Document
from guidestudio.app.translation_plan_job import PlanJob, state_of
from guidestudio.core.describe.trail import language_name
from guidestudio.core.l10n.importer import ImportPlan
from guidestudio.widgets.dialogs.translation_export import TranslationExportDialog
from guidestudio.widgets.dialogs.translation_import import (
    SummaryRows,
    TranslationImportDialog,
    describe,
    summary_rows,
)

FILTER = "XLIFF files (*.xlf *.xliff *.xml);;All files (*)"
#: A file checked quicker than this never shows the progress window.
PROGRESS_DELAY_MS = 400


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


class TranslationImport(QObject):
    """One File ▸ Import translations… from choosing the file to the summary.

    The file is read and checked on the thread pool (``PlanJob``) while a small
    progress window with Cancel says how far it is and the editor stays usable;
    ``ready(dialog)`` when the summary opens, ``ended`` however the waiting ends
    (summary shown, cancelled, failed). Apply pushes the plan's one ``Batch``
    onto the undo stack as before (``applied``); if the project changed while
    the summary was open, the file is checked again first, also off the GUI
    thread, and applied only if it makes exactly the same change."""

    ready = Signal(object)  # TranslationImportDialog, opened
    ended = Signal()  # no more waiting: the summary is open, or the import was cancelled/failed
    applied = Signal(bool)  # after Apply: True once on the undo stack, False when refused

    def __init__(self, window: Host, document: Document, path: str) -> None:
        super().__init__(window if isinstance(window, QObject) else None)
        self.window = window
        self.path = path
        self.dialog: TranslationImportDialog | None = None
        self.verify: PlanJob | None = None  # checking again at Apply
        self._ended = False
        self._plan: ImportPlan | None = None
        self._planned_on = (0, 0)
        self.job = PlanJob(document, path, self, prepare=summary_rows)
        self.job.progressed.connect(self._progressed)
        self.job.replanning.connect(self._replanning)
        self.job.planned.connect(self._planned)
        self.job.failed.connect(self._failed)
        parent = window if isinstance(window, QWidget) else None
        self.progress = QProgressDialog(f"Reading {Path(path).name}…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("Import translations")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)  # editing goes on
        self.progress.setMinimumDuration(PROGRESS_DELAY_MS)  # a small file: no flash
        # Qt shows it by its own estimate of the time left; this makes "still waiting after
        # PROGRESS_DELAY_MS" the rule, whatever the estimate.
        QTimer.singleShot(PROGRESS_DELAY_MS, self, self._show_progress)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)

    def start(self) -> None:
        self._status(f"Reading {Path(self.path).name} for import…")
        self.job.start()

    @property
    def running(self) -> bool:
        """Until the summary opens, or the import is cancelled or fails."""
        return not self._ended

    def cancel(self) -> None:
        """Stop waiting: nothing is applied, the worker stops at its next check."""
        if self._ended:
            return
        self.job.cancel()
        if self.dialog is not None:  # cancelled while the summary's list was filled
            self.dialog.deleteLater()
            self.dialog = None
        self._end("Import cancelled: nothing was changed.", 6000)

    def _show_progress(self) -> None:
        if not self._ended and not self.progress.isVisible():
            self.progress.show()

    def _status(self, message: str, timeout: int = 0) -> None:
        self.window.statusBar().showMessage(message, timeout)

    def _progressed(self, done: int, total: int) -> None:
        if total and self.progress.maximum() != total:
            self.progress.setRange(0, total)
            self.progress.setLabelText(f"Checking the {total:,} texts of "
                                       f"{Path(self.path).name}…")
        self.progress.setValue(done)

    def _replanning(self) -> None:
        self.progress.setLabelText("The project changed meanwhile: checking the file again…")
        self._status("The project changed while the file was checked: checking it again…")

    def _failed(self, message: str) -> None:
        self._end(f"Not imported: {message}.", 12000)

    def _planned(self, plan: ImportPlan, rows: SummaryRows) -> None:
        document = self.job.document
        if self.window.document is not document:
            self._end("Not imported: another project was opened while the file was "
                      "checked.", 10000)
            return
        parent = self.window if isinstance(self.window, QWidget) else None
        dialog = self.dialog = TranslationImportDialog(plan, document.project, parent, rows)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._plan, self._planned_on = plan, state_of(document)
        dialog.apply_requested.connect(self._apply)
        dialog.finished.connect(self._dialog_closed)
        if dialog.complete:
            self._show(dialog)
        else:  # thousands of texts: listed in slices while the progress window stays up
            self.progress.setRange(0, 0)
            self.progress.setLabelText(f"Listing the {len(plan.changes):,} texts that "
                                       "change…")
            dialog.filled.connect(lambda: self._show(dialog))

    def _show(self, dialog: TranslationImportDialog) -> None:
        self._end("", 0)
        dialog.open()
        self.ready.emit(dialog)

    def _apply(self) -> None:
        """Apply as one undo step — the plan as shown if the project is as it was then, else
        only if the file, checked again (off the GUI thread) against the project as it is
        now, makes exactly the same change."""
        current = self.window.document
        if current is not self.job.document:
            self._applied(None)
            return
        if state_of(current) == self._planned_on:
            self._applied(self._plan)
            return
        self._status("The project changed while the summary was open: checking the file "
                     "again…")
        self.verify = PlanJob(current, self.path, self)
        self.verify.planned.connect(lambda fresh, _: self._applied(fresh))
        self.verify.failed.connect(lambda _message: self._applied(None))
        self.verify.start()

    def _applied(self, fresh: ImportPlan | None) -> None:
        plan, current = self._plan, self.window.document
        assert plan is not None  # Apply exists once there is a plan
        if fresh is None or current is None or not fresh.ok or fresh.edit != plan.edit:
            self._status("Not imported: the project changed while the summary was open; "
                         "import the file again to see what it would change now.", 10000)
            self.applied.emit(False)
        else:
            current.apply(fresh.edit, f"Import {language_name(fresh.locale)} translations")
            self._status(describe(fresh).replace(" will change", " changed")
                         .replace(" joins ", " joined "), 10000)
            self.applied.emit(True)
        self.verify = None
        if self.dialog is None:
            self.deleteLater()

    def _dialog_closed(self) -> None:
        self.dialog = None
        if self.verify is None:
            self.deleteLater()

    def _end(self, message: str, timeout: int) -> None:
        """``message`` in the status bar once the progress window is gone (closing it clears
        the status bar's message)."""
        self._ended = True
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        if message:
            self._status(message, timeout)
        else:
            self.window.statusBar().clearMessage()
        self.progress.deleteLater()
        self.ended.emit()
        if self.dialog is None:  # else it goes when the summary closes (and Apply is done)
            self.deleteLater()


def import_translations(window: Host, path: str | None = None) -> TranslationImport | None:
    """Ask for the file (unless ``path``), then read and check it off the GUI thread; the
    summary opens when that is done (``TranslationImport.ready``). An import still running
    is cancelled: one at a time."""
    document = window.document
    if document is None:
        return None
    parent = window if isinstance(window, QWidget) else None
    if path is None:
        start = str(Path(document.root).parent) if document.root is not None else ""
        path, _ = QFileDialog.getOpenFileName(parent, "Import translations", start, FILTER)
        if not path:
            return None
    if isinstance(window, QObject):
        for earlier in window.findChildren(TranslationImport):
            earlier.cancel()
    run = TranslationImport(window, document, path)
    run.start()
    return run
