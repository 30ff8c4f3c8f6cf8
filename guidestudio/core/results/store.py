"""Events loaded once into an in-process DuckDB database, with an account of what was left out.

The sources are scanned once into a table of normalised events; the queries of
``queries.py`` then run on it. Nothing is dropped without a count: unreadable rows (per
file, with the first row numbers), duplicate message ids, events outside the dates asked
for, product events no guide's goal uses, and runtime events of guides the project does
not have. DuckDB keeps the table within ``memory_limit`` and spills to disk beyond it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from guidestudio.core.model import Project
from guidestudio.core.results.queries import GUIDE_EVENTS, PROPERTY_EVENTS
from guidestudio.core.results.sources import (
    PROPERTY_COLUMNS,
    Shape,
    Source,
    SourceError,
    first_line,
    inspect,
    locate_bad_rows,
    resolve,
    select_normalised,
)
from guidestudio.core.results.sql import quote_literal

ROWS_SHOWN = 5  # unreadable rows located per file


@dataclass
class BadRows:
    file: str
    count: int
    rows: list[int]  # the first ROWS_SHOWN, 1-based (JSON Lines: line numbers)


@dataclass
class LoadReport:
    """What was read, and every reason a row did not count."""

    rows: int = 0  # rows read, readable or not
    events: int = 0  # events analysed
    unreadable: list[BadRows] = field(default_factory=list)
    duplicates: int = 0
    outside_dates: int = 0
    other_events: dict[str, int] = field(default_factory=dict)  # product events not used
    unknown_guides: dict[str, int] = field(default_factory=dict)  # guide_id -> events
    no_guide: int = 0  # runtime events about a guide that name none (a broken pipeline)
    bad_values: int = 0  # kept events whose step or score is not a number (read as missing)

    def messages(self) -> list[str]:
        """One line per thing a reader should know, in plain words."""
        out = []
        for bad in self.unreadable:
            where = ", ".join(str(r) for r in bad.rows)
            more = "" if bad.count <= len(bad.rows) else ", …"
            out.append(f"{bad.file}: {bad.count:,} unreadable row{'s' * (bad.count != 1)} skipped "
                       f"(row {where}{more}): not an event with a user, a name and a timestamp")
        if self.duplicates:
            out.append(f"{self.duplicates:,} duplicate event{'s' * (self.duplicates != 1)} "
                       "(same message id) counted once")
        if self.outside_dates:
            out.append(f"{self.outside_dates:,} event{'s' * (self.outside_dates != 1)} outside "
                       "--since/--until left out")
        if self.no_guide:
            out.append(f"{self.no_guide:,} guide event{'s' * (self.no_guide != 1)} without a "
                       "guide_id left out (check that the pipeline keeps the event's properties)")
        if self.bad_values:
            out.append(f"{self.bad_values:,} event{'s' * (self.bad_values != 1)} with a step or "
                       "score that is not a whole number: counted without it")
        if self.unknown_guides:
            ids = ", ".join(f"{g} ({n})" for g, n in sorted(self.unknown_guides.items())[:10])
            out.append(f"events of guides not in this project left out: {ids}")
        if self.other_events:
            total = sum(self.other_events.values())
            names = ", ".join(sorted(self.other_events)[:10])
            out.append(f"{total:,} other product event{'s' * (total != 1)} not used by any goal "
                       f"left out ({names}{', …' if len(self.other_events) > 10 else ''})")
        return out


def guide_rows(project: Project) -> list[tuple[str, str | None, int | None, str | None]]:
    """(guide_id, goal event, window in days, experiment key) for the ``guides`` table."""
    return [(g.id, g.goal.event if g.goal else None,
             g.goal.within_days if g.goal else None,
             g.experiment.key if g.experiment else None)
            for g in project.guides.values()]


def connect(memory_limit: str = "600MB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    # Results never depend on row order (every query sorts what it returns): letting
    # DuckDB drop it saves memory and time when it builds the bases.
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET memory_limit = {quote_literal(memory_limit)}")
    spill = tempfile.gettempdir() + "/guidestudio-duckdb"
    con.execute(f"SET temp_directory = {quote_literal(spill)}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _in_list(values: Sequence[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")" if values else "(NULL)"


def _enum(values: Sequence[str]) -> str:
    """An ENUM of these names, in sorted order so that they sort as the text would."""
    names = sorted(set(values))
    return f"ENUM{_in_list(names)}" if names else "VARCHAR"


def _compact_rows(normalised: str, keep: str, event_type: str, guide_type: str,
                  runtime: str) -> str:
    """The text formats' rows as stored: a row left out keeps only what the accounting
    reads of it (its event name and, for a runtime event, its guide id, as text); a kept
    row its event and guide id as ENUM codes, and each property only on the events whose
    results read it (``queries.PROPERTY_EVENTS``). A third of the memory of every column
    for every row, and the queries' scans of the kept rows read small values."""
    props = []
    for name, _ in PROPERTY_COLUMNS:
        events = PROPERTY_EVENTS.get(name)
        on = f"kept AND event IN {_in_list(events)}" if events else "kept"
        props.append(f"CASE WHEN {on} THEN {name} END AS {name}")
    return (f"SELECT ok, file, bad_value, kept, ts, "
            "CASE WHEN kept THEN NULL ELSE event END AS other_event, "
            f"CASE WHEN NOT kept AND event IN {runtime} THEN guide_id END AS other_guide, "
            f"CASE WHEN kept THEN CAST(event AS {event_type}) END AS event, "
            f"CASE WHEN kept THEN TRY_CAST(guide_id AS {guide_type}) END AS guide_id, "
            "CASE WHEN kept THEN user_id END AS user_id, "
            "CASE WHEN kept THEN message_id END AS message_id, "
            + ", ".join(props)
            + f" FROM (SELECT *, coalesce({keep}, false) AS kept FROM ({normalised}))")


