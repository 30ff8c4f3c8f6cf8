"""Generated users in a typed DuckDB table, for the SQL-vs-evaluator tests.

Every column holds one kind of value or null, with the values where JS and
SQL part ways: numeric strings (" 5 ", "0x5", "1e400"), -0, NaN, infinity,
integers beyond 2**53, non-BMP characters, empty strings and lists, null list
elements, version strings with pre-release tags and build suffixes.
"""

from __future__ import annotations

import math
import random
from typing import Any

from guidestudio.core.audience_sql.tables import UsersTable

TEXTS = ["free", "pro", "", "1", "1.0", " 5 ", "0x5", "true", "2.4.1", "10.0.0", "Ünï", "😀",
         "a@acme.com", "B@EXAMPLE.ORG", "null", "abc", "1e400", "-0", "5", "Infinity", "ſ",
         "K", "x\ny", "v10", "2.0.0-rc.1", "2.0.0+build.5", "1.2", "\ue000", "İ"]
VERSIONS = ["2.0.0", "v10", "1.9.9", "2.0.0-rc.1", "2.0.0+abc", "", "10.0.0", "2", "v2.0.0",
            "1.2.3.4", "abc", "2.0.0-beta", "😀1.0", "99999.1.1"]
INTS = [0, 1, -1, 2, 90, 100, 2**53 + 1, 2**53, -(2**53) - 2, 5]
FLOATS = [0.0, -0.0, 1.5, 2.5, 90.0, 1.0, math.nan, math.inf, -math.inf, 1e21, 0.1]
COLUMNS = ("uid BIGINT, id VARCHAR, plan VARCHAR, n BIGINT, score DOUBLE, beta BOOLEAN, "
           "tags VARCHAR[], nums BIGINT[], v VARCHAR, email VARCHAR, "
           "account STRUCT(age BIGINT, plan VARCHAR, tags VARCHAR[]), "
           "items STRUCT(x VARCHAR, count BIGINT)[], \"events.login.count\" BIGINT, "
           "meta JSON")
PATHS = ["plan", "n", "score", "beta", "tags", "nums", "v", "email", "account", "account.age",
         "account.plan", "account.tags", "items", "events.login.count", "tags.0", "tags.length",
         "meta", "meta.a", "missing", "id"]


def _maybe(rng: random.Random, value: Any, p: float = 0.15) -> Any:
    return None if rng.random() < p else value


def users(count: int, seed: int = 1) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    rows = []
    for uid in range(count):
        ident = rng.choice([f"u{rng.getrandbits(40):x}", f"user-{uid}", f"{uid}", "",
                            f"ü-{uid}", f"😀{uid}", f"acct_{uid:08d}"]
                           if rng.random() < 0.2 else [f"u-{rng.getrandbits(48):012x}"])
        tags = _maybe(rng, [rng.choice(TEXTS + [None]) for _ in range(rng.randint(0, 3))])
        nums = _maybe(rng, [rng.choice(INTS[:6]) for _ in range(rng.randint(0, 3))])
        account = _maybe(rng, {"age": _maybe(rng, rng.choice(INTS)),
                               "plan": _maybe(rng, rng.choice(TEXTS)),
                               "tags": _maybe(rng, [rng.choice(TEXTS) for _ in range(2)])})
        items = _maybe(rng, [_maybe(rng, {"x": _maybe(rng, rng.choice(TEXTS)),
                                          "count": _maybe(rng, rng.choice(INTS))})
                             for _ in range(rng.randint(0, 2))])
        meta = _maybe(rng, rng.choice(['{"a": 1}', '{"a": "free"}', "[1, 2]", '"text"', "3",
                                       '{"a": null}']))
        rows.append((uid, _maybe(rng, ident, 0.05), _maybe(rng, rng.choice(TEXTS)),
                     _maybe(rng, rng.choice(INTS)), _maybe(rng, rng.choice(FLOATS)),
                     _maybe(rng, rng.random() < 0.5), tags, nums,
                     _maybe(rng, rng.choice(VERSIONS)),
                     _maybe(rng, rng.choice(["ann@acme.com", "bob@example.org", "x@ACME.COM",
                                             "zoë@acme.com", "no-at-sign", "😀@acme.com"])),
                     account, items, _maybe(rng, rng.randint(0, 12), 0.4), meta))
    return rows


def users_table(count: int, seed: int = 1) -> UsersTable:
    """A fresh in-memory DuckDB table of ``count`` generated users."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE users ({COLUMNS})")
    con.executemany(f"INSERT INTO users VALUES ({', '.join(['?'] * 14)})", users(count, seed))
    return _from_connection(con)


def _from_connection(con: Any) -> UsersTable:
    from guidestudio.core.audience_sql.shapes import shape_of_duckdb_type
    relation = con.sql("SELECT * FROM users LIMIT 0")
    columns = [(n, shape_of_duckdb_type(t)) for n, t in zip(relation.columns, relation.types,
                                                            strict=True)]
    return UsersTable(con, "users", "users", columns)
