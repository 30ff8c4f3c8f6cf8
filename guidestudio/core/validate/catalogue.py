"""Rules for the attribute catalogue, and for conditions measured against it.

The catalogue (``attributes:`` in ``guidestudio.yaml``) is the author's
dictionary, so its faults are warnings, never errors: a key described twice
(the first entry is the one used), an allowed value the attribute's type
cannot hold, a unit on something that is not a number. A condition that
compares an attribute with a value outside the attribute's allowed values is
almost always a typo (``plan: Pro`` when the product sends ``pro``), so it is
reported where the condition is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidestudio.core.catalogue import CATALOGUE_TYPE_LABELS, event_counter, find, fits_type
from guidestudio.core.model import Attribute
from guidestudio.core.rules.values import format_list, format_scalar
from guidestudio.core.validate.condition_sites import field_conditions
from guidestudio.core.validate.reporting import Context, FieldPath, Reporter

#: Operators whose expected value is one value of the attribute, or a list of them.
_ONE_VALUE = frozenset({"$eq", "$ne"})
_VALUE_LISTS = frozenset({"$in", "$nin", "$all", "$ini", "$nini", "$alli"})
_FOLDED = frozenset({"$ini", "$nini", "$alli"})


def catalogue_signature(attributes: list[Attribute]) -> tuple[Any, ...]:
    """What of the catalogue the condition checks read: when it changes, guides
    are checked again (the incremental validator compares it between passes)."""
    return tuple((a.key, a.label, a.type, tuple(a.allowed)) for a in attributes)


def _shown(values: list[Any]) -> str:
    return format_list([format_scalar(v) for v in values])


def check_catalogue(ctx: Context, r: Reporter) -> None:
    first: dict[str, int] = {}
    for i, entry in enumerate(ctx.project.settings.attributes):
        if entry.key in first:
            r.warn(("attributes", i, "key"), "catalogue-duplicate",
                   f"the attribute {entry.key!r} is described twice in the attribute "
                   f"catalogue (also entry {first[entry.key] + 1}); the first description is "
                   f"used, so merge them into one")
            continue
        first[entry.key] = i
        type_words = CATALOGUE_TYPE_LABELS.get(entry.type or "", "text")
        for j, value in enumerate(entry.allowed):
            if not fits_type(entry.type, value):
                r.warn(("attributes", i, "allowed", j), "catalogue-value-type",
                       f"{entry.label or entry.key} is {type_words}, but its allowed value "
                       f"{format_scalar(value)!r} is not; write it as {type_words} or change "
                       f"the attribute's type")
        if entry.unit and entry.type not in (None, "number"):
            r.warn(("attributes", i, "unit"), "catalogue-unit",
                   f"{entry.label or entry.key} is {type_words}, and a unit is only shown "
                   f"next to numbers; remove the unit or make the attribute a number")
        if event_counter(entry.key) is not None and entry.type not in (None, "number"):
            r.warn(("attributes", i, "type"), "catalogue-counter-type",
                   f"{entry.key} is counted by the runtime, so it is always a number; "
                   f"set its type to number")


def _comparisons(condition: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str, Any]]:
    """(where, attribute, compared value) for every value a condition compares an
    attribute with for equality or membership, following GrowthBook's grammar."""
    for here, key, value in field_conditions(condition, path):
        if isinstance(key, str) and not key.startswith("$"):
            yield from _values(key, value, here)


def _values(attribute: str, value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str, Any]]:
    if not isinstance(value, Mapping):
        if type(value) in (str, int, float, bool):
            yield path, attribute, value  # the literal shorthand ``plan: free``
        return
    if not value or not all(isinstance(k, str) and k.startswith("$") for k in value):
        return
    for op, expected in value.items():
        here = (*path, op)
        if op in _ONE_VALUE and type(expected) in (str, int, float, bool):
            yield here, attribute, expected
        elif op in _VALUE_LISTS and isinstance(expected, list):
            for i, item in enumerate(expected):
                if type(item) in (str, int, float, bool):
                    yield (*here, i), attribute, (item.casefold() if op in _FOLDED
                                                  and type(item) is str else item)
        elif op == "$elemMatch" and isinstance(expected, Mapping):
            found = expected.get("$eq")
            if len(expected) == 1 and type(found) in (str, int, float, bool):
                yield (*here, "$eq"), attribute, found
        elif op == "$not":
            yield from _values(attribute, expected, here)


def _allowed(entry: Attribute, folded: bool) -> list[Any]:
    return [v.casefold() if folded and type(v) is str else v for v in entry.allowed]


def check_allowed_values(ctx: Context, r: Reporter, condition: Any, base: FieldPath) -> None:
    """Warn where ``condition`` compares an attribute with a value its catalogue
    entry does not allow."""
    attributes = ctx.project.settings.attributes
    if not attributes or not isinstance(condition, Mapping):
        return
    for path, key, value in _comparisons(condition, ()):
        entry = find(attributes, key)
        if entry is None or not entry.allowed:
            continue
        folded = any(op in _FOLDED for op in path if isinstance(op, str))
        allowed = _allowed(entry, folded)
        if value in allowed and any(type(value) is type(a) for a in allowed if a == value):
            continue
        name = entry.label or key
        r.warn((*base, *path), "not-allowed-value",
               f"{name} ({key}) is compared with {format_scalar(value)!r}, which is not one "
               f"of its values in the attribute catalogue ({_shown(entry.allowed)}); the "
               f"product never sends it, so check the spelling or add it to the catalogue")


__all__ = ["catalogue_signature", "check_allowed_values", "check_catalogue"]
