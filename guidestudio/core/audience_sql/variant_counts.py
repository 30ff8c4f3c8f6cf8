"""Variant counts in DuckDB, one row per (user, experiment the user is in).

Hashing each experiment's audience in its own column makes DuckDB run every
FNV step on a sparse vector (a fifth of the rows selected, say), which costs it
ten times as much per hashed row as a dense one. Here the users' experiments are
unnested into one long column ``k`` instead: every row hashed is a row of the
vector, each experiment's seed state comes from a join on ``k``, the position's
variation from a join on ``(k, position)``, and one GROUP BY gives the counts.

Only the rows SQL can hash get here (in the audience, a hash value, an ASCII id of
one of the lengths the hashing is written for); ``engine`` counts the others and
leaves them to Python. The hashing itself is ``hashing_sql``'s, held to
``choose_variation`` by tests/core/test_audience_sql.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from guidestudio.core.audience_sql.hashing_sql import (
    FNV_OFFSET,
    NOT_IN_NAMESPACE,
    digit_code,
    digit_halves,
    fnv_of_digits,
    fnv_of_id,
    fnv_steps,
    id_bytes,
    id_words,
    lookup,
    namespace_positions,
    namespace_suffix,
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


def query(base_select: str, experiments: Sequence[PreparedExperiment],
          lengths: Sequence[int]) -> str:
    """The counts query over ``base_select`` (one row per user: ``a<j>`` the
    audience of experiment j, ``id_missing``, ``hid``): rows ``(k, bucket, users)``."""
    longest = max(lengths)
    words = ", ".join(f"{sql} AS {name}" for name, sql in id_words("hid", longest))
    bytes_ = ", ".join(f"{sql} AS {name}" for name, sql in id_bytes(longest))
    hashed = [j for j, e in enumerate(experiments) if not python_only(e)]
    spaced = [j for j in hashed if namespace_suffix(experiments[j]) is not None]
    keys = ", ".join(f"CASE WHEN a{j} IS TRUE THEN {j} END" for j in hashed)
    ns_base = f", {fnv_of_id(FNV_OFFSET, lengths)} AS nsb" if spaced else ""
    users = (f"SELECT *{ns_base} FROM (SELECT *, {bytes_} FROM (SELECT *, {words}, "
             f"length(hid) AS n FROM ({base_select}) "
             f"WHERE NOT id_missing AND octet_length(encode(hid)) = length(hid) "
             f"AND length(hid) IN ({', '.join(map(str, lengths))})))")
    carried = ", ".join([f"y{k}" for k in range(longest)] + ["n"] + (["nsb"] if spaced else []))
    # Only the experiments whose audience the user is in: unnesting all twenty and
    # dropping the NULLs after copied every carried column twenty times a user.
    long = (f"SELECT unnest(list_filter([{keys}], lambda _gs_x: _gs_x IS NOT NULL)) AS k, "
            f"{carried} FROM ({users})")
    states = ", ".join(f"({j}, {experiments[j].state})" for j in hashed)
    hashes = f"SELECT k, {fnv_of_id('_gs_s', lengths)} AS h"
    if spaced:
        ns = " ".join(f"WHEN {j} THEN {fnv_steps('nsb', namespace_suffix(experiments[j]) or '')}"
                      for j in spaced)
        hashes += f", CASE k {ns} END AS ns"
    hashes += (f" FROM ({long}) JOIN (VALUES {states}) AS _gs_states(_gs_k, _gs_s) "
               f"ON k = _gs_k")
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
    positions = ("SELECT _gs_k AS pk, r.range AS pp, CASE _gs_k "
                 + " ".join(f"WHEN {j} THEN {_assigned(experiments[j], 'r.range')}"
                            for j in hashed)
                 + f" END AS pb FROM (VALUES {', '.join(f'({j})' for j in hashed)}) "
                 f"AS _gs_e(_gs_k), range(10000) AS r")
    inside = "NULL"
    if spaced:
        inside = "CASE k " + " ".join(
            f"WHEN {j} THEN {lookup('(ns % 1000)', _inside(experiments[j]))}"
            for j in spaced) + " END"
    # Counted per (experiment, position) first: the position table then joins at most
    # 10,000 rows an experiment, not every row hashed.
    per_position = (f"SELECT k, p, {inside} AS inside, count(*) AS users FROM ({second}) "
                    "GROUP BY ALL")
    return (f"SELECT k, pb, inside, sum(users) AS users FROM ({per_position}) "
            f"JOIN ({positions}) ON k = pk AND p = pp GROUP BY ALL")


#: FNV-1a from the offset over the decimal digits of 1..42,949 (the first digits
#: of a 32-bit number but its last five).
_HIGH_DIGITS = (f"SELECT range AS _gs_hk, {fnv_of_digits('range')} AS _gs_hs FROM "
                f"(SELECT range, {', '.join(f'{sql} AS {n}' for n, sql in digit_halves('range'))} "
                f"FROM range(1, 42950))")


def _inside(experiment: PreparedExperiment) -> list[int]:
    inside = namespace_positions(experiment.namespace) or []
    return [0 if flag else NOT_IN_NAMESPACE for flag in inside]


def _assigned(experiment: PreparedExperiment, position_sql: str) -> str:
    """The variation index of a position (-1 outside the ranges), or -2 for every
    user when the namespace holds no position."""
    if experiment.namespace is not None and namespace_suffix(experiment) is None:
        return str(NOT_IN_NAMESPACE)  # no usable namespace: nobody is in it
    return lookup(position_sql, experiment.table)


def counts(con: Any, base_select: str, experiments: Sequence[PreparedExperiment],
           lengths: Sequence[int]) -> list[Counter[int]]:
    """Each experiment's users per bucket (the rows SQL hashed)."""
    out: list[Counter[int]] = [Counter() for _ in experiments]
    if not lengths or all(python_only(e) for e in experiments):
        return out
    for k, bucket, inside, users in con.execute(
            query(base_select, experiments, lengths)).fetchall():
        out[int(k)][NOT_IN_NAMESPACE if inside == NOT_IN_NAMESPACE else int(bucket)] += users
    return out
