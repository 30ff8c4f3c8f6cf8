"""How many people an experiment needs, and how long it must run: the Experiment tab's planner.

Users per arm for a two-sided two-proportion z-test (the arm against control, equal
groups), the textbook formula with the pooled rate under the null hypothesis:

    n = (z_{1-α/2} √(2 p̄ (1 − p̄)) + z_{1-β} √(p₁(1 − p₁) + p₂(1 − p₂)))² / (p₂ − p₁)²

with p₁ the baseline rate, p₂ = p₁ (1 + minimum detectable effect) and p̄ their mean; the
same as R's ``power.prop.test`` (whose help page gives n = 76.7 for p₁ = 0.50, p₂ = 0.75,
power 0.90). Days to run: the arm that gets the smallest share of the people reaching the
guide fills last, so it decides.

``reach_per_day`` reads the loaded events (``store.load``) for the planner's "daily
eligible users": how many new people reach each guide a day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from guidestudio.core.model import Guide
from guidestudio.core.results.stats import normal_quantile, normal_sf
from guidestudio.core.weights import CONTROL, split_shares

if TYPE_CHECKING:  # the planner's maths runs in the editor without loading DuckDB
    import duckdb

    from guidestudio.core.results.analysis import GuideResult



class PlanError(ValueError):
    """Inputs the formula cannot use, said in the planner's words."""


def users_per_arm(baseline: float, relative_effect: float, power: float = 0.8,
                  significance: float = 0.05) -> int:
    """People each arm needs to detect a relative change of ``relative_effect`` (0.1 =
    +10 %) on a ``baseline`` rate with probability ``power`` at level ``significance``."""
    if not 0 < baseline < 1:
        raise PlanError("the baseline rate must be between 0 % and 100 %")
    if relative_effect == 0:
        raise PlanError("the smallest change worth detecting cannot be 0 %")
    if not 0 < power < 1:
        raise PlanError("power must be between 0 % and 100 %")
    if not 0 < significance < 1:
        raise PlanError("significance must be between 0 % and 100 %")
    p1 = baseline
    p2 = baseline * (1 + relative_effect)
    if not 0 < p2 < 1:
        raise PlanError(f"a change of {relative_effect:+.0%} on {baseline:.1%} gives a rate of "
                        f"{p2:.1%}, which is not a rate")
    mean = (p1 + p2) / 2
    z_alpha = normal_quantile(1 - significance / 2)
    z_beta = normal_quantile(power)
    root = (z_alpha * math.sqrt(2 * mean * (1 - mean))
            + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    return math.ceil(root * root / (p2 - p1) ** 2 - 1e-9)


def power_at(n: int, baseline: float, relative_effect: float,
             significance: float = 0.05) -> float:
    """The power the test has with ``n`` people per arm (the formula above read backwards),
    so the planner's answer can be checked against what it promises."""
    p1, p2 = baseline, baseline * (1 + relative_effect)
    mean = (p1 + p2) / 2
    z_alpha = normal_quantile(1 - significance / 2)
    z = ((math.sqrt(n) * abs(p2 - p1) - z_alpha * math.sqrt(2 * mean * (1 - mean)))
         / math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    return 1 - normal_sf(z)


def arm_shares(guide: Guide) -> dict[str, float]:
    """Each arm's share of the people who reach the guide: the experiment's coverage times
    the configured split (``weights.split_shares``). Without an experiment: an even
    split between two arms, the test it would take to start one."""
    if guide.experiment is None:
        arms = [v.key for v in guide.variants][:2]
        while len(arms) < 2:
            arms.append(CONTROL if CONTROL not in arms else f"arm {len(arms) + 1}")
        return {a: 0.5 for a in arms}
    coverage = guide.experiment.coverage
    coverage = 1.0 if coverage is None else float(coverage)
    return {arm: w * coverage for arm, w in split_shares(guide).items()}


@dataclass(frozen=True)
class Plan:
    per_arm: int
    arms: int
    total: int
    days: int | None  # None: no daily users given
    slowest_arm: str | None
    slowest_share: float | None


def plan(baseline: float, relative_effect: float, power: float, significance: float,
         daily_users: float | None, shares: dict[str, float]) -> Plan:
    """Users per arm, in all, and days until the arm with the smallest share has its due."""
    n = users_per_arm(baseline, relative_effect, power, significance)
    arms = max(len(shares), 2)
    live = {a: s for a, s in shares.items() if s > 0}
    if not daily_users or daily_users <= 0 or not live:
        return Plan(n, arms, n * arms, None, None, None)
    slowest = min(live, key=lambda a: live[a])
    days = math.ceil(n / (daily_users * live[slowest]) - 1e-9)
    return Plan(n, arms, n * arms, days, slowest, live[slowest])


@dataclass(frozen=True)
class Reach:
    """New people reaching one guide (first shown, or first entering its experiment)."""

    users: int
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def per_day(self) -> float:
        return self.users / self.days


def reach_per_day(con: duckdb.DuckDBPyConnection) -> dict[str, Reach]:
    """Per guide: the people who reached it in the loaded events, and the days from the
    guide's first such event to the last event of the data (a guide nobody reached on the
    last days still counts those days: nobody came)."""
    rows = con.execute("""
WITH last AS (SELECT CAST(max(ts) AS DATE) AS day FROM events)
SELECT guide_id, count(DISTINCT user_id), CAST(min(ts) AS DATE), (SELECT day FROM last)
FROM events
WHERE event IN ('guide_shown', 'experiment_viewed') AND guide_id IS NOT NULL
GROUP BY guide_id""").fetchall()
    return {gid: Reach(users, first, last) for gid, users, first, last in rows}


def baseline_rate(result: GuideResult) -> float | None:
    """The rate the planner starts from: the experiment's baseline arm when it has people,
    else the share of people shown the guide who reached its goal."""
    x = result.experiment
    if x is not None:
        arm = next((a for a in x.arms if a.name == x.baseline), None)
        if arm is not None and arm.users and arm.rate:
            return arm.rate
    shown = sum(f.shown for f in result.variants)
    goal = sum(f.goal for f in result.variants)
    return goal / shown if shown and goal else None



@dataclass(frozen=True)
class Observed:
    """What imported events say about a guide, for the planner to start from."""

    per_day: float
    baseline: float | None
    first_day: date
    last_day: date


def observed(results: list[GuideResult], reach: dict[str, Reach]) -> dict[str, Observed]:
    by_id = {r.guide_id: r for r in results}
    return {gid: Observed(r.per_day, baseline_rate(by_id[gid]) if gid in by_id else None,
                          r.first_day, r.last_day) for gid, r in reach.items()}
