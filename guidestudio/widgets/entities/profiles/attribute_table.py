"""The selected sample profile's attributes: one row of name, type and value each.

Attributes are shown flat with dotted names (``account.seats``), as rules name
them; ``core.profile_rows`` turns them into rows and back. A value typed is a
set at its attribute's path, merged while typing; a rename, an added or removed
row rewrites the attributes as a whole. A value that does not fit its type
(``12x`` as a number) or a name clash is refused on the field and not written,
so ``profiles.yaml`` always loads.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from guidestudio.core.profile_rows import (
    AttributeRow,
    convert,
    flatten,
    free_attribute_name,
    kind_of,
    unflatten,
)
from guidestudio.core.rules.values import format_value, parse_value
from guidestudio.widgets.entities.profiles.table_box import ProfilePath, TableBox
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.marks import set_mark

#: (label, rule_values kind) of the attribute types offered.
TYPES = (("Text", "string"), ("Number", "number"), ("True/false", "bool"), ("Date", "date"),
         ("List of texts", "string_list"), ("List of numbers", "number_list"),
         ("Empty (null)", "none"))
TYPE_TIPS = ("What kind of value this is. Rules compare it the same way: numbers with "
             "greater/less than, dates before/after, lists with 'contains'.")


class AttributeEditors:
    """The three editors of one attribute row (kept so they can be read back)."""

    def __init__(self, name: QLineEdit, kind: QComboBox, value: QWidget) -> None:
        self.name, self.kind, self.value = name, kind, value


class AttributeTable(TableBox):
    """The attributes of the profile at ``profile_path()``; edits are document edits."""

    def __init__(self, document: EditableDocument, profile_path: ProfilePath,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            "Attributes", "What the product knows about this user, as rules see it: plan, "
            "country, account.seats… Nested attributes are written with dots.",
            ["Name", "Type", "Value"], stretch=2, select_rows=True,
            add=("Add &attribute", "Add an attribute to this sample user."),
            remove=("Remove attri&bute", "Remove the attribute whose row has the cursor."),
            parent=parent)
        self.document = document
        self.profile_path = profile_path
        self.rows: list[AttributeEditors] = []

    def fill(self) -> None:
        """Show the selected profile's attributes afresh."""
        rows = self._current_rows()
        self.rows = []
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for i, (name, value) in enumerate(rows):
            self._make_row(i, name, value)
        self.remove_button.setEnabled(bool(rows))

    def focus_attribute(self, name: str) -> None:
        """Put the cursor in the value of attribute ``name`` (or a group holding it)."""
        for i, row in enumerate(self.rows):
            if name and (name == row.name.text() or name.startswith(row.name.text() + ".")):
                row.value.setFocus(Qt.FocusReason.OtherFocusReason)
                self.table.setCurrentCell(i, 2)
                return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _make_row(self, i: int, name: str, value: Any) -> None:
        name_edit = QLineEdit(name)
        name_edit.setToolTip("The attribute's name as rules use it; a dot nests it "
                             "(account.seats).")
        name_edit.setAccessibleName(f"Attribute {i + 1} name")
        kind = QComboBox()
        for label, data in TYPES:
            kind.addItem(label, data)
        kind.setToolTip(TYPE_TIPS)
        kind.setAccessibleName(f"Attribute {i + 1} type")
        current = kind_of(value)
        plain = isinstance(value, dict) or (isinstance(value, list) and any(
            isinstance(v, (dict, list)) for v in value))
        kind.setCurrentIndex(max(kind.findData(current), 0))
        editor: QWidget
        if current == "bool":
            box = QComboBox()
            box.addItem("true", True)
            box.addItem("false", False)
            box.setCurrentIndex(0 if value else 1)
            box.currentIndexChanged.connect(lambda _i, r=i: self._value_edited(r))
            editor = box
        else:
            line = QLineEdit("" if current == "none" else format_value(current, value))
            line.setEnabled(current != "none")
            line.setPlaceholderText({"date": "YYYY-MM-DD", "string_list": "a, b, c",
                                     "number_list": "1, 2, 3"}.get(current, ""))
            line.textEdited.connect(lambda _t, r=i: self._value_edited(r))
            editor = line
        editor.setToolTip("The attribute's value." + (" Lists: separate items with commas."
                                                     if "list" in current else ""))
        editor.setAccessibleName(f"Attribute {i + 1} value")
        if plain:  # an object or a list of objects: kept as it is, edited in the file
            for widget in (name_edit, kind, editor):
                widget.setEnabled(False)
            editor.setToolTip("This value is an object; edit it in profiles.yaml.")
        name_edit.textEdited.connect(lambda _t, r=i: self._name_edited(r))
        kind.currentIndexChanged.connect(lambda _i, r=i: self._kind_changed(r))
        for column, widget in enumerate((name_edit, kind, editor)):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.table.setCellWidget(i, column, widget)
        self.rows.append(AttributeEditors(name_edit, kind, editor))

    # --- reading and writing -----------------------------------------------------------

    def _path(self, *parts: Any) -> tuple[Any, ...] | None:
        base = self.profile_path()
        return None if base is None else (*base, "attributes", *parts)

    def _current_rows(self) -> list[AttributeRow]:
        path = self._path()
        attributes = self.document.get(path) if path is not None else None
        return flatten(attributes) if isinstance(attributes, dict) else []

    def _write(self, rows: list[AttributeRow], text: str, merge: bool,
               mark: QWidget | None = None) -> bool:
        attributes, error = unflatten(rows)
        if mark is not None:
            set_mark(mark, "input", "error" if error else None,
                     f"Not saved: {error}" if error else "")
        path = self._path()
        if error is not None or path is None:
            return False
        self.document.set_value(path, attributes, text, origin=self, merge=merge)
        return True

    def _read_value(self, i: int) -> tuple[Any, str | None]:
        row = self.rows[i]
        kind = row.kind.currentData()
        if isinstance(row.value, QComboBox):
            return bool(row.value.currentData()), None
        text = row.value.text() if isinstance(row.value, QLineEdit) else ""
        if kind == "string":
            return text, None  # an empty text is a value too
        return parse_value(kind, text)

    # --- edits -------------------------------------------------------------------------

    def _name_edited(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        rows[i] = (self.rows[i].name.text().strip(), rows[i][1])
        self._write(rows, "Rename attribute", True, self.rows[i].name)

    def _value_edited(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        value, error = self._read_value(i)
        set_mark(self.rows[i].value, "input", "error" if error else None,
                 f"Not saved: {error}" if error else "")
        path = self._path(*rows[i][0].split("."))
        if error is None and path is not None:
            self.document.set_value(path, value, f"Edit attribute {rows[i][0]}", origin=self,
                                    merge=True)

    def _kind_changed(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        name, old = rows[i]
        value = convert(old, self.rows[i].kind.currentData())
        path = self._path(*name.split("."))
        if path is not None:
            self.document.set_value(path, value, f"Change type of {name}", origin=self,
                                    merge=False)
        self.fill()
        if i < len(self.rows):
            self.rows[i].kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_row(self) -> None:
        rows = self._current_rows()
        rows.append((free_attribute_name(rows), ""))
        if self._write(rows, "Add attribute", False):
            self.fill()
            row = self.rows[-1]
            self.table.setCurrentCell(len(self.rows) - 1, 0)
            row.name.setFocus(Qt.FocusReason.OtherFocusReason)
            row.name.selectAll()

    def remove_row(self) -> None:
        rows = self._current_rows()
        i = self.focused_row()
        if not 0 <= i < len(rows):
            return
        name = rows.pop(i)[0]
        if self._write(rows, f"Remove attribute {name}", False):
            self.fill()
            if self.rows:
                self.rows[min(i, len(self.rows) - 1)].name.setFocus(
                    Qt.FocusReason.OtherFocusReason)