def load(con: duckdb.DuckDBPyConnection, project: Project, paths: Sequence[str],
         shape: Shape | None = None, since: date | None = None,
         until: date | None = None) -> LoadReport:
    """Read every source into the tables ``events`` and ``guides``. Raises SourceError
    for a source that cannot be used at all; anything less is counted in the report."""
    sources: list[Source] = [inspect(con, resolve(p), shape) for p in paths]
    rows = guide_rows(project)
    goals = sorted({g for _, g, _, _ in rows if g})
    # Parquet is columnar and cheap to scan again: each query reads only the columns it
    # needs, straight from the files, through a view. Text formats are parsed once into a
    # table of compact rows (``_compact_rows``), whose event names and guide ids are
    # ENUMs: the guides table then uses the same types, so its joins compare small codes.
    kind = "VIEW" if all(s.format == "parquet" for s in sources) else "TEMP TABLE"
    event_type = guide_type = "VARCHAR"
    if kind != "VIEW":
        event_type = _enum([*GUIDE_EVENTS, *goals])
        guide_type = _enum([g for g, _, _, _ in rows])
    con.execute(f"CREATE OR REPLACE TABLE guides (guide_id {guide_type}, "
                f"goal_event {event_type}, window_days INTEGER, experiment_key VARCHAR)")
    if rows:
        con.executemany("INSERT INTO guides VALUES (?, ?, ?, ?)", rows)
    union = " UNION ALL BY NAME ".join(f"({select_normalised(s)})" for s in sources)
    wanted = _in_list([*GUIDE_EVENTS, *goals])
    window = []
    if since is not None:
        window.append(f"ts >= TIMESTAMPTZ {quote_literal(since.isoformat())}")
    if until is not None:
        end = until + timedelta(days=1)
        window.append(f"ts < TIMESTAMPTZ {quote_literal(end.isoformat())}")
    in_dates = " AND ".join(window) or "true"
    known = _in_list([g for g, _, _, _ in rows])
    runtime = _in_list(GUIDE_EVENTS)
    unknown_guide = f"event IN {runtime} AND guide_id IS NOT NULL AND guide_id NOT IN {known}"
    # runtime_error may name no guide; every other runtime event is about one.
    no_guide = (f"event IN {_in_list([e for e in GUIDE_EVENTS if e != 'runtime_error'])} "
                "AND guide_id IS NULL")
    keep = (f"ok AND {in_dates} AND event IN {wanted} AND NOT ({unknown_guide}) "
            f"AND NOT ({no_guide})")
    try:
        # The file name is kept for unreadable rows only: a column of one long string per
        # event would cost memory and time for nothing.
        def create_raw(union: str) -> str:
            body = ("SELECT * EXCLUDE (row) REPLACE (CASE WHEN ok THEN NULL ELSE file END "
                    f"AS file) FROM ({union})")
            if kind == "VIEW":
                return f"CREATE OR REPLACE VIEW raw AS {body}"
            return ("CREATE OR REPLACE TEMP TABLE raw AS "
                    + _compact_rows(body, keep, event_type, guide_type, runtime))

        try:
            con.execute(create_raw(union))
        except duckdb.Error:
            if not any(s.format == "jsonl" for s in sources):
                raise
            # JSON Lines the JSON reader refuses (a line over 16 MB) are read as lines,
            # which name the line that is too long, or read it as they always did.
            con.execute(create_raw(" UNION ALL BY NAME ".join(
                f"({select_normalised(s, by_lines=True)})" for s in sources)))
    except duckdb.Error as exc:
        raise SourceError(f"{', '.join(paths)}: cannot be read ({first_line(exc)})") from None
    if kind != "VIEW":
        keep = "kept"
    # Every row by what becomes of it, in one pass: unreadable (per file), outside the
    # dates, another product event (per name), a guide not in the project (per id), kept.
    # Grouped first by the few columns that decide it, then classified per group: the
    # CASE runs on a few hundred groups instead of every row.
    other = "" if kind == "VIEW" else "other_event, other_guide, "
    groups = (f"SELECT ok, CASE WHEN ok THEN NULL ELSE file END AS file, "
              f"CASE WHEN ok THEN {in_dates} END AS in_dates, event, {other}"
              f"CASE WHEN event IN {runtime} THEN guide_id END AS guide_id, "
              "ok AND bad_value AS bad_value, count(*) AS n "
              "FROM raw GROUP BY ALL")
    if kind != "VIEW":
        # The compact rows' names as text again, per group: a kept row's ENUM codes, a
        # left-out row's own columns (``_compact_rows``).
        groups = ("SELECT ok, file, in_dates, coalesce(other_event, CAST(event AS VARCHAR)) "
                  "AS event, coalesce(other_guide, CAST(guide_id AS VARCHAR)) AS guide_id, "
                  f"bad_value, n FROM ({groups})")
    why = ("CASE WHEN NOT ok THEN 'unreadable' WHEN NOT in_dates THEN 'dates' "
           f"WHEN event NOT IN {wanted} THEN 'other' WHEN {unknown_guide} THEN 'guide' "
           f"WHEN {no_guide} THEN 'no_guide' "
           "ELSE 'kept' END")
    key = ("CASE WHEN NOT ok THEN file WHEN NOT in_dates THEN NULL "
           f"WHEN event NOT IN {wanted} THEN event WHEN {unknown_guide} THEN guide_id END")
    report = LoadReport()
    by_file = {f: s for s in sources for f in s.files}
    # Rows readable, in the dates and wanted whose guide is not plainly fine (unknown, or
    # none where one is needed): evaluated on each group's event and guide id, as the
    # rows would be. None at all (the usual case) makes the guide tests of ``keep``
    # true on every row, so they can go.
    guide_doubt = (f"ok AND in_dates AND event IN {wanted} AND "
                   f"(NOT ({unknown_guide}) AND NOT ({no_guide})) IS NOT TRUE")
    doubtful = 0
    for reason, name, n, bad, doubt in con.execute(
            f"SELECT {why} AS why, {key} AS key, sum(n), sum(n) FILTER (WHERE bad_value), "
            f"sum(n) FILTER (WHERE {guide_doubt}) "
            f"FROM ({groups}) GROUP BY why, key ORDER BY why, key").fetchall():
        report.rows += n
        doubtful += doubt or 0
        if reason == "kept":
            report.bad_values += bad or 0
        if reason == "unreadable":
            try:
                rows_at = (locate_bad_rows(con, by_file[name], name, ROWS_SHOWN)
                           if name in by_file else [])
            except duckdb.Error as exc:  # JSON Lines that are not text: the JSON reader
                # makes them unreadable rows, lines refuse the file, as they always did
                raise SourceError(f"{', '.join(paths)}: cannot be read "
                                  f"({first_line(exc)})") from None
            report.unreadable.append(BadRows(name, n, rows_at))
        elif reason == "dates":
            report.outside_dates += n
        elif reason == "other":
            report.other_events[name] = n
        elif reason == "guide":
            report.unknown_guides[name] = n
        elif reason == "no_guide":
            report.no_guide += n
    if not report.rows:
        raise SourceError(f"{', '.join(paths)}: no events (not one row)")
    if report.rows == sum(b.count for b in report.unreadable):
        raise SourceError(f"{', '.join(paths)}: no readable events "
                          f"({report.rows} unreadable row{'s' * (report.rows != 1)})")
    if kind == "VIEW" and not doubtful:  # each scan of Parquet then tests far less
        keep = f"ok AND {in_dates} AND event IN {wanted}"
    columns = ("user_id, event, ts, guide_id, variant, experiment, step, selector, reason, "
               "score, item, locale")
    # Duplicates: message ids' hashes, sorted, none equal to the one before prove there
    # are none (a duplicate has its copy's hash; sorting 64-bit numbers is about a third
    # cheaper than counting the distinct ones, and cheaper still than the strings);
    # otherwise they are counted exactly.
    (repeated,) = con.execute(
        "SELECT count(*) FILTER (WHERE h = before) FROM (SELECT h, lag(h) OVER (ORDER BY h) "
        f"AS before FROM (SELECT hash(message_id) AS h FROM raw WHERE {keep} "
        "AND message_id IS NOT NULL))").fetchone()  # type: ignore[misc]
    if repeated:
        kept, distinct = con.execute(f"SELECT count(message_id), count(DISTINCT message_id) "
                                     f"FROM raw WHERE {keep}").fetchone()  # type: ignore[misc]
        report.duplicates = kept - distinct
    if report.duplicates:  # the earliest of each message id is kept
        con.execute(f"CREATE OR REPLACE TEMP TABLE events AS SELECT {columns} FROM raw "
                    f"WHERE {keep} QUALIFY message_id IS NULL OR "
                    "row_number() OVER (PARTITION BY message_id ORDER BY ts) = 1")
        con.execute(f"DROP {kind.split()[-1]} raw")
    else:  # no copy: the queries' bases read the kept rows of raw through a view
        con.execute(f"CREATE OR REPLACE VIEW events AS SELECT {columns} FROM raw WHERE {keep}")
    left_out = (report.outside_dates + sum(report.other_events.values())
                + sum(report.unknown_guides.values()) + report.no_guide)
    report.events = (report.rows - sum(b.count for b in report.unreadable) - left_out
                     - report.duplicates)
    return report
