"""Audiences, evaluated a chunk of users at a time.

A condition becomes a DAG of nodes shared by every guide (a segment used by
ten guides is one node). For a chunk of users, a node's value is a *mask*:
an int holding one byte per user (0 or 1), so $and/$or/$not are ``&``, ``|``
and ``^ all`` on whole chunks. A leaf (one path against one condition value,
see ``leaves``) is evaluated once per *distinct* value of its path in the
chunk, with the evaluator's own functions, and the results are spread back to
users by ``operator.itemgetter`` — a C loop. Short-circuiting is not needed:
nothing in a condition has side effects or raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from guidestudio.core.simulate.leaves import MEMO_TYPES, Leaf
from guidestudio.core.targeting.conditions import eval_condition
from guidestudio.core.targeting.js_values import INHERITED_NAMES
from guidestudio.core.targeting.paths import get_path

_ARRAYS = (list, tuple)
_MAX_DEPTH = 64  # deeper subtrees are handed to eval_condition whole
_TRUE, _FALSE, _LEAF, _AND, _OR, _NOT, _WHOLE = range(7)
_BOOL_KEYS = (object(), object())  # distinct dict keys for False / True


def is_events_path(path: str) -> bool:
    """Does ``path`` read the virtual ``events`` attribute? Its value depends
    on the user's history and on which names the conditions mention."""
    return path == "events" or path.startswith("events.")


class AudienceProgram:
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
        """The node for ``condition``, mirroring ``conditions.eval_unguarded`` key by key."""
        if type(condition) is not dict or depth > _MAX_DEPTH or any(
                type(k) is not str for k in condition):
            return self._node((_WHOLE, id(condition)), _WHOLE, condition, True)
        parts: list[int] = []
        for key, value in condition.items():
            if key == "$or":  # an empty or malformed $or passes, as in eval_or
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
                parts.append(self._node((_LEAF, key, signature), _LEAF, Leaf(key, value),
                                        is_events_path(key)))
        return self._combine(_AND, parts)


_STR_ONLY = {str}


def _step(value: Any, part: str) -> Any:
    """One step of ``paths.get_path`` from a value that is not a dict."""
    return get_path({"": value}, "." + part) if value is not None else None


def _column_step(values: list[Any], part: str) -> list[Any]:
    """One more path segment for a whole column: one C call when every value
    is a dict (``dict.get`` refuses anything else, and then we go slowly)."""
    if part in INHERITED_NAMES:  # toString, constructor…: JS reads the prototype's
        return [_step(v, part) for v in values]
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
    plain = types <= MEMO_TYPES
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
            key = v if cls in MEMO_TYPES else _BOOL_KEYS[v] if cls is bool else object()
            code = index.get(key)
            if code is None:
                code = index[key] = len(distinct)
                distinct.append(v)
            codes.append(code)
    if len(codes) == 1:
        only = codes[0]
        return distinct, lambda results: (results[only],), plain, text
    return distinct, itemgetter(*codes), plain, text


class ChunkMasks:
    """Node masks for one chunk of users, computed on demand and shared by
    every guide that uses the node."""

    def __init__(self, program: AudienceProgram, n: int,
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
    program = AudienceProgram()
    node = program.add(condition)

    def evaluate(rows: Sequence[Mapping[str, Any]]) -> list[bool]:
        if not rows:
            return []
        masks = ChunkMasks(program, len(rows), lambda variant, light: rows)
        return [b == 1 for b in masks.mask(node, None).to_bytes(len(rows), "little")]

    return evaluate


def mask_indexes(mask: int, n: int) -> Iterator[int]:
    """The users (0..n-1) whose byte in ``mask`` is set."""
    return compress(range(n), mask.to_bytes(n, "little"))


def mask_count(mask: int, n: int) -> int:
    """How many of the ``n`` users ``mask`` holds."""
    return mask.to_bytes(n, "little").count(1)
