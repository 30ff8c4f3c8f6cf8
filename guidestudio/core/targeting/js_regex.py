"""JavaScript regular expressions on Python's ``re``: ``$regex`` and ``$regexi``.

GrowthBook builds ``new RegExp(pattern, insensitive ? "i" : undefined)``: the
non-unicode dialect with Annex B's web-compatibility grammar. Python's ``re``
differs in syntax (``(?i)``, ``(?P<n>``, ``\\Z``, ``{,3}``, possessive ``*+``
are Python-only; ``[]``, ``\\c``, ``\\u{…}``-as-literal are JS-only) and in
meaning (Unicode ``\\d``/``\\w``/``\\s``/``\\b``, ``$`` before a final newline,
``.`` crossing ``\\r``, code points instead of UTF-16 units, case folding).
So ``js_regex_translate`` parses the JS grammar, rejects what V8 rejects, and
emits an equivalent Python pattern; this module compiles and caches the
result and tests subjects against it.

It also refuses the patterns that would hang: longer than
``MAX_PATTERN_UNITS``, or able to backtrack super-linearly
(``js_regex_redos``). Such a pattern fails its clause here, as one JavaScript
rejects does, and the validator reports it, so no bundle carries one. The
analysis is exact except around backreferences and repeating lookarounds;
those patterns run on the ``regex`` module with a time limit per call
(``CALL_TIME_LIMIT_S``), and one that runs out is refused from then on. The
others run on ``re``, whose per-call cost (about 0.3 µs) the hot loop of
``simulate`` needs: ``regex`` costs about 2 µs a call, and 8 µs with a timeout.
An accepted pattern is linear in the value's length per start position, but an
unanchored one is tried at every position, so a value longer than
``UNBOUNDED_VALUE_UNITS`` (rare in targeting) goes to the time-limited engine
too: no call can take seconds.
"""

from __future__ import annotations

import re
from typing import Any

from guidestudio.core.targeting.js_regex_advice import describe
from guidestudio.core.targeting.js_regex_redos import MAX_PATTERN_UNITS, find_backtracking
from guidestudio.core.targeting.js_regex_translate import (
    JSRegexSyntaxError,
    Unrepresentable,
    translate,
)
from guidestudio.core.targeting.js_values import js_string, utf16_units

#: Wall-clock limit of one match of a pattern the analysis is approximate for, or of
#: any pattern on a value longer than UNBOUNDED_VALUE_UNITS.
CALL_TIME_LIMIT_S = 0.02
#: Longest value ``re`` runs without a time limit: tried at each of its positions, a
#: linear pattern costs at most the square of this (milliseconds).
UNBOUNDED_VALUE_UNITS = 256


class BoundedPattern:
    """A translated pattern run by the ``regex`` module under ``CALL_TIME_LIMIT_S`` per
    call, with ``re.Pattern``'s ``search``. A call that runs out answers "no match"; for a
    pattern the analysis is approximate for (``refuse``), it also marks the pattern as
    hanging: every later call answers at once, and the pattern is refused from then on
    (``js_regex_error`` says why). An accepted pattern on an over-long value is not refused
    for the other values."""

    def __init__(self, python: str, pattern: str, insensitive: bool, refuse: bool = True
                 ) -> None:
        import regex  # only for the rare patterns and values that need it

        self._compiled = regex.compile(python)
        self._key = (pattern, insensitive)
        self._refuse = refuse
        self.hung = False

    def search(self, subject: str) -> object | None:
        if self.hung:
            return None
        try:
            return self._compiled.search(subject, timeout=CALL_TIME_LIMIT_S)
        except TimeoutError:
            if not self._refuse:
                return None
            self.hung = True
            pattern, insensitive = self._key
            _refuse(pattern, insensitive, f"/{pattern}/ took longer than "
                    f"{CALL_TIME_LIMIT_S * 1000:g} ms on one value: it backtracks too much to "
                    f"run in the product; simplify its repetitions")
            return None


Compiled = re.Pattern[str] | BoundedPattern

_REGEX_BY_PATTERN: dict[str, Compiled | str] = {}
_REGEXI_BY_PATTERN: dict[str, Compiled | str] = {}
_REGEX_CACHE_LIMIT = 4096
# Why a pattern is refused when JavaScript itself would run it: it could hang.
_HAZARDS: dict[tuple[str, bool], str] = {}


