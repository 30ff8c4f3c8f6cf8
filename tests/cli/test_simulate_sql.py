"""``simulate --users FILE --sql DIALECT`` for every input: JSON Lines, CSV and tables.

For a file without column types (JSON Lines, CSV) the columns are typed as the
Python reader types the values; the DuckDB form, run over those users, gives the
Python engine's report guide by guide and variant by variant.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core import simulate
from guidestudio.core.audience_sql.from_users import users_table
from tests.cli.test_simulate import NOW, _profile_users, run, run_json, write_jsonl
from tests.conftest import EXAMPLE_PROJECT


def _flat(user: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in user.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            out[prefix + key] = value
    return out


def _write_csv(path: Path, users: list[dict[str, Any]]) -> Path:
    rows = [_flat(u) for u in users]
    header = sorted({k for r in rows for k in r})
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(header)
        for r in rows:
            writer.writerow(["" if r.get(k) is None else
                             json.dumps(r[k]) if isinstance(r[k], bool) else str(r[k])
                             for k in header])
    return path


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_the_duckdb_form_for_a_file_gives_the_python_engines_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    people = _profile_users(300)
    path = (write_jsonl(tmp_path / "users.jsonl", people) if kind == "jsonl"
            else _write_csv(tmp_path / "users.csv", people))
    code, text, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(path), "--now", NOW,
                          "--sql", "duckdb")
    assert code == 0, err
    expected = run_json(capsys, str(EXAMPLE_PROJECT), "--users", str(path), "--now", NOW)
    source = simulate.open_users(path)
    table = users_table([u for chunk in simulate.read_users(source) for u in chunk[0]], "u")
    cursor = table.connection.execute(text)
    got = dict(zip([d[0] for d in cursor.description], cursor.fetchall()[0], strict=True))
    assert got["users"] == expected["users"] == 300
    experiments = 0
    for k, guide in enumerate(expected["guides"]):
        assert got[f"g{k}_undecided"] == 0, guide["id"]
        assert got[f"g{k}_audience"] == guide["audience"], guide["id"]
        if guide.get("control") is not None:  # an experiment: variation 0 is the control
            counted = [n for c, n in got.items() if c.startswith(f"g{k}_variation_")]
            assert counted == [guide["control"]["count"],
                               *(v["count"] for v in guide["variants"])], guide["id"]
            experiments += 1
    assert experiments == 2
    assert any(0 < got[f"g{k}_audience"] < 300 for k in range(len(expected["guides"])))


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "postgres", "spark"])
def test_a_guide_a_warehouse_cannot_take_is_left_out_with_the_reason(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str) -> None:
    """The example's trial tour compares app versions: regex keys, RE2 only."""
    path = write_jsonl(tmp_path / "users.jsonl", _profile_users(50))
    code, text, err = run(capsys, str(EXAMPLE_PROJECT), "--users", str(path), "--now", NOW,
                          "--sql", dialect)
    assert code == 0, err
    left_out = [line for line in text.splitlines() if "is not in this query" in line]
    assert any("trial-conversion-tour" in line for line in left_out), text[:2000]
    assert all(line.split("is not in this query: ")[1] for line in left_out)
    assert "storage-almost-full" in text and "g0_audience" in text.lower()
