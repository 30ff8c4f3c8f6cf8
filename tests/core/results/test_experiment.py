"""The experiment read against control agrees with a hand-written reference computation on
the same events: exposures, conversions, lifts and their intervals, the Bayesian figures
and the sample-ratio check."""

from __future__ import annotations

import math
import random
from datetime import timedelta
from pathlib import Path
from statistics import NormalDist

import pytest

from guidestudio.core.results import analysis, store
from guidestudio.core.results.stats import chi2_sf

from .events_support import project, track, utc, write_jsonl

G, KEY = "banner", "banner-copy"
RATES = {"control": 0.10, "a": 0.15, "b": 0.10}


def generated_events(seed: int = 7, users: int = 1500) -> list[dict]:
    rng = random.Random(seed)
    ev = []
    for n in range(users):
        user, day = f"u{n}", 1 + n % 20
        arm = rng.choices(["control", "a", "b"], [0.2, 0.4, 0.4])[0]
        t0 = f"2026-10-{day:02d}T12:00:00+02:00"
        ev.append(track(user, "experiment_viewed", t0, f"x{n}", guide_id=G, variant=arm,
                        experiment=KEY))
        if n % 97 == 0:  # seen again in another arm later: stays in the first
            other = "a" if arm != "a" else "b"
            ev.append(track(user, "experiment_viewed", f"2026-10-{day:02d}T13:00:00Z", f"y{n}",
                            guide_id=G, variant=other, experiment=KEY))
        if arm != "control":
            ev.append(track(user, "guide_shown", t0, f"s{n}", guide_id=G, variant=arm,
                            experiment=KEY))
        roll = rng.random()
        if roll < RATES[arm]:
            ev.append(track(user, "plan_upgraded", f"2026-10-{day + 3:02d}T08:00:00Z", f"g{n}"))
        elif roll < RATES[arm] + 0.03:  # after the 14-day window: not a conversion
            ev.append(track(user, "plan_upgraded", f"2026-11-{day + 5:02d}T08:00:00Z", f"g{n}"))
        elif roll < RATES[arm] + 0.05:  # before exposure only
            ev.append(track(user, "plan_upgraded", "2026-09-20T08:00:00Z", f"g{n}"))
    return ev


def reference(ev: list[dict]) -> dict[str, tuple[int, int]]:
    """Users and conversions per arm, by hand: first exposure per user, goal within 14 days."""
    first: dict[str, tuple] = {}
    for e in ev:
        if e["event"] == "experiment_viewed":
            t = utc(e["timestamp"])
            if e["userId"] not in first or t < first[e["userId"]][0]:
                first[e["userId"]] = (t, e["properties"]["variant"])
    converted = {e["userId"] for e in ev if e["event"] == "plan_upgraded"
                 and first[e["userId"]][0] <= utc(e["timestamp"]) <= first[e["userId"]][0] + timedelta(days=14)}
    out: dict[str, tuple[int, int]] = {}
    for user, (_, arm) in first.items():
        n, x = out.get(arm, (0, 0))
        out[arm] = (n + 1, x + (user in converted))
    return out


def beta_reference(x_c: int, n_c: int, x_t: int, n_t: int, cells: int = 20000) -> tuple[float, float]:
    """P(treatment > control) and E[max(control - treatment, 0)] by numerical integration
    of the two Beta(1 + x, 1 + n - x) posteriors on a fine grid."""
    def pdf(p: float, a: int, b: int) -> float:
        return math.exp((a - 1) * math.log(p) + (b - 1) * math.log1p(-p)
                        - math.lgamma(a) - math.lgamma(b) + math.lgamma(a + b))
    lo, hi = 1e-9, 0.5
    h = (hi - lo) / cells
    grid = [lo + h * (i + 0.5) for i in range(cells)]
    pc = [pdf(p, x_c + 1, n_c - x_c + 1) * h for p in grid]
    pt = [pdf(p, x_t + 1, n_t - x_t + 1) * h for p in grid]
    below = below_mean = win = loss = 0.0
    for i in range(cells):  # treatment in cell i; control below it wins for treatment
        win += pt[i] * (below + pc[i] / 2)
        below += pc[i]
    below = 0.0
    for i, p in enumerate(grid):  # control at p above treatment: the loss of choosing it
        loss += pc[i] * (p * (below + pt[i] / 2) - (below_mean + p * pt[i] / 2))
        below += pt[i]
        below_mean += p * pt[i]
    return win, loss


