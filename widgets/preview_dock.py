"""The "Preview" dock of the main window: the preview pane for whatever guide is selected.

The window owns documents and the project tree; the dock only needs to be
told which document is open (``set_document``) and what is selected
(``show_item``, the signature of the tree's ``currentChanged``). A pane
belongs to one document, so opening another project builds a new one; the
web view inside is only created once the dock is visible with a guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from widgets.editing import EditableDocument

if TYPE_CHECKING:
    from widgets.preview_pane import PreviewPane


class PreviewDock(QDockWidget):
    """``PreviewDock(window)`` docks itself on the right of a ``QMainWindow`` parent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Preview", parent)
        self.setObjectName("previewDock")  # saveState/restoreState key
        self.pane: PreviewPane | None = None
        self._empty = QLabel("Open a project and choose a guide to preview it.", self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setMargin(24)
        self.setWidget(self._empty)
        if isinstance(parent, QMainWindow):
            parent.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)

    def set_document(self, document: EditableDocument | None) -> None:
        """Follow another open project (None: no project)."""
        old = self.pane
        if old is not None and old.document is document:
            return
        self.pane = None
        if document is not None:
            # Imported here: the web engine modules cost ~150 ms, which the window
            # should not pay before it first appears.
            from widgets.preview_pane import PreviewPane

            self.pane = PreviewPane(document, self)
            # Its control row would otherwise force the window wider (and fight
            # the restored layout); a narrow dock clips the controls instead.
            self.pane.setMinimumSize(160, 120)
            self.setWidget(self.pane)
        else:
            self.setWidget(self._empty)
        if old is not None:
            old.deleteLater()

    def show_item(self, kind: str, key: str) -> None:
        """The project tree's selection: a guide is previewed, anything else clears it."""
        if self.pane is not None:
            self.pane.set_guide(key if kind == "guide" and key else None)
