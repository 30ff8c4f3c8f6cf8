"""Every reliability row with its quick trial count (CI); ``run.py --long`` runs the long counts."""

from __future__ import annotations

import pytest

from tests.reliability.rows import Row, all_rows

ROWS = all_rows()


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_row_has_no_failures(row: Row) -> None:
    failures = row.run(row.quick, 1)
    assert failures == [], "\n".join(failures[:20])


def test_the_rows_of_this_round_are_there() -> None:
    names = {row.name for row in ROWS}
    assert {"ReDoS time budget (Python and V8)", "output encodings (every command)",
            "hostile bundles in the runtime"} <= names


def test_the_save_rows_are_there() -> None:
    names = {row.name for row in ROWS}
    assert {"kill -9 during saves (one file, five-file rename)",
            "external writer 0–1 s from a save", "full disk during a save", "read-only files",
            "two windows on one project", "export during saves",
            "recovery journal under kill -9 (1–5 s after typing)",
            "saves keep untouched files byte-identical"} <= names
