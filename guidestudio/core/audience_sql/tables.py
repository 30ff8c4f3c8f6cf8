"""A users table for the SQL engine: where it is, its columns, its rows as JSON.

One column per attribute; a dotted column name (``events.login.count``,
``account.plan``) is a path, as in a CSV header; nested attributes may also
be STRUCT columns. The column types say what each attribute holds
(``shapes``); a type no JSON value has (DATE, DECIMAL, MAP…) is refused with
a message naming the column, because the product would have sent something
else and we would be guessing what.

``row_attributes`` turns a fetched row back into the attributes the Python
evaluator sees (nulls are missing attributes), for the rows SQL leaves
undecided and for ``--explain``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidestudio.core.audience_sql import sql_text as q
from guidestudio.core.audience_sql.shapes import OBJ, OPAQUE, Shape, Value, shape_of_duckdb_type


class TableError(Exception):
    """The users table cannot be used (missing, unreadable, a column of a type
    no attribute has): one line for the person."""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check_shape(column: str, shape: Shape) -> None:
    if shape.kind == OPAQUE and shape.why != "JSON":
        raise TableError(f"column {column!r} has type {shape.why}, which no JSON attribute "
                         "value has; cast it to VARCHAR, a number, BOOLEAN, a list or a STRUCT")
    if shape.element is not None:
        _check_shape(column, shape.element)
    for name, sub in shape.fields:
        _check_shape(f"{column}.{name}", sub)


@dataclass(frozen=True)
class ColumnFacts:
    """What a scan found in one column: any null; every integer within +-2**53
    (an integer column) or no NaN (a float column)."""

    nulls: bool
    exact: bool


def column_facts(table: UsersTable) -> dict[str, ColumnFacts]:
    """One scan for the facts of the table's scalar columns (text, numbers, booleans)."""
    from guidestudio.core.audience_sql.shapes import BOOL, FLOAT, INT, STR

    wanted = [(n, s.kind) for n, s in table.columns if s.kind in (STR, INT, FLOAT, BOOL)]
    if not wanted:
        return {}
    aggs = []
    for name, kind in wanted:
        c = quote_ident(name)
        aggs.append(f"count({c}) < count(*)")
        if kind == INT:
            aggs.append(f"coalesce(min({c}) >= -{2**53} AND max({c}) <= {2**53}, TRUE)")
        elif kind == FLOAT:
            aggs.append(f"count_if(isnan({c})) = 0")
        else:
            aggs.append("TRUE")
    row = table.connection.execute(f"SELECT {', '.join(aggs)} FROM {table.source}").fetchall()[0]
    return {name: ColumnFacts(bool(row[2 * k]), bool(row[2 * k + 1]))
            for k, (name, _) in enumerate(wanted)}


