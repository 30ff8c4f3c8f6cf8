"""Why a sample user would (not) be shown a guide, in one or two plain sentences.

The decision is the core's (``eligibility.decide``, the runtime's rules); its
reason codes and developer details (``events.login.days_since $gte 21 (was
13)``) become "Emma would not be shown this guide. Not in its audience: Days
since last login is at least 21 — Emma: 13." For an audience failure the
failing clause is worked out again as data (``targeting.explain.first_failure``)
on the same attributes the decision used, so the sentence names the same clause.
What the canvas found on the host page — a step's element missing — is added
("…, but step 2's element #share-buton is not on this page, so the step is
skipped"), in the words of ``describe/anchors.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from guidestudio.core.behaviour import user_attributes
from guidestudio.core.describe.anchors import verdict_clause
from guidestudio.core.describe.conditions import (
    attribute_label,
    clause_sentence,
    condition_sentence,
    value_text,
)
from guidestudio.core.eligibility import Decision, guide_condition, parse_utc
from guidestudio.core.model import Profile, Project
from guidestudio.core.page_anchors import MissingAnchor
from guidestudio.core.rules.match import profile_attributes
from guidestudio.core.targeting.explain import ClauseFailure, first_failure

NOBODY = "A user without attributes"
#: What someone did that stops a guide (``frequency.stop_after``), as a phrase.
OUTCOME_DONE = {
    "dismissed": "dismissed it",
    "completed": "completed it",
    "cta_clicked": "clicked its main button",
    "snoozed": "snoozed it",
    "goal_reached": "reached its goal",
}
_ISO_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def short_name(profile: Profile | None) -> str:
    """What a sentence calls a sample user: the part of the profile's name
    before " — " (the rest describes them), else its id."""
    if profile is None:
        return NOBODY
    name = (profile.name or "").split(" — ", 1)[0].strip()
    return name or profile.id


def when(text: str) -> str:
    """ISO timestamps in ``text`` as people write them: ``24 Nov 2026, 12:30 UTC``."""

    def one(match: re.Match[str]) -> str:
        ms = parse_utc(match.group(0))
        if ms is None:
            return match.group(0)
        moment = dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
        day = f"{moment.day} {moment:%b %Y}"
        return day if "T" not in match.group(0) else f"{day}, {moment:%H:%M} UTC"

    return _ISO_RE.sub(one, text)


def failure_sentence(project: Project | None, failure: ClauseFailure, who: str) -> str:
    """The failing clause and the user's own value: "Storage used is at least
    90% — Emma: 18%"."""
    kind = failure.kind
    if kind == "value":
        clause = clause_sentence(project, failure.path, failure.op, failure.expected)
        actual = value_text(project, failure.path, failure.actual) if failure.present \
            else "not set"
        return f"{clause} — {who}: {actual}"
    if kind == "unknown-operator":
        return (f"the rule on {attribute_label(project, failure.path)} uses an operator the "
                f"product does not know ({failure.op}), so it never matches")
    if kind == "or":
        parts = [failure_sentence(project, b, who) for b in failure.branches if b is not None]
        more = "; and the others" if failure.more else ""
        return "none of these is true: " + "; ".join(parts) + more
    if kind in ("nor", "not"):
        return f"{who} is excluded by the rule “{condition_sentence(project, failure.expected)}”"
    if kind == "nor-empty":
        return "an empty “none of” group never lets anyone through"
    return "the rules are nested too deeply to check"


def _reason(project: Project, decision: Decision, who: str, failure: ClauseFailure | None
            ) -> str:
    reason, detail = decision.reason, decision.detail
    if reason == "audience":
        return ("Not in its audience: " + failure_sentence(project, failure, who) + "."
                if failure is not None else "Not in its audience.")
    if reason == "schedule_not_started":
        return f"Its schedule starts on {when(detail)}."
    if reason == "schedule_ended":
        return f"Its schedule ended on {when(detail)}."
    if reason == "no_hash_attribute":
        return (f"Its experiment splits people by {attribute_label(project, detail)}, and "
                f"{who} has none.")
    if reason in ("not_in_namespace", "not_in_experiment"):
        return f"{who} is not among the people its experiment includes."
    if reason == "control":
        return (f"{who} is in the experiment's control group, which sees nothing (but is "
                f"counted as having been shown it).")
    if reason == "stopped":
        return f"It stops once someone {OUTCOME_DONE.get(detail, detail)}, and {who} has."
    if reason == "snoozed":
        return f"{who} snoozed it until {when(detail)}."
    if reason == "frequency_cap":
        return f"{who} has seen it as often as it may be shown ({detail})."
    if reason == "cooldown":
        return f"Its pause between showings has not passed yet ({when(detail)})."
    if reason == "throttle_gap":
        return f"Another guide was shown too recently ({when(detail)})."
    if reason == "throttle_session":
        return f"This visit has already shown as many guides as allowed ({detail})."
    if reason == "throttle_day":
        return f"Today has already shown as many guides as allowed ({detail})."
    return f"{reason}{f': {detail}' if detail else ''}."


def _variant_note(project: Project, guide: Mapping[str, Any] | None, key: str) -> str:
    """`` (variant “Benefit”)``; nothing for a guide with one variant (it is the guide)."""
    guide_id = guide.get("id") if guide is not None else None
    model = project.guides.get(guide_id) if isinstance(guide_id, str) else None
    if model is not None and len(model.variants) < 2:
        return ""
    variants = model.variants if model is not None else []
    name = next((v.name or key for v in variants if v.key == key), key)
    return f" (variant “{name}”)"


def decision_text(project: Project, decision: Decision, profile: Profile | None,
                  guide: Mapping[str, Any] | None = None, now_ms: float | None = None,
                  missing_anchors: Sequence[MissingAnchor] = (),
                  shown_variant: str | None = None) -> str:
    """The decision for ``profile`` as sentences. ``guide`` (the compiled guide
    the decision was made on) and ``now_ms`` let an audience failure name its
    clause; without them it only says the user is not in the audience.

    ``missing_anchors``: steps whose element the host page on the canvas lacks
    (``page_anchors``). Those of the variant the user would see (else of
    ``shown_variant``) are said too — "Emma would be shown this guide …, but
    step 2's element #share-buton is not on this page, so the step is skipped";
    "Emma qualifies for this guide but would see nothing here: …" when no
    step is left — because the decision alone cannot know the page.
    """
    who = short_name(profile)
    chosen = decision.variant if decision.eligible and decision.variant else shown_variant
    missing = [m for m in missing_anchors if chosen is None or m.at.variant_key == chosen]
    clause = verdict_clause(missing) if missing else ""
    if decision.eligible:
        variant = _variant_note(project, guide, decision.variant) if decision.variant else ""
        if any(m.nothing_shows for m in missing):  # the page leaves nothing to show
            return f"{who} qualifies for this guide{variant} but would see nothing here: {clause}."
        but = f", but {clause}" if clause else ""
        return f"{who} would be shown this guide{variant} when its trigger fires{but}."
    failure = None
    if decision.reason == "audience" and guide is not None:
        condition = guide_condition(guide)
        at = now_ms if now_ms is not None else time.time() * 1000
        attributes = (profile_attributes(profile, int(at), condition) if profile is not None
                      else user_attributes({}, None, at, condition))
        failure = first_failure(attributes, condition)
    also = f" Also, {clause}." if clause else ""
    return (f"{who} would not be shown this guide. {_reason(project, decision, who, failure)}"
            f"{also}")


__all__ = ["NOBODY", "decision_text", "failure_sentence", "short_name", "when"]
