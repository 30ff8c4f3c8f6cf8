"""``simulate --sql DIALECT``: the audience queries for each warehouse.

Every dialect's text parses back with sqlglot (the example project, and generated
conditions over the adversarial users table); the DuckDB form, run, gives the
engine's audiences and the evaluator's variant counts; a guide left out says why.
The Spark form runs on Spark itself in ``make spark`` (test_audience_spark.py).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from guidestudio.core import eligibility
from guidestudio.core.audience_sql import Audience, open_table
from guidestudio.core.audience_sql.simulate_table import _audience_sql, warehouse_sql
from guidestudio.core.bundle.compiler import compile_project
from guidestudio.core.eligibility import parse_utc
from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.targeting import eval_condition
from guidestudio.core.warehouse.transpile import UnportableSQL
from tests.core import audience_users
from tests.core.test_audience_sql import EXPERIMENTS, _conditions

DIALECTS = ["duckdb", "bigquery", "snowflake", "postgres", "spark"]
NOW = parse_utc("2026-11-24T12:00:00Z")


@pytest.fixture(scope="module")
def example() -> tuple[dict[str, Any], Any, Path]:
    """The example project's bundle and a Parquet table of 600 of its users."""
    import duckdb

    from guidestudio.core.files.project_io import load_project
    from tests.cli.test_simulate import _profile_users
    from tests.conftest import EXAMPLE_PROJECT

    folder = Path(__import__("tempfile").mkdtemp(prefix="gs-audience-wh-"))
    jsonl = folder / "users.jsonl"
    jsonl.write_text("".join(json.dumps(u) + "\n" for u in _profile_users(600)),
                     encoding="utf-8")
    parquet = folder / "users.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_json('{jsonl}', format = "
                             f"'newline_delimited')) TO '{parquet}' (FORMAT parquet)")
    bundle = compile_project(load_project(EXAMPLE_PROJECT).project)
    return bundle, open_table(parquet), parquet


def _parse_back(text: str, dialect: str) -> None:
    """sqlglot reads the text as ``dialect`` (the hashing nests deeply: more stack)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        sqlglot.parse_one(text, read=dialect)
    finally:
        sys.setrecursionlimit(limit)


def _columns(con: Any, sql: str) -> dict[str, Any]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchall()[0], strict=True))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_parses_back_and_says_why_a_guide_is_left_out(
        example: tuple[dict[str, Any], Any, Path], dialect: str) -> None:
    bundle, table, _ = example
    text = warehouse_sql(bundle, table, NOW, dialect)
    _parse_back(text, dialect)
    guides = [g["id"] for g in bundle["guides"]]
    for gid in guides:  # each guide is in the query or left out with a reason
        assert (f"guide {gid!r}" in text), gid
    for line in text.splitlines():
        if "is not in this query" in line:
            assert line.split("is not in this query: ")[1].strip()
    if dialect in ("duckdb", "spark"):
        assert "is not in this query" not in text or dialect == "spark"


def test_the_duckdb_form_gives_the_engines_numbers(
        example: tuple[dict[str, Any], Any, Path]) -> None:
    from guidestudio.core.audience_sql.simulate_table import simulate_table

    bundle, table, parquet = example
    text = warehouse_sql(bundle, table, NOW, "duckdb")
    assert "is not in this query" not in text
    con = table.connection
    con.execute(f"CREATE OR REPLACE VIEW users AS SELECT * FROM read_parquet('{parquet}')")
    got = _columns(con, text)
    report = simulate_table(bundle, table, NOW)
    assert got["users"] == report.users == 600
    for k, guide in enumerate(report.guides):
        assert got[f"g{k}_undecided"] == 0
        assert got[f"g{k}_audience"] == guide.audience, guide.id
        if guide.has_experiment:
            variations = list(guide.variations)
            counted = {variations[int(name.rsplit("_", 1)[1])]: n for name, n in got.items()
                       if name.startswith(f"g{k}_variation_")}
            assert counted == guide.variations, guide.id
    assert any(0 < got[f"g{k}_audience"] < 600 for k in range(len(report.guides)))


def _by_guide(text: str, row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The query's columns per guide id (its legend says which ``g<k>`` is which)."""
    ids = {line.split(" = guide ")[0][3:]: line.split(" = guide ")[1].split("'")[1]
           for line in text.splitlines() if line.startswith("-- g") and " = guide " in line}
    out: dict[str, dict[str, Any]] = {}
    for name, value in row.items():
        prefix, _, rest = name.partition("_")
        if prefix in ids:
            out.setdefault(ids[prefix], {})[rest] = value
    return out


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "postgres", "spark"])
def test_each_dialects_text_read_back_into_duckdb_gives_the_same_numbers(
        example: tuple[dict[str, Any], Any, Path], dialect: str) -> None:
    """sqlglot reads the text with the dialect's own precedence and functions: a
    missing parenthesis (BigQuery's ``^`` binds looser than ``*``) or a function
    of another type (Postgres's NUMERIC ``DIV``) changes the numbers here."""
    bundle, table, parquet = example
    con = table.connection
    con.execute(f"CREATE OR REPLACE VIEW users AS SELECT * FROM read_parquet('{parquet}')")
    reference = warehouse_sql(bundle, table, NOW, "duckdb")
    expected = _by_guide(reference, _columns(con, reference))
    text = warehouse_sql(bundle, table, NOW, dialect)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        back = sqlglot.transpile(text, read=dialect, write="duckdb")[0]
    finally:
        sys.setrecursionlimit(limit)
    got = _by_guide(text, _columns(con, back))
    assert got and all(got[gid] == expected[gid] for gid in got), dialect
    assert any("variation_1" in columns for columns in got.values())


@pytest.fixture(scope="module")
def users_table() -> Any:
    return audience_users.users_table(400)


@settings(max_examples=int(os.environ.get("GUIDESTUDIO_AUDIENCE_EXAMPLES", "12")),
          deadline=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_conditions(), min_size=4, max_size=4), EXPERIMENTS)
def test_generated_conditions_parse_back_or_are_refused_and_duckdb_matches(
        users_table: Any, conditions: list[Any], experiment: dict[str, Any]) -> None:
    prepared = PreparedExperiment({"experiment": experiment})
    audiences = [Audience(c, prepared if k == 0 else None) for k, c in enumerate(conditions)]
    attributes = [users_table.attributes(r) for r in users_table.connection.execute(
        "SELECT * FROM users").fetchall()]
    for dialect in DIALECTS:
        try:
            text = _audience_sql(users_table, audiences, "id", [14], dialect)
        except UnportableSQL as exc:
            assert str(exc) and dialect != "duckdb"  # DuckDB takes every condition
            continue
        _parse_back(text, dialect)
        if dialect != "duckdb":
            continue
        got = _columns(users_table.connection, text)
        for k, condition in enumerate(conditions):
            expected = sum(bool(eval_condition(u, condition)) for u in attributes)
            low, undecided = got[f"g{k}_audience"], got[f"g{k}_undecided"]
            assert low <= expected <= low + undecided, condition
        if got["g0_undecided"] == 0 and got["g0_not_hashed"] == 0:
            buckets: Counter[int] = Counter()
            for user in attributes:
                value = eligibility.hash_attribute_value(user, {"hash_attribute": "id"})
                if value is not None and eval_condition(user, conditions[0]):
                    buckets[prepared.buckets([value])[0]] += 1
            named = {-2: "g0_not_in_namespace", -1: "g0_not_in_experiment"}
            for bucket, n in buckets.items():
                assert got[named.get(bucket, f"g0_variation_{bucket}")] == n
