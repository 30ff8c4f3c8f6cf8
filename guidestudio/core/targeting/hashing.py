"""Hashing and variant assignment, bit for bit as every GrowthBook SDK does it.

A user's bucket must be the same in the product's runtime, in any GrowthBook
SDK and here, so the hash is FNV-1a over UTF-16 code units and the ranges are
built with JavaScript's float arithmetic, left to right.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import Any

from guidestudio.core.targeting.js_values import js_string

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
_BIG_ENDIAN = sys.byteorder == "big"


def fnv1a32(s: str) -> int:
    """32-bit FNV-1a over UTF-16 code units (JS ``charCodeAt``), not over
    UTF-8 bytes or code points: that is what every GrowthBook SDK hashes."""
    h = _FNV_OFFSET
    if s.isascii():
        units: Iterable[int] = s.encode("ascii")
    else:
        arr = array("H", s.encode("utf-16-le", "surrogatepass"))
        if _BIG_ENDIAN:
            arr.byteswap()
        units = arr
    for unit in units:
        h = ((h ^ unit) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def _hash(seed: Any, value: Any, version: Any) -> float | None:
    if type(version) is bool or not isinstance(version, (int, float)):
        return None  # JS `version === 2`: "2" and true are not 2
    seed_s = seed if type(seed) is str else js_string(seed)
    value_s = value if type(value) is str else js_string(value)
    if version == 2:
        return (fnv1a32(str(fnv1a32(seed_s + value_s))) % 10000) / 10000
    if version == 1:
        return (fnv1a32(value_s + seed_s) % 1000) / 1000
    return None


def hash_value(seed: str, value: Any, version: int) -> float | None:
    """A user's position in [0, 1) for ``seed``; ``value`` is hashed as JS
    ``String(value)`` would print it (1.0 → "1", True → "true"). None for an
    unknown hash version."""
    return _hash(seed, value, version)


def equal_weights(n: int) -> list[float]:
    """``n`` equal weights (empty for n < 1), computed as JS ``1 / n``."""
    if n <= 0:
        return []
    count = int(n)
    return [1 / count] * count


def bucket_ranges(
    n: int, coverage: float | None = 1.0, weights: list[float] | None = None
) -> list[tuple[float, float]]:
    """Variant ranges; invalid weights silently fall back to equal ones, as in
    every SDK, so assignment never fails at runtime (the validator warns)."""
    if coverage is None:
        coverage = 1.0
    if coverage < 0:
        coverage = 0.0
    elif coverage > 1:
        coverage = 1.0
    equal = equal_weights(n)
    chosen = list(weights) if weights is not None else equal
    if len(chosen) != len(equal):
        chosen = equal
    total = 0.0
    for w in chosen:  # left to right like JS reduce (Python 3.12's sum() compensates)
        total += w
    if total < 0.99 or total > 1.01:
        chosen = equal
    ranges: list[tuple[float, float]] = []
    cumulative = 0.0
    for w in chosen:
        start = cumulative
        cumulative += w
        ranges.append((start, start + coverage * w))
    return ranges


def choose_variation(n: float, ranges: Iterable[tuple[float, float] | list[float]]) -> int:
    """Index of the first range with start <= n < end, or -1 (not in the test)."""
    for i, (start, end) in enumerate(ranges):
        if start <= n < end:
            return i
    return -1


def in_namespace(hash_value: Any, namespace: tuple[str, float, float] | list[Any]) -> bool:
    """Is the user inside ``[id, start, end)``? Experiments sharing a namespace
    id with disjoint ranges never share a user."""
    n = _hash("__" + js_string(namespace[0]), hash_value, 1)
    if n is None:
        return False
    return namespace[1] <= n < namespace[2]
