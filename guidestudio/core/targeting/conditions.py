"""The condition evaluator: GrowthBook's ``evalCondition`` and its operators.

This is the hot loop of ``guidestudio simulate`` and of the editor's preview
(users × guides), so the common shapes are inlined in ``eval_unguarded`` and
every helper is a module global bound by ``from … import``, never an attribute
looked up on another module. The operators live here with the evaluator
because each needs the other (``$elemMatch`` and ``$not`` evaluate nested
conditions).

The evaluator's pieces are public for the code that must agree with it
without a second copy of the semantics: ``explain`` (why a clause fails),
``simulate`` (a clause evaluated once per distinct value), ``audience_checks``
(clauses evaluated against a pinned value) and ``eligibility`` (history
fields compared as ``$gt``/``$gte``/``$lt`` compare).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from guidestudio.core.targeting.js_compare import is_in, is_in_folded, js_less, strict_equal
from guidestudio.core.targeting.js_regex import regex_test
from guidestudio.core.targeting.js_values import (
    ARRAY_TYPES,
    INHERITED_NAMES,
    inherited_property,
    js_json,
    js_string,
    js_to_number,
    js_truthy,
    js_type,
    utf16_units,
)
from guidestudio.core.targeting.paths import get_path
from guidestudio.core.targeting.versions import compare_versions, padded_version

# The saved groups of a condition evaluated without any (read-only, shared).
EMPTY_GROUPS: Mapping[str, Any] = {}


def as_condition(condition: Any) -> Mapping[str, Any]:
    """What ``Object.entries`` makes of a non-object condition (arrays and
    strings by index); null is treated as "no condition", as GrowthBook SDKs
    treat a missing one."""
    if isinstance(condition, Mapping):
        return condition
    if isinstance(condition, ARRAY_TYPES):
        return {str(i): v for i, v in enumerate(condition)}
    if isinstance(condition, str):
        return {str(i): u for i, u in enumerate(utf16_units(condition))}
    return EMPTY_GROUPS


def is_operator_object(obj: Mapping[str, Any]) -> bool:
    """Is every key an operator (``{"$gt": 1}``)? Only then is the object a
    test; otherwise it is a literal compared by its JSON form."""
    if not obj:
        return False
    for k in obj:
        if type(k) is not str or k[:1] != "$":
            return False
    return True


def eval_unguarded(obj: Any, condition: Any, groups: Mapping[str, Any]) -> bool:
    """``eval_condition`` without its RecursionError guard, for callers that
    have their own. The hot loop (users x guides): the common shapes (plain
    attribute dict, undotted key, operator object, list under $and/$or) are
    inlined."""
    if type(condition) is not dict:
        condition = as_condition(condition)
    plain = type(obj) is dict
    for key, value in condition.items():
        if key in _LOGICAL:
            if key == "$and":
                if type(value) is list:
                    for sub in value:
                        if not eval_unguarded(obj, sub, groups):
                            return False
                elif not _eval_and(obj, value, groups):
                    return False
            elif key == "$or":
                if type(value) is list and value:
                    for sub in value:
                        if eval_unguarded(obj, sub, groups):
                            break
                    else:
                        return False
                elif not eval_or(obj, value, groups):
                    return False
            elif key == "$nor":
                if eval_or(obj, value, groups):
                    return False
            elif eval_unguarded(obj, value, groups):  # $not
                return False
            continue
        if plain and "." not in key:
            actual = obj.get(key)
            if actual is None and key in INHERITED_NAMES and key not in obj:
                actual = inherited_property(obj, key)  # user.toString: as JS reads it
        else:
            actual = get_path(obj, key)
        if type(value) is dict and value:
            for op, expected in value.items():
                fn = OPERATORS.get(op)
                if fn is None:  # an unknown operator, or a literal object
                    if not eval_value(value, actual, groups):
                        return False
                    break
                if not fn(actual, expected, groups):
                    # Only an operator object fails here; {"$gt": 1, "x": 2}
                    # is a literal that happens to start with "$".
                    if is_operator_object(value) or not eval_value(value, actual, groups):
                        return False
                    break
        elif not eval_value(value, actual, groups):
            return False
    return True


_LOGICAL = frozenset(("$or", "$and", "$nor", "$not"))


def eval_or(obj: Any, conditions: Any, groups: Mapping[str, Any]) -> bool:
    """Does any of ``conditions`` pass (``$or``; ``$nor`` is its negation)?"""
    if not isinstance(conditions, ARRAY_TYPES) or not conditions:
        return True  # an empty $or passes (and JS's `!undefined` passes too)
    for sub in conditions:
        if eval_unguarded(obj, sub, groups):
            return True
    return False


def _eval_and(obj: Any, conditions: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(conditions, ARRAY_TYPES):
        return True
    for sub in conditions:
        if not eval_unguarded(obj, sub, groups):
            return False
    return True


def eval_value(
    condition: Any, value: Any, groups: Mapping[str, Any], insensitive: bool = False
) -> bool:
    """One path's condition: a literal (JS coercion) or an operator object."""
    t = type(condition)
    if t is dict:
        if is_operator_object(condition):
            for op, expected in condition.items():
                fn = OPERATORS.get(op)
                if fn is None or not fn(value, expected, groups):
                    return False
            return True
        return js_json(value) == js_json(condition)
    if t is str:
        if insensitive:
            return js_string(value).lower() == condition.lower()
        return (value if type(value) is str else js_string(value)) == condition
    if t is bool:
        return value is not None and js_truthy(value) is condition
    if t is int or t is float:
        return js_to_number(value) == js_to_number(condition)
    if condition is None:
        return value is None
    if isinstance(condition, ARRAY_TYPES):
        return js_json(value) == js_json(condition)
    if isinstance(condition, Mapping):
        return eval_value(dict(condition), value, groups, insensitive)
    if isinstance(condition, bool):
        return eval_value(bool(condition), value, groups, insensitive)
    if isinstance(condition, str):
        return eval_value(str.__str__(condition), value, groups, insensitive)
    if isinstance(condition, (int, float)):
        return eval_value(js_to_number(condition), value, groups, insensitive)
    return False


