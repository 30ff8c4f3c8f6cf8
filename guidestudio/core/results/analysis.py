"""Results per guide: the funnel, steps, anchors missing, surveys, checklists, the daily
series, and the experiment read against control — from the queries, as plain data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from guidestudio.core.model import Guide, Project
from guidestudio.core.results.queries import ResultsQueries
from guidestudio.core.results.stats import Comparison, SampleRatio, compare, sample_ratio
from guidestudio.core.weights import CONTROL, split_shares

MIN_USERS_PER_ARM = 100
MIN_CONVERSIONS = 20  # in the baseline and the arm together
FUNNEL_STAGES = ("entered", "shown", "completed", "dismissed", "snoozed", "cta_clicked", "goal")


@dataclass
class VariantFunnel:
    variant: str | None
    entered: int = 0
    shown: int = 0
    completed: int = 0
    dismissed: int = 0
    snoozed: int = 0
    cta_clicked: int = 0
    goal: int = 0
    steps: list[int] = field(default_factory=list)  # users who saw step i
    locale: str | None = None  # in ``GuideResult.by_locale``: the users' locale

    def add(self, other: VariantFunnel) -> None:
        """Add another group's users: a variant's locales partition its users."""
        for name in FUNNEL_STAGES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def drop_off(self) -> list[float | None]:
        """Share of the previous step's users who did not see step i (None for step 0)."""
        out: list[float | None] = [None]
        for before, after in zip(self.steps, self.steps[1:], strict=False):
            out.append(1 - after / before if before else None)
        return out


@dataclass
class StepError:
    variant: str | None
    step: int | None
    selector: str | None
    reason: str | None
    errors: int
    users: int


@dataclass
class Survey:
    variant: str | None
    scores: list[int]  # users per score 0..10 (each user's latest answer)

    @property
    def responses(self) -> int:
        return sum(self.scores)

    @property
    def nps(self) -> float | None:
        """Promoters (9-10) minus detractors (0-6), in percent of respondents."""
        if not self.responses:
            return None
        return 100 * (sum(self.scores[9:]) - sum(self.scores[:7])) / self.responses


@dataclass
class Arm:
    name: str
    weight: float | None  # configured share; None for an arm the guide does not have
    users: int = 0
    conversions: int = 0
    comparison: Comparison | None = None

    @property
    def rate(self) -> float | None:
        return self.conversions / self.users if self.users else None


@dataclass
class Experiment:
    key: str
    goal: str | None
    window_days: int | None
    baseline: str
    arms: list[Arm]
    sample_ratio: SampleRatio | None
    multi_arm: int  # users seen in more than one arm (counted in their first)
    shown_before_exposure: int  # clock skew: shown before their first exposure
    goal_only_before: int  # reached the goal only before exposure (not a conversion)
    enough_data: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class GuideResult:
    guide_id: str
    name: str
    variants: list[VariantFunnel]
    step_errors: list[StepError]
    surveys: list[Survey]
    checklist: dict[str | None, dict[str, int]]  # variant -> item -> users
    daily: list[tuple[str | None, date, int, int]]  # variant, day, shown, completed
    experiment: Experiment | None
    # The funnel per variant and locale (steps not split): each user in the locale of
    # their first event of the guide that carries one; None when none did.
    by_locale: list[VariantFunnel] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def build_bases(con: duckdb.DuckDBPyConnection) -> ResultsQueries:
    """The queries' bases (``queries.BASES``) built once as tables from the loaded
    ``events``: each is one scan of the events, and every result reads a base."""
    q = ResultsQueries()
    for name, sql in q.bases().items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    return ResultsQueries(materialised=True)


