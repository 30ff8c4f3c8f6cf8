"""``profiles.yaml`` as an editor: the sample users guides are tested against.

Sample profiles feed the rule builder ("matches 2 of 5 sample profiles"), its
attribute suggestions, the preview and the simulator, so a marketer needs to
shape them without a text editor. A profile is an id, a name, attributes and
an event history. This page puts together the list of profiles
(``profiles/profile_list.py``), the selected one's id and name, and its
attribute and event tables (``profiles/attribute_table.py``,
``profiles/event_table.py``); the row conversions are ``core.profile_rows``.

Every change is one document edit (add, duplicate, remove and move are list
edits of ``profiles``; a value typed is a set at its attribute's path, merged
while typing). A value that does not fit its type (``12x`` as a number) or a
name clash is refused inline and not written, so the file always loads. The
page follows the document: a change made elsewhere (undo, the file) shows the
selected profile afresh; a change made by one of its parts does not, since
rebuilding the rows would take the cursor away from the author.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFormLayout, QSplitter, QVBoxLayout, QWidget

from guidestudio.core.model import Profile
from guidestudio.core.schema_patterns import ID_PATTERN
from guidestudio.widgets.entities.profiles.attribute_table import AttributeTable
from guidestudio.widgets.entities.profiles.event_table import EventTable
from guidestudio.widgets.entities.profiles.profile_list import ProfileList
from guidestudio.widgets.kit.bindings import Binding, bind
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.form_kit import EntityPage, line_edit

_ID_RE = re.compile(ID_PATTERN)


class ProfilesEditor(EntityPage):
    """The sample profiles: a list to pick one, its id and name, attributes and events."""

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, lambda: ("profiles", ""), parent)
        self.bindings: list[Binding] = []
        outer = QVBoxLayout(self)
        self.header.setText("Sample profiles — made-up users to test guides against "
                            "(profiles.yaml)")
        outer.addWidget(self.header)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(splitter, 1)
        self.profile_list = ProfileList(document, self)
        splitter.addWidget(self.profile_list)
        splitter.addWidget(self._detail_side())
        splitter.setStretchFactor(1, 3)
        self.profile_list.selected.connect(self._selected)
        self.profile_list.added.connect(self._name_new_profile)
        document.changed.connect(self._document_changed)
        document.reset.connect(self.refresh)
        self.refresh()

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
        self.attributes = AttributeTable(self.document, self.path, self.detail)
        layout.addWidget(self.attributes, 2)
        self.marks.watch(self.attributes.table, lambda: self.path("attributes"))
        self.events = EventTable(self.document, self.path, self.detail)
        layout.addWidget(self.events, 1)
        self.marks.watch(self.events.table, lambda: self.path("events"))
        return self.detail

    def _bind(self, widget: QWidget, key: str, **options: Any) -> None:
        # profiles.yaml is the entity: its field paths start at "profiles", as ours do.
        self.bindings.append(bind(widget, self.document, lambda: self.path(key), **options))
        self.marks.watch(widget, lambda: self.path(key))

    # --- the editor area's API ---------------------------------------------------------

    def set_item(self, _key: str = "") -> None:
        self.refresh()

    def focus_field(self, field: str) -> None:
        """``profiles[2].attributes.plan``: select profile 2 and focus that row."""
        match = re.match(r"profiles\[(\d+)\]\.?(\w*)\.?(.*)", field or "")
        if match is None:
            self.profile_list.list.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.select(int(match.group(1)))
        part, rest = match.group(2), match.group(3)
        if part == "attributes":
            self.attributes.focus_attribute(rest)
        elif part == "events":
            self.events.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif part == "name":
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.id_field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- selection ---------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self.profile_list.profiles()

    def current(self) -> int:
        return self.profile_list.current()

    def profile(self) -> Profile | None:
        row = self.current()
        return self.profiles()[row] if row >= 0 else None

    def path(self, *parts: Any) -> tuple[Any, ...] | None:
        row = self.current()
        return None if row < 0 else ("profiles", row, *parts)

    def select(self, row: int) -> None:
        self.profile_list.select(row)

    def refresh(self) -> None:
        self.profile_list.fill()
        self._selected()

    def _selected(self) -> None:
        for binding in self.bindings:
            binding.refresh()
        self.attributes.fill()
        self.events.fill()
        self.detail.setEnabled(self.profile() is not None)
        self.profile_list.update_buttons()
        self.marks.update()

    def _name_new_profile(self) -> None:
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name.selectAll()

    def _document_changed(self, change: Any) -> None:
        if not change.touches(("profiles",)):
            return
        self.profile_list.fill()
        parts = (self.profile_list, self.attributes, self.events, *self.bindings)
        if any(change.origin is part for part in parts):
            return  # made here: the list part has selected, typing keeps its rows
        self._selected()


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


__all__ = ["ProfilesEditor"]
