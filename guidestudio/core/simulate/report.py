"""The simulation's result for people and spreadsheets: table, JSON, CSV.

In the table and the CSV the audience is a share of all users; variants,
control and "not in experiment" are shares of the audience.
"""

from __future__ import annotations

import csv
import io
import json

from guidestudio.core import eligibility
from guidestudio.core.eligibility import priority_key
from guidestudio.core.simulate.explain_user import ExplainResult
from guidestudio.core.simulate.results import SimulationResult, percent
from guidestudio.core.targeting.js_values import js_string


def _count(n: int, total: int) -> str:
    return f"{n:,} ({percent(n, total):.1f}%)"


def format_table(result: SimulationResult) -> str:
    """A fixed-width table: audience as a share of all users; variants,
    control and "not in experiment" as shares of the audience."""
    header = ["GUIDE", "PRIO", "SCHEDULE", "AUDIENCE", "VARIANTS", "CONTROL", "NOT IN EXP.",
              "ELIGIBLE NOW"]
    rows = [header]
    for g in sorted(result.guides, key=lambda g: priority_key({"id": g.id,
                                                              "priority": g.priority})):
        variants = ", ".join(f"{k} {_count(n, g.audience)}"
                             for k, n in g.variant_counts().items()) or "-"
        rows.append([
            g.id, js_string(g.priority), g.schedule, _count(g.audience, g.users), variants,
            _count(g.control, g.audience) if g.has_control else "-",
            _count(g.not_in_experiment_total, g.audience) if g.has_experiment else "-",
            f"{g.eligible:,}",
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{result.project or 'project'} · {result.environment or 'bundle'} · "
        f"{result.users:,} users × {len(result.guides)} guides · now "
        f"{eligibility.iso_utc(result.now_ms)[:19]}Z",
        "",
    ]
    for r in rows:
        cells = [c.rjust(w) if i == 1 else c.ljust(w) for i, (c, w) in
                 enumerate(zip(r, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    if result.explained is not None:
        lines += ["", *format_explain(result.explained, result.now_ms)]
    return "\n".join(lines)


def format_explain(explained: ExplainResult, now_ms: float) -> list[str]:
    where = f" (line {explained.line})" if explained.line else ""
    lines = [f"Why user {explained.user_id}{where} sees what, at "
             f"{eligibility.iso_utc(now_ms)[:19]}Z (highest priority first):"]
    width = max((len(js_string(g.get("id"))) for g, _ in explained.decisions), default=5)
    for guide, d in explained.decisions:
        verdict = f"eligible, variant {d.variant}" if d.eligible else (
            f"not shown: {d.reason}" + (f" ({d.variant})" if d.variant else ""))
        detail = f" — {d.detail}" if d.detail else ""
        lines.append(f"  {js_string(guide.get('id')).ljust(width)}  "
                     f"{js_string(guide.get('priority') or 0):>4}  {verdict}{detail}")
    lines.append(f"If every trigger fired now, the guide shown would be: "
                 f"{explained.winner or 'none'}")
    return lines


def format_json(result: SimulationResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def format_csv(result: SimulationResult) -> str:
    """One row per guide and group (each variant, control, not in experiment):
    easy to pivot in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["guide_id", "guide_name", "priority", "schedule", "users", "audience",
                     "audience_pct", "group", "count", "pct_of_audience", "eligible_now"])
    for g in result.guides:
        base = [g.id, g.name, js_string(g.priority), g.schedule, g.users, g.audience,
                percent(g.audience, g.users)]
        groups = list(g.variant_counts().items())
        if g.has_control:
            groups.append(("control", g.control))
        if g.has_experiment:
            groups.append(("not_in_experiment", g.not_in_experiment_total))
        for name, n in groups:
            writer.writerow([*base, name, n, percent(n, g.audience), g.eligible])
    if result.explained is not None:
        writer.writerow([])
        writer.writerow(["user", "guide_id", "priority", "eligible", "reason", "variant",
                         "detail"])
        for guide, d in result.explained.decisions:
            writer.writerow([result.explained.user_id, js_string(guide.get("id")),
                             js_string(guide.get("priority") or 0), js_string(d.eligible),
                             d.reason, d.variant or "", d.detail])
    return buf.getvalue().rstrip("\n")

