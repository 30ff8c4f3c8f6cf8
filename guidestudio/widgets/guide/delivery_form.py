"""When and how often a guide shows, and what counts as success.

Trigger, schedule, frequency and goal together answer the marketer's question
"when will people see this?". The trigger shows only the field its type needs
(an element to click, an event name, a delay), and switching type drops the
fields the new type ignores in the same undo step, so nothing hidden lingers
in the file for the validator to complain about.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.core.form_words import OUTCOME_LABELS, TRIGGER_LABELS
from guidestudio.core.model import OUTCOMES, TRIGGERS
from guidestudio.core.schema_patterns import EVENT_PATTERN
from guidestudio.widgets.guide.schedule_fields import ScheduleFields
from guidestudio.widgets.kit.combo_data import combo_value
from guidestudio.widgets.kit.form_kit import (
    GuideContext,
    GuideForm,
    OptionalSection,
    check,
    combo,
    dspin,
    form_layout,
    labelled,
    line_edit,
    spin,
)

#: Which optional trigger field each type uses (``url`` applies to all).
TRIGGER_FIELD = {"click": "selector", "event": "event", "delay": "seconds"}


def trigger_companions(on: Any) -> dict[str, Any]:
    """The fields a trigger type does not use, cleared in the same edit."""
    return {name: MISSING for t, name in TRIGGER_FIELD.items() if t != on}


class DeliveryForm(GuideForm):
    """Trigger, schedule, frequency and goal of the selected guide."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        g = ctx.guide_path

        trigger = QGroupBox("When it shows", self)
        self.trigger_form = form_layout(trigger)
        self.on = combo("What makes the guide appear (if the user is in its audience).",
                        labelled(TRIGGERS, TRIGGER_LABELS))
        self.url = line_edit("Only on pages whose address matches this pattern: * matches "
                             "within one part of the address, ** across parts. Empty: any "
                             "page.", "e.g. /files/** (empty: every page)")
        self.selector = line_edit("The element that shows the guide when clicked, as a CSS "
                                  "selector. Ask your developers or use the preview's element "
                                  "picker.", "e.g. #advanced-search")
        self.event = line_edit("The product event that shows the guide, exactly as your "
                               "developers send it (letters, digits, _ . : -).",
                               "e.g. file_shared", EVENT_PATTERN)
        self.seconds = dspin("How long after the page opens the guide appears.", 0, 86400,
                             unset="Not set", suffix=" s")
        self.trigger_form.addRow("Sh&ow it", self.on)
        self.trigger_form.addRow("On &pages", self.url)
        self.trigger_form.addRow("&Element clicked", self.selector)
        self.trigger_form.addRow("E&vent", self.event)
        self.trigger_form.addRow("&Delay", self.seconds)
        t = lambda name: g("trigger", name)  # noqa: E731 - a lazy path
        self.field(self.on, lambda: t("on"), from_model=lambda v: v or "page_view",
                   companions=trigger_companions, text="Change trigger").displayed.connect(
            self.update_visibility)
        self.field(self.url, lambda: t("url"))
        self.field(self.selector, lambda: t("selector"), optional=False)
        self.field(self.event, lambda: t("event"), optional=False)
        self.field(self.seconds, lambda: t("seconds"), merge=True)
        self.on.currentIndexChanged.connect(self.update_visibility)
        self.outer.addWidget(trigger)

        schedule = QGroupBox("Schedule", self)
        schedule_layout = QVBoxLayout(schedule)
        self.schedule = ScheduleFields(ctx, schedule)
        schedule_layout.addWidget(self.schedule)
        self.outer.addWidget(schedule)

        frequency = QGroupBox("How often", self)
        freq_form = form_layout(frequency)
        self.max_shows = spin("The most times one person sees this guide.", 1, 10000,
                              unset="No limit")
        self.cooldown = dspin("After it shows, wait at least this long before showing it to "
                              "the same person again.", 0, 87600, unset="No pause", suffix=" h")
        freq_form.addRow("Show at &most", self.max_shows)
        freq_form.addRow("&Pause between", self.cooldown)
        f = lambda name: g("frequency", name)  # noqa: E731
        self.field(self.max_shows, lambda: f("max_shows"), merge=True)
        self.field(self.cooldown, lambda: f("cooldown_hours"), merge=True)
        self.stop_after: dict[str, Any] = {}
        stop = QLabel("Stop showing it to a person once…", frequency)
        stop.setWordWrap(True)
        freq_form.addRow(stop)
        for outcome in OUTCOMES:
            words = OUTCOME_LABELS[outcome]
            box = check(words[0].upper() + words[1:],
                        f"Never show this guide again to a person once {words}.")
            freq_form.addRow(box)
            self.stop_after[outcome] = box
            self.field(box, lambda: f("stop_after"), from_model=_has(outcome),
                       to_model=self._stop_after_writer(outcome), watch=False)
        self.marks.watch(frequency, lambda: ("frequency",))
        self.outer.addWidget(frequency)

        self.goal = OptionalSection(
            "Goal", "Count the guide as a success when the user does something within a few "
            "days of seeing it, e.g. upgrades. Analytics compare this between variants.",
            self.document, lambda: g("goal"), parent=self)
        goal_form = form_layout(self.goal)
        self.goal_event = line_edit("The product event that means success, exactly as your "
                                    "developers send it.", "e.g. plan_upgraded", EVENT_PATTERN)
        self.goal_days = spin("How many days after seeing the guide the event still counts.",
                              1, 365, unset="Any time", suffix=" days")
        goal_form.addRow("Success &event", self.goal_event)
        goal_form.addRow("&Within", self.goal_days)
        self.field(self.goal_event, lambda: g("goal", "event"), optional=False)
        self.field(self.goal_days, lambda: g("goal", "within_days"), merge=True)
        self.outer.addWidget(self.goal)
        self.outer.addStretch(1)

    def _stop_after_writer(self, outcome: str) -> Any:
        def to_model(checked: bool) -> Any:
            path = self.ctx.guide_path("frequency", "stop_after")
            current = list(self.document.get(path, None) or []) if path else []
            chosen = set(current) | {outcome} if checked else set(current) - {outcome}
            ordered = [o for o in OUTCOMES if o in chosen]
            return ordered or MISSING
        return to_model

    def refresh(self) -> None:
        self.goal.reset()
        self.schedule.refresh()
        super().refresh()

    def update_visibility(self) -> None:
        on = combo_value(self.on)
        for trigger, name in TRIGGER_FIELD.items():
            self.trigger_form.setRowVisible(getattr(self, name), on == trigger)


def _has(outcome: str) -> Any:
    return lambda values: outcome in (values or [])
