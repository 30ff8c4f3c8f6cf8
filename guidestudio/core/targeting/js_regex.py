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
"""

from __future__ import annotations

import re
from typing import Any

from guidestudio.core.targeting.js_regex_translate import (
    JSRegexSyntaxError,
    Unrepresentable,
    translate_js_regex,
)
from guidestudio.core.targeting.js_values import js_string, utf16_units

_REGEX_BY_PATTERN: dict[str, re.Pattern[str] | str] = {}
_REGEXI_BY_PATTERN: dict[str, re.Pattern[str] | str] = {}
_REGEX_CACHE_LIMIT = 4096


def compile_js_regex(pattern: str, insensitive: bool) -> re.Pattern[str] | str:
    """The compiled equivalent, or the reason there is none (cached either way:
    an audience is evaluated for every user, and so is every bad pattern)."""
    cache = _REGEXI_BY_PATTERN if insensitive else _REGEX_BY_PATTERN
    cached = cache.get(pattern)
    if cached is not None:
        return cached
    result: re.Pattern[str] | str
    try:
        result = re.compile(translate_js_regex(pattern, insensitive))
    except JSRegexSyntaxError as exc:
        result = str(exc)
    except (re.error, OverflowError, RecursionError, Unrepresentable) as exc:
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
    compiled = compile_js_regex(pattern, insensitive)
    return compiled if isinstance(compiled, str) else None


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
    return compiled.search(subject) is not None  # type: ignore[union-attr]
