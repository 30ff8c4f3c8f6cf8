"""The one transpile step: DuckDB-only constructs become each warehouse's own, those with
no faithful form are refused with the reason, tables are inlined as typed VALUES, and a
table name can only ever be a name."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from guidestudio.core.warehouse import transpile as wt
from guidestudio.core.warehouse.dialects import DIALECTS, UnknownDialect, check
from guidestudio.core.warehouse.values import values_table

WINDOW = ("SELECT count(*) FROM t WHERE done <= start + to_days(CAST(days AS INTEGER)) "
          "AND done >= start")
ROWS = values_table([("start", "TIMESTAMPTZ"), ("done", "TIMESTAMPTZ"), ("days", "INTEGER")],
                    [(s, d, n) for s, d, n in [
                        ("2026-11-01 10:00:00+00", "2026-11-08 10:00:00+00", 7),  # on the edge
                        ("2026-11-01 10:00:00+00", "2026-11-08 10:00:01+00", 7),  # a second late
                        ("2026-11-01 10:00:00+00", "2026-11-02 09:00:00+00", 1)]])


def duck() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con


@pytest.mark.parametrize("dialect", DIALECTS)
def test_days_after_a_timestamp_keep_the_number_of_days_in_every_dialect(dialect: str) -> None:
    sql = wt.transpile(WINDOW, dialect, [("t", ROWS)], pretty=False)
    # sqlglot alone writes Snowflake's and Postgres's "start + INTERVAL (days) DAY" as
    # "start + INTERVAL DAY": the number of days silently gone.
    assert "CAST(days AS" in sql.split("WHERE")[-1] and "TO_DAYS" not in sql.upper()
    sqlglot.parse_one(sql, read=dialect)
    if dialect == "duckdb":
        assert duck().execute(sql).fetchall() == [(2,)]


@pytest.mark.parametrize("sql, reason", [
    ("SELECT arg_min(v, ts) FROM t", "arg_min/arg_max are not portable"),
    ("SELECT arg_max(v, ts) FILTER (WHERE ok) FROM t", "arg_min/arg_max are not portable"),
    ("SELECT to_days(3) FROM t", "only added to a timestamp"),
    ("SELECT list_reverse(xs) FROM t", "a function sqlglot does not know"),
    ("SELECT a.x FROM a ASOF LEFT JOIN b ON a.u = b.u AND a.ts >= b.ts", "ASOF JOIN is DuckDB's"),
    ("SELECT a FROM t UNION ALL BY NAME SELECT a FROM s", "UNION BY NAME"),
    ("SELECT list(a ORDER BY b) FROM t", "an ordered list is not portable"),
])
def test_constructs_without_a_faithful_form_are_refused(sql: str, reason: str) -> None:
    with pytest.raises(wt.UnportableSQL, match=reason):
        wt.transpile(sql, "postgres")


def test_inlined_tables_come_first_and_the_querys_own_steps_read_them() -> None:
    query = "WITH big AS (SELECT days FROM t WHERE days > 1) SELECT count(*) FROM big"
    tree = wt.with_tables(wt.parse(query), [("t", ROWS)])
    assert [c.alias for c in tree.ctes] == ["t", "big"]
    assert duck().execute(wt.generate(tree, "duckdb")).fetchall() == [(2,)]


def test_values_keep_types_quotes_and_emptiness() -> None:
    table = values_table([("name", "VARCHAR"), ("n", "INTEGER"), ("on", "BOOLEAN"),
                          ("x", "DOUBLE")],
                         [("it's \\ \"x\"", 1, True, 0.5), ("b", None, None, None)])
    assert duck().execute(table.sql("duckdb")).fetchall() == [
        ("it's \\ \"x\"", 1, True, 0.5), ("b", None, None, None)]
    for dialect in DIALECTS:
        parsed = sqlglot.parse_one(table.sql(dialect), read=dialect)
        assert "it's \\ \"x\"" in {s.this for s in parsed.find_all(exp.Literal) if s.is_string}
    empty = values_table([("name", "VARCHAR")], [])
    assert duck().execute(empty.sql("duckdb")).fetchall() == []
    with pytest.raises(ValueError, match="row 1 has 1 values for 2 columns"):
        values_table([("a", "VARCHAR"), ("b", "VARCHAR")], [("x",)])
    with pytest.raises(TypeError, match="no SQL literal for datetime"):
        values_table([("a", "TIMESTAMP")], [(datetime.now(UTC),)])


@pytest.mark.parametrize("name, dialect, written", [
    ("analytics.guide_events", "postgres", "analytics.guide_events"),
    ("`my-proj.analytics.events`", "bigquery", "`my-proj.analytics.events`"),
    ('"Analytics"."Guide Events"', "snowflake", '"Analytics"."Guide Events"'),
    ("db.events", "spark", "db.events"),
])
def test_table_names_as_each_warehouse_writes_them(name: str, dialect: str, written: str) -> None:
    assert wt.table(name, dialect).sql(dialect) == written


@pytest.mark.parametrize("name", ["a.b; DROP TABLE c", "x y", "read_csv('x')", "t AS x", ""])
def test_anything_but_a_table_name_is_refused(name: str) -> None:
    with pytest.raises(wt.BadTableName, match="is not a table name"):
        wt.table(name, "postgres")


def test_unknown_dialects_are_named() -> None:
    assert check("spark") == "spark"
    with pytest.raises(UnknownDialect, match="use bigquery, snowflake, postgres, spark, duckdb"):
        check("mysql")