@dataclass
class UsersTable:
    """A DuckDB connection and the SQL that reads the users (``source``)."""

    connection: Any
    source: str
    label: str
    columns: list[tuple[str, Shape]] = field(default_factory=list)

    def root(self, overlay: Mapping[str, Any] | None = None,
             facts: Mapping[str, ColumnFacts] | None = None) -> Value:
        """The user's attributes as one object value; ``overlay`` (the
        ``events`` counters the runtime computes) sits under the table's own
        ``events``, whose values win where present (``behaviour.merge_attributes``).
        ``events`` is always an object, as the runtime always makes it one, even
        for a user without a value there or a condition that counts no event.
        ``facts`` (``column_facts``): what this table's data is known to hold, so
        the SQL may skip a column's null or range checks (true of this data only)."""
        facts = facts or {}
        tree: dict[str, Any] = {}
        for name, shape in self.columns:
            parts = name.split(".")
            node = tree
            for part in parts[:-1]:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise TableError(f"column {name!r} conflicts with column {part!r}")
                node = child
            if parts[-1] in node:
                raise TableError(f"column {name!r} conflicts with another column")
            sql = quote_ident(name)
            known = facts.get(name)
            missing = q.FALSE if known is not None and not known.nulls else f"({sql} IS NULL)"
            node[parts[-1]] = Value(shape, sql, missing,
                                    exact=known is not None and known.exact)
        events = tree.get("events")
        if isinstance(events, Value):  # a STRUCT column: its fields, for the counters to merge into
            tree["events"] = _fields(events)
        return _virtual(tree, {"events": dict(overlay or {})})

    def attributes(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return row_attributes([name for name, _ in self.columns],
                              [shape for _, shape in self.columns], row)


def _constant(value: Any) -> Value:
    from guidestudio.core.audience_sql.shapes import BOOL, FLOAT, INT, STR
    if isinstance(value, bool):
        return Value(Shape(BOOL), q.boolean(value), q.FALSE)
    if isinstance(value, int):
        return Value(Shape(INT), q.number(value), q.FALSE)
    if isinstance(value, float):
        return Value(Shape(FLOAT), q.number(value), q.FALSE)
    if isinstance(value, str) and q.encodable(value):
        return Value(Shape(STR), q.string(value), q.FALSE)
    if isinstance(value, Mapping):
        return _virtual({}, value, present=True)
    return Value(Shape(OPAQUE), "NULL", q.FALSE)


class _Fields(dict):  # type: ignore[type-arg]
    """A STRUCT column's fields by name, and when the struct itself is missing:
    a struct whose fields are all NULL is still an object (``{}``)."""

    def __init__(self, fields: Mapping[str, Any], missing: str) -> None:
        super().__init__(fields)
        self.missing = missing


def _fields(value: Value) -> Any:
    """``value`` as a tree of its fields when it is a STRUCT column (else itself),
    so that an overlay merges into it key by key, as the runtime's merge does."""
    if value.kind != OBJ or not value.sql or value.members:
        return value
    fields = {}
    for name, shape in value.shape.fields:
        sql = f"struct_extract({value.sql}, {q.string(name)})"
        fields[name] = _fields(Value(shape, sql, f"({sql} IS NULL)"))
    return _Fields(fields, value.missing)


def _virtual(tree: Mapping[str, Any], overlay: Mapping[str, Any], present: bool = False) -> Value:
    """An object made of columns (and constants under them); ``present``: the
    object exists whatever its columns hold (the overlay gives it, even empty)."""
    members: dict[str, Value] = {}
    for key in dict.fromkeys([*overlay.keys(), *tree.keys()]):
        own = tree.get(key)
        base = overlay.get(key)
        if isinstance(own, dict):
            merged = isinstance(base, Mapping)
            members[key] = _virtual(own, base if merged else {}, present=merged)
            if key in overlay and not isinstance(base, Mapping):
                members[key] = Value(Shape(OPAQUE), "NULL", q.FALSE)  # mixed: evaluator
        elif own is None:
            members[key] = _constant(base)
        elif key not in overlay or base is None:
            members[key] = own
        elif own.kind == _constant(base).kind:
            members[key] = Value(own.shape, f"COALESCE({own.sql}, {_constant(base).sql})",
                                 q.FALSE)
        else:
            members[key] = Value(Shape(OPAQUE), "NULL", q.FALSE)
    if overlay or present:
        missing = q.FALSE
    elif isinstance(tree, _Fields):
        missing = tree.missing
    else:
        missing = q.and_(m.missing for m in members.values())
    return Value(Shape(OBJ), "", missing, members)


def _to_json(value: Any, shape: Shape) -> Any:
    """A fetched value as the JSON value it stands for (nulls in objects dropped)."""
    if value is None:
        return None
    if shape.kind == OPAQUE:  # JSON text
        return json.loads(value) if isinstance(value, str) else value
    if shape.kind == OBJ:
        out = {}
        for name, sub in shape.fields:
            v = _to_json(value.get(name), sub)
            if v is not None:
                out[name] = v
        return out
    if shape.element is not None:
        return [_to_json(v, shape.element) for v in value]
    if isinstance(value, float) and value.is_integer() and not math.isinf(value) \
            and abs(value) <= 2**53:
        return value
    return value


def row_attributes(names: list[str], shapes: list[Shape], row: tuple[Any, ...]
                   ) -> dict[str, Any]:
    """A row as the user's attributes: dotted names nest, nulls are missing."""
    user: dict[str, Any] = {}
    for name, shape, cell in zip(names, shapes, row, strict=True):
        value = _to_json(cell, shape)
        if value is None:
            continue
        if "." not in name:
            user[name] = value
            continue
        parts = name.split(".")
        node = user
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return user


def open_table(spec: str | Path, connection: Any = None) -> UsersTable:
    """A Parquet file, or ``file.duckdb:table``."""
    import duckdb

    text = str(spec)
    con = connection if connection is not None else duckdb.connect()
    path_text, _, table = text.partition(".duckdb:")
    try:
        if table:
            path = Path(path_text + ".duckdb")
            if not path.is_file():
                raise TableError(f"{path}: no such DuckDB database")
            con.execute(f"ATTACH {q.string(str(path))} AS users_db (READ_ONLY)")
            source = f"users_db.{quote_ident(table)}"
        else:
            path = Path(text)
            if not path.is_file():
                raise TableError(f"{text}: no such file")
            suffix = path.suffix.lower()
            if suffix == ".parquet":
                source = f"read_parquet({q.string(text)})"
            else:
                # CSV and JSON Lines keep the Python reader: its typing of CSV
                # cells ("007" is text) and its `events` history are not DuckDB's.
                raise TableError(f"{text}: the SQL engine reads .parquet files and "
                                 "file.duckdb:table")
        relation = con.sql(f"SELECT * FROM {source} LIMIT 0")
        columns = [(name, shape_of_duckdb_type(t))
                   for name, t in zip(relation.columns, relation.types, strict=True)]
    except duckdb.Error as exc:
        raise TableError(f"{text}: cannot be read ({str(exc).splitlines()[0]})") from None
    for name, shape in columns:
        _check_shape(name, shape)
    return UsersTable(con, source, text, columns)


def iter_attributes(table: UsersTable, chunk: int = 4096) -> Iterator[list[dict[str, Any]]]:
    """Every row's attributes, in chunks (the Python path, for ``--explain`` and
    the benchmark's comparison)."""
    names = ", ".join(quote_ident(n) for n, _ in table.columns)
    cursor = table.connection.execute(f"SELECT {names} FROM {table.source}")
    while True:
        rows = cursor.fetchmany(chunk)
        if not rows:
            return
        yield [table.attributes(r) for r in rows]
