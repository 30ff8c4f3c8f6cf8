"""Audience sizes and variant counts over a users table, exact.

One query computes, for every condition, the three-valued SQL answer and,
for every experiment, the bucket of each user in the audience; the counts
are aggregated in the same query. Rows SQL leaves undecided for some
condition or bucket are then fetched (only those) and decided by the Python
evaluator and hashing, so every count equals what ``eval_condition`` and
``choose_variation`` give user by user.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from guidestudio.core import eligibility
from guidestudio.core.audience_sql import sql_text as q
from guidestudio.core.audience_sql.compile import Compiler
from guidestudio.core.audience_sql.hashing_sql import (
    MAX_ID_LENGTH,
    bucket_sql_from,
    first_hash_sql,
    id_words,
)
from guidestudio.core.audience_sql.shapes import BOOL, INT, STR, Value
from guidestudio.core.audience_sql.tables import UsersTable, _quote_ident
from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.targeting.conditions import eval_condition


@dataclass
class Audience:
    """One condition (and optionally an experiment) to count."""

    condition: Any
    experiment: PreparedExperiment | None = None
    overlay: Mapping[str, Any] | None = None  # the `events` counters under the table's


@dataclass
class AudienceCount:
    matched: int = 0
    undecided: int = 0  # rows the Python evaluator decided
    buckets: Counter[int] = field(default_factory=Counter)  # index, -1, -2
    no_hash_value: int = 0
    hashed_in_python: int = 0


@dataclass
class Plan:
    """The SQL of one run, kept for ``--sql`` and for tests."""

    select: str
    conditions: list[str]
    buckets: list[str | None]


def hash_value_sql(value: Value) -> tuple[str, str]:
    """(SQL of ``String(value)``, SQL true where ``hash_attribute_value`` is None);
    the string is NULL where SQL cannot print the value as JavaScript does."""
    kind = value.kind
    if kind == STR:
        return value.sql, f"({value.missing} OR {value.sql} = '')"
    if kind == INT:
        return (f"(CASE WHEN {value.sql} BETWEEN -9007199254740992 AND 9007199254740992 "
                f"THEN CAST({value.sql} AS VARCHAR) END)"), value.missing
    if kind == BOOL:
        return f"(CASE WHEN {value.sql} THEN 'true' ELSE 'false' END)", value.missing
    return "CAST(NULL AS VARCHAR)", value.missing


def build(table: UsersTable, audiences: Sequence[Audience], hash_attribute: str,
          groups: Mapping[str, Any] | None, lengths: Sequence[int]) -> Plan:
    conditions: list[str] = []
    hashes: list[tuple[str, str]] = []
    for audience in audiences:
        root = table.root(audience.overlay)
        compiler = Compiler(root, groups)
        conditions.append(compiler.condition(audience.condition))
        hashes.append(hash_value_sql(compiler.path(root, hash_attribute)))
    # Level 1: conditions, the hash value, its bytes as words.
    cols = [f"{c} AS a{i}" for i, c in enumerate(conditions)]
    id_sql, id_missing = hashes[0] if hashes else ("NULL", q.TRUE)
    cols.append(f"{id_missing} AS id_missing")
    cols.append(f"{id_sql} AS hid")
    level1 = f"SELECT {', '.join(cols)} FROM {table.source}"
    words = id_words("hid", lengths)
    word_cols = ", ".join(f"{sql} AS {name}" for name, sql in words)
    level2 = (f"SELECT *{', ' + word_cols if word_cols else ''}, "
              f"(strlen(hid) = length(hid) AND length(hid) <= {MAX_ID_LENGTH}) AS hashable "
              f"FROM ({level1})")
    # Level 3: the first FNV pass per experiment, only for rows in its audience.
    h_cols = []
    buckets: list[str | None] = []
    for i, audience in enumerate(audiences):
        if audience.experiment is None:
            buckets.append(None)
            continue
        h = first_hash_sql("hid", audience.experiment, lengths)
        h_cols.append(f"CASE WHEN a{i} IS TRUE AND NOT id_missing AND hashable THEN {h} END AS h{i}")
        if audience.experiment.namespace is not None:
            ns = first_hash_sql("hid", audience.experiment, lengths, namespace=True)
            h_cols.append(f"CASE WHEN a{i} IS TRUE AND NOT id_missing AND hashable "
                          f"THEN {ns} END AS n{i}")
        buckets.append(bucket_sql_from(f"h{i}", f"n{i}", audience.experiment))
    level3 = f"SELECT *{', ' + ', '.join(h_cols) if h_cols else ''} FROM ({level2})"
    b_cols = [f"{b} AS b{i}" for i, b in enumerate(buckets) if b is not None]
    level4 = f"SELECT *{', ' + ', '.join(b_cols) if b_cols else ''} FROM ({level3})"
    return Plan(level4, conditions, buckets)


def _aggregates(audiences: Sequence[Audience], plan: Plan) -> list[str]:
    out = ["count(*)"]
    for i, audience in enumerate(audiences):
        out.append(f"count_if(a{i})")
        out.append(f"count_if(a{i} IS NULL)")
        if audience.experiment is not None:
            out.append(f"count_if(a{i} AND id_missing)")
            out.append(f"count_if(a{i} AND NOT id_missing AND b{i} IS NULL)")
            out.append(f"histogram(b{i}) FILTER (WHERE a{i} AND b{i} IS NOT NULL)")
    return out


def _undecided(audiences: Sequence[Audience]) -> str:
    parts = []
    for i, audience in enumerate(audiences):
        parts.append(f"a{i} IS NULL")
        if audience.experiment is not None:
            parts.append(f"(a{i} AND NOT id_missing AND b{i} IS NULL)")
    return " OR ".join(parts) if parts else "FALSE"


def count(table: UsersTable, audiences: Sequence[Audience], hash_attribute: str = "id",
          groups: Mapping[str, Any] | None = None) -> tuple[int, list[AudienceCount]]:
    """(users, each audience's counts), exact."""
    lengths = _id_lengths(table, hash_attribute, audiences)
    plan = build(table, audiences, hash_attribute, groups, lengths)
    con = table.connection
    row = con.execute(f"SELECT {', '.join(_aggregates(audiences, plan))} FROM ({plan.select})"
                      ).fetchall()[0]
    users = row[0]
    results: list[AudienceCount] = []
    k = 1
    for audience in audiences:
        result = AudienceCount(matched=row[k], undecided=row[k + 1])
        k += 2
        if audience.experiment is not None:
            result.no_hash_value = row[k]
            result.hashed_in_python = row[k + 1]
            histogram = row[k + 2] or {}
            result.buckets.update({int(b): int(n) for b, n in histogram.items()})
            k += 3
        results.append(result)
    if any(r.undecided or r.hashed_in_python for r in results):
        _decide_in_python(table, audiences, plan, results, hash_attribute, groups)
    return users, results


def _decide_in_python(table: UsersTable, audiences: Sequence[Audience], plan: Plan,
                      results: list[AudienceCount], hash_attribute: str,
                      groups: Mapping[str, Any] | None) -> None:
    names = ", ".join(_quote_ident(n) for n, _ in table.columns)
    flags = []
    for i, audience in enumerate(audiences):
        flags.append(f"a{i}")
        flags.append(f"b{i}" if audience.experiment is not None else "NULL")
    inner = _with_columns(plan.select, table)
    cursor = table.connection.execute(
        f"SELECT {', '.join(flags)}, {names} FROM ({inner}) WHERE {_undecided(audiences)}")
    context = {"hash_attribute": hash_attribute}
    n = len(audiences)
    while True:
        rows = cursor.fetchmany(4096)
        if not rows:
            break
        for row in rows:
            user = table.attributes(row[2 * n:])
            for i, audience in enumerate(audiences):
                matched, bucket = row[2 * i], row[2 * i + 1]
                result = results[i]
                if matched is None:
                    attrs = _with_overlay(user, audience.overlay)
                    if not eval_condition(attrs, audience.condition, groups):
                        continue
                    result.matched += 1
                    if audience.experiment is not None:
                        _assign(result, audience.experiment, user, context)
                elif matched and audience.experiment is not None and bucket is None:
                    value = eligibility.hash_attribute_value(user, context)
                    if value is not None:
                        result.buckets[_bucket(audience.experiment, value)] += 1


def _assign(result: AudienceCount, experiment: PreparedExperiment, user: Mapping[str, Any],
            context: Mapping[str, Any]) -> None:
    value = eligibility.hash_attribute_value(user, context)
    if value is None:
        result.no_hash_value += 1
    else:
        result.buckets[_bucket(experiment, value)] += 1


def _bucket(experiment: PreparedExperiment, value: str) -> int:
    return experiment.buckets([value])[0]


def _with_overlay(user: dict[str, Any], overlay: Mapping[str, Any] | None) -> dict[str, Any]:
    if not overlay:
        return user
    from guidestudio.core import behaviour
    from guidestudio.core.simulate.run import copy_json
    events = behaviour.merge_attributes(copy_json(dict(overlay)), user.get("events"))
    return {**user, "events": events}


def _with_columns(select: str, table: UsersTable) -> str:
    """The plan's query with the table's own columns kept at level 1."""
    marker = f" FROM {table.source}"
    head, _, tail = select.rpartition(marker)
    names = ", ".join(_quote_ident(n) for n, _ in table.columns)
    return f"{head}, {names}{marker}{tail}"


def _id_lengths(table: UsersTable, hash_attribute: str,
                audiences: Sequence[Audience]) -> list[int]:
    if not any(a.experiment is not None for a in audiences):
        return []
    compiler = Compiler(table.root(), None)
    id_sql, _ = hash_value_sql(compiler.path(table.root(), hash_attribute))
    rows = table.connection.execute(
        f"SELECT DISTINCT length({id_sql}) FROM {table.source} "
        f"WHERE length({id_sql}) <= {MAX_ID_LENGTH}").fetchall()
    return sorted(r[0] for r in rows if r[0])
