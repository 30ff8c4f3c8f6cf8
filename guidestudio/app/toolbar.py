"""The window's toolbar: New guide (a menu of kinds and the starters), Save, Undo, Redo, Export.

Every button is one of the window's actions, so it does what the menu entry
does and is enabled when it is. Buttons show words beside their icons: the
people who use this are not expected to know what a floppy disk means. The
icons are drawn in the palette's text colour and drawn again when the palette
changes (light/dark), so they stay visible in both.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

#: 24×24 line drawings (stroke only), drawn in the text colour.
SHAPES = {
    "new": '<path d="M12 5v14M5 12h14"/>',
    "save": '<path d="M5 3h11l3 3v13a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/>'
            '<path d="M7 3v5h8V3"/><path d="M7 21v-7h10v7"/>',
    "undo": '<path d="M9 14L4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>',
    "redo": '<path d="M15 14l5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13"/>',
    "export": '<path d="M12 15V3"/><path d="M7 8l5-5 5 5"/>'
              '<path d="M5 15v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4"/>',
}


def line_icon(shape: str, color: QColor) -> QIcon:
    """One of ``SHAPES`` as an icon in ``color`` (rendered at 48 px: sharp on HiDPI too)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 24 24" '
           f'fill="none" stroke="{color.name()}" stroke-width="2" stroke-linecap="round" '
           f'stroke-linejoin="round">{SHAPES[shape]}</svg>')
    pixmap = QPixmap()
    pixmap.loadFromData(svg.encode("utf-8"), "SVG")
    return QIcon(pixmap)


class MainToolBar(QToolBar):
    """``MainToolBar(window)``; ``set_actions`` fills it, ``set_undo_actions`` per document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Toolbar", parent)
        self.setObjectName("mainToolBar")  # saveState/restoreState key
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(18, 18))
        self.toggleViewAction().setToolTip("Show or hide the toolbar")
        self._shaped: dict[QAction, str] = {}
        self._undo_anchor: QAction | None = None
        self._undo: list[QAction] = []

    def set_actions(self, new_guide: QAction, save: QAction, export: QAction) -> None:
        self.addAction(new_guide)
        button = self.widgetForAction(new_guide)
        if isinstance(button, QToolButton):  # the whole button opens the menu of kinds
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.addSeparator()
        self.addAction(save)
        self._undo_anchor = self.addSeparator()
        self.addAction(export)
        for action, shape in ((new_guide, "new"), (save, "save"), (export, "export")):
            self._shaped[action] = shape
        self._draw_icons()

    def set_undo_actions(self, undo: QAction | None, redo: QAction | None) -> None:
        """The open document's Undo/Redo (None: no document), after Save."""
        for action in self._undo:
            self.removeAction(action)
            self._shaped.pop(action, None)
        self._undo = [a for a in (undo, redo) if a is not None]
        if not self._undo or self._undo_anchor is None:
            return
        for action, shape, word in ((undo, "undo", "Undo"), (redo, "redo", "Redo")):
            assert action is not None
            action.setIconText(word)  # not "Undo Edit title": the tooltip says that
            self._shaped[action] = shape
        self.insertActions(self._undo_anchor, self._undo)
        self._draw_icons()

    def _draw_icons(self) -> None:
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        for action, shape in self._shaped.items():
            action.setIcon(line_icon(shape, color))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._draw_icons()
