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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from guidestudio.core import eligibility
from guidestudio.core.audience_sql import sql_text as q
from guidestudio.core.audience_sql import variant_counts
from guidestudio.core.audience_sql.compile import Compiler
from guidestudio.core.audience_sql.hashing_sql import (
    FNV_OFFSET,
    MAX_ID_LENGTH,
    bucket_sql_from,
    digit_halves,
    fnv_of_digits,
    fnv_of_id,
    id_bytes,
    id_words,
    namespace_suffix,
)
from guidestudio.core.audience_sql.shapes import BOOL, INT, STR, Value
from guidestudio.core.audience_sql.tables import UsersTable, column_facts, quote_ident
from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.targeting.conditions import eval_condition

#: Text columns with at most this many distinct values have their costly clauses
#: (regexes, versions, numbers compared with text) decided once per value.
DISTINCT_LIMIT = 1000


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
          groups: Mapping[str, Any] | None, lengths: Sequence[int],
          keep_columns: bool = False, distinct_limit: int = DISTINCT_LIMIT,
          portable: bool = False, hashing: bool = True,
          known: dict[str, Any] | None = None) -> Plan:
    """The query: one row per user with ``a<i>`` (audience i, three-valued),
    ``id_missing`` and ``b<i>`` (the bucket in experiment i, for rows in its
    audience; NULL where SQL did not hash).

    One scan in layers: the table (joined to the codes of its few-valued text
    columns), the costly leaves every condition shares (``_gs_l<k>``), the
    conditions, then the hashing of the rows in each experiment's audience.
    ``portable``: the id's characters read with ``ascii`` (every warehouse has
    it) rather than DuckDB's bit-string cast, which is faster."""
    # What this table's data holds (few distinct values, no nulls…) makes the SQL
    # faster but true of this data only: distinct_limit=0 for SQL true of any table.
    # ``known``: what one run found of the data so far (facts, distinct values), so
    # the run's second query does not scan for them again.
    known = {} if known is None else known
    codes = ValueCodes(table, distinct_limit, known.setdefault("distinct", {})) \
        if distinct_limit > 0 else None
    facts = None
    if distinct_limit > 0:
        facts = known.get("facts")
        if facts is None:
            facts = known["facts"] = column_facts(table)
    shared = SharedLeaves()
    root = table.root()
    id_sql, id_missing = hash_value_sql(Compiler(root, groups).path(root, hash_attribute))
    conditions = [Compiler(table.root(a.overlay, facts), groups, codes, shared)
                  .condition(a.condition) for a in audiences]
    source = table.source
    if codes is not None and codes.sets:
        source = f"(SELECT *, {', '.join(codes.words())} FROM {source}{codes.joins()})"
    if shared.columns:
        leaves = ", ".join(f"{sql} AS {name}" for sql, name in shared.columns.items())
        source = f"(SELECT *, {leaves} FROM {source})"
    cols = [f"{c} AS a{i}" for i, c in enumerate(conditions)]
    cols.append(f"{id_missing} AS id_missing")
    cols.append(f"{id_sql} AS hid")
    if keep_columns:
        # Renamed: a column called "n" or "a0" must not meet the query's own.
        cols.extend(f"{quote_ident(n)} AS _gs_c{j}" for j, (n, _) in enumerate(table.columns))
    query = f"SELECT {', '.join(cols)} FROM {source}"
    experiments = [(i, a.experiment) for i, a in enumerate(audiences)
                   if a.experiment is not None and hashing]
    buckets: list[str | None] = [None] * len(audiences)
    if experiments:
        longest = max(lengths, default=0)
        if portable:
            # ASCII ids only (ascii() of other characters is not the same everywhere).
            id_chars = [(f"y{k}", f"CAST(ascii(substr(hid, {k + 1}, 1)) AS BIGINT)")
                        for k in range(longest)]
            chars = ", ".join(f"{sql} AS {name}" for name, sql in id_chars)
            ascii_only = q.and_(f"(coalesce(y{k}, 0) < 128)" for k in range(longest))
            query = (f"SELECT *, {ascii_only} AS hashable FROM (SELECT *, "
                     f"{chars + ', ' if chars else ''}length(hid) AS n FROM ({query}))")
        else:
            words = [f"{sql} AS {name}" for name, sql in id_words("hid", longest)]
            query = (f"SELECT *, {''.join(w + ', ' for w in words)}length(hid) AS n, "
                     f"(octet_length(encode(hid)) = length(hid)) AS hashable FROM ({query})")
            if longest:
                id_bytes_sql = ", ".join(f"{sql} AS {name}" for name, sql in id_bytes(longest))
                query = f"SELECT *, {id_bytes_sql} FROM ({query})"
        firsts = []
        for i, experiment in experiments:
            gate = f"a{i} IS TRUE AND NOT id_missing AND hashable"
            firsts.append(f"CASE WHEN {gate} THEN {fnv_of_id(experiment.state, lengths)} "
                          f"END AS h{i}")
            suffix = namespace_suffix(experiment) if experiment.namespace is not None else None
            if suffix is not None:
                firsts.append(f"CASE WHEN {gate} THEN "
                              f"{fnv_of_id(FNV_OFFSET, lengths, suffix)} END AS ns{i}")
        query = f"SELECT *, {', '.join(firsts)} FROM ({query})"
        halves = [f"{sql} AS {name}" for i, _ in experiments
                  for name, sql in digit_halves(f"h{i}")]
        query = f"SELECT *, {', '.join(halves)} FROM ({query})"
        seconds = [f"{fnv_of_digits(f'h{i}')} AS h{i}_g" for i, _ in experiments]
        query = f"SELECT *, {', '.join(seconds)} FROM ({query})"
        for i, experiment in experiments:
            ns = f"ns{i}" if namespace_suffix(experiment) is not None else None
            buckets[i] = bucket_sql_from(f"h{i}_g", ns, experiment)
    b_cols = [f"{b} AS b{i}" for i, b in enumerate(buckets) if b is not None]
    if b_cols:
        query = f"SELECT *, {', '.join(b_cols)} FROM ({query})"
    return Plan(query, conditions, buckets)


