"""Results as one self-contained HTML file, for people who do not run the app.

One file, nothing outside it: the styles are inline, the charts are inline SVG (funnel
bars, the daily series, the experiment's intervals), and there is no script at all; a
Content-Security-Policy forbids any, so even a mistake in escaping could not run one.
Guide names, variant keys, selectors and notes are data from files the reader may not
trust: every one goes through ``html.escape`` (``_e``), in text and in attributes alike.
Colours come from CSS variables, so the same file reads in light and dark
(``prefers-color-scheme``) and prints on white. Same results, same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html import escape

from guidestudio.core.results.analysis import Experiment, GuideResult, VariantFunnel
from guidestudio.core.results.report import FUNNEL, has_events, interval, pct, points
from guidestudio.core.results.store import LoadReport

STAGES = {"entered": "Entered experiment", "shown": "Shown", "completed": "Completed",
          "dismissed": "Dismissed", "snoozed": "Snoozed", "cta_clicked": "CTA clicked",
          "goal": "Reached goal"}
SERIES = 6  # distinct colours for variants; more variants reuse them

STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d2330; --muted: #5d6678;
  --line: #d9dde5; --panel: #f5f7fa; --warn: #9a5b00;
  --c0: #2f6fd6; --c1: #d9572b; --c2: #2a9d6f; --c3: #8a5cd1; --c4: #c2417c; --c5: #6b7a1f; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181e; --fg: #e6e9ef; --muted: #a2abbb; --line: #343a46; --panel: #1d2129;
    --warn: #f0b45a;
    --c0: #6ea2ff; --c1: #ff8a5c; --c2: #4cc99a; --c3: #b792ff; --c4: #f07ab0; --c5: #b5c45a; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1000px; padding: 24px; background: var(--bg);
  color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.muted, .id { color: var(--muted); }
.id { font-weight: normal; font-size: 14px; }
section.guide { border-top: 1px solid var(--line); padding: 18px 0 8px; margin-top: 18px; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { padding: 3px 10px 3px 0; text-align: right; font-variant-numeric: tabular-nums;
  border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.text { text-align: left; }
ul.notes { padding-left: 18px; margin: 6px 0; }
ul.notes li, .warn { color: var(--warn); }
.legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 5px; vertical-align: baseline; }
svg { display: block; max-width: 100%; height: auto; margin: 4px 0 10px; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
svg text.muted { fill: var(--muted); }
svg .axis { stroke: var(--line); stroke-width: 1; }
svg .zero { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 3; }
""" + "".join(f".s{i} {{ fill: var(--c{i}); stroke: var(--c{i}); }}\n"
              f".swatch.s{i} {{ background: var(--c{i}); }}\n" for i in range(SERIES)) + """
polyline { fill: none; stroke-width: 2; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #444444; --line: #bbbbbb; --warn: #7a4700; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  section.guide { break-inside: avoid-page; }
}
"""


def _e(text: object) -> str:
    """Escaped for text and for attribute values (quotes included)."""
    return escape(str(text), quote=True)


def _n(x: int) -> str:
    return f"{x:,}"


def _colours(variants: list[str | None]) -> dict[str | None, int]:
    return {v: i % SERIES for i, v in enumerate(variants)}


def _legend(colours: dict[str | None, int]) -> str:
    return ('<p class="legend">' + "".join(
        f'<span><i class="swatch s{c}"></i>{_e(v or "—")}</span>'
        for v, c in colours.items()) + "</p>")