def analyse(con: duckdb.DuckDBPyConnection, project: Project,
            guide_ids: list[str] | None = None, materialise: bool = True) -> list[GuideResult]:
    """Every guide's results (or those of ``guide_ids``), from the loaded ``events``.
    ``materialise=False`` runs each query standing alone (its bases as ``WITH`` clauses),
    the form a warehouse runs: slower, same rows."""
    q = build_bases(con) if materialise else ResultsQueries()
    funnels: dict[str, dict[str | None, VariantFunnel]] = defaultdict(dict)
    by_locale: dict[str, list[VariantFunnel]] = defaultdict(list)
    for gid, variant, locale, *counts in _rows(con, q.funnel()):
        part = VariantFunnel(variant, *counts, locale=locale)
        by_locale[gid].append(part)
        funnels[gid].setdefault(variant, VariantFunnel(variant)).add(part)
    for gid, variant, step, users in _rows(con, q.steps()):
        f = funnels[gid].setdefault(variant, VariantFunnel(variant))
        if 0 <= step < 1000:
            f.steps.extend([0] * (step + 1 - len(f.steps)))
            f.steps[step] = users
    errors: dict[str, list[StepError]] = defaultdict(list)
    for gid, *rest in _rows(con, q.step_errors()):
        errors[gid].append(StepError(*rest))
    surveys: dict[str, dict[str | None, list[int]]] = defaultdict(dict)
    for gid, variant, score, users in _rows(con, q.survey_scores()):
        surveys[gid].setdefault(variant, [0] * 11)[score] = users
    checklist: dict[str, dict[str | None, dict[str, int]]] = defaultdict(dict)
    for gid, variant, item, users in _rows(con, q.checklist_items()):
        checklist[gid].setdefault(variant, {})[item] = users
    daily: dict[str, list[tuple[str | None, date, int, int]]] = defaultdict(list)
    for gid, variant, day, shown, completed in _rows(con, q.daily()):
        daily[gid].append((variant, day, shown, completed))
    arms: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for gid, *rest in _rows(con, q.experiment_arms()):
        arms[gid].append(tuple(rest))

    out = []
    for gid, guide in project.guides.items():
        if guide_ids is not None and gid not in guide_ids:
            continue
        variants = funnels.get(gid, {})
        for v in guide.variants:  # every configured variant, seen or not
            variants.setdefault(v.key, VariantFunnel(v.key))
        for v in guide.variants:
            f = variants[v.key]
            f.steps.extend([0] * (len(v.steps) - len(f.steps)))
        order = {v.key: i for i, v in enumerate(guide.variants)}
        ordered = sorted(variants.values(),
                         key=lambda f: (f.variant != CONTROL, order.get(f.variant or "", 99),
                                        f.variant or ""))
        out.append(GuideResult(
            gid, guide.name, ordered, errors.get(gid, []),
            [Survey(v, s) for v, s in surveys.get(gid, {}).items()],
            checklist.get(gid, {}), daily.get(gid, []),
            _experiment(guide, arms.get(gid, [])) if guide.experiment else None,
            sorted(by_locale.get(gid, []), key=lambda f: (
                f.variant != CONTROL, order.get(f.variant or "", 99), f.variant or "",
                f.locale is None, f.locale or ""))))
    return out


def _experiment(guide: Guide, rows: list[tuple[Any, ...]]) -> Experiment:
    assert guide.experiment is not None
    weights = split_shares(guide)
    seen = {arm: r for arm, *r in rows}
    arms = [Arm(name, w) for name, w in weights.items()]
    arms += [Arm(str(name), None) for name in seen if name not in weights]
    multi = before = goal_before = 0
    for arm in arms:
        users, conversions, m, b, g = seen.get(arm.name, (0, 0, 0, 0, 0))
        arm.users, arm.conversions = users, conversions
        multi, before, goal_before = multi + m, before + b, goal_before + g
    baseline = arms[0]
    notes = []
    unknown = [a.name for a in arms if a.weight is None]
    if unknown:
        notes.append(f"exposures in arms the guide does not have: {', '.join(unknown)}")
    configured = [a for a in arms if a.weight is not None]
    srm = sample_ratio([a.users for a in configured], [a.weight or 0 for a in configured])
    if srm is not None and srm.mismatch:
        notes.append(f"sample ratio mismatch (p = {srm.p_value:.2g}): users per arm differ from "
                     "the configured split; check targeting and event collection before "
                     "trusting the results")
    if multi:
        notes.append(f"{multi} user{'s' * (multi != 1)} seen in more than one arm, counted in "
                     "their first")
    if before:
        notes.append(f"{before} user{'s' * (before != 1)} shown the guide before their first "
                     "exposure (clock skew or a missing experiment_viewed)")
    if goal_before:
        notes.append(f"{goal_before} user{'s' * (goal_before != 1)} reached the goal only "
                     "before exposure (not counted as conversions)")
    goal = guide.goal.event if guide.goal else None
    enough = goal is not None
    if goal is None:
        notes.append("the guide has no goal: nothing to convert to")
    for arm in arms[1:]:
        ok = (goal is not None and baseline.users >= MIN_USERS_PER_ARM
              and arm.users >= MIN_USERS_PER_ARM
              and baseline.conversions + arm.conversions >= MIN_CONVERSIONS
              and baseline.conversions > 0)
        if ok:
            arm.comparison = compare(baseline.users, baseline.conversions,
                                     arm.users, arm.conversions)
        enough = enough and ok
    if goal is not None and not enough:
        notes.append(f"not enough data yet: each arm needs {MIN_USERS_PER_ARM} users and the "
                     f"baseline with an arm {MIN_CONVERSIONS} conversions")
    return Experiment(guide.experiment.key, goal, guide.goal.within_days if guide.goal else None,
                      baseline.name, arms, srm, multi, before, goal_before, enough, notes)