class SharedLeaves:
    """Costly leaves (a regex, a list built per row) computed once per row as
    columns ``_gs_l<k>`` that every condition reads: twenty guides with the
    same e-mail regex run it once."""

    def __init__(self) -> None:
        self.columns: dict[str, str] = {}

    def __call__(self, sql: str) -> str:
        return self.columns.setdefault(sql, f"_gs_l{len(self.columns)}")


#: Bits per code word (BIGINT; the sign bit and one more left alone).
_WORD_BITS = 62


class ValueCodes:
    """A text column's distinct values when it has at most ``limit`` (plans,
    countries, app versions), looked up once per column per run; and, for the
    clauses the evaluator decided per value, each value's answers as bits of
    code words, joined to every row once (a hash join on a few hundred values
    costs about what one comparison does; an ``IN`` list of a hundred strings
    costs twenty)."""

    def __init__(self, table: UsersTable, limit: int = DISTINCT_LIMIT,
                 found: dict[str, list[str] | None] | None = None):
        self.table = table
        self.limit = limit
        self.columns = {quote_ident(n) for n, _ in table.columns}
        self.found: dict[str, list[str] | None] = {} if found is None else found
        # column → (values, answer for null) → bit
        self.sets: dict[str, dict[tuple[frozenset[str], bool], int]] = {}

    def values(self, sql: str) -> list[str] | None:
        if sql not in self.columns:
            return None  # not a plain column (a struct field, a list element…)
        if sql not in self.found:
            rows = self.table.connection.execute(
                f"SELECT DISTINCT {sql} FROM {self.table.source} WHERE {sql} IS NOT NULL "
                f"LIMIT {self.limit + 1}").fetchall()
            values = [r[0] for r in rows]
            fits = len(values) <= self.limit and all(q.encodable(v) for v in values)
            self.found[sql] = sorted(values) if fits else None
        return self.found[sql]

    def member(self, sql: str, matching: list[str], if_null: bool) -> str:
        """SQL true where the column's value is one of ``matching`` (a subset of
        ``values(sql)``), or is null if ``if_null``; two-valued."""
        if not matching and not if_null:
            return q.FALSE
        if len(matching) == len(self.found[sql] or ()) and if_null:
            return q.TRUE
        column = list(self.sets).index(sql) if sql in self.sets else len(self.sets)
        bits = self.sets.setdefault(sql, {})
        k = bits.setdefault((frozenset(matching), if_null), len(bits))
        word, bit = divmod(k, _WORD_BITS)
        return f"((_gs_m{column}_{word} & {1 << bit}) <> 0)"

    def _masks(self, sql: str) -> tuple[dict[str, list[int]], list[int]]:
        """Each value's code words, and those of null."""
        bits = self.sets[sql]
        n_words = (len(bits) + _WORD_BITS - 1) // _WORD_BITS
        values = self.found[sql]
        assert values is not None
        masks = {v: [0] * n_words for v in values}
        null = [0] * n_words
        for (members, if_null), k in bits.items():
            word, bit = divmod(k, _WORD_BITS)
            for v in members:
                masks[v][word] |= 1 << bit
            if if_null:
                null[word] |= 1 << bit
        return masks, null

    def joins(self) -> str:
        """The ``LEFT JOIN``s that give each row its value's code words (``_gs_r…``)."""
        out = []
        for column, sql in enumerate(self.sets):
            masks, null = self._masks(sql)
            rows = ", ".join(f"({q.string(v)}, {', '.join(map(str, m))})"
                             for v, m in masks.items())
            names = ", ".join([f"_gs_v{column}", *(f"_gs_r{column}_{w}" for w in range(len(null)))])
            out.append(f" LEFT JOIN (VALUES {rows}) AS _gs_d{column}({names}) "
                       f"ON _gs_d{column}._gs_v{column} = {sql}")
        return "".join(out)

    def words(self) -> list[str]:
        """The code words ``_gs_m…`` the conditions read: null's where the value is null."""
        out = []
        for column, sql in enumerate(self.sets):
            _, null = self._masks(sql)
            out.extend(f"coalesce(_gs_r{column}_{w}, {m}) AS _gs_m{column}_{w}"
                       for w, m in enumerate(null))
        return out