def _funnel_svg(variants: list[VariantFunnel], colours: dict[str | None, int]) -> str:
    """Horizontal bars: one row per stage, one bar per variant, scaled to the guide's largest
    count so variants compare by length."""
    stages = [k for k in FUNNEL if any(getattr(f, k) for f in variants)]
    if not stages:
        return ""
    top = max(getattr(f, k) for f in variants for k in stages) or 1
    bar, gap, label, width = 14, 10, 140, 560
    rows = []
    y = 0
    for k in stages:
        rows.append(f'<text x="0" y="{y + bar * len(variants) / 2 + 4:.1f}">{_e(STAGES[k])}</text>')
        for f in variants:
            n = getattr(f, k)
            w = n / top * (width - 110)
            # After the show, the share of users shown is what a marketer compares.
            share = (f" · {n / f.shown * 100:.0f}%" if k not in ("entered", "shown") and f.shown
                     else "")
            rows.append(f'<rect class="s{colours[f.variant]}" x="{label}" y="{y}" '
                        f'width="{w:.1f}" height="{bar - 2}" rx="2"/>'
                        f'<text class="muted" x="{label + w + 6:.1f}" y="{y + bar - 4}">'
                        f'{_n(n)}{share}</text>')
            y += bar
        y += gap
    names = ", ".join(f"{f.variant or '—'}: " + ", ".join(
        f"{STAGES[k].lower()} {getattr(f, k)}" for k in stages) for f in variants)
    return (f'<svg role="img" viewBox="0 0 {label + width} {y}" width="{label + width}" '
            f'height="{y}"><title>{_e("Funnel per variant. " + names)}</title>'
            + "".join(rows) + "</svg>")


def _daily_svg(daily: list[tuple[str | None, date, int, int]],
               colours: dict[str | None, int]) -> str:
    """Users shown per UTC day, one line per variant."""
    days = sorted({d for _, d, _, _ in daily})
    if len(days) < 2:
        return ""
    series: dict[str | None, dict[date, int]] = defaultdict(dict)
    for variant, d, shown, _ in daily:
        series[variant][d] = shown
    top = max(max(s.values()) for s in series.values()) or 1
    left, width, height, bottom = 48, 640, 160, 20
    span = (days[-1] - days[0]).days or 1

    def x(d: date) -> float:
        return left + (d - days[0]).days / span * width

    def y(n: int) -> float:
        return height - n / top * (height - 10)

    lines = [f'<line class="axis" x1="{left}" y1="{height}" x2="{left + width}" y2="{height}"/>',
             f'<line class="axis" x1="{left}" y1="0" x2="{left}" y2="{height}"/>',
             f'<text class="muted" x="{left - 6}" y="14" text-anchor="end">{_n(top)}</text>',
             f'<text class="muted" x="{left - 6}" y="{height}" text-anchor="end">0</text>',
             f'<text class="muted" x="{left}" y="{height + 16}">{days[0].isoformat()}</text>',
             f'<text class="muted" x="{left + width}" y="{height + 16}" text-anchor="end">'
             f'{days[-1].isoformat()}</text>']
    for variant, by_day in series.items():
        # A day without a row is a day nobody was shown the variant.
        path = " ".join(f"{x(d):.1f},{y(by_day.get(d, 0)):.1f}" for d in days
                        if min(by_day) <= d <= max(by_day))
        lines.append(f'<polyline class="s{colours.get(variant, 0)}" style="fill:none" '
                     f'points="{path}"/>')
    total = sum(shown for _, _, shown, _ in daily)
    return (f'<svg role="img" viewBox="0 0 {left + width + 10} {height + bottom}" '
            f'width="{left + width + 10}" height="{height + bottom}"><title>'
            f'{_e(f"Users shown per day, {days[0]} to {days[-1]}: {total} in all")}</title>'
            + "".join(lines) + "</svg>")


