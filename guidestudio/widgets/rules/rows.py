"""One row of the rule builder: attribute, type, operator, value — or, for what
the builder cannot edit, a read-only "advanced" row that keeps it verbatim.

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

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
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
from guidestudio.widgets.rules.value_editors import ValueEditor, editor_class, make_editor

_TYPE_ROLE = Qt.ItemDataRole.UserRole + 1


class RuleContext:
    """What all rows of one builder share: the attributes of the sample profiles,
    the values they hold (suggestions for list values), and a token naming the
    builder so a drag from another builder's rows is not taken for one of ours."""

    def __init__(self) -> None:
        self.attributes: dict[str, AttributeInfo] = {}
        self.values: dict[str, list[str]] = {}
        self.token = uuid.uuid4().hex

    def info(self, path: str) -> AttributeInfo | None:
        return self.attributes.get(path)


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


class _TypeDelegate(QStyledItemDelegate):
    """Shows each suggested attribute with its type ("plan · text") in the list."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        label = index.data(_TYPE_ROLE)
        if label:
            option.text = f"{option.text}  ·  {label}"


def remove_button(tooltip: str, name: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText("✕")
    button.setObjectName(name)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.setAutoRaise(True)
    return button


class AttributeBox(QComboBox):
    """Editable attribute name with suggestions from the profiles. Reports the
    name when the author commits it (Enter, leaving the box, picking from the
    list), not on every keystroke, so half-typed names never reach the condition."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attribute")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setItemDelegate(_TypeDelegate(self))
        self.lineEdit().setPlaceholderText("attribute, e.g. plan")
        self.setToolTip("The user attribute to test; dotted paths reach nested values "
                        "(account.age_days). events.<name>.last_7d counts product events.")
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lineEdit().editingFinished.connect(self._commit)
        self.textActivated.connect(self._commit)

    def set_attributes(self, infos: dict[str, AttributeInfo], current: str) -> None:
        with QSignalBlocker(self):
            self.clear()
            for info in infos.values():
                self.addItem(info.path)
                self.setItemData(self.count() - 1, info.description, Qt.ItemDataRole.ToolTipRole)
                self.setItemData(self.count() - 1, TYPE_LABELS.get(info.type, info.type),
                                 _TYPE_ROLE)
            self.setCurrentIndex(-1)
            self.setEditText(current)

    def _commit(self, *_: object) -> None:
        self.committed.emit(self.currentText().strip())


class RuleRow(QWidget):
    edited = Signal(bool)  # discrete: an undo step of its own (see the module docstring)
    removeRequested = Signal(QWidget)

    def __init__(self, rule: Rule, context: RuleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule = rule
        self.context = context
        self.editor: ValueEditor | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.handle = DragHandle("rule", self)
        layout.addWidget(self.handle)
        self.attribute_box = AttributeBox(self)
        self.type_box = QComboBox(self)
        self.type_box.setObjectName("type")
        self.type_box.setToolTip("How the value is compared; inferred from the sample "
                                 "profiles, change it for attributes they don't have.")
        for type_name in TYPES:
            self.type_box.addItem(TYPE_LABELS[type_name], type_name)
        self.operator_box = QComboBox(self)
        self.operator_box.setObjectName("operator")
        self.operator_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.operator_box.setMinimumContentsLength(18)
        self.operator_box.setToolTip("How the attribute is compared with the value; the "
                                     "choices fit the attribute's type.")
        self.remove = remove_button("Remove this rule", "removeRule", self)
        layout.addWidget(self.attribute_box, 3)
        layout.addWidget(self.type_box)
        layout.addWidget(self.operator_box, 2)
        self._value_slot = layout.count()
        layout.addWidget(self.remove)
        self.attribute_box.committed.connect(self._attribute_committed)
        self.type_box.activated.connect(self._type_chosen)
        self.operator_box.activated.connect(self._operator_chosen)
        self.remove.clicked.connect(self._remove_clicked)
        self.setFocusProxy(self.attribute_box)
        self.refresh()

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
        if self.attribute_box.currentText().strip() != rule.attribute:
            with QSignalBlocker(self.attribute_box):
                self.attribute_box.setEditText(rule.attribute)
        if self.editor is not None and (old.attribute, old.op) != (rule.attribute, rule.op):
            self._replace_editor(make_editor(self.editor.kind, rule.value, False, self))
        self._sync()

    def _info(self) -> AttributeInfo | None:
        return self.context.info(self.rule.attribute)

    def current_type(self) -> str:
        return row_type(self.rule, self._info())

    def _sync(self) -> None:
        info = self._info()
        type_name = row_type(self.rule, info)
        with QSignalBlocker(self.type_box):
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(type_name)))
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
        wanted = editor_class(kind, self.rule.value, refused)
        if self.editor is None or type(self.editor) is not wanted or self.editor.kind != kind:
            self._replace_editor(make_editor(kind, self.rule.value, refused, self))
        assert self.editor is not None
        self.editor.set_suggestions(self.context.values.get(self.rule.attribute, []))
        self.editor.set_value(self.rule.value, self.rule.text if self.rule.error else None)
        self._show_problem(info, type_name)

    def _replace_editor(self, editor: ValueEditor) -> None:
        focus = self.focusWidget()
        had_focus = self.editor is not None and focus is not None and (
            self.editor.isAncestorOf(focus) or focus is self.editor)
        if self.editor is not None:
            self.layout().removeWidget(self.editor)
            self.editor.deleteLater()
        self.editor = editor
        editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.layout().insertWidget(self._value_slot, editor, 3)
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

    def _attribute_committed(self, text: str) -> None:
        if text == self.rule.attribute:
            return
        set_attribute(self.rule, text, self._info(), self.context.info(text))
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