def aggregates(audiences: Sequence[Audience], plan: Plan) -> list[str]:
    out = ["count(*)"]
    for i, audience in enumerate(audiences):
        out.append(f"count_if(a{i})")
        out.append(f"count_if(a{i} IS NULL)")
        if audience.experiment is not None:
            out.append(f"count_if(a{i} AND id_missing)")
            out.append(f"count_if(a{i} AND NOT id_missing AND b{i} IS NULL)")
            # b<i> is NULL outside the audience (only its rows are hashed).
            out.extend(f"count_if(b{i} = {b})" for b in _bucket_keys(audience))
    return out


def aggregate_names(audiences: Sequence[Audience]) -> list[str]:
    """A column name for each of ``aggregates``, for the queries people read."""
    out = ["users"]
    for i, audience in enumerate(audiences):
        out += [f"g{i}_audience", f"g{i}_undecided"]
        if audience.experiment is not None:
            out += [f"g{i}_no_hash_value", f"g{i}_not_hashed"]
            out += [{-2: f"g{i}_not_in_namespace", -1: f"g{i}_not_in_experiment"}.get(
                b, f"g{i}_variation_{b}") for b in _bucket_keys(audience)]
    return out


def _bucket_keys(audience: Audience) -> list[int]:
    """The buckets an experiment can put a user in: -2, -1 and each variation."""
    assert audience.experiment is not None
    return [-2, -1, *range(len(audience.experiment.variations))]


def _hashable_id(lengths: Sequence[int]) -> str:
    """SQL true where the id is one SQL hashes: ASCII, of one of ``lengths``."""
    return (f"(octet_length(encode(hid)) = length(hid) "
            f"AND length(hid) IN ({', '.join(map(str, lengths))}))")


def _sql_hashes(audience: Audience, lengths: Sequence[int],
                hashable: str | None = None) -> str:
    """SQL true where SQL hashes this row for the audience's experiment (a hash
    value given): an ASCII id of one of ``lengths``; Python hashes the rest.
    ``hashable``: a column holding ``_hashable_id``, computed once per row."""
    assert audience.experiment is not None
    if not lengths or variant_counts.python_only(audience.experiment):
        return q.FALSE
    return hashable or _hashable_id(lengths)


#: The column of ``_flags``'s query holding ``_hashable_id``: one test of the id
#: per row, not one per experiment (twenty experiments made it a fifth of the scan).
_HASHABLE = "_gs_hashable"


