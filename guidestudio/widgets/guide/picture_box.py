"""The step's Picture section: choose a picture of the project, add one from a file or a drop.

"Add picture…" (or a picture file dropped anywhere on the section) copies the
file into the project's ``assets/`` folder under a content-hash name
(``core/files/pictures.py``) and sets the step's picture in one undoable edit.
Undo takes the picture off the step and leaves the copied file in ``assets/``:
the copy is named by its content, so Redo, or adding it again, finds it there;
a file no guide refers to is never named by a bundle, so nothing exports it.

A new picture starts with an empty description, which the validator reports
as an error, and the cursor goes to the description so the author writes it
now. A file that is not a picture, or is too big, is refused with a sentence
in the section saying why — nothing is copied and nothing changes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import QFileDialog, QGroupBox, QLabel, QPushButton, QWidget

from guidestudio.core.files.pictures import SUFFIXES, PictureRefused
from guidestudio.widgets.kit.marks import set_mark

FILE_FILTER = ("Pictures (" + " ".join(f"*{s}" for s in SUFFIXES) + ")")
ICON_SIZE = QSize(32, 32)


def dropped_file(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> Path | None:
    """The first local file a drag carries, or None (text, web links…)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None


def thumbnail(path: Path) -> QIcon:
    """A small picture of the file for its entry in the list (empty if it cannot be read)."""
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return QIcon()
    return QIcon(pixmap.scaled(ICON_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                               Qt.TransformationMode.SmoothTransformation))


class PictureBox(QGroupBox):
    """A group box that takes picture files dropped on it and offers "Add picture…".

    ``fileChosen`` carries the file (from the dialog or a drop); the step form
    copies it and sets the step's picture (``StepEditor.add_picture_file``).
    """

    fileChosen = Signal(Path)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAcceptDrops(True)
        self.add_button = QPushButton("Add picture…", self)
        self.add_button.setToolTip("Choose a picture file (PNG, JPG, GIF, WebP or SVG, up to "
                                   "5 MB); it is copied into the project. You can also drop "
                                   "a picture file here.")
        self.add_button.clicked.connect(self.choose_file)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setMargin(4)  # inside the red outline of the error mark
        self.message.hide()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add picture", "", FILE_FILTER)
        if path:
            self.fileChosen.emit(Path(path))

    def refuse(self, reason: PictureRefused | str) -> None:
        """Say in the section why the file was not added."""
        self.message.setText(str(reason))
        set_mark(self.message, "picture", "error", str(reason))
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()
        set_mark(self.message, "picture", None)

    # --- drag and drop -----------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        # Any file is taken, so a file that is not a picture gets a sentence saying so.
        if dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        if dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.fileChosen.emit(path)

