"""The audience SQL (DuckDB's dialect) made to mean the same on each warehouse, or refused.

sqlglot carries most of the audience SQL over faithfully, but some constructs it
writes verbatim or into functions the warehouse has with other semantics. This
module rewrites the few that have a faithful form and refuses, with the reason a
person can act on, those that do not:

* bitwise operators are parenthesised (BigQuery's ``a ^ b * c`` is ``a ^ (b * c)``);
* ``isnan`` becomes ``x = 'NaN'`` where NaN equals itself (Postgres, Snowflake);
* a list's length is ``CARDINALITY`` on Postgres (``ARRAY_LENGTH`` is NULL for ``{}``);
* the byte length of text is ``OCTET_LENGTH`` (BigQuery: ``BYTE_LENGTH``);
* integer division is cast back to BIGINT on Postgres (its ``DIV`` is NUMERIC);
* ``regexp_replace(…, 'g')`` loses its flag on BigQuery (which replaces every match);
* refused: regexes outside RE2 (DuckDB, BigQuery), list lambdas on BigQuery and
  Postgres, STRUCT fields on Snowflake and Postgres, list indexes where an index past
  the end is an error (BigQuery, Spark in ANSI mode), text order on Postgres (the
  database's collation decides it, not code points).

What is allowed was checked on the real engine where we have one (DuckDB, and Spark
in ``make spark``); for the others it follows their documentation.
"""

from __future__ import annotations

from sqlglot import exp

from guidestudio.core.warehouse.transpile import UnportableSQL

_RE2 = frozenset(("duckdb", "bigquery"))
_REGEX = (exp.RegexpLike, exp.RegexpReplace, exp.RegexpSplit, exp.RegexpExtract,
          exp.RegexpILike, exp.RegexpFullMatch)
_BITWISE = (exp.BitwiseXor, exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseRightShift,
            exp.BitwiseLeftShift)
_ORDER = (exp.GT, exp.GTE, exp.LT, exp.LTE)


def _is_text(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def prepare(tree: exp.Expression) -> exp.Expression:
    """DuckDB's byte length of text (``octet_length(encode(x))``, which sqlglot does
    not know) as sqlglot's ``ByteLength``, before the unknown functions are refused."""

    def one(node: exp.Expression) -> exp.Expression:
        if (isinstance(node, exp.Anonymous) and node.name.lower() == "octet_length"
                and len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Encode)):
            return exp.ByteLength(this=node.expressions[0].this)
        return node

    return tree.transform(one)


def check(tree: exp.Expression, dialect: str) -> None:
    """Raise UnportableSQL (the reason) where ``tree`` would not mean the same on
    ``dialect``."""
    if dialect == "duckdb":
        return
    for node in tree.walk():
        if isinstance(node, _REGEX) and dialect not in _RE2:
            raise UnportableSQL(f"a regex or version comparison is written for RE2 "
                                f"(DuckDB, BigQuery); {dialect}'s regular expressions differ")
        if isinstance(node, (exp.RegexpSplit, exp.RegexpFullMatch)) and dialect != "duckdb":
            raise UnportableSQL(f"a version comparison ($vgt, $vlt…) splits text by regex, "
                                f"which {dialect} has no function for")
        if isinstance(node, exp.Lambda) and dialect in ("bigquery", "postgres"):
            raise UnportableSQL(f"a condition on a list attribute ($elemMatch, $all, $in on "
                                f"a list) needs array lambdas, which {dialect} lacks")
        if isinstance(node, exp.StructExtract) and dialect in ("snowflake", "postgres"):
            raise UnportableSQL(f"a nested attribute read from a STRUCT column: {dialect} "
                                "stores those differently; flatten it into dotted columns")
        if isinstance(node, exp.Bracket) and dialect in ("bigquery", "spark"):
            raise UnportableSQL(f"a list element by index (tags.0): an index past the end "
                                f"is an error on {dialect}, not a missing value")
        if (isinstance(node, _ORDER) and dialect == "postgres"
                and (_is_text(node.expression) or _is_text(node.this))):
            raise UnportableSQL("text compared by order ($lt, $gt on text): Postgres orders "
                                "text by the database's collation, not by code point")


def rewrite(tree: exp.Expression, dialect: str) -> exp.Expression:
    """``tree`` with the rewrites above for ``dialect`` (after ``check``)."""
    if dialect == "duckdb":
        return tree

    tree = tree.copy()
    # In place, every one of them: ``transform`` does not visit below a node it replaced.
    for node in list(tree.find_all(*_BITWISE)):
        if not isinstance(node.parent, exp.Paren):
            paren = exp.Paren()
            node.replace(paren)
            paren.set("this", node)

    def one(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.IsNan) and dialect in ("postgres", "snowflake"):
            nan = exp.Cast(this=exp.Literal.string("NaN"), to=exp.DataType.build("DOUBLE"))
            return exp.Paren(this=exp.EQ(this=node.this, expression=nan))
        if isinstance(node, exp.IntDiv) and dialect == "postgres":
            # Postgres's DIV() is NUMERIC, which its bitwise operators do not take.
            return exp.Cast(this=node, to=exp.DataType.build("BIGINT"))
        if isinstance(node, exp.ByteLength) and dialect != "bigquery":
            return exp.Anonymous(this="OCTET_LENGTH", expressions=[node.this])
        if isinstance(node, exp.ArraySize) and dialect == "postgres":
            return exp.Anonymous(this="CARDINALITY", expressions=[node.this])
        if isinstance(node, exp.RegexpReplace) and dialect == "bigquery":
            modifiers = node.args.get("modifiers")
            if modifiers is not None and modifiers.name == "g":
                node = node.copy()
                node.set("modifiers", None)
        return node

    return tree.transform(one)
