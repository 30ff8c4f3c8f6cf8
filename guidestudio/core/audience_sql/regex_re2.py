"""JavaScript regexes as RE2 patterns (DuckDB's ``regexp_matches``), or NULL.

The translator in ``targeting.js_regex_translate`` parses the JS syntax once
and builds a tree whose character sets are explicit UTF-16 code-unit
intervals, already case-folded the way a non-unicode ``/i`` folds. Written
back out as RE2 classes (never RE2's own ``\\d``, ``.`` or ``(?i)``), that tree
means in RE2 what the pattern means in JavaScript on any string of
Basic-Multilingual-Plane characters, where code units and code points are the
same. So: rows whose value has a character beyond U+FFFF, or is longer than
the evaluator runs without a time limit, stay undecided (NULL) for the Python
evaluator; patterns RE2 cannot express (backreferences, lookarounds,
repetition counts above 1000) compile to NULL for every row; patterns the
evaluator refuses compile to FALSE, as it answers.
"""

from __future__ import annotations

from functools import lru_cache

from guidestudio.core.audience_sql import sql_text as q
from guidestudio.core.targeting.js_regex import (
    UNBOUNDED_VALUE_UNITS,
    BoundedPattern,
    compile_js_regex,
)
from guidestudio.core.targeting.js_regex_ast import Alt, Assertion, Chars, Empty, Node, Repeat, Seq
from guidestudio.core.targeting.js_regex_translate import translate

_RE2_MAX_REPEAT = 1000
_SURROGATES = (0xD800, 0xDFFF)


class _NotExpressible(Exception):
    pass


def _unit(u: int) -> str:
    ch = chr(u)
    if ch.isascii() and ch.isalnum():
        return ch
    return f"\\x{{{u:04X}}}"


def _class(units: tuple[tuple[int, int], ...]) -> str:
    parts = []
    for lo, hi in units:
        # Surrogate code units only occur in strings with characters beyond
        # U+FFFF, which never reach RE2 (those rows are left undecided).
        if hi < _SURROGATES[0] or lo > _SURROGATES[1]:
            spans = [(lo, hi)]
        else:
            spans = [(lo, _SURROGATES[0] - 1), (_SURROGATES[1] + 1, hi)]
        for a, b in spans:
            if a > b:
                continue
            parts.append(_unit(a) if a == b else f"{_unit(a)}-{_unit(b)}")
    if not parts:
        return "[^\\x00-\\x{10FFFF}]"  # matches nothing
    return "[" + "".join(parts) + "]"


def _emit(node: Node, source: str) -> str:
    if isinstance(node, Chars):
        return _class(node.units)
    if isinstance(node, Empty):
        return "(?:)"
    if isinstance(node, Seq):
        return "".join(_emit(item, source) for item in node.items)
    if isinstance(node, Alt):
        return "(?:" + "|".join(_emit(o, source) for o in node.options) + ")"
    if isinstance(node, Repeat):
        if node.low > _RE2_MAX_REPEAT or (node.high is not None and node.high > _RE2_MAX_REPEAT):
            raise _NotExpressible("repetition count above 1000")
        body = "(?:" + _emit(node.body, source) + ")"
        high = "" if node.high is None else str(node.high)
        if node.high is not None and node.high == node.low:
            return f"{body}{{{node.low}}}"
        return f"{body}{{{node.low},{high}}}"
    if isinstance(node, Assertion):
        if node.body is not None or node.group is not None:
            raise _NotExpressible("lookaround or backreference")
        piece = source[node.start:node.start + 2]
        if piece.startswith("^"):
            return "^"
        if piece.startswith("$"):
            return "\\z"
        if piece == "\\b":
            return "\\b"  # JS's \b is ASCII-word based, as RE2's is
        if piece == "\\B":
            return "\\B"
        raise _NotExpressible(f"assertion {piece!r}")
    raise _NotExpressible(type(node).__name__)


@lru_cache(maxsize=4096)
def re2_pattern(pattern: str, insensitive: bool) -> str | bool | None:
    """The RE2 pattern; False when the evaluator refuses the pattern (the clause
    fails); None when RE2 cannot express it exactly."""
    compiled = compile_js_regex(pattern, insensitive)
    if isinstance(compiled, str):
        return False
    if isinstance(compiled, BoundedPattern):
        return None
    try:
        tree = translate(pattern, insensitive).tree
        out = _emit(tree, pattern)
    except (_NotExpressible, RecursionError, ValueError):
        return None
    return out if q.encodable(out) else None


def regex_sql(text_sql: str, pattern: str, insensitive: bool) -> str:
    """``regex_test`` of a non-null VARCHAR expression, three-valued."""
    re2 = re2_pattern(pattern, insensitive)
    if re2 is False:
        return q.FALSE
    if re2 is None:
        return q.UNKNOWN
    assert isinstance(re2, str)
    match = f"regexp_matches({text_sql}, {q.string(re2)})"
    # ASCII (bytes = characters) is the common case and needs no other check.
    bmp_only = (f"(octet_length(encode({text_sql})) = length({text_sql}) "
                f"OR NOT regexp_matches({text_sql}, '[\\x{{10000}}-\\x{{10FFFF}}]'))")
    short = f"(length({text_sql}) <= {UNBOUNDED_VALUE_UNITS})"
    return q.case(f"({short} AND {bmp_only})", match, q.UNKNOWN)
