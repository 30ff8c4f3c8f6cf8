"""What a simulation found: the counts per guide and for the whole run.

Plain data with its JSON form (``to_dict``); the table and CSV layouts are in
``report``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guidestudio.core import eligibility
from guidestudio.core.simulate.explain_user import ExplainResult


@dataclass
class GuideResult:
    """What the simulation found for one guide. In ``to_dict`` the audience's
    percentage is of all users; every other percentage is of the audience."""

    id: str
    name: str
    priority: Any
    schedule: str  # "running", "starts …", "ended …"
    users: int = 0
    audience: int = 0
    variations: dict[str, int] = field(default_factory=dict)  # control first when there is one
    has_experiment: bool = False
    has_control: bool = False
    not_in_experiment: dict[str, int] = field(default_factory=dict)
    eligible: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def not_in_experiment_total(self) -> int:
        return sum(self.not_in_experiment.values())

    @property
    def control(self) -> int:
        return self.variations.get("control", 0) if self.has_control else 0

    def variant_counts(self) -> dict[str, int]:
        counts = dict(self.variations)
        if self.has_control:
            counts.pop("control", None)
        return counts

    def to_dict(self) -> dict[str, Any]:
        share = _share(self.audience)
        return {
            "id": self.id,
            "name": self.name,
            "priority": self.priority,
            "schedule": self.schedule,
            "users": self.users,
            "audience": self.audience,
            "audience_pct": percent(self.audience, self.users),
            "variants": [{"key": k, "count": n, "pct": share(n)}
                         for k, n in self.variant_counts().items()],
            "control": ({"count": self.control, "pct": share(self.control)}
                        if self.has_control else None),
            "not_in_experiment": {"count": self.not_in_experiment_total,
                                  "pct": share(self.not_in_experiment_total),
                                  "reasons": dict(self.not_in_experiment)},
            "eligible": self.eligible,
            "reasons": dict(self.reasons),
        }


def percent(n: int, total: int) -> float:
    """``n`` as a percentage of ``total``, two decimals (0 for no total)."""
    return round(100 * n / total, 2) if total else 0.0


def _share(total: int) -> Callable[[int], float]:
    return lambda n: percent(n, total)


@dataclass
class SimulationResult:
    users: int
    guides: list[GuideResult]
    now_ms: float
    environment: str = ""
    project: str = ""
    bad_lines: int = 0
    source: str = ""
    elapsed_s: float = 0.0
    explained: ExplainResult | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "project": self.project,
            "environment": self.environment,
            "now": eligibility.iso_utc(self.now_ms),
            "users": self.users,
            "bad_lines": self.bad_lines,
            "guides": [g.to_dict() for g in self.guides],
        }
        if self.explained is not None:
            out["explain"] = self.explained.to_dict()
        return out
