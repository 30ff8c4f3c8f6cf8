"""JavaScript value semantics: the conversions GrowthBook's JS SDK gets for free.

A condition is judged in JavaScript by the runtime and in Python here, so
every place the two languages differ on a value is imitated in JavaScript's
favour: ``String(x)`` and ``Number(x)``, truthiness, ``typeof``,
``JSON.stringify``, and strings as UTF-16 code units. Kept apart from the
evaluator so the rules of the language and the rules of conditions can each be
read (and tested) on their own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

# Attribute values come from JSON (or from Python code that means JSON), so a
# tuple is treated as an array and any Mapping as an object.
ARRAY_TYPES = (list, tuple)
_MAX_SAFE_INT = 2**53


def js_number_string(x: float | int) -> str:
    """``Number.prototype.toString()``: the shortest round-trip digits, laid out
    the way ECMAScript does (``1``, not ``1.0``; ``1e+21``; ``1e-7``).

    Python's ``repr`` already yields the same shortest digits; only the layout
    differs, so we re-lay the digits out rather than re-derive them.
    """
    if isinstance(x, bool):
        return "1" if x else "0"  # Number(true)
    if isinstance(x, int):
        if -_MAX_SAFE_INT <= x <= _MAX_SAFE_INT:
            return str(int(x))
        try:
            x = float(x)  # a JS number cannot hold more precision than this
        except OverflowError:
            return "Infinity" if x > 0 else "-Infinity"
    if x != x:
        return "NaN"
    if x == math.inf:
        return "Infinity"
    if x == -math.inf:
        return "-Infinity"
    if x == 0:
        return "0"  # also -0: String(-0) is "0"
    if x.is_integer() and -_MAX_SAFE_INT <= x <= _MAX_SAFE_INT:
        return str(int(x))
    mantissa, _, exponent = repr(abs(x)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    raw = int_part + frac_part
    stripped = raw.lstrip("0")
    # value = 0.<digits> x 10**point
    point = len(int_part) + (int(exponent) if exponent else 0) - (len(raw) - len(stripped))
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= point <= 21:
        text = digits + "0" * (point - k)
    elif 0 < point <= 21:
        text = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        text = "0." + "0" * (-point) + digits
    else:
        e = point - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-")
        text += str(abs(e))
    return "-" + text if x < 0 else text


def js_string(value: Any) -> str:
    """JavaScript ``String(value)``: what a JS engine would hash, regex-test or
    compare against a string literal, so both evaluators see the same text."""
    t = type(value)
    if t is str:
        return value
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        return js_number_string(value)
    if isinstance(value, ARRAY_TYPES):
        # Array.prototype.join: null/undefined elements become "".
        return ",".join("" if e is None else js_string(e) for e in value)
    if isinstance(value, Mapping):
        return "[object Object]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str.__str__(value)  # str subclasses (enums) by value, not by name
    if isinstance(value, (int, float)):
        return js_number_string(value)
    return str(value)


# ECMAScript WhiteSpace + LineTerminator: what Number(" 12\n") trims.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RADIX_LITERAL = re.compile(r"0(?:[xX]([0-9a-fA-F]+)|[oO]([0-7]+)|[bB]([01]+))")


def _normalise_int(n: int) -> int | float:
    """JS has no integers beyond 2**53: round them the way a double would."""
    if -_MAX_SAFE_INT <= n <= _MAX_SAFE_INT:
        return n
    try:
        return float(n)
    except OverflowError:
        return math.inf if n > 0 else -math.inf


def _string_to_number(s: str) -> int | float:
    """``Number(string)``. Python's ``float()`` accepts too much ("inf", "1_0",
    non-ASCII digits) and too little ("0x1f", ""), so parse JS's grammar."""
    s = s.strip(JS_WHITESPACE)
    if not s:
        return 0
    if _DECIMAL_LITERAL.fullmatch(s):
        return float(s)
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    m = _RADIX_LITERAL.fullmatch(s)
    if m:
        hex_digits, oct_digits, bin_digits = m.groups()
        if hex_digits:
            return _normalise_int(int(hex_digits, 16))
        if oct_digits:
            return _normalise_int(int(oct_digits, 8))
        return _normalise_int(int(bin_digits, 2))
    return math.nan


