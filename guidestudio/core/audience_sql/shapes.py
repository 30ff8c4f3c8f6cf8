"""What the SQL compiler knows about an attribute: its kind and how to read it.

A condition means the same thing whatever engine runs it only if the compiler
knows, per attribute, which JavaScript values the column can hold. A typed
column (VARCHAR, BIGINT, DOUBLE, BOOLEAN, lists and structs of those) holds one
kind of value or null; anything else (JSON, a type JavaScript has no value for)
is *opaque*: the compiler leaves its rows undecided, and the Python evaluator
answers for them. ``Value`` is an attribute as the compiler sees it: the SQL
that reads it and the SQL that says it is missing (null and missing are the
same to the evaluator).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Kinds of value a typed attribute holds (besides null).
STR, INT, FLOAT, BOOL, LIST, OBJ, OPAQUE, NONE = (
    "str", "int", "float", "bool", "list", "obj", "opaque", "none")

_SCALARS = {
    "VARCHAR": STR, "BIGINT": INT, "INTEGER": INT, "SMALLINT": INT, "TINYINT": INT,
    "UTINYINT": INT, "USMALLINT": INT, "UINTEGER": INT, "UBIGINT": INT, "HUGEINT": INT,
    "UHUGEINT": INT, "DOUBLE": FLOAT, "FLOAT": FLOAT,
    "BOOLEAN": BOOL,
}


@dataclass(frozen=True)
class Shape:
    """The kind of an attribute; ``element`` for lists, ``fields`` for objects."""

    kind: str
    element: Shape | None = None
    fields: tuple[tuple[str, Shape], ...] = ()
    why: str = ""  # for an opaque shape: what the column is, for the message

    def field(self, name: str) -> Shape | None:
        for key, shape in self.fields:
            if key == name:
                return shape
        return None


def shape_of_duckdb_type(duck_type: object) -> Shape:
    """The shape of a DuckDB column type (``DuckDBPyType``)."""
    text = str(duck_type)
    if text in _SCALARS:
        return Shape(_SCALARS[text])
    type_id = getattr(duck_type, "id", "")
    if type_id == "list":
        child = duck_type.children[0][1]  # type: ignore[attr-defined]
        return Shape(LIST, element=shape_of_duckdb_type(child))
    if type_id == "struct":
        children = duck_type.children  # type: ignore[attr-defined]
        return Shape(OBJ, fields=tuple((name, shape_of_duckdb_type(t)) for name, t in children))
    return Shape(OPAQUE, why=text)


@dataclass(frozen=True)
class Value:
    """An attribute as SQL reads it: ``sql`` its value (when not missing), ``missing``
    a SQL boolean that is true where the user has no value (or null)."""

    shape: Shape
    sql: str
    missing: str
    # For an object made of dotted columns (``events.login.count``): its members.
    members: dict[str, Value] = field(default_factory=dict)
    # Known of this table's data: an integer column within +-2**53, a float column
    # without NaN (their per-row guards then fold away).
    exact: bool = False

    @property
    def kind(self) -> str:
        return self.shape.kind
