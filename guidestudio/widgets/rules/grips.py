"""The parts every row and group of the rule builder starts or ends with.

A grip (``DragHandle``) to move it, by dragging or from its menu, and a small
✕ button to remove it. Rows (``rows``) and groups (``groups``) both use them;
``moves`` listens to the grips.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolButton, QWidget

MOVE_HELP = ("Drag this grip to move it, also into another group. Keyboard: "
             "Alt+Up / Alt+Down move it within its group, Alt+Left out of its group, "
             "Alt+Right into the group just above it; right-click for these moves.")


class DragHandle(QLabel):
    """The grip at the start of a row or group. It only reports what the author
    does with it; the group holding the row starts the drag or shows the menu."""

    dragRequested = Signal()
    menuRequested = Signal(QPoint)  # global position

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__("⠿", parent)
        self.setObjectName("dragHandle")
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(f"Move this {what}. {MOVE_HELP}")
        self.setAccessibleName(f"Move this {what}")
        self.setAccessibleDescription(MOVE_HELP)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedWidth(14)
        self._pressed: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = event.position().toPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if (self._pressed is not None and event.buttons() & Qt.MouseButton.LeftButton
                and (event.position().toPoint() - self._pressed).manhattanLength()
                >= QApplication.startDragDistance()):
            self._pressed = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            self.dragRequested.emit()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._pressed = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        self.menuRequested.emit(event.globalPos())


def remove_button(tooltip: str, name: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText("✕")
    button.setObjectName(name)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.setAutoRaise(True)
    return button


__all__ = ["MOVE_HELP", "DragHandle", "remove_button"]
