"""Conditions as sentences: "Storage used is at least 90%", "Plan is one of free, trial".

The operator words are the rule builder's (``core/rules/types.py``), so a
sentence reads like the row that wrote it; the attribute's label, type and
unit come from the catalogue. What the builder cannot show (``$type``, an
``$elemMatch`` with a sub-condition…) keeps its operator and JSON value:
rare, and better shown exactly than guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core import catalogue
from guidestudio.core.model import Project
from guidestudio.core.rules.types import TYPES, find_operator, natural_type
from guidestudio.core.rules.values import format_scalar, is_number
from guidestudio.core.targeting.explain import display_value

#: Lists longer than this are counted, not spelt out.
MAX_LISTED = 8
_LOGICAL = {"$and": " and ", "$or": " or "}


def attribute_label(project: Project | None, key: str) -> str:
    """The catalogue's label for ``key``, else one made from the key's words."""
    return catalogue.label_of(project, key)


def _unit_suffix(project: Project | None, key: str, number: Any) -> str:
    """The unit to write after ``number``: none when the label already names it
    ("Days since last login", days), singular for one ("1 day")."""
    unit = catalogue.unit_of(project, key)
    if not unit:
        return ""
    if unit == "%":
        return "%"
    label = attribute_label(project, key).lower()
    if unit.lower() in label or unit.lower().rstrip("s") in label.split():
        return ""
    if number == 1 and unit.endswith("s") and len(unit) > 2:
        unit = unit[:-1]
    return f" {unit}"


def _scalar(value: Any) -> str:
    if type(value) is str:
        return value if value else "“” (empty text)"
    if value is None:
        return "null"
    if type(value) is bool or is_number(value):
        return format_scalar(value)
    return display_value(value)


def value_text(project: Project | None, key: str, value: Any) -> str:
    """A value of attribute ``key`` as an author reads it: ``93%``, ``21 days``,
    ``free, trial``; a long list is counted."""
    if isinstance(value, list):
        if len(value) > MAX_LISTED:
            return f"{len(value)} values"
        shown = ", ".join(_scalar(v) for v in value)
        numbers = [v for v in value if is_number(v)]
        if numbers and len(numbers) == len(value):
            shown += _unit_suffix(project, key, numbers[-1] if len(numbers) == 1 else 2)
        return shown or "an empty list"
    if is_number(value):
        return _scalar(value) + _unit_suffix(project, key, value)
    return _scalar(value)


def _type_of(project: Project | None, key: str, op: str, expected: Any) -> str:
    entry = catalogue.find(catalogue.catalogue_of(project), key)
    if entry is not None and entry.type is not None:
        return entry.type
    return natural_type(op, expected)


def _operator_words(type_name: str, op: str) -> str | None:
    for candidate in (type_name, *TYPES):
        found = find_operator(candidate, op)
        if found is not None:
            return found.label
    return None


def clause_sentence(project: Project | None, key: str, op: str | None, expected: Any) -> str:
    """One clause as a sentence. ``op`` is a GrowthBook operator, a rule builder
    one (``exists``, ``missing``, ``contains``) or None for the literal form
    ``key: value`` (equality)."""
    label = attribute_label(project, key)
    if op is None:
        if expected is None:
            return f"{label} is not set"
        op = "$eq"
    if op == "$exists":
        if type(expected) is bool:
            return f"{label} {'is set' if expected else 'is not set'}"
    elif op in ("exists", "missing"):
        return f"{label} {'is set' if op == 'exists' else 'is not set'}"
    elif op == "$elemMatch" and isinstance(expected, Mapping) and list(expected) == ["$eq"]:
        return f"{label} contains {value_text(project, key, expected['$eq'])}"
    elif op == "contains":
        return f"{label} contains {value_text(project, key, expected)}"
    elif op == "$size" and type(expected) is int:
        return f"{label} has {expected} item{'s' if expected != 1 else ''}"
    words = _operator_words(_type_of(project, key, op, expected), op)
    if words is None or (isinstance(expected, Mapping) and op != "$eq"):
        return f"{label} {op} {display_value(expected)}"
    return f"{label} {words} {value_text(project, key, expected)}"


def _is_operator_object(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(
        isinstance(k, str) and k.startswith("$") for k in value)


def _attribute_sentences(project: Project | None, key: str, value: Any) -> list[str]:
    if _is_operator_object(value):
        return [clause_sentence(project, key, op, expected) for op, expected in value.items()]
    return [clause_sentence(project, key, None, value)]


def _group(project: Project | None, items: Any, joiner: str) -> str:
    parts = [condition_sentence(project, sub) for sub in items] if isinstance(items, list) else []
    parts = [p for p in parts if p]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"


def condition_sentence(project: Project | None, condition: Any) -> str:
    """A whole condition in words: clauses joined by "and", "any of" groups by
    "or", "none of" as "not (…)"; "" for the empty condition (everyone)."""
    if not isinstance(condition, Mapping):
        return display_value(condition)
    parts: list[str] = []
    for key, value in condition.items():
        if key in _LOGICAL:
            text = _group(project, value, _LOGICAL[key])
            if text:
                parts.append(text)
        elif key == "$nor":
            text = _group(project, value, " or ")
            if text:
                parts.append(f"not {text}" if text.startswith("(") else f"not ({text})")
        elif key == "$not":
            parts.append(f"not ({condition_sentence(project, value)})")
        else:
            parts.extend(_attribute_sentences(project, str(key), value))
    return " and ".join(parts)


__all__ = ["attribute_label", "clause_sentence", "condition_sentence", "value_text"]
