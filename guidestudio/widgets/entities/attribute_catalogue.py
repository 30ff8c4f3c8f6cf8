"""The attribute catalogue: what the product tells Guide Studio about each user, in words.

Part of the project settings page. A list of the attributes (label first, key
in grey) with add / remove / move, "Fill from sample profiles" (every
attribute the profiles hold and every event the guides use, with a label made
from its key for the author to reword), and below it the selected attribute's
label, key, type, unit, allowed values and description. Every change is one
undoable document edit; what the schema refuses is kept in the field with the
reason, as in every form. Warnings on an entry (a key described twice, an
allowed value of the wrong type) mark its row, and "go to the problem" selects it.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core import catalogue
from guidestudio.core.edits import MISSING
from guidestudio.core.model import Attribute
from guidestudio.core.rules.values import format_scalar, parse_number
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.chips_edit import ChipsEdit
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import Follower, combo, line_edit
from guidestudio.widgets.kit.icons import severity_icon
from guidestudio.widgets.kit.marks import set_mark
from guidestudio.widgets.rules.attribute_box import KEY_ROLE, AttributeDelegate

PATH = ("settings", "attributes")
TYPE_ROLE = Qt.ItemDataRole.UserRole + 3  # what AttributeDelegate shows in grey after the key
UNITS = ["%", "days", "times", "GB", "MB", "seats", "users", "€", "$"]
TYPE_HELP = {
    "string": "Text, e.g. a plan or a country code.",
    "number": "A number, e.g. how full the storage is.",
    "boolean": "Yes or no (true or false in the product).",
    "date": "A date written as 2026-12-01 (or with a time).",
    "version": "A version such as 2.4.1; 2.10 is newer than 2.9.",
    "list": "A list of texts, e.g. the features a user has switched on.",
}


def _parse_allowed(type_name: str | None, text: str) -> tuple[Any, str | None]:
    """One allowed value, typed as the attribute's type needs it."""
    text = text.strip()
    if not text:
        return text, "type a value first"
    if type_name == "number":
        number = parse_number(text)
        return (number, None) if number is not None else (
            text, f"{text!r} is not a number, and this attribute is a number")
    if type_name == "boolean":
        if text.lower() in ("true", "false"):
            return text.lower() == "true", None
        return text, "a yes/no attribute takes true or false"
    return text, None


class _RowAnchor(QWidget):
    """Stands for entry ``index`` in the form's field registry: its problems mark
    the entry's row, and going to a problem there selects the entry."""

    def __init__(self, box: AttributeCatalogueBox, index: int) -> None:
        super().__init__(box)
        self.box = box
        self.index = index
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()

    def show_problems(self, items: list[tuple[str, str, str]]) -> None:
        self.box.mark_row(self.index, items)

    def setFocus(self, *args: Any) -> None:  # noqa: N802 - called by the form's focus_field
        self.box.select(self.index)
        self.box.label.setFocus(Qt.FocusReason.OtherFocusReason)


