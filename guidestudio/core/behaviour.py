"""The virtual ``events`` attribute: counters built from the runtime's event history.

A condition reads behaviour as ``events.<name>.count`` (also ``last_7d``,
``last_30d``, ``days_since``). The runtime builds those counters from the
per-day counts it stores (``history.events``), and so do the eligibility
checks, the simulation (a chunk of users at a time) and the audience
warnings; this module is the one Python copy of that construction, with the
runtime's deep merge of the product's own values over it. Days are UTC
dates (``docs/eligibility.md``). Pure standard library; never Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from guidestudio.core.targeting import js_string
from guidestudio.core.targeting.js_values import js_to_number, utf16_units

__all__ = [
    "DAY_MS",
    "EVENT_COUNTER_PATH",
    "EVENT_FIELDS",
    "attributes_with_event_names",
    "behaviour_attributes",
    "day_ordinal",
    "event_counts",
    "history_events",
    "mentioned_event_names",
    "merge_attributes",
    "user_attributes",
    "utc_day_ordinal",
]

DAY_MS = 86_400_000
EVENT_FIELDS = ("count", "last_7d", "last_30d", "days_since")
_ARRAYS = (list, tuple)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DAY_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_CACHE: dict[str, int | None] = {}


def utc_day_ordinal(now_ms: float) -> int:
    """Days since 1970-01-01 of ``now``'s UTC date (floor, also before 1970)."""
    return _EPOCH_ORDINAL + int(now_ms // DAY_MS)


def day_ordinal(key: Any) -> int | None:
    """A history day key -> ordinal; only real ``YYYY-MM-DD`` dates count
    (``2026-02-30`` or ``2026-1-5`` are ignored, see docs/eligibility.md)."""
    if type(key) is not str:
        return None
    cached = _DAY_CACHE.get(key, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    ordinal: int | None = None
    if _DAY_RE.fullmatch(key):
        try:
            ordinal = dt.date(int(key[:4]), int(key[5:7]), int(key[8:10])).toordinal()
        except ValueError:
            ordinal = None
    if len(_DAY_CACHE) > 100_000:
        _DAY_CACHE.clear()
    _DAY_CACHE[key] = ordinal
    return ordinal


# `events.<name>.<field>`: `.+` is greedy as in the runtime's /^events\.(.+)\.(?:…)$/.
EVENT_COUNTER_PATH = re.compile(
    "events\\.([^\n\r\u2028\u2029]+)\\.(?:" + "|".join(EVENT_FIELDS) + ")")


def _collect_names(node: Any, out: list[str]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if type(key) is str:
                m = EVENT_COUNTER_PATH.fullmatch(key)
                if m:
                    out.append(m.group(1))
            _collect_names(value, out)
    elif isinstance(node, _ARRAYS):
        for value in node:
            _collect_names(value, out)


def mentioned_event_names(conditions: Any) -> list[str]:
    """Event names a condition (or a list of conditions) reads as
    ``events.<name>.<field>``, at any depth, in order of appearance: these get
    zero counts even when never tracked, so ``events.x.count $eq 0`` matches a
    user who never did x."""
    out: list[str] = []
    _collect_names(conditions, out)
    return list(dict.fromkeys(out))


def event_counts(days: Any, today: int) -> dict[str, Any]:
    """One event's counters from its per-day counts (``{"2026-11-24": 3}``),
    ``today`` being a ``utc_day_ordinal``: ``days_since`` only once it happened."""
    counts: dict[str, Any] = {"count": 0, "last_7d": 0, "last_30d": 0}
    if type(days) is not dict and not isinstance(days, Mapping):
        return counts
    total = week = month = 0
    best: int | None = None
    known = _DAY_CACHE
    for key, raw in days.items():
        c = raw if (raw.__class__ is int or raw.__class__ is float) else js_to_number(raw)
        if not c or c != c:  # JS `+x || 0`: 0 and NaN count nothing
            continue
        ordinal = known.get(key, False) if key.__class__ is str else None
        if ordinal is False:
            ordinal = day_ordinal(key)
        if ordinal is None:
            continue
        ago = today - ordinal
        total += c
        if 0 <= ago < 7:
            week += c
        if 0 <= ago < 30:
            month += c
        if best is None or ago < best:
            best = ago
    counts["count"], counts["last_7d"], counts["last_30d"] = total, week, month
    if best is not None:
        counts["days_since"] = best
    return counts


def merge_attributes(base: dict[str, Any], over: Any) -> dict[str, Any]:
    """The runtime's deep merge: ``over`` wins, objects merge key by key."""
    if over is None:
        return base
    if type(over) is dict or isinstance(over, Mapping):
        items: Iterable[tuple[Any, Any]] = over.items()
    elif isinstance(over, _ARRAYS):
        items = ((str(i), v) for i, v in enumerate(over))
    elif type(over) is str:
        items = ((str(i), u) for i, u in enumerate(utf16_units(over)))
    else:
        return base
    for key, value in items:
        current = base.get(key)
        if type(current) is dict and (type(value) is dict or isinstance(value, Mapping)):
            base[key] = merge_attributes(current, value)
        else:
            base[key] = value
    return base


def behaviour_attributes(
    events_history: Any, now_ms: float, names_in_conditions: Iterable[str] = ()
) -> dict[str, Any]:
    """The value of the virtual ``events`` attribute: ``{name: {count, last_7d,
    last_30d, days_since?}}`` for every tracked name and every name in
    ``names_in_conditions``. Days are UTC dates; *today* is ``now``'s UTC date.
    A dotted event name nests (``a.b`` -> ``events.a.b.count``), as the dotted
    path that reads it would."""
    events = events_history if isinstance(events_history, Mapping) else {}
    today = utc_day_ordinal(now_ms)
    out: dict[str, Any] = {}
    for name in [*events.keys(), *names_in_conditions]:
        key = name if type(name) is str else js_string(name)
        counts = event_counts(events.get(name), today)
        *parts, last = key.split(".")
        node = out
        for part in parts:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        existing = node.get(last)
        node[last] = merge_attributes(existing, counts) if type(existing) is dict else counts
    return out


def history_events(history: Any) -> Any:
    """``history.events`` (per event, per UTC day, a count), None when absent."""
    return history.get("events") if isinstance(history, Mapping) else None


def user_attributes(
    user: Any, history: Any, now_ms: float, guide_conditions: Any = ()
) -> dict[str, Any]:
    """The attributes a condition sees: the user's own, plus ``events`` built
    from ``history.events``; where the product passed its own
    ``events.<name>.<field>`` the product's value wins. ``guide_conditions`` is a
    condition or a list of them, whose mentioned event names get zero counts."""
    return attributes_with_event_names(user, history, now_ms,
                                       mentioned_event_names(guide_conditions))


def attributes_with_event_names(
    user: Any, history: Any, now_ms: float, event_names: Iterable[str]
) -> dict[str, Any]:
    """``user_attributes`` with the condition's event names already found
    (``mentioned_event_names``): a caller matching many users against one
    condition walks the condition once instead of once per user."""
    computed = behaviour_attributes(history_events(history), now_ms, event_names)
    attrs = dict(user) if isinstance(user, Mapping) else {}
    attrs["events"] = merge_attributes(computed, attrs.get("events"))
    return attrs
