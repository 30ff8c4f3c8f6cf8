"""Which of a guide's anchors a host page lacks, and which selectors it has instead.

The validator can tell that ``#advanced-serch`` is a valid selector, never that
the product has no such element: only a page can. The canvas asks its page
(``widgets/preview/anchor_check.py``) about every step the runtime would place
against an element and hands the answers here, as data: which steps are
missing their element (``missing_anchors``) and, from the stable selectors the
page offers for its elements, the closest to what was typed
(``suggest_selectors``: did-you-mean). Words for people are in
``core/describe/anchors.py``.

The steps come from the *compiled* guide, so what counts as anchored, and what
``if_missing`` does, is exactly what the runtime is handed (a walkthrough step
without a layout is a tooltip when it names an element, ``if_missing``
defaults to ``skip``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Layouts the runtime places against an element (guide-runtime.js, ``go``).
ANCHORED_LAYOUTS = ("tooltip", "hotspot")
#: How long ``if_missing: wait`` waits when the step does not say (docs/runtime.md).
DEFAULT_WAIT_SECONDS = 5.0
#: What the page says about a selector: rendered, matched but not rendered, no match, invalid.
FOUND, HIDDEN, MISSING, INVALID = "ok", "hidden", "missing", "invalid"
#: How many selectors "did you mean" offers.
SUGGESTIONS = 3
#: A suggestion may differ from what was typed by at most this share of its length…
MAX_DISTANCE_SHARE = 0.4
#: …and in at least this many characters (short selectors still get their typo fixed).
MIN_DISTANCE = 2
#: What one step down the picker's stability order costs, in edits.
RANK_WEIGHT = 0.3


@dataclass(frozen=True)
class AnchoredStep:
    """A step the runtime places against an element, and what it does without one."""

    variant: int  # index into the guide's variants
    variant_key: str
    step: int  # index into the variant's steps
    steps: int  # how many steps the variant has
    selector: str
    if_missing: str  # skip | wait | modal
    wait_seconds: float | None = None

    @property
    def waits(self) -> float:
        return self.wait_seconds if self.wait_seconds is not None else DEFAULT_WAIT_SECONDS

    @property
    def path(self) -> tuple[str | int, ...]:
        """Where the selector is inside its guide, as a model path."""
        return ("variants", self.variant, "steps", self.step, "anchor", "selector")

    @property
    def field(self) -> str:
        """Where the selector is, as ``Problem.field`` names it."""
        return f"variants[{self.variant}].steps[{self.step}].anchor.selector"


@dataclass(frozen=True)
class MissingAnchor:
    """A step whose element the page does not show (``hidden``: it has one, not rendered)."""

    at: AnchoredStep
    hidden: bool = False
    #: Every step of the variant is left out this way: the guide shows nothing on this page.
    nothing_shows: bool = False


def anchored_steps(compiled: Mapping[str, Any]) -> list[AnchoredStep]:
    """Every step of every variant of a compiled guide that the runtime anchors."""
    out: list[AnchoredStep] = []
    for vi, variant in enumerate(compiled.get("variants") or []):
        steps = variant.get("steps") or []
        for si, step in enumerate(steps):
            anchor = step.get("anchor")
            selector = anchor.get("selector") if isinstance(anchor, Mapping) else None
            if step.get("layout") not in ANCHORED_LAYOUTS or not isinstance(selector, str):
                continue
            wait = step.get("wait_seconds")
            out.append(AnchoredStep(vi, str(variant.get("key", "")), si, len(steps), selector,
                                    str(step.get("if_missing") or "skip"),
                                    float(wait) if isinstance(wait, (int, float)) else None))
    return out


def missing_anchors(steps: Iterable[AnchoredStep], states: Mapping[str, str]
                    ) -> list[MissingAnchor]:
    """The steps whose selector the page reported missing or hidden (``states`` by selector).

    An invalid selector is left out: the validator reports it already, as an error.
    """
    steps = list(steps)
    gone = [s for s in steps if states.get(s.selector) in (MISSING, HIDDEN)]
    # A variant shows nothing when every one of its steps is anchored and skipped (or waited
    # for in vain): the runtime then gives way without counting a show.
    anchored: dict[int, int] = {}
    skipped: dict[int, int] = {}
    for s in steps:
        anchored[s.variant] = anchored.get(s.variant, 0) + 1
    for s in gone:
        if s.if_missing != "modal":
            skipped[s.variant] = skipped.get(s.variant, 0) + 1
    return [MissingAnchor(s, hidden=states.get(s.selector) == HIDDEN,
                          nothing_shows=s.if_missing != "modal"
                          and anchored[s.variant] == s.steps == skipped.get(s.variant, 0))
            for s in gone]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it is more.

    Row by row with an early exit: ranking a page's few thousand selectors must
    not take longer than the page took to answer.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def suggest_selectors(typed: str, candidates: Iterable[tuple[str, int]],
                      limit: int = SUGGESTIONS) -> list[str]:
    """The page's selectors closest to ``typed``, best first.

    ``candidates`` are (selector, rank) as the element picker's rules make them
    for the page's elements (rank 0: an id … 5: a bare tag; see ``PICKER_JS``).
    Closeness is the edit distance, and a less stable kind of selector costs
    ``RANK_WEIGHT`` edits per rank, so ``#advanced-search`` beats an equally
    close class. Selectors too far from what was typed are not offered at all:
    a list of unrelated elements would only be noise.
    """
    typed = typed.strip()
    if not typed:
        return []
    scored: list[tuple[float, int, int, str]] = []
    for selector, rank in candidates:
        if selector == typed:
            continue
        allowed = max(MIN_DISTANCE, int(MAX_DISTANCE_SHARE * len(typed)))
        distance = edit_distance(typed, selector, allowed)
        if distance <= allowed:
            scored.append((distance + RANK_WEIGHT * rank, rank, len(selector), selector))
    return [selector for *_, selector in sorted(scored)[:limit]]


__all__ = [
    "ANCHORED_LAYOUTS",
    "DEFAULT_WAIT_SECONDS",
    "FOUND",
    "HIDDEN",
    "INVALID",
    "MISSING",
    "AnchoredStep",
    "MissingAnchor",
    "anchored_steps",
    "edit_distance",
    "missing_anchors",
    "suggest_selectors",
]
