"""The results queries for a warehouse (``guidestudio results DIR --sql DIALECT``): the
same builder's SQL (``queries.py``), transpiled by ``core/warehouse``, reading the team's
table of events and, inlined as VALUES, the project's guides — nothing to upload.

The events table holds one row per event in the normalised columns (``EVENT_COLUMNS``):
a view over what Segment, RudderStack or Amplitude load is one ``SELECT`` to write. As
in the app, events are de-duplicated by message id (the earliest kept), limited to the
runtime's events and the goals, and to ``since``/``until`` (whole UTC days).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import date, timedelta

from sqlglot import exp

from guidestudio.core.model import Project
from guidestudio.core.results.queries import GUIDE_EVENTS, ResultsQueries
from guidestudio.core.results.sources import PROPERTY_COLUMNS
from guidestudio.core.results.sql import quote_literal
from guidestudio.core.results.store import guide_rows
from guidestudio.core.warehouse import transpile as wt
from guidestudio.core.warehouse.dialects import SOURCE, UTC_SESSION, check
from guidestudio.core.warehouse.values import values_table

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("user_id", "VARCHAR"), ("event", "VARCHAR"), ("ts", "TIMESTAMPTZ"),
    ("message_id", "VARCHAR"), *PROPERTY_COLUMNS)
GUIDE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("guide_id", "VARCHAR"), ("goal_event", "VARCHAR"), ("window_days", "INTEGER"),
    ("experiment_key", "VARCHAR"))
# The inlined tables' names in the queries: unlike "events", no team calls a table this.
EVENTS, GUIDES = "studio_events", "studio_guides"
DEFAULT_TABLE = "guide_events"
_SOURCE = "studio_source_table"  # stands for the team's table until it is put in


def guides_table(project: Project, guide_ids: Sequence[str] | None = None) -> exp.Select:
    """The project's guides (id, goal event, window in days, experiment key) as VALUES."""
    rows = [r for r in guide_rows(project) if guide_ids is None or r[0] in guide_ids]
    return values_table(GUIDE_COLUMNS, rows, alias="g")


def events_table(source: exp.Table, goals: Sequence[str], since: date | None = None,
                 until: date | None = None) -> exp.Expression:
    """The team's events as the queries read them: readable, wanted, within the dates,
    each message id once."""
    wanted = ", ".join(quote_literal(e) for e in sorted({*GUIDE_EVENTS, *goals}))
    where = [f"event IN ({wanted})", "user_id IS NOT NULL", "ts IS NOT NULL"]
    if since is not None:
        where.append(f"ts >= CAST({quote_literal(since.isoformat() + ' 00:00:00+00')} "
                     "AS TIMESTAMPTZ)")
    if until is not None:
        end = (until + timedelta(days=1)).isoformat()
        where.append(f"ts < CAST({quote_literal(end + ' 00:00:00+00')} AS TIMESTAMPTZ)")
    kept = ", ".join(name for name, _ in EVENT_COLUMNS if name != "message_id")
    every = ", ".join(name for name, _ in EVENT_COLUMNS)
    tree = wt.parse(
        f"SELECT {kept} FROM (SELECT {every}, row_number() OVER (PARTITION BY message_id "
        f"ORDER BY ts) AS nth_copy FROM {_SOURCE} WHERE {' AND '.join(where)}) AS e "
        "WHERE message_id IS NULL OR nth_copy = 1")
    return tree.transform(lambda n: source.copy() if isinstance(n, exp.Table)
                          and n.name == _SOURCE else n)


def queries(project: Project, dialect: str, events: str = DEFAULT_TABLE,
            guide_ids: Sequence[str] | None = None, since: date | None = None,
            until: date | None = None, pretty: bool = True) -> dict[str, str]:
    """Every results query by name, in ``dialect``, reading the table ``events`` (a name
    as the warehouse writes it). Raises BadTableName, UnknownDialect."""
    source = wt.table(events, check(dialect))
    builder = ResultsQueries(events=EVENTS, guides=GUIDES)
    own = {cte.alias for sql in builder.all().values() for cte in wt.parse(sql).ctes}
    if not source.db and source.name in own | {EVENTS, GUIDES}:
        raise wt.BadTableName(f"{events!r}: the queries use this name for a step of their "
                              "own; qualify the table (schema.table)")
    goals = [g for _, g, _, _ in guide_rows(project) if g]
    tables: list[tuple[str, exp.Query]] = [
        (GUIDES, guides_table(project, guide_ids)),
        (EVENTS, events_table(source, goals, since, until)),  # type: ignore[list-item]
    ]
    return {name: wt.transpile(sql, dialect, tables, pretty)
            for name, sql in builder.all().items()}


def _purpose(name: str) -> str:
    doc = inspect.getdoc(getattr(ResultsQueries, name, None)) or ""
    return " ".join(doc.split("\n\n")[0].split()).replace("``", "")


def script(project: Project, dialect: str, events: str = DEFAULT_TABLE,
           guide_ids: Sequence[str] | None = None, since: date | None = None,
           until: date | None = None) -> str:
    """What ``--sql`` prints: what the table must hold, the session set to UTC, then each
    query with what it answers, one statement each, ready for the warehouse's console."""
    columns = ", ".join(f"{name} {exp.DataType.build(kind, dialect=SOURCE).sql(dialect)}"
                        for name, kind in EVENT_COLUMNS)
    out = [f"-- Guide Studio results for {' '.join(project.settings.name.split())!r}, "
           f"{dialect} SQL.",
           f"-- Reads {events}: one row per event, columns {columns}",
           "-- (ts in UTC; message_id may be NULL). The project's guides are inlined as "
           f"{GUIDES}.", ""]
    setup = UTC_SESSION[dialect]
    if setup:
        out += [setup + ";", ""]
    for name, sql in queries(project, dialect, events, guide_ids, since, until).items():
        purpose = _purpose(name)
        out += [f"-- {name}" + (f": {purpose}" if purpose else ""), sql + ";", ""]
    return "\n".join(out)
