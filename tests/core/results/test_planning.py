"""The planner's sample size agrees with published figures and with its own promise, and
its days to run follow the arm that fills last."""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest

from guidestudio.core.model import Experiment, Guide, Step, Variant
from guidestudio.core.results import analysis, planning, store

from .events_support import project, track, write_jsonl


def test_matches_r_power_prop_test() -> None:
    # R's help page for power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90)
    # gives n = 76.7 per group (here: +50 % relative on 50 %).
    assert planning.users_per_arm(0.50, 0.50, power=0.90) == 77


def test_matches_a_hand_computation() -> None:
    # 10 % baseline, +20 % relative (to 12 %), 80 % power, 5 % two-sided, by hand:
    # z = 1.959964, 0.841621; p̄ = 0.11; n = (z_a √(2·0.11·0.89) + z_b √(0.09 + 0.1056))² / 0.02²
    z_a, z_b = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.80)
    by_hand = (z_a * math.sqrt(2 * 0.11 * 0.89) + z_b * math.sqrt(0.1 * 0.9 + 0.12 * 0.88)) ** 2
    expected = math.ceil(by_hand / 0.02 ** 2)
    assert expected == 3841
    assert planning.users_per_arm(0.10, 0.20) == expected


@pytest.mark.parametrize("baseline, effect, power, alpha", [
    (0.10, 0.20, 0.80, 0.05), (0.02, 0.10, 0.90, 0.01), (0.40, -0.15, 0.80, 0.10)])
def test_the_size_gives_the_power_asked_for(baseline: float, effect: float, power: float,
                                            alpha: float) -> None:
    n = planning.users_per_arm(baseline, effect, power, alpha)
    assert planning.power_at(n, baseline, effect, alpha) >= power
    assert planning.power_at(n - 1, baseline, effect, alpha) < power


@pytest.mark.parametrize("args, words", [
    ((0.0, 0.1), "baseline"), ((0.5, 0.0), "cannot be 0"), ((0.6, 1.0), "not a rate"),
    ((0.1, 0.1, 1.0), "power")])
def test_bad_inputs_say_what_is_wrong(args: tuple[float, ...], words: str) -> None:
    with pytest.raises(planning.PlanError, match=words):
        planning.users_per_arm(*args)


def test_days_follow_the_smallest_arm() -> None:
    guide = Guide("g", "G", "banner", "live", [Variant("a", [Step()]), Variant("b", [Step()])],
                  experiment=Experiment("k", coverage=0.5, control_weight=0.2))
    shares = planning.arm_shares(guide)
    assert shares == pytest.approx({"control": 0.1, "a": 0.2, "b": 0.2})
    result = planning.plan(0.10, 0.20, 0.8, 0.05, 1000, shares)
    assert (result.per_arm, result.arms, result.total) == (3841, 3, 3 * 3841)
    assert result.slowest_arm == "control"
    assert result.days == math.ceil(3841 / 100)
    assert planning.plan(0.10, 0.20, 0.8, 0.05, None, shares).days is None


def test_reach_and_baseline_from_events(tmp_path) -> None:
    ev = [track(f"u{i}", "guide_shown", f"2026-11-0{1 + i % 4}T10:00:00Z", f"m{i}",
                guide_id="tour", variant="a") for i in range(20)]
    ev += [track(f"u{i}", "plan_upgraded", "2026-11-06T10:00:00Z", f"g{i}") for i in range(5)]
    con = store.connect()
    store.load(con, project(), [str(write_jsonl(tmp_path / "e.jsonl", ev))])
    reach = planning.reach_per_day(con)["tour"]
    assert (reach.users, reach.days) == (20, 6)  # 1 Nov to the data's last day, 6 Nov
    assert reach.per_day == pytest.approx(20 / 6)
    tour = next(r for r in analysis.analyse(con, project()) if r.guide_id == "tour")
    assert planning.baseline_rate(tour) == pytest.approx(5 / 20)