def _op_eq(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return strict_equal(actual, expected)


def _op_ne(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not strict_equal(actual, expected)


_NUMBER_TYPES = frozenset((int, float))


def _op_lt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual < expected
    return js_less(actual, expected) is True


def _op_lte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual <= expected
    return js_less(expected, actual) is False


def _op_gt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual > expected
    return js_less(expected, actual) is True


def _op_gte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual >= expected
    return js_less(actual, expected) is False


def _op_exists(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return (actual is not None) if js_truthy(expected) else (actual is None)


def _op_type(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return js_type(actual) == expected


def _op_in(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(expected) is not list and not isinstance(expected, ARRAY_TYPES):
        return False
    if type(actual) is str:
        return actual in expected  # a str only ever == a str: already strict
    return is_in(actual, expected)  # type: ignore[arg-type]


def _op_nin(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, ARRAY_TYPES):
        return False
    return not is_in(actual, expected)  # type: ignore[arg-type]


def _op_ini(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, ARRAY_TYPES):
        return False
    return is_in_folded(actual, expected)  # type: ignore[arg-type]


def _op_nini(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, ARRAY_TYPES):
        return False
    return not is_in_folded(actual, expected)  # type: ignore[arg-type]


def _saved_group(groups: Mapping[str, Any], group_id: Any) -> list[Any]:
    members = groups.get(group_id if type(group_id) is str else js_string(group_id))
    return members if isinstance(members, ARRAY_TYPES) else []  # type: ignore[return-value]


def _op_in_group(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return is_in(actual, _saved_group(groups, expected))


def _op_not_in_group(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not is_in(actual, _saved_group(groups, expected))


def _all(actual: Any, expected: Any, groups: Mapping[str, Any], insensitive: bool) -> bool:
    if not isinstance(expected, ARRAY_TYPES) or not isinstance(actual, ARRAY_TYPES):
        return False
    for wanted in expected:
        for element in actual:
            if eval_value(wanted, element, groups, insensitive):
                break
        else:
            return False
    return True


def _op_all(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _all(actual, expected, groups, False)


def _op_alli(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _all(actual, expected, groups, True)


def _op_size(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(actual, ARRAY_TYPES):
        return False
    return eval_value(expected, len(actual), groups)


def _op_elem_match(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(actual, ARRAY_TYPES):
        return False
    operator_form = isinstance(expected, Mapping) and is_operator_object(expected)
    for element in actual:
        # GrowthBook skips falsy elements (`actual[i] && check(...)`): a 0, ""
        # or false element never matches, whatever the condition.
        if not js_truthy(element):
            continue
        if operator_form:
            if eval_value(expected, element, groups):
                return True
        elif eval_unguarded(element, expected, groups):
            return True
    return False


def _op_not(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not eval_value(expected, actual, groups)


def _op_regex(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return regex_test(actual, expected, False)


def _op_regexi(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return regex_test(actual, expected, True)


def _op_veq(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return padded_version(actual) == padded_version(expected)


def _op_vne(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return padded_version(actual) != padded_version(expected)


def _op_vgt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return compare_versions(actual, expected) > 0


def _op_vgte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return compare_versions(actual, expected) >= 0


def _op_vlt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return compare_versions(actual, expected) < 0


def _op_vlte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return compare_versions(actual, expected) <= 0


OperatorFn = Callable[[Any, Any, Mapping[str, Any]], bool]

# Operator name -> ``fn(actual, expected, saved_groups)``: the one definition
# of every operator, shared by the evaluator and its set-at-a-time twin.
OPERATORS: dict[str, OperatorFn] = {
    "$eq": _op_eq,
    "$ne": _op_ne,
    "$lt": _op_lt,
    "$lte": _op_lte,
    "$gt": _op_gt,
    "$gte": _op_gte,
    "$exists": _op_exists,
    "$type": _op_type,
    "$in": _op_in,
    "$nin": _op_nin,
    "$ini": _op_ini,
    "$nini": _op_nini,
    "$inGroup": _op_in_group,
    "$notInGroup": _op_not_in_group,
    "$all": _op_all,
    "$alli": _op_alli,
    "$size": _op_size,
    "$elemMatch": _op_elem_match,
    "$not": _op_not,
    "$regex": _op_regex,
    "$regexi": _op_regexi,
    "$veq": _op_veq,
    "$vne": _op_vne,
    "$vgt": _op_vgt,
    "$vgte": _op_vgte,
    "$vlt": _op_vlt,
    "$vlte": _op_vlte,
}


def known_operators() -> frozenset[str]:
    """Operator names valid inside an operator object (for editor completion)."""
    return frozenset(OPERATORS)


def eval_condition(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> bool:
    """Does a user with ``attributes`` match ``condition``? Same answer as
    GrowthBook's JS ``evalCondition`` (see the package docstring); never raises."""
    try:
        return eval_unguarded(attributes, condition, saved_groups or EMPTY_GROUPS)
    except RecursionError:
        return False