def js_to_number(value: Any) -> int | float:
    """JS ``ToNumber`` (after ``ToPrimitive``): null is 0, booleans are 0/1,
    arrays go through their string form, objects are NaN."""
    t = type(value)
    if t is int:
        return value if -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT else _normalise_int(value)
    if t is float:
        return value
    if value is None:
        return 0
    if t is bool:
        return 1 if value else 0
    if t is str:
        return _string_to_number(value)
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return _normalise_int(int(value))
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (str,) + ARRAY_TYPES):
        return _string_to_number(js_string(value))
    return math.nan


def js_truthy(value: Any) -> bool:
    """JS truthiness. Differs from Python's for [] and {} (truthy in JS) and NaN
    (falsy in JS)."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    t = type(value)
    if t is str:
        return value != ""
    if t is int:
        return value != 0
    if t is float:
        return value == value and value != 0
    if isinstance(value, float):
        return value == value and value != 0
    if isinstance(value, (str, int)):
        return bool(value)
    return True


def js_type(value: Any) -> str:
    """The names ``$type`` uses (``typeof`` plus "null" and "array")."""
    if value is None:
        return "null"
    t = type(value)
    if t is str:
        return "string"
    if t is bool:
        return "boolean"
    if t is int or t is float:
        return "number"
    if t is list or t is tuple or isinstance(value, ARRAY_TYPES):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "unknown"


class JSFunction:
    """A built-in method read off a JavaScript prototype: ``user.toString`` is
    ``Object.prototype.toString`` in GrowthBook's JS (``"toString" in user``), so
    ``{"toString": {"$exists": true}}`` holds for every user. ``String()`` of it is
    its native source text; ``$type`` calls it "unknown"; ``JSON.stringify`` gives
    undefined; it equals nothing."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"function {self.name}() {{ [native code] }}"

    def __repr__(self) -> str:
        return f"JSFunction({self.name!r})"


class _ObjectPrototype(dict):  # type: ignore[type-arg]
    """``Object.prototype`` (``user.__proto__``): an empty object with methods."""


class _ArrayPrototype(tuple):  # type: ignore[type-arg]
    """``Array.prototype`` (``user.tags.__proto__``): an empty array with methods."""


OBJECT_PROTOTYPE: Mapping[str, Any] = _ObjectPrototype()
ARRAY_PROTOTYPE: tuple[Any, ...] = _ArrayPrototype()

# The properties every object inherits (Object.prototype's) and those every array adds
# (Array.prototype's, as in Node 20 and current browsers).
_OBJECT_METHODS = frozenset((
    "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
    "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf",
    "toLocaleString"))
_ARRAY_METHODS = frozenset((
    "at", "concat", "copyWithin", "fill", "find", "findIndex", "findLast", "findLastIndex",
    "lastIndexOf", "pop", "push", "reverse", "shift", "unshift", "slice", "sort", "splice",
    "includes", "indexOf", "join", "keys", "entries", "values", "forEach", "filter", "flat",
    "flatMap", "map", "every", "some", "reduce", "reduceRight", "toReversed", "toSorted",
    "toSpliced", "with"))
#: The names every object has without being given them (Object.prototype's).
OBJECT_PROTOTYPE_NAMES = _OBJECT_METHODS | {"constructor", "__proto__"}
#: Every property name an object or array has without being given it: a lookup that
#: misses checks this first (one set lookup), and only then ``inherited_property``.
INHERITED_NAMES = _OBJECT_METHODS | _ARRAY_METHODS | {"constructor", "__proto__"}
_FUNCTIONS: dict[str, JSFunction] = {}


