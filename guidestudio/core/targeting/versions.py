"""Version strings ordered as GrowthBook orders them (``$veq``…``$vlte``).

GrowthBook compares versions by padding each numeric part to a fixed width and
comparing the resulting strings; building that key is cached, since the same
few versions are compared for every user.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from guidestudio.core.targeting.js_values import js_number_string, js_string_less

_VERSION_STRIP = re.compile("^v|\\+[^\n\r\u2028\u2029]*\\Z")
_VERSION_SPLIT = re.compile(r"[-.]")


@lru_cache(maxsize=4096)
def _padded_version_str(text: str) -> str:
    parts = _VERSION_SPLIT.split(_VERSION_STRIP.sub("", text))
    if len(parts) == 3:
        parts.append("~")  # "~" sorts after any pre-release tag: 1.0.0 > 1.0.0-rc
    return "-".join(p.rjust(5) if p.isascii() and p.isdigit() else p for p in parts)


_PADDED_CACHE: dict[str, str] = {}


def padded_version(v: Any) -> str:
    """A string whose plain ordering is version ordering, as GrowthBook builds
    it (numbers stringified; anything else non-string, or empty, is "0")."""
    if type(v) is str:
        padded = _PADDED_CACHE.get(v)
        if padded is None:
            if len(_PADDED_CACHE) > 65536:
                _PADDED_CACHE.clear()
            padded = _PADDED_CACHE[v] = _padded_version_str(v or "0")
        return padded
    t = type(v)
    if (t is int or t is float) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        v = js_number_string(v)
    if not isinstance(v, str) or not v:
        v = "0"
    return _padded_version_str(str.__str__(v))


def compare_versions(actual: Any, expected: Any) -> int:
    """-1, 0 or 1 as ``actual`` sorts before, with or after ``expected`` in
    GrowthBook's order (padded strings compared as JS compares strings)."""
    a = padded_version(actual)
    b = padded_version(expected)
    if a == b:
        return 0
    return -1 if js_string_less(a, b) else 1

