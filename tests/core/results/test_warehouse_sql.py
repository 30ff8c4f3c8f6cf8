"""The results queries for a warehouse: every dialect's text parses back in that dialect,
and the DuckDB form, run on a table of the tests' events (duplicates included), gives the
very numbers the app computes and the reference computations check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from guidestudio.cli import main
from guidestudio.core.results import warehouse_sql
from guidestudio.core.warehouse.dialects import DIALECTS

from .events_support import project, track, write_jsonl
from .test_experiment import G, generated_events, reference
from .test_funnel import check_funnel, tour_events
from .warehouse_support import TABLE, analyse, local, warehouse_table


def all_events() -> list[dict]:
    """The funnel tests' events and the experiment test's (its users renamed apart)."""
    experiment = [{**e, "userId": "x" + e["userId"]} for e in generated_events()]
    return tour_events() + experiment


@pytest.fixture(scope="module")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("warehouse") / "events.jsonl", all_events())


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_query_parses_back_in_its_dialect(dialect: str) -> None:
    text = warehouse_sql.script(project(), dialect, "analytics.guide_events")
    statements = [s for s in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE)
                  if s is not None]
    queries = [s for s in statements if isinstance(s, sqlglot.exp.Query)]
    assert len(queries) == len(warehouse_sql.queries(project(), dialect)) == 7
    # Each still reads the team's table and the inlined guides, under the dialect's rules.
    for query in queries:
        names = {t.sql(dialect) for t in query.find_all(sqlglot.exp.Table)}
        assert "analytics.guide_events" in names and warehouse_sql.GUIDES in names


def test_the_duckdb_form_gives_the_apps_numbers_and_the_references(events_file: Path) -> None:
    con = warehouse_table([events_file])
    assert con.execute(f"SELECT count(*) - count(DISTINCT message_id) FROM {TABLE}").fetchone() == (1,)
    by_guide = analyse(project(), "duckdb", lambda sql: con.execute(sql).fetchall())
    check_funnel(by_guide)
    exp = by_guide[G].experiment
    ref = reference([e for e in all_events() if e["userId"].startswith("x")])
    assert exp is not None and {a.name: (a.users, a.conversions) for a in exp.arms} == ref
    assert exp.multi_arm == len(range(0, 1500, 97)) and exp.goal_only_before > 0
    assert by_guide == local([events_file], project())


def test_since_and_until_on_the_warehouse_keep_the_same_whole_days(tmp_path: Path) -> None:
    ev = [track(f"u{n}", "guide_shown", f"2026-11-0{d}T23:30:00-01:00", f"m{n}{d}",
                guide_id="tour", variant="a") for n in range(3) for d in (1, 2, 3)]
    path = write_jsonl(tmp_path / "e.jsonl", ev)
    con = warehouse_table([path])
    since, until = date(2026, 11, 3), date(2026, 11, 3)
    sql = warehouse_sql.queries(project(), "duckdb", TABLE, since=since, until=until)["daily"]
    # 23:30 at -01:00 is 00:30 UTC the next day: the events written on 2 November count.
    assert con.execute(sql).fetchall() == [("tour", "a", date(2026, 11, 3), 3, 0)]


def test_a_guide_id_with_quotes_reaches_every_dialect_as_a_literal(tmp_path: Path) -> None:
    p = project()
    p.guides["it's \\ \"odd\""] = p.guides.pop("nps")
    p.guides["it's \\ \"odd\""].id = "it's \\ \"odd\""
    for dialect in DIALECTS:
        sql = warehouse_sql.queries(p, dialect, pretty=False)["survey_scores"]
        sqlglot.parse_one(sql, read=dialect, error_level=ErrorLevel.RAISE)
    ev = [track("s1", "survey_response", "2026-11-02T10:00:00Z", "m1",
                guide_id="it's \\ \"odd\"", variant="a", score=9)]
    con = warehouse_table([write_jsonl(tmp_path / "e.jsonl", ev)])
    sql = warehouse_sql.queries(p, "duckdb", TABLE)["survey_scores"]
    assert con.execute(sql).fetchall() == [("it's \\ \"odd\"", "a", 9, 1)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from tests.conftest import EXAMPLE_PROJECT

    code = main(["results", str(EXAMPLE_PROJECT), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_prints_a_script_the_warehouse_can_run(capsys) -> None:
    code, out, err = run(capsys, "--sql", "postgres", "--events-table", "analytics.guide_events",
                         "--guide", "storage-almost-full")
    assert code == 0, err
    assert out.count("FROM analytics.guide_events") == 7
    assert "SET TIME ZONE 'UTC';" in out and "'storage-almost-full'" in out
    assert "'trial-conversion-tour'" not in out  # --guide: only that guide's row
    assert "-- experiment_arms: Per experiment guide and arm" in out
    code, out, _ = run(capsys, "--sql", "bigquery", "--events-table", "`my-proj.analytics.ev`")
    assert code == 0 and "FROM `my-proj.analytics.ev`" in out and "UNNEST([" in out


@pytest.mark.parametrize("args, message", [
    (("--sql", "postgres", "--events-table", "a.b; DROP TABLE c"), "is not a table name"),
    (("--sql", "postgres", "--events-table", "goals"), "qualify the table"),
    (("--sql", "postgres", "--events", "x.jsonl"), "--events and --columns are for files"),
    ((), "give the events"),
])
def test_cli_sql_mistakes_are_one_line_and_exit_2(capsys, args, message) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err and out == ""


def test_the_duckdb_script_runs_whole_and_a_project_without_guides_finds_nothing(
        events_file: Path) -> None:
    con = warehouse_table([events_file])
    con.execute("SET TimeZone = 'Asia/Kolkata'")  # the script's first line puts it back
    script = warehouse_sql.script(project(), "duckdb", TABLE)
    last = warehouse_sql.queries(project(), "duckdb", TABLE)["experiment_arms"]
    assert con.execute(script).fetchall() == con.execute(last).fetchall() != []
    assert con.execute("SELECT current_setting('TimeZone')").fetchone() == ("UTC",)
    empty = project()
    empty.guides.clear()
    for sql in warehouse_sql.queries(empty, "duckdb", TABLE).values():
        assert con.execute(sql).fetchall() == []
