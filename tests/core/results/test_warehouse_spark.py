"""The Spark form of the results queries on Spark itself (local mode): the same numbers as
the app. pyspark is large and Spark starts slowly, so it lives in its own environment:
``make spark`` installs it (build/spark-env) and runs this file; every other run leaves it
out (the ``engine`` marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidestudio.core.results import analysis, warehouse_sql
from guidestudio.core.warehouse.spark import LocalSpark

from .events_support import project, write_jsonl
from .test_experiment import G, reference
from .test_funnel import check_funnel
from .test_warehouse_sql import all_events
from .warehouse_support import TABLE, WarehouseRun, local, warehouse_table

pytestmark = pytest.mark.engine


def test_the_spark_form_gives_the_apps_numbers(tmp_path: Path) -> None:
    events_file = write_jsonl(tmp_path / "events.jsonl", all_events())
    parquet = tmp_path / "guide_events.parquet"
    names = ", ".join(name for name, _ in warehouse_sql.EVENT_COLUMNS)
    warehouse_table([events_file]).execute(
        f"COPY (SELECT {names} FROM {TABLE}) TO '{parquet}' (FORMAT parquet)")
    with LocalSpark() as spark:
        spark.session.sql("CREATE DATABASE analytics")
        spark.register_parquet("guide_events_files", parquet)
        spark.session.sql(f"CREATE TABLE {TABLE} USING parquet AS SELECT * FROM guide_events_files")
        run = WarehouseRun(project(), "spark", spark.rows)
        by_guide = {r.guide_id: r for r in analysis.analyse(  # type: ignore[arg-type]
            run, project(), materialise=False)}
        # The script as printed is the UTC setting, which Spark takes, then what just ran.
        setting, *queries = [s.strip() for s in warehouse_sql.script(
            project(), "spark", TABLE).split(";\n") if s.strip()]
        spark.rows(setting)
        assert [q.split("\n", 1)[1] for q in queries] == run.ran
    check_funnel(by_guide)
    exp = by_guide[G].experiment
    ref = reference([e for e in all_events() if e["userId"].startswith("x")])
    assert exp is not None and {a.name: (a.users, a.conversions) for a in exp.arms} == ref
    assert by_guide == local([events_file], project())