def _flags(audiences: Sequence[Audience], lengths: Sequence[int]) -> list[str]:
    """``count``'s aggregates but the variant counts (``variant_counts``), over
    the audiences' query with the column ``_HASHABLE`` (``_flags_source``)."""
    out = ["count(*)"]
    for i, audience in enumerate(audiences):
        out += [f"count_if(a{i})", f"count_if(a{i} IS NULL)"]
        if audience.experiment is not None:
            hashed = _sql_hashes(audience, lengths, _HASHABLE)
            out += [f"count_if(a{i} AND id_missing)",
                    f"count_if(a{i} AND NOT id_missing AND NOT {hashed})"]
    return out


def _flags_source(select: str, lengths: Sequence[int]) -> str:
    """The audiences' query with ``_HASHABLE``, which ``_flags`` reads."""
    hashable = _hashable_id(lengths) if lengths else q.FALSE
    return f"(SELECT *, {hashable} AS {_HASHABLE} FROM ({select}))"


def _undecided(audiences: Sequence[Audience], lengths: Sequence[int]) -> str:
    parts = []
    for i, audience in enumerate(audiences):
        parts.append(f"a{i} IS NULL")
        if audience.experiment is not None:
            parts.append(f"(a{i} AND NOT id_missing AND NOT {_sql_hashes(audience, lengths)})")
    return " OR ".join(parts) if parts else "FALSE"


def count(table: UsersTable, audiences: Sequence[Audience], hash_attribute: str = "id",
          groups: Mapping[str, Any] | None = None, distinct_limit: int = 1000,
          known: dict[str, Any] | None = None) -> tuple[int, list[AudienceCount]]:
    """(users, each audience's counts), exact. A text column with at most
    ``distinct_limit`` distinct values has its costly clauses decided per
    value by the evaluator (0: always compile them to SQL). One scan of the
    table (``_counts``): the audiences, and the variants of the users in an
    experiment's audience from what that scan kept.
    ``known``: what earlier runs found of this same data (see ``build``); a
    caller counting again and again on an unchanged file passes the same dict."""
    lengths = id_lengths(table, hash_attribute, audiences, groups)
    known = {} if known is None else known
    plan = build(table, audiences, hash_attribute, groups, lengths,
                 distinct_limit=distinct_limit, hashing=False, known=known)
    with _without_aggregate_pushdown(table.connection) as con:
        row, hashed = _counts(con, audiences, plan.select, lengths)
    users = row[0]
    results: list[AudienceCount] = []
    k = 1
    for i, audience in enumerate(audiences):
        result = AudienceCount(matched=row[k], undecided=row[k + 1])
        k += 2
        if audience.experiment is not None:
            result.no_hash_value = row[k]
            result.hashed_in_python = row[k + 1]
            result.buckets.update(hashed.get(i, Counter()))
            k += 2
        results.append(result)
    if any(r.undecided or r.hashed_in_python for r in results):
        keep = build(table, audiences, hash_attribute, groups, lengths, keep_columns=True,
                     distinct_limit=distinct_limit, hashing=False, known=known)
        _decide_in_python(table, audiences, keep, results, hash_attribute, groups, lengths)
    return users, results


#: The temporary table of one ``count``'s users, dropped when it is done (a
#: connection runs one statement at a time: two counts never share it at once).
_USERS = "_gs_users"


