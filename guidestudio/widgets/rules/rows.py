"""One row of the rule builder: attribute, type, operator, value — or, for what
the builder cannot edit, a read-only "advanced" row that keeps it verbatim.

Attributes show by their catalogue label, the key in grey beneath; the type
box hides where the catalogue decides the type; a number shows its unit; a
row too narrow for one line puts its operator and value on a second.

Rows display a ``guidestudio.core.rules.tree.Rule`` and report edits; every decision about
what an edit means (carrying a value to a new type, refusing bad input) is made
by the core helpers, so this module is only layout and signal plumbing.

``edited(discrete)`` says whether the edit is a finished step of its own (a
chip added, an operator picked) or part of typing that the document may merge
into one undo step. Each row starts with a ``DragHandle``; the group it sits in
turns a drag or its menu into a move (``guidestudio.widgets.rules.moves``).
"""

from __future__ import annotations

import json
import uuid

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.rules.tree import (
    Advanced,
    Rule,
    node_condition,
    row_type,
    rule_warning,
    set_attribute,
    set_operator,
    set_type,
    set_value,
)
from guidestudio.core.rules.types import (
    TYPE_LABELS,
    TYPES,
    AttributeInfo,
    find_operator,
    operators_for,
    value_kind,
)
from guidestudio.core.targeting import unknown_operators
from guidestudio.widgets.rules.attribute_box import AttributeBox, text_width_hint
from guidestudio.widgets.rules.grips import DragHandle, remove_button
from guidestudio.widgets.rules.pickers import make_editor, picker_class
from guidestudio.widgets.rules.value_editors import ValueEditor


class RuleContext:
    """What all rows of one builder share: the attributes of the attribute
    catalogue and the sample profiles, the values they hold (suggestions for
    list values), and a token naming the builder so a drag from another
    builder's rows is not taken for one of ours."""

    def __init__(self) -> None:
        self.attributes: dict[str, AttributeInfo] = {}
        self.values: dict[str, list[str]] = {}
        self.token = uuid.uuid4().hex

    def info(self, path: str) -> AttributeInfo | None:
        return self.attributes.get(path)


