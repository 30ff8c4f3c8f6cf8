"""A small table of the project's own data (its guides, their goals and windows) written
into the query as ``VALUES``, so nothing has to be uploaded to the warehouse first and
every value reaches it as a literal sqlglot quotes for the dialect, never as SQL text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlglot import exp

from guidestudio.core.warehouse.dialects import SOURCE

Value = str | int | float | bool | None


def _literal(value: Value) -> exp.Expression:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def values_table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Value]],
                 alias: str = "t") -> exp.Select:
    """``SELECT * FROM (VALUES …) AS alias(columns)``; ``columns`` are (name, type in
    DuckDB's dialect). The first row's values and every NULL carry their type, so each
    engine infers the columns' types from the data alone (a column of NULLs included).
    BigQuery, which has no VALUES, gets sqlglot's UNNEST of STRUCTs. No rows: one row of
    NULLs that a ``WHERE FALSE`` removes, since VALUES cannot be empty."""
    types = [exp.DataType.build(kind, dialect=SOURCE) for _, kind in columns]
    tuples = []
    given = [list(r) for r in rows]
    for i, row in enumerate(given or [[None] * len(columns)]):
        if len(row) != len(columns):
            raise ValueError(f"row {i + 1} has {len(row)} values for {len(columns)} columns")
        cells = [exp.cast(_literal(v), to.copy()) if i == 0 or v is None else _literal(v)
                 for v, to in zip(row, types, strict=True)]
        tuples.append(exp.Tuple(expressions=cells))
    source = exp.Values(expressions=tuples, alias=exp.TableAlias(
        this=exp.to_identifier(alias),
        columns=[exp.to_identifier(name) for name, _ in columns]))
    select = exp.select("*").from_(source)
    return select if given else select.where(exp.false())
