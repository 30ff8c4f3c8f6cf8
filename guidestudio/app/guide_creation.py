"""Creating a guide: "New guide" with a blank guide of each kind, or "From a starter…".

A blank guide is the kind's blank starter (``guide_templates/starters/blank``)
made by the same ``core.starters.instantiate`` as the gallery's plays, so it
is valid, has a fresh id and the project's languages. Either way the guide is
added as one undo step and opened on its content: selected in the tree, on
the canvas, its first text field focused in the inspector — and, for a blank
guide, its placeholder selected, so typing replaces it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLineEdit, QMenu, QMessageBox, QTextEdit, QWidget

from guidestudio.app.editor_area import EditorPages, load_class
from guidestudio.core import guide_ops
from guidestudio.widgets.kit.icons import icon, kind_icon
from guidestudio.widgets.project.tree import ProjectTree

if TYPE_CHECKING:
    from guidestudio.app.document import Document
    from guidestudio.app.starter_thumbnails import StarterThumbnails
    from guidestudio.core.model import Guide

#: The "New guide" menu: kind, entry, what it is (the model's kinds, in its order).
KINDS = (
    ("tooltip", "Tooltip", "A note next to one element of the page"),
    ("modal", "Modal", "A window in the middle of the page"),
    ("walkthrough", "Walkthrough", "A tour of several steps, from element to element"),
    ("banner", "Banner", "A strip across the top of the page"),
    ("hotspot", "Hotspot", "A pulsing dot on an element that opens a short note"),
    ("checklist", "Checklist", "Tasks in a corner, ticked off by product events"),
    ("survey", "NPS survey", "A Net Promoter Score question with a comment box"),
)
#: Where a new guide's text starts (every kind's first step has a title).
FIRST_TEXT = "variants[0].steps[0].title"


class CreatorHost(Protocol):
    document: Document | None
    tree: ProjectTree
    editors: EditorPages

    def window(self) -> QWidget: ...


class GuideCreator(QObject):
    """The "New guide" actions and menu (see the module docstring)."""

    def __init__(self, host: CreatorHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._thumbnails: StarterThumbnails | None = None
        self.menu = QMenu("&New guide", host.window())
        self.menu.setToolTipsVisible(True)
        self.kind_actions: dict[str, QAction] = {}
        for kind, label, tip in KINDS:
            action = QAction(kind_icon(kind), label, self)
            action.setToolTip(f"{tip}. Creates a draft with text to replace.")
            action.setStatusTip(action.toolTip())
            action.triggered.connect(lambda _=False, k=kind: self.create_blank(k))
            self.menu.addAction(action)
            self.kind_actions[kind] = action
        self.menu.addSeparator()
        self.from_starter = QAction(icon("guide"), "From a &starter…", self)
        self.from_starter.setIconText("From a starter…")
        self.from_starter.setToolTip("Start from a common play (upgrade prompt, trial tour, "
                                     "NPS survey…) with its text and rules filled in")
        self.from_starter.setStatusTip(self.from_starter.toolTip())
        self.from_starter.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.from_starter.triggered.connect(self.from_gallery)
        self.menu.addAction(self.from_starter)
        #: The toolbar's and the empty state's "New guide" button: opens the menu.
        self.new_guide = self.menu.menuAction()
        self.new_guide.setIcon(icon("guide"))
        self.new_guide.setIconText("New guide")
        self.new_guide.setToolTip("Create a guide: a blank one of the kind you need, or one "
                                  "from a starter")

    @property
    def thumbnails(self) -> StarterThumbnails:
        """The gallery's pictures (made on first use; rendering them outlives the dialog,
        so a second look at the gallery has them all)."""
        if self._thumbnails is None:
            from guidestudio.app.starter_thumbnails import StarterThumbnails

            self._thumbnails = StarterThumbnails(parent=self)
        return self._thumbnails

    def stop(self) -> None:
        """The window closes: no more pictures."""
        if self._thumbnails is not None:
            self._thumbnails.stop()

    def set_enabled(self, enabled: bool) -> None:
        for action in (*self.kind_actions.values(), self.from_starter, self.new_guide):
            action.setEnabled(enabled)

    def create_blank(self, kind: str) -> str | None:
        """Add a blank guide of ``kind`` and open it; its id (None without a project)."""
        from guidestudio.core.starters import blank_starter, instantiate

        document = self.host.document
        if document is None:
            return None
        guide = instantiate(blank_starter(kind), {}, document.project)
        return self.add(guide, blank=True)

    def from_gallery(self) -> str | None:
        """Pick a starter in the gallery; the new guide's id (None when cancelled)."""
        document = self.host.document
        if document is None:
            return None
        parent = self.host.window()
        dialog_class = load_class("guidestudio.widgets.dialogs.starter_gallery",
                                  "StarterGalleryDialog")
        if dialog_class is None:
            QMessageBox.information(parent, "Starter gallery not available",
                                    "The starter gallery is not available in this build.")
            return None
        dialog = dialog_class(document.project, parent, thumbnails=self.thumbnails)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            guide = dialog.guide()
            blank = bool(getattr(dialog.current_starter(), "blank", False))
        finally:
            dialog.deleteLater()
        return self.add(guide, blank) if guide is not None else None

    def add(self, guide: Guide, blank: bool) -> str | None:
        """Add ``guide`` as one undo step and open it on its content."""
        document = self.host.document
        if document is None:
            return None
        edit, guide_id = guide_ops.add(document.project, "guides", guide)
        document.apply(edit, f"New guide {guide.name!r}")
        self.open_on_content(guide_id, select_text=blank)
        return guide_id

    def open_on_content(self, guide_id: str, select_text: bool = False) -> None:
        """Select the guide and put the cursor in its first text (selected, if asked)."""
        if not self.host.tree.select("guide", guide_id):
            return
        self.host.editors.focus_field(FIRST_TEXT)
        field = self.host.window().focusWidget()  # set even while the window is inactive
        if select_text and isinstance(field, (QLineEdit, QTextEdit)):  # (rich text fields)
            field.selectAll()
