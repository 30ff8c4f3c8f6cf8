"""GrowthBook's variant assignment as SQL: FNV-1a (v2), bucket ranges, namespaces.

``hash(seed, id, 2)`` is FNV-1a 32-bit over the UTF-16 code units of
``seed + id``, then FNV-1a over the decimal digits of that, modulo 10,000.
SQL has no FNV, so the steps are written out: the id's bytes are read eight
at a time from its hex form (one cast per eight bytes, instead of one string
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

from collections.abc import Iterable, Sequence
from typing import Any

from guidestudio.core.simulate.hashing import PreparedExperiment, _fnv_continue
from guidestudio.core.targeting.js_values import js_string

FNV_OFFSET = 0x811C9DC5
_PRIME = 0x01000193
_MASK = 0xFFFFFFFF
MAX_ID_LENGTH = 64
#: Outside the experiment's ranges (-1) or its namespace (-2), as ``PreparedExperiment``.
NOT_IN_EXPERIMENT, NOT_IN_NAMESPACE = -1, -2


def _step(h: str, unit: str) -> str:
    return f"((xor({h}, {unit}) * {_PRIME}) & {_MASK})"


def _bytes_of(id_sql: str, length: int) -> list[str]:
    """SQL for each byte of an ASCII id of ``length`` bytes (from its hex form)."""
    out = []
    for k in range(length):
        chunk, offset = divmod(k, 8)
        chunk_len = min(8, length - 8 * chunk)
        word = f"w{chunk}"
        shift = 8 * (chunk_len - 1 - offset)
        out.append(f"(({word} >> {shift}) & 255)" if shift else f"({word} & 255)")
    return out


def _words(id_sql: str, length: int) -> list[tuple[str, str]]:
    return [(f"w{j}", f"TRY_CAST('0x' || substr(hex({id_sql}), {16 * j + 1}, 16) AS UBIGINT)")
            for j in range((length + 7) // 8)]


def fnv_of_id(id_sql: str, start: int, lengths: Iterable[int], suffix: str = "") -> str:
    """FNV-1a from state ``start`` over an ASCII id (then over ``suffix``), for ids
    of the given lengths; NULL for any other. Reads columns ``w0``, ``w1``…
    (``id_words``)."""
    branches = []
    for n in sorted(set(lengths)):
        if not 0 < n <= MAX_ID_LENGTH:
            continue
        h = str(start)
        for unit in _bytes_of(id_sql, n):
            h = _step(h, unit)
        for ch in suffix:  # ASCII-only suffixes (namespace ids are checked by the caller)
            h = _step(h, str(ord(ch)))
        branches.append(f"WHEN {n} THEN CAST({h} AS BIGINT)")
    if not branches:
        return "CAST(NULL AS BIGINT)"
    return f"(CASE length({id_sql}) {' '.join(branches)} END)"


def id_words(id_sql: str, lengths: Iterable[int]) -> list[tuple[str, str]]:
    """The ``w0``, ``w1``… columns ``fnv_of_id`` reads (eight bytes of the id each)."""
    longest = max([n for n in lengths if 0 < n <= MAX_ID_LENGTH], default=0)
    return _words(id_sql, longest)


def _fnv_of_digits(h_sql: str) -> str:
    """FNV-1a from the offset over the decimal digits of a 32-bit number."""
    branches = []
    for digits in range(1, 11):
        h = str(FNV_OFFSET)
        for i in range(digits):
            power = 10 ** (digits - 1 - i)
            digit = f"((({h_sql}) // {power}) % 10 + 48)" if power > 1 else f"(({h_sql}) % 10 + 48)"
            h = _step(h, digit)
        low = 0 if digits == 1 else 10 ** (digits - 1)
        branches.append(f"WHEN {h_sql} < {10 ** digits} AND {h_sql} >= {low} THEN {h}")
    return f"(CASE {' '.join(branches)} END)"


def _runs(table: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start, end, value) runs of equal values in the position table."""
    runs = []
    start = 0
    for m in range(1, len(table) + 1):
        if m == len(table) or table[m] != table[start]:
            runs.append((start, m, table[start]))
            start = m
    return runs


def _lookup(position_sql: str, table: Sequence[int]) -> str:
    runs = _runs(table)
    if len(runs) == 1:
        return str(runs[0][2])
    cases = " ".join(f"WHEN {position_sql} < {end} THEN {value}" for _, end, value in runs[:-1])
    return f"(CASE {cases} ELSE {runs[-1][2]} END)"


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


def first_hash_sql(id_sql: str, experiment: PreparedExperiment, lengths: Iterable[int],
                   namespace: bool = False) -> str:
    """FNV-1a of seed + id (or, with ``namespace``, of id + "__" + namespace id,
    hash v1's input): NULL for ids SQL does not hash."""
    if not namespace:
        return fnv_of_id(id_sql, experiment.state, lengths)
    suffix = "__" + js_string(experiment.namespace[0]) if isinstance(
        experiment.namespace, (list, tuple)) and experiment.namespace else ""
    if not suffix or not suffix.isascii():
        return "CAST(NULL AS BIGINT)"
    return fnv_of_id(id_sql, FNV_OFFSET, lengths, suffix)


def bucket_sql_from(h_column: str, ns_column: str, experiment: PreparedExperiment) -> str:
    """The variation index (-1 outside the ranges, -2 outside the namespace), as
    ``PreparedExperiment.buckets``, from the first-pass hash column(s); NULL
    where they are NULL."""
    position = f"({_fnv_of_digits(h_column)} % 10000)"
    assigned = _lookup(position, experiment.table)
    if experiment.namespace is None:
        return f"(CASE WHEN {h_column} IS NULL THEN NULL ELSE {assigned} END)"
    inside = namespace_positions(experiment.namespace)
    if inside is None or not any(inside):
        return f"(CASE WHEN {h_column} IS NULL THEN NULL ELSE {NOT_IN_NAMESPACE} END)"
    table = [0 if flag else NOT_IN_NAMESPACE for flag in inside]
    ns = _lookup(f"({ns_column} % 1000)", table)
    return (f"(CASE WHEN {h_column} IS NULL OR {ns_column} IS NULL THEN NULL "
            f"WHEN {ns} = {NOT_IN_NAMESPACE} THEN {NOT_IN_NAMESPACE} ELSE {assigned} END)")


def seed_state(seed: str) -> int:
    """FNV-1a state after the seed's code units."""
    return _fnv_continue(FNV_OFFSET, seed)
