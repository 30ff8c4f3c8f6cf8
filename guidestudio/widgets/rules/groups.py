"""A group of rules in the builder: "all of" / "any of" / "none of" its children.

The group widget owns the widgets of its children and keeps them parallel to
the ``guidestudio.core.rules.tree.Group`` it displays: adding, removing, moving and switching
the mode change the core group and the matching widget, then report
``edited(discrete)`` (True: an undo step of its own; False: typing that may
merge). Nested groups draw a left rule so the nesting reads at a glance.

Moving: every row and nested group has a grip (``DragHandle``). A drag carries
the node's path from the root group under a private MIME type, tagged with the
builder's token; only the root group accepts drops, finds the innermost group
under the cursor and the gap between its children, and draws a line there.
A move re-parents the existing widget (nothing is rebuilt, so the drag source
survives its own drop) and is reported once, so the form writes it as one undo
step. Alt+Up / Alt+Down / Alt+Left / Alt+Right do the same from the keyboard
(``move_focused``), and the grip's context menu lists them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QRect, QSignalBlocker, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.rules.tree import MODE_LABELS, Advanced, Group, Node, Rule, new_rule
from guidestudio.widgets.rules.rows import (
    AdvancedRow,
    DragHandle,
    RuleContext,
    RuleRow,
    remove_button,
)

MIME = "application/x-guidestudio-rule-node"
MOVE_KEYS = {"up": "Alt+Up", "down": "Alt+Down", "out": "Alt+Left", "in": "Alt+Right"}

_MODE_HELP = {
    "all": "Every rule below must match ($and).",
    "any": "At least one rule below must match ($or).",
    "none": "No rule below may match ($nor) — use it for \"not\".",
}
_EMPTY_HELP = "No rules yet: this group matches everyone. Add a rule."


def _same_shape(widget: QWidget, node: Node) -> bool:
    """Can ``widget`` show ``node`` in place (same kinds of children, all the way down)?"""
    if isinstance(widget, RuleRow):
        return isinstance(node, Rule)
    if isinstance(widget, AdvancedRow):
        return isinstance(node, Advanced)
    if not isinstance(widget, GroupWidget) or not isinstance(node, Group):
        return False
    return len(widget._widgets) == len(node.children) and all(
        _same_shape(w, n) for w, n in zip(widget._widgets, node.children, strict=True))


class GroupWidget(QFrame):
    edited = Signal(bool)  # discrete: an undo step of its own
    removeRequested = Signal(QWidget)

    def __init__(self, group: Group, context: RuleContext, root: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.context = context
        self.root = root
        self._widgets: list[QWidget] = []
        self._links: dict[QWidget, list[tuple[Any, Callable[..., None]]]] = {}
        self.setObjectName("ruleGroup")
        self.setProperty("nested", not root)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0 if root else 10, 2, 0, 2 if root else 6)

        self.header = QHBoxLayout()
        self.handle: DragHandle | None = None
        if not root:
            self.handle = DragHandle("group", self)
            self.header.addWidget(self.handle)
        lead = QLabel("Users who match" if root else "Match", self)
        self.mode_box = QComboBox(self)
        self.mode_box.setObjectName("groupMode")
        for mode, label in MODE_LABELS.items():
            self.mode_box.addItem(label, mode)
            self.mode_box.setItemData(self.mode_box.count() - 1, _MODE_HELP[mode],
                                      Qt.ItemDataRole.ToolTipRole)
        self.mode_box.setToolTip("How the rules of this group combine.")
        lead.setBuddy(self.mode_box)
        self.add_rule_button = QPushButton("+ Rule", self)
        self.add_rule_button.setObjectName("addRule")
        self.add_rule_button.setToolTip("Add a rule: attribute, operator and value.")
        self.add_group_button = QPushButton("+ Group", self)
        self.add_group_button.setObjectName("addGroup")
        self.add_group_button.setToolTip("Add a nested group, e.g. \"any of\" inside \"all of\".")
        for button in (self.add_rule_button, self.add_group_button):
            button.setAutoDefault(False)
        self.header.addWidget(lead)
        self.header.addWidget(self.mode_box)
        self.header.addWidget(QLabel("these rules:", self))
        self.header.addStretch(1)
        self.header.addWidget(self.add_rule_button)
        self.header.addWidget(self.add_group_button)
        if not root:
            self.remove = remove_button("Remove this group and its rules", "removeGroup", self)
            self.header.addWidget(self.remove)
            self.remove.clicked.connect(self._remove_clicked)
        outer.addLayout(self.header)

        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        outer.addLayout(self.body)
        self.empty_label = QLabel(_EMPTY_HELP, self)
        self.empty_label.setObjectName("emptyGroup")
        self.empty_label.setEnabled(False)
        outer.addWidget(self.empty_label)
        if root:
            outer.addStretch(1)
            self.setAcceptDrops(True)
            self.drop_indicator = QFrame(self)
            self.drop_indicator.setObjectName("dropIndicator")
            self.drop_indicator.setStyleSheet("background: palette(highlight); border: none;")
            self.drop_indicator.hide()

        self.mode_box.activated.connect(self._mode_chosen)
        self.add_rule_button.clicked.connect(self.add_rule)
        self.add_group_button.clicked.connect(self.add_group)
        for child in group.children:
            self._attach(child)
        self._sync_mode()

    # -- children --------------------------------------------------------------------

    def child_widgets(self) -> list[QWidget]:
        return list(self._widgets)

    def _attach(self, node: Node) -> QWidget:
        widget: QWidget
        if isinstance(node, Rule):
            widget = RuleRow(node, self.context, self)
        elif isinstance(node, Group):
            widget = GroupWidget(node, self.context, parent=self)
        else:
            assert isinstance(node, Advanced)
            widget = AdvancedRow(node, self.context, self)
        self._place(len(self._widgets), widget)
        return widget

    def _place(self, index: int, widget: QWidget) -> None:
        """Show ``widget`` as child ``index`` and listen to it (the core list is the caller's)."""
        handle: DragHandle = widget.handle  # type: ignore[attr-defined]
        links: list[tuple[Any, Callable[..., None]]] = [
            (widget.edited, self.edited.emit),  # type: ignore[attr-defined]
            (widget.removeRequested, self._remove_child),  # type: ignore[attr-defined]
            (handle.dragRequested, lambda w=widget: self._start_drag(w)),
            (handle.menuRequested, lambda pos, w=widget: self._show_move_menu(w, pos)),
        ]
        for signal, slot in links:
            signal.connect(slot)
        self._links[widget] = links
        if widget.parentWidget() is not self:
            widget.setParent(self)
        self._widgets.insert(index, widget)
        self.body.insertWidget(index, widget)
        widget.show()
        self.empty_label.setVisible(False)

    def _unplace(self, widget: QWidget) -> int:
        """Stop showing ``widget`` here (it is not deleted); returns its old index."""
        index = self._widgets.index(widget)
        del self._widgets[index]
        for signal, slot in self._links.pop(widget, []):
            signal.disconnect(slot)
        self.body.removeWidget(widget)
        self.empty_label.setVisible(not self._widgets)
        return index

    def add_rule(self) -> RuleRow:
        """Append an empty rule and put the cursor in its attribute box."""
        rule = new_rule()
        self.group.children.append(rule)
        row = self._attach(rule)
        assert isinstance(row, RuleRow)
        row.attribute_box.setFocus()
        self.edited.emit(True)
        return row

    def add_group(self) -> GroupWidget:
        """Append a nested group with one empty rule; it starts as the opposite
        of this group ("any of" inside "all of"), the nesting people want."""
        mode = "any" if self.group.mode == "all" else "all"
        group = Group(mode, [new_rule()], explicit=mode == "all")
        self.group.children.append(group)
        widget = self._attach(group)
        assert isinstance(widget, GroupWidget)
        widget.mode_box.setFocus()
        self.edited.emit(True)
        return widget

    def _remove_child(self, widget: QWidget) -> None:
        if widget not in self._widgets:
            return
        index = self._unplace(widget)
        del self.group.children[index]
        widget.hide()
        widget.deleteLater()
        self.add_rule_button.setFocus()
        self.edited.emit(True)

    def _remove_clicked(self) -> None:
        self.removeRequested.emit(self)

    # -- showing a condition changed elsewhere ------------------------------------------

    def adopt(self, group: Group) -> bool:
        """Show ``group`` in the existing widgets when it has the same shape (the
        same kinds of rows and groups in the same places) — after an undo or a
        JSON edit of a value — so focus and half-typed input survive. False when
        the shape differs: the caller then rebuilds."""
        if not _same_shape(self, group):
            return False
        self._adopt(group)
        return True

    def _adopt(self, group: Group) -> None:
        self.group = group
        for widget, node in zip(self._widgets, group.children, strict=True):
            if isinstance(widget, RuleRow):
                assert isinstance(node, Rule)
                widget.set_rule(node)
            elif isinstance(widget, AdvancedRow):
                assert isinstance(node, Advanced)
                widget.set_node(node)
            else:
                assert isinstance(widget, GroupWidget) and isinstance(node, Group)
                widget._adopt(node)
        self._sync_mode()

    # -- moving ----------------------------------------------------------------------

    def root_group(self) -> GroupWidget:
        group: GroupWidget = self
        while isinstance(group.parentWidget(), GroupWidget):
            group = group.parentWidget()  # type: ignore[assignment]
        return group

    def path_of(self, widget: QWidget) -> list[int] | None:
        """Where ``widget`` sits below this group, as child indices (None: not here)."""
        path: list[int] = []
        while widget is not self:
            parent = widget.parentWidget()
            if not isinstance(parent, GroupWidget) or widget not in parent._widgets:
                return None
            path.insert(0, parent._widgets.index(widget))
            widget = parent
        return path

    def widget_at(self, path: list[int]) -> QWidget | None:
        widget: QWidget = self
        for index in path:
            if not isinstance(widget, GroupWidget) or not 0 <= index < len(widget._widgets):
                return None
            widget = widget._widgets[index]
        return widget

    def move(self, widget: QWidget, target: GroupWidget, index: int) -> bool:
        """Move the child ``widget`` of this group to gap ``index`` of ``target``
        (gaps counted before the move), in the core tree and on screen; reports
        one discrete edit. False, changing nothing, when it would not move or
        would put a group inside itself."""
        if widget not in self._widgets:
            return False
        if widget is target or (isinstance(widget, GroupWidget) and widget.isAncestorOf(target)):
            return False
        source_index = self._widgets.index(widget)
        if target is self:
            if index > source_index:
                index -= 1
            if index == source_index:
                return False
        focus = QApplication.focusWidget()
        keep_focus = focus is not None and (focus is widget or widget.isAncestorOf(focus))
        node = self.group.children.pop(source_index)
        self._unplace(widget)
        index = max(0, min(index, len(target._widgets)))
        target.group.children.insert(index, node)
        target._place(index, widget)
        if keep_focus and focus is not None and QApplication.focusWidget() is not focus:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        target.edited.emit(True)
        return True

    def move_by(self, widget: QWidget, step: int) -> bool:
        """Alt+Up / Alt+Down: one place up or down within this group."""
        if widget not in self._widgets:
            return False
        index = self._widgets.index(widget)
        return self.move(widget, self, index + (2 if step > 0 else -1)) \
            if 0 <= index + step < len(self._widgets) else False

    def move_out(self, widget: QWidget) -> bool:
        """Alt+Left: out of this group, just after it in the enclosing group."""
        parent = self.parentWidget()
        if self.root or not isinstance(parent, GroupWidget):
            return False
        return self.move(widget, parent, parent._widgets.index(self) + 1)

    def move_in(self, widget: QWidget) -> bool:
        """Alt+Right: into the group just above it, at its end."""
        if widget not in self._widgets:
            return False
        index = self._widgets.index(widget)
        above = self._widgets[index - 1] if index > 0 else None
        if not isinstance(above, GroupWidget):
            return False
        return self.move(widget, above, len(above._widgets))

    def _show_move_menu(self, widget: QWidget, global_pos: QPoint) -> None:
        menu = QMenu(self)
        for label, keys, action in self.move_actions(widget):
            item = menu.addAction(label)
            item.setShortcut(QKeySequence(keys))
            item.setEnabled(action is not None)
            if action is not None:
                item.triggered.connect(action)
        menu.exec(global_pos)
        menu.deleteLater()

    def move_actions(self, widget: QWidget
                     ) -> list[tuple[str, str, Callable[[], bool] | None]]:
        """The moves offered for a child (label, keys, action or None when impossible)."""
        index = self._widgets.index(widget)
        above = self._widgets[index - 1] if index > 0 else None
        return [
            ("Move up", MOVE_KEYS["up"],
             (lambda: self.move_by(widget, -1)) if index > 0 else None),
            ("Move down", MOVE_KEYS["down"],
             (lambda: self.move_by(widget, 1)) if index < len(self._widgets) - 1 else None),
            ("Move out of this group", MOVE_KEYS["out"],
             (lambda: self.move_out(widget)) if not self.root else None),
            ("Move into the group above", MOVE_KEYS["in"],
             (lambda: self.move_in(widget)) if isinstance(above, GroupWidget) else None),
        ]

    # -- drag and drop ---------------------------------------------------------------

    def mime_for(self, widget: QWidget) -> QMimeData | None:
        """What a drag of ``widget`` carries: its path from the root and the builder."""
        root = self.root_group()
        path = root.path_of(widget)
        if path is None:
            return None
        data = QMimeData()
        payload = {"builder": self.context.token, "path": path}
        # No text/plain part: the line edits inside the rows would take the drop as text.
        data.setData(MIME, QByteArray(json.dumps(payload).encode()))
        return data

    def _start_drag(self, widget: QWidget) -> None:
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

    def _dragged(self, data: QMimeData) -> QWidget | None:
        """The widget of ours that ``data`` describes (None: not ours, or gone)."""
        if not data.hasFormat(MIME):
            return None
        try:
            payload = json.loads(bytes(data.data(MIME).data()).decode())
        except ValueError:
            return None
        if not isinstance(payload, dict) or payload.get("builder") != self.context.token:
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
        group: GroupWidget = self
        while True:
            local = group.mapFrom(self, pos)
            inner = next((w for w in group._widgets if isinstance(w, GroupWidget)
                          and w.geometry().contains(local)), None)
            if inner is None:
                break
            index = group._widgets.index(inner)
            inner_y = inner.mapFrom(self, pos).y()
            if inner is dragged or inner_y < inner.header.geometry().bottom():
                return group, index + (1 if inner is dragged and
                                       inner_y > inner.height() // 2 else 0)
            if inner._widgets and inner_y > inner._widgets[-1].geometry().bottom() + 1:
                return group, index + 1  # the margin below its last child: after it
            group = inner
        local = group.mapFrom(self, pos)
        index = sum(1 for w in group._widgets if w.geometry().center().y() < local.y())
        return group, index

    def _indicator_rect(self, group: GroupWidget, index: int) -> QRect:
        widgets = group._widgets
        if index < len(widgets):
            y = widgets[index].geometry().top() - 2
        elif widgets:
            y = widgets[-1].geometry().bottom() + 1
        else:
            y = group.header.geometry().bottom() + 1
        left = group.body.geometry().left()
        top_left = group.mapTo(self, QPoint(left, max(0, y)))
        return QRect(top_left.x(), top_left.y(), max(20, group.width() - left), 2)

    def _accept_drag(self, event: QDragMoveEvent) -> bool:
        dragged = self._dragged(event.mimeData())
        if dragged is None:
            event.ignore()
            self.drop_indicator.hide()
            return False
        group, index = self.drop_target(event.position().toPoint(), dragged)
        self.drop_indicator.setGeometry(self._indicator_rect(group, index))
        self.drop_indicator.raise_()
        self.drop_indicator.show()
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        self._accept_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        self._accept_drag(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt override
        self.drop_indicator.hide()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.drop_indicator.hide()
        if self.drop(event.mimeData(), event.position().toPoint()):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def drop(self, data: QMimeData, pos: QPoint) -> bool:
        """Move what ``data`` names to the gap at ``pos`` (root coordinates)."""
        dragged = self._dragged(data)
        if dragged is None:
            return False
        source = dragged.parentWidget()
        assert isinstance(source, GroupWidget)
        group, index = self.drop_target(pos, dragged)
        return source.move(dragged, group, index)

    # -- mode ------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Switch between all of / any of / none of, as the author does with the box."""
        if mode == self.group.mode:
            return
        self.group.mode = mode
        self.group.use_not = False
        if mode == "all" and not self.root:
            self.group.explicit = True  # keep it a group when written inside another
        self._sync_mode()
        self.edited.emit(True)

    def _mode_chosen(self, index: int) -> None:
        self.set_mode(self.mode_box.itemData(index))

    def _sync_mode(self) -> None:
        with QSignalBlocker(self.mode_box):
            self.mode_box.setCurrentIndex(self.mode_box.findData(self.group.mode))
        self.mode_box.setToolTip(_MODE_HELP[self.group.mode])
        self.empty_label.setVisible(not self._widgets)

    def refresh(self) -> None:
        for widget in self._widgets:
            widget.refresh()  # type: ignore[attr-defined]


def movable_at(widget: QWidget | None) -> tuple[GroupWidget, QWidget] | None:
    """The row or nested group ``widget`` is part of, with the group holding it —
    what Alt+arrows move when the keyboard focus is on ``widget``."""
    while widget is not None:
        parent = widget.parentWidget()
        if isinstance(parent, GroupWidget) and widget in parent._widgets:
            return parent, widget
        widget = parent
    return None