def _function(name: str) -> JSFunction:
    found = _FUNCTIONS.get(name)
    if found is None:
        found = _FUNCTIONS[name] = JSFunction(name)
    return found


def inherited_property(container: Any, name: str) -> Any:
    """What JavaScript reads for ``container[name]`` when the object or array has no
    such own property: a method of its prototype, the prototype itself for
    ``__proto__``, or None (null) when it inherits nothing of that name."""
    if isinstance(container, ARRAY_TYPES):
        if name == "__proto__":
            return OBJECT_PROTOTYPE if container is ARRAY_PROTOTYPE else ARRAY_PROTOTYPE
        if name == "constructor":
            return _function("Array")
        return _function(name) if name in _ARRAY_METHODS or name in _OBJECT_METHODS else None
    if name == "__proto__":
        return None if container is OBJECT_PROTOTYPE else OBJECT_PROTOTYPE
    if name == "constructor":
        return _function("Object")
    return _function(name) if name in _OBJECT_METHODS else None


def is_index_key(key: str) -> bool:
    """Array-index property names, which JS objects enumerate first, ascending."""
    return (
        key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 4294967295
    )


def _js_keys(obj: Mapping[Any, Any]) -> list[str]:
    """Own property order of a JS object built from ``obj``: integer-like keys
    first in numeric order, then the rest in insertion order. JSON literal
    equality depends on it ({"2":…, "1":…} serialises as {"1":…, "2":…})."""
    keys = [k if type(k) is str else js_string(k) for k in obj]
    index_keys = [k for k in keys if is_index_key(k)]
    if not index_keys:
        return keys
    index_keys.sort(key=int)
    return index_keys + [k for k in keys if not is_index_key(k)]


def js_json(value: Any) -> str:
    """``JSON.stringify``, used for literal array/object equality. Differs from
    ``json.dumps`` in number layout (1.0 is "1"), NaN/Infinity ("null") and key
    order (integer-like keys first)."""
    if value is None:
        return "null"
    t = type(value)
    if t is str:
        return json.dumps(value, ensure_ascii=False)
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        if t is float and (value != value or value in (math.inf, -math.inf)):
            return "null"
        return js_number_string(value)
    if isinstance(value, ARRAY_TYPES):
        return "[" + ",".join(js_json(e) for e in value) + "]"
    if isinstance(value, Mapping):
        items = (
            value
            if all(type(k) is str for k in value)
            else {(k if type(k) is str else js_string(k)): v for k, v in value.items()}
        )
        return (
            "{"
            + ",".join(
                json.dumps(k, ensure_ascii=False) + ":" + js_json(items[k])
                for k in _js_keys(items)
            )
            + "}"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_json(js_to_number(value))
    if isinstance(value, JSFunction):
        return "undefined"  # JSON.stringify(fn): equal to no literal's JSON
    return json.dumps(js_string(value), ensure_ascii=False)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _split_astral(match: re.Match[str]) -> str:
    cp = ord(match.group()) - 0x10000
    return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))


def utf16_units(s: str) -> str:
    """The string as JS sees it: one Python character per UTF-16 code unit.

    Non-BMP characters become surrogate pairs, so regexes, lengths and orderings
    work on code units exactly like a non-unicode-mode JS RegExp does."""
    if s.isascii():
        return s
    return _ASTRAL.sub(_split_astral, s)


def js_string_less(a: str, b: str) -> bool:
    """JS string ``<``: by UTF-16 code unit. Python compares code points, which
    agrees except when a non-BMP character meets one in U+E000..U+FFFF."""
    if a.isascii() or b.isascii():
        return a < b
    if max(a) <= "\uffff" and max(b) <= "\uffff":
        return a < b
    return a.encode("utf-16-be", "surrogatepass") < b.encode("utf-16-be", "surrogatepass")

