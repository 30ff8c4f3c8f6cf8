"""Variant counts in DuckDB: one branch of a query per experiment.

Hashing each experiment's audience in its own column of one scan makes DuckDB
run every FNV step on a sparse vector (a fifth of the rows selected, say), which
costs it ten times as much per hashed row as a dense one. Here the users are
first kept in a table (``engine._counts``: each audience's answer, the id's words);
each experiment is a branch that filters that table on its audience, so every
row it hashes is a row of a dense vector, from a seed state that is a constant
of the branch, and counts its users per run of the position table with
``count_if`` (unnesting (user, experiment) pairs, joining the seeds and grouping
by (experiment, position) cost twice as much).

Only the rows SQL can hash are counted here (in the audience, a hash value, an
ASCII id of one of the lengths the hashing is written for); ``engine`` counts
the others and leaves them to Python. The hashing itself is ``hashing_sql``'s,
held to ``choose_variation`` by tests/core/test_audience_sql.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from guidestudio.core.audience_sql.hashing_sql import (
    FNV_OFFSET,
    NOT_IN_NAMESPACE,
    digit_code,
    digit_halves,
    fnv_of_digits,
    fnv_of_id,
    id_bytes,
    lookup,
    namespace_positions,
    namespace_suffix,
    runs,
)
from guidestudio.core.audience_sql.hashing_sql import (
    step as _step,
)
from guidestudio.core.simulate.hashing import PreparedExperiment


def python_only(experiment: PreparedExperiment) -> bool:
    """Does SQL leave this experiment's assignment to Python (a namespace whose id
    is not ASCII: hash v1 would run over other units)?"""
    if experiment.namespace is None:
        return False
    inside = namespace_positions(experiment.namespace)
    return inside is not None and any(inside) and namespace_suffix(experiment) is None


def branch(source: str, flag: str, j: int, experiment: PreparedExperiment,
           lengths: Sequence[int]) -> str | None:
    """The counts of one experiment over ``source`` (one row per user: ``flag``
    its audience, ``id_missing``, ``_gs_hashable``, ``n`` the id's length and
    its words ``w<k>``): one row ``(j, [users per slot])``, the slots as
    ``slots`` names them; None when SQL does not hash it (``python_only``).

    Each experiment is its own branch over the users materialised once: the
    filter leaves a dense vector of its users (no unnest of (user, experiment)
    pairs, no join for the seed: it is a constant), and the positions are
    counted per run of the position table with ``count_if`` (no GROUP BY)."""
    if python_only(experiment):
        return None
    # One length (the usual case): ``source`` has no column ``n``, every id hashed has it.
    n = "n" if len(lengths) > 1 else str(lengths[0])
    users = (f"SELECT {n} AS n, "
             f"{', '.join(f'{sql} AS {name}' for name, sql in id_bytes(max(lengths)))}"
             f" FROM {source} WHERE {flag} IS TRUE AND NOT id_missing AND _gs_hashable")
    counted = [f"count_if({test})" for test in _slot_tests(experiment)]
    if namespace_suffix(experiment) is None and experiment.namespace is not None:
        # No position is in its namespace: every user is -2, no hash needed.
        return f"SELECT {j} AS k, [{', '.join(counted)}] AS c FROM ({users})"
    suffix = namespace_suffix(experiment)
    ns = f", {fnv_of_id(FNV_OFFSET, lengths, suffix)} AS ns" if suffix is not None else ""
    hashes = f"SELECT {fnv_of_id(experiment.state, lengths)} AS h{ns} FROM ({users})"
    halves = ", ".join(f"{sql} AS {name}" for name, sql in digit_halves("h"))
    # The second pass, FNV over the decimal digits of h: the state after all but
    # the last five digits is looked up (h_hi < 42,950: one join), the last five
    # digits' codes are computed (a multiply and a shift each: a second join to
    # their 100,000 codes cost twice the arithmetic), leaving five steps;
    # h < 100,000 (one id in fifty thousand) takes the written-out form.
    steps = "_gs_hs"
    for d in range(4, -1, -1):
        steps = _step(steps, f"_gs_d{d}")
    low = ", ".join(f"{digit_code('h_lo', d)} AS _gs_d{d}" for d in range(5))
    second = (f"SELECT *, (CASE WHEN h_hi = 0 THEN {fnv_of_digits('h')} ELSE {steps} END) "
              f"% 10000 AS p FROM (SELECT *, {low} FROM (SELECT *, {halves} FROM ({hashes}))) "
              f"LEFT JOIN ({_HIGH_DIGITS}) ON h_hi = _gs_hk")
    return f"SELECT {j} AS k, [{', '.join(counted)}] AS c FROM ({second})"


def _slot_tests(experiment: PreparedExperiment) -> list[str]:
    """SQL true for the users of each slot (``slots``), over ``p`` (the position)
    and ``ns`` (the namespace hash)."""
    if experiment.namespace is not None and namespace_suffix(experiment) is None:
        return ["TRUE"]
    tests = []
    for start, end, _ in runs(experiment.table):
        bounds = ([f"p >= {start}"] if start > 0 else []) + \
            ([f"p < {end}"] if end < len(experiment.table) else [])
        tests.append(" AND ".join(bounds) if bounds else "TRUE")
    if namespace_suffix(experiment) is None:
        return tests
    inside = f"({lookup('(ns % 1000)', _inside(experiment))} = 0)"
    return [f"NOT {inside}", *(f"{inside} AND {t}" for t in tests)]


def slots(experiment: PreparedExperiment) -> list[int]:
    """The bucket each of ``branch``'s counts adds to (several runs of the position
    table can give the same variation)."""
    if experiment.namespace is not None and namespace_suffix(experiment) is None:
        return [NOT_IN_NAMESPACE]
    values = [value for _, _, value in runs(experiment.table)]
    return values if namespace_suffix(experiment) is None else [NOT_IN_NAMESPACE, *values]


#: FNV-1a from the offset over the decimal digits of 1..42,949 (the first digits
#: of a 32-bit number but its last five).
_HIGH_DIGITS = (f"SELECT range AS _gs_hk, {fnv_of_digits('range')} AS _gs_hs FROM "
                f"(SELECT range, {', '.join(f'{sql} AS {n}' for n, sql in digit_halves('range'))} "
                f"FROM range(1, 42950))")


def _inside(experiment: PreparedExperiment) -> list[int]:
    inside = namespace_positions(experiment.namespace) or []
    return [0 if flag else NOT_IN_NAMESPACE for flag in inside]
