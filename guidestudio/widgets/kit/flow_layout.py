"""A layout that wraps its widgets like words in a paragraph: the chips of a list editor.

Qt has no flow layout of its own; this is its documentation example, plus two
rules: a line edit placed last stretches over the rest of its row (or the next
row, when too little is left) so there is room to type (the chips editor); and
with ``end_last`` the last widget sits at the end of its row when it shares one
— a text field's formatting buttons right of its language tabs, below them when
the inspector is too narrow for both.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QLineEdit, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them (Qt's flow layout example); a
    line edit last in the flow takes the rest of its row, to type the next item in."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4,
                 end_last: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._end_last = end_last
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size.grownBy(margins) if not size.isEmpty() else size

    def _arrange(self, outer: QRect, apply: bool) -> int:
        """Place the items in ``outer`` (or only measure them); the height they take.

        An item wraps when it would pass the right edge of the contents rectangle
        (``outer`` less the layout's margins) and is not first on its row.
        """
        margins = self.contentsMargins()
        rect = outer.marginsRemoved(margins)
        x, y, line = rect.x(), rect.y(), 0
        visible = [i for i in self._items if not i.isEmpty()]
        for position, item in enumerate(visible):
            hint = item.sizeHint()
            last = position == len(visible) - 1
            width = hint.width()
            if last and isinstance(item.widget(), QLineEdit):  # the typing line takes the rest
                room = rect.right() - x + 1
                width = room if room >= hint.width() // 2 else hint.width()
            if x + width > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
                if last and isinstance(item.widget(), QLineEdit):
                    width = rect.width()
            elif last and self._end_last and line > 0:
                x = rect.right() + 1 - width
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + margins.top() + margins.bottom()
