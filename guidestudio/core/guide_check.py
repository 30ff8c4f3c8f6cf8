"""Guide CI: will every ready guide find its elements, and fit, on the product's own pages?

Hosted tools alert after a guide broke in production. ``guidestudio check`` asks
before the bundle ships: it opens each host page (staging, a local build) in
the preview's engine at each device size, and for every guide the bundle ships
whose ``url`` glob matches the page it asks, step by step, what the runtime
would find: the anchor exists, is rendered (a box, not ``display: none``, not
zero-sized, not ``visibility: hidden``), and is the only rendered match (the
runtime takes the first, so two are a guess); then it shows the step and
measures it against the viewport. The engine side is
``widgets/preview/page_check.py``; this module is what is checked and what is
said, without Qt: which steps a page gets, what the page's answers mean, and
the report as a table, JSON or Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from guidestudio.core.bundle.review_format import md
from guidestudio.core.eligibility import match_url
from guidestudio.core.page_anchors import ANCHORED_LAYOUTS, DEFAULT_WAIT_SECONDS

#: A step may come this close to the viewport's edge (CSS px) before it counts as cut off:
#: the runtime keeps 12 px of margin itself, so 0 means "inside the viewport".
EDGE_TOLERANCE = 0.5
#: The words of an anchor that more than one rendered element matches.
RENDERED_MORE_THAN_ONCE = "rendered elements match"


@dataclass(frozen=True)
class StepToCheck:
    guide_id: str
    guide_name: str
    variant: str
    index: int  # 0-based, within the variant
    step_id: str
    layout: str
    selector: str | None  # the anchor the runtime looks for, if it places the step on one
    #: A guide shown on a click: the element clicked. Where the page lacks it the guide cannot
    #: show, so its steps are not checked there — a failure only when the guide's own ``url``
    #: glob names the page (a guide without one would otherwise fail on every other page).
    trigger_selector: str | None = None
    url_glob: str | None = None
    if_missing: str = "skip"
    wait_seconds: float | None = None

    @property
    def without_anchor(self) -> str:
        """What the runtime does when the anchor is not there (docs/runtime.md)."""
        if self.if_missing == "modal":
            return "the runtime shows the step as a centred modal instead"
        if self.if_missing == "wait":
            seconds = self.wait_seconds if self.wait_seconds is not None else DEFAULT_WAIT_SECONDS
            return f"the runtime waits {seconds:g} s for it, then skips the step"
        return "the runtime skips the step"

    variants: int = 1  # how many the guide has: the variant is named only when it is one of several

    @property
    def label(self) -> str:
        step = f"{self.index + 1} ({self.step_id})"
        return f"{self.variant} · {step}" if self.variants > 1 else step


@dataclass(frozen=True)
class Failure:
    page: str
    device: str
    guide_id: str
    guide_name: str
    variant: str
    step: str  # "2 (share)", "full · 3 (share)"; "" for a page that did not load
    locale: str
    selector: str
    reason: str
    screenshot: str = ""


@dataclass
class CheckReport:
    pages: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    guides: list[str] = field(default_factory=list)  # ids of the guides checked somewhere
    checks: int = 0  # step × device × locale combinations looked at
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def steps_for_page(bundle: Mapping[str, Any], url: str) -> list[StepToCheck]:
    """Every step of every variant of the bundle's guides whose ``url`` glob matches ``url``
    (a guide without one shows on every page)."""
    out: list[StepToCheck] = []
    for guide in bundle.get("guides") or []:
        if not isinstance(guide, Mapping):
            continue
        trigger = guide.get("trigger") if isinstance(guide.get("trigger"), Mapping) else {}
        if match_url(trigger.get("url"), url) is None:
            continue
        gid = str(guide.get("id"))
        name = str(guide.get("name") or gid)
        glob = trigger.get("url") if isinstance(trigger.get("url"), str) and trigger["url"] \
            else None
        clicked = trigger.get("selector") if trigger.get("on") == "click" and \
            isinstance(trigger.get("selector"), str) else None
        variants = [v for v in guide.get("variants") or [] if isinstance(v, Mapping)]
        for variant in variants:
            for index, step in enumerate(variant.get("steps") or []):
                anchor = step.get("anchor")
                selector = anchor.get("selector") if isinstance(anchor, Mapping) else None
                layout = str(step.get("layout") or "")
                out.append(StepToCheck(
                    gid, name, str(variant.get("key", "")), index, str(step.get("id") or index + 1),
                    layout, selector if layout in ANCHORED_LAYOUTS and isinstance(selector, str)
                    else None, clicked, glob, str(step.get("if_missing") or "skip"),
                    float(wait) if isinstance(wait := step.get("wait_seconds"), (int, float))
                    else None, len(variants)))
    return out


def anchor_reason(answer: Mapping[str, Any], then: str = "") -> str | None:
    """Why the page's answer about one selector fails the check (None: it passes).

    ``answer``: ``{invalid}`` or ``{count, boxes: [{w, h, hidden}]}`` for the rendered
    matches (those with a layout box), as ``page_check``'s script reports them; ``then``:
    what the runtime does without the element, said after "missing" and "not rendered".
    """
    if answer.get("invalid"):
        return "the selector is not valid CSS in this browser"
    count = int(answer.get("count") or 0)
    boxes = [b for b in answer.get("boxes") or [] if isinstance(b, Mapping)]
    if count == 0:
        return "no element matches" + (f"; {then}" * bool(then))
    if not boxes:
        return (f"{'the element is' if count == 1 else f'all {count} matches are'} not rendered "
                "(display: none, or inside a hidden part of the page)" + (f"; {then}" * bool(then)))
    if len(boxes) > 1:
        return (f"{len(boxes)} {RENDERED_MORE_THAN_ONCE} (exactly one expected); the runtime "
                "takes the first")
    box = boxes[0]
    if not (float(box.get("w") or 0) > 0 and float(box.get("h") or 0) > 0):
        return (f"the element has no size ({_px(box.get('w'))}×{_px(box.get('h'))} px): "
                "the step would point at nothing")
    if box.get("hidden"):
        return "the element is invisible (visibility: hidden or opacity: 0)"
    return None


def fit_reason(step: StepToCheck, box: Mapping[str, Any] | None) -> str | None:
    """Why the shown step does not fit the viewport (None: it fits).

    ``box``: the step card's ``{x, y, w, h}``, the viewport's ``{vw, vh}`` and how much
    of its content is scrolled out of sight (``overflow``), or None when the runtime did
    not show the step at all.
    """
    if box is None:
        return "the runtime did not show the step"
    x, y = float(box["x"]), float(box["y"])
    w, h = float(box["w"]), float(box["h"])
    vw, vh = float(box["vw"]), float(box["vh"])
    if w <= 0 or h <= 0:
        return "the step has no size on the page"
    out = []
    if x < -EDGE_TOLERANCE:
        out.append(f"{_px(-x)} px past the left edge")
    if x + w > vw + EDGE_TOLERANCE:
        out.append(f"{_px(x + w - vw)} px past the right edge")
    if y < -EDGE_TOLERANCE:
        out.append(f"{_px(-y)} px above the top")
    if y + h > vh + EDGE_TOLERANCE:
        out.append(f"{_px(y + h - vh)} px below the bottom")
    if out:
        return (f"the step ({_px(w)}×{_px(h)} px) does not fit the {_px(vw)}×{_px(vh)} viewport: "
                + ", ".join(out))
    overflow = float(box.get("overflow") or 0)
    if overflow > 1:
        return (f"the step's content is taller than the step can be here: {_px(overflow)} px "
                "of it only show by scrolling inside the step")
    return None


def _px(value: Any) -> str:
    try:
        return f"{float(value):.0f}"
    except (TypeError, ValueError):
        return "?"


# --- the report ---------------------------------------------------------------------------------

_COLUMNS = ("page", "device", "guide", "step", "locale", "selector", "reason")


def _row(f: Failure) -> tuple[str, ...]:
    guide = f"{f.guide_name} ({f.guide_id})" if f.guide_id else "—"
    return (f.page, f.device, guide, f.step or "—", f.locale or "—", f.selector or "—", f.reason)


def _summary(report: CheckReport) -> str:
    n = len(report.failures)
    return (f"{n} failure{'s' * (n != 1)} in {report.checks} checks: {len(report.guides)} "
            f"guide{'s' * (len(report.guides) != 1)} on {len(report.pages)} "
            f"page{'s' * (len(report.pages) != 1)} × {', '.join(report.devices)}"
            f" × {', '.join(report.locales)}")


def format_table(report: CheckReport) -> str:
    lines = [_summary(report)]
    if report.failures:
        rows = [_COLUMNS, *(_row(f) for f in report.failures)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS) - 1)]
        lines.append("")
        for r in rows:
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False))
                         + "  " + r[-1])
        shots = [f.screenshot for f in report.failures if f.screenshot]
        if shots:
            lines += ["", f"screenshots: {len(shots)} in {shots[0].rsplit('/', 1)[0]}"]
    return "\n".join(lines)


def format_markdown(report: CheckReport) -> str:
    lines = ["## Guide check", "", f"**{md(_summary(report))}**"]
    if report.ok:
        return "\n".join([*lines, "", "Every anchor was found, rendered once, and every step "
                          "fits its viewport."])
    lines += ["", "| Page | Device | Guide | Step | Locale | Selector | Reason |",
              "|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(md(c) for c in _row(f)) + " |" for f in report.failures]
    return "\n".join(lines)


def format_json(report: CheckReport) -> str:
    data = asdict(report)
    data["ok"] = report.ok
    return json.dumps(data, ensure_ascii=False, indent=2)


FORMATS = {"table": format_table, "json": format_json, "markdown": format_markdown}
