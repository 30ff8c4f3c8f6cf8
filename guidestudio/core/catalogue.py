"""The attribute catalogue: the user attributes a product sends, in the author's words.

Conditions name attributes by key (``storage_used_pct``, ``events.login.days_since``);
marketers think in labels ("Storage used", "Days since last login"), units ("%",
"days") and closed lists of values (the plans). The catalogue in
``guidestudio.yaml`` (``attributes:``) holds those words, and this module is
everything the editor, the validator and ``describe`` need from it:

* looking an attribute up and naming it (``find``, ``label_of``), with a
  readable fallback for keys the catalogue does not have (``default_label``);
* the rule builder's view of it (``attribute_infos``): catalogue entries first,
  with their labels, units, allowed values and types, then whatever else the
  sample profiles hold;
* a proposal for a project without one (``propose``): the sample profiles'
  attributes with their inferred types and, for text with few distinct values,
  those values; and the behaviour attributes of every event the profiles
  record or the guides use.

The catalogue is for authors only: nothing of it reaches a bundle.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from guidestudio.core.behaviour import EVENT_COUNTER_PATH, EVENT_FIELDS, mentioned_event_names
from guidestudio.core.model import Attribute, Guide, Profile, Project
from guidestudio.core.rules.types import TYPE_LABELS, AttributeInfo, infer_attributes
from guidestudio.core.rules.values import format_scalar, is_number

#: The types an entry may have: the rule builder's, without its "behaviour"
#: (an event counter is a number; the builder recognises it by its key).
CATALOGUE_TYPES = ("string", "number", "boolean", "date", "version", "list")
#: The type names an author reads (the rule builder's words, lists spelt out).
CATALOGUE_TYPE_LABELS = {**{t: TYPE_LABELS[t] for t in CATALOGUE_TYPES}, "list": "list of text"}

#: How the seed names an event's counters; ``{event}`` is the event in words.
BEHAVIOUR_LABELS = {
    "count": "{Event}: times in total",
    "last_7d": "{Event}: times in the last 7 days",
    "last_30d": "{Event}: times in the last 30 days",
    "days_since": "Days since last {event}",
}
BEHAVIOUR_UNITS = {"count": "times", "last_7d": "times", "last_30d": "times",
                   "days_since": "days"}
BEHAVIOUR_DESCRIPTIONS = {
    "count": "How many times {name} happened, counted by the runtime from its history.",
    "last_7d": "How many times {name} happened in the last 7 days (UTC dates).",
    "last_30d": "How many times {name} happened in the last 30 days (UTC dates).",
    "days_since": "Days since {name} last happened; not set if it never did.",
}
#: A text attribute whose profiles hold at most this many distinct values, each
#: seen at least twice on average, is proposed with those values as its allowed ones.
MAX_PROPOSED_VALUES = 8

_WORD_SPLIT = re.compile(r"[_\-.\s]+")
_ABBREVIATIONS = {"id": "ID", "pct": "%", "url": "URL", "nps": "NPS", "utc": "UTC"}


def humanize(name: str) -> str:
    """``storage_used_pct`` -> "Storage used %", ``account.age_days`` -> "Account age days"."""
    words = [w for w in _WORD_SPLIT.split(name.strip()) if w]
    if not words:
        return name
    out = [_ABBREVIATIONS.get(w.lower(), w if w.isupper() else w.lower()) for w in words]
    first = out[0]
    out[0] = first if first.isupper() or first in _ABBREVIATIONS.values() \
        else first[:1].upper() + first[1:]
    return " ".join(out)


def event_counter(key: str) -> tuple[str, str] | None:
    """(event, field) of a behaviour attribute key ``events.<event>.<field>``, else None."""
    if not EVENT_COUNTER_PATH.fullmatch(key):
        return None
    event, _, field = key[len("events."):].rpartition(".")
    return event, field


def event_label(event: str) -> str:
    """An event name in words: ``file_uploaded`` -> "File uploaded"."""
    return humanize(event)


def default_label(key: str) -> str:
    """The label of a key the catalogue does not describe, made from the key's words.

    Behaviour attributes read as what they count ("Login: times in the last 7
    days", "Days since file uploaded"); other keys are humanized."""
    counter = event_counter(key)
    if counter is not None:
        event, field = counter
        words = event_label(event)
        return BEHAVIOUR_LABELS[field].format(Event=words, event=words.lower())
    return humanize(key)


def find(attributes: Iterable[Attribute], key: str) -> Attribute | None:
    """The first catalogue entry for ``key`` (the validator warns about later ones)."""
    return next((a for a in attributes if a.key == key), None)


def catalogue_of(project: Project | None) -> list[Attribute]:
    return list(project.settings.attributes) if project is not None else []


def label_of(project: Project | None, key: str) -> str:
    """The author's word for ``key``: its catalogue label, else ``default_label``."""
    entry = find(catalogue_of(project), key)
    if entry is not None and entry.label:
        return entry.label
    return default_label(key)


def unit_of(project: Project | None, key: str) -> str:
    entry = find(catalogue_of(project), key)
    return entry.unit or "" if entry is not None else ""


# --- the rule builder's view --------------------------------------------------------------


def _info_type(entry: Attribute, inferred: AttributeInfo | None) -> str:
    if entry.type is None:
        return inferred.type if inferred is not None else "string"
    if entry.type == "number" and event_counter(entry.key) is not None:
        return "behaviour"  # the builder's name for an event counter
    return entry.type


def entry_info(entry: Attribute, inferred: AttributeInfo | None = None) -> AttributeInfo:
    """The rule builder's ``AttributeInfo`` for a catalogue entry; ``inferred``
    (from the profiles) adds examples and a list's item type."""
    counter = event_counter(entry.key)
    allowed = tuple(entry.allowed)
    examples = inferred.examples if inferred is not None else tuple(
        format_scalar(v) for v in allowed[:3])
    item_type = inferred.item_type if inferred is not None else (
        "number" if allowed and all(is_number(v) for v in allowed) else "string")
    return AttributeInfo(entry.key, _info_type(entry, inferred), examples, item_type,
                         behaviour=counter is not None or (
                             inferred is not None and inferred.behaviour),
                         label=entry.label or "", unit=entry.unit or "", allowed=allowed,
                         summary=entry.description or "")


def attribute_infos(attributes: Iterable[Attribute], profiles: Iterable[Profile]
                    ) -> dict[str, AttributeInfo]:
    """What the rule builder offers: the catalogue's entries in its order (a
    duplicated key counts once), then the profiles' other attributes."""
    inferred = infer_attributes(profiles)
    out: dict[str, AttributeInfo] = {}
    for entry in attributes:
        if entry.key not in out:
            out[entry.key] = entry_info(entry, inferred.get(entry.key))
    for key, info in inferred.items():
        out.setdefault(key, info)
    return out


# --- proposing a catalogue ------------------------------------------------------------------


def _walk_events(guide: Guide) -> Iterator[str]:
    """Product events a guide waits for: its trigger, its goal, its checklist items.

    Not the events its buttons send: those ask the product to act (open a
    booking page), they are not something users are counted doing."""
    if guide.trigger is not None and guide.trigger.event:
        yield guide.trigger.event
    if guide.goal is not None and guide.goal.event:
        yield guide.goal.event
    for variant in guide.variants:
        for step in variant.steps:
            for item in step.items:
                if item.event:
                    yield item.event


def events_used(project: Project) -> list[str]:
    """Every event name the sample profiles record or the project's guides and
    segments use (conditions, triggers, goals, checklist items):
    profiles' events first, then the rest in order of appearance."""
    found: list[str] = []
    for profile in project.profiles:
        found.extend(str(name) for name in profile.events or {})
    conditions: list[Any] = [s.condition for s in project.segments.values()]
    for guide in project.guides.values():
        if guide.audience is not None and guide.audience.conditions:
            conditions.append(guide.audience.conditions)
        found.extend(_walk_events(guide))
    found.extend(mentioned_event_names(conditions))
    return [name for name in dict.fromkeys(found) if isinstance(name, str) and name]


def _profile_values(profiles: Iterable[Profile]) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        else:
            values.setdefault(prefix, []).append(value)

    for profile in profiles:
        walk("", profile.attributes)
    return values


def _proposed_allowed(seen: list[Any]) -> list[Any]:
    texts = [v for v in seen if type(v) is str]
    distinct = list(dict.fromkeys(texts))
    if len(texts) != len(seen) or not 2 <= len(distinct) <= MAX_PROPOSED_VALUES:
        return []
    most = Counter(texts).most_common(1)[0][1]
    return distinct if len(distinct) * 2 <= len(texts) and most > 1 else []


def propose(project: Project) -> list[Attribute]:
    """Entries for what the project uses but its catalogue lacks, in a useful
    order: the profiles' attributes (first seen first), then each event's
    counters. Labels are made from the keys, for the author to reword."""
    known = {a.key for a in project.settings.attributes}
    values = _profile_values(project.profiles)
    out: list[Attribute] = []
    for key, info in infer_attributes(project.profiles).items():
        if key in known or info.behaviour:
            continue
        allowed = _proposed_allowed(values.get(key, [])) if info.type == "string" else []
        unit = "%" if key.endswith("_pct") else None
        out.append(Attribute(key, default_label(key), info.type, unit, allowed))
    for event in events_used(project):
        for field in EVENT_FIELDS:
            key = f"events.{event}.{field}"
            if key in known:
                continue
            name = event_label(event).lower()
            out.append(Attribute(key, default_label(key), "number", BEHAVIOUR_UNITS[field],
                                 description=BEHAVIOUR_DESCRIPTIONS[field].format(name=name)))
    return out


def fits_type(type_name: str | None, value: Any) -> bool:
    """Can an attribute of ``type_name`` hold ``value`` (one allowed value, one list item)?"""
    if type_name in (None, "string", "date", "version", "list"):
        return type(value) is str
    if type_name == "number":
        return is_number(value)
    if type_name == "boolean":
        return type(value) is bool
    return True


__all__ = [
    "BEHAVIOUR_LABELS",
    "CATALOGUE_TYPES",
    "CATALOGUE_TYPE_LABELS",
    "attribute_infos",
    "catalogue_of",
    "default_label",
    "entry_info",
    "event_counter",
    "event_label",
    "events_used",
    "find",
    "fits_type",
    "humanize",
    "label_of",
    "propose",
    "unit_of",
]
