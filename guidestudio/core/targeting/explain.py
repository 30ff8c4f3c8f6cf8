"""Why a condition fails, and which operators it uses that do not exist.

For people, not for the hot loop: ``condition_failure`` names the first
clause a user fails ("why is this guide not shown?"), and
``unknown_operators`` lets the validator report a misspelt operator at load
time instead of the clause silently failing for every user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core.targeting.conditions import (
    EMPTY_GROUPS,
    OPERATORS,
    as_condition,
    eval_or,
    eval_unguarded,
    eval_value,
    is_operator_object,
)
from guidestudio.core.targeting.js_values import ARRAY_TYPES, js_json
from guidestudio.core.targeting.paths import get_path, path_exists

_DISPLAY_MAX = 60


def display_value(value: Any) -> str:
    """A value as a person reads it in a one-line message: JSON, shortened."""
    if isinstance(value, ARRAY_TYPES) and len(value) > 8:
        return f"[{len(value)} items]"
    text = value if type(value) is str and " " not in value else js_json(value)
    return text if len(text) <= _DISPLAY_MAX else text[: _DISPLAY_MAX - 1] + "…"


def _explain_value(path: str, condition: Any, obj: Any, groups: Mapping[str, Any]) -> str:
    value = get_path(obj, path)
    was = f"was {display_value(value)}" if path_exists(obj, path) else "missing"
    if isinstance(condition, Mapping) and is_operator_object(condition):
        for op, expected in condition.items():
            fn = OPERATORS.get(op)
            if fn is None:
                return f"{path}: unknown operator {op}"
            if not fn(value, expected, groups):
                return f"{path} {op} {display_value(expected)} ({was})"
    return f"{path} = {display_value(condition)} ({was})"


def condition_failure(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> str | None:
    """A short reason naming the first top-level clause that fails, e.g.
    ``storage_used_pct $gte 90 (was 42)``, for "why is this guide not shown?";
    None when the condition passes."""
    groups = saved_groups or EMPTY_GROUPS
    try:
        for key, value in as_condition(condition).items():
            if key == "$and":
                for sub in value if isinstance(value, ARRAY_TYPES) else ():
                    reason = condition_failure(attributes, sub, groups)
                    if reason is not None:
                        return reason
            elif key == "$or":
                if not eval_or(attributes, value, groups):
                    reasons = [condition_failure(attributes, sub, groups) for sub in value[:3]]
                    more = " | …" if len(value) > 3 else ""
                    return "no $or branch matched: " + " | ".join(map(str, reasons)) + more
            elif key == "$nor":
                if eval_or(attributes, value, groups):
                    subs = value if isinstance(value, ARRAY_TYPES) else ()
                    for i, sub in enumerate(subs):
                        if eval_unguarded(attributes, sub, groups):
                            return f"$nor branch {i + 1} matched"
                    return "$nor is empty, so it never passes"
            elif key == "$not":
                if eval_unguarded(attributes, value, groups):
                    return "the $not condition matched"
            elif not eval_value(value, get_path(attributes, key), groups):
                return _explain_value(key, value, attributes, groups)
    except RecursionError:
        return "condition too deeply nested"
    return None


def unknown_operators(condition: Any) -> list[str]:
    """Operators the evaluator does not know, each with its dotted location
    (e.g. ``$or.1.plan.$regx``), so the validator can report them at load time
    instead of the clause silently failing for every user.

    Only keys inside operator objects count: a top-level ``$name`` key is an
    attribute path in GrowthBook's grammar (its suite targets ``$groups``)."""
    found: list[str] = []
    _walk_condition(condition, "", found)
    return found


def _walk_condition(condition: Any, prefix: str, found: list[str]) -> None:
    if not isinstance(condition, Mapping):
        return
    for key, value in condition.items():
        if key in ("$and", "$or", "$nor"):
            if isinstance(value, ARRAY_TYPES):
                for i, sub in enumerate(value):
                    _walk_condition(sub, f"{prefix}{key}.{i}.", found)
        elif key == "$not":
            _walk_condition(value, f"{prefix}$not.", found)
        else:
            _walk_value(value, f"{prefix}{key}", found)


def _walk_value(value: Any, path: str, found: list[str]) -> None:
    if not (isinstance(value, Mapping) and is_operator_object(value)):
        return
    for op, expected in value.items():
        where = f"{path}.{op}"
        if op not in OPERATORS:
            found.append(where)
        elif op in ("$not", "$size"):
            _walk_value(expected, where, found)
        elif op == "$elemMatch":
            if isinstance(expected, Mapping) and is_operator_object(expected):
                _walk_value(expected, where, found)
            else:
                _walk_condition(expected, where + ".", found)
        elif op in ("$all", "$alli") and isinstance(expected, ARRAY_TYPES):
            for i, item in enumerate(expected):
                _walk_value(item, f"{where}.{i}", found)
