"""Audience conditions and A/B assignment, GrowthBook-compatible (spec 0.8.0).

A bundle's audience rules are evaluated by two engines: this module (the
editor's preview, ``guidestudio simulate``, the validator) and the JavaScript
runtime inside the product. A product may also evaluate the same rules with any
GrowthBook SDK. The three must agree, and the reference is GrowthBook's
JavaScript SDK, so wherever Python and JavaScript differ (coercion, truthiness,
``True == 1``, number-to-string, regular-expression dialect, UTF-16 strings)
this module imitates JavaScript. The spec is ``targeting.md`` in the shared
folder beside the repository; ``docs/targeting.md`` lists the imitations.

Everything here is pure standard-library Python and must never import Qt.
Nothing here raises on odd input: inputs on which JavaScript would throw
evaluate to ``False`` (or ``None``) instead.
"""

from __future__ import annotations

import json
import math
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

__all__ = [
    "bucket_ranges",
    "choose_variation",
    "condition_failure",
    "equal_weights",
    "eval_condition",
    "fnv1a32",
    "hash_value",
    "in_namespace",
    "js_number_string",
    "js_regex_error",
    "js_string",
    "known_operators",
    "padded_version",
    "unknown_operators",
]

# Attribute values come from JSON (or from Python code that means JSON), so a
# tuple is treated as an array and any Mapping as an object.
_ARRAY_TYPES = (list, tuple)
_MAX_SAFE_INT = 2**53
_EMPTY_GROUPS: Mapping[str, Any] = {}


# ---------------------------------------------------------------------------
# JavaScript value semantics
# ---------------------------------------------------------------------------


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
    if isinstance(value, _ARRAY_TYPES):
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
_JS_WHITESPACE = (
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
    s = s.strip(_JS_WHITESPACE)
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


def _to_number(value: Any) -> int | float:
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
    if isinstance(value, (str,) + _ARRAY_TYPES):
        return _string_to_number(js_string(value))
    return math.nan


def _truthy(value: Any) -> bool:
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


def _js_type(value: Any) -> str:
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
    if t is list or t is tuple or isinstance(value, _ARRAY_TYPES):
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


def _is_index_key(key: str) -> bool:
    """Array-index property names, which JS objects enumerate first, ascending."""
    return (
        key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 4294967295
    )


def _js_keys(obj: Mapping[Any, Any]) -> list[str]:
    """Own property order of a JS object built from ``obj``: integer-like keys
    first in numeric order, then the rest in insertion order. JSON literal
    equality depends on it ({"2":…, "1":…} serialises as {"1":…, "2":…})."""
    keys = [k if type(k) is str else js_string(k) for k in obj]
    index_keys = [k for k in keys if _is_index_key(k)]
    if not index_keys:
        return keys
    index_keys.sort(key=int)
    return index_keys + [k for k in keys if not _is_index_key(k)]


def _js_json(value: Any) -> str:
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
    if isinstance(value, _ARRAY_TYPES):
        return "[" + ",".join(_js_json(e) for e in value) + "]"
    if isinstance(value, Mapping):
        items = (
            value
            if all(type(k) is str for k in value)
            else {(k if type(k) is str else js_string(k)): v for k, v in value.items()}
        )
        return (
            "{"
            + ",".join(
                json.dumps(k, ensure_ascii=False) + ":" + _js_json(items[k])
                for k in _js_keys(items)
            )
            + "}"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _js_json(_to_number(value))
    return json.dumps(js_string(value), ensure_ascii=False)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _split_astral(match: re.Match[str]) -> str:
    cp = ord(match.group()) - 0x10000
    return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))


def _utf16_units(s: str) -> str:
    """The string as JS sees it: one Python character per UTF-16 code unit.

    Non-BMP characters become surrogate pairs, so regexes, lengths and orderings
    work on code units exactly like a non-unicode-mode JS RegExp does."""
    if s.isascii():
        return s
    return _ASTRAL.sub(_split_astral, s)


def _str_lt(a: str, b: str) -> bool:
    """JS string ``<``: by UTF-16 code unit. Python compares code points, which
    agrees except when a non-BMP character meets one in U+E000..U+FFFF."""
    if a.isascii() or b.isascii():
        return a < b
    if max(a) <= "\uffff" and max(b) <= "\uffff":
        return a < b
    return a.encode("utf-16-be", "surrogatepass") < b.encode("utf-16-be", "surrogatepass")


def _to_primitive(value: Any) -> Any:
    if isinstance(value, _ARRAY_TYPES):
        return js_string(value)
    if isinstance(value, Mapping):
        return "[object Object]"
    return value


def _js_less(a: Any, b: Any) -> bool | None:
    """The abstract relational comparison ``a < b``: True, False, or None for
    JS's "undefined" (a NaN was involved), which makes ``<=``/``>=`` false too."""
    pa = _to_primitive(a)
    pb = _to_primitive(b)
    if isinstance(pa, str) and isinstance(pb, str):
        return _str_lt(pa, pb)
    na = _to_number(pa)
    nb = _to_number(pb)
    if na != na or nb != nb:
        return None
    return na < nb


def _strict_equal(a: Any, b: Any) -> bool:
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
        return _to_number(a) == _to_number(b)
    if isinstance(a, _ARRAY_TYPES) or isinstance(a, Mapping):
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
        if _strict_equal(x, e):
            return True
    return False