class OperatorBox(QComboBox):
    """The operator choice: as wide as its words when there is room."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return text_width_hint(self, super().sizeHint())


class RuleRow(QWidget):
    """One rule: attribute, (type), operator, value, (unit), remove — on one line
    when the row is wide enough, else the operator and value wrap onto a second
    line, so nothing is ever cut off at inspector widths."""

    edited = Signal(bool)  # discrete: an undo step of its own (see the module docstring)
    removeRequested = Signal(QWidget)

    def __init__(self, rule: Rule, context: RuleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule = rule
        self.context = context
        self.editor: ValueEditor | None = None
        self.wrapped = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.top = QHBoxLayout()
        self.bottom = QHBoxLayout()
        outer.addLayout(self.top)
        outer.addLayout(self.bottom)
        self.handle = DragHandle("rule", self)
        self.attribute_box = AttributeBox(self)
        self.key_label = QLabel(self)
        self.key_label.setObjectName("attributeKey")
        self.key_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # quieter
        small = self.key_label.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.key_label.setFont(small)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setToolTip("The attribute's key, as the product sends it and the "
                                  "condition stores it.")
        attribute = QVBoxLayout()
        attribute.setSpacing(0)
        attribute.addWidget(self.attribute_box)
        attribute.addWidget(self.key_label)
        self.type_box = QComboBox(self)
        self.type_box.setObjectName("type")
        self.type_box.setToolTip("How the value is compared; inferred from the sample "
                                 "profiles, change it for attributes they don't have.")
        for type_name in TYPES:
            self.type_box.addItem(TYPE_LABELS[type_name], type_name)
        self.condition_part = QWidget(self)
        part = QHBoxLayout(self.condition_part)
        part.setContentsMargins(0, 0, 0, 0)
        self.operator_box = OperatorBox(self.condition_part)
        self.operator_box.setObjectName("operator")
        self.operator_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.operator_box.setMinimumContentsLength(10)
        self.operator_box.setToolTip("How the attribute is compared with the value; the "
                                     "choices fit the attribute's type.")
        self.unit_label = QLabel(self.condition_part)
        self.unit_label.setObjectName("unit")
        self.unit_label.setToolTip("The attribute's unit, from the attribute catalogue.")
        part.addWidget(self.operator_box)
        part.addWidget(self.unit_label)
        self.remove = remove_button("Remove this rule", "removeRule", self)
        self.indent = QWidget(self)
        self.indent.setFixedWidth(self.handle.width())
        self.top.addWidget(self.handle, 0, Qt.AlignmentFlag.AlignTop)
        self.top.addLayout(attribute, 3)
        self.top.addWidget(self.type_box, 0, Qt.AlignmentFlag.AlignTop)
        self.top.addWidget(self.condition_part, 5, Qt.AlignmentFlag.AlignTop)
        self.top.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)
        self.bottom.addWidget(self.indent)
        self.indent.hide()
        self.attribute_box.committed.connect(self._attribute_committed)
        self.type_box.activated.connect(self._type_chosen)
        self.operator_box.activated.connect(self._operator_chosen)
        self.remove.clicked.connect(self._remove_clicked)
        self.setFocusProxy(self.attribute_box)
        self.refresh()

    # -- layout ----------------------------------------------------------------------

    def _widths(self) -> tuple[int, int, int]:
        """(one line, first of two lines, second of two lines): the widths each needs.

        Two lines need the boxes' minimum widths; one line needs room to show the
        attribute's label and the operator's words in full, and a value."""
        spacing = max(self.top.spacing(), 0)
        key = self.key_label.minimumSizeHint().width() if self.key_label.text() else 0
        attribute = max(self.attribute_box.minimumSizeHint().width(), key)
        type_width = self.type_box.sizeHint().width() + spacing if not self.type_box.isHidden() \
            else 0
        fixed = self.handle.width() + type_width + self.remove.sizeHint().width() + 3 * spacing
        part = self.condition_part.layout()
        condition = part.minimumSize().width() if part is not None else 0
        second = self.handle.width() + spacing + condition
        wide_attribute = max(attribute, self.attribute_box.sizeHint().width())
        wide_condition = (condition - self.operator_box.minimumSizeHint().width()
                          + self.operator_box.sizeHint().width() + 60)
        return fixed + wide_attribute + spacing + wide_condition, fixed + attribute, second

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As narrow as two lines allow: the group never forces sideways scrolling."""
        _, first, second = self._widths()
        return QSize(max(first, second), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int | None = None) -> None:
        """One line when it fits in ``width``, else the operator and value below."""
        one_line, _, _ = self._widths()
        wrap = (width if width is not None else self.width()) < one_line
        if wrap == self.wrapped:
            return
        self.wrapped = wrap
        if wrap:
            self.top.removeWidget(self.condition_part)
            self.bottom.addWidget(self.condition_part, 1)
        else:
            self.bottom.removeWidget(self.condition_part)
            self.top.insertWidget(self.top.count() - 1, self.condition_part, 5,
                                  Qt.AlignmentFlag.AlignTop)
        self.indent.setVisible(wrap)
        self.updateGeometry()

    # -- display ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Redisplay everything, e.g. after the profiles (and so the types) changed."""
        self.attribute_box.set_attributes(self.context.attributes, self.rule.attribute)
        self._sync()

    def set_rule(self, rule: Rule) -> None:
        """Show ``rule`` in this row (the condition changed elsewhere: undo, the JSON
        tab) without rebuilding it, so focus and a value being typed survive. A
        row now about another attribute or operator gets a fresh value editor."""
        old, self.rule = self.rule, rule
        if self.attribute_box.current_key() != rule.attribute:
            self.attribute_box.show_key(rule.attribute)
        if self.editor is not None and (old.attribute, old.op) != (rule.attribute, rule.op):
            self._replace_editor(self._make_editor(self.editor.kind, False))
        self._sync()

    def _info(self) -> AttributeInfo | None:
        return self.context.info(self.rule.attribute)

    def current_type(self) -> str:
        return row_type(self.rule, self._info())

    def _choices(self, kind: str) -> tuple[object, ...]:
        info = self._info()
        return info.allowed if info is not None and kind == "string" else ()

    def _make_editor(self, kind: str, refused: bool) -> ValueEditor:
        return make_editor(kind, self.rule.value, refused, self._choices(kind), self)

    def _sync(self) -> None:
        info = self._info()
        type_name = row_type(self.rule, info)
        with QSignalBlocker(self.type_box):
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(type_name)))
        # The catalogue decides the type of the attributes it describes: the box is
        # only shown where the author may need to choose (or the rule disagrees).
        self.type_box.setHidden(bool(info is not None and info.label and info.type == type_name))
        with QSignalBlocker(self.operator_box):
            self.operator_box.clear()
            for op in operators_for(type_name):
                self.operator_box.addItem(op.label, op.key)
                self.operator_box.setItemData(self.operator_box.count() - 1,
                                              f"{op.symbol}  ({op.key})",
                                              Qt.ItemDataRole.ToolTipRole)
            self.operator_box.setCurrentIndex(self.operator_box.findData(self.rule.op))
        kind = value_kind(type_name, self.rule.op, info.item_type if info else "string")
        refused = self.rule.error is not None and bool(self.rule.text)
        wanted = picker_class(kind, self.rule.value, refused, self._choices(kind))
        if self.editor is None or type(self.editor) is not wanted or self.editor.kind != kind:
            self._replace_editor(self._make_editor(kind, refused))
        assert self.editor is not None
        self.editor.set_suggestions(self.context.values.get(self.rule.attribute, []))
        self.editor.set_value(self.rule.value, self.rule.text if self.rule.error else None)
        self._show_key_and_unit(info, kind)
        self._show_problem(info, type_name)
        self._arrange()

    def _show_key_and_unit(self, info: AttributeInfo | None, kind: str) -> None:
        key = self.rule.attribute
        label = self.attribute_box.label_for(key)
        self.key_label.setText(key if key and label != key else "")
        self.key_label.setVisible(bool(self.key_label.text()))
        unit = info.unit if info is not None and kind in ("number", "number_list") else ""
        self.unit_label.setText(unit)
        self.unit_label.setVisible(bool(unit))
        tip = info.description if info is not None else ""
        self.attribute_box.lineEdit().setToolTip(
            f"{label} ({key}): {tip}" if key and label != key and tip else
            tip or self.attribute_box.toolTip())

    def _replace_editor(self, editor: ValueEditor) -> None:
        focus = self.focusWidget()
        had_focus = self.editor is not None and focus is not None and (
            self.editor.isAncestorOf(focus) or focus is self.editor)
        part = self.condition_part.layout()
        assert isinstance(part, QHBoxLayout)
        if self.editor is not None:
            part.removeWidget(self.editor)
            self.editor.deleteLater()
        self.editor = editor
        editor.setParent(self.condition_part)
        editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        part.insertWidget(1, editor, 1)
        editor.show()  # now, not when the event loop next runs: the row may be tested at once
        editor.edited.connect(self._value_edited)
        self.setTabOrder(self.operator_box, editor)
        self.setTabOrder(editor, self.remove)
        if had_focus:
            editor.setFocus()

    def _show_problem(self, info: AttributeInfo | None, type_name: str) -> None:
        assert self.editor is not None
        rule = self.rule
        if rule.error is not None and (rule.text or "").strip():
            self.editor.set_problem(rule.error, "error")
        elif rule.error is not None:
            self.editor.set_problem(None)
            if not self.editor.discrete:  # chips keep their how-to tooltip
                self.editor.field().setToolTip(rule.error.capitalize())
        else:
            warning = rule_warning(rule, info, type_name)
            self.editor.set_problem(warning and warning + " (kept as written)", "warning")

    def problem(self) -> str | None:
        """The refused input's reason, if any (for tests and the builder's summary)."""
        return self.rule.error if self.rule.error and (self.rule.text or "").strip() else None

    # -- edits -----------------------------------------------------------------------

    def _attribute_committed(self, key: str) -> None:
        if key == self.rule.attribute:
            self.attribute_box.show_key(key)
            return
        set_attribute(self.rule, key, self._info(), self.context.info(key))
        self.attribute_box.show_key(key)
        self._sync()
        self.edited.emit(False)

    def _type_chosen(self, index: int) -> None:
        new_type = self.type_box.itemData(index)
        old_type = self.current_type()
        if new_type == old_type:
            return
        info = self._info()
        item_type = info.item_type if info else "string"
        self.rule.type = new_type
        set_type(self.rule, old_type, new_type, item_type, item_type)
        self._sync()
        self.edited.emit(True)

    def _operator_chosen(self, index: int) -> None:
        op = self.operator_box.itemData(index)
        if op == self.rule.op:
            return
        info = self._info()
        type_name = self.current_type()
        if find_operator(type_name, op) is None:
            return
        if info is None or info.type != type_name:
            self.rule.type = type_name  # keep the row's type: the new value may not imply it
        set_operator(self.rule, op, type_name, info.item_type if info else "string")
        self._sync()
        self.edited.emit(True)

    def _value_edited(self, raw: object) -> None:
        assert self.editor is not None
        set_value(self.rule, self.editor.kind, raw)
        info = self._info()
        self._show_problem(info, self.current_type())
        self.edited.emit(self.editor.discrete)

    def _remove_clicked(self) -> None:
        self.removeRequested.emit(self)


