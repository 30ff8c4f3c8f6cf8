"""The Python targeting evaluator against our vectors and GrowthBook's suite.

Both files use GrowthBook's row layouts (see tests/vectors/targeting.json),
and the JavaScript runtime runs the very same rows (tests/js/targeting.test.js),
so a row failing here names a case where the editor's preview would disagree
with what users see.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidestudio.core.targeting import (
    bucket_ranges,
    choose_variation,
    condition_failure,
    equal_weights,
    eval_condition,
    fnv1a32,
    hash_value,
    in_namespace,
    js_number_string,
    js_regex_error,
    js_string,
    known_operators,
    padded_version,
    unknown_operators,
)

VECTORS_FILE = Path(__file__).resolve().parents[1] / "vectors" / "targeting.json"
GROWTHBOOK_FILE = Path(__file__).resolve().parents[1] / "conformance" / "growthbook" / "cases.json"
# The upstream file's digest (tests/conformance/growthbook/README.md): a copy that drifted
# from GrowthBook's would verify the evaluators against something nobody published.
GROWTHBOOK_SHA256 = "1422cb1bfc6f6035f78aa21e5181ab91f758e37f1688e2c6142aface7d953886"

VECTORS: dict[str, Any] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
GROWTHBOOK: dict[str, Any] | None = (
    json.loads(GROWTHBOOK_FILE.read_text(encoding="utf-8")) if GROWTHBOOK_FILE.is_file() else None
)


def _require_growthbook() -> dict[str, Any]:
    """The suite is test data in this repository and the contract: without it the
    evaluator is unverified, so its absence fails (a skip would prove nothing)."""
    if GROWTHBOOK is None:
        pytest.fail(f"GrowthBook conformance suite not found at {GROWTHBOOK_FILE}")
    return GROWTHBOOK


def _rows(data: dict[str, Any] | None, section: str, name: Callable[[list[Any]], str]) -> list[Any]:
    if data is None:
        return [pytest.param(None, id=f"{section}-suite-missing")]
    return [pytest.param(row, id=name(row)) for row in data[section]]


def _named(row: list[Any]) -> str:
    return str(row[0])


def _hash_id(row: list[Any]) -> str:
    return json.dumps(row[:3], ensure_ascii=True)


def _weights_id(row: list[Any]) -> str:
    return f"n={row[0]}"


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


# --- row runners, shared by both files --------------------------------------


def check_eval_condition(row: list[Any]) -> None:
    name, condition, attributes, expected = row[:4]
    groups = row[4] if len(row) > 4 else None
    assert eval_condition(attributes, condition, groups) is expected, name
    # The explanation must agree with the verdict, or "why not shown?" lies.
    reason = condition_failure(attributes, condition, groups)
    assert (reason is None) is expected, f"{name}: condition_failure gave {reason!r}"


def check_hash(row: list[Any]) -> None:
    seed, value, version, expected = row
    got = hash_value(seed, value, version)
    if expected is None:
        assert got is None
    else:
        assert got is not None and _close(got, expected), got


def check_bucket_range(row: list[Any]) -> None:
    _, (n, coverage, weights), expected = row
    got = bucket_ranges(n, coverage, weights)
    assert len(got) == len(expected), got
    for (start, end), (want_start, want_end) in zip(got, expected, strict=True):
        assert _close(start, want_start) and _close(end, want_end), got


def check_choose_variation(row: list[Any]) -> None:
    _, n, ranges, expected = row
    assert choose_variation(n, ranges) == expected


def check_in_namespace(row: list[Any]) -> None:
    _, value, namespace, expected = row
    assert in_namespace(value, namespace) is expected


def check_equal_weights(row: list[Any]) -> None:
    n, expected = row
    got = equal_weights(n)
    assert len(got) == len(expected) and all(map(_close, got, expected)), got


# --- our vectors --------------------------------------------------------------


@pytest.mark.parametrize("row", _rows(VECTORS, "evalCondition", _named))
def test_vectors_eval_condition(row: list[Any]) -> None:
    check_eval_condition(row)


@pytest.mark.parametrize("row", _rows(VECTORS, "hash", _hash_id))
def test_vectors_hash(row: list[Any]) -> None:
    check_hash(row)


@pytest.mark.parametrize("row", _rows(VECTORS, "getBucketRange", _named))
def test_vectors_bucket_ranges(row: list[Any]) -> None:
    check_bucket_range(row)


@pytest.mark.parametrize("row", _rows(VECTORS, "chooseVariation", _named))
def test_vectors_choose_variation(row: list[Any]) -> None:
    check_choose_variation(row)


@pytest.mark.parametrize("row", _rows(VECTORS, "inNamespace", _named))
def test_vectors_in_namespace(row: list[Any]) -> None:
    check_in_namespace(row)


@pytest.mark.parametrize("row", _rows(VECTORS, "getEqualWeights", _weights_id))
def test_vectors_equal_weights(row: list[Any]) -> None:
    check_equal_weights(row)


@pytest.mark.parametrize(
    "row", _rows(VECTORS, "paddedVersion", lambda row: json.dumps(row[0], ensure_ascii=True))
)
def test_vectors_padded_version(row: list[Any]) -> None:
    value, expected = row
    assert padded_version(value) == expected


def _operators_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("$"):
                yield key
            yield from _operators_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _operators_in(item)


def test_vectors_cover_every_operator_and_function() -> None:
    used = {op for row in VECTORS["evalCondition"] for op in _operators_in(row[1])}
    missing = (known_operators() | {"$and", "$or", "$nor", "$not"}) - used
    assert not missing, f"no vector uses {sorted(missing)}"
    assert len(VECTORS["evalCondition"]) >= 150
    for section in (
        "hash",
        "getBucketRange",
        "chooseVariation",
        "inNamespace",
        "getEqualWeights",
        "paddedVersion",
    ):
        assert VECTORS[section], section
        assert section in VECTORS["sources"], f"sources does not say where {section} came from"
    names = [row[0] for row in VECTORS["evalCondition"]]
    assert len(names) == len(set(names)), "row names must be unique: they are the test ids"


# --- GrowthBook's suite -------------------------------------------------------


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "evalCondition", _named))
def test_growthbook_eval_condition(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_eval_condition(row)


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "hash", _hash_id))
def test_growthbook_hash(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_hash(row)


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "getBucketRange", _named))
def test_growthbook_bucket_ranges(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_bucket_range(row)


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "chooseVariation", _named))
def test_growthbook_choose_variation(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_choose_variation(row)


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "inNamespace", _named))
def test_growthbook_in_namespace(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_in_namespace(row)


@pytest.mark.parametrize("row", _rows(GROWTHBOOK, "getEqualWeights", _weights_id))
def test_growthbook_equal_weights(row: list[Any] | None) -> None:
    _require_growthbook()
    assert row is not None
    check_equal_weights(row)


def test_growthbook_suite_is_the_pinned_one() -> None:
    data = _require_growthbook()
    assert hashlib.sha256(GROWTHBOOK_FILE.read_bytes()).hexdigest() == GROWTHBOOK_SHA256
    assert data["specVersion"] == "0.8.0"
    assert len(data["evalCondition"]) == 248


# --- helpers other modules rely on ------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (True, "true"),
        (False, "false"),
        (None, "null"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-0.0, "0"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (-2.5, "-2.5"),
        (123456789012345680000.0, "123456789012345680000"),
        (2**60, "1152921504606847000"),  # rounded to a double, shortest digits
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        ([1, [2, None], "x"], "1,2,,x"),
        ([], ""),
        ({"a": 1}, "[object Object]"),
        ("é", "é"),
    ],
)
def test_js_string(value: Any, expected: str) -> None:
    assert js_string(value) == expected


def test_js_number_string_round_trips() -> None:
    rng = random.Random(3)
    for _ in range(2000):
        x = rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-30, 30)
        assert float(js_number_string(x)) == x


def test_fnv1a32_uses_utf16_code_units() -> None:
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C  # the published FNV-1a 32-bit test value
    # "😀" is two UTF-16 units (0xD83D, 0xDE00): fold them by hand.
    h = 0x811C9DC5
    for unit in (0xD83D, 0xDE00):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    assert fnv1a32("😀") == h
    assert fnv1a32("😀") == fnv1a32("\ud83d\ude00")


def test_hash_value_stringifies_like_js() -> None:
    assert hash_value("seed", 1.0, 2) == hash_value("seed", "1", 2)
    assert hash_value("seed", True, 2) == hash_value("seed", "true", 2)
    assert hash_value("seed", "x", True) is None  # JS `true === 1` is false
    assert hash_value("seed", "x", "2") is None


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        ("^(en|de)(-|$)", True),
        ("(?<=\\$)\\d+", True),  # lookbehind: fine in modern JS, fine here
        ("(?<=^|/)settings", True),  # alternatives of different widths
        ("(?<n>a)\\k<n>", True),
        ("a{,3}", True),  # a literal in JS
        ("(?i)abc", False),  # JS: Invalid group
        ("(?i:abc)", False),  # rejected by Node 20's V8 (newer engines accept it)
        ("(?P<n>a)", False),
        ("a*+", False),  # possessive: Python-only
        ("[z-a]", False),
        ("(abc", False),
        ("{1}", False),
        ("(?<=a+)b", False),  # variable-width lookbehind: Python cannot
        ("^(?:(a)|b)+\\1$", False),  # JS resets repeated captures, Python keeps them
    ],
)
def test_js_regex_error(pattern: str, ok: bool) -> None:
    error = js_regex_error(pattern)
    assert (error is None) is ok, error
    if not ok:
        assert pattern in error  # the message names the pattern for the editor


def test_js_regex_error_rejects_non_strings() -> None:
    assert js_regex_error(5) is not None  # type: ignore[arg-type]


def test_unknown_operators_reports_paths() -> None:
    condition = {
        "plan": {"$in": ["pro"], "$regx": "x"},
        "$or": [{"a": 1}, {"b": {"$not": {"$gtt": 1}}}],
        "tags": {"$elemMatch": {"name": {"$sizee": 1}}},
        "items": {"$elemMatch": {"$or": [{"a": 1}]}},
        "$groups": {"$elemMatch": {"$eq": "a"}},
        "literal": {"$gt": 1, "x": 2},  # not an operator object: a literal
    }
    assert unknown_operators(condition) == [
        "plan.$regx",
        "$or.1.b.$not.$gtt",
        "tags.$elemMatch.name.$sizee",
        "items.$elemMatch.$or",
    ]
    assert unknown_operators({"a": {"$gte": 1}}) == []


@pytest.mark.parametrize(
    ("condition", "attributes", "expected"),
    [
        (
            {"storage_used_pct": {"$gte": 90}},
            {"storage_used_pct": 42},
            "storage_used_pct $gte 90 (was 42)",
        ),
        ({"plan": "pro"}, {}, "plan = pro (missing)"),
        ({"a": 1, "b": {"$exists": True}}, {"a": 1}, "b $exists true (missing)"),
        ({"$and": [{"a": 1}, {"b.c": {"$lt": 3}}]}, {"a": 1, "b": {"c": 5}}, "b.c $lt 3 (was 5)"),
        ({"$not": {"a": 1}}, {"a": 1}, "the $not condition matched"),
        ({"$nor": [{"a": 2}, {"a": 1}]}, {"a": 1}, "$nor branch 2 matched"),
        ({"id": {"$in": list(range(100))}}, {"id": 500}, "id $in [100 items] (was 500)"),
        ({"a": {"$regx": "x"}}, {"a": "x"}, "a: unknown operator $regx"),
        ({"a": 1}, {"a": 1}, None),
    ],
)
def test_condition_failure(
    condition: dict[str, Any], attributes: dict[str, Any], expected: str | None
) -> None:
    assert condition_failure(attributes, condition) == expected


def test_condition_failure_for_or_lists_branches() -> None:
    reason = condition_failure({"x": 1}, {"$or": [{"a": 1}, {"b": {"$gt": 2}}]})
    assert reason is not None
    assert reason.startswith("no $or branch matched")
    assert "a = 1 (missing)" in reason and "b $gt 2 (missing)" in reason


# --- robustness ---------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "a", "1", "1.2.3", "é", "😀", "null", "(?i)a", "[", "^a$"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["a", "b", "$eq", "$in", "$or", "$not", "$size"]), children, max_size=3
        ),
    ),
    max_leaves=8,
)
operators = st.sampled_from(sorted(known_operators()) + ["$nope"])
clauses = st.dictionaries(
    st.sampled_from(["a", "b", "a.b", "c.0"]),
    st.one_of(json_values, st.dictionaries(operators, json_values, min_size=1, max_size=2)),
    max_size=3,
)
conditions = st.recursive(
    clauses,
    lambda sub: st.one_of(
        st.fixed_dictionaries({"$and": st.lists(sub, max_size=3)}),
        st.fixed_dictionaries({"$or": st.lists(sub, max_size=3)}),
        st.fixed_dictionaries({"$nor": st.lists(sub, max_size=3)}),
        st.fixed_dictionaries({"$not": sub}),
    ),
    max_leaves=6,
)
attribute_sets = st.dictionaries(st.sampled_from(["a", "b", "c"]), json_values, max_size=3)


@settings(max_examples=300, deadline=None)
@given(conditions, attribute_sets)
def test_never_raises_and_explains_consistently(
    condition: dict[str, Any], attributes: dict[str, Any]
) -> None:
    result = eval_condition(attributes, condition)
    assert isinstance(result, bool)
    assert eval_condition(attributes, condition) is result  # caches change nothing
    assert (condition_failure(attributes, condition) is None) is result
    assert isinstance(unknown_operators(condition), list)


# --- assignment properties ----------------------------------------------------

user_ids = st.text(min_size=1, max_size=20)
seeds = st.text(max_size=12)


@settings(max_examples=200, deadline=None)
@given(seeds, user_ids, st.sampled_from([1, 2]))
def test_hash_is_in_unit_interval_and_deterministic(seed: str, user_id: str, version: int) -> None:
    n = hash_value(seed, user_id, version)
    assert n is not None and 0 <= n < 1
    assert hash_value(seed, user_id, version) == n


@settings(max_examples=200, deadline=None)
@given(
    seeds,
    user_ids,
    st.integers(1, 5),
    st.floats(0, 1),
)
def test_assignment_is_deterministic_and_in_range(
    seed: str, user_id: str, n: int, coverage: float
) -> None:
    ranges = bucket_ranges(n, coverage)
    first = choose_variation(hash_value(seed, user_id, 2) or 0, ranges)
    assert -1 <= first < n
    assert choose_variation(hash_value(seed, user_id, 2) or 0, bucket_ranges(n, coverage)) == first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.01, 1), min_size=1, max_size=6), st.floats(0, 1))
def test_bucket_ranges_never_overlap(raw: list[float], coverage: float) -> None:
    total = sum(raw)
    weights = [w / total for w in raw]
    ranges = bucket_ranges(len(weights), coverage, weights)
    for (s1, e1), (s2, _) in zip(ranges, ranges[1:], strict=False):
        assert s1 <= e1 <= s2 + 1e-12
    assert all(0 <= s <= e <= 1 + 1e-12 for s, e in ranges)


def _split(seed: str, ranges: list[tuple[float, float]], count: int = 100_000) -> Counter[int]:
    rng = random.Random(seed)
    shares: Counter[int] = Counter()
    for _ in range(count):
        user_id = f"{rng.getrandbits(64):016x}"
        shares[choose_variation(hash_value(seed, user_id, 2) or 0, ranges)] += 1
    return shares


@pytest.mark.parametrize(
    ("weights", "coverage"),
    [([0.5, 0.5], 1.0), ([0.2, 0.3, 0.5], 1.0), ([0.5, 0.5], 0.4)],
    ids=["50-50", "20-30-50", "50-50-coverage-0.4"],
)
def test_split_matches_weights(weights: list[float], coverage: float) -> None:
    count = 100_000
    shares = _split(
        "exp-" + "-".join(map(str, weights)), bucket_ranges(len(weights), coverage, weights), count
    )
    for i, w in enumerate(weights):
        assert abs(shares[i] / count - coverage * w) < 0.01, shares
    assert abs(shares[-1] / count - (1 - coverage)) < 0.01, shares


def test_changing_the_seed_reshuffles_users() -> None:
    rng = random.Random(5)
    ranges = bucket_ranges(2)
    ids = [f"user-{rng.getrandbits(48)}" for _ in range(20_000)]
    moved = sum(
        choose_variation(hash_value("checkout-a", i, 2) or 0, ranges)
        != choose_variation(hash_value("checkout-b", i, 2) or 0, ranges)
        for i in ids
    )
    # Independent hashes put about half the users in the other variant.
    assert 0.45 < moved / len(ids) < 0.55