def _interval_svg(x: Experiment, colours: dict[str | None, int]) -> str:
    """Each arm's relative lift against the baseline with its 95% interval, around zero."""
    arms = [a for a in x.arms if a.comparison and a.comparison.relative_ci]
    if not arms:
        return ""
    cis = [a.comparison.relative_ci for a in arms if a.comparison and a.comparison.relative_ci]
    low = min(0.0, *(c[0] for c in cis))
    high = max(0.0, *(c[1] for c in cis))
    pad = (high - low) * 0.08 or 0.05
    low, high = low - pad, high + pad
    label, width, row = 120, 520, 28

    def px(v: float) -> float:
        return label + (v - low) / (high - low) * width

    parts = [f'<line class="zero" x1="{px(0):.1f}" y1="0" x2="{px(0):.1f}" '
             f'y2="{row * len(arms)}"/>']
    for i, a in enumerate(arms):
        c = a.comparison
        assert c is not None and c.relative_ci is not None and c.relative is not None
        y = i * row + row / 2
        s = f"s{colours.get(a.name, 0)}"
        parts.append(f'<text x="0" y="{y + 4:.1f}">{_e(a.name)}</text>'
                     f'<line class="{s}" x1="{px(c.relative_ci[0]):.1f}" y1="{y:.1f}" '
                     f'x2="{px(c.relative_ci[1]):.1f}" y2="{y:.1f}" stroke-width="3"/>'
                     f'<circle class="{s}" cx="{px(c.relative):.1f}" cy="{y:.1f}" r="5"/>')
    h = row * len(arms)
    ticks = [(0.0, "middle")]  # the ends too, unless they would overlap zero's label
    if px(0) - label > 60:
        ticks.append((low, "start"))
    if label + width - px(0) > 60:
        ticks.append((high, "end"))
    parts += [f'<text class="muted" x="{px(v):.1f}" y="{h + 14}" text-anchor="{anchor}">'
              f'{"0" if v == 0 else pct(v, True).replace("-", "−")}</text>'
              for v, anchor in ticks]
    what = "; ".join(f"{a.name}: {pct(a.comparison.relative, True)}"
                     f"{interval(a.comparison.relative_ci)}" for a in arms if a.comparison)
    return (f'<svg role="img" viewBox="0 0 {label + width + 10} {h + 20}" '
            f'width="{label + width + 10}" height="{h + 20}"><title>'
            f'{_e(f"Relative lift against {x.baseline} with 95% intervals: {what}")}</title>'
            + "".join(parts) + "</svg>")


