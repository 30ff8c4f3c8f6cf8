"""What the window shows for the selected tree item, and where a problem is fixed.

A guide goes on the canvas in the centre with its forms in the inspector;
anything else's editor fills the centre while the inspector steps aside;
nothing selected shows what to do next. The window owns the documents and
the tree; this object owns the centre, the inspector and the editor pages,
and keeps the three in step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from guidestudio.app.canvas_drop import CanvasPictureDrop
from guidestudio.app.centre import Centre
from guidestudio.app.editor_area import EditorPages
from guidestudio.app.inspector import InspectorDock
from guidestudio.core.problems import Problem
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.project.tree import ProjectTree
from guidestudio.widgets.project.tree_model import FOLDER_KIND


class Workspace(QObject):
    def __init__(self, window: QMainWindow, tree: ProjectTree) -> None:
        super().__init__(window)
        self.tree = tree
        self.centre = Centre(window)  # the canvas; its web view is made lazily
        window.setCentralWidget(self.centre)
        self.inspector = InspectorDock(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector)
        self.editors = EditorPages(self.centre, self.inspector.stack, self)
        self._document: EditableDocument | None = None
        # The canvas and the guide's forms show the same step: whichever is made second
        # links them (both are made lazily, in either order).
        self.centre.paneBuilt.connect(self._link_selection)
        self.editors.pageBuilt.connect(self._link_selection)
        self.centre.paneBuilt.connect(self._take_drops)

    def set_document(self, document: EditableDocument | None) -> None:
        self._document = document
        self.editors.set_document(document)
        self.centre.set_document(document)

    def _link_selection(self, *_made: object) -> None:
        forms = self.editors.built("guide")
        context = getattr(forms, "ctx", None)
        if self.centre.pane_built and context is not None:
            pane = self.centre.pane
            assert pane is not None
            pane.link_selection(context)

    def _take_drops(self, pane: QWidget) -> None:
        """Picture files dropped on the canvas go to the shown step's picture."""
        CanvasPictureDrop(pane, self._guide_forms, self._show_inspector, pane)

    def _guide_forms(self) -> QWidget | None:
        return self.editors.current() if self.editors.kind == "guide" else None

    def _show_inspector(self) -> None:
        self.inspector.show()
        self.inspector.raise_()

    def show_item(self, kind: str, key: str) -> None:
        """A guide on the canvas with its forms in the inspector; anything else's editor in
        the centre; nothing: what to do next."""
        if kind == "guide":
            # The canvas first: its page loads in the web engine's own process while the
            # guide's forms are built here.
            self.centre.show_guide(key)
            wait = self.centre.after_first_guide if self.centre.page_loading else None
            if self.editors.show_item(kind, key, defer=True, wait=wait) is None:
                self.inspector.show_hint(opening=True)
        else:
            page = self.editors.show_item(kind, key)
            if page is not None:
                self.centre.show_page(page)
            else:
                self.centre.show_empty()
            self.inspector.show_hint()
        self.inspector.follow(kind)

    def current_editor(self) -> QWidget:
        """The editor of the selected item (the guide's is in the inspector), else the centre."""
        return self.editors.current() or self.centre.currentWidget()

    def jump_to(self, problem: Problem) -> str:
        """Select what ``problem`` is about and put the cursor in its field.

        Returns "" when it got there, else a sentence for the status bar.
        """
        document = self._document
        if document is None:
            return ""
        files = getattr(document, "files", None)
        if problem.file in getattr(files, "broken", {}):
            self.tree.select("broken", problem.file)
            return ""
        from guidestudio.core.files import entity_files

        path = entity_files.entity_path(problem.file)
        if path in (("settings",), ("profiles",)):  # the project's own files have pages too
            if self.tree.select(path[0], ""):
                self.editors.focus_field(problem.field)
            return ""
        if path is None or len(path) != 2 or path[0] not in FOLDER_KIND:
            return f"{problem.file} is edited as a file: {problem.message}"
        kind = FOLDER_KIND[path[0]]
        if self.tree.select(kind, path[1]):
            if kind == "guide":  # its fields are in the inspector, even if it was closed
                self.inspector.show()
                self.inspector.raise_()
            self.editors.focus_field(problem.field)
        return ""
