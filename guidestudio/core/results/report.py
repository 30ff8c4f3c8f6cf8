"""Results as text: a table for people, JSON and CSV for other tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from guidestudio.core.results.analysis import Experiment, GuideResult, VariantFunnel
from guidestudio.core.results.store import LoadReport

FUNNEL = ("entered", "shown", "completed", "dismissed", "snoozed", "cta_clicked", "goal")


def pct(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%"


def points(x: float) -> str:
    """A difference of rates in percentage points."""
    return f"{x * 100:+.1f} pp"


def interval(ci: tuple[float, float] | None, points: bool = False) -> str:
    if ci is None:
        return ""
    if points:
        return f" [{ci[0] * 100:+.1f}, {ci[1] * 100:+.1f}]"
    return f" [{pct(ci[0], True)}, {pct(ci[1], True)}]"


def has_events(r: GuideResult) -> bool:
    return any(getattr(f, k) for f in r.variants for k in FUNNEL) or bool(
        r.step_errors or r.surveys or r.checklist or (r.experiment and any(
            a.users for a in r.experiment.arms)))


def _split_by_locale(r: GuideResult) -> bool:
    """Worth a table of its own: some event said its locale (older runtimes did not)."""
    return any(f.locale is not None for f in r.by_locale)


def _grid(rows: list[list[str]], indent: str = "  ", left: int = 1) -> list[str]:
    """Columns padded to their widest cell: the first ``left`` to the left (names), the
    rest to the right (numbers)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) if i < left else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
            for r in rows]


def format_table(results: list[GuideResult], load: LoadReport) -> str:
    lines = [f"{load.events:,} event{'s' * (load.events != 1)} analysed "
             f"({load.rows:,} row{'s' * (load.rows != 1)} read)"]
    quiet = [r.guide_id for r in results if not has_events(r)]
    for r in results:
        if r.guide_id in quiet:
            continue
        lines += ["", f"{r.name} ({r.guide_id})"]
        head = ["variant", "entered", "shown", "completed", "dismissed", "snoozed", "CTA", "goal"]
        lines += _grid([head] + [[f.variant or "—", *(f"{getattr(f, k):,}" for k in FUNNEL)]
                                 for f in r.variants])
        if _split_by_locale(r):
            lines.append("  by locale:")
            lines += _grid([["variant", "locale", *head[1:]]] + [
                [f.variant or "—", f.locale or "(none)", *(f"{getattr(f, k):,}" for k in FUNNEL)]
                for f in r.by_locale], "    ", left=2)
        for f in r.variants:
            if len(f.steps) > 1 and any(f.steps):
                parts = [f"{i + 1}: {n:,}" + (f" (−{d * 100:.0f}%)" if d else "")
                         for i, (n, d) in enumerate(zip(f.steps, f.drop_off, strict=True))]
                lines.append(f"  steps seen ({f.variant}): " + " → ".join(parts))
        for e in r.step_errors:
            step = "?" if e.step is None else e.step + 1
            reason = f" ({e.reason})" if e.reason else ""
            lines.append(f"  anchor missing ({e.variant}, step {step}): {e.selector}{reason}: "
                         f"{e.users:,} users, {e.errors:,} times")
        for s in r.surveys:
            nps = "—" if s.nps is None else f"{s.nps:+.0f}"
            dist = " ".join(f"{i}:{n}" for i, n in enumerate(s.scores) if n)
            lines.append(f"  survey ({s.variant}): {s.responses:,} responses, NPS {nps} ({dist})")
        for variant, items in r.checklist.items():
            done = ", ".join(f"{k} {v:,}" for k, v in items.items())
            lines.append(f"  checklist items done ({variant}): {done}")
        if r.experiment:
            lines += _experiment_lines(r.experiment)
    if quiet:
        lines += ["", "no events for: " + ", ".join(quiet)]
    return "\n".join(lines)


def _experiment_lines(x: Experiment) -> list[str]:
    window = f" within {x.window_days} days" if x.window_days else ""
    lines = [f"  experiment {x.key}: goal {x.goal or '—'}{window} after exposure, "
             f"against {x.baseline}"]
    rows = [["arm", "users", "converted", "rate", "abs. lift [95% CI]", "rel. lift [95% CI]",
             "chance to beat", "risk"]]
    for a in x.arms:
        c = a.comparison
        rows.append([a.name, f"{a.users:,}", f"{a.conversions:,}", pct(a.rate),
                     "" if c is None else points(c.absolute) + interval(c.absolute_ci, True),
                     "" if c is None or c.relative is None
                     else pct(c.relative, True) + interval(c.relative_ci),
                     "" if c is None else pct(c.chance_to_beat),
                     "" if c is None else f"{c.expected_loss * 100:.2f} pp"])
    lines += _grid(rows, "    ")
    if x.sample_ratio is not None:
        verdict = "MISMATCH" if x.sample_ratio.mismatch else "ok"
        lines.append(f"    sample ratio: chi² {x.sample_ratio.chi2:.2f}, "
                     f"p = {x.sample_ratio.p_value:.3g} ({verdict})")
    lines += [f"    note: {n}" for n in x.notes]
    return lines