def _table(head: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """``rows`` hold escaped cells; the first ``text_columns`` align left."""
    def cells(row: list[str], tag: str) -> str:
        return "".join(f'<{tag}{" class=text" if i < text_columns else ""}>{c}</{tag}>'
                       for i, c in enumerate(row))
    return ("<table><thead><tr>" + cells([_e(h) for h in head], "th") + "</tr></thead><tbody>"
            + "".join("<tr>" + cells(r, "td") + "</tr>" for r in rows) + "</tbody></table>")


def _experiment(x: Experiment, colours: dict[str | None, int]) -> str:
    window = f" within {x.window_days} days" if x.window_days else ""
    out = [f"<h3>Experiment {_e(x.key)}</h3>",
           f"<p>Goal <b>{_e(x.goal or '—')}</b>{_e(window)} after exposure, against "
           f"<b>{_e(x.baseline)}</b>.</p>"]
    rows = []
    for a in x.arms:
        c = a.comparison
        rows.append([_e(a.name), _n(a.users), _n(a.conversions), _e(pct(a.rate)),
                     "" if c is None else _e(points(c.absolute) + interval(c.absolute_ci, True)),
                     "" if c is None or c.relative is None
                     else _e(pct(c.relative, True) + interval(c.relative_ci)),
                     "" if c is None else _e(pct(c.chance_to_beat)),
                     "" if c is None else _e(f"{c.expected_loss * 100:.2f} pp")])
    out.append(_table(["arm", "users", "converted", "rate", "abs. lift [95% CI]",
                       "rel. lift [95% CI]", "chance to beat", "risk"], rows))
    chart = _interval_svg(x, colours)
    if chart:
        out.append(f'<p class="muted">Relative lift against {_e(x.baseline)}, with 95% '
                   f"intervals (an interval clear of 0 is a real difference):</p>{chart}")
    if x.sample_ratio is not None:
        verdict = "mismatch" if x.sample_ratio.mismatch else "ok"
        cls = ' class="warn"' if x.sample_ratio.mismatch else ""
        out.append(f"<p{cls}>Sample ratio: χ² {x.sample_ratio.chi2:.2f}, "
                   f"p = {x.sample_ratio.p_value:.3g} ({verdict}).</p>")
    if x.notes:
        out.append('<ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in x.notes) + "</ul>")
    return "".join(out)


def _guide(r: GuideResult) -> str:
    colours = _colours([f.variant for f in r.variants])
    out = [f'<section class="guide"><h2>{_e(r.name)} <span class="id">{_e(r.guide_id)}</span>'
           "</h2>", "<h3>Funnel</h3>", _legend(colours), _funnel_svg(r.variants, colours),
           _table(["variant", *(STAGES[k] for k in FUNNEL)],
                  [[_e(f.variant or "—"), *(_n(getattr(f, k)) for k in FUNNEL)]
                   for f in r.variants])]
    if any(f.locale is not None for f in r.by_locale):
        out += ["<h3>By locale</h3>", _table(
            ["variant", "locale", *(STAGES[k] for k in FUNNEL)],
            [[_e(f.variant or "—"), _e(f.locale or "(none)"), *(_n(getattr(f, k)) for k in FUNNEL)]
             for f in r.by_locale], 2)]
    steps = [f for f in r.variants if len(f.steps) > 1 and any(f.steps)]
    if steps:
        out.append("<h3>Steps seen</h3>")
        out.append(_table(["variant", *(f"step {i + 1}" for i in range(max(len(f.steps)
                                                                          for f in steps)))],
                          [[_e(f.variant or "—"), *(
                              _n(n) + (f" <span class=muted>(−{d * 100:.0f}%)</span>" if d else "")
                              for n, d in zip(f.steps, f.drop_off, strict=True))] for f in steps]))
    if r.daily:
        out += ["<h3>Users shown per day (UTC)</h3>", _daily_svg(r.daily, colours)]
    if r.step_errors:
        out += ["<h3>Anchors missing</h3>", _table(
            ["variant", "step", "selector", "reason", "users", "times"],
            [[_e(e.variant or "—"), "?" if e.step is None else str(e.step + 1),
              f"<code>{_e(e.selector or '')}</code>", _e(e.reason or ""), _n(e.users),
              _n(e.errors)] for e in r.step_errors], 4)]
    for s in r.surveys:
        nps = "—" if s.nps is None else f"{s.nps:+.0f}"
        out += [f"<h3>Survey ({_e(s.variant or '—')}): NPS {_e(nps)}, "
                f"{_n(s.responses)} responses</h3>",
                _table(["score", *(str(i) for i in range(11))],
                       [["users", *(_n(n) for n in s.scores)]])]
    for variant, items in r.checklist.items():
        out += [f"<h3>Checklist items done ({_e(variant or '—')})</h3>",
                _table(["item", "users"], [[_e(k), _n(v)] for k, v in items.items()])]
    if r.experiment:
        out.append(_experiment(r.experiment, colours))
    out.append("</section>")
    return "".join(out)


def format_html(results: list[GuideResult], load: LoadReport, title: str = "Guide results") -> str:
    """The whole report as one HTML document (``title``: the project's name, say)."""
    quiet = [r for r in results if not has_events(r)]
    shown = [r for r in results if has_events(r)]
    body = [f"<h1>{_e(title)}</h1>",
            f'<p class="muted">{_n(load.events)} events analysed ({_n(load.rows)} rows read).</p>']
    messages = load.messages()
    if messages:
        body.append('<ul class="notes">' + "".join(f"<li>{_e(m)}</li>" for m in messages)
                    + "</ul>")
    body += [_guide(r) for r in shown]
    if quiet:
        body.append('<p class="muted">No events for: '
                    + ", ".join(_e(f"{r.name} ({r.guide_id})") for r in quiet) + ".</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light dark">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(body) + "\n</body></html>\n")
