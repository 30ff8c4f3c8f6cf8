"""``guidestudio simulate`` over a users table (Parquet, ``file.duckdb:table``).

The same result as ``simulate.simulate_users`` would give for those users:
the guides are prepared by ``Simulation`` (the schedule, the experiment, the
``events`` counters each condition reads), the audiences and variant splits
come from SQL (``engine.count``, exact), and ``Simulation.add_counts`` turns
them into the report's reasons exactly as it does for a chunk of users
without a stored history (a table has none: its ``events.<name>.<field>``
columns are the counters themselves).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

from guidestudio.core import behaviour
from guidestudio.core.audience_sql.engine import Audience, count
from guidestudio.core.audience_sql.tables import UsersTable, iter_attributes, quote_ident
from guidestudio.core.simulate.explain_user import explain
from guidestudio.core.simulate.results import SimulationResult
from guidestudio.core.simulate.simulation import Simulation
from guidestudio.core.targeting.js_values import js_string
from guidestudio.core.targeting.paths import get_path


def audiences_of(simulation: Simulation, now_ms: float) -> list[Audience]:
    """Each guide's condition, experiment and ``events`` counters, as the
    simulation prepared them."""
    out = []
    for plan in simulation.plans:
        overlay = None
        if plan.attrs_key is not None:
            names = simulation.shared_names if plan.attrs_key == "shared" else plan.names
            overlay = behaviour.behaviour_attributes(None, now_ms, names)
        out.append(Audience(plan.condition, plan.experiment, overlay))
    return out


def _find(table: UsersTable, wanted: str, hash_attribute: str) -> tuple[dict[str, Any], int] | None:
    """The ``--explain`` user (by ``id`` or the hash attribute) and its row number."""
    names = {n for n, _ in table.columns}
    keys = [k for k in dict.fromkeys(("id", hash_attribute)) if k in names]
    if keys:  # a plain column: let SQL find the row
        test = " OR ".join(f"CAST({quote_ident(k)} AS VARCHAR) = ?" for k in keys)
        cols = ", ".join(quote_ident(n) for n, _ in table.columns)
        rows = table.connection.execute(
            f"SELECT * FROM (SELECT row_number() OVER () AS _gs_row, {cols} "
            f"FROM {table.source}) WHERE {test} LIMIT 1", [wanted] * len(keys)).fetchall()
        if rows:
            return table.attributes(rows[0][1:]), int(rows[0][0])
        return None
    row = 0
    for chunk in iter_attributes(table):
        for user in chunk:
            row += 1
            for value in (user.get("id"), get_path(user, hash_attribute)):
                if value is not None and js_string(value) == wanted:
                    return user, row
    return None


def simulate_table(bundle: Mapping[str, Any], table: UsersTable, now_ms: float, *,
                   explain_id: str | None = None) -> SimulationResult:
    started = time.perf_counter()
    simulation = Simulation(bundle, now_ms)
    hash_attribute = js_string(simulation.context["hash_attribute"])
    users, counts = count(table, audiences_of(simulation, now_ms), hash_attribute)
    simulation.add_counts(users, [(c.matched, Counter(c.buckets), c.no_hash_value)
                                  for c in counts])
    explained = None
    if explain_id is not None:
        found = _find(table, explain_id, hash_attribute)
        if found is not None:
            user, row = found
            explained = explain(bundle, user, {}, now_ms, explain_id, row)
    project = bundle.get("project")
    return SimulationResult(
        users=simulation.users, guides=simulation.result(), now_ms=now_ms,
        environment=js_string(bundle.get("environment") or ""),
        project=js_string(project.get("name")) if isinstance(project, Mapping) else "",
        bad_lines=0, source=table.label, elapsed_s=time.perf_counter() - started,
        explained=explained)


def warehouse_sql(bundle: Mapping[str, Any], table: UsersTable, now_ms: float,
                  dialect: str, table_name: str = "users") -> str:
    """Every guide's audience query in ``dialect`` (``core.warehouse``), over a
    table with ``table``'s columns called ``table_name``: one query, one row, per
    guide its audience, the rows it could not decide (a warehouse has no Python
    evaluator: a non-zero count means the condition needs this app) and, for an
    experiment, the users per variation (and those whose id the warehouse could
    not hash: not ASCII, or of a rare length). A guide whose condition would not
    mean the same there is left out, with the reason, in a comment at the top.
    Raises ``warehouse.transpile.UnportableSQL`` when no guide can be written."""
    import sys

    from guidestudio.core.audience_sql.engine import id_lengths as lengths_of
    from guidestudio.core.warehouse.transpile import UnportableSQL
    from guidestudio.core.warehouse.transpile import table as table_ref

    simulation = Simulation(bundle, now_ms)
    hash_attribute = js_string(simulation.context["hash_attribute"])
    audiences = audiences_of(simulation, now_ms)
    ids = [plan.result.id for plan in simulation.plans]
    lengths = lengths_of(table, hash_attribute, audiences, None)
    name = table_ref(table_name, dialect).sql(dialect="duckdb")
    stand_in = UsersTable(table.connection, name, table_name, table.columns)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))  # the hashing expression nests deeply
    try:
        kept: list[int] = []
        notes: list[str] = []
        for i, audience in enumerate(audiences):
            try:
                _audience_sql(stand_in, [audience], hash_attribute, lengths, dialect)
                kept.append(i)
            except UnportableSQL as exc:
                notes.append(f"-- guide {ids[i]!r} is not in this query: {exc}")
        if not kept:
            raise UnportableSQL("; ".join(n.split(": ", 1)[1] for n in notes[:1]))
        chosen = [audiences[i] for i in kept]
        text = _audience_sql(stand_in, chosen, hash_attribute, lengths, dialect)
    finally:
        sys.setrecursionlimit(limit)
    legend = [f"-- g{k} = guide {ids[i]!r}" + (
        "; variation_N = its variations " + ", ".join(
            f"{n}: {v!r}" for n, v in enumerate(audiences[i].experiment.variations))
        if audiences[i].experiment is not None else "") for k, i in enumerate(kept)]
    return "\n".join([*legend, *notes, text])


def _audience_sql(table: UsersTable, audiences: list[Audience], hash_attribute: str,
                  lengths: list[int], dialect: str) -> str:
    """One query for ``audiences`` in ``dialect``; UnportableSQL with the reason."""
    from guidestudio.core.audience_sql import portable
    from guidestudio.core.audience_sql.engine import aggregate_names, aggregates, build
    from guidestudio.core.warehouse.transpile import generate, parse
    from guidestudio.core.warehouse.transpile import portable as portable_tree

    # distinct_limit=0: what this file's data holds is not true of the warehouse's.
    plan = build(table, audiences, hash_attribute, None,
                 lengths if any(a.experiment for a in audiences) else [],
                 distinct_limit=0, portable=True)
    columns = ", ".join(f"{sql} AS {name}" for sql, name in
                        zip(aggregates(audiences, plan), aggregate_names(audiences), strict=True))
    tree = parse(f"SELECT {columns} FROM ({plan.select})")
    if dialect == "duckdb":  # its own functions need no checking
        return generate(tree, dialect)
    tree = portable_tree(portable.prepare(tree))
    portable.check(tree, dialect)
    return generate(portable.rewrite(tree, dialect), dialect)