class AttributeCatalogueBox(QGroupBox):
    """The catalogue's list and the selected attribute's form."""

    def __init__(self, document: EditableDocument, marks: FieldMarks,
                 parent: QWidget | None = None) -> None:
        super().__init__("Attributes your product sends", parent)
        self.document = document
        self.marks = marks
        self.setToolTip("Name the user attributes in your words: rules, the preview's verdict "
                        "and Problems then show labels instead of keys. Only for Guide "
                        "Studio: nothing of it is exported.")
        self.bindings: list[Binding] = []
        self._anchors: list[_RowAnchor] = []
        outer = QVBoxLayout(self)

        intro = QLabel("Labels, units and allowed values for the attributes rules test. "
                       "Only used in Guide Studio; exports are unchanged.", self)
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("attributeList")
        self.list.setItemDelegate(AttributeDelegate(self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(True)
        self.list.setToolTip("The attributes your product sends. Select one to edit it.")
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 6)
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 12)
        self.list.currentRowChanged.connect(self._selected)
        outer.addWidget(self.list)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip("Add an attribute at the end of the list.")
        self.add_button.clicked.connect(self.add_attribute)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected attribute from the catalogue "
                                      "(rules that use it are not changed).")
        self.remove_button.clicked.connect(self.remove_attribute)
        self.up_button = self._tool("↑", "Move the selected attribute up: the rule builder "
                                    "lists attributes in this order.", -1)
        self.down_button = self._tool("↓", "Move the selected attribute down.", 1)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        fill = QHBoxLayout()
        self.fill_button = QPushButton("Fill from sample profiles", self)
        self.fill_button.setToolTip(
            "Add every attribute the sample profiles hold and the counters of every event "
            "the profiles and guides use, with labels made from their keys. Attributes "
            "already in the list are kept as they are.")
        self.fill_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.fill_button.clicked.connect(self.fill_from_profiles)
        self.fill_note = QLabel(self)
        self.fill_note.setObjectName("fillNote")
        self.fill_note.setWordWrap(True)
        fill.addWidget(self.fill_button)
        fill.addWidget(self.fill_note, 1)
        outer.addLayout(fill)

        self.details = QWidget(self)
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.label = line_edit("What authors read instead of the key, e.g. \"Days since last "
                               "login\".", "e.g. Storage used")
        self.key = line_edit("The attribute exactly as the product sends it and conditions "
                             "name it; dots reach nested values (account.age_days).",
                             "e.g. storage_used_pct")
        self.type = combo("How values of this attribute compare in rules.",
                          [("Not set (as the sample profiles show it)", None)]
                          + [(catalogue.CATALOGUE_TYPE_LABELS[t].capitalize(), t)
                             for t in catalogue.CATALOGUE_TYPES])
        for i, type_name in enumerate(catalogue.CATALOGUE_TYPES, start=1):
            self.type.setItemData(i, TYPE_HELP[type_name], Qt.ItemDataRole.ToolTipRole)
        self.unit = QComboBox(self)
        self.unit.setEditable(True)
        self.unit.addItems(UNITS)
        self.unit.setCurrentIndex(-1)
        self.unit.setToolTip("Shown after numbers in rules and sentences, e.g. % or days. "
                             "Pick one or type your own.")
        self.unit.lineEdit().setPlaceholderText("none")
        self.unit.lineEdit().setToolTip(self.unit.toolTip())
        self.allowed = ChipsEdit(self, parse=self._parse_allowed, display=format_scalar,
                                 noun="value")
        self.allowed.setObjectName("allowedValues")
        self.allowed.setToolTip("The only values the product sends, e.g. the plans: rules "
                                "then offer them in a list, and a rule using another value "
                                "is flagged. Leave empty when any value can come.")
        self.allowed.line.setPlaceholderText("a value, then Enter")
        self.description = line_edit("A note for your team: what it means, where it comes "
                                     "from.", "optional")
        form.addRow("&Label", self.label)
        form.addRow("&Key", self.key)
        form.addRow("T&ype", self.type)
        form.addRow("&Unit", self.unit)
        form.addRow("Allowed &values", self.allowed)
        form.addRow("Descri&ption", self.description)
        outer.addWidget(self.details)

        self._bind(self.label, "label", "Change attribute label")
        self._bind(self.key, "key", "Change attribute key", optional=False)
        self._bind(self.type, "type", "Change attribute type")
        self._bind(self.unit.lineEdit(), "unit", "Change attribute unit", watch=self.unit)
        # A unit picked from the list is saved like a typed one (the binding follows typing).
        self.unit.textActivated.connect(self.unit.lineEdit().textEdited.emit)
        self._bind(self.description, "description", "Change attribute description")
        self.allowed.itemsEdited.connect(self._allowed_edited)
        marks.watch(self.allowed, lambda: self._field("allowed"))
        Follower(document, lambda: PATH, self.fill, self)
        self.fill()

    def _tool(self, text: str, tip: str, step: int) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(":")[0])
        button.clicked.connect(lambda: self.move_attribute(step))
        return button

    def _bind(self, widget: QWidget, name: str, text: str, optional: bool = True,
              watch: QWidget | None = None) -> None:
        binding = bind(widget, self.document, lambda: self._path(name), text=text,
                       optional=optional)
        self.bindings.append(binding)
        self.marks.watch(watch or widget, lambda: self._field(name))

    # --- reading -----------------------------------------------------------------------

    def attributes(self) -> list[Attribute]:
        return list(self.document.project.settings.attributes)

    def current(self) -> int:
        row = self.list.currentRow()
        return row if 0 <= row < len(self.attributes()) else -1

    def _path(self, *parts: str) -> tuple[Any, ...] | None:
        """The document path of the selected entry's field (None: nothing selected)."""
        row = self.current()
        return None if row < 0 else (*PATH, row, *parts)

    def _field(self, *parts: str) -> tuple[Any, ...] | None:
        """The same field inside the settings file, as problems name it."""
        path = self._path(*parts)
        return None if path is None else path[1:]

    # --- showing -----------------------------------------------------------------------

    def fill(self) -> None:
        """Show the catalogue (after any change to it: an edit here, undo, a reload)."""
        attributes = self.attributes()
        row = self.list.currentRow()
        before = (row, self.list.count())
        with QSignalBlocker(self.list):
            self.list.clear()
            for entry in attributes:
                item = QListWidgetItem(entry.label or entry.key)
                item.setData(KEY_ROLE, entry.key)
                words = catalogue.CATALOGUE_TYPE_LABELS.get(entry.type or "", "")
                if entry.unit:
                    words = f"{words} ({entry.unit})" if words else entry.unit
                item.setData(TYPE_ROLE, words)
                item.setToolTip(entry.description or entry.key)
                self.list.addItem(item)
            self.list.setCurrentRow(min(max(row, 0), len(attributes) - 1)
                                    if attributes else -1)
        self._sync_anchors(len(attributes))
        if (self.list.currentRow(), self.list.count()) != before:
            self._selected()  # entries came or went: the fields show another one now
        else:
            self._show_selected()  # (typing in a field here must not be refreshed under it)
        self.marks.update()

    def _sync_anchors(self, count: int) -> None:
        while len(self._anchors) > count:
            self._anchors.pop().deleteLater()
        while len(self._anchors) < count:
            anchor = _RowAnchor(self, len(self._anchors))
            self._anchors.append(anchor)
            self.marks.watch(anchor, lambda i=anchor.index: (*PATH[1:], i))

    def mark_row(self, index: int, items: list[tuple[str, str, str]]) -> None:
        item = self.list.item(index)
        if item is None:
            return
        entry = self.attributes()[index] if index < len(self.attributes()) else None
        base = (entry.description or entry.key) if entry is not None else ""
        if items:
            worst = "error" if any(s == "error" for _, s, _ in items) else "warning"
            item.setIcon(severity_icon(worst))
            item.setToolTip("\n".join(f"⚠ {message}" for _, _, message in items))
        else:
            item.setIcon(QIcon())
            item.setToolTip(base)

    def select(self, index: int) -> None:
        self.list.setCurrentRow(index)

    def _selected(self, *_: Any) -> None:
        """Another entry was selected: its fields show it (bindings follow the
        document by themselves, so a change of the catalogue does not need this)."""
        for binding in self.bindings:
            binding.refresh()
        self._show_selected()

    def _show_selected(self) -> None:
        row = self.current()
        self.details.setEnabled(row >= 0)
        entry = self.attributes()[row] if row >= 0 else None
        with QSignalBlocker(self.allowed):
            self.allowed.set_items(list(entry.allowed) if entry is not None else [])
        count = len(self.attributes())
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # --- editing -----------------------------------------------------------------------

    def _parse_allowed(self, text: str) -> tuple[Any, str | None]:
        row = self.current()
        type_name = self.attributes()[row].type if row >= 0 else None
        return _parse_allowed(type_name, text)

    def _allowed_edited(self, items: list[Any]) -> None:
        path = self._path("allowed")
        if path is None:
            return
        self.document.set_value(path, list(items) if items else MISSING,
                                "Change allowed values", origin=self)

    def add_attribute(self) -> None:
        """A new entry at the end, its key ready to be typed over."""
        taken = {a.key for a in self.attributes()}
        key = next(f"attribute_{n}" for n in range(1, len(taken) + 2)
                   if f"attribute_{n}" not in taken)
        count = len(self.attributes())
        self.document.insert_item(PATH, count, Attribute(key), "Add attribute", origin=self)
        self.list.setCurrentRow(count)
        self.key.setFocus(Qt.FocusReason.OtherFocusReason)
        self.key.selectAll()

    def remove_attribute(self) -> None:
        row = self.current()
        if row < 0:
            return
        entry = self.attributes()[row]
        self.document.remove_item(PATH, row, f"Remove attribute {entry.label or entry.key}",
                                  origin=self)

    def move_attribute(self, step: int) -> None:
        row = self.current()
        dest = row + step
        if row < 0 or not 0 <= dest < len(self.attributes()):
            return
        entry = self.attributes()[row]
        self.document.move_item(PATH, row, dest, f"Move attribute {entry.label or entry.key}",
                                origin=self)
        self.list.setCurrentRow(dest)

    def fill_from_profiles(self) -> int:
        """Add what the project uses and the catalogue lacks (one undo step); how many."""
        proposed = catalogue.propose(self.document.project)
        if not proposed:
            self.fill_note.setText("Nothing to add: every attribute of the sample profiles "
                                   "and every event the guides use is described.")
            set_mark(self.fill_note, "input", None)
            return 0
        merged = copy.deepcopy(self.attributes()) + proposed
        first_new = len(self.attributes())
        self.document.set_value(PATH, merged, "Fill attribute catalogue from sample profiles",
                                origin=self)
        self.fill_note.setText(f"Added {len(proposed)} attribute"
                               f"{'s' if len(proposed) != 1 else ''}; check their labels.")
        self.list.setCurrentRow(first_new)
        return len(proposed)


__all__ = ["AttributeCatalogueBox"]
