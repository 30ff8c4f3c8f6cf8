"""Rules for when a guide shows: its schedule, trigger and frequency."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from guidestudio.core.model import Guide
from guidestudio.core.validate.reporting import Context, Reporter
from guidestudio.core.validate.values import (
    parse_datetime,
    selector_error,
    timezone_error,
    zone_named,
)

# Which trigger fields each ``on`` uses; ``url`` limits every trigger to some pages.
TRIGGER_FIELDS: dict[str, tuple[str, ...]] = {
    "page_view": ("url",),
    "click": ("url", "selector"),
    "event": ("url", "event"),
    "delay": ("url", "seconds"),
}
_OPTIONAL_TRIGGER_FIELDS = ("selector", "event", "seconds")


def check_schedule(ctx: Context, guide: Guide, r: Reporter) -> None:
    schedule = guide.schedule
    if schedule is None:
        return
    zone: tzinfo | None = None
    if schedule.timezone is not None:
        error = timezone_error(schedule.timezone)
        if error:
            r.add(("schedule", "timezone"), "unknown-timezone", error)
        else:
            zone = zone_named(schedule.timezone)
    if zone is None:
        zone = zone_named(ctx.project.timezone) or UTC
    moments: dict[str, datetime] = {}
    for name in ("start", "end"):
        value = getattr(schedule, name)
        if value is None:
            continue
        moment = parse_datetime(value)
        if moment is None:
            r.add(("schedule", name), "datetime",
                  f"{value!r} is not a real date and time; write it like "
                  f"2026-12-01T09:00:00Z or 2026-12-01")
            continue
        moments[name] = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    if "start" in moments and "end" in moments and moments["end"] <= moments["start"]:
        how = "at the moment it starts" if moments["end"] == moments["start"] else (
            "before it starts")
        r.add(("schedule", "end"), "schedule-order",
              f"the schedule ends ({schedule.end}) {how} ({schedule.start}), so the guide "
              f"would never show; move the end after the start")


def check_trigger(guide: Guide, r: Reporter) -> None:
    trigger = guide.trigger
    if trigger is None:
        return
    used = TRIGGER_FIELDS.get(trigger.on)
    if used is not None:
        for name in _OPTIONAL_TRIGGER_FIELDS:
            if getattr(trigger, name) is not None and name not in used:
                owner = next(on for on, fields in TRIGGER_FIELDS.items() if name in fields)
                r.warn(("trigger", name), "trigger-field-ignored",
                       f"{name!r} is ignored when the trigger is on: {trigger.on}; it is used "
                       f"only with on: {owner}. Remove it or change 'on'")
    if isinstance(trigger.selector, str):
        error = selector_error(trigger.selector)
        if error:
            r.add(("trigger", "selector"), "selector", f"the click selector {error}")


def check_frequency(ctx: Context, guide: Guide, r: Reporter) -> None:
    frequency = guide.frequency
    if frequency is not None and "goal_reached" in frequency.stop_after and guide.goal is None:
        r.warn(("frequency", "stop_after"), "goal-missing",
               "stop_after includes goal_reached, but the guide has no goal; add a goal or "
               "remove goal_reached")

