"""The one step from a builder's SQL (DuckDB's dialect) to a warehouse's: parse with
sqlglot, make the few DuckDB-only constructs portable, put the inlined tables in front,
and generate the dialect's text. Anything sqlglot would carry over wrongly or not at all
is refused here with the reason, never printed as SQL that fails (or lies) on the
warehouse."""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError

from guidestudio.core.warehouse.dialects import SOURCE, check


class UnportableSQL(ValueError):
    """Builder SQL using a construct that does not mean the same on every warehouse."""


class BadTableName(ValueError):
    """A table name (``--events-table``) that is not one in the dialect."""


def parse(sql: str, dialect: str = SOURCE) -> exp.Expression:
    """One statement in ``dialect``; raises sqlglot's ParseError if it is not one."""
    return sqlglot.parse_one(sql, read=dialect, error_level=ErrorLevel.RAISE)


def _day_arithmetic(node: exp.Expression) -> exp.Expression:
    # DuckDB's ``t + to_days(n)`` reaches other dialects verbatim (no TO_DAYS there, and
    # ``INTERVAL (n) DAY`` loses ``n`` in Postgres and Snowflake); sqlglot's TimestampAdd
    # is written in each dialect's own way (TIMESTAMP_ADD, TIMESTAMPADD, + INTERVAL * n).
    if isinstance(node, exp.Add) and isinstance(node.expression, exp.ToDays):
        days = node.expression.this
        return exp.TimestampAdd(this=node.this, expression=days, unit=exp.var("DAY"))
    return node


def portable(tree: exp.Expression) -> exp.Expression:
    """``tree`` with DuckDB-only constructs in sqlglot's dialect-neutral form; raises
    UnportableSQL for those with no faithful form."""
    tree = tree.transform(_day_arithmetic)
    for node in tree.walk():
        if isinstance(node, exp.ToDays):
            raise UnportableSQL(f"{node.sql(SOURCE)}: days are portable only added to a "
                                "timestamp (t + to_days(n))")
        if isinstance(node, exp.ArgMin | exp.ArgMax):
            # No Postgres form, and with FILTER sqlglot filters only the value, not the
            # ordering (MIN_BY(IF(c, v, NULL), ts)): a wrong answer, not an error.
            raise UnportableSQL(f"{node.sql(SOURCE)}: arg_min/arg_max are not portable; "
                                "number the rows with row_number() and keep the first")
        if isinstance(node, exp.Join) and str(node.args.get("method") or "").upper() == "ASOF":
            # Passed through verbatim: BigQuery, Postgres and Spark have no ASOF JOIN, and
            # Snowflake's takes a MATCH_CONDITION instead.
            raise UnportableSQL("ASOF JOIN is DuckDB's; join on the condition and keep the "
                                "first row by row_number()")
        if isinstance(node, exp.Union) and node.args.get("by_name"):
            raise UnportableSQL("UNION BY NAME is not portable; list the columns")
        if isinstance(node, exp.ArrayAgg) and node.find(exp.Order):
            # Spark's COLLECT_LIST drops the ORDER BY without a word.
            raise UnportableSQL(f"{node.sql(SOURCE)}: an ordered list is not portable")
        if isinstance(node, exp.Anonymous):
            raise UnportableSQL(f"{node.sql(SOURCE)}: a function sqlglot does not know "
                                "would reach the warehouse verbatim")
    return tree


def table(name: str, dialect: str) -> exp.Table:
    """A table name as the warehouse's users write it (``analytics.guide_events``,
    BigQuery's ``project.dataset.table``), parsed so it can only ever be a name."""
    try:
        parsed = sqlglot.parse_one(name, into=exp.Table, read=check(dialect))
    except ParseError:
        parsed = None
    if (not isinstance(parsed, exp.Table) or not isinstance(parsed.this, exp.Identifier)
            or any(v is not None for k, v in parsed.args.items()
                   if k not in ("this", "db", "catalog"))):
        raise BadTableName(f"{name!r} is not a table name in {dialect} "
                           "(e.g. analytics.guide_events)")
    return parsed


def with_tables(query: exp.Expression, tables: Sequence[tuple[str, exp.Query]]) -> exp.Expression:
    """``query`` with ``tables`` as its first common table expressions, so its own can
    read them under their plain names (``events``, ``guides``)."""
    if not isinstance(query, exp.Query):
        raise UnportableSQL("only a query can be given tables")
    own = query.args.get("with_")
    ctes = [exp.CTE(this=body, alias=exp.TableAlias(this=exp.to_identifier(name)))
            for name, body in tables]
    query = query.copy()
    query.set("with_", exp.With(expressions=ctes + (list(own.expressions) if own else [])))
    return query


def _postgres_subqueries(tree: exp.Expression) -> exp.Expression:
    """``tree`` with each subquery read in FROM or JOIN named and fenced, for Postgres.

    Named: Postgres before 16 refuses one without ("subquery in FROM must have an
    alias"). Fenced with ``OFFSET 0``, which keeps the planner from pulling the subquery
    up into the query around it: the builders compute in layers (the hashing's state
    after each step is a column the next layer reads), and pulled up, every reference
    becomes a copy of the expression below it — the example's audience query took 33 s
    to plan, and grew with every layer."""
    tree = tree.copy()
    taken = {i.name for i in tree.find_all(exp.Identifier)}
    k = 0
    for node in list(tree.find_all(exp.Subquery)):
        if not isinstance(node.parent, exp.From | exp.Join):
            continue
        if not node.alias:
            while f"_gs_q{k}" in taken:
                k += 1
            node.set("alias", exp.TableAlias(this=exp.to_identifier(f"_gs_q{k}")))
            k += 1
        inner = node.this
        if isinstance(inner, exp.Select) and not inner.args.get("offset") \
                and not inner.args.get("limit"):
            inner.set("offset", exp.Offset(expression=exp.Literal.number(0)))
    return tree


def generate(tree: exp.Expression, dialect: str, pretty: bool = True) -> str:
    """The dialect's text; raises sqlglot's UnsupportedError for what it cannot write."""
    if check(dialect) == "postgres":
        tree = _postgres_subqueries(tree)
    return tree.sql(dialect=check(dialect), pretty=pretty,
                    unsupported_level=ErrorLevel.RAISE)


def transpile(sql: str, dialect: str, tables: Sequence[tuple[str, exp.Query]] = (),
              pretty: bool = True) -> str:
    """Builder SQL (DuckDB's dialect) as ``dialect``'s, reading ``tables`` first."""
    tree = portable(parse(sql))
    if tables:
        tree = with_tables(tree, tables)
    return generate(tree, dialect, pretty)