def _is_in(actual: Any, expected: list[Any]) -> bool:
    if isinstance(actual, _ARRAY_TYPES):
        return any(_includes(expected, el) for el in actual)
    return _includes(expected, actual)


def _includes_folded(expected: list[Any], x: Any) -> bool:
    if type(x) is str:
        folded = x.lower()
        return any(type(e) is str and e.lower() == folded for e in expected)
    return _includes(expected, x)


def _is_in_folded(actual: Any, expected: list[Any]) -> bool:
    if isinstance(actual, _ARRAY_TYPES):
        return any(_includes_folded(expected, el) for el in actual)
    return _includes_folded(expected, actual)


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------

_VERSION_STRIP = re.compile("^v|\\+[^\n\r\u2028\u2029]*\\Z")
_VERSION_SPLIT = re.compile(r"[-.]")


@lru_cache(maxsize=4096)
def _padded_version_str(text: str) -> str:
    parts = _VERSION_SPLIT.split(_VERSION_STRIP.sub("", text))
    if len(parts) == 3:
        parts.append("~")  # "~" sorts after any pre-release tag: 1.0.0 > 1.0.0-rc
    return "-".join(p.rjust(5) if p.isascii() and p.isdigit() else p for p in parts)


_PADDED_CACHE: dict[str, str] = {}


def padded_version(v: Any) -> str:
    """A string whose plain ordering is version ordering, as GrowthBook builds
    it (numbers stringified; anything else non-string, or empty, is "0")."""
    if type(v) is str:
        padded = _PADDED_CACHE.get(v)
        if padded is None:
            if len(_PADDED_CACHE) > 65536:
                _PADDED_CACHE.clear()
            padded = _PADDED_CACHE[v] = _padded_version_str(v or "0")
        return padded
    t = type(v)
    if (t is int or t is float) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        v = js_number_string(v)
    if not isinstance(v, str) or not v:
        v = "0"
    return _padded_version_str(str.__str__(v))


def _version_cmp(actual: Any, expected: Any) -> int:
    a = padded_version(actual)
    b = padded_version(expected)
    if a == b:
        return 0
    return -1 if _str_lt(a, b) else 1


# ---------------------------------------------------------------------------
# JavaScript regular expressions on Python's re
# ---------------------------------------------------------------------------
#
# GrowthBook builds ``new RegExp(pattern, insensitive ? "i" : undefined)``: the
# non-unicode dialect with Annex B's web-compatibility grammar. Python's ``re``
# differs in syntax (``(?i)``, ``(?P<n>``, ``\Z``, ``{,3}``, possessive ``*+``
# are Python-only; ``[]``, ``\c``, ``\u{…}``-as-literal are JS-only) and in
# meaning (Unicode ``\d``/``\w``/``\s``/``\b``, ``$`` before a final newline,
# ``.`` crossing ``\r``, code points instead of UTF-16 units, case folding).
# So we parse the JS grammar ourselves, reject what V8 rejects, and emit an
# equivalent Python pattern built only from explicit code-unit classes.

_UNITS = 0x10000  # after _utf16_units every character is a single code unit

Intervals = tuple[tuple[int, int], ...]


def _merge(intervals: Iterable[tuple[int, int]]) -> Intervals:
    merged: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1][1] = hi
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def _complement(intervals: Intervals) -> Intervals:
    out: list[tuple[int, int]] = []
    start = 0
    for lo, hi in intervals:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start < _UNITS:
        out.append((start, _UNITS - 1))
    return tuple(out)


def _from_points(points: Iterable[int]) -> Intervals:
    return _merge((p, p) for p in points)


_DIGIT: Intervals = ((0x30, 0x39),)
_WORD: Intervals = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE: Intervals = _from_points(ord(c) for c in _JS_WHITESPACE)
_LINE_TERMINATORS: Intervals = _from_points((0x0A, 0x0D, 0x2028, 0x2029))
_CLASS_ESCAPES: dict[str, Intervals] = {
    "d": _DIGIT,
    "D": _complement(_DIGIT),
    "w": _WORD,
    "W": _complement(_WORD),
    "s": _SPACE,
    "S": _complement(_SPACE),
}
_DOT: Intervals = _complement(_LINE_TERMINATORS)
_WORD_CLASS = "[0-9A-Z_a-z]"
_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))"
_NOT_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))"


@lru_cache(maxsize=1)
def _case_tables() -> tuple[list[int], dict[int, tuple[int, ...]]]:
    """JS non-unicode ``/i`` matching compares ``Canonicalize(ch)``: the
    single-unit ``toUpperCase``, except that nothing non-ASCII may map into
    ASCII (so "ſ" does not match "s", "ß" does not match "ẞ"). Python's
    IGNORECASE folds differently, so /i is expanded into explicit classes."""
    canon = list(range(_UNITS))
    for unit in range(_UNITS):
        upper = chr(unit).upper()
        if len(upper) == 1:
            cu = ord(upper)
            if not (unit >= 128 and cu < 128):
                canon[unit] = cu
    members: dict[int, list[int]] = {}
    for unit, c in enumerate(canon):
        members.setdefault(c, []).append(unit)
    groups = {c: tuple(m) for c, m in members.items() if len(m) > 1 or m[0] != c}
    return canon, groups


