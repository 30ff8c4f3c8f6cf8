"""``guidestudio simulate``: who would see each guide, and which variant.

The answer must be the runtime's (``docs/eligibility.md``) for a file of
100,000 users and 50 guides in a few seconds. ``eligibility.decide`` answers
for one user and one guide; evaluating it five million times in Python takes
minutes, so this module computes the *same* decisions set-at-a-time, reusing
the evaluator's own pieces rather than a second copy of the semantics:

* **Chunks and masks.** Users are streamed in chunks of a few thousand. For a
  chunk, an audience condition's value is a mask (an int with one byte per
  user); ``$and``/``$or``/``$nor``/``$not`` are ``&``, ``|`` and ``^``. Every
  guide's condition is one DAG, so a segment used by ten guides is one node
  computed once per chunk.
* **Distinct values.** A leaf (a path against an operator object or a
  literal) is evaluated with ``targeting``'s own operator functions once per
  *distinct* value of its path in the chunk, memoised across chunks (plans,
  countries, versions repeat), and spread back to users by ``itemgetter``.
* **Only what can change the answer.** The schedule is checked once per guide;
  users are hashed only when they passed the audience; the frequency and
  throttle checks run only for users with a stored history, the throttle once
  per user.
* **Hashing many ids at once.** FNV-1a over a batch of same-length ASCII ids
  runs one step for the whole batch inside one big int (see ``_fnv_lanes``).
* **Two processes** for a large JSON Lines file, cut at a line boundary;
  counts add up, so the result does not depend on the split.

``tests/core/test_eligibility.py`` holds this module to ``eligibility.decide``
and ``targeting.eval_condition`` on random conditions, users and histories.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import os
import re
import struct
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter, not_
from pathlib import Path
from typing import IO, Any

from app.core import eligibility, targeting, yaml_io
from app.core.eligibility import Decision, decide, priority_key
from app.core.targeting import _EMPTY_GROUPS, _eval_value, _get_path, eval_condition, js_string

__all__ = [
    "CHUNK",
    "ExplainResult",
    "GuideResult",
    "InputError",
    "Simulation",
    "SimulationResult",
    "UserFile",
    "compile_audience",
    "default_progress_stream",
    "default_workers",
    "explain",
    "format_csv",
    "format_json",
    "format_table",
    "open_users",
    "parse_csv_value",
    "read_users",
    "simulate_users",
]

CHUNK = 4096  # users evaluated together: big enough to amortise, small enough to stream
PROGRESS_AFTER_LINES = 10_000
MAX_REPORTED_BAD_LINES = 100
_MEMO_LIMIT = 1 << 17
_ARRAYS = (list, tuple)


class InputError(Exception):
    """The users file cannot be used at all (missing, a folder, binary, no
    header): one line for the person, exit 2."""


# ---------------------------------------------------------------------------
# Audiences, evaluated a chunk of users at a time
# ---------------------------------------------------------------------------
#
# A condition becomes a DAG of nodes shared by every guide (a segment used by
# ten guides is one node). For a chunk of users, a node's value is a *mask*:
# an int holding one byte per user (0 or 1), so $and/$or/$not are `&`, `|`
# and `^ all` on whole chunks. A leaf (one path against one condition value)
# is evaluated once per *distinct* value of its path in the chunk, with the
# evaluator's own functions, and the results are spread back to users by
# `operator.itemgetter` — a C loop. Short-circuiting is not needed: nothing
# in a condition has side effects or raises.

_MEMO_TYPES = frozenset({str, int, float, type(None)})  # never bool: True == 1 as a key
_MAX_DEPTH = 64  # deeper subtrees are handed to eval_condition whole
_TRUE, _FALSE, _LEAF, _AND, _OR, _NOT, _WHOLE = range(7)
_BOOL_KEYS = (object(), object())  # distinct dict keys for False / True


def _is_events_path(path: str) -> bool:
    return path == "events" or path.startswith("events.")


class _Leaf:
    """One path against one condition value: ``_eval_value(value, get(path))``,
    memoised on the attribute value (plans, countries, versions repeat)."""

    __slots__ = ("path", "value", "ops", "single", "memo", "bools", "text", "ascii_only")

    def __init__(self, path: str, value: Any):
        self.path = path
        self.value = value
        self.ops: list[tuple[Callable[..., bool], Any]] | None = None
        if type(value) is dict and targeting._is_operator_object(value):
            ops = [(targeting._OPERATORS.get(op), expected) for op, expected in value.items()]
            if all(fn is not None for fn, _ in ops):
                self.ops = ops  # type: ignore[assignment]
        self.single = self.ops[0] if self.ops is not None and len(self.ops) == 1 else None
        self.memo: dict[Any, bool] = {}
        self.bools: dict[bool, bool] = {}
        self.text, self.ascii_only = self._text_test()

    def _text_test(self) -> tuple[Callable[[list[str]], list[bool]] | None, bool]:
        """For the two leaves that meet many distinct strings (lists of ids,
        patterns on emails), the operator's own results for a list of str
        values, computed in C: ``$in``/``$nin`` of strings is set membership
        (a str equals only a str), and ``$regex`` on an ASCII str is a search
        with the pattern ``targeting`` translated (``_regex_test`` without its
        conversions, which an ASCII str does not need)."""
        if self.single is None:
            return None, False
        op = next(iter(self.value))
        expected = self.single[1]
        if op in ("$in", "$nin") and isinstance(expected, _ARRAYS) \
                and all(type(e) is str for e in expected):
            contains = frozenset(expected).__contains__
            if op == "$in":
                return (lambda values: list(map(contains, values))), False
            return (lambda values: list(map(not_, map(contains, values)))), False
        if op in ("$regex", "$regexi") and type(expected) is str:
            compiled = targeting._compile_js_regex(expected, op == "$regexi")
            if type(compiled) is str:  # a pattern JS rejects: the clause fails
                return (lambda values: [False] * len(values)), False
            search = compiled.search  # type: ignore[union-attr]
            return (lambda values: list(map(bool, map(search, values)))), True
        return None, False

    def evaluate(self, v: Any) -> bool:
        """``targeting._eval_value(self.value, v)``; for an operator object the
        same loop over the same operator functions, without re-dispatching."""
        ops = self.ops
        if ops is None:
            return _eval_value(self.value, v, _EMPTY_GROUPS)
        for fn, expected in ops:
            if not fn(v, expected, _EMPTY_GROUPS):
                return False
        return True

    def results(self, distinct: list[Any], plain: bool, unique: bool, text: bool) -> list[bool]:
        """One result per distinct value. ``plain``: every value is a str,
        number or null, so the memo is consulted in one C call; ``unique``:
        no value repeats in the chunk (emails, ids), so no memo at all;
        ``text``: every value is a str."""
        memo, evaluate = self.memo, self.evaluate
        if text and self.text is not None and (
                not self.ascii_only or "".join(distinct).isascii()):
            return self.text(distinct)
        if unique:
            if self.single is not None:
                fn, expected = self.single
                return [fn(v, expected, _EMPTY_GROUPS) for v in distinct]
            return [evaluate(v) for v in distinct]
        if plain:
            out = list(map(memo.get, distinct))
            i = -1
            while True:
                try:
                    i = out.index(None, i + 1)  # the misses, found by a C scan
                except ValueError:
                    return out  # type: ignore[return-value]
                v = distinct[i]
                r = out[i] = evaluate(v)
                if len(memo) < _MEMO_LIMIT:
                    memo[v] = r
        bools = self.bools
        out = []
        for v in distinct:
            cls = v.__class__
            if cls in _MEMO_TYPES:
                r = memo.get(v)
                if r is None:
                    r = evaluate(v)
                    if len(memo) < _MEMO_LIMIT:
                        memo[v] = r
            elif cls is bool:
                r = bools.get(v)
                if r is None:
                    r = bools[v] = evaluate(v)
            else:
                r = evaluate(v)
            out.append(r)
        return out


class _Program:
    """Every audience condition of a bundle as nodes ``(kind, arg, reads_events)``."""

    def __init__(self) -> None:
        self.nodes: list[tuple[int, Any, bool]] = [(_TRUE, None, False), (_FALSE, None, False)]
        self.ids: dict[Any, int] = {}

    def _node(self, key: Any, kind: int, arg: Any, events: bool) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.nodes)
            self.nodes.append((kind, arg, events))
        return found

    def _reads_events(self, ids: Sequence[int]) -> bool:
        return any(self.nodes[i][2] for i in ids)

    def _combine(self, kind: int, ids: list[int]) -> int:
        unit, zero = (_TRUE, _FALSE) if kind == _AND else (_FALSE, _TRUE)
        if zero in ids:
            return zero
        ids = list(dict.fromkeys(i for i in ids if i != unit))
        if not ids:
            return unit
        if len(ids) == 1:
            return ids[0]
        return self._node((kind, tuple(ids)), kind, tuple(ids), self._reads_events(ids))

    def _not(self, node: int) -> int:
        if node in (_TRUE, _FALSE):
            return _FALSE if node == _TRUE else _TRUE
        return self._node((_NOT, node), _NOT, node, self.nodes[node][2])

    def add(self, condition: Any, depth: int = 0) -> int:
        """The node for ``condition``, mirroring ``targeting._eval`` key by key."""
        if type(condition) is not dict or depth > _MAX_DEPTH or any(
                type(k) is not str for k in condition):
            return self._node((_WHOLE, id(condition)), _WHOLE, condition, True)
        parts: list[int] = []
        for key, value in condition.items():
            if key == "$or":  # an empty or malformed $or passes, as in _eval_or
                if isinstance(value, _ARRAYS) and value:
                    parts.append(self._combine(_OR, [self.add(s, depth + 1) for s in value]))
            elif key == "$and":  # a malformed $and passes, as in _eval_and
                if isinstance(value, _ARRAYS):
                    parts.extend(self.add(s, depth + 1) for s in value)
            elif key == "$nor":
                if isinstance(value, _ARRAYS) and value:
                    parts.append(self._not(self._combine(
                        _OR, [self.add(s, depth + 1) for s in value])))
                else:
                    parts.append(_FALSE)
            elif key == "$not":
                parts.append(self._not(self.add(value, depth + 1)))
            else:
                try:
                    signature = json.dumps(value, ensure_ascii=False, allow_nan=True)
                except (TypeError, ValueError):
                    signature = f"id:{id(value)}"
                parts.append(self._node((_LEAF, key, signature), _LEAF, _Leaf(key, value),
                                        _is_events_path(key)))
        return self._combine(_AND, parts)


_STR_ONLY = {str}


def _step(value: Any, part: str) -> Any:
    """One step of ``targeting._get_path`` from a value that is not a dict."""
    return _get_path({"": value}, "." + part) if value is not None else None


def _column(rows: Sequence[Mapping[str, Any]], path: str) -> list[Any]:
    """``_get_path(row, path)`` for every row (a dict), one segment at a time."""
    values: list[Any] = list(rows)
    for part in path.split("."):
        values = _column_step(values, part)
    return values


def _column_step(values: list[Any], part: str) -> list[Any]:
    """One more path segment for a whole column: one C call when every value
    is a dict (``dict.get`` refuses anything else, and then we go slowly)."""
    try:
        return list(map(dict.get, values, repeat(part)))
    except TypeError:
        return [v.get(part) if v.__class__ is dict else _step(v, part) for v in values]


_Column = tuple[list[Any], Callable[[list[bool]], Any] | None, bool, bool]


def _encode(values: list[Any]) -> _Column:
    """The distinct values, a C-speed function spreading per-distinct results
    back to every row (None: every row is distinct, results are rows), whether
    every value is a plain str/number/null, and whether every value is a str.
    Numbers equal in value (1 and 1.0) share a slot: JavaScript cannot tell
    them apart, nor can any operator."""
    types = set(map(type, values))
    plain = types <= _MEMO_TYPES
    text = types == _STR_ONLY
    if plain:
        distinct = list(dict.fromkeys(values))
        if len(distinct) == len(values):
            return distinct, None, True, text
        index = {v: i for i, v in enumerate(distinct)}
        codes = list(map(index.__getitem__, values))
    else:
        index = {}
        distinct = []
        codes = []
        for v in values:
            cls = v.__class__
            key = v if cls in _MEMO_TYPES else _BOOL_KEYS[v] if cls is bool else object()
            code = index.get(key)
            if code is None:
                code = index[key] = len(distinct)
                distinct.append(v)
            codes.append(code)
    if len(codes) == 1:
        only = codes[0]
        return distinct, lambda results: (results[only],), plain, text
    return distinct, itemgetter(*codes), plain, text


class _ChunkMasks:
    """Node masks for one chunk of users, computed on demand and shared by
    every guide that uses the node."""

    def __init__(self, program: _Program, n: int,
                 rows_for: Callable[[Any, bool], Sequence[Mapping[str, Any]]]):
        self.program = program
        self.n = n
        self.all = int.from_bytes(b"\x01" * n, "little")
        self.rows_for = rows_for
        self.masks: dict[tuple[Any, int], int] = {}
        self.columns: dict[tuple[Any, str], _Column] = {}
        self.paths: dict[tuple[Any, str], list[Any]] = {}

    def values(self, variant: Any, path: str) -> list[Any]:
        """The column of ``path``; shared prefixes (``account`` for
        ``account.age_days`` and ``account.seats``) are walked once."""
        key = (variant, path)
        found = self.paths.get(key)
        if found is None:
            parent, dot, last = path.rpartition(".")
            if dot:
                found = _column_step(self.values(variant, parent), last)
            else:
                found = _column_step(list(self.rows_for(variant, True)), path)
            self.paths[key] = found
        return found

    def mask(self, node: int, variant: Any) -> int:
        kind, arg, events = self.program.nodes[node]
        key = (variant if events else None, node)
        found = self.masks.get(key)
        if found is not None:
            return found
        if kind == _LEAF:
            column_key = (variant if events else None, arg.path)
            column = self.columns.get(column_key)
            if column is None:
                values = self.values(column_key[0], arg.path)
                column = self.columns[column_key] = _encode(values)
            distinct, spread, plain, text = column
            results = arg.results(distinct, plain, spread is None, text)
            value = int.from_bytes(bytes(results if spread is None else spread(results)),
                                   "little")
        elif kind == _AND:
            value = self.all
            for child in arg:
                value &= self.mask(child, variant)
                if not value:
                    break
        elif kind == _OR:
            value = 0
            for child in arg:
                value |= self.mask(child, variant)
        elif kind == _NOT:
            value = self.all ^ self.mask(arg, variant)
        elif kind == _WHOLE:
            rows = self.rows_for(variant, False)
            value = int.from_bytes(bytes(eval_condition(a, arg) for a in rows), "little")
        else:
            value = self.all if kind == _TRUE else 0
        self.masks[key] = value
        return value


def compile_audience(condition: Any) -> Callable[[Sequence[Mapping[str, Any]]], list[bool]]:
    """``rows -> [eval_condition(row, condition) for row in rows]``, computed
    the way the simulation computes it (the property tests hold the two equal)."""
    program = _Program()
    node = program.add(condition)

    def evaluate(rows: Sequence[Mapping[str, Any]]) -> list[bool]:
        if not rows:
            return []
        masks = _ChunkMasks(program, len(rows), lambda variant, light: rows)
        return [b == 1 for b in masks.mask(node, None).to_bytes(len(rows), "little")]

    return evaluate


def _indexes(mask: int, n: int) -> Iterator[int]:
    return compress(range(n), mask.to_bytes(n, "little"))


def _popcount(mask: int, n: int) -> int:
    return mask.to_bytes(n, "little").count(1)


# ---------------------------------------------------------------------------
# Experiments: incremental FNV-1a
# ---------------------------------------------------------------------------

_FNV_PRIME = 0x01000193
_FNV_OFFSET = 0x811C9DC5


def _fnv_continue(h: int, text: str) -> int:
    """FNV-1a from state ``h`` over the UTF-16 code units of ``text``."""
    units: Iterable[int] = (text.encode("ascii") if text.isascii()
                            else map(ord, targeting._utf16_units(text)))
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


def _position_table(ranges: list[tuple[float, float]]) -> list[int]:
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


class _Experiment:
    """A guide's experiment with the seed already hashed: ``buckets`` is
    ``eligibility.assignment`` for many users whose hash value is present.
    ``hash(seed, value, 2)`` is FNV-1a over seed+value, then FNV-1a over the
    decimal digits of that; the seed part is hashed once, here."""

    def __init__(self, guide: Mapping[str, Any]):
        experiment = guide["experiment"]
        if not isinstance(experiment, Mapping):
            experiment = {}
        seed = experiment.get("seed")
        seed = seed if targeting._truthy(seed) else experiment.get("key")
        self.state = _fnv_continue(_FNV_OFFSET, js_string(seed))
        variations = experiment.get("variations")
        self.variations = [js_string(v) for v in variations] if isinstance(
            variations, _ARRAYS) else []
        self.ranges = eligibility.experiment_ranges(experiment, len(self.variations))
        self.has_control = eligibility._positive(experiment.get("control_weight"))
        namespace = experiment.get("namespace")
        self.namespace = namespace if targeting._truthy(namespace) else None
        # position m/10000 -> variation index (-1: outside), the float
        # comparisons of choose_variation done once for all 10,000 positions
        self.table = _position_table(self.ranges)

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
        if self.namespace is not None and not eligibility._in_namespace(value, self.namespace):
            return "not_in_namespace"
        n = self.position(value)
        for i, (start, end) in enumerate(self.ranges):
            if start <= n < end:
                return i
        return "not_in_experiment"


# ---------------------------------------------------------------------------
# Per-guide plan and tallies
# ---------------------------------------------------------------------------


def _reads_events(condition: Any) -> bool:
    """Does any path in the condition start at ``events``?"""
    if isinstance(condition, Mapping):
        for key, value in condition.items():
            if type(key) is str and _is_events_path(key):
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
            if type(key) is str and _is_events_path(key) \
                    and not eligibility._EVENT_ATTR.fullmatch(key):
                return False
            if not _only_counter_paths(value):
                return False
    elif isinstance(condition, _ARRAYS):
        return all(_only_counter_paths(v) for v in condition)
    return True


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
            "audience_pct": _pct(self.audience, self.users),
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


def _pct(n: int, total: int) -> float:
    return round(100 * n / total, 2) if total else 0.0


def _share(total: int) -> Callable[[int], float]:
    return lambda n: _pct(n, total)


class _GuidePlan:
    """One guide, prepared once for the whole file."""

    def __init__(self, guide: Mapping[str, Any], now_ms: float, context: Mapping[str, Any],
                 program: _Program):
        self.guide = guide
        gid = js_string(guide.get("id"))
        self.condition = eligibility._condition(guide)
        self.names = tuple(eligibility.mentioned_event_names(self.condition))
        if not _reads_events(self.condition):
            self.attrs_key: Any = None  # the user's own attributes are enough
        elif _only_counter_paths(self.condition):
            self.attrs_key = "shared"
        else:
            self.attrs_key = self.names
        self.node = program.add(self.condition)
        self.schedule = eligibility.schedule_reason(guide, now_ms)
        has_experiment = targeting._truthy(guide.get("experiment"))
        self.experiment = _Experiment(guide) if has_experiment else None
        first = None if has_experiment else eligibility.assignment(guide, {}, context)
        self.first_variant = first if isinstance(first, str) else None
        self.no_history = eligibility.history_reason(guide, {}, now_ms, context)
        self.no_record = eligibility.frequency_reason(guide, {}, now_ms)
        self.exempt = targeting._truthy(guide.get("exempt_from_throttle"))
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


# ---------------------------------------------------------------------------
# The simulation
# ---------------------------------------------------------------------------

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
        self.program = _Program()
        self.plans = [_GuidePlan(g, now_ms, self.context, self.program) for g in guides]
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
            template = self._templates[names] = eligibility.behaviour_attributes(
                None, self.now_ms, names)
        return template

    def _events(self, users: list[dict[str, Any]], histories: list[Any],
                variant: Any) -> list[dict[str, Any]]:
        """The ``events`` attribute of every user of a chunk, as
        ``eligibility.user_attributes`` builds it. Users without a relevant
        event history share one read-only set of zero counters. For the shared
        variant only tracked names that can land on a path the conditions read
        (same first segment as a mentioned name) are counted: the others fill
        parts of ``events`` that no such condition looks at."""
        shared = variant == "shared"
        names = self.shared_names if shared else variant
        roots = self.shared_roots if shared else None
        flat = shared and not any("." in name for name in names)
        template = self._template(names)
        today = eligibility._utc_day_ordinal(self.now_ms)
        counts = eligibility._event_counts
        out = []
        now = self.now_ms
        for user, history in zip(users, histories, strict=True):
            events = history.get("events") if type(history) is dict else \
                eligibility._history_events(history)
            if events and roots is not None and type(events) is dict:
                events = {k: v for k, v in events.items()
                          if type(k) is str and k.split(".", 1)[0] in roots}
            own = user.get("events")
            if not events:
                computed = template if own is None else json.loads(json.dumps(template))
            elif flat and all(k in roots for k in events):  # type: ignore[operator]
                computed = {**template, **{k: counts(days, today) for k, days in events.items()}}
            else:
                computed = eligibility.behaviour_attributes(events, now, names)
            out.append(computed if own is None else eligibility._merge(computed, own))
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

        masks = _ChunkMasks(self.program, n, rows_for)
        states = [_has_state(h) for h in histories]
        state_mask = int.from_bytes(bytes(states), "little")
        stateful_any = any(states)
        hash_values: list[str | None] | None = None
        throttles: list[Any] = [_UNSET] * n
        now, context = self.now_ms, self.context

        records: list[Any] = [_UNSET] * n

        def history_stop(plan: _GuidePlan, i: int) -> Decision | None:
            """``eligibility.history_reason``, with the user's guide records
            looked up and the throttle (the same for every guide) worked out
            once per user."""
            history = histories[i]
            guides = records[i]
            if guides is _UNSET:
                guides = records[i] = eligibility._mapping(
                    eligibility._mapping(history).get("guides"))
            record = guides.get(plan.result.id)
            if record is not None:
                record = eligibility._mapping(record)
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
            passed = _popcount(mask, n)
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
                    for i in _indexes(stateful, n):
                        checked += 1
                        stop = history_stop(plan, i)
                        plan.count("eligible" if stop is None else stop.reason)
                if passed > checked:
                    plan.count("eligible" if plan.no_history is None else plan.no_history.reason,
                               passed - checked)
                continue
            indexes = list(_indexes(mask, n))
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
            if set(map(type, values)) == _STR_ONLY and "" not in values:
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


# ---------------------------------------------------------------------------
# Explaining one user
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Reading users: JSON Lines, CSV, profiles.yaml
# ---------------------------------------------------------------------------

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_MISSING = object()
_CSV_CACHE: dict[str, Any] = {}


def parse_csv_value(text: str) -> Any:
    """A CSV cell as the product would send it: JSON-style numbers (``1.0`` is
    1; ``007`` and integers beyond 2**53 stay text, they are identifiers),
    ``true``/``false`` (any case) as booleans, ``null`` as null, an empty cell
    as missing (returns the ``_MISSING`` marker), anything else as text."""
    cached = _CSV_CACHE.get(text, _MISSING)
    if cached is not _MISSING:
        return cached
    value: Any = text
    if text == "":
        value = _MISSING
    elif _JSON_NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            if number.is_integer():
                if abs(number) <= 2**53 and (abs(int(number)) < 2**53 or "." in text
                                             or "e" in text.lower()):
                    value = int(number)
            else:
                value = number
    else:
        lowered = text.lower()
        if lowered in ("true", "false"):
            value = lowered == "true"
        elif lowered == "null":
            value = None
    if len(_CSV_CACHE) < 65536:
        _CSV_CACHE[text] = value
    return value


@dataclass
class UserFile:
    """One users file being read; ``bad`` collects ``(line, message)``."""

    path: Path
    label: str
    kind: str  # jsonl | csv | yaml
    size: int
    bad: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0
    bytes_read: int = 0
    on_bad: Callable[[str], None] | None = None
    # A part of a JSON Lines file (for a worker process): bytes [start, end),
    # whose first line is line number first_line.
    start: int = 0
    end: int | None = None
    first_line: int = 1

    def bad_line(self, line: int, message: str) -> None:
        self.bad.append((line, message))
        if self.on_bad is not None and len(self.bad) <= MAX_REPORTED_BAD_LINES:
            self.on_bad(f"{self.label}:{line}: {message}")
            if len(self.bad) == MAX_REPORTED_BAD_LINES:
                self.on_bad(f"{self.label}: further bad lines are counted, not listed")


# users, histories, line numbers, and (profiles only) each user's profile id
Chunk = tuple[list[dict[str, Any]], list[Any], list[int], list[str] | None]


def open_users(path: str | Path, on_bad: Callable[[str], None] | None = None) -> UserFile:
    """Check the file is there and is text; pick its format (by extension:
    ``.csv``, ``.yaml``/``.yml``, else JSON Lines)."""
    p = Path(path)
    label = str(path)
    try:
        if p.is_dir():
            raise InputError(f"{label} is a folder, not a users file")
        with p.open("rb") as fp:
            head = fp.read(8192)
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in head:
        raise InputError(f"{label} is not a text file (it contains binary data); give JSON "
                         "Lines, CSV or a profiles.yaml")
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        kind = "yaml"
    elif suffix == ".csv":
        kind = "csv"
    elif suffix in (".jsonl", ".ndjson", ".json"):
        kind = "jsonl"
    else:
        kind = "jsonl" if head.lstrip().startswith(b"{") else "csv"
    return UserFile(p, label, kind, size, on_bad=on_bad)


def read_users(source: UserFile, chunk: int = CHUNK) -> Iterator[Chunk]:
    """Stream ``(users, histories, lines, labels)`` chunks; bad records are reported
    through ``source.bad_line`` and skipped."""
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "yaml": _read_profiles}[source.kind]
    yield from reader(source, chunk)


def _split_history(obj: dict[str, Any]) -> tuple[Any, str | None]:
    """``history`` (the runtime's stored value) and ``events`` (its event map)
    are not attributes: take them out of the user."""
    history = obj.pop("history", None)
    events = obj.pop("events", None)
    if history is not None and not isinstance(history, dict):
        return None, "history must be an object (the runtime's stored history)"
    if events is not None:
        if not isinstance(events, dict):
            return None, "events must be an object {event: {YYYY-MM-DD: count}}"
        history = {**history, "events": events} if history else {"v": 1, "events": events}
    return history, None


def _json_error(raw: bytes, exc: ValueError) -> str:
    """``Expecting ',' delimiter at column 12``, without the line ending."""
    try:
        json.loads(raw.decode().rstrip("\r\n"))
    except json.JSONDecodeError as again:
        exc = again
    except ValueError:
        pass
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    at = "" if exc.msg.endswith(" at") else " at"
    return f"{exc.msg}{at} column {exc.colno}"


def _read_jsonl(source: UserFile, chunk: int) -> Iterator[Chunk]:
    users: list[dict[str, Any]] = []
    histories: list[Any] = []
    lines: list[int] = []
    decode = json.JSONDecoder().decode  # what json.loads uses, minus its wrapper
    try:
        fp = source.path.open("rb")
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    limit = math.inf if source.end is None else source.end - source.start
    done = 0
    with fp:
        fp.seek(source.start)
        number = source.first_line - 1
        for number, raw in enumerate(fp, start=source.first_line):  # noqa: B007
            if done >= limit:
                number -= 1
                break
            done += len(raw)
            try:
                obj = decode(raw.decode())
            except UnicodeDecodeError:
                source.bad_line(number, "not UTF-8 text")
                continue
            except ValueError as exc:
                if not raw.strip():
                    continue  # blank lines are allowed
                source.bad_line(number, f"not valid JSON: {_json_error(raw, exc)}")
                continue
            if type(obj) is not dict:
                source.bad_line(number, "not a JSON object (one user object per line)")
                continue
            history = None
            if "events" in obj or "history" in obj:
                history, error = _split_history(obj)
                if error:
                    source.bad_line(number, error)
                    continue
            users.append(obj)
            histories.append(history)
            lines.append(number)
            if len(users) >= chunk:
                source.lines, source.bytes_read = number, done
                yield users, histories, lines, None
                users, histories, lines = [], [], []
        source.lines, source.bytes_read = number, done
    if users:
        yield users, histories, lines, None


def _decoded_lines(source: UserFile, fp: IO[bytes]) -> Iterator[str]:
    """UTF-8 lines; an undecodable line is reported and replaced by an empty
    one so CSV line numbers stay right."""
    for number, raw in enumerate(fp, start=1):
        source.bytes_read += len(raw)
        source.lines = number
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            source.bad_line(number, "not UTF-8 text")
            text = "\n"
        yield text


def _csv_columns(header: list[str], label: str) -> list[tuple[str, ...]]:
    paths = [tuple(name.strip().split(".")) for name in header]
    seen: dict[tuple[str, ...], str] = {}
    for name, path in zip(header, paths, strict=True):
        if not name.strip() or any(not part for part in path):
            raise InputError(f"{label}:1: column {name!r} is not an attribute name")
        if path in seen:
            raise InputError(f"{label}:1: column {name!r} appears twice")
        seen[path] = name
    for path, name in seen.items():
        for n in range(1, len(path)):
            if path[:n] in seen:
                raise InputError(f"{label}:1: column {name!r} conflicts with column "
                                 f"{seen[path[:n]]!r} (one cannot be an object and a value)")
    return paths


def _read_csv(source: UserFile, chunk: int) -> Iterator[Chunk]:
    try:
        fp = source.path.open("rb")
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    with fp:
        reader = csv.reader(_decoded_lines(source, fp), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{source.label}:1: the header row is not valid CSV ({exc})") from None
        columns = _csv_columns(header, source.label)
        width = len(columns)
        flat = [path[0] if len(path) == 1 else None for path in columns]
        users: list[dict[str, Any]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                source.bad_line(start, f"not valid CSV: {exc}")
                start = reader.line_num + 1
                continue
            line, start = start, reader.line_num + 1
            if not row or row == [""]:
                continue
            if len(row) != width:
                source.bad_line(line, f"has {len(row)} fields, the header has {width}")
                continue
            user: dict[str, Any] = {}
            for key, path, cell in zip(flat, columns, row, strict=True):
                value = parse_csv_value(cell)
                if value is _MISSING:
                    continue
                if key is not None:
                    user[key] = value
                else:
                    node = user
                    for part in path[:-1]:
                        node = node.setdefault(part, {})
                    node[path[-1]] = value
            users.append(user)
            lines.append(line)
            if len(users) >= chunk:
                yield users, [None] * len(users), lines, None
                users, lines = [], []
        if users:
            yield users, [None] * len(users), lines, None


def _read_profiles(source: UserFile, chunk: int) -> Iterator[Chunk]:
    try:
        text = source.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source.label}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(f"{source.label}: cannot be read ({exc.strerror or exc})") from None
    source.bytes_read = source.size
    source.lines = text.count("\n") + 1
    try:
        data, positions = yaml_io.load(text)
    except yaml_io.YamlError as exc:
        raise InputError(f"{source.label}:{exc.line or 1}: not valid YAML: {exc.message}") \
            from None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, list):
        raise InputError(f"{source.label}: a profiles file needs a list under 'profiles:'")
    users: list[dict[str, Any]] = []
    histories: list[Any] = []
    lines: list[int] = []
    labels: list[str] = []
    for i, profile in enumerate(profiles):
        mark = positions.locate(data, ("profiles", i))
        line = mark[0] if mark else 0
        if not isinstance(profile, dict):
            source.bad_line(line, "a profile must be a mapping with id and attributes")
            continue
        attributes = profile.get("attributes", {})
        events = profile.get("events")
        if not isinstance(attributes, dict):
            source.bad_line(line, "attributes must be a mapping")
            continue
        if events is not None and not isinstance(events, dict):
            source.bad_line(line, "events must be a mapping {event: {YYYY-MM-DD: count}}")
            continue
        users.append(dict(attributes))
        histories.append({"v": 1, "events": events} if events else None)
        lines.append(line)
        labels.append(js_string(profile.get("id", "")))
    yield users, histories, lines, labels


# ---------------------------------------------------------------------------
# Progress and the whole run
# ---------------------------------------------------------------------------


class _Progress:
    """``\\r`` text on stderr once a file turns out to have over 10,000 lines."""

    def __init__(self, source: UserFile, stream: IO[str] | None, scale: int = 1):
        self.source = source
        self.stream = stream
        self.scale = scale  # the first of `scale` equal parts: its share stands for all
        self.shown = False
        self.last = 0.0

    def update(self) -> None:
        lines = (self.source.lines - self.source.first_line + 1) * self.scale
        if self.stream is None or lines <= PROGRESS_AFTER_LINES:
            return
        moment = time.monotonic()
        if self.shown and moment - self.last < 0.2:
            return
        self.last = moment
        self.shown = True
        pct = 100 * self.source.bytes_read / self.source.size if self.source.size else 100
        self.stream.write(f"\rsimulating {self.source.label}: {min(pct, 100):5.1f}% "
                          f"(~{lines:,} lines)")
        self.stream.flush()

    def done(self) -> None:
        if self.shown and self.stream is not None:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


def _matches(user: Mapping[str, Any], label: str | None, wanted: str,
             hash_attribute: str) -> bool:
    """``--explain`` names a user by ``id``, by the hash attribute, or (in a
    profiles file) by the profile's id."""
    if label == wanted:
        return True
    for value in (user.get("id"), _get_path(user, hash_attribute)):
        if value is not None and js_string(value) == wanted:
            return True
    return False


Found = tuple[dict[str, Any], Any, int]


def _consume(simulation: Simulation, source: UserFile, explain_id: str | None,
             bar: _Progress | None) -> Found | None:
    """Stream ``source`` into ``simulation``; the ``--explain`` user, if met."""
    found: Found | None = None
    hash_attribute = js_string(simulation.context["hash_attribute"])
    # Users are plain acyclic JSON, freed chunk by chunk; the cyclic collector
    # would only walk them over and over (about a fifth of the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for users, histories, lines, labels in read_users(source):
            if explain_id is not None and found is None:
                for i, user in enumerate(users):
                    if _matches(user, labels[i] if labels else None, explain_id,
                                hash_attribute):
                        found = (copy_json(user), copy_json(histories[i]), lines[i])
                        break
            simulation.add(users, histories)
            if bar is not None:
                bar.update()
    finally:
        if collecting:
            gc.enable()
    return found


def copy_json(value: Any) -> Any:
    """A deep copy of plain JSON data."""
    if type(value) is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if type(value) is list:
        return [copy_json(v) for v in value]
    return value


def _simulate_part(bundle: Mapping[str, Any], source: UserFile, now_ms: float,
                   explain_id: str | None) -> tuple[int, Any, list[tuple[int, str]], Found | None]:
    """A worker process: one part of the file, returned as raw counts."""
    simulation = Simulation(bundle, now_ms)
    found = _consume(simulation, source, explain_id, None)
    return simulation.users, simulation.tallies(), source.bad, found


PARALLEL_MIN_BYTES = 4 << 20  # below this a second process costs more than it saves


def _parts(source: UserFile, workers: int) -> list[UserFile]:
    """Split a JSON Lines file into byte ranges that start at line starts,
    each knowing its first line number."""
    bounds = [0]
    with source.path.open("rb") as fp:
        for k in range(1, workers):
            fp.seek(max(bounds[-1], source.size * k // workers))
            fp.readline()  # to the start of the next line
            bounds.append(max(fp.tell(), bounds[-1]))
        bounds.append(source.size)
        first_lines = [1]
        fp.seek(0)
        newlines = 0
        position = 0
        for bound in bounds[1:-1]:
            while position < bound:
                block = fp.read(min(1 << 20, bound - position))
                if not block:
                    break
                newlines += block.count(b"\n")
                position += len(block)
            first_lines.append(newlines + 1)
    return [UserFile(source.path, source.label, source.kind, bounds[k + 1] - bounds[k],
                     start=bounds[k], end=bounds[k + 1], first_line=first_lines[k])
            for k in range(workers) if bounds[k + 1] > bounds[k]]


def _process_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def simulate_users(bundle: Mapping[str, Any], source: UserFile, now_ms: float, *,
                   explain_id: str | None = None, progress: IO[str] | None = None,
                   workers: int = 1) -> SimulationResult:
    """Run every user of ``source`` through every guide of ``bundle``.

    With ``workers`` > 1 a large JSON Lines file is cut into that many parts
    at line boundaries and the other parts run in worker processes while
    this one does the first; the counts are sums, so the result is the same.
    """
    started = time.perf_counter()
    simulation = Simulation(bundle, now_ms)
    bar = _Progress(source, progress)
    parts = [source]
    if workers > 1 and source.kind == "jsonl" and source.size >= PARALLEL_MIN_BYTES:
        parts = _parts(source, workers)
    futures = []
    pool = None
    if len(parts) > 1:
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool = ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=_process_context())
            futures = [pool.submit(_simulate_part, bundle, part, now_ms, explain_id)
                       for part in parts[1:]]
        except (OSError, RuntimeError, ValueError):  # no processes here: do it all ourselves
            pool, futures, parts = None, [], [source]
        else:
            first = parts[0]
            first.on_bad = source.on_bad
            bar = _Progress(first, progress, scale=len(parts))
    try:
        found = _consume(simulation, parts[0], explain_id, bar)
        for future in futures:
            users, tallies, bad, part_found = future.result()
            simulation.merge(users, tallies)
            for line, message in bad:
                parts[0].bad_line(line, message)
            if found is None:
                found = part_found
    finally:
        bar.done()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    explained = None
    if found is not None:
        user, history, line = found
        explained = explain(bundle, user, history or {}, now_ms, explain_id or "", line)
    project = bundle.get("project")
    return SimulationResult(
        users=simulation.users, guides=simulation.result(), now_ms=now_ms,
        environment=js_string(bundle.get("environment") or ""),
        project=js_string(project.get("name")) if isinstance(project, Mapping) else "",
        bad_lines=len(parts[0].bad), source=source.label,
        elapsed_s=time.perf_counter() - started, explained=explained)


# ---------------------------------------------------------------------------
# Output: table, JSON, CSV
# ---------------------------------------------------------------------------


def _count(n: int, total: int) -> str:
    return f"{n:,} ({_pct(n, total):.1f}%)"


def format_table(result: SimulationResult) -> str:
    """A fixed-width table: audience as a share of all users; variants,
    control and "not in experiment" as shares of the audience."""
    header = ["GUIDE", "PRIO", "SCHEDULE", "AUDIENCE", "VARIANTS", "CONTROL", "NOT IN EXP.",
              "ELIGIBLE NOW"]
    rows = [header]
    for g in sorted(result.guides, key=lambda g: priority_key({"id": g.id,
                                                              "priority": g.priority})):
        variants = ", ".join(f"{k} {_count(n, g.audience)}"
                             for k, n in g.variant_counts().items()) or "-"
        rows.append([
            g.id, js_string(g.priority), g.schedule, _count(g.audience, g.users), variants,
            _count(g.control, g.audience) if g.has_control else "-",
            _count(g.not_in_experiment_total, g.audience) if g.has_experiment else "-",
            f"{g.eligible:,}",
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{result.project or 'project'} · {result.environment or 'bundle'} · "
        f"{result.users:,} users × {len(result.guides)} guides · now "
        f"{eligibility.iso_utc(result.now_ms)[:19]}Z",
        "",
    ]
    for r in rows:
        cells = [c.rjust(w) if i == 1 else c.ljust(w) for i, (c, w) in
                 enumerate(zip(r, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    if result.explained is not None:
        lines += ["", *format_explain(result.explained, result.now_ms)]
    return "\n".join(lines)


def format_explain(explained: ExplainResult, now_ms: float) -> list[str]:
    where = f" (line {explained.line})" if explained.line else ""
    lines = [f"Why user {explained.user_id}{where} sees what, at "
             f"{eligibility.iso_utc(now_ms)[:19]}Z (highest priority first):"]
    width = max((len(js_string(g.get("id"))) for g, _ in explained.decisions), default=5)
    for guide, d in explained.decisions:
        verdict = f"eligible, variant {d.variant}" if d.eligible else (
            f"not shown: {d.reason}" + (f" ({d.variant})" if d.variant else ""))
        detail = f" — {d.detail}" if d.detail else ""
        lines.append(f"  {js_string(guide.get('id')).ljust(width)}  "
                     f"{js_string(guide.get('priority') or 0):>4}  {verdict}{detail}")
    lines.append(f"If every trigger fired now, the guide shown would be: "
                 f"{explained.winner or 'none'}")
    return lines


def format_json(result: SimulationResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def format_csv(result: SimulationResult) -> str:
    """One row per guide and group (each variant, control, not in experiment):
    easy to pivot in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["guide_id", "guide_name", "priority", "schedule", "users", "audience",
                     "audience_pct", "group", "count", "pct_of_audience", "eligible_now"])
    for g in result.guides:
        base = [g.id, g.name, js_string(g.priority), g.schedule, g.users, g.audience,
                _pct(g.audience, g.users)]
        groups = list(g.variant_counts().items())
        if g.has_control:
            groups.append(("control", g.control))
        if g.has_experiment:
            groups.append(("not_in_experiment", g.not_in_experiment_total))
        for name, n in groups:
            writer.writerow([*base, name, n, _pct(n, g.audience), g.eligible])
    if result.explained is not None:
        writer.writerow([])
        writer.writerow(["user", "guide_id", "priority", "eligible", "reason", "variant",
                         "detail"])
        for guide, d in result.explained.decisions:
            writer.writerow([result.explained.user_id, js_string(guide.get("id")),
                             js_string(guide.get("priority") or 0), js_string(d.eligible),
                             d.reason, d.variant or "", d.detail])
    return buf.getvalue().rstrip("\n")


def default_workers() -> int:
    """Processes for a large JSON Lines file: one per core, at most two (the
    second roughly halves the time; more add start-up and merging for little)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def default_progress_stream(force: bool) -> IO[str] | None:
    """stderr when it is a terminal (or when asked), else nothing."""
    stream = sys.stderr
    if force:
        return stream
    try:
        return stream if stream.isatty() and os.environ.get("TERM") != "dumb" else None
    except (AttributeError, ValueError):
        return None
