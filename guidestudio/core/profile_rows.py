"""Sample profiles as the rows of the profiles editor's tables, and back.

The editor shows a profile's attributes flat, one row per value with a dotted
name (``account.seats``, which is how rules name them too), and its events as
(event, day, count) rows. These functions turn profile data into such rows and
rows back into data, refusing rows that cannot be written (two attributes of
the same name, an event name the schema rejects) with a reason the table can
show, and pick names for new profiles, attributes and event rows. No Qt here:
what a table holds and how it maps to ``profiles.yaml`` is testable alone.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from typing import Any

from guidestudio.core.rules.values import DATE_RE, date_error, format_value, is_number, parse_value
from guidestudio.core.schema_patterns import EVENT_PATTERN

#: (dotted name, value): one attribute row.
AttributeRow = tuple[str, Any]
#: (event, day as YYYY-MM-DD, count): one event row.
EventRow = tuple[str, str, int]
Events = dict[str, dict[str, int]]

_EVENT_RE = re.compile(EVENT_PATTERN)


def kind_of(value: Any) -> str:
    """The type an attribute value is edited as (a ``core.rules.values`` kind or "none")."""
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


def flatten(attributes: dict[str, Any], prefix: str = "") -> list[AttributeRow]:
    """(dotted name, value) for every value in ``attributes``; empty groups stay whole."""
    rows: list[AttributeRow] = []
    for key, value in attributes.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            rows.extend(flatten(value, name))
        else:
            rows.append((name, value))
    return rows


def unflatten(rows: list[AttributeRow]) -> tuple[dict[str, Any], str | None]:
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


def free_attribute_name(rows: list[AttributeRow]) -> str:
    """A name for a new attribute row: "attribute", "attribute_2"… neither taken
    nor the group of a dotted name already there."""
    taken = {name for name, _ in rows}
    name, n = "attribute", 2
    while name in taken or any(t.startswith(name + ".") for t in taken):
        name, n = f"attribute_{n}", n + 1
    return name


def event_rows(events: Events | None) -> list[EventRow]:
    """(event, day, count) for every count in ``events``, in file order."""
    return [(event, day, count) for event, days in (events or {}).items()
            for day, count in days.items()]


def build_events(rows: list[EventRow]) -> tuple[Events, str | None]:
    """The events the rows describe, or why they cannot be written (a bad name, a day twice)."""
    out: Events = {}
    for event, day, count in rows:
        if not _EVENT_RE.fullmatch(event):
            return out, (f"{event!r} is not an event name: letters, digits and _ . : - only"
                         if event else "name the event, e.g. login")
        if day in out.get(event, {}):
            return out, f"{event} has two counts for {day}: change the day of one"
        out.setdefault(event, {})[day] = count
    return out, None


def next_event_row(rows: list[EventRow], today: _dt.date) -> EventRow:
    """A new row: the last row's event (else "login") once, on the latest day up to
    ``today`` that has no count for that event yet."""
    event = rows[-1][0] if rows else "login"
    day = today
    taken = {(e, d) for e, d, _ in rows}
    while (event, day.isoformat()) in taken:
        day -= _dt.timedelta(days=1)
    return event, day.isoformat(), 1


def free_id(taken: set[str], base: str) -> str:
    """A profile id made from ``base`` (lower-case, '-' for the rest) that is not taken."""
    base = re.sub(r"[^a-z0-9_-]+", "-", base.lower()).strip("-_")[:56] or "user"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


__all__ = ["AttributeRow", "EventRow", "Events", "build_events", "convert", "event_rows",
           "flatten", "free_attribute_name", "free_id", "kind_of", "next_event_row",
           "unflatten"]