def _refuse(pattern: str, insensitive: bool, reason: str) -> str:
    if len(_HAZARDS) >= _REGEX_CACHE_LIMIT:  # forget both, so no cached refusal lacks its reason
        _HAZARDS.clear()
        _REGEX_BY_PATTERN.clear()
        _REGEXI_BY_PATTERN.clear()
    _HAZARDS[(pattern, insensitive)] = reason
    (_REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN)[pattern] = reason
    return reason


def _compile(pattern: str, insensitive: bool) -> Compiled | str:
    units = utf16_units(pattern)
    if len(units) > MAX_PATTERN_UNITS:
        return _refuse(pattern, insensitive, (
            f"it is {len(units)} characters long and a pattern may have at most "
            f"{MAX_PATTERN_UNITS}; split it into several conditions, or use $in for a "
            f"list of values"))
    translation = translate(pattern, insensitive)
    finding = find_backtracking(translation.tree)
    if finding is not None:
        return _refuse(pattern, insensitive, describe(finding, translation.tree, units))
    compiled = re.compile(translation.python)  # what re cannot run is refused, as before
    if translation.approximate:
        return BoundedPattern(translation.python, pattern, insensitive)
    return compiled


def compile_js_regex(pattern: str, insensitive: bool) -> Compiled | str:
    """The compiled equivalent, or the reason there is none (cached either way:
    an audience is evaluated for every user, and so is every bad pattern)."""
    cache = _REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN
    cached = cache.get(pattern)
    if cached is not None:
        return cached
    result: Compiled | str
    try:
        result = _compile(pattern, insensitive)
    except JSRegexSyntaxError as exc:
        result = str(exc)
    except (re.error, OverflowError, RecursionError, Unrepresentable) as exc:
        result = f"Python cannot evaluate /{pattern}/ like JavaScript: {exc}"
    if len(cache) >= _REGEX_CACHE_LIMIT:
        cache.clear()
    cache[pattern] = result
    return result


_LONG_VALUE_ENGINES: dict[tuple[str, bool], BoundedPattern] = {}


def search_long_value(pattern: str, insensitive: bool, subject: str) -> bool:
    """``$regex`` of an accepted pattern on a value longer than ``UNBOUNDED_VALUE_UNITS``
    (in UTF-16 units), under the time limit."""
    key = (pattern, insensitive)
    engine = _LONG_VALUE_ENGINES.get(key)
    if engine is None:
        if len(_LONG_VALUE_ENGINES) >= _REGEX_CACHE_LIMIT:
            _LONG_VALUE_ENGINES.clear()
        engine = _LONG_VALUE_ENGINES[key] = BoundedPattern(
            translate(pattern, insensitive).python, pattern, insensitive, refuse=False)
    return engine.search(subject) is not None


def js_regex_error(pattern: str, insensitive: bool = False) -> str | None:
    """Why ``pattern`` cannot be used as a ``$regex``/``$regexi``: JavaScript's
    RegExp rejects it (e.g. ``(?i)abc``), or Python's ``re`` cannot reproduce
    its JavaScript meaning (e.g. a variable-width lookbehind). None when fine.
    The evaluator fails such a clause instead of raising."""
    if not isinstance(pattern, str):
        return "a regular expression must be a string"
    compiled = compile_js_regex(pattern, insensitive)
    return compiled if isinstance(compiled, str) else None


def js_regex_hazard(pattern: str, insensitive: bool = False) -> str | None:
    """Why ``pattern``, which JavaScript would run, is refused because it could hang the
    product (too long, or super-linear backtracking, with how to rewrite it); None when
    it is not refused for that reason. ``js_regex_error`` gives the same reason."""
    if not isinstance(pattern, str):
        return None
    compile_js_regex(pattern, insensitive)
    return _HAZARDS.get((pattern, insensitive))


def regex_test(actual: Any, pattern: Any, insensitive: bool) -> bool:
    """``$regex``/``$regexi``: ``new RegExp(pattern, flags).test(String(actual))``;
    a pattern JavaScript rejects (or Python cannot imitate) fails the clause."""
    if type(pattern) is not str:
        return False  # GrowthBook calls pattern.replace(): throws, caught, fails
    compiled = (_REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN).get(pattern)
    if compiled is None:
        compiled = compile_js_regex(pattern, insensitive)
    if type(compiled) is str:
        return False
    subject = actual if type(actual) is str else js_string(actual)
    if not subject.isascii():
        subject = utf16_units(subject)
    if len(subject) > UNBOUNDED_VALUE_UNITS and type(compiled) is not BoundedPattern:
        return search_long_value(pattern, insensitive, subject)
    return compiled.search(subject) is not None  # type: ignore[union-attr]
