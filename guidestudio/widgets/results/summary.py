"""The results in a marketer's words: numbers formatted once, and a verdict per experiment.

Plain functions over ``core/results`` data (no Qt), shared by the view's tables, so a
figure is written the same way wherever it appears.
"""

from __future__ import annotations

from typing import Any

#: Chance to beat the baseline from which an arm is called the winner (GrowthBook's default).
WINNING = 0.95


def count(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def pct(x: float | None, signed: bool = False, decimals: int = 1) -> str:
    if x is None:
        return "—"
    return f"{x * 100:+.{decimals}f} %" if signed else f"{x * 100:.{decimals}f} %"


def points(x: float) -> str:
    """A difference of rates, in percentage points."""
    return f"{x * 100:+.1f} pp"


def interval(ci: tuple[float, float] | None, unit: str = "%") -> str:
    if ci is None:
        return ""
    low, high = ci[0] * 100, ci[1] * 100
    return f"[{low:+.1f}, {high:+.1f}] {unit}"


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def totals(result: Any) -> dict[str, int]:
    """A guide's funnel summed over its variants (users are distinct per variant)."""
    keys = ("entered", "shown", "completed", "dismissed", "snoozed", "cta_clicked", "goal")
    return {k: sum(getattr(f, k) for f in result.variants) for k in keys}


def verdict(experiment: Any | None) -> str:
    """One line about an experiment for the overview."""
    if experiment is None:
        return ""
    if experiment.sample_ratio is not None and experiment.sample_ratio.mismatch:
        return "Sample ratio mismatch: check before trusting"
    if not any(a.users for a in experiment.arms):
        return "No exposures yet"
    if not experiment.enough_data:
        return "Not enough data yet"
    compared = [a for a in experiment.arms if a.comparison is not None]
    if not compared:
        return "Not enough data yet"
    best = max(compared, key=lambda a: a.comparison.chance_to_beat)
    chance = best.comparison.chance_to_beat
    if chance >= WINNING:
        lift = pct(best.comparison.relative, True)
        return f"{best.name} wins: {lift} ({pct(chance, decimals=0)} chance)"
    if all(a.comparison.chance_to_beat <= 1 - WINNING for a in compared):
        return f"{experiment.baseline} wins: no arm beats it"
    return f"No clear winner yet (best: {best.name}, {pct(chance, decimals=0)} chance)"
