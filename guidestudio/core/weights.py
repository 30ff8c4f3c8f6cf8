"""Variant weights shown as percentages that always add up to exactly 100.

Weights are relative numbers (``1, 1`` is an even split); marketers think in
percentages. Percentages are kept to one decimal and distributed by the
largest-remainder method, so the shown shares sum to exactly 100.0 (never
99.9), and editing one share rescales the others in proportion to what they
were. The result is stored as the new weights — the percentages themselves,
which read naturally in the file — and every weight stays positive, as the
runtime requires. Pure functions, no Qt: tested on their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidestudio.core.model import Guide

#: The arm of an experiment's control group (people who take part and see no guide).
CONTROL = "control"
TENTHS = 1000  # 100.0 % in tenths of a percent
MIN_TENTHS = 1  # 0.1 %: the smallest share a variant can keep


def _positive(weights: Sequence[float | None]) -> list[float]:
    """Missing or unusable weights count as 1, the schema's default."""
    out = []
    for w in weights:
        ok = isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) and w > 0
        out.append(float(w) if ok else 1.0)  # type: ignore[arg-type]
    return out


def _distribute(shares: Sequence[float], total: int) -> list[int]:
    """Split ``total`` tenths in proportion to ``shares`` (largest remainder), each at least
    MIN_TENTHS; shares that are already whole tenths come out unchanged."""
    n = len(shares)
    if n == 0:
        return []
    total_share = sum(shares)
    if total_share <= 0:
        shares, total_share = [1.0] * n, float(n)
    exact = [s / total_share * total for s in shares]
    base = [math.floor(x + 1e-9) for x in exact]
    while sum(base) > total:  # float noise rounded a share up
        base[max(range(n), key=lambda j: base[j])] -= 1
    left = total - sum(base)
    order = sorted(range(n), key=lambda i: (exact[i] - base[i], -i), reverse=True)
    for i in order[:left]:
        base[i] += 1
    for i in range(n):  # lift tiny shares to the minimum, taking from the largest
        while base[i] < MIN_TENTHS:
            donor = max(range(n), key=lambda j: base[j])
            base[donor] -= 1
            base[i] += 1
    return base


def percentages(weights: Sequence[float | None]) -> list[float]:
    """Each variant's share in percent (one decimal), summing to exactly 100."""
    return [t / 10 for t in _distribute(_positive(weights), TENTHS)]


def _number(tenths: int) -> int | float:
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def rebalance(weights: Sequence[float | None], index: int, percent: float) -> list[int | float]:
    """New weights after setting variant ``index`` to ``percent``; the others keep their
    proportions between themselves and share what is left."""
    n = len(weights)
    if n <= 1:
        return [100]
    shares = _distribute(_positive(weights), TENTHS)
    wanted = round(percent * 10)
    wanted = max(MIN_TENTHS, min(TENTHS - MIN_TENTHS * (n - 1), wanted))
    others = [s for i, s in enumerate(shares) if i != index]
    spread = iter(_distribute(others, TENTHS - wanted))
    return [_number(wanted if i == index else next(spread)) for i in range(n)]


def even(n: int) -> list[int | float]:
    """Weights for an even split of ``n`` variants."""
    return [_number(t) for t in _distribute([1.0] * n, TENTHS)]


def split_shares(guide: Guide) -> dict[str, float]:
    """Each arm's share of the people taking part, as the bundle exports it: control's own
    weight first, then the variants' weights scaled into what control leaves. One function
    for the compiler and the results' sample-ratio check, so they cannot disagree."""
    exp = guide.experiment
    control = float(exp.control_weight or 0) if exp else 0.0
    raw = [1.0 if v.weight is None else float(v.weight) for v in guide.variants]
    total = sum(raw) or 1.0
    out = {CONTROL: control} if control > 0 else {}
    out.update({v.key: w / total * (1 - control)
                for v, w in zip(guide.variants, raw, strict=True)})
    return out
