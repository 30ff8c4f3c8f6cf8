"""``profiles.yaml`` as an editor: the sample users guides are tested against.

Sample profiles feed the rule builder ("matches 2 of 5 sample profiles"), its
attribute suggestions, the preview and the simulator, so a marketer needs to
shape them without a text editor. A profile is an id, a name, attributes and
an event history; the attributes are shown flat, with dotted names
(``account.seats``), which is how rules name them too.

Every change is one document edit (add, duplicate, remove and move are list
edits of ``profiles``; a value typed is a set at its attribute's path, merged
while typing). A value that does not fit its type (``12x`` as a number) or a
name clash is refused inline and not written, so the file always loads.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, QSignalBlocker, Qt
from PySide6.QtGui import QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.model import Profile
from guidestudio.core.rules.values import DATE_RE, date_error, format_value, is_number, parse_value
from guidestudio.core.schema_patterns import EVENT_PATTERN, ID_PATTERN
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import FORM_STYLE, line_edit
from guidestudio.widgets.kit.marks import set_mark

#: (label, rule_values kind) of the attribute types offered.
TYPES = (("Text", "string"), ("Number", "number"), ("True/false", "bool"), ("Date", "date"),
         ("List of texts", "string_list"), ("List of numbers", "number_list"),
         ("Empty (null)", "none"))
TYPE_TIPS = ("What kind of value this is. Rules compare it the same way: numbers with "
             "greater/less than, dates before/after, lists with 'contains'.")
_ID_RE = re.compile(ID_PATTERN)
_EVENT_RE = re.compile(EVENT_PATTERN)
Row = tuple[str, Any]


def kind_of(value: Any) -> str:
    """The type an attribute value is edited as."""
    if value is None:
        return "none"
    if type(value) is bool:
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, list):
        return "number_list" if value and all(is_number(v) for v in value) else "string_list"
    if isinstance(value, str) and DATE_RE.fullmatch(value) and len(value) == 10 \
            and date_error(value) is None:
        return "date"
    return "string"


def flatten(attributes: dict[str, Any], prefix: str = "") -> list[Row]:
    """(dotted name, value) for every value in ``attributes``; empty groups stay whole."""
    rows: list[Row] = []
    for key, value in attributes.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            rows.extend(flatten(value, name))
        else:
            rows.append((name, value))
    return rows


def unflatten(rows: list[Row]) -> tuple[dict[str, Any], str | None]:
    """The nested attributes the rows describe, or an error saying which names clash."""
    out: dict[str, Any] = {}
    for name, value in rows:
        parts = name.split(".")
        if not name or any(not p for p in parts):
            return out, f"{name!r} is not an attribute name: no empty parts around dots"
        node = out
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                return out, f"{part!r} is a value, so {name!r} cannot be inside it"
            node = child
        if parts[-1] in node:
            return out, f"there are two attributes called {name!r}"
        node[parts[-1]] = copy.deepcopy(value)
    return out, None


def event_rows(events: dict[str, dict[str, int]] | None) -> list[tuple[str, str, int]]:
    return [(event, day, count) for event, days in (events or {}).items()
            for day, count in days.items()]


def build_events(rows: list[tuple[str, str, int]]) -> tuple[dict[str, dict[str, int]], str | None]:
    out: dict[str, dict[str, int]] = {}
    for event, day, count in rows:
        if not _EVENT_RE.fullmatch(event):
            return out, (f"{event!r} is not an event name: letters, digits and _ . : - only"
                         if event else "name the event, e.g. login")
        if day in out.get(event, {}):
            return out, f"{event} has two counts for {day}: change the day of one"
        out.setdefault(event, {})[day] = count
    return out, None


def free_id(taken: set[str], base: str) -> str:
    base = re.sub(r"[^a-z0-9_-]+", "-", base.lower()).strip("-_")[:56] or "user"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class _AttributeRow:
    """The three editors of one attribute row (kept so they can be read back)."""

    def __init__(self, name: QLineEdit, kind: QComboBox, value: QWidget) -> None:
        self.name, self.kind, self.value = name, kind, value


class ProfilesEditor(QWidget):
    """The sample profiles: a list to pick one, its id and name, attributes and events."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setStyleSheet(FORM_STYLE)
        self.marks = FieldMarks(document, lambda: ("profiles", ""), self)
        self.bindings: list[Binding] = []
        self._rows: list[_AttributeRow] = []
        self._events: list[tuple[QLineEdit, QDateEdit, QSpinBox]] = []
        outer = QVBoxLayout(self)
        header = QLabel("Sample profiles — made-up users to test guides against "
                        "(profiles.yaml)", self)
        header.setStyleSheet("font-weight: bold;")
        outer.addWidget(header)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(splitter, 1)
        splitter.addWidget(self._list_side())
        splitter.addWidget(self._detail_side())
        splitter.setStretchFactor(1, 3)
        document.changed.connect(self._document_changed)
        document.reset.connect(self.refresh)
        self.refresh()

    # --- building ----------------------------------------------------------------------

    def _button(self, text: str, tip: str, slot: Any, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(slot)
        return button

    def _list_side(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(side)
        self.list.setToolTip("The sample users. The rule builder counts how many of them a "
                             "rule matches, the preview can show a guide as one of them.")
        self.list.setAccessibleName("Sample profiles")
        self.list.currentRowChanged.connect(self._selected)
        label = QLabel("&Profiles", side)
        label.setBuddy(self.list)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.add_button = self._button("&New", "Add a sample user.", self.add_profile, side)
        self.duplicate_button = self._button("D&uplicate", "Copy the selected sample user "
                                             "(e.g. to vary one attribute).",
                                             self.duplicate_profile, side)
        self.remove_button = self._button("Remo&ve", "Remove the selected sample user "
                                          "(Undo brings it back).", self.remove_profile, side)
        self.up_button = self._button("Move &up", "Move the selected sample user up.",
                                      lambda: self.move_profile(-1), side)
        self.down_button = self._button("Move do&wn", "Move the selected sample user down.",
                                        lambda: self.move_profile(1), side)
        for button in (self.add_button, self.duplicate_button, self.remove_button):
            row1.addWidget(button)
        for button in (self.up_button, self.down_button):
            row2.addWidget(button)
        layout.addLayout(row1)
        layout.addLayout(row2)
        return side

    def _detail_side(self) -> QWidget:
        self.detail = QWidget(self)
        layout = QVBoxLayout(self.detail)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.id_field = line_edit("The profile's id, unique among the sample users: lower-case "
                                  "letters, digits, '-' and '_'.", pattern=ID_PATTERN)
        self.id_field.setValidator(_UniqueId(self, self.id_field))
        self.name = line_edit("Who this sample user is, for your team: e.g. 'Emma — free "
                              "plan, storage full'.", "e.g. Emma — free plan")
        form.addRow("&Id", self.id_field)
        form.addRow("&Name", self.name)
        layout.addLayout(form)
        self._bind(self.id_field, "id", optional=False, text="Change profile id")
        self._bind(self.name, "name", text="Rename profile")

        attributes, self.attributes, self.add_attribute_button, self.remove_attribute_button = \
            self._table_box(
                "Attributes", "What the product knows about this user, as rules see it: plan, "
                "country, account.seats… Nested attributes are written with dots.",
                ["Name", "Type", "Value"], stretch=2, select_rows=True,
                add=("Add &attribute", "Add an attribute to this sample user.",
                     self.add_attribute),
                remove=("Remove attri&bute", "Remove the attribute whose row has the cursor.",
                        self.remove_attribute))
        layout.addWidget(attributes, 2)
        self.marks.watch(self.attributes, lambda: self._inner("attributes"))

        events, self.events, self.add_event_button, self.remove_event_button = \
            self._table_box(
                "Events", "What this user did, per day: the product counts events it is told "
                "about, and rules use them as events.<name>.count, last_7d, last_30d and "
                "days_since.", ["Event", "Day", "Count"], stretch=0, select_rows=False,
                add=("Add &event", "Add a count of an event on a day.", self.add_event),
                remove=("Remove even&t", "Remove the event row that has the cursor.",
                        self.remove_event))
        layout.addWidget(events, 1)
        self.marks.watch(self.events, lambda: self._inner("events"))
        return self.detail

    def _table_box(self, title: str, tip: str, headers: list[str], stretch: int,
                   select_rows: bool, add: tuple[str, str, Any],
                   remove: tuple[str, str, Any]) -> tuple[QGroupBox, QTableWidget,
                                                          QPushButton, QPushButton]:
        """A titled table with Add/Remove buttons under it (attributes, events)."""
        group = QGroupBox(title, self.detail)
        group.setToolTip(tip)
        box = QVBoxLayout(group)
        table = QTableWidget(0, len(headers), group)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        if select_rows:
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)  # Tab moves between the row's editors
        table.setAccessibleName(title)
        box.addWidget(table, 1)
        buttons = QHBoxLayout()
        add_button = self._button(*add, group)
        remove_button = self._button(*remove, group)
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        return group, table, add_button, remove_button

    def _bind(self, widget: QWidget, key: str, **options: Any) -> None:
        self.bindings.append(bind(widget, self.document, lambda: self.path(key), **options))
        self.marks.watch(widget, lambda: self._inner(key))

    # --- the editor area's API ---------------------------------------------------------

    def set_item(self, _key: str = "") -> None:
        self.refresh()

    def focus_field(self, field: str) -> None:
        """``profiles[2].attributes.plan``: select profile 2 and focus that row."""
        match = re.match(r"profiles\[(\d+)\]\.?(\w*)\.?(.*)", field or "")
        if match is None:
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.select(int(match.group(1)))
        part, rest = match.group(2), match.group(3)
        if part == "attributes":
            for i, row in enumerate(self._rows):
                if rest and (rest == row.name.text() or rest.startswith(row.name.text() + ".")):
                    row.value.setFocus(Qt.FocusReason.OtherFocusReason)
                    self.attributes.setCurrentCell(i, 2)
                    return
            self.attributes.setFocus(Qt.FocusReason.OtherFocusReason)
        elif part == "events":
            self.events.setFocus(Qt.FocusReason.OtherFocusReason)
        elif part == "name":
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.id_field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- selection ---------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self.document.project.profiles

    def current(self) -> int:
        row = self.list.currentRow()
        return row if 0 <= row < len(self.profiles()) else -1

    def profile(self) -> Profile | None:
        row = self.current()
        return self.profiles()[row] if row >= 0 else None

    def path(self, *parts: Any) -> tuple[Any, ...] | None:
        row = self.current()
        return None if row < 0 else ("profiles", row, *parts)

    def _inner(self, *parts: Any) -> tuple[Any, ...] | None:
        return self.path(*parts)  # profiles.yaml is the entity: paths start at "profiles"

    def select(self, row: int) -> None:
        self.list.setCurrentRow(row)
        self._selected()

    def refresh(self) -> None:
        self._fill_list()
        self._selected()

    def _fill_list(self) -> None:
        labels = [f"{p.name or p.id} ({p.id})" if p.name else p.id for p in self.profiles()]
        shown = [self.list.item(i).text() for i in range(self.list.count())]
        if labels == shown:
            return
        row = self.list.currentRow()
        with QSignalBlocker(self.list):
            self.list.clear()
            self.list.addItems(labels)
            for i, profile in enumerate(self.profiles()):
                self.list.item(i).setToolTip(f"id: {profile.id}")
            self.list.setCurrentRow(min(max(row, 0), len(labels) - 1) if labels else -1)

    def _selected(self, *_: Any) -> None:
        for binding in self.bindings:
            binding.refresh()
        self._fill_attributes()
        self._fill_events()
        has = self.profile() is not None
        self.detail.setEnabled(has)
        row = self.current()
        self.duplicate_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.profiles()) - 1)
        self.marks.update()

    def _document_changed(self, change: Any) -> None:
        if not change.touches(("profiles",)):
            return
        self._fill_list()
        if change.origin is self or change.origin in self.bindings:
            return  # typed here: rebuilding the rows would take the cursor away
        self._selected()

    # --- the list ----------------------------------------------------------------------

    def add_profile(self) -> None:
        taken = {p.id for p in self.profiles()}
        new_id = free_id(taken, "user")
        profile = Profile(id=new_id, name="New sample user", attributes={"id": new_id})
        row = len(self.profiles())
        self.document.insert_item(("profiles",), row, profile, "Add sample profile",
                                  origin=self)
        self._fill_list()
        self.select(row)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name.selectAll()

    def duplicate_profile(self) -> None:
        source = self.profile()
        if source is None:
            return
        copy_ = copy.deepcopy(source)
        copy_.id = free_id({p.id for p in self.profiles()}, f"{source.id}-copy")
        copy_.name = f"{source.name or source.id} (copy)"
        row = self.current() + 1
        self.document.insert_item(("profiles",), row, copy_,
                                  f"Duplicate sample profile {source.id}", origin=self)
        self._fill_list()
        self.select(row)

    def remove_profile(self) -> None:
        row = self.current()
        if row < 0:
            return
        self.document.remove_item(("profiles",), row,
                                  f"Remove sample profile {self.profiles()[row].id}", origin=self)
        self._fill_list()
        self.select(min(row, len(self.profiles()) - 1))

    def move_profile(self, step: int) -> None:
        row, dest = self.current(), self.current() + step
        if row < 0 or not 0 <= dest < len(self.profiles()):
            return
        self.document.move_item(("profiles",), row, dest,
                                f"Move sample profile {self.profiles()[row].id}", origin=self)
        with QSignalBlocker(self.list):
            self.list.clear()
        self._fill_list()
        self.select(dest)

    # --- attributes --------------------------------------------------------------------

    def _fill_attributes(self) -> None:
        profile = self.profile()
        rows = flatten(profile.attributes) if profile is not None else []
        self._rows = []
        self.attributes.setRowCount(0)
        self.attributes.setRowCount(len(rows))
        for i, (name, value) in enumerate(rows):
            self._make_attribute_row(i, name, value)
        self.remove_attribute_button.setEnabled(bool(rows))

    def _make_attribute_row(self, i: int, name: str, value: Any) -> None:
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
            self.attributes.setCellWidget(i, column, widget)
        self._rows.append(_AttributeRow(name_edit, kind, editor))

    def _current_rows(self) -> list[Row]:
        profile = self.profile()
        return flatten(profile.attributes) if profile is not None else []

    def _attribute_path(self, name: str) -> tuple[Any, ...] | None:
        base = self.path("attributes")
        return None if base is None else (*base, *name.split("."))

    def _write_attributes(self, rows: list[Row], text: str, merge: bool,
                          mark: QWidget | None = None) -> bool:
        attributes, error = unflatten(rows)
        if mark is not None:
            set_mark(mark, "input", "error" if error else None,
                     f"Not saved: {error}" if error else "")
        path = self.path("attributes")
        if error is not None or path is None:
            return False
        self.document.set_value(path, attributes, text, origin=self, merge=merge)
        return True

    def _name_edited(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        rows[i] = (self._rows[i].name.text().strip(), rows[i][1])
        self._write_attributes(rows, "Rename attribute", True, self._rows[i].name)

    def _read_value(self, i: int) -> tuple[Any, str | None]:
        row = self._rows[i]
        kind = row.kind.currentData()
        if isinstance(row.value, QComboBox):
            return bool(row.value.currentData()), None
        text = row.value.text() if isinstance(row.value, QLineEdit) else ""
        if kind == "string":
            return text, None  # an empty text is a value too
        return parse_value(kind, text)

    def _value_edited(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        value, error = self._read_value(i)
        set_mark(self._rows[i].value, "input", "error" if error else None,
                 f"Not saved: {error}" if error else "")
        path = self._attribute_path(rows[i][0])
        if error is None and path is not None:
            self.document.set_value(path, value, f"Edit attribute {rows[i][0]}", origin=self,
                                    merge=True)

    def _kind_changed(self, i: int) -> None:
        rows = self._current_rows()
        if not 0 <= i < len(rows):
            return
        name, old = rows[i]
        kind = self._rows[i].kind.currentData()
        value = convert(old, kind)
        path = self._attribute_path(name)
        if path is not None:
            self.document.set_value(path, value, f"Change type of {name}", origin=self,
                                    merge=False)
        self._fill_attributes()
        if i < len(self._rows):
            self._rows[i].kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_attribute(self) -> None:
        rows = self._current_rows()
        taken = {name for name, _ in rows}
        name, n = "attribute", 2
        while name in taken or any(t.startswith(name + ".") for t in taken):
            name, n = f"attribute_{n}", n + 1
        rows.append((name, ""))
        if self._write_attributes(rows, "Add attribute", False):
            self._fill_attributes()
            row = self._rows[-1]
            self.attributes.setCurrentCell(len(self._rows) - 1, 0)
            row.name.setFocus(Qt.FocusReason.OtherFocusReason)
            row.name.selectAll()

    def remove_attribute(self) -> None:
        rows = self._current_rows()
        i = self._focused_row(self.attributes, [r.name for r in self._rows]
                              + [r.kind for r in self._rows] + [r.value for r in self._rows])
        if not 0 <= i < len(rows):
            return
        name = rows.pop(i)[0]
        if self._write_attributes(rows, f"Remove attribute {name}", False):
            self._fill_attributes()
            if self._rows:
                self._rows[min(i, len(self._rows) - 1)].name.setFocus(
                    Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _focused_row(table: QTableWidget, _widgets: list[QWidget]) -> int:
        """The row holding the focused editor, else the table's current row."""
        focus = table.focusWidget() if table.focusWidget() is not None else None
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                widget = table.cellWidget(row, column)
                if widget is not None and focus is not None and (
                        widget is focus or widget.isAncestorOf(focus)):
                    return row
        return table.currentRow() if table.currentRow() >= 0 else table.rowCount() - 1

    # --- events ------------------------------------------------------------------------

    def _fill_events(self) -> None:
        profile = self.profile()
        rows = event_rows(profile.events) if profile is not None else []
        self._events = []
        self.events.setRowCount(0)
        self.events.setRowCount(len(rows))
        for i, (event, day, count) in enumerate(rows):
            name = QLineEdit(event)
            name.setToolTip("The product event's name, as the product reports it (track).")
            name.setAccessibleName(f"Event {i + 1} name")
            name.setValidator(QRegularExpressionValidator(QRegularExpression(EVENT_PATTERN), name))
            name.textEdited.connect(self._events_edited)
            date = QDateEdit()
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            date.setDate(QDate.fromString(day, "yyyy-MM-dd"))
            date.setToolTip("The day (UTC) the events happened.")
            date.setAccessibleName(f"Event {i + 1} day")
            date.dateChanged.connect(self._events_edited)
            count_box = QSpinBox()
            count_box.setRange(0, 1_000_000)
            count_box.setValue(int(count))
            count_box.setToolTip("How many times the event happened that day.")
            count_box.setAccessibleName(f"Event {i + 1} count")
            count_box.valueChanged.connect(self._events_edited)
            for column, widget in enumerate((name, date, count_box)):
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                self.events.setCellWidget(i, column, widget)
            self._events.append((name, date, count_box))
        self.remove_event_button.setEnabled(bool(rows))

    def _event_rows_shown(self) -> list[tuple[str, str, int]]:
        return [(name.text().strip(), date.date().toString("yyyy-MM-dd"), count.value())
                for name, date, count in self._events]

    def _write_events(self, rows: list[tuple[str, str, int]], text: str, merge: bool) -> bool:
        events, error = build_events(rows)
        set_mark(self.events, "input", "error" if error else None,
                 f"Not saved: {error}" if error else "")
        path = self.path("events")
        if error is not None or path is None:
            return False
        if events:
            self.document.set_value(path, events, text, origin=self, merge=merge)
        else:
            self.document.clear_value(path, text, origin=self)
        return True

    def _events_edited(self, *_: Any) -> None:
        self._write_events(self._event_rows_shown(), "Edit events", True)

    def add_event(self) -> None:
        rows = event_rows(self.profile().events if self.profile() else None)
        event = rows[-1][0] if rows else "login"
        day = _dt.date.today()
        taken = {(e, d) for e, d, _ in rows}
        while (event, day.isoformat()) in taken:
            day -= _dt.timedelta(days=1)
        rows.append((event, day.isoformat(), 1))
        if self._write_events(rows, "Add event", False):
            self._fill_events()
            self._events[-1][0].setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_event(self) -> None:
        rows = event_rows(self.profile().events if self.profile() else None)
        i = self._focused_row(self.events, [])
        if not 0 <= i < len(rows):
            return
        rows.pop(i)
        if self._write_events(rows, "Remove event", False):
            self._fill_events()


def convert(value: Any, kind: str) -> Any:
    """``value`` as ``kind``: kept when it can be read so ("93" → 93), else a blank one."""
    if kind == "none":
        return None
    if kind == "bool":
        return value if type(value) is bool else str(value).lower() in ("true", "yes", "1")
    text = format_value(kind_of(value), value) if value is not None else ""
    parsed, error = parse_value(kind, text)
    if error is None:
        return parsed
    if kind == "date":
        return _dt.date.today().isoformat()
    if kind == "number_list":
        return []
    return parse_value(kind, "")[0] if kind != "string" else text


class _UniqueId(QValidator):
    """A profile id: the schema's pattern and not another profile's id (else not saved)."""

    def __init__(self, editor: ProfilesEditor, parent: QWidget) -> None:
        super().__init__(parent)
        self._editor = editor

    def validate(self, text: str, pos: int) -> Any:  # type: ignore[override]
        row = self._editor.current()
        others = {p.id for i, p in enumerate(self._editor.profiles()) if i != row}
        if text and not _ID_RE.fullmatch(text):
            return QValidator.State.Invalid, text, pos
        ok = bool(text) and text not in others
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


__all__ = ["ProfilesEditor", "convert", "flatten", "kind_of", "unflatten"]
