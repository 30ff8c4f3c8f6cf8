"""``--explain``: every guide's reference decision for one user.

Where the simulation counts set-at-a-time, this asks ``eligibility.decide``
itself, one guide after another, so the explanation is the runtime's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guidestudio.core.eligibility import Decision, decide, priority_key
from guidestudio.core.targeting.js_values import js_string


@dataclass
class ExplainResult:
    """Every guide's decision for one user, in the order guides compete."""

    user_id: str
    line: int
    decisions: list[tuple[Mapping[str, Any], Decision]]
    winner: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user_id,
            "line": self.line,
            "winner": self.winner,
            "decisions": [{"guide": js_string(g.get("id")), "priority": g.get("priority") or 0,
                           **d.to_dict()} for g, d in self.decisions],
        }


def explain(bundle: Mapping[str, Any], user: Mapping[str, Any], history: Any, now_ms: float,
            user_id: str = "", line: int = 0) -> ExplainResult:
    """The reference decision (``eligibility.decide``) for every guide; the
    winner is the guide that would show if every guide's trigger fired."""
    context = {"hash_attribute": bundle.get("hash_attribute") or "id",
               "throttle": bundle.get("throttle") or {}}
    guides = sorted((g for g in bundle.get("guides") or [] if isinstance(g, Mapping)),
                    key=priority_key)
    decisions = [(g, decide(g, user, now_ms, history, context)) for g in guides]
    winner = next((js_string(g.get("id")) for g, d in decisions if d.eligible), None)
    return ExplainResult(user_id, line, decisions, winner)
