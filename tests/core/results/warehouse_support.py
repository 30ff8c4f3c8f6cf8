"""A warehouse table of events made from the tests' event files, and the analysis run
from the warehouse form of the queries on some engine (DuckDB, Postgres, Spark)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from guidestudio.core.model import Project
from guidestudio.core.results import analysis, store, warehouse_sql
from guidestudio.core.results.queries import ResultsQueries
from guidestudio.core.results.sources import inspect, resolve, select_normalised

TABLE = "analytics.guide_events"
COLUMNS = ", ".join(name for name, _ in warehouse_sql.EVENT_COLUMNS)


def warehouse_table(paths: Sequence[Path]) -> duckdb.DuckDBPyConnection:
    """A DuckDB database holding ``analytics.guide_events``: every readable row of the
    files in the warehouse's normalised columns, duplicates and all (the queries drop
    them, as a warehouse's loader would leave them)."""
    con = store.connect()
    con.execute("CREATE SCHEMA analytics")
    union = " UNION ALL ".join(
        f"SELECT {COLUMNS} FROM ({select_normalised(inspect(con, resolve(str(p)), None))}) "
        "WHERE ok" for p in paths)
    con.execute(f"CREATE TABLE {TABLE} AS {union}")
    return con


class WarehouseRun:
    """Stands in for the DuckDB connection ``analysis.analyse`` reads: each of its queries
    is answered by the warehouse form of the same query, run by ``run`` on an engine."""

    def __init__(self, project: Project, dialect: str,
                 run: Callable[[str], list[tuple[Any, ...]]]) -> None:
        local = ResultsQueries().all()
        remote = warehouse_sql.queries(project, dialect, TABLE)
        self._by_text = {local[name]: remote[name] for name in local}
        self._run = run
        self._rows: list[tuple[Any, ...]] = []
        self.ran: list[str] = []

    def execute(self, sql: str) -> WarehouseRun:
        self.ran.append(self._by_text[sql])  # KeyError: analysis asked for a new query
        self._rows = self._run(self.ran[-1])
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._rows


def analyse(project: Project, dialect: str,
            run: Callable[[str], list[tuple[Any, ...]]]) -> dict[str, analysis.GuideResult]:
    con = WarehouseRun(project, dialect, run)
    return {r.guide_id: r for r in analysis.analyse(con, project)}  # type: ignore[arg-type]


def local(paths: Sequence[Path], project: Project) -> dict[str, analysis.GuideResult]:
    """The app's own results on the same files: what the warehouse must reproduce."""
    con = store.connect()
    store.load(con, project, [str(p) for p in paths])
    return {r.guide_id: r for r in analysis.analyse(con, project)}
