"""A checklist's tasks: what to do, the product event that ticks it off, a deadline.

Each task is ticked off by an event the product reports, so the event field is
as important as the label and must be exactly what the developers send;
``due_days`` turns a task into a milestone ("by day 7"), and a link takes the
user to where the task is done.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from guidestudio.core.model import ChecklistItem
from guidestudio.core.schema_patterns import EVENT_PATTERN, STEP_ID_PATTERN
from guidestudio.widgets.guide.step_list_model import readable, unique_step_id
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import (
    Follower,
    GuideContext,
    form_layout,
    inner_path,
    line_edit,
    spin,
)
from guidestudio.widgets.kit.item_rows import ItemRow, ItemRows
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit

MAX_ITEMS = 20  # guide.schema.json: step.items.maxItems


class ChecklistRow(ItemRow):
    """The form of one checklist task."""

    def __init__(self, owner: ItemRows, index: int) -> None:
        super().__init__(owner, index)
        form = form_layout()
        self.body.addLayout(form)
        self.label = LocalizedTextEdit(
            self.document, lambda: self.path("label"), required=True, label="&Task",
            links=self._links,
            tooltip="The task as people read it in the checklist, e.g. 'Invite a teammate'.")
        self.description = LocalizedTextEdit(
            self.document, lambda: self.path("description"), label="&Description",
            links=self._links,
            tooltip="One sentence on why the task is worth doing (optional).")
        self.event = line_edit("The product event that ticks this task off, exactly as your "
                               "developers send it.", "e.g. teammate_invited", EVENT_PATTERN)
        self.item_id = line_edit("A short name for this task, used in analytics events. "
                                 "Letters, digits, - and _.", "e.g. invite-teammate",
                                 STEP_ID_PATTERN)
        self.due_days = spin("Turns the task into a milestone: how many days after the "
                             "checklist first shows it should be done.", 1, 365,
                             unset="No deadline", suffix=" days")
        self.url = line_edit("Where to go to do the task: a path in your product such as "
                             "/settings/team, or https://…", "e.g. /settings/team")
        form.addRow(self.label)
        form.addRow(self.description)
        form.addRow("Done &when", self.event)
        form.addRow("Analytics &name", self.item_id)
        form.addRow("D&ue after", self.due_days)
        form.addRow("&Link", self.url)
        for widget, name in ((self.label, "label"), (self.description, "description")):
            self.marks.watch(widget, lambda n=name: inner_path(self.path(n)))
        self.field(self.event, lambda: self.path("event"), optional=False)
        self.field(self.item_id, lambda: self.path("id"), optional=False)
        self.field(self.due_days, lambda: self.path("due_days"), merge=True).displayed.connect(
            lambda: self._days_suffix(self.due_days.value()))
        self.field(self.url, lambda: self.path("url"))
        self.due_days.valueChanged.connect(self._days_suffix)
        Follower(self.document, lambda: self.path("label"), self._show_title, self)

    def first_field(self) -> QWidget | None:
        return self.label.editor()

    def refresh(self) -> None:
        self.label.refresh()
        self.description.refresh()
        super().refresh()

    def update_header(self, count: int) -> None:
        super().update_header(count)
        self._show_title()

    def _links(self) -> bool:
        """A task with its own address is one link: its texts hold none (the compiler's rule)."""
        item = self.item()
        return not (isinstance(item, ChecklistItem) and item.url)

    def _show_title(self, *_: Any) -> None:
        item = self.item()
        words = ""
        if isinstance(item, ChecklistItem):
            locale = self.document.project.settings.default_locale
            written = item.label.get(locale) or next(iter(item.label.values()), "")
            words = readable(written, self.document.project) if written else ""
        self.title.setText(f"Task {self.index + 1}" + (f" — {words}" if words else ""))

    def _days_suffix(self, days: int) -> None:
        self.due_days.setSuffix(" day" if days == 1 else " days")




class ChecklistItems(ItemRows):
    """The tasks of the selected checklist step (at most twenty)."""

    def __init__(self, ctx: GuideContext, marks: FieldMarks, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        super().__init__(ctx.document, marks, lambda: ctx.step_path("items"), ChecklistRow,
                         self._new_item, "task", MAX_ITEMS,
                         "Add a task to the checklist (at most twenty).", parent)

    def _new_item(self) -> ChecklistItem:
        items = self.items()
        item_id = unique_step_id(items, f"task-{len(items) + 1}")  # same id rules as steps
        locale = self.document.project.settings.default_locale
        return ChecklistItem(id=item_id, label={locale: "New task"}, event=f"{item_id}_done")
