"""The Postgres form of the results queries on a real PostgreSQL server: the same numbers
as the app. The server is the machine's own (Debian's postgresql package, when it is
installed: ``make postgres`` runs this file, and fails saying so when it is not; every other
run leaves it out, the ``engine`` marker), started for this module in a
temporary folder on a Unix socket, as the ``postgres`` account when we are root, and fed
through ``psql`` — no driver to install."""

from __future__ import annotations

import csv
import glob
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlglot import exp

from guidestudio.core.results import warehouse_sql

from .events_support import project, write_jsonl
from .test_funnel import check_funnel
from .test_warehouse_sql import all_events
from .warehouse_support import TABLE, analyse, local, warehouse_table

pytestmark = pytest.mark.engine

TEXT = {"guide_id", "variant", "selector", "reason", "item", "arm"}


def _binaries() -> Path | None:
    found = shutil.which("initdb") or next(iter(sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
    return Path(found).resolve().parent if found else None


class Server:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="guidestudio-pg-"))
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = self.dir / "data"
        self._server("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-N",
                     "--no-instructions")
        self._server("pg_ctl", "-D", str(data), "-l", str(self.dir / "log"), "-w", "-o",
                     f"-k {self.dir} -c listen_addresses='' -c fsync=off", "start")

    def _server(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       capture_output=True, timeout=60)

    def psql(self, *args: str, script: str | None = None) -> str:
        done = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.dir), "-U", "postgres",
             "-d", "postgres", *args], capture_output=True, text=True, timeout=120,
            input=script, env={**os.environ, "PGTZ": "UTC"})
        assert done.returncode == 0, done.stderr
        return done.stdout

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """One query's rows, typed by column name as the analysis reads them."""
        table = list(csv.reader(io.StringIO(self.psql("--csv", "-c", sql))))
        names, out = table[0], []
        for row in table[1:]:
            out.append(tuple(None if v == "" else v if n in TEXT else
                             date.fromisoformat(v) if n == "day" else int(v)
                             for n, v in zip(names, row, strict=True)))
        return out

    def stop(self) -> None:
        self._server("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    bin_dir = _binaries()
    if bin_dir is None or shutil.which("psql") is None:
        pytest.fail("no PostgreSQL server on this machine (Debian: apt-get install postgresql)",
                    pytrace=False)
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.fail("running as root without runuser: PostgreSQL will not start as root",
                    pytrace=False)
    srv = Server(bin_dir)
    try:
        yield srv
    finally:
        srv.stop()


def test_the_postgres_form_gives_the_apps_numbers(server: Server, tmp_path: Path) -> None:
    events_file = write_jsonl(tmp_path / "events.jsonl", all_events())
    csv_file = tmp_path / "events.csv"
    names = ", ".join(name for name, _ in warehouse_sql.EVENT_COLUMNS)
    warehouse_table([events_file]).execute(
        f"COPY (SELECT {names} FROM {TABLE}) TO '{csv_file}' (HEADER)")
    columns = ", ".join(f"{name} {exp.DataType.build(kind, dialect='duckdb').sql('postgres')}"
                        for name, kind in warehouse_sql.EVENT_COLUMNS)
    server.psql("-c", f"CREATE SCHEMA analytics; CREATE TABLE {TABLE} ({columns})",
                "-c", f"\\copy {TABLE} FROM '{csv_file}' CSV HEADER")

    by_guide = analyse(project(), "postgres", server.rows)
    check_funnel(by_guide)
    assert by_guide == local([events_file], project())

    # The script as printed, piped whole into psql, runs too (in a session not set to UTC).
    out = server.psql("--csv", "-c", "SET TIME ZONE 'Asia/Kolkata'", "-f", "-",
                      script=warehouse_sql.script(project(), "postgres", TABLE))
    assert out.count("guide_id,variant") == 6 and "guide_id,arm" in out
