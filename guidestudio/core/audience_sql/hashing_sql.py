"""GrowthBook's variant assignment as SQL: FNV-1a (v2), bucket ranges, namespaces.

``hash(seed, id, 2)`` is FNV-1a 32-bit over the UTF-16 code units of
``seed + id``, then FNV-1a over the decimal digits of that, modulo 10,000.
SQL has no FNV, so the steps are written out: the id's bytes are read seven
at a time as one integer (one cast per seven bytes, instead of one string
slice per byte, which is several times slower), and for each id length the
FNV steps are one nested arithmetic expression (``CASE`` on the length picks
it). The seed's steps are done once, in Python: the expression starts from
the state after the seed. Ids with a character outside ASCII (where UTF-8
bytes are not UTF-16 units) or longer than ``MAX_ID_LENGTH`` get NULL: the
caller assigns those rows in Python.

Positions become variations through the same table ``simulate`` uses
(``position_table``: the float comparisons of ``choose_variation`` done once
for all 10,000 positions), written as ranges of positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.targeting.js_values import js_string

FNV_OFFSET = 0x811C9DC5
_PRIME = 0x01000193
_MASK = 0xFFFFFFFF
MAX_ID_LENGTH = 64
# Bytes per word: seven keep every word, and every FNV product, inside BIGINT
# (an eighth byte would need UBIGINT, and mixing the two makes DuckDB compute in
# 128 bits, several times slower).
_WORD_BYTES = 7
#: Outside the experiment's ranges (-1) or its namespace (-2), as ``PreparedExperiment``.
NOT_IN_EXPERIMENT, NOT_IN_NAMESPACE = -1, -2


def step(h: str, unit: str) -> str:
    """One FNV-1a step: ``(h xor unit) * prime``, kept to 32 bits."""
    return f"((xor({h}, {unit}) * {_PRIME}) & {_MASK})"


def id_words(id_sql: str, longest: int, shortest: int = 0) -> list[tuple[str, str]]:
    """The ``w0``, ``w1``… columns: seven bytes of the id each (padded with spaces
    to whole words, so byte k is always at the same place), as one integer (the
    bytes as a bit string cast to BIGINT: a third of the cost of parsing their hex
    form). ``shortest``: no id hashed is shorter, so the words it fills are read
    without padding (padding the id costs a quarter of reading its words)."""
    n_words = (longest + _WORD_BYTES - 1) // _WORD_BYTES
    padded = f"rpad({id_sql}, {n_words * _WORD_BYTES}, ' ')"
    out = []
    for j in range(n_words):
        text = id_sql if shortest >= _WORD_BYTES * (j + 1) else padded
        out.append((f"w{j}", f"TRY_CAST(TRY_CAST(encode(substr({text}, {_WORD_BYTES * j + 1}, "
                             f"{_WORD_BYTES})) AS BIT) AS BIGINT)"))
    return out


def id_bytes(longest: int) -> list[tuple[str, str]]:
    """The ``y0``, ``y1``… columns: byte k of the id, from its words; computed
    once, read by every experiment's hash."""
    out = []
    for k in range(longest):
        chunk, offset = divmod(k, _WORD_BYTES)
        shift = 8 * (_WORD_BYTES - 1 - offset)
        out.append((f"y{k}", f"((w{chunk} >> {shift}) & 255)" if shift else f"(w{chunk} & 255)"))
    return out


def fnv_steps(h_sql: str, text: str) -> str:
    """FNV-1a from the state ``h_sql`` over the ASCII ``text``."""
    h = h_sql
    for ch in text:
        h = step(h, str(ord(ch)))
    return h


def fnv_of_id(start: int | str, lengths: Sequence[int], suffix: str = "") -> str:
    """FNV-1a from ``start`` over an ASCII id whose length is one of ``lengths``
    (then over the ASCII ``suffix``), from the columns ``n`` (its length) and its
    bytes ``y<k>``; NULL for other lengths. Each length is one nested expression in which
    the state appears once per step: the expression stays linear in the id's
    length, and DuckDB evaluates it without re-computing any part."""
    branches = []
    for n in lengths:
        h = f"CAST({start} AS BIGINT)"
        for k in range(n):
            h = step(h, f"y{k}")
        for ch in suffix:
            h = step(h, str(ord(ch)))
        branches.append(f"WHEN {n} THEN {h}")
    if not branches:
        return "CAST(NULL AS BIGINT)"
    return f"(CASE n {' '.join(branches)} END)"