def _funnel_dict(f: VariantFunnel) -> dict[str, Any]:
    return {"variant": f.variant, **{k: getattr(f, k) for k in FUNNEL},
            "steps": f.steps, "drop_off": f.drop_off}


def _locale_dict(f: VariantFunnel) -> dict[str, Any]:
    return {"variant": f.variant, "locale": f.locale, **{k: getattr(f, k) for k in FUNNEL}}


def to_dict(results: list[GuideResult], load: LoadReport) -> dict[str, Any]:
    guides = []
    for r in results:
        x = r.experiment
        guides.append({
            "guide_id": r.guide_id, "name": r.name,
            "variants": [_funnel_dict(f) for f in r.variants],
            "by_locale": [_locale_dict(f) for f in r.by_locale],
            "step_errors": [vars(e) for e in r.step_errors],
            "surveys": [{"variant": s.variant, "scores": s.scores, "responses": s.responses,
                         "nps": s.nps} for s in r.surveys],
            "checklist": [{"variant": v, "items": items} for v, items in r.checklist.items()],
            "daily": [{"variant": v, "day": d.isoformat(), "shown": s, "completed": c}
                      for v, d, s, c in r.daily],
            "experiment": None if x is None else {
                "key": x.key, "goal": x.goal, "window_days": x.window_days,
                "baseline": x.baseline, "enough_data": x.enough_data,
                "arms": [{"name": a.name, "weight": a.weight, "users": a.users,
                          "conversions": a.conversions, "rate": a.rate,
                          "comparison": None if a.comparison is None else vars(a.comparison)}
                         for a in x.arms],
                "sample_ratio": None if x.sample_ratio is None else {
                    "chi2": x.sample_ratio.chi2, "p_value": x.sample_ratio.p_value,
                    "mismatch": x.sample_ratio.mismatch},
                "multi_arm_users": x.multi_arm,
                "shown_before_exposure": x.shown_before_exposure,
                "goal_only_before_exposure": x.goal_only_before, "notes": x.notes},
        })
    return {"rows_read": load.rows, "events": load.events, "notes": load.messages(),
            "unreadable": [vars(b) for b in load.unreadable], "guides": guides}


def format_json(results: list[GuideResult], load: LoadReport) -> str:
    return json.dumps(to_dict(results, load), ensure_ascii=False, indent=2)


def format_csv(results: list[GuideResult], load: LoadReport) -> str:
    """Long format, one figure a row: guide_id, variant, locale, section, name, value
    (``locale`` only in the funnel per locale, section ``funnel_locale``)."""
    out = io.StringIO()
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(["guide_id", "variant", "locale", "section", "name", "value"])

    def put(guide: str, variant: str | None, section: str, name: Any, value: Any) -> None:
        rows.writerow([guide, variant, "", section, name, value])  # no locale

    for r in results:
        for f in r.variants:
            for k in FUNNEL:
                put(r.guide_id, f.variant, "funnel", k, getattr(f, k))
            for i, n in enumerate(f.steps):
                put(r.guide_id, f.variant, "step_seen", i + 1, n)
        for f in r.by_locale:
            for k in FUNNEL:
                rows.writerow([r.guide_id, f.variant, f.locale or "", "funnel_locale", k,
                               getattr(f, k)])
        for e in r.step_errors:
            put(r.guide_id, e.variant, "anchor_missing",
                f"step {'' if e.step is None else e.step + 1} {e.selector} {e.reason}", e.users)
        for s in r.surveys:
            for score, n in enumerate(s.scores):
                put(r.guide_id, s.variant, "survey_score", score, n)
            put(r.guide_id, s.variant, "survey", "nps", s.nps)
        for v, items in r.checklist.items():
            for item, n in items.items():
                put(r.guide_id, v, "checklist_item", item, n)
        for v, d, shown, completed in r.daily:
            put(r.guide_id, v, "daily_shown", d.isoformat(), shown)
            put(r.guide_id, v, "daily_completed", d.isoformat(), completed)
        if r.experiment:
            for a in r.experiment.arms:
                put(r.guide_id, a.name, "experiment", "users", a.users)
                put(r.guide_id, a.name, "experiment", "conversions", a.conversions)
                c = a.comparison
                if c is not None:
                    for k in ("absolute", "relative", "p_value", "chance_to_beat",
                              "expected_loss"):
                        put(r.guide_id, a.name, "experiment", k, getattr(c, k))
                    for k in ("absolute_ci", "relative_ci"):
                        ci = getattr(c, k)
                        if ci is not None:
                            put(r.guide_id, a.name, "experiment", k + "_low", ci[0])
                            put(r.guide_id, a.name, "experiment", k + "_high", ci[1])
            if r.experiment.sample_ratio is not None:
                put(r.guide_id, "", "experiment", "srm_p_value",
                            r.experiment.sample_ratio.p_value)
    return out.getvalue().rstrip("\n")