def _counts(con: Any, audiences: Sequence[Audience], select: str,
            lengths: Sequence[int]) -> tuple[list[int], dict[int, Counter[int]]]:
    """(``_flags``'s aggregates, each experiment SQL hashes: users per bucket),
    over the audiences' ``select``.

    The users are read, and every condition tested, once. Without experiments to
    hash that is one aggregate. With them, each user's answers, the id's length and
    words are kept in a temporary table, which the flags' aggregate and each
    experiment's branch (``variant_counts.branch``) then scan, in one query. On
    10 million users and 50 guides: writing the table costs some 4 s of CPU,
    testing the experiments' conditions again cost twice that; a CTE in its place
    (DuckDB streams it to each of the 21 consumers) took 43 s of CPU for the 25
    the table takes; the answers packed two bits each into BIGINTs took 40."""
    flags = f"[{', '.join(_flags(audiences, lengths))}]"
    branches: dict[int, str] = {}
    slots: dict[int, list[int]] = {}
    for i, audience in enumerate(audiences):
        if audience.experiment is None or not lengths:
            continue
        sql = variant_counts.branch(_USERS, f"a{i}", i, audience.experiment, lengths)
        if sql is not None:
            branches[i], slots[i] = sql, variant_counts.slots(audience.experiment)
    source = _flags_source(select, lengths)
    if not branches:
        return list(con.execute(f"SELECT {flags} FROM {source}").fetchall()[0][0]), {}
    words = ", ".join(f"{sql} AS {name}"
                      for name, sql in id_words("hid", max(lengths), min(lengths)))
    kept = ", ".join(f"a{i}" for i in range(len(audiences)))
    length = "length(hid) AS n, " if len(lengths) > 1 else ""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_USERS} AS SELECT {kept}, id_missing, "
                f"{_HASHABLE}, {length}{words} FROM {source}")
    try:
        parts = [f"SELECT -1 AS k, {flags} AS c FROM {_USERS}", *branches.values()]
        rows = con.execute(" UNION ALL ".join(parts)).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_USERS}")
    row: list[int] = []
    hashed: dict[int, Counter[int]] = {}
    for k, c in rows:
        if k < 0:
            row = list(c)
            continue
        hashed[k] = Counter()
        for bucket, users in zip(slots[k], c, strict=True):
            if users:
                hashed[k][bucket] += users
    return row, hashed


#: DuckDB's optimizer that pushes an aggregate below a join. Over the joins to the
#: value codes it inlines every layer of the hashing into the layer above (each
#: reference to a column becomes a copy of its expression, nested): planning the
#: query then takes minutes and gigabytes.
_PUSHDOWN = "partial_aggregate_pushdown"


@contextmanager
def _without_aggregate_pushdown(con: Any) -> Iterator[Any]:
    known = {r[0] for r in con.execute("SELECT name FROM duckdb_optimizers()").fetchall()}
    if _PUSHDOWN not in known:
        yield con
        return
    before = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
    names = [n for n in str(before or "").split(",") if n.strip()]
    con.execute(f"SET disabled_optimizers = {q.string(','.join([*names, _PUSHDOWN]))}")
    try:
        yield con
    finally:
        con.execute(f"SET disabled_optimizers = {q.string(','.join(names))}")


def _decide_in_python(table: UsersTable, audiences: Sequence[Audience], plan: Plan,
                      results: list[AudienceCount], hash_attribute: str,
                      groups: Mapping[str, Any] | None, lengths: Sequence[int]) -> None:
    names = ", ".join(f"_gs_c{j}" for j in range(len(table.columns)))
    flags = []
    for i, audience in enumerate(audiences):
        flags.append(f"a{i}")
        # The second flag: NULL where SQL hashed the row (as ``b<i>`` was).
        flags.append(f"CASE WHEN {_sql_hashes(audience, lengths)} THEN 0 END"
                     if audience.experiment is not None else "NULL")
    cursor = table.connection.execute(
        f"SELECT {', '.join(flags)}, {names} FROM ({plan.select}) "
        f"WHERE {_undecided(audiences, lengths)}")
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
    """The attributes the runtime's evaluator sees: ``events`` always an object
    (the counters, under the user's own values), even with no counters."""
    from guidestudio.core import behaviour
    from guidestudio.core.simulate.run import copy_json
    events = behaviour.merge_attributes(copy_json(dict(overlay or {})), user.get("events"))
    return {**user, "events": events}


#: Id lengths hashed in SQL, the most common first; ids of other lengths are
#: hashed in Python (each length is one more branch of the hashing expression).
MAX_ID_LENGTHS = 4


def id_lengths(table: UsersTable, hash_attribute: str, audiences: Sequence[Audience],
                groups: Mapping[str, Any] | None) -> list[int]:
    """The commonest lengths of the hash values (SQL hashes those; Python the rest)."""
    if not any(a.experiment is not None for a in audiences):
        return []
    root = table.root()
    id_sql, _ = hash_value_sql(Compiler(root, groups).path(root, hash_attribute))
    rows = table.connection.execute(
        f"SELECT length({id_sql}) AS k, count(*) AS c FROM {table.source} "
        f"WHERE length({id_sql}) BETWEEN 1 AND {MAX_ID_LENGTH} GROUP BY k "
        f"ORDER BY c DESC, k LIMIT {MAX_ID_LENGTHS}").fetchall()
    return sorted(int(r[0]) for r in rows)
