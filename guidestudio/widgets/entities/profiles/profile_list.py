"""The list of sample profiles, to pick one, with the list edits: new, duplicate,
remove, move up and down (each one document edit of ``profiles``)."""

from __future__ import annotations

import copy

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from guidestudio.core.model import Profile
from guidestudio.core.profile_rows import free_id
from guidestudio.widgets.entities.profiles.table_box import button
from guidestudio.widgets.kit.editing import EditableDocument


class ProfileList(QWidget):
    """The profiles by name; ``selected`` after the current one changes or is re-chosen."""

    selected = Signal()
    added = Signal()  # a new profile is selected: its name wants typing

    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setToolTip("The sample users. The rule builder counts how many of them a "
                             "rule matches, the preview can show a guide as one of them.")
        self.list.setAccessibleName("Sample profiles")
        # Long names end in "…" (the tooltip has the whole name) rather than scroll sideways.
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(lambda _row: self.selected.emit())
        label = QLabel("&Profiles", self)
        label.setBuddy(self.list)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.add_button = button("&New", "Add a sample user.", self.add_profile, self)
        self.duplicate_button = button("D&uplicate", "Copy the selected sample user "
                                       "(e.g. to vary one attribute).",
                                       self.duplicate_profile, self)
        self.remove_button = button("Remo&ve", "Remove the selected sample user "
                                    "(Undo brings it back).", self.remove_profile, self)
        self.up_button = button("Move &up", "Move the selected sample user up.",
                                lambda: self.move_profile(-1), self)
        self.down_button = button("Move do&wn", "Move the selected sample user down.",
                                  lambda: self.move_profile(1), self)
        for widget in (self.add_button, self.duplicate_button, self.remove_button):
            row1.addWidget(widget)
        for widget in (self.up_button, self.down_button):
            row2.addWidget(widget)
        layout.addLayout(row1)
        layout.addLayout(row2)

    # --- selection ---------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self.document.project.profiles

    def current(self) -> int:
        row = self.list.currentRow()
        return row if 0 <= row < len(self.profiles()) else -1

    def select(self, row: int) -> None:
        self.list.setCurrentRow(row)
        self.selected.emit()

    def fill(self) -> None:
        """Show the profiles' names (only when they differ from what is shown)."""
        labels = [f"{p.name or p.id} ({p.id})" if p.name else p.id for p in self.profiles()]
        shown = [self.list.item(i).text() for i in range(self.list.count())]
        if labels == shown:
            return
        row = self.list.currentRow()
        with QSignalBlocker(self.list):
            self.list.clear()
            self.list.addItems(labels)
            for i, profile in enumerate(self.profiles()):
                self.list.item(i).setToolTip(f"{labels[i]}\nid: {profile.id}")
            self.list.setCurrentRow(min(max(row, 0), len(labels) - 1) if labels else -1)

    def update_buttons(self) -> None:
        """Offer only the list edits that apply to the current profile."""
        row = self.current()
        self.duplicate_button.setEnabled(row >= 0)
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.profiles()) - 1)

    # --- list edits --------------------------------------------------------------------

    def add_profile(self) -> None:
        new_id = free_id({p.id for p in self.profiles()}, "user")
        profile = Profile(id=new_id, name="New sample user", attributes={"id": new_id})
        row = len(self.profiles())
        self.document.insert_item(("profiles",), row, profile, "Add sample profile",
                                  origin=self)
        self.fill()
        self.select(row)
        self.added.emit()

    def duplicate_profile(self) -> None:
        row = self.current()
        if row < 0:
            return
        source = self.profiles()[row]
        copy_ = copy.deepcopy(source)
        copy_.id = free_id({p.id for p in self.profiles()}, f"{source.id}-copy")
        copy_.name = f"{source.name or source.id} (copy)"
        self.document.insert_item(("profiles",), row + 1, copy_,
                                  f"Duplicate sample profile {source.id}", origin=self)
        self.fill()
        self.select(row + 1)

    def remove_profile(self) -> None:
        row = self.current()
        if row < 0:
            return
        self.document.remove_item(("profiles",), row,
                                  f"Remove sample profile {self.profiles()[row].id}", origin=self)
        self.fill()
        self.select(min(row, len(self.profiles()) - 1))

    def move_profile(self, step: int) -> None:
        row, dest = self.current(), self.current() + step
        if row < 0 or not 0 <= dest < len(self.profiles()):
            return
        self.document.move_item(("profiles",), row, dest,
                                f"Move sample profile {self.profiles()[row].id}", origin=self)
        with QSignalBlocker(self.list):
            self.list.clear()  # the labels may read the same: show the new order anyway
        self.fill()
        self.select(dest)
