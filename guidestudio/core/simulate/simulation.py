"""The simulation: every guide's decisions for chunks of users, tallied.

Only what can change the answer is computed: the schedule is checked once per
guide; users are hashed only when they passed the audience; the frequency and
throttle checks run only for users with a stored history, the throttle once
per user. The reasons are exactly ``eligibility.decide``'s.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from itertools import repeat
from typing import Any

from guidestudio.core import behaviour, eligibility
from guidestudio.core.eligibility import Decision
from guidestudio.core.simulate.audiences import (
    AudienceProgram,
    ChunkMasks,
    mask_count,
    mask_indexes,
)
from guidestudio.core.simulate.plans import GuidePlan
from guidestudio.core.simulate.results import GuideResult

_STATE_KEYS = ("guides", "last_shown_any", "session", "day")
_UNSET: Any = object()


def _has_state(history: Any) -> bool:
    """Can this history change a decision after the audience? Only what the
    runtime records about shows can; event counts act through the audience."""
    if not history:
        return False
    if type(history) is not dict:
        return isinstance(history, Mapping) and any(k in history for k in _STATE_KEYS)
    return "guides" in history or "last_shown_any" in history or "session" in history \
        or "day" in history


class Simulation:
    """Feed users chunk by chunk; ``result()`` tallies every guide's decisions.

    The reasons are exactly ``eligibility.decide``'s for every user; the
    audience and the variant split are counted whatever the schedule says, so
    a guide that starts next week still shows whom it will reach."""

    def __init__(self, bundle: Mapping[str, Any], now_ms: float):
        self.bundle = bundle
        self.now_ms = now_ms
        self.context = {"hash_attribute": bundle.get("hash_attribute") or "id",
                        "throttle": bundle.get("throttle") or {}}
        guides = bundle.get("guides")
        guides = [g for g in guides if isinstance(g, Mapping)] if isinstance(guides, list) else []
        self.program = AudienceProgram()
        self.plans = [GuidePlan(g, now_ms, self.context, self.program) for g in guides]
        names: list[str] = []
        for plan in self.plans:
            if plan.attrs_key == "shared":
                names.extend(plan.names)
        self.shared_names = tuple(dict.fromkeys(names))
        self.shared_roots = frozenset(n.split(".", 1)[0] for n in self.shared_names)
        self.users = 0
        self._templates: dict[tuple[str, ...], dict[str, Any]] = {}

    def _template(self, names: tuple[str, ...]) -> dict[str, Any]:
        template = self._templates.get(names)
        if template is None:
            template = self._templates[names] = behaviour.behaviour_attributes(
                None, self.now_ms, names)
        return template

    def _events(self, users: list[dict[str, Any]], histories: list[Any],
                variant: Any) -> list[dict[str, Any]]:
        """The ``events`` attribute of every user of a chunk, as
        ``behaviour.user_attributes`` builds it. Users without a relevant
        event history share one read-only set of zero counters. For the shared
        variant only tracked names that can land on a path the conditions read
        (same first segment as a mentioned name) are counted: the others fill
        parts of ``events`` that no such condition looks at."""
        shared = variant == "shared"
        names = self.shared_names if shared else variant
        roots = self.shared_roots if shared else None
        flat = shared and not any("." in name for name in names)
        template = self._template(names)
        today = behaviour.utc_day_ordinal(self.now_ms)
        counts = behaviour.event_counts
        out = []
        now = self.now_ms
        for user, history in zip(users, histories, strict=True):
            events = history.get("events") if type(history) is dict else \
                behaviour.history_events(history)
            if events and roots is not None and type(events) is dict:
                events = {k: v for k, v in events.items()
                          if type(k) is str and k.split(".", 1)[0] in roots}
            own = user.get("events")
            if not events:
                computed = template if own is None else json.loads(json.dumps(template))
            elif flat and all(k in roots for k in events):  # type: ignore[operator]
                computed = {**template, **{k: counts(days, today) for k, days in events.items()}}
            else:
                computed = behaviour.behaviour_attributes(events, now, names)
            out.append(computed if own is None else behaviour.merge_attributes(computed, own))
        return out

    def add(self, users: list[dict[str, Any]], histories: list[Any]) -> None:
        """Evaluate every guide for a chunk of users (``histories[i]`` is the
        runtime history of ``users[i]``, or a falsy value for a new user)."""
        n = len(users)
        if not n:
            return
        self.users += n
        rows: dict[tuple[Any, bool], list[dict[str, Any]]] = {}
        events: dict[Any, list[dict[str, Any]]] = {}

        def rows_for(variant: Any, light: bool) -> list[dict[str, Any]]:
            """The attributes conditions see; ``light`` rows hold only
            ``events``, enough for a leaf on an ``events…`` path."""
            if variant is None:
                return users
            found = rows.get((variant, light))
            if found is None:
                values = events.get(variant)
                if values is None:
                    values = events[variant] = self._events(users, histories, variant)
                if light:
                    found = [{"events": e} for e in values]
                else:
                    found = [{**u, "events": e} for u, e in zip(users, values, strict=True)]
                rows[(variant, light)] = found
            return found

        masks = ChunkMasks(self.program, n, rows_for)
        states = [_has_state(h) for h in histories]
        state_mask = int.from_bytes(bytes(states), "little")
        stateful_any = any(states)
        hash_values: list[str | None] | None = None
        throttles: list[Any] = [_UNSET] * n
        now, context = self.now_ms, self.context

        def history_stop(plan: GuidePlan, i: int) -> Decision | None:
            """``eligibility.history_reason``, with the throttle (the same for
            every guide) worked out once per user."""
            history = histories[i]
            record = eligibility.guide_history(history, plan.result.id)
            stop = eligibility.frequency_reason(plan.guide, record, now) if record \
                else plan.no_record
            if stop is None and not plan.exempt:
                stop = throttles[i]
                if stop is _UNSET:
                    stop = throttles[i] = eligibility.throttle_reason(history, now, context)
            return stop

        for plan in self.plans:
            mask = masks.mask(plan.node, plan.attrs_key)
            if not mask:
                continue
            passed = mask_count(mask, n)
            result = plan.result
            result.audience += passed
            blocked = plan.schedule is not None
            experiment = plan.experiment
            if experiment is None:
                if plan.first_variant is not None:
                    result.variations[plan.first_variant] += passed
                if blocked:
                    continue
                checked = 0
                stateful = mask & state_mask
                if stateful:
                    for i in mask_indexes(stateful, n):
                        checked += 1
                        stop = history_stop(plan, i)
                        plan.count("eligible" if stop is None else stop.reason)
                if passed > checked:
                    plan.count("eligible" if plan.no_history is None else plan.no_history.reason,
                               passed - checked)
                continue
            indexes = list(mask_indexes(mask, n))
            if hash_values is None:
                hash_values = self._hash_values(users)
            values = list(map(hash_values.__getitem__, indexes))
            missing = values.count(None)
            if missing:
                kept = [(i, v) for i, v in zip(indexes, values, strict=True) if v is not None]
                indexes = [i for i, _ in kept]
                values = [v for _, v in kept]
                result.not_in_experiment["no_hash_attribute"] = \
                    result.not_in_experiment.get("no_hash_attribute", 0) + missing
            buckets = experiment.buckets(values)  # type: ignore[arg-type]
            tally = Counter(buckets)
            keys = experiment.variations
            for bucket, count in tally.items():
                if bucket >= 0:
                    result.variations[keys[bucket]] += count
                else:
                    reason = "not_in_experiment" if bucket == -1 else "not_in_namespace"
                    result.not_in_experiment[reason] = \
                        result.not_in_experiment.get(reason, 0) + count
            if blocked:
                continue
            reasons = plan.reasons
            if missing:
                reasons["no_hash_attribute"] = reasons.get("no_hash_attribute", 0) + missing
            for bucket, reason in ((-1, "not_in_experiment"), (-2, "not_in_namespace")):
                if tally.get(bucket):
                    reasons[reason] = reasons.get(reason, 0) + tally[bucket]
            shown = len(values) - tally.get(-1, 0) - tally.get(-2, 0)
            if experiment.has_control and tally.get(0):
                reasons["control"] = reasons.get("control", 0) + tally[0]
                shown -= tally[0]
            lowest = 1 if experiment.has_control else 0
            checked = 0
            if stateful_any:
                for i, bucket in zip(indexes, buckets, strict=True):
                    if bucket >= lowest and states[i]:
                        checked += 1
                        stop = history_stop(plan, i)
                        plan.count("eligible" if stop is None else stop.reason)
            if shown > checked:
                plan.count("eligible" if plan.no_history is None else plan.no_history.reason,
                           shown - checked)

    def _hash_values(self, users: list[dict[str, Any]]) -> list[str | None]:
        """``eligibility.hash_attribute_value`` for every user of a chunk
        (the usual plain string ids are read in one C call)."""
        attribute = self.context["hash_attribute"]
        if "." not in attribute:
            values = list(map(dict.get, users, repeat(attribute)))
            if set(map(type, values)) == {str} and "" not in values:
                return values
        return [eligibility.hash_attribute_value(u, self.context) for u in users]

    def tallies(self) -> list[tuple[int, dict[str, int], dict[str, int], dict[str, int]]]:
        """The raw counts, to add up the parts of a file simulated apart."""
        return [(p.result.audience, p.result.variations, p.result.not_in_experiment, p.reasons)
                for p in self.plans]

    def merge(self, users: int,
              tallies: list[tuple[int, dict[str, int], dict[str, int], dict[str, int]]]) -> None:
        self.users += users
        for plan, (audience, variations, outside, reasons) in zip(self.plans, tallies,
                                                                  strict=True):
            plan.result.audience += audience
            for into, counts in ((plan.result.variations, variations),
                                 (plan.result.not_in_experiment, outside),
                                 (plan.reasons, reasons)):
                for key, n in counts.items():
                    into[key] = into.get(key, 0) + n

    def result(self) -> list[GuideResult]:
        out = []
        for plan in self.plans:
            result = plan.result
            result.users = self.users
            if plan.schedule is not None:
                result.reasons = {plan.schedule.reason: self.users} if self.users else {}
            else:
                reasons = dict(plan.reasons)
                failed = self.users - result.audience
                if failed:
                    reasons["audience"] = failed
                result.reasons = {r: reasons[r] for r in eligibility.REASONS if reasons.get(r)}
            result.eligible = result.reasons.get("eligible", 0)
            out.append(result)
        return out
