"""Sets of UTF-16 code units, the building blocks of a translated JS regex.

The translator never emits Python's own ``\\d``, ``\\w``, ``.`` or ``(?i)``:
their meaning differs from JavaScript's. Every class is instead an explicit
set of code-unit intervals, case-folded the way a non-unicode JS ``/i``
folds, and written out as a Python character class.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from guidestudio.core.targeting.js_values import JS_WHITESPACE

_UNITS = 0x10000  # after utf16_units every character is a single code unit

Intervals = tuple[tuple[int, int], ...]


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> Intervals:
    """The union of ``intervals`` as sorted, disjoint, non-adjacent intervals."""
    merged: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1][1] = hi
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def complement(intervals: Intervals) -> Intervals:
    """Every code unit not in ``intervals`` (``[^…]``, ``\\D``)."""
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
    return merge_intervals((p, p) for p in points)


_DIGIT: Intervals = ((0x30, 0x39),)
_WORD: Intervals = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE: Intervals = _from_points(ord(c) for c in JS_WHITESPACE)
_LINE_TERMINATORS: Intervals = _from_points((0x0A, 0x0D, 0x2028, 0x2029))
CLASS_ESCAPES: dict[str, Intervals] = {
    "d": _DIGIT,
    "D": complement(_DIGIT),
    "w": _WORD,
    "W": complement(_WORD),
    "s": _SPACE,
    "S": complement(_SPACE),
}
DOT: Intervals = complement(_LINE_TERMINATORS)
_WORD_CLASS = "[0-9A-Z_a-z]"
WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?!{_WORD_CLASS})|(?<!{_WORD_CLASS})(?={_WORD_CLASS}))"
NOT_WORD_BOUNDARY = f"(?:(?<={_WORD_CLASS})(?={_WORD_CLASS})|(?<!{_WORD_CLASS})(?!{_WORD_CLASS}))"


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
def fold_case(intervals: Intervals) -> Intervals:
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


def emit_class(intervals: Intervals) -> str:
    """A Python pattern matching exactly one unit of ``intervals`` (never
    Python's own escapes, whose meaning differs)."""
    if not intervals:
        return "(?!)"
    if len(intervals) == 1 and intervals[0][0] == intervals[0][1]:
        return _unit_escape(intervals[0][0])
    body = "".join(
        _unit_escape(lo) if lo == hi else f"{_unit_escape(lo)}-{_unit_escape(hi)}"
        for lo, hi in intervals
    )
    return f"[{body}]"