#: x // 10**k == (x * _RECIPROCAL[k]) >> 32 for every 0 <= x < 100,000 (checked for
#: all of them by the tests): a multiply and a shift instead of a division, which
#: costs DuckDB some twenty times as much.
_RECIPROCAL = {k: -(-(2**32) // 10**k) for k in range(1, 5)}


def _over(x: str, k: int) -> str:
    """``x // 10**k`` for 0 <= x < 100,000."""
    return x if k == 0 else f"(({x} * {_RECIPROCAL[k]}) >> 32)"


def digit_code(x: str, k: int) -> str:
    """Decimal digit ``k`` (0: the units) of 0 <= x < 100,000, as its character code."""
    if k == 4:
        return f"({_over(x, 4)} + 48)"
    return f"({_over(x, k)} - 10 * {_over(x, k + 1)} + 48)"


def digit_halves(column: str) -> list[tuple[str, str]]:
    """The columns ``fnv_of_digits`` reads: a 32-bit ``column`` split into its
    first digits and its last five (one division for both)."""
    return [(f"{column}_hi", f"({column} // 100000)"),
            (f"{column}_lo", f"({column} % 100000)")]


def fnv_of_digits(column: str) -> str:
    """FNV-1a from the offset over the decimal digits of a 32-bit ``column``, from
    its halves (``digit_halves``): ``hi`` = its digits but the last five, ``lo``
    = those five (zero-padded when ``hi`` has any). The commonest lengths first."""
    hi, lo = f"{column}_hi", f"{column}_lo"
    branches = []
    for n in range(10, 0, -1):
        h = str(FNV_OFFSET)
        if n > 5:
            for k in range(n - 6, -1, -1):
                h = step(h, digit_code(hi, k))
            digits = 5
        else:
            digits = n
        for k in range(digits - 1, -1, -1):
            h = step(h, digit_code(lo, k))
        branches.append((10 ** (n - 1), h))
    cases = " ".join(f"WHEN {column} >= {bound} THEN {h}" for bound, h in branches[:-1])
    return f"(CASE {cases} ELSE {branches[-1][1]} END)"


def runs(table: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start, end, value) runs of equal values in the position table."""
    out = []
    start = 0
    for m in range(1, len(table) + 1):
        if m == len(table) or table[m] != table[start]:
            out.append((start, m, table[start]))
            start = m
    return out


def lookup(position_sql: str, table: Sequence[int]) -> str:
    """``table[position]`` as SQL, written as ranges of equal values."""
    spans = runs(table)
    if len(spans) == 1:
        return str(spans[0][2])
    cases = " ".join(f"WHEN {position_sql} < {end} THEN {value}" for _, end, value in spans[:-1])
    return f"(CASE {cases} ELSE {spans[-1][2]} END)"


def namespace_positions(namespace: Any) -> list[bool] | None:
    """For each of the 1,000 positions of hash v1, is it inside ``namespace``
    (``eligibility.user_in_namespace``'s comparison, done once per position)?"""
    if not isinstance(namespace, (list, tuple)) or len(namespace) < 3:
        return None
    inside = []
    for k in range(1000):
        n = (k % 1000) / 1000
        try:
            inside.append(bool(namespace[1] <= n < namespace[2]))
        except TypeError:
            inside.append(False)
    return inside


def bucket_sql_from(g_column: str, ns_column: str | None,
                    experiment: PreparedExperiment) -> str:
    """The variation index (-1 outside the ranges, -2 outside the namespace), as
    ``PreparedExperiment.buckets``, from the second-pass hash ``g_column`` and the
    namespace hash ``ns_column`` (hash v1); NULL where they are NULL."""
    assigned = lookup(f"({g_column} % 10000)", experiment.table)
    if experiment.namespace is None:
        return f"(CASE WHEN {g_column} IS NULL THEN NULL ELSE {assigned} END)"
    inside = namespace_positions(experiment.namespace)
    if inside is None or not any(inside):
        return f"(CASE WHEN {g_column} IS NULL THEN NULL ELSE {NOT_IN_NAMESPACE} END)"
    if ns_column is None:  # a namespace id SQL cannot hash (not ASCII): Python assigns
        return "CAST(NULL AS BIGINT)"
    table = [0 if flag else NOT_IN_NAMESPACE for flag in inside]
    ns = lookup(f"({ns_column} % 1000)", table)
    return (f"(CASE WHEN {g_column} IS NULL OR {ns_column} IS NULL THEN NULL "
            f"WHEN {ns} = {NOT_IN_NAMESPACE} THEN {NOT_IN_NAMESPACE} ELSE {assigned} END)")


def namespace_suffix(experiment: PreparedExperiment) -> str | None:
    """What hash v1 appends to the id for the namespace check ("__" + its id);
    None when SQL cannot hash it (not ASCII) or there is no usable namespace."""
    inside = namespace_positions(experiment.namespace)
    if inside is None or not any(inside):
        return None
    suffix = "__" + js_string(experiment.namespace[0])  # type: ignore[index]
    return suffix if suffix.isascii() else None
