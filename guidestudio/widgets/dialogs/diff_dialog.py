"""A read-only unified diff between the editor's version of a file and the one on disk.

Shown from the "file changed on disk" question so the user can see what they
would keep or lose before choosing; plain ``difflib`` text in a monospace view.
"""

from __future__ import annotations

import difflib

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def unified_diff(rel: str, mine: str, theirs: str) -> str:
    lines = difflib.unified_diff(mine.splitlines(keepends=True), theirs.splitlines(keepends=True),
                                 fromfile=f"{rel} (in the editor)", tofile=f"{rel} (on disk)")
    return "".join(lines) or "The two versions are identical."


class DiffDialog(QDialog):
    def __init__(self, rel: str, mine: str, theirs: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Changes to {rel}")
        label = QLabel("Lines starting with <b>-</b> are only in the editor (yours); lines "
                       "starting with <b>+</b> are only in the file on disk (theirs).", self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(unified_diff(rel, mine, theirs))
        self.text.setToolTip("The difference between your version and the file on disk")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 480)
