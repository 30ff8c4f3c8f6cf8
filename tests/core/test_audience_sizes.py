"""The editor's audience sizes without Qt: the count is the evaluator's, the split the
runtime's, and every refusal is said in words (``core/audience_sql/sizes.py``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from guidestudio.core import eligibility
from guidestudio.core.audience_sql.sizes import (
    SizeError,
    SizeQuestion,
    count_size,
    table_identity,
    table_name,
)
from tests.widgets.users_table import expected, users, write_parquet

NOW = 1_764_000_000_000
CONDITIONS = [
    {},
    {"plan": "free"},
    {"$and": [{"plan": "trial", "trial_days_left": {"$gte": 0}},
              {"app_version": {"$vgte": "2.0.0"}}]},
    {"$or": [{"role": {"$in": ["owner", "admin"]}}, {"account.seats": {"$gt": 20}}]},
    {"events.login.days_since": {"$gte": 21}},  # the table's own counter
    {"events.file_uploaded.count": {"$gt": 0}},  # not in the table: zero, as the runtime
    {"account.age_days": {"$exists": True, "$lte": 90}},
    {"country": {"$regex": "^(G|J)"}},
    {"storage_used_pct": {"$not": {"$lt": 90}}},
    # `events` is always an object for the runtime, the table's own counters merged
    # with the ones it computes (SQL once counted users without a value as lacking it)
    {"events": {"$exists": False}},
    {"events": {"$type": "object"}},
    {"events.login.count": {"$exists": True}},
    {"events.login": {"$exists": False}},
]
EVENT_CONDITIONS = CONDITIONS[-4:] + [{"events.login.days_since": {"$gte": 21}}]


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return users(4000, seed=11)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]) -> Path:
    return write_parquet(tmp_path_factory.mktemp("sizes") / "users.parquet", rows)


@pytest.mark.parametrize("condition", CONDITIONS, ids=range(len(CONDITIONS)))
def test_the_count_is_the_evaluators(table: Path, rows: list[dict[str, Any]],
                                     condition: Any) -> None:
    size = count_size(str(table), SizeQuestion(condition), now_ms=NOW)
    assert (size.matched, size.users) == (expected(rows, condition, NOW), len(rows))
    assert size.table == "users.parquet" and size.share == size.matched / len(rows)


@pytest.mark.parametrize("condition", EVENT_CONDITIONS, ids=range(len(EVENT_CONDITIONS)))
def test_a_table_without_an_events_column_counts_as_the_evaluator(
        table: Path, rows: list[dict[str, Any]], condition: Any) -> None:
    bare = table.with_name("no-events.parquet")
    if not bare.exists():
        duckdb.sql(f"COPY (SELECT * EXCLUDE (events) FROM '{table}') TO '{bare}' (FORMAT parquet)")
    without = [{k: v for k, v in r.items() if k != "events"} for r in rows]
    size = count_size(str(bare), SizeQuestion(condition), now_ms=NOW)
    assert size.matched == expected(without, condition, NOW)


def test_the_split_is_the_runtimes_assignment(table: Path, rows: list[dict[str, Any]]) -> None:
    experiment = {"key": "tour", "seed": "tour", "coverage": 0.8,
                  "variations": ["control", "short", "full"], "weights": [0.2, 0.4, 0.4],
                  "hashAttribute": "id", "hashVersion": 2, "control_weight": 0.2}
    condition = {"plan": {"$in": ["trial", "free"]}}
    size = count_size(str(table), SizeQuestion(condition, experiment), now_ms=NOW)
    guide = {"experiment": experiment}
    runtime: Counter[str] = Counter()
    for row in rows:
        if expected([row], condition, NOW):
            chosen = eligibility.assignment(guide, row, {"hash_attribute": "id"})
            runtime[chosen if isinstance(chosen, str) else chosen.reason] += 1
    assert dict(size.arms) == {k: runtime[k] for k in ("control", "short", "full")}
    assert size.outside == runtime["not_in_experiment"] > 0  # 80% coverage
    assert sum(n for _, n in size.arms) + size.outside + size.no_id == size.matched


def test_a_duckdb_table(tmp_path: Path, table: Path, rows: list[dict[str, Any]]) -> None:
    database = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    con.execute(f"CREATE TABLE people AS SELECT * FROM read_parquet('{table}')")
    con.close()
    spec = f"{database}:people"
    assert table_name(spec) == "warehouse.duckdb:people"
    size = count_size(spec, SizeQuestion({"plan": "pro"}), now_ms=NOW)
    assert size.matched == expected(rows, {"plan": "pro"}) and size.table == table_name(spec)
    with pytest.raises(SizeError, match="could not be read as a table of users"):
        count_size(f"{database}:nobody", SizeQuestion({}))


def test_refusals_in_words(tmp_path: Path) -> None:
    with pytest.raises(SizeError) as missing:
        table_identity(str(tmp_path / "gone.parquet"))
    assert missing.value.message.startswith("gone.parquet is not there any more")
    with pytest.raises(SizeError, match="gone.parquet is not there any more"):
        count_size(str(tmp_path / "gone.parquet"), SizeQuestion({}))
    csv = tmp_path / "users.csv"
    csv.write_text("id,plan\nu1,free\n")
    with pytest.raises(SizeError, match="not a Parquet file or a DuckDB table"):
        count_size(str(csv), SizeQuestion({}))
    dated = tmp_path / "dated.parquet"
    duckdb.connect().execute(f"COPY (SELECT 'u1' AS id, TIMESTAMP '2026-01-02 03:04' AS seen) "
                             f"TO '{dated}' (FORMAT parquet)")
    with pytest.raises(SizeError) as refused:
        count_size(str(dated), SizeQuestion({}))
    assert refused.value.message.startswith(
        "Can't count: the column “seen” in dated.parquet holds dates and times")
    assert "TIMESTAMP" in refused.value.detail  # the technical line, for a tooltip


def test_a_new_file_under_the_same_name_is_another_table(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "users.parquet", users(10))
    first = table_identity(str(path))
    write_parquet(path, users(20))
    assert table_identity(str(path)) != first  # size (and time) differ: not served from cache


def test_equal_questions_have_equal_keys() -> None:
    a = SizeQuestion({"plan": "free", "role": "owner"})
    b = SizeQuestion({"role": "owner", "plan": "free"})  # key order means nothing here
    assert a.key() == b.key()
    assert a.key() != SizeQuestion({"plan": "free", "role": "owner"}, {"key": "x"}).key()
    assert a.key() != SizeQuestion({"plan": "free", "role": "owner"}, None, "email").key()


def test_what_a_count_learnt_of_a_file_is_not_used_once_the_file_changes(
        tmp_path: Path) -> None:
    """Counting again reuses what it found of the data (no nulls in a column, its few
    values); a file exported again under the same name holds other data."""
    condition = {"$or": [{"plan": {"$in": ["trial", "free"]}}, {"country": {"$regex": "^G"}}]}
    path = tmp_path / "users.parquet"
    first = [{**u, "plan": "free", "country": "GB"} for u in users(500, seed=3)]
    write_parquet(path, first)
    assert count_size(str(path), SizeQuestion(condition), now_ms=NOW).matched == 500
    second = users(700, seed=4)  # nulls and other values in both columns now
    write_parquet(path, second)
    size = count_size(str(path), SizeQuestion(condition), now_ms=NOW)
    assert (size.matched, size.users) == (expected(second, condition, NOW), 700)
