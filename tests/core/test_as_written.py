"""Conditions compared as a file holds them: key order and JSON types count."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from guidestudio.core.rules.as_written import same_as_written

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner,
                                                               max_size=3),
    max_leaves=8)


def test_a_reordered_object_is_not_the_same_though_python_calls_it_equal() -> None:
    before = {"plan": "free", "$or": [{"country": "JP"}]}
    after = {"$or": [{"country": "JP"}], "plan": "free"}
    assert before == after and not same_as_written(before, after)
    assert same_as_written(before, {"plan": "free", "$or": [{"country": "JP"}]})


def test_numbers_and_booleans_of_other_types_differ() -> None:
    assert {"seats": 1} == {"seats": True} and not same_as_written({"seats": 1}, {"seats": True})
    assert not same_as_written({"seats": 1}, {"seats": 1.0})
    assert not same_as_written([1, 2], [1, 2, 3]) and not same_as_written({"a": 1}, {"b": 1})
    assert same_as_written({"x": float("nan")}, {"x": float("nan")})


@given(JSON, JSON)
def test_it_agrees_with_comparing_the_written_json(a: Any, b: Any) -> None:
    def written(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    assert same_as_written(a, b) == (written(a) == written(b))
    assert same_as_written(a, json.loads(written(a)))
