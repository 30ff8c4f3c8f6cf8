"""A group of rules in the builder: "all of" / "any of" / "none of" its children.

The group widget owns the widgets of its children and keeps them parallel to
the ``app.core.rules.Group`` it displays: adding, removing and switching the
mode change the core group and the matching widget, then report ``edited``.
Nested groups draw a left rule so the nesting reads at a glance.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.rules import MODE_LABELS, Advanced, Group, Node, Rule, new_rule
from widgets.rule_rows import AdvancedRow, RuleContext, RuleRow, remove_button

_MODE_HELP = {
    "all": "Every rule below must match ($and).",
    "any": "At least one rule below must match ($or).",
    "none": "No rule below may match ($nor) — use it for \"not\".",
}
_EMPTY_HELP = "No rules yet: this group matches everyone. Add a rule."


class GroupWidget(QFrame):
    edited = Signal()
    removeRequested = Signal(QWidget)

    def __init__(self, group: Group, context: RuleContext, root: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.context = context
        self.root = root
        self._widgets: list[QWidget] = []
        self.setObjectName("ruleGroup")
        self.setProperty("nested", not root)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0 if root else 10, 2, 0, 2)

        header = QHBoxLayout()
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
        header.addWidget(lead)
        header.addWidget(self.mode_box)
        header.addWidget(QLabel("these rules:", self))
        header.addStretch(1)
        header.addWidget(self.add_rule_button)
        header.addWidget(self.add_group_button)
        if not root:
            self.remove = remove_button("Remove this group and its rules", "removeGroup", self)
            header.addWidget(self.remove)
            self.remove.clicked.connect(self._remove_clicked)
        outer.addLayout(header)

        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        outer.addLayout(self.body)
        self.empty_label = QLabel(_EMPTY_HELP, self)
        self.empty_label.setObjectName("emptyGroup")
        self.empty_label.setEnabled(False)
        outer.addWidget(self.empty_label)
        if root:
            outer.addStretch(1)

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
        widget.edited.connect(self.edited)
        widget.removeRequested.connect(self._remove_child)
        self._widgets.append(widget)
        self.body.addWidget(widget)
        self.empty_label.setVisible(False)
        return widget

    def add_rule(self) -> RuleRow:
        """Append an empty rule and put the cursor in its attribute box."""
        rule = new_rule()
        self.group.children.append(rule)
        row = self._attach(rule)
        assert isinstance(row, RuleRow)
        row.attribute_box.setFocus()
        self.edited.emit()
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
        self.edited.emit()
        return widget

    def _remove_child(self, widget: QWidget) -> None:
        if widget not in self._widgets:
            return
        index = self._widgets.index(widget)
        del self._widgets[index]
        del self.group.children[index]
        self.body.removeWidget(widget)
        widget.hide()
        widget.deleteLater()
        self.empty_label.setVisible(not self._widgets)
        self.add_rule_button.setFocus()
        self.edited.emit()

    def _remove_clicked(self) -> None:
        self.removeRequested.emit(self)

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
        self.edited.emit()

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
