"""Which sample profiles a condition matches, as the product will decide it.

The rule builder's "matches N of M sample profiles" must agree with the
runtime and with ``guidestudio simulate``, so it uses the same pieces: the
core evaluator (``targeting.eval_condition``) on the attributes
``eligibility.user_attributes`` builds — the profile's attributes plus the
behaviour attributes ``events.<name>.count|last_7d|last_30d|days_since``
computed from its event history (docs/eligibility.md). A profile maps to a
user and a history exactly as the simulator reads ``profiles.yaml``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

from guidestudio.core.eligibility import user_attributes
from guidestudio.core.model import Profile
from guidestudio.core.targeting import eval_condition


def now_ms() -> int:
    return int(time.time() * 1000)


def profile_attributes(profile: Profile, at_ms: int | None = None,
                       condition: Any = None) -> dict[str, Any]:
    """The attributes the runtime would evaluate ``condition`` against for
    ``profile`` at ``at_ms`` (default: now). Event names the condition reads but
    the profile never did get zero counts, as in the runtime."""
    history = {"v": 1, "events": profile.events} if profile.events else None
    return user_attributes(profile.attributes, history, now_ms() if at_ms is None else at_ms,
                           condition or {})


def matching_profiles(condition: Mapping[str, Any] | None, profiles: Iterable[Profile],
                      at_ms: int | None = None) -> list[Profile]:
    """The profiles ``condition`` matches, in their order (never raises)."""
    at = now_ms() if at_ms is None else at_ms
    return [p for p in profiles
            if eval_condition(profile_attributes(p, at, condition), condition or {})]
