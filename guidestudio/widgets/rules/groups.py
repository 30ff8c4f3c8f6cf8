"""A group of rules in the builder: "all of" / "any of" / "none of" its children.

The group widget owns the widgets of its children and keeps them parallel to
the ``guidestudio.core.rules.tree.Group`` it displays: adding, removing and switching
the mode change the core group and the matching widget, then report
``edited(discrete)`` (True: an undo step of its own; False: typing that may
merge). Nested groups draw a left rule so the nesting reads at a glance.

Every row and nested group has a grip (``DragHandle``). The group only passes
on what the author does with a grip (``dragRequested``, ``menuRequested``, from
any depth up to the root); moving is ``guidestudio.widgets.rules.moves``, which
uses ``take`` and ``put`` to re-parent a child without rebuilding it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.rules.tree import MODE_LABELS, Advanced, Group, Node, Rule, new_rule
from guidestudio.widgets.rules.grips import DragHandle, remove_button
from guidestudio.widgets.rules.rows import AdvancedRow, RuleContext, RuleRow

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
    dragRequested = Signal(QWidget)  # the child (at any depth) whose grip is dragged
    menuRequested = Signal(QWidget, QPoint)  # that child, the menu's global position

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

        # The header: one line, or two when narrow (the add buttons go below).
        self.header = QVBoxLayout()
        self.header.setSpacing(2)
        self.header_top = QHBoxLayout()
        self.header_bottom = QHBoxLayout()
        self.header.addLayout(self.header_top)
        self.header.addLayout(self.header_bottom)
        self.wrapped = False
        self.handle: DragHandle | None = None
        if not root:
            self.handle = DragHandle("group", self)
            self.header_top.addWidget(self.handle)
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
        self.buttons = QWidget(self)
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_rule_button)
        buttons.addWidget(self.add_group_button)
        self.header_top.addWidget(lead)
        self.header_top.addWidget(self.mode_box)
        self.header_top.addWidget(QLabel("these rules:", self))
        self.header_top.addStretch(1)
        self.header_top.addWidget(self.buttons)
        self.header_bottom.addStretch(1)
        if not root:
            self.remove = remove_button("Remove this group and its rules", "removeGroup", self)
            self.header_top.addWidget(self.remove)
            self.remove.clicked.connect(self._remove_clicked)
        outer.addLayout(self.header)

        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        outer.addLayout(self.body)
        self.empty_label = QLabel(_EMPTY_HELP, self)
        self.empty_label.setObjectName("emptyGroup")
        self.empty_label.setEnabled(False)
        self.empty_label.setWordWrap(True)  # one line is wider than the inspector at 1280 px
        outer.addWidget(self.empty_label)
        if root:
            outer.addStretch(1)

        self.mode_box.activated.connect(self._mode_chosen)
        self.add_rule_button.clicked.connect(self.add_rule)
        self.add_group_button.clicked.connect(self.add_group)
        for child in group.children:
            self._attach(child)
        self._sync_mode()

    # -- layout ----------------------------------------------------------------------

    def _header_widths(self) -> tuple[int, int]:
        """(the header on one line, its first line when the buttons wrap)."""
        top = self.header_top
        spacing = max(top.spacing(), 0)
        first = sum(top.itemAt(i).minimumSize().width() + spacing for i in range(top.count())
                    if top.itemAt(i).widget() is not self.buttons)
        margins = self.contentsMargins()
        first += margins.left() + margins.right()
        return first + self.buttons.sizeHint().width() + spacing, first

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The header may wrap, so only its first line and the children set the minimum."""
        _, first = self._header_widths()
        margins = self.layout().contentsMargins()
        children = max((w.minimumSizeHint().width() for w in self._widgets), default=0)
        width = max(first, self.buttons.sizeHint().width(),
                    children + margins.left() + margins.right())
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        one_line, _ = self._header_widths()
        wrap = event.size().width() < one_line
        if wrap == self.wrapped:
            return
        self.wrapped = wrap
        if wrap:
            self.header_top.removeWidget(self.buttons)
            self.header_bottom.insertWidget(0, self.buttons)
        else:
            self.header_bottom.removeWidget(self.buttons)
            self.header_top.insertWidget(self.header_top.count() - (0 if self.root else 1),
                                         self.buttons)
        self.updateGeometry()

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
            (handle.dragRequested, lambda w=widget: self.dragRequested.emit(w)),
            (handle.menuRequested, lambda pos, w=widget: self.menuRequested.emit(w, pos)),
        ]
        if isinstance(widget, GroupWidget):  # its children's grips, passed on to the root
            links += [(widget.dragRequested, self.dragRequested.emit),
                      (widget.menuRequested, self.menuRequested.emit)]
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

    def take(self, widget: QWidget) -> Node:
        """Remove the child ``widget`` and its node without deleting either (a move)."""
        return self.group.children.pop(self._unplace(widget))

    def put(self, index: int, node: Node, widget: QWidget) -> None:
        """Show ``widget`` for ``node`` at gap ``index`` (clamped) of this group (a move)."""
        index = max(0, min(index, len(self._widgets)))
        self.group.children.insert(index, node)
        self._place(index, widget)

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