@lru_cache(maxsize=1024)
def _fold(intervals: Intervals) -> Intervals:
    """All units whose canonical form is that of some member: a JS /i class."""
    canon, groups = _case_tables()
    canonical: set[int] = set()
    for lo, hi in intervals:
        canonical.update(canon[lo : hi + 1])
    points: set[int] = set()
    for c in canonical:
        points.update(groups.get(c, (c,)))
    return _from_points(points)


def _unit_escape(unit: int) -> str:
    ch = chr(unit)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\u{unit:04x}"


def _emit_class(intervals: Intervals) -> str:
    if not intervals:
        return "(?!)"
    if len(intervals) == 1 and intervals[0][0] == intervals[0][1]:
        return _unit_escape(intervals[0][0])
    body = "".join(
        _unit_escape(lo) if lo == hi else f"{_unit_escape(lo)}-{_unit_escape(hi)}"
        for lo, hi in intervals
    )
    return f"[{body}]"


class _JSRegexSyntaxError(ValueError):
    """A pattern that JavaScript's RegExp constructor would reject."""


class _Unrepresentable(ValueError):
    """A valid JS pattern whose meaning Python's re would not reproduce."""


_QUANTIFIER_BRACES = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_HEX2 = re.compile(r"[0-9a-fA-F]{2}")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")

# What the last emitted piece can take a quantifier on.
_NOTHING, _ATOM, _QUANTIFIED, _LOOKAHEAD, _LOOKBEHIND = range(5)


def _is_id_start(ch: str) -> bool:
    return ch in "$_" or ch.isidentifier()


def _is_id_continue(ch: str) -> bool:
    return ch in "$_\u200c\u200d" or ("a" + ch).isidentifier()


