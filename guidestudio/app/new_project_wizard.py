"""File ▸ New project…: name the product, choose where, get a valid starter project.

The project itself comes from ``guidestudio.core.files.scaffold.new_project`` (the same as
``guidestudio new``), so the wizard only collects a name and a folder and
checks them (and the languages guides are written in) before anything is
written. Languages can be changed later in the project settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizard,
    QWizardPage,
)


def slug(name: str) -> str:
    """A folder name from a project name ("Acme Cloud" → "acme-cloud")."""
    return (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "project")[:64]


LOCALE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # common.schema.json#/$defs/locale


def parse_locales(text: str) -> tuple[list[str], str | None]:
    """("en, de" → ["en", "de"], None) or the codes read so far and what is wrong."""
    codes = [c.strip() for c in re.split(r"[,\s]+", text) if c.strip()]
    if not codes:
        return [], "enter at least one language code, e.g. en"
    for code in codes:
        if not LOCALE_RE.fullmatch(code):
            return codes, (f"{code!r} is not a language code; use codes such as en, de "
                           "or pt-BR, separated by commas")
    return list(dict.fromkeys(codes)), None


def folder_problem(folder: Path) -> str | None:
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file"
    if folder.is_dir() and any(folder.iterdir()):
        return f"{folder} is not empty; choose a new or empty folder"
    return None


class _Page(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("New project")
        self.setSubTitle("A project holds your guides, audiences and themes. It starts with a "
                         "welcome guide, a sample audience and a theme you can change.")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Acme Cloud")
        self.name.setToolTip("The product or team this project is for; shown in the title bar "
                             "and in exported bundles")
        self.location = QLineEdit(QDir.homePath(), self)
        self.location.setToolTip("The folder in which the project folder is created")
        browse = QPushButton("&Browse…", self)
        browse.setToolTip("Choose the parent folder")
        browse.clicked.connect(self._browse)
        self.languages = QLineEdit("en", self)
        self.languages.setToolTip("The languages your guides are written in, as codes "
                                  "separated by commas (en, de, pt-BR). The first is the "
                                  "default: shown when a user's language is missing. You can "
                                  "change them later in the project settings.")
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.location, 1)
        row.addWidget(browse)
        create_in = QLabel("&Create in:", self)
        create_in.setBuddy(self.location)  # a mnemonic, not a literal "&" beside a layout
        form = QFormLayout(self)
        form.addRow("Project &name:", self.name)
        form.addRow(create_in, row)
        form.addRow("&Languages:", self.languages)
        form.addRow("", self.preview)
        self.name.textChanged.connect(self._update)
        self.location.textChanged.connect(self._update)
        self.languages.textChanged.connect(self._update)
        self._update()

    def folder(self) -> Path:
        return Path(self.location.text()).expanduser() / slug(self.name.text() or "project")

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Create the project in", self.location.text())
        if path:
            self.location.setText(path)

    def _update(self) -> None:
        problem = folder_problem(self.folder()) if self.name.text().strip() else None
        problem = problem or parse_locales(self.languages.text())[1]
        self.preview.setText(problem or f"The project will be created in {self.folder()}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (bool(self.name.text().strip()) and folder_problem(self.folder()) is None
                and parse_locales(self.languages.text())[1] is None)


class NewProjectWizard(QWizard):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.page = _Page(self)
        self.addPage(self.page)

    def project_name(self) -> str:
        return self.page.name.text().strip()

    def folder(self) -> Path:
        return self.page.folder()

    def locales(self) -> list[str]:
        return parse_locales(self.page.languages.text())[0]
