"""A users table for the SQL compiler made from users read in Python (JSON Lines,
CSV, profiles): what ``simulate --sql`` needs from a file that has no column types
of its own.

Each column's type is what its values are after the Python reader typed them
(CSV cells as the product would send them, ``readers.parse_csv_value``), so the
SQL written for the warehouse reads the attributes the evaluator sees: one JSON
kind → that column type (VARCHAR, BIGINT, DOUBLE, BOOLEAN, a list of one scalar
kind); several kinds → JSON, whose clauses the warehouse query reports as
undecided rather than guessing. Objects become dotted columns, as a CSV header
writes them; a key that is an object for some users and not for others is one
JSON column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from guidestudio.core.audience_sql.shapes import shape_of_duckdb_type
from guidestudio.core.audience_sql.tables import UsersTable, quote_ident

_MAX_BIGINT = 2**63 - 1


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT" if -_MAX_BIGINT <= value <= _MAX_BIGINT else "JSON"
    if isinstance(value, float):
        return "DOUBLE"
    if isinstance(value, str):
        return "VARCHAR"
    if isinstance(value, list):
        kinds = {_kind(v) for v in value if v is not None}
        if len(kinds) == 1 and next(iter(kinds)) in ("BOOLEAN", "BIGINT", "DOUBLE", "VARCHAR"):
            return next(iter(kinds)) + "[]"
        return "JSON" if kinds else "EMPTY[]"
    return "JSON"


def _column_type(kinds: set[str]) -> str:
    kinds = kinds - {"EMPTY[]"} if kinds != {"EMPTY[]"} else {"VARCHAR[]"}
    if kinds == {"BIGINT", "DOUBLE"}:
        return "DOUBLE"
    if kinds == {"BIGINT[]", "DOUBLE[]"}:
        return "DOUBLE[]"
    return next(iter(kinds)) if len(kinds) == 1 else "JSON"


def _objects(users: list[Mapping[str, Any]], prefix: str = "") -> dict[str, str]:
    """Dotted column name → type, for the users' (nested) attributes."""
    seen: dict[str, list[Any]] = {}
    for user in users:
        for key, value in user.items():
            if value is not None:
                seen.setdefault(key, []).append(value)
    columns: dict[str, str] = {}
    for key, values in seen.items():
        name = prefix + key
        if "." in key or not key:
            columns[name] = "JSON!"  # a dotted key is not a path: keep it whole
        elif all(isinstance(v, dict) for v in values):
            columns.update(_objects(values, name + "."))
        elif any(isinstance(v, dict) for v in values):
            columns[name] = "JSON"
        else:
            columns[name] = _column_type({_kind(v) for v in values})
    return columns


def _cell(user: Mapping[str, Any], name: str, kind: str) -> Any:
    node: Any = user
    for part in name.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if node is None:
        return None
    if kind == "JSON":
        return json.dumps(node, ensure_ascii=False)
    return node


def users_table(users: Iterable[Mapping[str, Any]], label: str) -> UsersTable:
    """An in-memory DuckDB table of ``users`` with the columns described above."""
    import duckdb

    rows = list(users)
    # A key with a dot in it is no path a condition can reach (paths split on dots).
    columns = {n: t for n, t in _objects(rows).items() if t != "JSON!"}
    con = duckdb.connect()
    names = list(columns)
    if not names:
        con.execute("CREATE TABLE users (_gs_none BOOLEAN)")
        con.executemany("INSERT INTO users VALUES (NULL)", [()] * len(rows))
        return UsersTable(con, "users", label, [])
    con.execute("CREATE TABLE users (" + ", ".join(
        f"{quote_ident(n)} {columns[n]}" for n in names) + ")")
    marks = ", ".join("?" for _ in names)
    con.executemany(f"INSERT INTO users VALUES ({marks})",
                    [[_cell(u, n, columns[n]) for n in names] for u in rows])
    relation = con.sql("SELECT * FROM users LIMIT 0")
    shapes = [(n, shape_of_duckdb_type(t))
              for n, t in zip(relation.columns, relation.types, strict=True)]
    return UsersTable(con, "users", label, shapes)
