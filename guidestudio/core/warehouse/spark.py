"""Spark in local mode on this machine: runs the Spark form of warehouse SQL against
Parquet files, to prove it on the real engine (``make spark``). pyspark is an optional
dependency group installed only in ``build/spark-env``; it is imported here, when a
session is asked for, so the rest of Guide Studio never needs it (or Java)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any


class LocalSpark:
    """One local Spark session in UTC (dates and windows are UTC days), quiet, without its
    web UI, with as many shuffle partitions as a small machine wants rather than 200. Tables
    it creates go to a temporary folder removed on close, not ``./spark-warehouse``."""

    def __init__(self, cores: int = 2, memory: str = "1g") -> None:
        from pyspark.sql import SparkSession

        self.folder = tempfile.mkdtemp(prefix="guidestudio-spark-")
        self.session = (
            SparkSession.builder.master(f"local[{cores}]").appName("guidestudio")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
            .config("spark.sql.shuffle.partitions", str(2 * cores))
            .config("spark.driver.memory", memory)
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.warehouse.dir", str(Path(self.folder) / "warehouse"))
            .config("spark.sql.catalogImplementation", "in-memory")
            .getOrCreate())
        self.session.sparkContext.setLogLevel("ERROR")

    def register_parquet(self, name: str, path: str | Path) -> None:
        """Parquet files (a file or a folder) as the table ``name`` of this session."""
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Every row of one query (Spark's dialect), as plain tuples."""
        return [tuple(row) for row in self.session.sql(sql).collect()]

    def close(self) -> None:
        self.session.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalSpark:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
