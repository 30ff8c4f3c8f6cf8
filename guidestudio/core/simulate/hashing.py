"""Experiments for many users at once: incremental and batched FNV-1a.

``targeting.hash_value`` hashes one user; here the seed is hashed once per
guide, ASCII ids of one length are hashed together (one FNV step for the
whole batch inside one big int, see ``_fnv_lanes``), and the float
comparisons of ``choose_variation`` are done once for all 10,000 positions.
``tests/core/test_eligibility.py`` holds the results to the one-user code.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any

from guidestudio.core import eligibility
from guidestudio.core.targeting.js_values import js_string, js_truthy, utf16_units

_ARRAYS = (list, tuple)

_FNV_PRIME = 0x01000193
_FNV_OFFSET = 0x811C9DC5


def _fnv_continue(h: int, text: str) -> int:
    """FNV-1a from state ``h`` over the UTF-16 code units of ``text``."""
    units: Iterable[int] = (text.encode("ascii") if text.isascii()
                            else map(ord, utf16_units(text)))
    for unit in units:
        h = ((h ^ unit) * _FNV_PRIME) & 0xFFFFFFFF
    return h


_LANE_CACHE: dict[int, tuple[int, int]] = {}


def _lanes(k: int) -> tuple[int, int]:
    """For k 64-bit lanes: the int with 1 in every lane, and the 32-bit mask."""
    found = _LANE_CACHE.get(k)
    if found is None:
        if len(_LANE_CACHE) > 256:
            _LANE_CACHE.clear()
        found = _LANE_CACHE[k] = (int.from_bytes(b"\x01\0\0\0\0\0\0\0" * k, "little"),
                                  int.from_bytes(b"\xff\xff\xff\xff\0\0\0\0" * k, "little"))
    return found


def _fnv_lanes(start: int, buf: bytes, length: int, k: int) -> tuple[int, ...]:
    """FNV-1a of k ASCII strings of one ``length``, concatenated in ``buf``,
    each from state ``start``: lane i of a big int is string i's state. XOR
    and the 32-bit mask act lane by lane, and (h ^ c) * prime < 2**57 cannot
    carry into the next 64-bit lane, so one step serves every string."""
    ones, mask = _lanes(k)
    h = start * ones
    lane = bytearray(8 * k)
    for j in range(length):
        lane[0::8] = buf[j::length]
        h = ((h ^ int.from_bytes(lane, "little")) * _FNV_PRIME) & mask
    return struct.unpack(f"<{k}Q", h.to_bytes(8 * k, "little"))


def _fnv_many(start: int, values: list[str]) -> list[int]:
    """FNV-1a from ``start`` over each value (UTF-16 code units): ASCII values
    in batches of one length; with any non-ASCII value, one by one."""
    if not values:
        return []
    if not "".join(values).isascii():
        return [_fnv_continue(start, v) for v in values]
    lengths = list(map(len, values))
    distinct = set(lengths)
    if len(distinct) == 1:  # ids of one format: one batch
        return list(_fnv_lanes(start, "".join(values).encode("ascii"), lengths[0], len(values)))
    out = [0] * len(values)
    for length in distinct:
        members = [i for i, n in enumerate(lengths) if n == length]
        batch = "".join([values[i] for i in members]).encode("ascii")
        for i, h in zip(members, _fnv_lanes(start, batch, length, len(members)), strict=True):
            out[i] = h
    return out


def position_table(ranges: list[tuple[float, float]]) -> list[int]:
    """``choose_variation(m / 10000, ranges)`` for every m in 0..9999. Each
    range holds a run of consecutive m; its ends are found with the same float
    comparisons, and earlier ranges win where ranges overlap."""
    table = [-1] * 10000

    def first_at_or_above(x: float) -> int:
        m = min(max(int(x * 10000) - 1, 0), 10000)
        while m < 10000 and m / 10000 < x:
            m += 1
        return m

    for i in range(len(ranges) - 1, -1, -1):
        start, end = ranges[i]
        if not start <= end:  # NaN or empty: matches nothing
            continue
        lo, hi = first_at_or_above(start), first_at_or_above(end)
        table[lo:hi] = [i] * (hi - lo)
    return table


class PreparedExperiment:
    """A guide's experiment with the seed already hashed: ``buckets`` is
    ``eligibility.assignment`` for many users whose hash value is present.
    ``hash(seed, value, 2)`` is FNV-1a over seed+value, then FNV-1a over the
    decimal digits of that; the seed part is hashed once, here."""

    def __init__(self, guide: Mapping[str, Any]):
        experiment = guide["experiment"]
        if not isinstance(experiment, Mapping):
            experiment = {}
        seed = experiment.get("seed")
        seed = seed if js_truthy(seed) else experiment.get("key")
        self.state = _fnv_continue(_FNV_OFFSET, js_string(seed))
        variations = experiment.get("variations")
        self.variations = [js_string(v) for v in variations] if isinstance(
            variations, _ARRAYS) else []
        self.ranges = eligibility.experiment_ranges(experiment, len(self.variations))
        self.has_control = eligibility.has_control_group(experiment)
        namespace = experiment.get("namespace")
        self.namespace = namespace if js_truthy(namespace) else None
        # position m/10000 -> variation index (-1: outside), the float
        # comparisons of choose_variation done once for all 10,000 positions
        self.table = position_table(self.ranges)

    def position(self, value: str) -> float:
        """``hash_value(seed, value, 2)``."""
        h = _fnv_continue(self.state, value)
        return (_fnv_continue(_FNV_OFFSET, str(h)) % 10000) / 10000

    def buckets(self, values: list[str]) -> list[int]:
        """``assign`` for many users: the variation index, -1 outside every
        range, -2 outside the namespace. ASCII values of one length are
        hashed together, one FNV step for all of them at a time (SWAR, see
        ``_fnv_lanes``); anything else one by one."""
        if self.namespace is not None:
            return [-2 if r == "not_in_namespace" else -1 if type(r) is str else r
                    for r in map(self.assign, values)]  # type: ignore[misc]
        firsts = _fnv_many(self.state, values)
        seconds = _fnv_many(_FNV_OFFSET, list(map(str, firsts)))
        table = self.table
        return [table[h % 10000] for h in seconds]

    def assign(self, value: str) -> int | str:
        """The variation index, or the reason the user is not in the experiment."""
        if self.namespace is not None and not eligibility.user_in_namespace(value, self.namespace):
            return "not_in_namespace"
        n = self.position(value)
        for i, (start, end) in enumerate(self.ranges):
            if start <= n < end:
                return i
        return "not_in_experiment"
