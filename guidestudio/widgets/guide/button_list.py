"""A step's buttons: label per language, what the button does, and how it looks.

Each action needs its own detail — a web address, a product event, another
guide, a snooze time — and nothing else, so a button shows only the fields
its action uses, and changing the action drops the details the new one
ignores in the same undo step. A new action that needs a detail is saved
together with that detail, so the file never holds a button the product
could not run.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.form_words import ACTION_LABELS
from guidestudio.core.model import ACTIONS, Button
from guidestudio.core.schema_patterns import EVENT_PATTERN
from guidestudio.widgets.guide.step_list_model import readable
from guidestudio.widgets.kit.combo_data import combo_value, set_options
from guidestudio.widgets.kit.field_marks import FieldMarks
from guidestudio.widgets.kit.form_kit import (
    Follower,
    GuideContext,
    PlainNumberBox,
    check,
    combo,
    form_layout,
    inner_path,
    labelled,
    line_edit,
)
from guidestudio.widgets.kit.item_rows import ItemRow, ItemRows
from guidestudio.widgets.kit.localized_text import LocalizedTextEdit

MAX_BUTTONS = 4  # guide.schema.json: step.buttons.maxItems
STYLE_OPTIONS = [("Automatic", None), ("Primary (filled)", "primary"),
                 ("Secondary (outlined)", "secondary"), ("Link (text only)", "link")]
#: The detail fields each action uses; every other detail is cleared when it is chosen.
ACTION_FIELDS = {"url": ("url", "new_tab"), "event": ("event",), "guide": ("guide",),
                 "snooze": ("hours",)}
DETAILS = ("url", "new_tab", "event", "guide", "hours")


def action_companions(action: Any) -> dict[str, Any]:
    keep = ACTION_FIELDS.get(action, ())
    return {name: MISSING for name in DETAILS if name not in keep}


class ButtonRow(ItemRow):
    """The form of one button."""

    def __init__(self, owner: ItemRows, index: int, ctx: GuideContext) -> None:
        super().__init__(owner, index)
        self.ctx = ctx
        form = form_layout()
        self.body.addLayout(form)
        self.form = form
        self.label = LocalizedTextEdit(
            self.document, lambda: self.path("label"), required=True, label="&Label",
            links=False,
            tooltip="The words on the button. Short and active works best: 'Upgrade now'.")
        self.action = combo("What happens when someone clicks the button.",
                            labelled(ACTIONS, ACTION_LABELS))
        self.style_box = combo("How prominent the button is. Use Primary for the one thing you "
                               "want people to do.", STYLE_OPTIONS)
        self.url = line_edit("The page the button opens: https://…, mailto:… or a path in "
                             "your product such as /billing.", "https://")
        self.new_tab = check("Open in a new tab", "Open the page in a new browser tab so the "
                             "product stays open.")
        self.event = line_edit("The event the product receives, exactly as your developers "
                               "expect it, e.g. start_trial.", "e.g. start_trial", EVENT_PATTERN)
        self.guide = combo("The guide that starts when someone clicks the button.", [])
        self.hours = PlainNumberBox(self)
        self.hours.setRange(0, 8760)
        self.hours.setDecimals(1)
        self.hours.setSpecialValueText("Not set")
        self.hours.setSuffix(" hours")
        self.hours.setToolTip("How long to wait before showing the guide again.")
        form.addRow(self.label)
        form.addRow("Ac&tion", self.action)
        form.addRow("Web &address", self.url)
        form.addRow("", self.new_tab)
        form.addRow("E&vent", self.event)
        form.addRow("&Guide", self.guide)
        form.addRow("Remind &after", self.hours)
        form.addRow("St&yle", self.style_box)
        self.marks.watch(self.label, lambda: inner_path(self.path("label")))
        self._guide_options: list[tuple[str, Any]] = []  # what _fill_guides set last
        self._fill_guides()
        self.field(self.action, lambda: self.path("action"), companions=action_companions,
                   text="Change button action").displayed.connect(self.update_visibility)
        self.field(self.style_box, lambda: self.path("style"))
        self.field(self.url, lambda: self.path("url"), optional=False)
        self.field(self.new_tab, lambda: self.path("new_tab"),
                   to_model=lambda on: True if on else MISSING)
        self.field(self.event, lambda: self.path("event"), optional=False)
        self.field(self.guide, lambda: self.path("guide"))
        self.field(self.hours, lambda: self.path("hours"), merge=True)
        self.action.currentIndexChanged.connect(self.update_visibility)
        Follower(self.document, lambda: self.path("label"), self._show_title, self)
        self.update_visibility()

    def first_field(self) -> QWidget | None:
        return self.label.editor()

    def refresh(self) -> None:
        self._fill_guides()
        self.label.refresh()
        super().refresh()

    def update_header(self, count: int) -> None:
        super().update_header(count)
        self._show_title()

    def _show_title(self, *_: Any) -> None:
        button = self.item()
        words = ""
        if isinstance(button, Button):
            locale = self.document.project.settings.default_locale
            written = button.label.get(locale) or next(iter(button.label.values()), "")
            words = readable(written, self.document.project) if written else ""
        self.title.setText(f"Button {self.index + 1}" + (f" — {words}" if words else ""))

    def _fill_guides(self) -> None:
        # Every guide of the project is an option (2,000 in a big project), wanted only once
        # the button starts a guide: until then the field is hidden and empty. Comparing
        # against the list this row set last is much cheaper than reading it back from Qt.
        button = self.item()
        wanted = isinstance(button, Button) and (button.action == "guide" or button.guide)
        if not (wanted or self._guide_options or combo_value(self.action) == "guide"):
            return
        guides = self.document.project.guides
        options = [("Choose a guide…", None)] + [
            (f"{g.name} ({gid})", gid) for gid, g in sorted(guides.items())
            if gid != self.ctx.guide_id]
        if options != self._guide_options:
            set_options(self.guide, options)
            self._guide_options = options

    def update_visibility(self) -> None:
        action = combo_value(self.action)
        shown = ACTION_FIELDS.get(action, ())
        if "guide" in shown:
            self._fill_guides()
        for name in DETAILS:
            self.form.setRowVisible(getattr(self, name), name in shown)




class ButtonList(ItemRows):
    """The buttons of the selected step (at most four)."""

    def __init__(self, ctx: GuideContext, marks: FieldMarks, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        super().__init__(ctx.document, marks, lambda: ctx.step_path("buttons"),
                         lambda owner, i: ButtonRow(owner, i, ctx), self._new_button, "button",
                         MAX_BUTTONS, "Add a button (a step has at most four).", parent)

    def _new_button(self) -> Button:
        locale = self.document.project.settings.default_locale
        walkthrough = self.ctx.kind() == "walkthrough"
        return Button(label={locale: "Next" if walkthrough else "Got it"},
                      action="next" if walkthrough else "dismiss")
