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
    """"mine" or "theirs" for a file changed on disk that also has unsaved edits.

    The default is "Show diff…": Enter never settles it unseen. Escape keeps the unsaved
    edits in the window, which writes nothing yet (the next save asks again only if the
    file changes once more).
    """
    answer = _conflict(parent, rel, mine, theirs,
                       f"{rel} was changed by another program, and you have unsaved "
                       "changes to it.",
                       ("Keep mine", "Keep your version; saving overwrites the file on disk"),
                       cancel=None)
    return answer


def save_conflict(parent: QWidget, rel: str, mine: str, theirs: str) -> str:
    """"mine" (overwrite), "theirs" (take the disk's) or "cancel" (do not save), for a file
    that changed on disk since the window read or wrote it, found while saving."""
    gone = " (it was deleted)" if not theirs else ""
    return _conflict(parent, rel, mine, theirs,
                     f"{rel} was changed on disk by another program{gone} since you opened "
                     "or last saved it. Nothing has been saved yet.",
                     ("Overwrite with mine", "Save your version over the file on disk"),
                     cancel="Cancel")


def _conflict(parent: QWidget, rel: str, mine: str, theirs: str, text: str,
              keep_label: tuple[str, str], cancel: str | None) -> str:
    while True:
        box = QMessageBox(QMessageBox.Icon.Question, "File changed on disk", text,
                          parent=parent)
        keep = box.addButton(keep_label[0], QMessageBox.ButtonRole.DestructiveRole)
        take = box.addButton("Take theirs", QMessageBox.ButtonRole.AcceptRole)
        diff = box.addButton("Show diff…", QMessageBox.ButtonRole.HelpRole)
        stop = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole) if cancel else None
        keep.setToolTip(keep_label[1])
        take.setToolTip("Replace your version with the file on disk (Undo brings yours back)")
        diff.setToolTip("Compare the two versions line by line")
        box.setDefaultButton(diff)  # never discard the disk's newer content unseen
        box.setEscapeButton(stop if stop is not None else keep)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is take:
            return "theirs"
        if clicked is keep:
            return "mine"
        if clicked is not diff:
            return "cancel" if stop is not None else "mine"
        from guidestudio.widgets.dialogs.diff_dialog import DiffDialog

        dialog = DiffDialog(rel, mine, theirs, parent)
        dialog.exec()
        dialog.deleteLater()
