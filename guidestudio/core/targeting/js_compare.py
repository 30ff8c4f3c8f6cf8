"""JavaScript comparisons: ``<`` (abstract relational), ``===`` and ``includes``.

The operators ``$lt``…``$gte``, ``$eq``/``$ne`` and ``$in``-style lists are
defined by these three, whose answers differ from Python's ``<``, ``==`` and
``in`` (``True == 1``, ``"10" < "9"``, NaN, objects by reference).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core.targeting.js_values import (
    ARRAY_TYPES,
    JSFunction,
    js_string,
    js_string_less,
    js_to_number,
)


def _to_primitive(value: Any) -> Any:
    if isinstance(value, ARRAY_TYPES):
        return js_string(value)
    if isinstance(value, Mapping):
        return "[object Object]"
    if isinstance(value, JSFunction):
        return str(value)  # a function compares by its source text
    return value


def js_less(a: Any, b: Any) -> bool | None:
    """The abstract relational comparison ``a < b``: True, False, or None for
    JS's "undefined" (a NaN was involved), which makes ``<=``/``>=`` false too."""
    pa = _to_primitive(a)
    pb = _to_primitive(b)
    if isinstance(pa, str) and isinstance(pb, str):
        return js_string_less(pa, pb)
    na = js_to_number(pa)
    nb = js_to_number(pb)
    if na != na or nb != nb:
        return None
    return na < nb


def strict_equal(a: Any, b: Any) -> bool:
    """JS ``===``. Python's ``==`` says ``True == 1`` and ``{} == {}``; JS says
    neither (objects compare by reference, so a parsed literal never matches)."""
    ta = type(a)
    tb = type(b)
    if ta is str:
        return tb is str and a == b
    if a is None:
        return b is None
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if (ta is int or ta is float) and (tb is int or tb is float):
        return js_to_number(a) == js_to_number(b)
    if isinstance(a, ARRAY_TYPES) or isinstance(a, Mapping):
        return a is b
    if isinstance(a, str) and isinstance(b, str):
        return str.__eq__(a, b)
    return False


def _includes(expected: list[Any], x: Any) -> bool:
    """``Array.prototype.includes``: strict types, NaN finds NaN."""
    t = type(x)
    if t is str or x is None:
        return x in expected  # str and None only ever == their own type
    if t is bool:
        for e in expected:
            if e is x:
                return True
        return False
    if t is int or t is float:
        if x != x:
            return any(type(e) is float and e != e for e in expected)
        if x not in expected:  # Python's == is looser than ===: a cheap pre-filter
            return False
        for e in expected:
            te = type(e)
            if (te is int or te is float) and e == x:
                return True
        return False
    for e in expected:
        if strict_equal(x, e):
            return True
    return False


def is_in(actual: Any, expected: list[Any]) -> bool:
    """``$in``: the value, or any element of an array value, is in the list."""
    if isinstance(actual, ARRAY_TYPES):
        return any(_includes(expected, el) for el in actual)
    return _includes(expected, actual)


def _includes_folded(expected: list[Any], x: Any) -> bool:
    if type(x) is str:
        folded = x.lower()
        return any(type(e) is str and e.lower() == folded for e in expected)
    return _includes(expected, x)


def is_in_folded(actual: Any, expected: list[Any]) -> bool:
    """``$ini``: ``is_in`` with strings compared case-insensitively."""
    if isinstance(actual, ARRAY_TYPES):
        return any(_includes_folded(expected, el) for el in actual)
    return _includes_folded(expected, actual)
