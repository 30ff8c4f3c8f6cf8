"""The pieces of SQL text the compiler writes, with constant folding.

Every audience query is written through these helpers, so the SQL stays
small (constants fold away) and in one dialect (DuckDB's, which ``sqlglot``
reads for the other engines). Booleans are three-valued on purpose: NULL is
"SQL cannot decide this row", and SQL's own AND/OR/NOT propagate it exactly
as Kleene logic does, so a row is undecided only when its answer really
depends on an undecided clause.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

TRUE, FALSE, UNKNOWN = "TRUE", "FALSE", "CAST(NULL AS BOOLEAN)"


def encodable(text: str) -> bool:
    """Can ``text`` be written in SQL (UTF-8, no NUL)? A lone surrogate cannot,
    and no column value contains one either."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def string(text: str) -> str:
    """A SQL string literal (``encodable`` text only)."""
    return "'" + text.replace("'", "''") + "'"


def number(value: float | int) -> str:
    """A SQL numeric literal of a finite or infinite (never NaN) number."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    if value == math.inf:
        return "CAST('Infinity' AS DOUBLE)"
    if value == -math.inf:
        return "CAST('-Infinity' AS DOUBLE)"
    return f"CAST({value!r} AS DOUBLE)"


def boolean(value: bool) -> str:
    return TRUE if value else FALSE


def and_(parts: Iterable[str]) -> str:
    kept: list[str] = []
    for p in parts:
        if p == FALSE:
            return FALSE
        if p != TRUE:
            kept.append(p)
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else "(" + " AND ".join(kept) + ")"


def or_(parts: Iterable[str]) -> str:
    kept: list[str] = []
    for p in parts:
        if p == TRUE:
            return TRUE
        if p != FALSE:
            kept.append(p)
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")"


def not_(part: str) -> str:
    if part == TRUE:
        return FALSE
    if part == FALSE:
        return TRUE
    if part == UNKNOWN:
        return UNKNOWN
    return f"(NOT {part})"


def case(condition: str, then: str, otherwise: str) -> str:
    """``CASE WHEN condition THEN … ELSE … END``; ``condition`` must be two-valued."""
    if condition == TRUE:
        return then
    if condition == FALSE:
        return otherwise
    if then == otherwise:
        return then
    return f"(CASE WHEN {condition} THEN {then} ELSE {otherwise} END)"


def unless_missing(missing: str, if_missing: bool, present: str) -> str:
    """``CASE WHEN missing THEN if_missing ELSE present END`` without a CASE, which
    costs DuckDB several times a comparison per row: Kleene's AND and OR with a
    two-valued ``missing`` give the same answer whatever ``present`` is on the
    missing rows (NULL included)."""
    if missing == TRUE:
        return boolean(if_missing)
    if missing == FALSE:
        return present
    if if_missing:
        return or_([missing, present])
    return and_([not_(missing), present])


def any_of(list_sql: str, variable: str, element_test: str) -> str:
    """Does any element pass (three-valued: TRUE if one is TRUE, NULL if none is
    but one is undecided, else FALSE)? ``element_test`` reads ``variable``."""
    if element_test in (FALSE, TRUE) and element_test == FALSE:
        return FALSE
    if element_test == TRUE:
        return f"(array_length({list_sql}) > 0)"
    tests = f"list_transform({list_sql}, lambda {variable}: {element_test})"
    undecided = f"list_transform({list_sql}, lambda {variable}: ({element_test}) IS NULL)"
    return (f"(CASE WHEN list_contains({tests}, TRUE) THEN TRUE "
            f"WHEN list_contains({undecided}, TRUE) THEN NULL ELSE FALSE END)")
