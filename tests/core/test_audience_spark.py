"""The Spark form of the audience queries (``simulate --sql spark``) on Spark itself, in
local mode: the example's audiences and variant counts equal the app's. pyspark lives
in build/spark-env (``make spark`` runs this file); every other run leaves it out (the
``engine`` marker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.audience_sql import open_table
from guidestudio.core.audience_sql.simulate_table import simulate_table, warehouse_sql
from guidestudio.core.warehouse.spark import LocalSpark
from tests.core.test_audience_warehouse import NOW, example  # noqa: F401

pytestmark = pytest.mark.engine


def test_the_spark_form_gives_the_apps_audiences_and_variants(
        example: tuple[dict[str, Any], Any, Path]) -> None:  # noqa: F811
    bundle, _, parquet = example
    table = open_table(parquet)
    text = warehouse_sql(bundle, table, NOW, "spark")
    left_out = [line for line in text.splitlines() if "is not in this query" in line]
    with LocalSpark() as spark:
        spark.register_parquet("users", parquet)
        result = spark.session.sql("\n".join(
            line for line in text.splitlines() if not line.startswith("--")))
        got = result.collect()[0].asDict()
    report = simulate_table(bundle, table, NOW)
    assert got["users"] == report.users == 600
    shown = [g for g in report.guides
             if not any(f"guide {g.id!r}" in line for line in left_out)]
    assert len(shown) == len(report.guides) - len(left_out) >= 5
    for k, guide in enumerate(shown):
        assert got[f"g{k}_undecided"] == 0, guide.id
        assert got[f"g{k}_audience"] == guide.audience, guide.id
        if guide.has_experiment:
            assert got[f"g{k}_not_hashed"] == 0
            variations = list(guide.variations)
            counted = {variations[int(name.rsplit("_", 1)[1])]: n for name, n in got.items()
                       if name.startswith(f"g{k}_variation_")}
            assert counted == guide.variations, guide.id