class AdvancedRow(QWidget):
    """A part of the condition shown as JSON, read-only, kept exactly as written."""

    edited = Signal(bool)
    removeRequested = Signal(QWidget)

    def __init__(self, node: Advanced, context: RuleContext, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.node = node
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.handle = DragHandle("advanced rule", self)
        layout.addWidget(self.handle)
        badge = QLabel("advanced", self)
        badge.setObjectName("advancedBadge")
        self.badge = badge
        self.text = QLineEdit(self)
        self.text.setObjectName("advanced")
        self.text.setReadOnly(True)
        self.remove = remove_button("Remove this advanced rule", "removeRule", self)
        layout.addWidget(badge)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.remove)
        self.remove.clicked.connect(self._remove_clicked)
        self.set_node(node)

    def set_node(self, node: Advanced) -> None:
        """Show ``node`` (the condition changed elsewhere)."""
        self.node = node
        data = node_condition(node)
        self.text.setText(json.dumps(data, ensure_ascii=False, default=str))
        unknown = unknown_operators(data if isinstance(data, dict) else {})
        why = (f"It uses an unknown operator ({', '.join(unknown)}), so it never matches "
               f"anyone." if unknown else "It uses a construct the visual builder cannot "
               "edit (e.g. $elemMatch with a sub-condition, $type, $not on an operator).")
        tip = f"{why} It is kept exactly as written; change it in the JSON tab."
        for widget in (self.badge, self.text):
            widget.setToolTip(tip)

    def refresh(self) -> None:
        """Nothing depends on the profiles."""

    def _remove_clicked(self) -> None:
        self.removeRequested.emit(self)