def test_experiment_matches_the_reference_computation(tmp_path: Path) -> None:
    ev = generated_events()
    path = write_jsonl(tmp_path / "events.jsonl", ev)
    con = store.connect()
    store.load(con, project(), [str(path)])
    (result,) = analysis.analyse(con, project(), [G])
    exp = result.experiment
    assert exp is not None and exp.enough_data and exp.baseline == "control"
    ref = reference(ev)
    assert {a.name: (a.users, a.conversions) for a in exp.arms} == ref
    assert exp.multi_arm == len(range(0, 1500, 97))
    assert exp.goal_only_before > 0
    assert [a.weight for a in exp.arms] == pytest.approx([0.2, 0.4, 0.4])

    n_c, x_c = ref["control"]
    z = NormalDist().inv_cdf(0.975)
    for arm in exp.arms[1:]:
        n_t, x_t = ref[arm.name]
        pc, pt = x_c / n_c, x_t / n_t
        vc, vt = pc * (1 - pc) / n_c, pt * (1 - pt) / n_t
        c = arm.comparison
        assert c is not None
        assert c.absolute == pytest.approx(pt - pc)
        assert c.absolute_ci == pytest.approx((pt - pc - z * math.sqrt(vc + vt),
                                               pt - pc + z * math.sqrt(vc + vt)))
        se = math.sqrt(vt / pc**2 + pt**2 * vc / pc**4)
        assert c.relative == pytest.approx(pt / pc - 1)
        assert c.relative_ci == pytest.approx((pt / pc - 1 - z * se, pt / pc - 1 + z * se))
        win, loss = beta_reference(x_c, n_c, x_t, n_t)
        assert c.chance_to_beat == pytest.approx(win, abs=1e-4)
        assert c.expected_loss == pytest.approx(loss, abs=1e-6)

    observed = [ref[k][0] for k in ("control", "a", "b")]
    total = sum(observed)
    chi2 = sum((o - total * w) ** 2 / (total * w) for o, w in zip(observed, (0.2, 0.4, 0.4), strict=True))
    assert exp.sample_ratio is not None
    assert exp.sample_ratio.chi2 == pytest.approx(chi2)
    assert exp.sample_ratio.p_value == pytest.approx(math.exp(-chi2 / 2))  # 2 dof: exact
    assert not exp.sample_ratio.mismatch


def test_a_skewed_split_is_flagged_and_small_samples_are_not_read(tmp_path: Path) -> None:
    ev = [e for e in generated_events() if not (e["properties"].get("variant") == "control"
                                                and int(e["userId"][1:]) % 2)]
    con = store.connect()
    store.load(con, project(), [str(write_jsonl(tmp_path / "e.jsonl", ev))])
    exp = analysis.analyse(con, project(), [G])[0].experiment
    assert exp is not None and exp.sample_ratio is not None and exp.sample_ratio.mismatch
    assert any("sample ratio mismatch" in n for n in exp.notes)

    con = store.connect()
    store.load(con, project(), [str(write_jsonl(tmp_path / "few.jsonl", generated_events(users=120)))])
    exp = analysis.analyse(con, project(), [G])[0].experiment
    assert exp is not None and not exp.enough_data
    assert all(a.comparison is None for a in exp.arms)
    assert any(n.startswith("not enough data yet") for n in exp.notes)


@pytest.mark.parametrize("x, dof, p", [(3.841458820694124, 1, 0.05), (6.634896601021214, 1, 0.01),
                                       (7.814727903251178, 3, 0.05), (13.276704135987622, 4, 0.01),
                                       (0.1, 5, 0.9998319),
                                       # even dof, closed form: e^-20 (1 + 20 + 20^2/2)
                                       (40.0, 6, math.exp(-20) * 221)])
def test_chi_square_tail_against_published_table_values(x: float, dof: int, p: float) -> None:
    assert chi2_sf(x, dof) == pytest.approx(p, rel=1e-3)
