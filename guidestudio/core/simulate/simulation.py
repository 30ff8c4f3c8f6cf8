"""The simulation: every guide's decisions for chunks of users, tallied.

Only what can change the answer is computed: the schedule is checked once per
guide; users are hashed only when they passed the audience; the frequency and
throttle checks run only for users with a stored history, the throttle once
per user. The reasons are exactly ``eligibility.decide``'s.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
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
from guidestudio.core.simulate.hashing import PreparedExperiment
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
        chunk = _Chunk(users, histories, self._events, self.now_ms, self.context)
        masks = ChunkMasks(self.program, n, chunk.rows_for)
        for plan in self.plans:
            mask = masks.mask(plan.node, plan.attrs_key)
            if not mask:
                continue
            passed = mask_count(mask, n)
            plan.result.audience += passed
            if plan.experiment is None:
                self._decide_without_experiment(plan, chunk, mask, passed)
            else:
                self._decide_with_experiment(plan, plan.experiment, chunk, mask)

    def _decide_without_experiment(self, plan: GuidePlan, chunk: _Chunk, mask: int,
                                   passed: int) -> None:
        """The audience all gets the guide's one variant; then the schedule
        and, for users with a history, steps 4-8 decide."""
        if plan.first_variant is not None:
            plan.result.variations[plan.first_variant] += passed
        if plan.schedule is not None:
            return
        stateful = mask & chunk.state_mask
        candidates = mask_indexes(stateful, chunk.n) if stateful else ()
        _count_history_stops(plan, chunk, candidates, passed)

    def _decide_with_experiment(self, plan: GuidePlan, experiment: PreparedExperiment,
                                chunk: _Chunk, mask: int) -> None:
        """Hash the audience into the experiment's variations (counted
        whatever the schedule says); then the schedule, step 3's reasons and,
        for users shown a variant who have a history, steps 4-8 decide."""
        indexes, values, missing = self._hashed_users(chunk, mask, plan.hash_experiment)
        buckets = experiment.buckets(values)
        tally = Counter(buckets)
        _count_assignments(plan.result, experiment, tally, missing)
        if plan.schedule is not None:
            return
        shown = _count_not_shown(plan, experiment, tally, missing, len(values))
        candidates: Iterable[int] = ()
        if chunk.stateful_any:
            lowest = 1 if experiment.has_control else 0
            states = chunk.states
            candidates = (i for i, bucket in zip(indexes, buckets, strict=True)
                          if bucket >= lowest and states[i])
        _count_history_stops(plan, chunk, candidates, shown)

    def _hashed_users(self, chunk: _Chunk, mask: int, experiment: Any
                      ) -> tuple[list[int], list[str], int]:
        """The users of ``mask`` that have a value of the experiment's hash
        attribute (their indexes and values), and how many have none."""
        indexes = list(mask_indexes(mask, chunk.n))
        attribute = eligibility.hash_attribute(experiment, self.context)
        hash_values = chunk.hash_values.get(attribute)
        if hash_values is None:
            hash_values = chunk.hash_values[attribute] = self._hash_values(chunk.users,
                                                                           experiment)
        values = list(map(hash_values.__getitem__, indexes))
        missing = values.count(None)
        if missing:
            kept = [(i, v) for i, v in zip(indexes, values, strict=True) if v is not None]
            indexes = [i for i, _ in kept]
            values = [v for _, v in kept]
        return indexes, values, missing  # type: ignore[return-value]

    def _hash_values(self, users: list[dict[str, Any]], experiment: Any) -> list[str | None]:
        """``eligibility.hash_attribute_value`` for every user of a chunk
        (the usual plain string ids are read in one C call)."""
        attribute = eligibility.hash_attribute(experiment, self.context)
        values = list(map(dict.get, users, repeat(attribute)))
        if set(map(type, values)) == {str} and "" not in values:
            return values
        return [eligibility.hash_attribute_value(u, self.context, experiment) for u in users]

    def add_counts(self, users: int, counts: list[tuple[int, Counter[int], int]]) -> None:
        """Users counted elsewhere (SQL over a table), none with a stored
        history: per guide (in ``plans`` order) the audience, its buckets
        (variation index, -1 outside the experiment, -2 outside the namespace)
        and how many of it have no hash value. The same steps as ``add``."""
        self.users += users
        for plan, (audience, tally, missing) in zip(self.plans, counts, strict=True):
            plan.result.audience += audience
            experiment = plan.experiment
            if experiment is None:
                if plan.first_variant is not None:
                    plan.result.variations[plan.first_variant] += audience
                if plan.schedule is None and audience:
                    _count_history_stops(plan, None, (), audience)
                continue
            _count_assignments(plan.result, experiment, tally, missing)
            if plan.schedule is None:
                shown = _count_not_shown(plan, experiment, tally, missing, sum(tally.values()))
                if shown:
                    _count_history_stops(plan, None, (), shown)

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


class _Chunk:
    """One chunk of users and what every guide shares about them: the
    attributes conditions see (``events`` built once per variant), who has a
    history state, the hash attribute values and the throttle, each worked
    out once, on first use."""

    def __init__(self, users: list[dict[str, Any]], histories: list[Any],
                 build_events: Callable[[list[dict[str, Any]], list[Any], Any],
                                        list[dict[str, Any]]],
                 now_ms: float, context: Mapping[str, Any]):
        self.users = users
        self.histories = histories
        self.n = len(users)
        self.build_events = build_events
        self.now_ms = now_ms
        self.context = context
        self.rows: dict[tuple[Any, bool], list[dict[str, Any]]] = {}
        self.events: dict[Any, list[dict[str, Any]]] = {}
        self.states = [_has_state(h) for h in histories]
        self.state_mask = int.from_bytes(bytes(self.states), "little")
        self.stateful_any = any(self.states)
        self.hash_values: dict[str, list[str | None]] = {}  # per hash attribute
        self.throttles: list[Any] = [_UNSET] * self.n

    def rows_for(self, variant: Any, light: bool) -> list[dict[str, Any]]:
        """The attributes conditions see; ``light`` rows hold only
        ``events``, enough for a leaf on an ``events…`` path."""
        if variant is None:
            return self.users
        found = self.rows.get((variant, light))
        if found is None:
            values = self.events.get(variant)
            if values is None:
                values = self.events[variant] = self.build_events(
                    self.users, self.histories, variant)
            if light:
                found = [{"events": e} for e in values]
            else:
                found = [{**u, "events": e} for u, e in zip(self.users, values, strict=True)]
            self.rows[(variant, light)] = found
        return found

    def history_stop(self, plan: GuidePlan, i: int) -> Decision | None:
        """``eligibility.history_reason`` for user ``i``, with the throttle
        (the same for every guide) worked out once per user."""
        history = self.histories[i]
        now = self.now_ms
        record = eligibility.guide_history(history, plan.result.id)
        stop = eligibility.frequency_reason(plan.guide, record, now) if record \
            else plan.no_record
        if stop is None and not plan.exempt:
            stop = self.throttles[i]
            if stop is _UNSET:
                stop = self.throttles[i] = eligibility.throttle_reason(history, now,
                                                                       self.context)
        return stop


def _count_history_stops(plan: GuidePlan, chunk: _Chunk | None, candidates: Iterable[int],
                         total: int) -> None:
    """Steps 4-8 for ``total`` users who reached them: the ``candidates``
    (those with a history state) one by one, the rest at once with the
    answer for no history."""
    checked = 0
    for i in candidates:
        checked += 1
        stop = chunk.history_stop(plan, i)  # type: ignore[union-attr] # candidates need a chunk
        plan.count("eligible" if stop is None else stop.reason)
    if total > checked:
        plan.count("eligible" if plan.no_history is None else plan.no_history.reason,
                   total - checked)


def _count_assignments(result: GuideResult, experiment: PreparedExperiment,
                       tally: Counter[int], missing: int) -> None:
    """The audience's variant split, whatever the schedule says: users per
    variation, and those outside the experiment by reason."""
    outside = result.not_in_experiment
    if missing:
        outside["no_hash_attribute"] = outside.get("no_hash_attribute", 0) + missing
    keys = experiment.variations
    for bucket, count in tally.items():
        if bucket >= 0:
            result.variations[keys[bucket]] += count
        else:
            reason = "not_in_experiment" if bucket == -1 else "not_in_namespace"
            outside[reason] = outside.get(reason, 0) + count


def _count_not_shown(plan: GuidePlan, experiment: PreparedExperiment, tally: Counter[int],
                     missing: int, hashed: int) -> int:
    """Step 3's reasons for a running guide (no hash attribute, outside the
    experiment or its namespace, control); returns how many of the ``hashed``
    users are shown a variant and go on to the history checks."""
    reasons = plan.reasons
    if missing:
        reasons["no_hash_attribute"] = reasons.get("no_hash_attribute", 0) + missing
    for bucket, reason in ((-1, "not_in_experiment"), (-2, "not_in_namespace")):
        if tally.get(bucket):
            reasons[reason] = reasons.get(reason, 0) + tally[bucket]
    shown = hashed - tally.get(-1, 0) - tally.get(-2, 0)
    if experiment.has_control and tally.get(0):
        reasons["control"] = reasons.get("control", 0) + tally[0]
        shown -= tally[0]
    return shown
