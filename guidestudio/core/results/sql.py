"""Quoting for the SQL the results queries are built from (DuckDB dialect).

Names and values from event files and projects reach SQL only through these two
functions, so a guide id or a file name with a quote in it cannot change a query.
"""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """A column name (or JSON path key) in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """A string literal in single quotes."""
    return "'" + value.replace("'", "''") + "'"
