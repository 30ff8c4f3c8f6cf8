"""Variant shares: always exactly 100 %, weights always positive, others keep proportions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guidestudio.core.weights import even, percentages, rebalance

weights = st.lists(st.one_of(st.none(), st.floats(0.001, 1000)), min_size=2, max_size=8)


def test_examples() -> None:
    assert percentages([1, 1]) == [50.0, 50.0]
    assert percentages([1, 1, 1]) == [33.4, 33.3, 33.3]
    assert rebalance([1, 1], 0, 30) == [30, 70]
    assert rebalance([1, 1, 2], 2, 40) == [30, 30, 40]
    assert even(4) == [25, 25, 25, 25]


@given(weights)
def test_shares_always_total_exactly_100(ws: list[float | None]) -> None:
    shares = percentages(ws)
    assert round(sum(shares), 6) == 100.0
    assert all(s > 0 for s in shares)


@given(weights, st.data())
def test_rebalancing_keeps_100_positive_and_the_edited_share(ws: list[float | None],
                                                            data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(ws) - 1))
    percent = data.draw(st.floats(0, 100))
    new = rebalance(ws, index, percent)
    assert all(w > 0 for w in new)
    assert round(sum(new), 6) == 100.0
    assert percentages(new) == [float(w) for w in new]  # shown exactly as stored
    low, high = 0.1, 100 - 0.1 * (len(ws) - 1)
    assert abs(new[index] - min(max(percent, low), high)) <= 0.05 + 1e-9
