"""The benchmark's events, on a small scale, give the results the code gave before it was
made faster, byte for byte: ``golden/bench_40k.json`` is ``guidestudio results --format
json`` on them, written by the version before the speed work (commit 540d9db) and kept as
the reference. Parquet and JSON Lines, read by different readers, must both give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import results as bench
from guidestudio.core.results import analysis, report, store

GOLDEN = Path(__file__).parent / "golden" / "bench_40k.json"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return bench.generate(tmp_path_factory.mktemp("bench"), 40_000, 2_000)


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_results_are_those_the_code_gave_before_it_was_made_faster(files: dict[str, Path],
                                                                   fmt: str) -> None:
    project = bench.project()
    con = store.connect()
    loaded = store.load(con, project, [str(files[fmt])])
    text = report.format_json(analysis.analyse(con, project), loaded) + "\n"
    assert loaded.events > 20_000 and loaded.other_events  # not a vacuous comparison
    assert text == GOLDEN.read_text(encoding="utf-8")
