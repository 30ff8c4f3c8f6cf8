"""The one query builder's two forms agree: each query standing alone (its bases as WITH
clauses, what a warehouse runs) and over the bases built once as tables (what the app
runs) return the same rows."""

from __future__ import annotations

from pathlib import Path

from guidestudio.core.results import analysis, store
from guidestudio.core.results.queries import BASES, ResultsQueries

from .events_support import project, write_jsonl
from .test_funnel import tour_events


def test_standalone_and_materialised_queries_return_the_same_rows(tmp_path: Path) -> None:
    con = store.connect()
    store.load(con, project(), [str(write_jsonl(tmp_path / "e.jsonl", tour_events()))])
    alone = {name: con.execute(sql).fetchall() for name, sql in ResultsQueries().all().items()}
    assert all("WITH guide_users AS" in sql for name, sql in ResultsQueries().all().items()
               if name in ("funnel", "experiment_arms"))
    built = analysis.build_bases(con)
    assert {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            } >= set(BASES)
    together = {name: con.execute(sql).fetchall() for name, sql in built.all().items()}
    assert together == alone
    assert alone["funnel"] and alone["steps"]  # not vacuous
