"""Export the project to a bundle: choose environment, locales, output; watch it run.

The options map one to one onto ``guidestudio export`` flags, and the work is
the same ``export_project`` call on a worker thread, so a large project keeps
the window responsive and the result is byte-for-byte what CI would produce.

The export reads the project folder, so unsaved edits are not in it. With
unsaved changes the dialog names what differs from the editor and offers
"Save and export" (its default); exporting the saved files instead is a
deliberate second choice, and the result repeats what was left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.describe.trail import language_name
from guidestudio.core.model import Project
from guidestudio.widgets.dialogs.export_worker import ExportRequest, ExportWorker, start_export

ENVIRONMENTS = (("production", "Production — live guides"),
                ("staging", "Staging — staged and live guides"))


def _path_row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class ExportDialog(QDialog):
    exportFinished = Signal(object)  # ExportResult, or None when cancelled/failed

    def __init__(self, project: Project, root: Path, modified: bool = False,
                 parent: QWidget | None = None, *, unsaved: Sequence[str] = (),
                 save: Callable[[], bool] | None = None) -> None:
        """``unsaved`` names what the editor has that the files do not; ``save`` saves it
        (True when it did) and enables "Save and export"."""
        super().__init__(parent)
        self.setWindowTitle("Export bundle")
        self._root = Path(root)
        self._project = project
        self._modified = modified
        self._unsaved = list(unsaved)
        self._save = save
        self._thread: QThread | None = None
        self._worker: ExportWorker | None = None
        self.result: Any = None

        self.environment = QComboBox(self)
        for key, label in ENVIRONMENTS:
            self.environment.addItem(label, key)
        self.environment.setToolTip("Which guides go into the bundle: production has live "
                                    "guides only; staging has staged and live guides.")
        self.include_drafts = QCheckBox("Also include &draft guides (preview bundle)", self)
        self.include_drafts.setToolTip("Adds draft guides, for testing in a preview "
                                       "environment. Never ship such a bundle to production.")

        self.locale_boxes: dict[str, QCheckBox] = {}
        locales = QGroupBox("&Languages", self)
        locales.setToolTip("The languages whose texts go into the bundle; "
                           "unticked languages are left out to keep it small.")
        row = QHBoxLayout(locales)
        for locale in project.settings.locales:
            box = QCheckBox(language_name(locale), locales)  # its code is the file's word
            box.setChecked(True)
            box.setToolTip(f"Include the {language_name(locale)} texts ({locale})"
                           + (", the default language"
                              if locale == project.settings.default_locale else ""))
            self.locale_boxes[locale] = box
            row.addWidget(box)
        row.addStretch(1)

        self.output = QLineEdit(str(self._root / "dist" / f"{project.settings.id}.bundle.json"))
        self.output.setToolTip("The bundle file to write (JSON). It is replaced atomically.")
        browse = QPushButton("&Browse…", self)
        browse.setToolTip("Choose where to write the bundle")
        browse.clicked.connect(self._browse_output)

        self.include_runtime = QCheckBox("Copy the JavaScript &runtime into:", self)
        self.include_runtime.setToolTip("Also copy guide-runtime.js (and its .d.ts) into a "
                                        "folder, for products that host the runtime themselves.")
        self.runtime_dir = QLineEdit(str(self._root / "dist"))
        self.runtime_dir.setToolTip("Folder that receives guide-runtime.js")
        self.runtime_browse = QPushButton("B&rowse…", self)
        self.runtime_browse.setToolTip("Choose the folder for the runtime")
        self.runtime_browse.clicked.connect(self._browse_runtime)
        self.include_runtime.toggled.connect(self._sync_enabled)

        output_label = QLabel("&Output file:", self)
        output_label.setBuddy(self.output)  # a mnemonic, not a literal "&"
        form = QFormLayout()
        form.addRow("&Environment:", self.environment)
        form.addRow("", self.include_drafts)
        form.addRow(locales)
        form.addRow(output_label, _path_row(self.output, browse))
        form.addRow(self.include_runtime, _path_row(self.runtime_dir, self.runtime_browse))

        self.notice = QLabel(self)
        self.notice.setObjectName("unsavedNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet("background:#fef9c3;color:#713f12;padding:8px;"
                                  "border:1px solid #fde68a;border-radius:4px")
        self.progress = QProgressBar(self)
        self.progress.setToolTip("Guides compiled so far")
        self.progress.setVisible(False)
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText("The result of the export appears here.")
        self.summary.setToolTip("What was exported (guides, size, checksum), or the problems "
                                "that stopped the export")

        self.buttons = QDialogButtonBox(self)
        self.save_export_button = self.buttons.addButton(
            "&Save and export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_export_button.setToolTip("Save your changes to the project folder, then "
                                           "export: the bundle is what the editor shows")
        self.save_export_button.clicked.connect(self.save_and_export)
        self.export_button = self.buttons.addButton("E&xport",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setToolTip("Validate the project and write the bundle")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setToolTip("Close this dialog (cancels a running export)")
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self._show_unsaved()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)
        self._sync_enabled()
        self.resize(560, 460)

    # --- options -----------------------------------------------------------------------

    def _sync_enabled(self) -> None:
        running = self._thread is not None
        self.runtime_dir.setEnabled(self.include_runtime.isChecked() and not running)
        self.runtime_browse.setEnabled(self.include_runtime.isChecked() and not running)
        self.export_button.setEnabled(not running)
        self.save_export_button.setEnabled(not running)
        self.close_button.setText("&Cancel" if running else "Close")

    # --- unsaved changes -----------------------------------------------------------------

    @property
    def modified(self) -> bool:
        return self._modified

    def _show_unsaved(self) -> None:
        """Name what the export would leave out, and make saving first the default."""
        offer_save = self._modified and self._save is not None
        self.save_export_button.setVisible(offer_save)
        self.export_button.setText("E&xport the saved files" if self._modified else "E&xport")
        self.export_button.setToolTip(
            "Export the files as last saved, without your unsaved changes" if self._modified
            else "Validate the project and write the bundle")
        (self.save_export_button if offer_save else self.export_button).setDefault(True)
        self.notice.setVisible(self._modified)
        if self._modified:
            what = "\n".join(f"• {line}" for line in self._unsaved)
            self.notice.setText(
                "You have unsaved changes. The export reads the saved files, so these "
                "changes would not be in the bundle" + (f":\n{what}" if what else ".")
                + ("\nSave and export to ship what you see." if offer_save else
                   "\nSave first to ship what you see."))

    def save_and_export(self) -> None:
        """Save (through the window, so everything saving does happens), then export."""
        if self._thread is not None or self._save is None:
            return
        if not self._save():
            self.summary.setPlainText("The project was not saved, so nothing was exported.")
            return
        self._modified, self._unsaved = False, []
        self._show_unsaved()
        self.start()

    def _browse_output(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export bundle to", self.output.text(),
                                                    "Bundle (*.json);;All files (*)")
        if path:
            self.output.setText(path)

    def _browse_runtime(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Copy the runtime into",
                                                self.runtime_dir.text())
        if path:
            self.runtime_dir.setText(path)

    def request(self) -> ExportRequest:
        locales = tuple(loc for loc, box in self.locale_boxes.items() if box.isChecked())
        return ExportRequest(
            root=self._root,
            output=Path(self.output.text()).expanduser(),
            environment=self.environment.currentData(),
            locales=locales if len(locales) != len(self.locale_boxes) else None,
            include_drafts=self.include_drafts.isChecked(),
            runtime_dir=Path(self.runtime_dir.text()).expanduser()
            if self.include_runtime.isChecked() else None,
        )

    # --- running -----------------------------------------------------------------------

    @property
    def worker(self) -> ExportWorker | None:
        return self._worker

    def start(self) -> None:
        if self._thread is not None:
            return
        if not any(box.isChecked() for box in self.locale_boxes.values()):
            self.summary.setPlainText("Tick at least one locale to export.")
            return
        if not self.output.text().strip():
            self.summary.setPlainText("Choose the file to write the bundle to.")
            return
        self.result = None
        self.summary.setPlainText("Checking the project…")
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)  # busy until the first guide is compiled
        self._thread, self._worker = start_export(self.request(), self)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._sync_enabled()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setPlainText(f"Compiling guide {done} of {total}…")

    def _finish(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = None
        self._worker = None
        self.progress.setVisible(False)
        self._sync_enabled()

    def _on_finished(self, result: Any) -> None:
        self._finish()
        self.result = result
        text = self.describe(result, self._project)
        if self._modified and result.ok:  # never ship what differs without saying which
            text += ("\n\nNot in this bundle (unsaved): "
                     + ("; ".join(self._unsaved) or "your unsaved changes"))
        self.summary.setPlainText(text)
        self.exportFinished.emit(result)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.summary.setPlainText(f"The export failed: {message}")
        self.exportFinished.emit(None)

    def _on_cancelled(self) -> None:
        self._finish()
        self.summary.setPlainText("Export cancelled; nothing was written.")
        self.exportFinished.emit(None)

    @staticmethod
    def describe(result: Any, project: Project | None = None) -> str:
        """What the export did, and its problems in the forms' words."""
        from guidestudio.core.describe import problem_line
        lines: list[str] = []
        if result.ok:
            size = result.size_bytes
            lines += [f"Exported {result.guide_count} guide{'s' * (result.guide_count != 1)} "
                      f"to {result.path}",
                      f"Size: {size:,} bytes ({size / 1024:.1f} KB)",
                      f"Checksum: {result.checksum}"]
            lines += [f"Runtime copied: {p}" for p in result.runtime_files]
        else:
            lines.append("Nothing was exported; fix these problems first:")
        warnings = [p for p in result.problems if not p.is_error]
        errors = [p for p in result.problems if p.is_error]
        if errors or warnings:
            lines.append("")
            lines += [problem_line(project, p) for p in errors + warnings]
        return "\n".join(lines)

    def reject(self) -> None:
        if self._worker is not None:  # Cancel while running: stop at the next guide
            self._worker.cancel()
            self.summary.setPlainText("Cancelling…")
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if self._worker is not None:
            self._worker.cancel()
            if self._thread is not None:
                self._thread.quit()
                self._thread.wait()
        super().closeEvent(event)
