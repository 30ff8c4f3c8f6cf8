"""The Postgres form of the results queries on a real PostgreSQL server
(tests/postgres_support.py; ``make postgres``): the same numbers as the app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlglot import exp

from guidestudio.core.results import warehouse_sql
from tests.postgres_support import Server, start_server

from .events_support import project, write_jsonl
from .test_funnel import check_funnel
from .test_warehouse_sql import all_events
from .warehouse_support import TABLE, analyse, local, warehouse_table

pytestmark = pytest.mark.engine

TEXT = {"guide_id", "variant", "selector", "reason", "item", "arm"}


def rows(server: Server, sql: str) -> list[tuple[Any, ...]]:
    """One query's rows, typed by column name as the analysis reads them."""
    out = []
    for row in server.table(sql):
        out.append(tuple(None if v == "" else v if n in TEXT else
                         date.fromisoformat(v) if n == "day" else int(v)
                         for n, v in row.items()))
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    yield from start_server()


def test_the_postgres_form_gives_the_apps_numbers(server: Server, tmp_path: Path) -> None:
    events_file = write_jsonl(tmp_path / "events.jsonl", all_events())
    csv_file = tmp_path / "events.csv"
    names = ", ".join(name for name, _ in warehouse_sql.EVENT_COLUMNS)
    warehouse_table([events_file]).execute(
        f"COPY (SELECT {names} FROM {TABLE}) TO '{csv_file}' (HEADER)")
    columns = ", ".join(f"{name} {exp.DataType.build(kind, dialect='duckdb').sql('postgres')}"
                        for name, kind in warehouse_sql.EVENT_COLUMNS)
    server.psql("-c", f"CREATE SCHEMA analytics; CREATE TABLE {TABLE} ({columns})",
                "-c", f"\\copy {TABLE} FROM '{csv_file}' CSV HEADER")

    by_guide = analyse(project(), "postgres", lambda sql: rows(server, sql))
    check_funnel(by_guide)
    assert by_guide == local([events_file], project())

    # The script as printed, piped whole into psql, runs too (in a session not set to UTC).
    out = server.psql("--csv", "-c", "SET TIME ZONE 'Asia/Kolkata'", "-f", "-",
                      script=warehouse_sql.script(project(), "postgres", TABLE))
    assert out.count("guide_id,variant") == 6 and "guide_id,arm" in out
