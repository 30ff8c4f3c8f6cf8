"""The "Preview" dock of the main window: the preview pane for whatever guide is selected.

The window owns documents and the project tree; the dock only needs to be
told which document is open (``set_document``) and what is selected
(``show_item``, the signature of the tree's ``currentChanged``). A pane
belongs to one document, so opening another project builds a new one.

The pane is built when it is first needed — a guide is selected, or someone
asks for ``pane`` — not when a project is opened: its module imports the web
engine and the compiler (~100 ms), which opening a project should not wait
for. Until then the dock shows a one-line hint; the web view inside the pane
is created later still, once the dock is visible with a guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from guidestudio.widgets.kit.editing import EditableDocument

if TYPE_CHECKING:
    from guidestudio.widgets.preview.pane import PreviewPane

NO_PROJECT = "Open a project and choose a guide to preview it."
NO_GUIDE = "Choose a guide to preview it."


class PreviewDock(QDockWidget):
    """``PreviewDock(window)`` docks itself on the right of a ``QMainWindow`` parent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Preview", parent)
        self.setObjectName("previewDock")  # saveState/restoreState key
        self._document: EditableDocument | None = None
        self._pane: PreviewPane | None = None
        self._empty = QLabel(NO_PROJECT, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setMargin(24)
        self.setWidget(self._empty)
        if isinstance(parent, QMainWindow):
            parent.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)

    @property
    def pane(self) -> PreviewPane | None:
        """The open document's preview pane (built now if need be); None without a document."""
        if self._pane is None and self._document is not None:
            from guidestudio.widgets.preview.pane import (
                PreviewPane,  # the web engine modules load here
            )

            self._pane = PreviewPane(self._document, self)
            # Never narrower than its widest control: the controls wrap, never cut.
            self.setWidget(self._pane)
        return self._pane

    def set_document(self, document: EditableDocument | None) -> None:
        """Follow another open project (None: no project)."""
        if document is self._document:
            return
        old = self._pane
        self._document, self._pane = document, None
        self._empty.setText(NO_GUIDE if document is not None else NO_PROJECT)
        self.setWidget(self._empty)
        if old is not None:
            old.deleteLater()

    def show_item(self, kind: str, key: str) -> None:
        """The project tree's selection: a guide is previewed, anything else clears it."""
        guide = key if kind == "guide" and key else None
        if guide is None and self._pane is None:
            return  # nothing to preview and nothing shown: no need for a pane yet
        pane = self.pane
        if pane is not None:
            pane.set_guide(guide)
