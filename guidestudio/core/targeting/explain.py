"""Why a condition fails, and which operators it uses that do not exist.

For people, not for the hot loop: ``first_failure`` finds the first clause
a user fails ("why is this guide not shown?") and ``condition_failure`` names it
in one line, and
``unknown_operators`` lets the validator report a misspelt operator at load
time instead of the clause silently failing for every user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ClauseFailure:
    """The first clause of a condition a user fails, as data, so it can be told
    in a developer's words (``condition_failure``) or an author's (``describe``).

    ``kind`` is ``value`` (attribute ``path`` failed operator ``op`` against
    ``expected``; ``op`` None for the literal form ``path: expected``; ``actual``
    and ``present`` are the user's value), ``unknown-operator``, ``or`` (no
    branch matched; ``branches`` holds the first three branches' failures and
    ``more`` says there were others), ``nor`` (branch ``index`` matched, it is
    ``expected``), ``nor-empty``, ``not`` (``expected`` matched) or ``too-deep``.
    """

    kind: str
    path: str = ""
    op: str | None = None
    expected: Any = None
    actual: Any = None
    present: bool = False
    branches: tuple[ClauseFailure | None, ...] = ()
    more: bool = False
    index: int = 0

    def __str__(self) -> str:
        return format_failure(self)


def format_failure(failure: ClauseFailure) -> str:
    """The developer's one-line reason, e.g. ``storage_used_pct $gte 90 (was 42)``."""
    kind = failure.kind
    if kind == "value":
        was = f"was {display_value(failure.actual)}" if failure.present else "missing"
        if failure.op is None:
            return f"{failure.path} = {display_value(failure.expected)} ({was})"
        return f"{failure.path} {failure.op} {display_value(failure.expected)} ({was})"
    if kind == "unknown-operator":
        return f"{failure.path}: unknown operator {failure.op}"
    if kind == "or":
        more = " | …" if failure.more else ""
        return "no $or branch matched: " + " | ".join(map(str, failure.branches)) + more
    if kind == "nor":
        return f"$nor branch {failure.index + 1} matched"
    if kind == "nor-empty":
        return "$nor is empty, so it never passes"
    if kind == "not":
        return "the $not condition matched"
    return "condition too deeply nested"


def _value_failure(path: str, condition: Any, obj: Any, groups: Mapping[str, Any]
                   ) -> ClauseFailure:
    value = get_path(obj, path)
    present = path_exists(obj, path)
    if isinstance(condition, Mapping) and is_operator_object(condition):
        for op, expected in condition.items():
            fn = OPERATORS.get(op)
            if fn is None:
                return ClauseFailure("unknown-operator", path, op)
            if not fn(value, expected, groups):
                return ClauseFailure("value", path, op, expected, value, present)
    return ClauseFailure("value", path, None, condition, value, present)


def first_failure(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> ClauseFailure | None:
    """The first top-level clause of ``condition`` the user with ``attributes``
    fails (descending into ``$and``), or None when the condition passes."""
    groups = saved_groups or EMPTY_GROUPS
    try:
        for key, value in as_condition(condition).items():
            if key == "$and":
                for sub in value if isinstance(value, ARRAY_TYPES) else ():
                    failure = first_failure(attributes, sub, groups)
                    if failure is not None:
                        return failure
            elif key == "$or":
                if not eval_or(attributes, value, groups):
                    branches = tuple(first_failure(attributes, sub, groups) for sub in value[:3])
                    return ClauseFailure("or", expected=value, branches=branches,
                                         more=len(value) > 3)
            elif key == "$nor":
                if eval_or(attributes, value, groups):
                    subs = value if isinstance(value, ARRAY_TYPES) else ()
                    for i, sub in enumerate(subs):
                        if eval_unguarded(attributes, sub, groups):
                            return ClauseFailure("nor", expected=sub, index=i)
                    return ClauseFailure("nor-empty")
            elif key == "$not":
                if eval_unguarded(attributes, value, groups):
                    return ClauseFailure("not", expected=value)
            elif not eval_value(value, get_path(attributes, key), groups):
                return _value_failure(key, value, attributes, groups)
    except RecursionError:
        return ClauseFailure("too-deep")
    return None


def condition_failure(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> str | None:
    """A short reason naming the first top-level clause that fails, e.g.
    ``storage_used_pct $gte 90 (was 42)``, for "why is this guide not shown?";
    None when the condition passes. ``describe`` tells the same failure in an
    author's words."""
    failure = first_failure(attributes, condition, saved_groups)
    return None if failure is None else format_failure(failure)


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
