"""Moving the rows and groups of one rule builder: drag and drop, Alt+arrows, the grip's menu.

Every row and nested group has a grip (``DragHandle``); the groups pass what
the author does with it up to the root group, where one ``RuleMoves`` listens.
A drag carries the node's path from the root group under a private MIME type,
tagged with the builder's token; only the root group accepts drops: the drop
goes to the innermost group under the cursor, into the gap between its
children, and a line shows that gap while dragging. A move re-parents the
existing widget (nothing is rebuilt, so the drag source survives its own drop)
and is reported once (``moved``), so the form writes it as one undo step.
Alt+Up / Alt+Down / Alt+Left / Alt+Right do the same from the keyboard
(``move_focused``), and the grip's context menu lists them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QDrag, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QWidget

from guidestudio.widgets.rules.grips import DragHandle
from guidestudio.widgets.rules.groups import GroupWidget

MIME = "application/x-guidestudio-rule-node"
MOVE_KEYS = {"up": "Alt+Up", "down": "Alt+Down", "out": "Alt+Left", "in": "Alt+Right"}


def movable_at(widget: QWidget | None) -> tuple[GroupWidget, QWidget] | None:
    """The row or nested group ``widget`` is part of, with the group holding it —
    what Alt+arrows move when the keyboard focus is on ``widget``."""
    while widget is not None:
        parent = widget.parentWidget()
        if isinstance(parent, GroupWidget) and widget in parent.child_widgets():
            return parent, widget
        widget = parent
    return None


def _holder(widget: QWidget) -> GroupWidget | None:
    """The group ``widget`` is a child of (None: not a row or group of a builder)."""
    parent = widget.parentWidget()
    return parent if isinstance(parent, GroupWidget) and widget in parent.child_widgets() \
        else None


class RuleMoves(QObject):
    """The moves within the tree under one root group (made anew with each root)."""

    moved = Signal()  # once per move: a discrete edit of the condition

    def __init__(self, root: GroupWidget) -> None:
        super().__init__(root)
        self.root = root
        root.setAcceptDrops(True)
        root.installEventFilter(self)
        self.drop_indicator = QFrame(root)
        self.drop_indicator.setObjectName("dropIndicator")
        self.drop_indicator.setStyleSheet("background: palette(highlight); border: none;")
        self.drop_indicator.hide()
        root.dragRequested.connect(self.start_drag)
        root.menuRequested.connect(self.show_menu)

    # -- where things are ------------------------------------------------------------

    def path_of(self, widget: QWidget) -> list[int] | None:
        """Where ``widget`` sits below the root, as child indices (None: not there)."""
        path: list[int] = []
        while widget is not self.root:
            holder = _holder(widget)
            if holder is None:
                return None
            path.insert(0, holder.child_widgets().index(widget))
            widget = holder
        return path

    def widget_at(self, path: list[int]) -> QWidget | None:
        widget: QWidget = self.root
        for index in path:
            children = widget.child_widgets() if isinstance(widget, GroupWidget) else []
            if not 0 <= index < len(children):
                return None
            widget = children[index]
        return widget

    # -- moving ----------------------------------------------------------------------

    def move(self, widget: QWidget, target: GroupWidget, index: int) -> bool:
        """Move the row or group ``widget`` to gap ``index`` of ``target`` (gaps
        counted before the move), in the core tree and on screen; reports one
        move. False, changing nothing, when it would not move or would put a
        group inside itself."""
        source = _holder(widget)
        if source is None:
            return False
        if widget is target or (isinstance(widget, GroupWidget) and widget.isAncestorOf(target)):
            return False
        source_index = source.child_widgets().index(widget)
        if target is source:
            if index > source_index:
                index -= 1
            if index == source_index:
                return False
        focus = QApplication.focusWidget()
        keep_focus = focus is not None and (focus is widget or widget.isAncestorOf(focus))
        node = source.take(widget)
        target.put(index, node, widget)
        if keep_focus and focus is not None and QApplication.focusWidget() is not focus:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.moved.emit()
        return True

    def move_by(self, widget: QWidget, step: int) -> bool:
        """Alt+Up / Alt+Down: one place up or down within its group."""
        group = _holder(widget)
        if group is None:
            return False
        siblings = group.child_widgets()
        index = siblings.index(widget)
        return self.move(widget, group, index + (2 if step > 0 else -1)) \
            if 0 <= index + step < len(siblings) else False

    def move_out(self, widget: QWidget) -> bool:
        """Alt+Left: out of its group, just after that group in the enclosing one."""
        group = _holder(widget)
        outside = _holder(group) if group is not None else None
        if group is None or group.root or outside is None:
            return False
        return self.move(widget, outside, outside.child_widgets().index(group) + 1)

    def move_in(self, widget: QWidget) -> bool:
        """Alt+Right: into the group just above it, at its end."""
        above = self._above(widget)
        if above is None:
            return False
        return self.move(widget, above, len(above.child_widgets()))

    def move_focused(self, direction: str) -> bool:
        """Move the row or group holding the keyboard focus: "up" / "down" within
        its group, "out" of it, or "in" to the group just above (Alt+arrows)."""
        found = movable_at(QApplication.focusWidget())
        if found is None or not self.root.isAncestorOf(found[1]):
            return False
        widget = found[1]
        if direction in ("up", "down"):
            return self.move_by(widget, -1 if direction == "up" else 1)
        return self.move_out(widget) if direction == "out" else self.move_in(widget)

    @staticmethod
    def _above(widget: QWidget) -> GroupWidget | None:
        """The nested group just above ``widget`` in its group, if that is one."""
        group = _holder(widget)
        if group is None:
            return None
        siblings = group.child_widgets()
        index = siblings.index(widget)
        above = siblings[index - 1] if index > 0 else None
        return above if isinstance(above, GroupWidget) else None

    def move_actions(self, widget: QWidget
                     ) -> list[tuple[str, str, Callable[[], bool] | None]]:
        """The moves offered for a row or group (label, keys, action or None when impossible)."""
        group = _holder(widget)
        assert group is not None
        siblings = group.child_widgets()
        index = siblings.index(widget)
        return [
            ("Move up", MOVE_KEYS["up"],
             (lambda: self.move_by(widget, -1)) if index > 0 else None),
            ("Move down", MOVE_KEYS["down"],
             (lambda: self.move_by(widget, 1)) if index < len(siblings) - 1 else None),
            ("Move out of this group", MOVE_KEYS["out"],
             (lambda: self.move_out(widget)) if not group.root else None),
            ("Move into the group above", MOVE_KEYS["in"],
             (lambda: self.move_in(widget)) if self._above(widget) is not None else None),
        ]

    def show_menu(self, widget: QWidget, global_pos: QPoint) -> None:
        """The grip's context menu: the moves, with their keys."""
        group = _holder(widget)
        menu = QMenu(group)
        for label, keys, action in self.move_actions(widget):
            item = menu.addAction(label)
            item.setShortcut(QKeySequence(keys))
            item.setEnabled(action is not None)
            if action is not None:
                item.triggered.connect(action)
        menu.exec(global_pos)
        menu.deleteLater()

    # -- drag and drop ---------------------------------------------------------------

    def mime_for(self, widget: QWidget) -> QMimeData | None:
        """What a drag of ``widget`` carries: its path from the root and the builder."""
        path = self.path_of(widget)
        if path is None:
            return None
        data = QMimeData()
        payload = {"builder": self.root.context.token, "path": path}
        # No text/plain part: the line edits inside the rows would take the drop as text.
        data.setData(MIME, QByteArray(json.dumps(payload).encode()))
        return data

    def start_drag(self, widget: QWidget) -> None:
        data = self.mime_for(widget)
        if data is None:
            return
        handle: DragHandle = widget.handle  # type: ignore[attr-defined]
        drag = QDrag(handle)
        drag.setMimeData(data)
        drag.setPixmap(widget.grab().scaledToWidth(min(widget.width(), 360),
                                                   Qt.TransformationMode.SmoothTransformation))
        drag.setHotSpot(QPoint(6, 6))
        drag.exec(Qt.DropAction.MoveAction)

    def dragged(self, data: QMimeData) -> QWidget | None:
        """The row or group of ours that ``data`` describes (None: not ours, or gone)."""
        if not data.hasFormat(MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(MIME).data()).decode())
        except ValueError:
            return None
        if not isinstance(payload, dict) or payload.get("builder") != self.root.context.token:
            return None
        path = payload.get("path")
        if not isinstance(path, list) or not path or not all(isinstance(i, int) for i in path):
            return None
        return self.widget_at(path)

    def drop_target(self, pos: QPoint, dragged: QWidget | None = None
                    ) -> tuple[GroupWidget, int]:
        """The group and gap a drop at ``pos`` (root coordinates) goes to: the
        innermost group under the cursor, except that the header of a nested
        group, or the margin below its last child, means "before it" / "after
        it" in the enclosing group.
        The dragged group itself is opaque (nothing goes inside itself)."""
        root = self.root
        group: GroupWidget = root
        while True:
            local = group.mapFrom(root, pos)
            children = group.child_widgets()
            inner = next((w for w in children if isinstance(w, GroupWidget)
                          and w.geometry().contains(local)), None)
            if inner is None:
                break
            index = children.index(inner)
            inner_y = inner.mapFrom(root, pos).y()
            if inner is dragged or inner_y < inner.header.geometry().bottom():
                return group, index + (1 if inner is dragged and
                                       inner_y > inner.height() // 2 else 0)
            inner_children = inner.child_widgets()
            if inner_children and inner_y > inner_children[-1].geometry().bottom() + 1:
                return group, index + 1  # the margin below its last child: after it
            group = inner
        local = group.mapFrom(root, pos)
        index = sum(1 for w in group.child_widgets() if w.geometry().center().y() < local.y())
        return group, index

    def _indicator_rect(self, group: GroupWidget, index: int) -> QRect:
        widgets = group.child_widgets()
        if index < len(widgets):
            y = widgets[index].geometry().top() - 2
        elif widgets:
            y = widgets[-1].geometry().bottom() + 1
        else:
            y = group.header.geometry().bottom() + 1
        left = group.body.geometry().left()
        top_left = group.mapTo(self.root, QPoint(left, max(0, y)))
        return QRect(top_left.x(), top_left.y(), max(20, group.width() - left), 2)

    def _accept_drag(self, event: QDragMoveEvent) -> None:
        dragged = self.dragged(event.mimeData())
        if dragged is None:
            event.ignore()
            self.drop_indicator.hide()
            return
        group, index = self.drop_target(event.position().toPoint(), dragged)
        self.drop_indicator.setGeometry(self._indicator_rect(group, index))
        self.drop_indicator.raise_()
        self.drop_indicator.show()
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def _dropped(self, event: QDropEvent) -> None:
        self.drop_indicator.hide()
        if self.drop(event.mimeData(), event.position().toPoint()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The root group's drag events, handled here instead of by the group."""
        if watched is not self.root:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragMoveEvent)
            self._accept_drag(event)
        elif kind == QEvent.Type.DragLeave:
            self.drop_indicator.hide()
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            self._dropped(event)
        else:
            return False
        return True

    def drop(self, data: QMimeData, pos: QPoint) -> bool:
        """Move what ``data`` names to the gap at ``pos`` (root coordinates)."""
        dragged = self.dragged(data)
        if dragged is None:
            return False
        group, index = self.drop_target(pos, dragged)
        return self.move(dragged, group, index)
