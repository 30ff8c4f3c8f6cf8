"""The Postgres form of the audience queries (``simulate --sql postgres``) on a real
PostgreSQL server (tests/postgres_support.py; ``make postgres``): the example's audiences
and variant counts equal the app's, for every guide the text does not leave out.

The users go in as a warehouse would hold them: one typed column per attribute, the
nested ``account`` as ``jsonb`` (the text leaves out the guides that read it, saying why).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.audience_sql.simulate_table import simulate_table, warehouse_sql
from tests.core.test_audience_warehouse import NOW, example  # noqa: F401
from tests.postgres_support import Server, start_server

pytestmark = pytest.mark.engine

#: DuckDB's types of the users file, as Postgres spells them.
TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "HUGEINT": "numeric", "DOUBLE": "double precision",
         "BOOLEAN": "boolean", "INTEGER": "integer"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    yield from start_server()


def load_users(server: Server, table: Any, parquet: Path, folder: Path) -> None:
    """The Parquet users as the table ``users``: typed columns, structs as jsonb."""
    described = table.connection.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall()
    columns, selects = [], []
    for name, kind, *_ in described:
        quoted = '"' + name.replace('"', '""') + '"'
        if kind.startswith("STRUCT"):
            columns.append(f"{quoted} jsonb")
            selects.append(f"to_json({quoted})::VARCHAR AS {quoted}")
        else:
            columns.append(f"{quoted} {TYPES[kind]}")
            selects.append(quoted)
    csv_file = folder / "users.csv"
    table.connection.execute(f"COPY (SELECT {', '.join(selects)} FROM read_parquet('{parquet}')) "
                             f"TO '{csv_file}' (HEADER)")
    server.psql("-c", f"CREATE TABLE users ({', '.join(columns)})",
                "-c", f"\\copy users FROM '{csv_file}' CSV HEADER")


def test_the_postgres_form_gives_the_apps_audiences_and_variants(
        server: Server, example: tuple[dict[str, Any], Any, Path],  # noqa: F811
        tmp_path: Path) -> None:
    bundle, table, parquet = example
    load_users(server, table, parquet, tmp_path)
    text = warehouse_sql(bundle, table, NOW, "postgres")
    left_out = [line for line in text.splitlines() if "is not in this query" in line]
    # The script as printed, piped whole into psql.
    (got,) = server.table(script=text)
    report = simulate_table(bundle, table, NOW)
    assert int(got["users"]) == report.users == 600
    shown = [g for g in report.guides if not any(f"guide {g.id!r}" in line for line in left_out)]
    assert len(shown) == len(report.guides) - len(left_out) >= 4
    for k, guide in enumerate(shown):
        assert int(got[f"g{k}_undecided"]) == 0, guide.id
        assert int(got[f"g{k}_audience"]) == guide.audience, guide.id
        if guide.has_experiment:
            assert int(got[f"g{k}_not_hashed"]) == 0
            variations = list(guide.variations)
            counted = {variations[int(name.rsplit("_", 1)[1])]: int(n) for name, n in got.items()
                       if name.startswith(f"g{k}_variation_")}
            assert counted == guide.variations, guide.id
    assert any(0 < int(got[f"g{k}_audience"]) < 600 for k in range(len(shown)))
