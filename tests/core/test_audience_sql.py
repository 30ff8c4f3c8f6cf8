"""Conditions and variant assignment in SQL against the Python evaluator.

Generated users (``audience_users``: the values where JavaScript and SQL part
ways) × generated conditions (the eligibility tests' generators, on this
table's paths): for every condition the SQL count equals ``eval_condition``'s
count, every row SQL decides is decided as the evaluator decides it, and
every variant assignment equals ``choose_variation``'s (through
``PreparedExperiment``, held to it by test_eligibility). ``make test`` runs
2,000 users; ``make audiences-100k`` the same check on 100,000.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core import eligibility
from guidestudio.core.audience_sql import Audience, count
from guidestudio.core.audience_sql.engine import build
from guidestudio.core.audience_sql.regex_re2 import re2_pattern
from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.targeting import eval_condition
from tests.core import audience_users
from tests.core.test_eligibility import LEAF_VALUES

USERS = int(os.environ.get("GUIDESTUDIO_AUDIENCE_USERS", "2000"))
BATCH = 16  # conditions per query


@pytest.fixture(scope="module")
def table() -> Any:
    return audience_users.users_table(USERS)


@pytest.fixture(scope="module")
def attributes(table: Any) -> list[dict[str, Any]]:
    return [table.attributes(r) for r in
            table.connection.execute("SELECT * FROM users ORDER BY uid").fetchall()]


def _conditions() -> st.SearchStrategy[Any]:
    leaf = st.dictionaries(st.sampled_from(audience_users.PATHS), LEAF_VALUES, min_size=1,
                           max_size=2)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda xs: {"$and": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda xs: {"$or": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda xs: {"$nor": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda x: {"$not": x}, inner),
            st.builds(lambda a, b: {**a, **b} if isinstance(a, dict) else b, inner, leaf),
            st.just({"$or": "not a list"}),
        ),
        max_leaves=6,
    )


EXPERIMENTS = st.fixed_dictionaries({
    "key": st.sampled_from(["e1", "checkout-2026", "ü-exp"]),
    "seed": st.sampled_from([None, "", "seed-a", "s😀"]),
    "variations": st.sampled_from([["a", "b"], ["c", "a", "b"], ["x"]]),
    "coverage": st.sampled_from([1, 0.5, 0.01, 0]),
    "namespace": st.sampled_from([None, ["ns", 0, 0.5], ["ns", 0.3, 1], ["bad"], ["ünï", 0, 0.5]]),
})

@settings(max_examples=int(os.environ.get("GUIDESTUDIO_AUDIENCE_EXAMPLES", "16")),
          deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.function_scoped_fixture])
@given(st.lists(_conditions(), min_size=BATCH, max_size=BATCH),
       st.lists(EXPERIMENTS, min_size=BATCH, max_size=BATCH))
def test_sql_counts_and_assignments_equal_the_evaluator(
        table: Any, attributes: list[dict[str, Any]], conditions: list[Any],
        experiments: list[dict[str, Any]]) -> None:
    # An experiment on every fourth audience: each costs a fixed ~0.1 s to plan.
    prepared = [PreparedExperiment({"experiment": e}) if k % 4 == 0 else None
                for k, e in enumerate(experiments)]
    audiences = [Audience(c, p) for c, p in zip(conditions, prepared, strict=True)]
    # distinct_limit=0: every clause as SQL (the per-value shortcut is tested below).
    users, results = count(table, audiences, distinct_limit=0)
    assert users == len(attributes)
    context = {"hash_attribute": "id"}
    # Row by row: what SQL decides, it decides as the evaluator does.
    plan = build(table, audiences, "id", None, [14], distinct_limit=0)
    ordered = plan.select.replace(" FROM users", " FROM (SELECT * FROM users ORDER BY uid)")
    flags = ", ".join(f"a{i}" for i in range(BATCH))
    sql_rows = table.connection.execute(f"SELECT {flags} FROM ({ordered})").fetchall()
    for i, (condition, experiment) in enumerate(zip(conditions, prepared, strict=True)):
        matched = 0
        buckets: Counter[int] = Counter()
        missing = 0
        for user, row in zip(attributes, sql_rows, strict=True):
            expected = eval_condition(user, condition)
            if row[i] is not None:
                assert row[i] is expected, (condition, user)
            if expected:
                matched += 1
                if experiment is None:
                    continue
                value = eligibility.hash_attribute_value(user, context)
                if value is None:
                    missing += 1
                else:
                    buckets[experiment.buckets([value])[0]] += 1
        assert results[i].matched == matched, condition
        if experiment is not None:
            assert results[i].buckets == buckets, (condition, experiments[i])
            assert results[i].no_hash_value == missing


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_conditions(), min_size=BATCH, max_size=BATCH))
def test_few_distinct_values_are_decided_by_the_evaluator_per_value(
        table: Any, attributes: list[dict[str, Any]], conditions: list[Any]) -> None:
    _, results = count(table, [Audience(c) for c in conditions], distinct_limit=1000)
    for condition, result in zip(conditions, results, strict=True):
        assert result.matched == sum(eval_condition(u, condition) for u in attributes)


def test_counting_again_on_the_connection_gives_the_same_counts_and_leaves_nothing(
        table: Any) -> None:
    """The editor counts again and again on one connection: the users an experiment
    hashes are kept in a table while a count runs, gone when it is done."""
    audiences = [Audience({"id": {"$exists": True}},
                          PreparedExperiment({"experiment": {"key": "e1"}})),
                 Audience({"id": {"$regex": "^[a-m]"}},
                          PreparedExperiment({"experiment": {
                              "key": "e2", "namespace": ["ns", 0, 0.5]}})),
                 Audience(None)]
    before = table.connection.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
    first = count(table, audiences)
    assert first[1][0].buckets and first == count(table, audiences)
    assert table.connection.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == before


#: Every path of the generated table under the clauses audiences are made of.
COMMON_CLAUSES = [{path: clause} for path in audience_users.PATHS for clause in (
    "pro", 5, True, None, {"$exists": True}, {"$in": ["pro", 1, "a"]}, {"$gt": 3},
    {"$lte": "m"}, {"$ne": "free"}, {"$regex": "^a"}, {"$size": 2},
)]


def test_the_sql_decides_most_rows(table: Any) -> None:
    """The generated values are adversarial, yet SQL must still decide most rows
    of the common clauses: a compiler that left everything to Python would pass
    the differential test above."""
    decided = undecided = 0
    for start in range(0, len(COMMON_CLAUSES), BATCH):
        batch = [Audience(c) for c in COMMON_CLAUSES[start:start + BATCH]]
        plan = build(table, batch, "id", None, [14], distinct_limit=0)
        flags = ", ".join(f"a{i}" for i in range(len(batch)))
        for row in table.connection.execute(f"SELECT {flags} FROM ({plan.select})").fetchall():
            undecided += sum(flag is None for flag in row)
            decided += sum(flag is not None for flag in row)
    share = decided / (decided + undecided)
    print(f"\n{len(COMMON_CLAUSES)} clauses x {USERS} users: {share:.1%} decided in SQL")
    assert share > 0.6


@pytest.mark.parametrize(("pattern", "insensitive", "expected"), [
    ("^f", False, "^[f]"),
    ("\\d+$", False, "(?:[0-9]){1,}\\z"),
    ("(a)\\1", False, None),  # backreference: left to Python
    ("(?<=a)b", False, None),  # lookaround: left to Python
    ("[", False, False),  # JavaScript rejects it: the clause fails
])
def test_regexes_translate_or_refuse(pattern: str, insensitive: bool, expected: Any) -> None:
    assert re2_pattern(pattern, insensitive) == expected


def test_the_digit_codes_sql_computes_are_the_digits_of_every_low_half() -> None:
    """The second hash pass reads the last five digits of a hash with a multiply
    and a shift each (``digit_code``); one wrong digit for one of the 100,000
    values would move one user in 100,000 to another variation."""
    import duckdb

    from guidestudio.core.audience_sql.hashing_sql import digit_code

    codes = ", ".join(digit_code("range", k) for k in range(5))
    rows = duckdb.connect().execute(f"SELECT range, {codes} FROM range(100000)").fetchall()
    assert len(rows) == 100000
    for x, *got in rows:
        assert got == [ord(c) for c in f"{x:05d}"[::-1]], x
