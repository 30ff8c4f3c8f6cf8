"""One leaf of an audience: a path against a condition value, for many users.

A leaf is evaluated with ``targeting``'s own operator functions, once per
*distinct* value of its path (memoised across chunks: plans, countries and
versions repeat), and for the two leaves that meet many distinct strings
(``$in`` lists of ids, ``$regex`` on emails) as one C-speed pass over the
whole column. ``audiences`` builds leaves into a condition's DAG.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import not_
from typing import Any

from guidestudio.core.targeting.conditions import (
    EMPTY_GROUPS,
    OPERATORS,
    eval_value,
    is_operator_object,
)
from guidestudio.core.targeting.js_regex import (
    UNBOUNDED_VALUE_UNITS,
    compile_js_regex,
    regex_test,
)

_MEMO_LIMIT = 1 << 17
_ARRAYS = (list, tuple)
MEMO_TYPES = frozenset({str, int, float, type(None)})  # never bool: True == 1 as a key


class Leaf:
    """One path against one condition value: ``eval_value(value, get(path))``,
    memoised on the attribute value (plans, countries, versions repeat)."""

    __slots__ = ("path", "value", "ops", "single", "memo", "bools", "text", "ascii_only")

    def __init__(self, path: str, value: Any):
        self.path = path
        self.value = value
        self.ops: list[tuple[Callable[..., bool], Any]] | None = None
        if type(value) is dict and is_operator_object(value):
            ops = [(OPERATORS.get(op), expected) for op, expected in value.items()]
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
        with the pattern ``targeting`` translated (``regex_test`` without its
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
            insensitive = op == "$regexi"
            compiled = compile_js_regex(expected, insensitive)
            if type(compiled) is str:  # a pattern JS rejects: the clause fails
                return (lambda values: [False] * len(values)), False
            search = compiled.search  # type: ignore[union-attr]

            def test(values: list[str]) -> list[bool]:
                if values and max(map(len, values)) > UNBOUNDED_VALUE_UNITS:
                    return [regex_test(v, expected, insensitive) for v in values]
                return list(map(bool, map(search, values)))

            return test, True
        return None, False

    def evaluate(self, v: Any) -> bool:
        """``conditions.eval_value(self.value, v)``; for an operator object the
        same loop over the same operator functions, without re-dispatching."""
        ops = self.ops
        if ops is None:
            return eval_value(self.value, v, EMPTY_GROUPS)
        for fn, expected in ops:
            if not fn(v, expected, EMPTY_GROUPS):
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
                return [fn(v, expected, EMPTY_GROUPS) for v in distinct]
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
            if cls in MEMO_TYPES:
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
