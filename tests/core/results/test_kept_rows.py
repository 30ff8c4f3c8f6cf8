"""Which rows are kept, decided two ways: Parquet, read through a view, drops the guide
tests from every scan when the accounting pass proved no row needs them; JSON Lines keep
them, decided once per row. Both must keep the same rows and say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidestudio.core.results import analysis, report, store

from .events_support import project, track, write_jsonl, write_parquet


def _events(doubtful: bool) -> list[dict]:
    ev = []
    for n in range(30):
        ev += [track(f"u{n}", "guide_shown", "2026-11-02T10:00:00Z", f"s{n}", guide_id="tour",
                     variant="a"),
               track(f"u{n}", "step_shown", "2026-11-02T10:01:00Z", f"t{n}", guide_id="tour",
                     variant="a", step=n % 3),
               track(f"u{n}", "plan_upgraded", "2026-11-03T10:00:00Z", f"g{n}"),
               track(f"u{n}", "runtime_error", "2026-11-03T10:00:00Z", f"r{n}")]
    if doubtful:  # a guide the project does not have; a show that names no guide
        ev += [track("u1", "guide_shown", "2026-11-02T11:00:00Z", "x1", guide_id="ghost"),
               track("u2", "guide_shown", "2026-11-02T11:00:00Z", "x2", variant="a")]
    return ev


@pytest.mark.parametrize("doubtful", [False, True])
def test_parquet_and_json_lines_keep_the_same_rows(tmp_path: Path, doubtful: bool) -> None:
    jsonl = write_jsonl(tmp_path / "e.jsonl", _events(doubtful))
    parquet = write_parquet(tmp_path / "e.parquet", jsonl)
    out, views = {}, {}
    for name, path in (("jsonl", jsonl), ("parquet", parquet)):
        con = store.connect()
        loaded = store.load(con, project(), [str(path)])
        out[name] = (report.format_json(analysis.analyse(con, project()), loaded),
                     loaded.messages())
        views[name] = con.execute("SELECT sql FROM duckdb_views() "
                                  "WHERE view_name = 'events'").fetchone()[0]
    assert out["parquet"] == out["jsonl"]
    said = " ".join(out["parquet"][1])
    assert ("guides not in this project left out: ghost (1)" in said) == doubtful
    assert ("1 guide event without a guide_id" in said) == doubtful
    assert "kept" in views["jsonl"]
    # The guide tests are in the Parquet view exactly when some row needed them.
    assert ("guide_id IS NULL" in views["parquet"].split(" WHERE ", 1)[1]) == doubtful
