"""The warehouses we write SQL for, by sqlglot's dialect names, and how each makes its
session read timestamps in UTC (days and goal windows are UTC days, as in the app)."""

from __future__ import annotations

SOURCE = "duckdb"  # every builder writes DuckDB's dialect; it runs as is in the app

DIALECTS = ("bigquery", "snowflake", "postgres", "spark", "duckdb")

# A statement that makes the session's time zone UTC, printed before the queries: a date
# taken from a timestamp, and "n days later", follow the session's zone in these engines.
# BigQuery's TIMESTAMP is UTC whatever the session, so it needs none.
UTC_SESSION: dict[str, str | None] = {
    "bigquery": None,
    "snowflake": "ALTER SESSION SET TIMEZONE = 'UTC'",
    "postgres": "SET TIME ZONE 'UTC'",
    "spark": "SET spark.sql.session.timeZone = UTC",
    "duckdb": "SET TimeZone = 'UTC'",
}


class UnknownDialect(ValueError):
    """A dialect name that is not one of ``DIALECTS``."""


def check(dialect: str) -> str:
    """``dialect`` if we write it, else a clear error naming the ones we do."""
    if dialect not in DIALECTS:
        raise UnknownDialect(f"unknown SQL dialect {dialect!r} (use {', '.join(DIALECTS)})")
    return dialect
