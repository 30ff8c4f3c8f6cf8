"""What the rule builder offers for an attribute: its type, operators and value format.

The visual rule builder speaks in marketer terms ("plan equals free",
"storage_used_pct is at least 90") while the project stores GrowthBook
conditions. This module is the dictionary between the two, kept free of Qt so
every mapping, parser and inference is unit-tested without a display:

* attribute types inferred from the sample profiles (``infer_attributes``),
  including dotted paths into nested objects and the runtime's behaviour
  attributes ``events.<name>.count|last_7d|last_30d|days_since``;
* the operators that make sense for each type, with human labels
  (``operators_for``), and how a builder operator maps to GrowthBook's
  (``to_operator`` / ``from_operator``);
* how a value is typed and shown (``parse_value`` / ``format_value``), which is
  where inline validation comes from: a bad regex, a non-number for a number.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from guidestudio.core.model import Profile
from guidestudio.core.rules.values import (
    DATE_RE,
    date_error,
    format_scalar,
    format_value,
    is_number,
)

TYPES = ("string", "number", "boolean", "list", "version", "date", "behaviour")
TYPE_LABELS = {
    "string": "text",
    "number": "number",
    "boolean": "yes/no",
    "list": "list",
    "version": "version",
    "date": "date",
    "behaviour": "event count",
}
BEHAVIOUR_FIELDS = ("count", "last_7d", "last_30d", "days_since")
BEHAVIOUR_HELP = {
    "count": "times {event} happened in total",
    "last_7d": "times {event} happened in the last 7 days",
    "last_30d": "times {event} happened in the last 30 days",
    "days_since": "days since {event} last happened (not set if never)",
}

@dataclass(frozen=True)
class Operator:
    """One choice in a row's operator box.

    ``key`` is the GrowthBook operator, except for three builder-only names
    that stand for a fixed GrowthBook form: ``exists`` (``$exists: true``),
    ``missing`` (``$exists: false``) and ``contains``
    (``$elemMatch: {$eq: value}``).
    """

    key: str
    label: str
    symbol: str
    kind: str  # value kind: none number count string regex regexi version date bool item *_list


_EXISTS = Operator("exists", "is set", "exists", "none")
_MISSING = Operator("missing", "is not set", "does not exist", "none")

_NUMBER_OPS = (
    Operator("$eq", "is", "=", "number"),
    Operator("$ne", "is not", "≠", "number"),
    Operator("$lt", "is less than", "<", "number"),
    Operator("$lte", "is at most", "≤", "number"),
    Operator("$gt", "is more than", ">", "number"),
    Operator("$gte", "is at least", "≥", "number"),
    Operator("$in", "is one of", "in", "number_list"),
    Operator("$nin", "is none of", "not in", "number_list"),
    _EXISTS,
    _MISSING,
)

_OPERATORS: dict[str, tuple[Operator, ...]] = {
    "string": (
        Operator("$eq", "equals", "=", "string"),
        Operator("$ne", "does not equal", "≠", "string"),
        Operator("$in", "is one of", "in", "string_list"),
        Operator("$nin", "is none of", "not in", "string_list"),
        Operator("$ini", "is one of (any case)", "in (case-insensitive)", "string_list"),
        Operator("$nini", "is none of (any case)", "not in (case-insensitive)", "string_list"),
        Operator("$regex", "matches regex", "~", "regex"),
        Operator("$regexi", "matches regex (any case)", "~*", "regexi"),
        _EXISTS,
        _MISSING,
    ),
    "number": _NUMBER_OPS,
    "behaviour": _NUMBER_OPS,
    "boolean": (
        Operator("$eq", "is", "=", "bool"),
        Operator("$ne", "is not", "≠", "bool"),
        _EXISTS,
        _MISSING,
    ),
    "list": (
        Operator("contains", "contains", "∋", "item"),
        Operator("$all", "contains all of", "⊇", "item_list"),
        Operator("$in", "contains any of", "∩", "item_list"),
        Operator("$nin", "contains none of", "∌", "item_list"),
        Operator("$size", "has this many items", "#", "count"),
        _EXISTS,
        _MISSING,
    ),
    "version": (
        Operator("$veq", "is version", "=", "version"),
        Operator("$vne", "is not version", "≠", "version"),
        Operator("$vgt", "is newer than", ">", "version"),
        Operator("$vgte", "is at least version", "≥", "version"),
        Operator("$vlt", "is older than", "<", "version"),
        Operator("$vlte", "is at most version", "≤", "version"),
        _EXISTS,
        _MISSING,
    ),
    "date": (
        Operator("$lt", "is before", "<", "date"),
        Operator("$gt", "is after", ">", "date"),
        Operator("$lte", "is on or before", "≤", "date"),
        Operator("$gte", "is on or after", "≥", "date"),
        Operator("$eq", "is exactly", "=", "date"),
        _EXISTS,
        _MISSING,
    ),
}

VERSION_OPS = frozenset({"$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"})
_SCALAR_OPS = frozenset({"$eq", "$ne"})
_ORDER_OPS = frozenset({"$lt", "$lte", "$gt", "$gte"})
_LIST_OPS = frozenset({"$in", "$nin", "$all"})
_FOLDED_LIST_OPS = frozenset({"$ini", "$nini"})
_FAMILY = {"number": "number", "behaviour": "number", "string": "text", "version": "text",
           "date": "text", "boolean": "boolean", "list": "list"}


def operators_for(type_name: str) -> tuple[Operator, ...]:
    """The operators offered for an attribute of ``type_name`` (text for unknown types)."""
    return _OPERATORS.get(type_name, _OPERATORS["string"])


def find_operator(type_name: str, key: str) -> Operator | None:
    return next((op for op in operators_for(type_name) if op.key == key), None)


def value_kind(type_name: str, key: str, item_type: str = "string") -> str:
    """The value kind a row of this type and operator edits ("none" if unknown)."""
    op = find_operator(type_name, key)
    if op is None:
        return "none"
    if op.kind == "item":
        return "number" if item_type == "number" else "string"
    if op.kind == "item_list":
        return "number_list" if item_type == "number" else "string_list"
    return op.kind


def family(type_name: str) -> str:
    """Version and date strings are text; behaviour counts are numbers."""
    return _FAMILY.get(type_name, "text")


def same_family(a: str, b: str) -> bool:
    return family(a) == family(b)


# --- GrowthBook operator <-> builder operator ---------------------------------------


def _is_scalar(value: Any) -> bool:
    return type(value) is str or is_number(value)


def to_operator(key: str, value: Any) -> tuple[str, Any]:
    """The GrowthBook operator and expected value a builder row writes."""
    if key == "exists":
        return "$exists", True
    if key == "missing":
        return "$exists", False
    if key == "contains":
        return "$elemMatch", {"$eq": value}
    return key, value


def from_operator(op: str, expected: Any) -> tuple[str, Any] | None:
    """The builder row for one GrowthBook operator, or None when the builder
    cannot show it faithfully (it then stays an advanced, read-only row)."""
    if op == "$exists":
        return ("exists" if expected else "missing", None) if type(expected) is bool else None
    if op == "$elemMatch":
        if (isinstance(expected, dict) and list(expected) == ["$eq"]
                and _is_scalar(expected["$eq"])):
            return "contains", expected["$eq"]
        return None
    if op in _SCALAR_OPS:
        return (op, expected) if _is_scalar(expected) or type(expected) is bool else None
    if op in _ORDER_OPS or op in VERSION_OPS or op in ("$regex", "$regexi"):
        ok = type(expected) is str or (op in _ORDER_OPS and is_number(expected))
        return (op, expected) if ok else None
    if op in _LIST_OPS:
        ok = type(expected) is list and all(_is_scalar(e) for e in expected)
        return (op, expected) if ok else None
    if op in _FOLDED_LIST_OPS:
        ok = type(expected) is list and all(type(e) is str for e in expected)
        return (op, expected) if ok else None
    if op == "$size":
        return (op, expected) if type(expected) is int and expected >= 0 else None
    return None


# --- attribute types from sample profiles ----------------------------------------


@dataclass(frozen=True)
class AttributeInfo:
    """An attribute the builder suggests: its dotted path, inferred type and a
    few sample values (shown in the suggestion list's tooltip). Attributes the
    project's catalogue describes also carry its label, unit, allowed values and
    description (``summary``); inferred ones leave them empty."""

    path: str
    type: str
    examples: tuple[str, ...] = ()
    item_type: str = "string"  # for lists: the type of their items
    behaviour: bool = False
    label: str = ""
    unit: str = ""
    allowed: tuple[Any, ...] = ()
    summary: str = ""

    @property
    def description(self) -> str:
        if self.summary:
            return self.summary
        if self.behaviour:
            event, _, field = self.path[len("events."):].rpartition(".")
            return "event count: " + BEHAVIOUR_HELP.get(field, field).format(event=repr(event))
        label = TYPE_LABELS.get(self.type, self.type)
        shown = ", ".join(self.examples)
        return f"{label}, e.g. {shown}" if shown else label


# A version needs a dot (2.4.1, v1.2): a bare "2" is a number-like string, not a version.
_VERSION_LIKE_RE = re.compile(r"v?\d+\.\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def classify(value: Any) -> str | None:
    """The builder type of one attribute value (None for null or objects)."""
    if type(value) is bool:
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        if _VERSION_LIKE_RE.fullmatch(value):
            return "version"
        if DATE_RE.fullmatch(value) and date_error(value) is None:
            return "date"
        return "string"
    return None


def _vote(types: list[str]) -> str:
    counts = Counter(types)
    if len(counts) > 1 and counts.keys() <= {"string", "version", "date"}:
        return "string"  # a mix of text shapes is plain text
    return counts.most_common(1)[0][0]


def _flatten(prefix: str, value: Any, out: dict[str, list[Any]]) -> None:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), sub, out)
    else:
        out.setdefault(prefix, []).append(value)


def infer_attributes(profiles: Iterable[Profile]) -> dict[str, AttributeInfo]:
    """Attributes found in ``profiles`` (first-seen order), then the behaviour
    attributes of every event name in their ``events`` (alphabetical)."""
    values: dict[str, list[Any]] = {}
    events: set[str] = set()
    for profile in profiles:
        _flatten("", profile.attributes, values)
        events.update(profile.events or {})
    found: dict[str, AttributeInfo] = {}
    for path, seen in values.items():
        types = [t for t in map(classify, seen) if t is not None]
        if not types:
            continue
        type_name = _vote(types)
        items = [i for v in seen if isinstance(v, list) for i in v]
        item_type = "number" if items and all(is_number(i) for i in items) else "string"
        examples: list[str] = []
        for v in seen:
            shown = format_value("string_list", v) if isinstance(v, list) else format_scalar(v)
            if shown not in examples and len(examples) < 3:
                examples.append(shown if len(shown) <= 24 else shown[:23] + "…")
        found[path] = AttributeInfo(path, type_name, tuple(examples), item_type)
    for event in sorted(events):
        for field in BEHAVIOUR_FIELDS:
            path = f"events.{event}.{field}"
            found[path] = AttributeInfo(path, "behaviour", (), "string", behaviour=True)
    return found


def natural_type(op: str, value: Any) -> str:
    """The type a rule's own operator and value suggest, when the attribute is unknown."""
    if op in VERSION_OPS:
        return "version"
    if op in ("contains", "$all", "$size"):
        return "list"
    if op in ("$regex", "$regexi", "$ini", "$nini"):
        return "string"
    if type(value) is bool:
        return "boolean"
    if is_number(value) or (type(value) is list and value and all(map(is_number, value))):
        return "number"
    if type(value) is str and op in _ORDER_OPS and DATE_RE.fullmatch(value):
        return "date"
    return "string"
