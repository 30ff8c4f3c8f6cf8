"""The statistics of an experiment on a binary goal, in the standard library only.

Methods as GrowthBook's stats engine documents them ("Statistical Details"): the
treatment's effect against the baseline (control) as an absolute difference of rates and
as a relative lift, each with its standard error; the relative lift's variance by the
delta method; 95% intervals with the normal quantile. The Bayesian figures are the
beta-binomial model with a uniform Beta(1, 1) prior, computed exactly (Evan Miller's
closed form for P(B > A) with integer parameters), not by sampling. The sample-ratio
check is Pearson's chi-square against the configured weights.

Why not scipy: four functions (a normal quantile, which ``statistics.NormalDist`` has; a
chi-square tail for a few degrees of freedom; two sums of log-beta terms) do not justify
a 40 MB dependency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()


def normal_quantile(p: float) -> float:
    return _NORMAL.inv_cdf(p)


def normal_sf(z: float) -> float:
    return 1.0 - _NORMAL.cdf(z)


def _gamma_q(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x): a series below a+1, else a continued
    fraction (Lentz), each to 1e-14 — the textbook pair, enough for a chi-square tail."""
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        k = a
        for _ in range(10_000):
            k += 1
            term *= x / k
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_front) * h


def chi2_sf(x: float, dof: int) -> float:
    """P(X > x) for a chi-square with ``dof`` degrees of freedom."""
    return _gamma_q(dof / 2, x / 2)


@dataclass(frozen=True)
class SampleRatio:
    chi2: float
    p_value: float
    expected: tuple[float, ...]

    @property
    def mismatch(self) -> bool:
        """GrowthBook's threshold: below p = 0.001 the split is not what was configured."""
        return self.p_value < 0.001


def sample_ratio(observed: Sequence[int], weights: Sequence[float]) -> SampleRatio | None:
    """Pearson's chi-square of the users per arm against the configured weights."""
    total, weight = sum(observed), sum(weights)
    if total == 0 or weight <= 0 or len(observed) < 2:
        return None
    expected = tuple(total * w / weight for w in weights)
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e > 0)
    return SampleRatio(chi2, chi2_sf(chi2, len(observed) - 1), expected)


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def prob_b_beats_a(a_a: int, b_a: int, a_b: int, b_b: int) -> float:
    """P(p_B > p_A) for p_A ~ Beta(a_a, b_a), p_B ~ Beta(a_b, b_b), integer parameters:
    sum over i < a_b of B(a_a+i, b_a+b_b) / ((b_b+i) B(1+i, b_b) B(a_a, b_a)). The sum runs
    over the smaller alpha (by symmetry), so it costs the smaller arm's conversions."""
    if a_b > a_a:
        return 1.0 - prob_b_beats_a(a_b, b_b, a_a, b_a)
    base = _log_beta(a_a, b_a)
    total = 0.0
    for i in range(a_b):
        total += math.exp(_log_beta(a_a + i, b_a + b_b) - math.log(b_b + i)
                          - _log_beta(1 + i, b_b) - base)
    return min(1.0, max(0.0, total))


def expected_loss(a_a: int, b_a: int, a_b: int, b_b: int) -> float:
    """E[max(p_A - p_B, 0)]: what choosing B costs in rate if A is in fact better.
    E[p_A 1{p_A > p_B}] is E[p_A] times P(p_A' > p_B) with p_A' ~ Beta(a_a + 1, b_a)."""
    mean_a, mean_b = a_a / (a_a + b_a), a_b / (a_b + b_b)
    return max(0.0, mean_a * (1 - prob_b_beats_a(a_a + 1, b_a, a_b, b_b))
               - mean_b * (1 - prob_b_beats_a(a_a, b_a, a_b + 1, b_b)))


@dataclass(frozen=True)
class Comparison:
    """One arm against the baseline."""

    rate: float
    baseline_rate: float
    absolute: float
    absolute_ci: tuple[float, float]
    relative: float | None
    relative_ci: tuple[float, float] | None
    p_value: float | None
    chance_to_beat: float
    expected_loss: float  # choosing this arm; in rate (absolute) units
    baseline_loss: float  # keeping the baseline instead


def compare(n_c: int, x_c: int, n_t: int, x_t: int, level: float = 0.95) -> Comparison:
    """Treatment (n_t users, x_t converted) against control (n_c, x_c)."""
    p_c, p_t = x_c / n_c, x_t / n_t
    var_c, var_t = p_c * (1 - p_c) / n_c, p_t * (1 - p_t) / n_t
    z = normal_quantile(0.5 + level / 2)
    diff = p_t - p_c
    se_abs = math.sqrt(var_c + var_t)
    relative = relative_ci = p_value = None
    if p_c > 0:
        relative = p_t / p_c - 1
        # Delta method: Var(p_t / p_c) ~ var_t / p_c^2 + p_t^2 var_c / p_c^4.
        se_rel = math.sqrt(var_t / p_c**2 + p_t**2 * var_c / p_c**4)
        relative_ci = (relative - z * se_rel, relative + z * se_rel)
        p_value = 2 * normal_sf(abs(relative) / se_rel) if se_rel > 0 else None
    a_c, b_c, a_t, b_t = x_c + 1, n_c - x_c + 1, x_t + 1, n_t - x_t + 1
    return Comparison(
        rate=p_t, baseline_rate=p_c, absolute=diff,
        absolute_ci=(diff - z * se_abs, diff + z * se_abs),
        relative=relative, relative_ci=relative_ci, p_value=p_value,
        chance_to_beat=prob_b_beats_a(a_c, b_c, a_t, b_t),
        expected_loss=expected_loss(a_c, b_c, a_t, b_t),
        baseline_loss=expected_loss(a_t, b_t, a_c, b_c),
    )