class _JSRegexTranslator:
    """One pass over a JS (non-unicode, Annex B) pattern, emitting Python."""

    def __init__(self, pattern: str, insensitive: bool) -> None:
        self.pattern = pattern
        self.src = _utf16_units(pattern)
        self.n = len(self.src)
        self.insensitive = insensitive
        self.group_count, self.group_names = self._prescan()

    def fail(self, message: str) -> _JSRegexSyntaxError:
        return _JSRegexSyntaxError(f"Invalid regular expression: /{self.pattern}/: {message}")

    def _read_group_name(self, i: int) -> tuple[str, int]:
        """A ``<name>`` starting at ``i`` (the "<"); returns name and index after ">"."""
        src = self.src
        end = src.find(">", i + 1)
        if end < 0:
            raise self.fail("Invalid capture group name")
        name = src[i + 1 : end]
        if not name or not _is_id_start(name[0]) or not all(map(_is_id_continue, name[1:])):
            raise self.fail("Invalid capture group name")
        return name, end + 1

    def _prescan(self) -> tuple[int, dict[str, int]]:
        """Backreference meaning depends on the total number of groups (``\\2``
        is a backreference only if there are two groups, else an octal escape),
        and ``\\k`` on whether any group is named, so count them first."""
        src, n = self.src, self.n
        count = 0
        names: dict[str, int] = {}
        in_class = False
        i = 0
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if in_class:
                if c == "]":
                    in_class = False
            elif c == "[":
                in_class = True
            elif c == "(":
                if src.startswith("?", i + 1):
                    if src.startswith("?<", i + 1) and i + 3 < n and src[i + 3] not in "=!":
                        count += 1
                        name, _ = self._read_group_name(i + 2)
                        if name in names:
                            raise self.fail("Duplicate capture group name")
                        names[name] = count
                else:
                    count += 1
            i += 1
        return count, names

    def _legacy_octal(self, i: int) -> tuple[int, int]:
        """Annex B ``\\NNN`` (at most 0o377) starting at digit index ``i``."""
        src = self.src
        limit = 3 if src[i] in "0123" else 2
        j = i
        while j < self.n and j - i < limit and src[j] in "01234567":
            j += 1
        return int(src[i:j], 8), j

    def _char_escape(self, i: int, in_class: bool) -> tuple[int | None, int]:
        """The code unit of the escape at ``i`` (pointing after the backslash)
        for escapes shared by classes and atoms; ``None`` for "literal
        backslash" (``\\c`` without a control letter)."""
        src, n = self.src, self.n
        e = src[i]
        if e == "c":
            nxt = src[i + 1] if i + 1 < n else ""
            if nxt.isascii() and (nxt.isalpha() or (in_class and (nxt.isdigit() or nxt == "_"))):
                return ord(nxt) % 32, i + 2
            return None, i  # "\c" is a literal backslash; "c" is read next
        if e == "x":
            if _HEX2.match(src, i + 1):
                return int(src[i + 1 : i + 3], 16), i + 3
            return ord("x"), i + 1
        if e == "u":
            if _HEX4.match(src, i + 1):
                return int(src[i + 1 : i + 5], 16), i + 5
            return ord("u"), i + 1
        if e in "01234567":
            if e == "0" and not (i + 1 < n and src[i + 1] in "01234567"):
                return 0, i + 1
            return self._legacy_octal(i)
        simple = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
        if e in simple:
            return simple[e], i + 1
        if e == "k" and self.group_names:
            raise self.fail("Invalid escape" if in_class else "Invalid named reference")
        return ord(e), i + 1  # identity escape: \q is "q", \/ is "/", \8 is "8"

    def _class_atom(self, i: int) -> tuple[int | Intervals, int]:
        src = self.src
        if src[i] != "\\":
            return ord(src[i]), i + 1
        if i + 1 >= self.n:
            raise self.fail("\\ at end of pattern")
        e = src[i + 1]
        if e in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[e], i + 2
        if e == "b":
            return 8, i + 2
        if e == "-":
            return ord("-"), i + 2
        unit, j = self._char_escape(i + 1, in_class=True)
        if unit is None:
            return ord("\\"), i + 1
        return unit, j

    def _class(self, i: int) -> tuple[str, int]:
        """``[...]`` starting after "["; JS allows ``[]`` (nothing) and ``[^]``
        (anything), and in a class ``[`` is an ordinary character."""
        src, n = self.src, self.n
        negate = i < n and src[i] == "^"
        if negate:
            i += 1
        items: list[tuple[int, int]] = []
        while True:
            if i >= n:
                raise self.fail("Unterminated character class")
            if src[i] == "]":
                i += 1
                break
            first, i = self._class_atom(i)
            if i + 1 < n and src[i] == "-" and src[i + 1] != "]":
                second, j = self._class_atom(i + 1)
                if isinstance(first, int) and isinstance(second, int):
                    if first > second:
                        raise self.fail("Range out of order in character class")
                    items.append((first, second))
                    i = j
                    continue
                # Annex B: a range with a class escape at an end is a union.
                for atom in (first, ord("-"), second):
                    if isinstance(atom, int):
                        items.append((atom, atom))
                    else:
                        items.extend(atom)
                i = j
                continue
            if isinstance(first, int):
                items.append((first, first))
            else:
                items.extend(first)
        intervals = _merge(items)
        if self.insensitive:
            intervals = _fold(intervals)
        if negate:
            intervals = _complement(intervals)
        return _emit_class(intervals), i

    def _set(self, intervals: Intervals) -> str:
        return _emit_class(_fold(intervals) if self.insensitive else intervals)

    def _backreference(self, number: int, closed: set[int], referenced: set[int]) -> str:
        # JS: a group that has not matched (yet) matches the empty string;
        # Python: the reference fails. A conditional restores JS behaviour.
        if number not in closed:
            return "(?:)"  # forward or self reference: always empty in JS
        referenced.add(number)
        ref = f"\\{number}"
        if self.insensitive:
            ref = f"(?i:{ref})"
        return f"(?:(?({number}){ref}))"

    @staticmethod
    def _split_lookbehind(out: list[str], start: int, alternatives: list[int]) -> str:
        """``(?<=^|/)`` as ``(?:(?<=^)|(?<=/))``: Python needs each lookbehind
        to have one fixed width, JS does not, and alternatives of different
        widths are the common case (tried in the same order, so equivalent)."""
        opener = out[start]
        bounds = [start, *alternatives, len(out) - 1]
        branches = ["".join(out[a + 1 : b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        if opener == "(?<=":
            return "(?:" + "|".join(f"(?<={b})" for b in branches) + ")"
        return "(?:" + "".join(f"(?<!{b})" for b in branches) + ")"

    def translate(self) -> str:
        src, n = self.src, self.n
        out: list[str] = []
        # Open groups: kind, its capture number (or the count of captures
        # before it), index of its opener in `out`, indexes of its own "|".
        stack: list[tuple[str, int, int, list[int]]] = []
        closed: set[int] = set()
        referenced: set[int] = set()  # groups some backreference reads
        looped: set[int] = set()  # groups inside a group that may repeat
        last_captures = range(0)  # groups inside the group that just closed
        group_no = 0
        last = _NOTHING
        i = 0
        while i < n:
            c = src[i]
            captures, last_captures = last_captures, range(0)
            if c in "*+?" or (c == "{" and _QUANTIFIER_BRACES.match(src, i)):
                if last in (_NOTHING, _QUANTIFIED):
                    raise self.fail("Nothing to repeat")
                if last == _LOOKBEHIND:
                    raise self.fail("Invalid quantifier")
                if c == "{":
                    m = _QUANTIFIER_BRACES.match(src, i)
                    assert m is not None
                    low, comma, high = m.groups()
                    if comma and high and int(high) < int(low):
                        raise self.fail("numbers out of order in {} quantifier")
                    repeats = (not high or int(high) > 1) if comma else int(low) > 1
                    out.append(m.group())
                    i = m.end()
                else:
                    repeats = c != "?"
                    out.append(c)
                    i += 1
                if repeats:
                    looped.update(captures)
                if i < n and src[i] == "?":
                    out.append("?")
                    i += 1
                last = _QUANTIFIED
                continue
            if c == "\\":
                if i + 1 >= n:
                    raise self.fail("\\ at end of pattern")
                e = src[i + 1]
                if e in _CLASS_ESCAPES:
                    out.append(self._set(_CLASS_ESCAPES[e]))
                    i += 2
                    last = _ATOM
                elif e == "b" or e == "B":
                    out.append(_WORD_BOUNDARY if e == "b" else _NOT_WORD_BOUNDARY)
                    i += 2
                    last = _NOTHING
                elif e in "123456789":
                    j = i + 1
                    while j < n and src[j] in "0123456789":
                        j += 1
                    number = int(src[i + 1 : j])
                    if number <= self.group_count:
                        out.append(self._backreference(number, closed, referenced))
                        i = j
                    elif e in "89":
                        out.append(self._set(((ord(e), ord(e)),)))
                        i += 2
                    else:
                        unit, i = self._legacy_octal(i + 1)
                        out.append(self._set(((unit, unit),)))
                    last = _ATOM
                elif e == "k" and self.group_names:
                    if not src.startswith("<", i + 2):
                        raise self.fail("Invalid named reference")
                    end = src.find(">", i + 3)
                    name = src[i + 3 : end] if end >= 0 else ""
                    if end < 0 or name not in self.group_names:
                        raise self.fail("Invalid named capture referenced")
                    out.append(self._backreference(self.group_names[name], closed, referenced))
                    i = end + 1
                    last = _ATOM
                else:
                    unit, j = self._char_escape(i + 1, in_class=False)
                    if unit is None:
                        unit, j = ord("\\"), i + 1
                    out.append(self._set(((unit, unit),)))
                    i = j
                    last = _ATOM
                continue
            if c == "[":
                text, i = self._class(i + 1)
                out.append(text)
                last = _ATOM
                continue
            if c == "(":
                if src.startswith("(?", i):
                    if src.startswith("(?:", i):
                        kind, opener, i = "group", "(?:", i + 3
                    elif src.startswith("(?=", i) or src.startswith("(?!", i):
                        kind, opener, i = "lookahead", src[i : i + 3], i + 3
                    elif src.startswith("(?<=", i) or src.startswith("(?<!", i):
                        kind, opener, i = "lookbehind", src[i : i + 4], i + 4
                    elif src.startswith("(?<", i):
                        _, i = self._read_group_name(i + 2)
                        group_no += 1
                        kind, opener = "capture", "("
                    else:
                        raise self.fail("Invalid group")
                else:
                    group_no += 1
                    kind, opener, i = "capture", "(", i + 1
                stack.append((kind, group_no, len(out), []))
                out.append(opener)
                last = _NOTHING
                continue
            if c == ")":
                if not stack:
                    raise self.fail("Unmatched ')'")
                kind, number, start, alternatives = stack.pop()
                out.append(")")
                if kind == "lookbehind" and alternatives:
                    out[start:] = [self._split_lookbehind(out, start, alternatives)]
                if kind == "capture":
                    closed.add(number)
                # A repeated group re-captures itself on every repetition; only
                # the groups nested in it can be left over from an earlier one.
                last_captures = range(number + 1, group_no + 1)
                last = {"lookahead": _LOOKAHEAD, "lookbehind": _LOOKBEHIND}.get(kind, _ATOM)
                i += 1
                continue
            if c == "|":
                if stack:
                    stack[-1][3].append(len(out))
                out.append("|")
                last = _NOTHING
            elif c == "^":
                out.append("^")
                last = _NOTHING
            elif c == "$":
                out.append("\\Z")  # Python's $ also matches before a final "\n"
                last = _NOTHING
            elif c == ".":
                out.append(self._set(_DOT))
                last = _ATOM
            else:
                out.append(self._set(((ord(c), ord(c)),)))
                last = _ATOM
            i += 1
        if stack:
            raise self.fail("Unterminated group")
        if referenced & looped:
            # JS clears a repeated group's captures on every repetition;
            # Python keeps the last capture, so backreferences would differ.
            raise _Unrepresentable("a backreference to a group inside a repeated group")
        return "".join(out)


_REGEX_BY_PATTERN: dict[str, re.Pattern[str] | str] = {}
_REGEXI_BY_PATTERN: dict[str, re.Pattern[str] | str] = {}
_REGEX_CACHE_LIMIT = 4096


def _compile_js_regex(pattern: str, insensitive: bool) -> re.Pattern[str] | str:
    """The compiled equivalent, or the reason there is none (cached either way:
    an audience is evaluated for every user, and so is every bad pattern)."""
    cache = _REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN
    cached = cache.get(pattern)
    if cached is not None:
        return cached
    result: re.Pattern[str] | str
    try:
        result = re.compile(_JSRegexTranslator(pattern, insensitive).translate())
    except _JSRegexSyntaxError as exc:
        result = str(exc)
    except (re.error, OverflowError, RecursionError, _Unrepresentable) as exc:
        result = f"Python cannot evaluate /{pattern}/ like JavaScript: {exc}"
    if len(cache) >= _REGEX_CACHE_LIMIT:
        cache.clear()
    cache[pattern] = result
    return result


def js_regex_error(pattern: str, insensitive: bool = False) -> str | None:
    """Why ``pattern`` cannot be used as a ``$regex``/``$regexi``: JavaScript's
    RegExp rejects it (e.g. ``(?i)abc``), or Python's ``re`` cannot reproduce
    its JavaScript meaning (e.g. a variable-width lookbehind). None when fine.
    The evaluator fails such a clause instead of raising."""
    if not isinstance(pattern, str):
        return "a regular expression must be a string"
    compiled = _compile_js_regex(pattern, insensitive)
    return compiled if isinstance(compiled, str) else None


def _regex_test(actual: Any, pattern: Any, insensitive: bool) -> bool:
    if type(pattern) is not str:
        return False  # GrowthBook calls pattern.replace(): throws, caught, fails
    compiled = (_REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN).get(pattern)
    if compiled is None:
        compiled = _compile_js_regex(pattern, insensitive)
    if type(compiled) is str:
        return False
    subject = actual if type(actual) is str else js_string(actual)
    if not subject.isascii():
        subject = _utf16_units(subject)
    return compiled.search(subject) is not None  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------

_PATH_CACHE: dict[str, tuple[str, ...]] = {}


def _get_path(obj: Any, path: str) -> Any:
    """Dotted lookup; anything missing (or a step through a non-object) is null.
    As in JS, an array step takes an index or ``length``."""
    parts = _PATH_CACHE.get(path)
    if parts is None:
        if len(_PATH_CACHE) > 65536:
            _PATH_CACHE.clear()
        parts = _PATH_CACHE[path] = tuple(path.split("."))
    if len(parts) == 1 and type(obj) is dict:
        return obj.get(path)
    current = obj
    for part in parts:
        t = type(current)
        if t is dict:
            current = current.get(part)
            if current is None:
                return None
        elif isinstance(current, _ARRAY_TYPES):
            if part == "length":
                current = len(current)
            elif _is_index_key(part) and int(part) < len(current):
                current = current[int(part)]
            else:
                return None
        elif isinstance(current, Mapping):
            current = current.get(part)
            if current is None:
                return None
        else:
            return None
    return current


def _path_exists(obj: Any, path: str) -> bool:
    current = obj
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, _ARRAY_TYPES) and _is_index_key(part) and int(part) < len(current):
            current = current[int(part)]
        else:
            return False
    return True


def _as_condition(condition: Any) -> Mapping[str, Any]:
    """What ``Object.entries`` makes of a non-object condition (arrays and
    strings by index); null is treated as "no condition", as GrowthBook SDKs
    treat a missing one."""
    if isinstance(condition, Mapping):
        return condition
    if isinstance(condition, _ARRAY_TYPES):
        return {str(i): v for i, v in enumerate(condition)}
    if isinstance(condition, str):
        return {str(i): u for i, u in enumerate(_utf16_units(condition))}
    return _EMPTY_GROUPS


def _is_operator_object(obj: Mapping[str, Any]) -> bool:
    if not obj:
        return False
    for k in obj:
        if type(k) is not str or k[:1] != "$":
            return False
    return True


def _eval(obj: Any, condition: Any, groups: Mapping[str, Any]) -> bool:
    """The hot loop (users x guides): the common shapes (plain attribute dict,
    undotted key, operator object, list under $and/$or) are inlined."""
    if type(condition) is not dict:
        condition = _as_condition(condition)
    plain = type(obj) is dict
    for key, value in condition.items():
        if key in _LOGICAL:
            if key == "$and":
                if type(value) is list:
                    for sub in value:
                        if not _eval(obj, sub, groups):
                            return False
                elif not _eval_and(obj, value, groups):
                    return False
            elif key == "$or":
                if type(value) is list and value:
                    for sub in value:
                        if _eval(obj, sub, groups):
                            break
                    else:
                        return False
                elif not _eval_or(obj, value, groups):
                    return False
            elif key == "$nor":
                if _eval_or(obj, value, groups):
                    return False
            elif _eval(obj, value, groups):  # $not
                return False
            continue
        actual = obj.get(key) if plain and "." not in key else _get_path(obj, key)
        if type(value) is dict and value:
            for op, expected in value.items():
                fn = _OPERATORS.get(op)
                if fn is None:  # an unknown operator, or a literal object
                    if not _eval_value(value, actual, groups):
                        return False
                    break
                if not fn(actual, expected, groups):
                    # Only an operator object fails here; {"$gt": 1, "x": 2}
                    # is a literal that happens to start with "$".
                    if _is_operator_object(value) or not _eval_value(value, actual, groups):
                        return False
                    break
        elif not _eval_value(value, actual, groups):
            return False
    return True


_LOGICAL = frozenset(("$or", "$and", "$nor", "$not"))


def _eval_or(obj: Any, conditions: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(conditions, _ARRAY_TYPES) or not conditions:
        return True  # an empty $or passes (and JS's `!undefined` passes too)
    for sub in conditions:
        if _eval(obj, sub, groups):
            return True
    return False


def _eval_and(obj: Any, conditions: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(conditions, _ARRAY_TYPES):
        return True
    for sub in conditions:
        if not _eval(obj, sub, groups):
            return False
    return True


def _eval_value(
    condition: Any, value: Any, groups: Mapping[str, Any], insensitive: bool = False
) -> bool:
    """One path's condition: a literal (JS coercion) or an operator object."""
    t = type(condition)
    if t is dict:
        if _is_operator_object(condition):
            for op, expected in condition.items():
                fn = _OPERATORS.get(op)
                if fn is None or not fn(value, expected, groups):
                    return False
            return True
        return _js_json(value) == _js_json(condition)
    if t is str:
        if insensitive:
            return js_string(value).lower() == condition.lower()
        return (value if type(value) is str else js_string(value)) == condition
    if t is bool:
        return value is not None and _truthy(value) is condition
    if t is int or t is float:
        return _to_number(value) == _to_number(condition)
    if condition is None:
        return value is None
    if isinstance(condition, _ARRAY_TYPES):
        return _js_json(value) == _js_json(condition)
    if isinstance(condition, Mapping):
        return _eval_value(dict(condition), value, groups, insensitive)
    if isinstance(condition, bool):
        return _eval_value(bool(condition), value, groups, insensitive)
    if isinstance(condition, str):
        return _eval_value(str.__str__(condition), value, groups, insensitive)
    if isinstance(condition, (int, float)):
        return _eval_value(_to_number(condition), value, groups, insensitive)
    return False


def _op_eq(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _strict_equal(actual, expected)


def _op_ne(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not _strict_equal(actual, expected)


_NUMBER_TYPES = frozenset((int, float))


def _op_lt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual < expected
    return _js_less(actual, expected) is True


def _op_lte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual <= expected
    return _js_less(expected, actual) is False


def _op_gt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual > expected
    return _js_less(expected, actual) is True


def _op_gte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(actual) in _NUMBER_TYPES and type(expected) in _NUMBER_TYPES:
        return actual >= expected
    return _js_less(actual, expected) is False


def _op_exists(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return (actual is not None) if _truthy(expected) else (actual is None)


def _op_type(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _js_type(actual) == expected


def _op_in(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if type(expected) is not list and not isinstance(expected, _ARRAY_TYPES):
        return False
    if type(actual) is str:
        return actual in expected  # a str only ever == a str: already strict
    return _is_in(actual, expected)  # type: ignore[arg-type]


def _op_nin(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, _ARRAY_TYPES):
        return False
    return not _is_in(actual, expected)  # type: ignore[arg-type]


def _op_ini(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, _ARRAY_TYPES):
        return False
    return _is_in_folded(actual, expected)  # type: ignore[arg-type]


def _op_nini(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(expected, _ARRAY_TYPES):
        return False
    return not _is_in_folded(actual, expected)  # type: ignore[arg-type]


def _saved_group(groups: Mapping[str, Any], group_id: Any) -> list[Any]:
    members = groups.get(group_id if type(group_id) is str else js_string(group_id))
    return members if isinstance(members, _ARRAY_TYPES) else []  # type: ignore[return-value]


def _op_in_group(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _is_in(actual, _saved_group(groups, expected))


def _op_not_in_group(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not _is_in(actual, _saved_group(groups, expected))


def _all(actual: Any, expected: Any, groups: Mapping[str, Any], insensitive: bool) -> bool:
    if not isinstance(expected, _ARRAY_TYPES) or not isinstance(actual, _ARRAY_TYPES):
        return False
    for wanted in expected:
        for element in actual:
            if _eval_value(wanted, element, groups, insensitive):
                break
        else:
            return False
    return True


def _op_all(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _all(actual, expected, groups, False)


def _op_alli(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _all(actual, expected, groups, True)


def _op_size(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(actual, _ARRAY_TYPES):
        return False
    return _eval_value(expected, len(actual), groups)


def _op_elem_match(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    if not isinstance(actual, _ARRAY_TYPES):
        return False
    operator_form = isinstance(expected, Mapping) and _is_operator_object(expected)
    for element in actual:
        # GrowthBook skips falsy elements (`actual[i] && check(...)`): a 0, ""
        # or false element never matches, whatever the condition.
        if not _truthy(element):
            continue
        if operator_form:
            if _eval_value(expected, element, groups):
                return True
        elif _eval(element, expected, groups):
            return True
    return False


def _op_not(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return not _eval_value(expected, actual, groups)


def _op_regex(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _regex_test(actual, expected, False)


def _op_regexi(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _regex_test(actual, expected, True)


def _op_veq(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return padded_version(actual) == padded_version(expected)


def _op_vne(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return padded_version(actual) != padded_version(expected)


def _op_vgt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _version_cmp(actual, expected) > 0


def _op_vgte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _version_cmp(actual, expected) >= 0


def _op_vlt(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _version_cmp(actual, expected) < 0


def _op_vlte(actual: Any, expected: Any, groups: Mapping[str, Any]) -> bool:
    return _version_cmp(actual, expected) <= 0


_Operator = Callable[[Any, Any, Mapping[str, Any]], bool]

_OPERATORS: dict[str, _Operator] = {
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
    return frozenset(_OPERATORS)


def eval_condition(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> bool:
    """Does a user with ``attributes`` match ``condition``? Same answer as
    GrowthBook's JS ``evalCondition`` (see module docstring); never raises."""
    try:
        return _eval(attributes, condition, saved_groups or _EMPTY_GROUPS)
    except RecursionError:
        return False


# ---------------------------------------------------------------------------
# Explanations and validation
# ---------------------------------------------------------------------------

_SHOWN_MAX = 60


def _shown(value: Any) -> str:
    if isinstance(value, _ARRAY_TYPES) and len(value) > 8:
        return f"[{len(value)} items]"
    text = value if type(value) is str and " " not in value else _js_json(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _explain_value(path: str, condition: Any, obj: Any, groups: Mapping[str, Any]) -> str:
    value = _get_path(obj, path)
    was = f"was {_shown(value)}" if _path_exists(obj, path) else "missing"
    if isinstance(condition, Mapping) and _is_operator_object(condition):
        for op, expected in condition.items():
            fn = _OPERATORS.get(op)
            if fn is None:
                return f"{path}: unknown operator {op}"
            if not fn(value, expected, groups):
                return f"{path} {op} {_shown(expected)} ({was})"
    return f"{path} = {_shown(condition)} ({was})"


def condition_failure(
    attributes: Mapping[str, Any] | None,
    condition: Mapping[str, Any] | None,
    saved_groups: Mapping[str, Any] | None = None,
) -> str | None:
    """A short reason naming the first top-level clause that fails, e.g.
    ``storage_used_pct $gte 90 (was 42)``, for "why is this guide not shown?";
    None when the condition passes."""
    groups = saved_groups or _EMPTY_GROUPS
    try:
        for key, value in _as_condition(condition).items():
            if key == "$and":
                for sub in value if isinstance(value, _ARRAY_TYPES) else ():
                    reason = condition_failure(attributes, sub, groups)
                    if reason is not None:
                        return reason
            elif key == "$or":
                if not _eval_or(attributes, value, groups):
                    reasons = [condition_failure(attributes, sub, groups) for sub in value[:3]]
                    more = " | …" if len(value) > 3 else ""
                    return "no $or branch matched: " + " | ".join(map(str, reasons)) + more
            elif key == "$nor":
                if _eval_or(attributes, value, groups):
                    subs = value if isinstance(value, _ARRAY_TYPES) else ()
                    for i, sub in enumerate(subs):
                        if _eval(attributes, sub, groups):
                            return f"$nor branch {i + 1} matched"
                    return "$nor is empty, so it never passes"
            elif key == "$not":
                if _eval(attributes, value, groups):
                    return "the $not condition matched"
            elif not _eval_value(value, _get_path(attributes, key), groups):
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
            if isinstance(value, _ARRAY_TYPES):
                for i, sub in enumerate(value):
                    _walk_condition(sub, f"{prefix}{key}.{i}.", found)
        elif key == "$not":
            _walk_condition(value, f"{prefix}$not.", found)
        else:
            _walk_value(value, f"{prefix}{key}", found)


def _walk_value(value: Any, path: str, found: list[str]) -> None:
    if not (isinstance(value, Mapping) and _is_operator_object(value)):
        return
    for op, expected in value.items():
        where = f"{path}.{op}"
        if op not in _OPERATORS:
            found.append(where)
        elif op in ("$not", "$size"):
            _walk_value(expected, where, found)
        elif op == "$elemMatch":
            if isinstance(expected, Mapping) and _is_operator_object(expected):
                _walk_value(expected, where, found)
            else:
                _walk_condition(expected, where + ".", found)
        elif op in ("$all", "$alli") and isinstance(expected, _ARRAY_TYPES):
            for i, item in enumerate(expected):
                _walk_value(item, f"{where}.{i}", found)


# ---------------------------------------------------------------------------
# Hashing and variant assignment
# ---------------------------------------------------------------------------

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
_BIG_ENDIAN = sys.byteorder == "big"


def fnv1a32(s: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (JS ``charCodeAt``), not over
    UTF-8 bytes or code points: that is what every GrowthBook SDK hashes."""
    h = _FNV_OFFSET
    if s.isascii():
        units: Iterable[int] = s.encode("ascii")
    else:
        arr = array("H", s.encode("utf-16-le", "surrogatepass"))
        if _BIG_ENDIAN:
            arr.byteswap()
        units = arr
    for unit in units:
        h = ((h ^ unit) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def _hash(seed: Any, value: Any, version: Any) -> float | None:
    if type(version) is bool or not isinstance(version, (int, float)):
        return None  # JS `version === 2`: "2" and true are not 2
    seed_s = seed if type(seed) is str else js_string(seed)
    value_s = value if type(value) is str else js_string(value)
    if version == 2:
        return (fnv1a32(str(fnv1a32(seed_s + value_s))) % 10000) / 10000
    if version == 1:
        return (fnv1a32(value_s + seed_s) % 1000) / 1000
    return None


def hash_value(seed: str, value: Any, version: int) -> float | None:
    """A user's position in [0, 1) for ``seed``; ``value`` is hashed as JS
    ``String(value)`` would print it (1.0 → "1", True → "true"). None for an
    unknown hash version."""
    return _hash(seed, value, version)


def equal_weights(n: int) -> list[float]:
    """``n`` equal weights (empty for n < 1), computed as JS ``1 / n``."""
    if n <= 0:
        return []
    count = int(n)
    return [1 / count] * count


def bucket_ranges(
    n: int, coverage: float | None = 1.0, weights: list[float] | None = None
) -> list[tuple[float, float]]:
    """Variant ranges; invalid weights silently fall back to equal ones, as in
    every SDK, so assignment never fails at runtime (the validator warns)."""
    if coverage is None:
        coverage = 1.0
    if coverage < 0:
        coverage = 0.0
    elif coverage > 1:
        coverage = 1.0
    equal = equal_weights(n)
    chosen = list(weights) if weights is not None else equal
    if len(chosen) != len(equal):
        chosen = equal
    total = 0.0
    for w in chosen:  # left to right like JS reduce (Python 3.12's sum() compensates)
        total += w
    if total < 0.99 or total > 1.01:
        chosen = equal
    ranges: list[tuple[float, float]] = []
    cumulative = 0.0
    for w in chosen:
        start = cumulative
        cumulative += w
        ranges.append((start, start + coverage * w))
    return ranges


def choose_variation(n: float, ranges: Iterable[tuple[float, float] | list[float]]) -> int:
    """Index of the first range with start <= n < end, or -1 (not in the test)."""
    for i, (start, end) in enumerate(ranges):
        if start <= n < end:
            return i
    return -1


def in_namespace(hash_value: Any, namespace: tuple[str, float, float] | list[Any]) -> bool:
    """Is the user inside ``[id, start, end)``? Experiments sharing a namespace
    id with disjoint ranges never share a user."""
    n = _hash("__" + js_string(namespace[0]), hash_value, 1)
    if n is None:
        return False
    return namespace[1] <= n < namespace[2]
