"""The questions the window asks, each a small function returning a plain answer.

Kept apart from the window so the window reads as flow ("ask, then act") and
tests can answer a question by replacing one ``MainWindow.ask_*`` method.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def save_changes(parent: QWidget, name: str) -> str:
    """"save", "discard" or "cancel"."""
    answer = QMessageBox.warning(parent, "Unsaved changes",
                                 f"Save the changes to {name} before closing?",
                                 Button.Save | Button.Discard | Button.Cancel, Button.Save)
    return {Button.Save: "save", Button.Discard: "discard"}.get(answer, "cancel")


def file_conflict(parent: QWidget, rel: str, mine: str, theirs: str) -> str:
    """"mine" or "theirs" for a file changed on disk that also has unsaved edits."""
    while True:
        box = QMessageBox(QMessageBox.Icon.Question, "File changed on disk",
                          f"{rel} was changed by another program, and you have unsaved "
                          "changes to it.", parent=parent)
        keep = box.addButton("Keep mine", QMessageBox.ButtonRole.RejectRole)
        take = box.addButton("Take theirs", QMessageBox.ButtonRole.AcceptRole)
        diff = box.addButton("Show diff…", QMessageBox.ButtonRole.HelpRole)
        keep.setToolTip("Keep your version; saving overwrites the file on disk")
        take.setToolTip("Replace your version with the file on disk (Undo brings yours back)")
        diff.setToolTip("Compare the two versions line by line")
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is take:
            return "theirs"
        if clicked is not diff:
            return "mine"
        from guidestudio.widgets.dialogs.diff_dialog import DiffDialog

        dialog = DiffDialog(rel, mine, theirs, parent)
        dialog.exec()
        dialog.deleteLater()
