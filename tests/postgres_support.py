"""A PostgreSQL server of the machine's own (Debian's postgresql package), for the tests
that run our Postgres SQL on the real thing (``make postgres``; the ``engine`` marker keeps
them out of every other run).

Started per module in a temporary folder, on a Unix socket only, as the ``postgres``
account when we are root (the server refuses root), and fed through ``psql`` — no driver
to install. A machine without it fails the tests, saying what to install.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


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

    def table(self, sql: str | None = None, script: str | None = None) -> list[dict[str, str]]:
        """The rows of a query (or of a script's last query), as text by column name ("" for
        NULL)."""
        out = self.psql("--csv", *(("-c", sql) if sql is not None else ("-f", "-")),
                        script=script)
        return list(csv.DictReader(io.StringIO(out)))

    def stop(self) -> None:
        self._server("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_server() -> Iterator[Server]:
    """The body of a module's ``server`` fixture: a running server, stopped afterwards."""
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
