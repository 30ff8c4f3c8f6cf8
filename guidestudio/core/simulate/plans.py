"""Each guide prepared once for a whole users file.

Everything about a guide that does not depend on the user (its schedule, its
experiment's seed, which ``events`` attributes its condition reads, the
answers for a user with no history) is worked out here, before the first
chunk, so ``Simulation.add`` only does per-user work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core import behaviour, eligibility
from guidestudio.core.simulate.audiences import AudienceProgram, is_events_path
from guidestudio.core.simulate.hashing import PreparedExperiment
from guidestudio.core.simulate.results import GuideResult
from guidestudio.core.targeting.js_values import js_string, js_truthy

_ARRAYS = (list, tuple)


def _reads_events(condition: Any) -> bool:
    """Does any path in the condition start at ``events``?"""
    if isinstance(condition, Mapping):
        for key, value in condition.items():
            if type(key) is str and is_events_path(key):
                return True
            if _reads_events(value):
                return True
    elif isinstance(condition, _ARRAYS):
        return any(_reads_events(v) for v in condition)
    return False


def _only_counter_paths(condition: Any) -> bool:
    """True when every ``events…`` path is a whole ``events.<name>.<field>``
    counter. Then zero counters for names *other* guides mention cannot change
    this guide's answer, and one set of attributes serves every such guide."""
    if isinstance(condition, Mapping):
        for key, value in condition.items():
            if type(key) is str and is_events_path(key) \
                    and not behaviour.EVENT_COUNTER_PATH.fullmatch(key):
                return False
            if not _only_counter_paths(value):
                return False
    elif isinstance(condition, _ARRAYS):
        return all(_only_counter_paths(v) for v in condition)
    return True


class GuidePlan:
    """One guide, prepared once for the whole file."""

    def __init__(self, guide: Mapping[str, Any], now_ms: float, context: Mapping[str, Any],
                 program: AudienceProgram):
        self.guide = guide
        gid = js_string(guide.get("id"))
        self.condition = eligibility.guide_condition(guide)
        self.names = tuple(behaviour.mentioned_event_names(self.condition))
        if not _reads_events(self.condition):
            self.attrs_key: Any = None  # the user's own attributes are enough
        elif _only_counter_paths(self.condition):
            self.attrs_key = "shared"
        else:
            self.attrs_key = self.names
        self.node = program.add(self.condition)
        self.schedule = eligibility.schedule_reason(guide, now_ms)
        has_experiment = js_truthy(guide.get("experiment"))
        self.experiment = PreparedExperiment(guide) if has_experiment else None
        self.hash_experiment = guide.get("experiment") if has_experiment else None
        first = None if has_experiment else eligibility.assignment(guide, {}, context)
        self.first_variant = first if isinstance(first, str) else None
        self.no_history = eligibility.history_reason(guide, {}, now_ms, context)
        self.no_record = eligibility.frequency_reason(guide, {}, now_ms)
        self.exempt = js_truthy(guide.get("exempt_from_throttle"))
        schedule = "running"
        if self.schedule is not None:
            verb = "starts" if self.schedule.reason == "schedule_not_started" else "ended"
            schedule = f"{verb} {self.schedule.detail}"
        self.result = GuideResult(
            id=gid, name=js_string(guide.get("name") or gid), priority=guide.get("priority") or 0,
            schedule=schedule, has_experiment=has_experiment,
            has_control=bool(self.experiment and self.experiment.has_control))
        if self.experiment is not None:
            self.result.variations = {k: 0 for k in self.experiment.variations}
        elif self.first_variant is not None:
            self.result.variations = {self.first_variant: 0}
        self.reasons: dict[str, int] = {}

    def count(self, reason: str, n: int = 1) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + n
