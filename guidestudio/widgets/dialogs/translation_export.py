"""File ▸ Export for translation: every text of the project, for one language, as XLIFF.

The same file ``guidestudio l10n export`` writes (``core/l10n/xliff_write``),
made from the project as the editor has it — unsaved edits included, since that
is what the author sees. The dialog says before writing how much there is to
do in that language (to translate, to review, done), so nobody sends a
translator 86 texts when 2 changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.describe.trail import language_name
from guidestudio.core.files import atomic
from guidestudio.core.l10n.importer import LOCALE
from guidestudio.core.l10n.status import project_status
from guidestudio.core.l10n.xliff_write import export_xliff
from guidestudio.core.model import Project

#: Offered after the project's own languages: the ones guides are most often translated into.
SUGGESTED = ("de", "fr", "es", "it", "pt-BR", "nl", "ja", "ko", "zh-CN", "ar")
VERSIONS = (("2.0", "XLIFF 2.0 — current CAT tools"), ("1.2", "XLIFF 1.2 — older tools"))


class TranslationExportDialog(QDialog):
    """Language, format and file; "Export" writes it and says where."""

    exported = Signal(str)  # the file written

    def __init__(self, project: Project, root: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for translation")
        self.project = project
        self._folder = Path(root).parent if root is not None else Path.home()
        default = project.settings.default_locale
        intro = QLabel(f"Every text of every guide — titles, bodies, buttons, checklist tasks, "
                       f"survey texts, picture descriptions — in {language_name(default)}, as "
                       f"an XLIFF file for a translator's tool. Placeholders and formatting are "
                       f"protected; each text says where it shows and how long it may be.", self)
        intro.setWordWrap(True)

        self.locale = QComboBox(self)
        self.locale.setEditable(True)
        self.locale.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        choices = [loc for loc in project.settings.locales if loc != default]
        choices += [loc for loc in SUGGESTED if loc not in choices and loc != default]
        for loc in choices:
            self.locale.addItem(f"{language_name(loc)} ({loc})", loc)
        self.locale.setToolTip("The language to translate into: one of the list, or type a "
                               "code such as pt-BR. A new language joins the project when its "
                               "translations are imported.")
        self.version = QComboBox(self)
        for key, label in VERSIONS:
            self.version.addItem(label, key)
        self.path = QLineEdit(self)
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&Language:", self.locale)
        form.addRow("&Format:", self.version)
        save_as = QLabel("&Save as:", self)
        save_as.setBuddy(self.path)  # the row holds a layout: its label needs a buddy
        form.addRow(save_as, path_row)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("&Export",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.locale.currentTextChanged.connect(self._update)
        self.version.currentIndexChanged.connect(self._update)
        self.setMinimumWidth(680)
        self._path_edited = False
        self.path.textEdited.connect(lambda _text: setattr(self, "_path_edited", True))
        self._update()

    def chosen_locale(self) -> str:
        """The language code chosen or typed ("German (de)" and "de" both give "de")."""
        text = self.locale.currentText().strip()
        index = self.locale.findText(text)
        if index >= 0:
            return str(self.locale.itemData(index))
        if text.endswith(")") and "(" in text:
            text = text[text.rindex("(") + 1:-1]
        return text

    def _update(self, *_: object) -> None:
        locale = self.chosen_locale()
        if not self._path_edited:
            name = f"{self.project.settings.id}-{locale or 'xx'}.xlf"
            self.path.setText(str(self._folder / name))
        problem = self._locale_problem(locale)
        self.export_button.setEnabled(problem is None)
        if problem is not None:
            self.counts.setText(problem)
            return
        status = project_status(self.project, [locale])[0]
        total = len(status.missing) + len(status.needs_review) + len(status.done)
        self.counts.setText(
            f"{total} texts in {len(self.project.guides)} guides for {language_name(locale)}: "
            f"{len(status.missing)} to translate, {len(status.needs_review)} to review (the "
            f"English changed since), {len(status.done)} already done. Existing translations "
            f"go in too, for the translator to see.")

    def _locale_problem(self, locale: str) -> str | None:
        if not LOCALE.match(locale):
            return "Choose a language, or type its code (de, fr, pt-BR…)."
        if locale == self.project.settings.default_locale:
            return (f"{language_name(locale)} is the language the texts are written in; "
                    "choose the language to translate into.")
        return None

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export for translation", self.path.text(),
                                              "XLIFF files (*.xlf *.xliff)")
        if path:
            self.path.setText(path)
            self._path_edited = True

    def export(self) -> bool:
        """Write the file; False (and the reason in the dialog) when it could not be."""
        locale = self.chosen_locale()
        if self._locale_problem(locale) is not None:
            return False
        target = Path(self.path.text().strip())
        if not self.path.text().strip() or target.is_dir():
            self.counts.setText("Give the file's name (a .xlf file).")
            return False
        data = export_xliff(self.project, locale, self.version.currentData())
        try:
            atomic.write_bytes(target, data)
        except OSError as exc:
            self.counts.setText(f"Could not write {target}: {exc.strerror or exc}")
            return False
        self.exported.emit(str(target))
        self.accept()
        return True
