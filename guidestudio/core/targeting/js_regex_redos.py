"""Patterns a backtracking engine can take for ever on (ReDoS), found before they ship.

A browser runs ``$regex`` with a backtracking engine (V8's Irregexp, and the
others), so a pattern that can match the same text in many ways makes a value
that *almost* matches cost every one of those ways: ``^([a-z0-9_.+-]+)+@acme\\.com$``
on a 28-character local part took 15 s and froze the page. This module says
which patterns can do that, from the tree the translator builds
(``js_regex_ast``), with a message that names the repetition to rewrite.

**The analysis** is the ambiguity test that relates an automaton to its
backtracking time (Weideman, van der Merwe, Berglund and Watson, "Analyzing
matching time behavior of backtracking regular expression matchers by using
ambiguity of NFA", 2016; the same theory under the automaton checker of
``recheck``). The pattern becomes a position automaton (Glushkov's), whose
edges count how many ways the pattern can step from one position to the next
(``(a*)*`` steps from ``a`` to ``a`` in two). Then:

* **exponential** (EDA): some state can loop back to itself along two different
  paths reading the same text. Found as a strongly connected component of the
  automaton squared that holds a pair ``(p, p)`` and either a pair ``(p, q)``
  with ``p ≠ q`` or an edge taken two ways. Nested repetition
  (``(a+)+``) and alternatives that overlap under repetition (``(a|ab)*``) are
  the two shapes of it.
* **polynomial** (IDA): two different loops ``p`` and ``q`` and one text that
  loops at ``p``, leads from ``p`` to ``q`` and loops at ``q``
  (``^\\S+@\\S+\\.\\S+$``): every split of the text between them is tried,
  the square of the length or worse. Found by a search of the automaton cubed
  from ``(p, p, q)`` to ``(p, q, q)``.

A backtracking engine stops at the first way the whole pattern matches, so
positions from which the match cannot fail are left out of both searches:
those after which the rest of the pattern can match nothing, with no anchor or
lookaround to pass, and the same holds at every position they lead to (the
trailing ``.*`` of ``foo.*``). ``.*foo.*`` is fine, ``^.*foo.*$`` is not. That
is not the same as "the pattern can match nothing": JavaScript refuses an
optional group's empty match and first tries every way of matching it with
text, so ``(x|(@+\\d*)*ba)?`` still blows up on ``@@@…``.

What is approximate: counted repetitions longer than 20 are treated as
unbounded (``a{1,100}`` as ``a+``: may flag a safe pattern, never miss one);
lookarounds and backreferences count as matching nothing, and a lookaround's
own pattern is checked on its own. Patterns with a backreference or a
repeating lookaround are therefore also run under a time limit in Python
(``js_regex``). The search for a match at every start position (an unanchored
pattern) multiplies any pattern's time by the value's length, as in every
regex engine; that factor is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from guidestudio.core.graphs import strongly_connected
from guidestudio.core.targeting.js_regex_ast import Alt, Assertion, Chars, Empty, Node, Repeat, Seq
from guidestudio.core.targeting.js_regex_sets import Intervals

#: Longest pattern accepted, in UTF-16 code units: enough for any audience rule,
#: and it keeps the analysis (and the product's regex engine) small.
MAX_PATTERN_UNITS = 300
_EXPAND_LIMIT = 20  # counted repetitions up to this many are unrolled exactly
_MAX_POSITIONS = 1500
_WORK_LIMIT = 100_000  # pair/triple steps before a pattern counts as too complex to check


class _TooComplex(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Info:
    """What a sub-pattern contributes: ways to match nothing (capped at 2), the positions
    it can start and end at (with their numbers of ways), whether it can match nothing
    without passing an assertion, and its last positions after which the rest can."""

    empty: int
    first: dict[int, int]
    last: dict[int, int]
    pure: bool
    last_pure: frozenset[int]


_NOTHING = _Info(1, {}, {}, True, frozenset())


def _add(a: dict[int, int], b: dict[int, int], times: int = 1) -> dict[int, int]:
    out = dict(a)
    if times:
        for k, v in b.items():
            out[k] = min(2, out.get(k, 0) + v * times)
    return out


@dataclass
class _Automaton:
    """The position automaton: position 0 is the start; ``follow[p][q]`` is the number of
    ways (1 or 2, "more than one") to step from ``p`` to ``q``."""

    labels: list[Intervals] = field(default_factory=lambda: [()])
    loops: list[tuple[tuple[int, int], ...]] = field(default_factory=lambda: [()])
    follow: list[dict[int, int]] = field(default_factory=lambda: [{}])
    open_loops: list[tuple[int, int]] = field(default_factory=list)
    lookarounds: list[Node] = field(default_factory=list)

    def position(self, units: Intervals) -> int:
        if len(self.labels) > _MAX_POSITIONS:
            raise _TooComplex
        self.labels.append(units)
        self.loops.append(tuple(self.open_loops))
        self.follow.append({})
        return len(self.labels) - 1

    def link(self, last: dict[int, int], first: dict[int, int]) -> None:
        for p, m in last.items():
            row = self.follow[p]
            for q, k in first.items():
                row[q] = min(2, row.get(q, 0) + m * k)

    def seq(self, a: _Info, b: _Info) -> _Info:
        self.link(a.last, b.first)
        return _Info(min(2, a.empty * b.empty), _add(a.first, b.first, a.empty),
                     _add(b.last, a.last, b.empty), a.pure and b.pure,
                     b.last_pure | a.last_pure if b.pure else b.last_pure)

    def walk(self, node: Node) -> _Info:
        if isinstance(node, Chars):
            p = self.position(node.units)
            return _Info(0, {p: 1}, {p: 1}, False, frozenset((p,)))
        if isinstance(node, Assertion):
            if node.body is not None:
                self.lookarounds.append(node.body)
            return _Info(1, {}, {}, False, frozenset())
        if isinstance(node, Empty):
            return _NOTHING
        if isinstance(node, Seq):
            info = _NOTHING
            for item in node.items:
                info = self.seq(info, self.walk(item))
            return info
        if isinstance(node, Alt):
            options = [self.walk(option) for option in node.options]
            first: dict[int, int] = {}
            last: dict[int, int] = {}
            for o in options:
                first, last = _add(first, o.first), _add(last, o.last)
            return _Info(min(2, sum(o.empty for o in options)), first, last,
                         any(o.pure for o in options),
                         frozenset().union(*(o.last_pure for o in options)))
        return self.repeat(node)

    def repeat(self, node: Repeat) -> _Info:
        low, high = node.low, node.high
        if high is not None and high <= _EXPAND_LIMIT:  # unrolled: body{low} (body (body …)?)?
            info = _NOTHING
            for _ in range(low):
                info = self.seq(info, self.walk(node.body))
            tail: _Info | None = None
            for _ in range(high - low):
                body = self.walk(node.body)
                inner = body if tail is None else self.seq(body, tail)
                tail = _Info(min(2, inner.empty + 1), inner.first, inner.last, True,
                             inner.last_pure)
            return info if tail is None else self.seq(info, tail)
        self.open_loops.append((node.start, node.end))
        info = _NOTHING
        for _ in range(min(low, _EXPAND_LIMIT) - 1):
            info = self.seq(info, self.walk(node.body))
        body = self.walk(node.body)
        self.link(body.last, body.first)  # the loop back
        if low == 0:  # an iteration matching nothing ends the loop: one way to skip it
            looped = _Info(1, body.first, body.last, True, body.last_pure)
        else:
            looped = body
        self.open_loops.pop()
        return self.seq(info, looped)


def _overlap(a: Intervals, b: Intervals) -> bool:
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


def _intersect(a: Intervals, b: Intervals) -> Intervals:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Finding:
    """How a pattern can backtrack for ever, and the source spans of the repetitions
    responsible. Kinds: ``nested`` and ``overlap`` (exponential), ``polynomial`` (two
    spans), ``complex`` (too big to analyse; no span)."""

    kind: str
    loops: tuple[tuple[int, int], ...]


class _Checker:
    def __init__(self, automaton: _Automaton, success: frozenset[int]) -> None:
        self.a = automaton
        self.work = 0
        # Edges among positions that can still fail (success positions end every path).
        self.edges: list[dict[int, int]] = [
            {} if p in success else {q: m for q, m in row.items() if q not in success}
            for p, row in enumerate(automaton.follow)
        ]
        self._overlaps: dict[tuple[int, int], bool] = {}

    def step(self) -> None:
        self.work += 1
        if self.work > _WORK_LIMIT:
            raise _TooComplex

    def overlap(self, p: int, q: int) -> bool:
        key = (p, q) if p < q else (q, p)
        hit = self._overlaps.get(key)
        if hit is None:
            hit = self._overlaps[key] = p == q or _overlap(self.a.labels[p], self.a.labels[q])
        return hit

    def blame(self, positions: Iterable[int], outermost: bool = False) -> tuple[int, int]:
        """The innermost (or outermost) repetition around all of ``positions``."""
        common: tuple[tuple[int, int], ...] | None = None
        for p in positions:
            loops = self.a.loops[p]
            if common is None:
                common = loops
            else:
                n = 0
                while n < min(len(common), len(loops)) and common[n] == loops[n]:
                    n += 1
                common = common[:n]
        if not common:
            return (0, 0)
        return common[0] if outermost else common[-1]

    def exponential(self) -> Finding | None:
        edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
        twice: set[tuple[tuple[int, int], tuple[int, int]]] = set()
        todo = [(0, 0)]
        seen = {(0, 0)}
        while todo:
            pair = todo.pop()
            p1, p2 = pair
            out = edges[pair] = []
            for q1, m1 in self.edges[p1].items():
                for q2 in self.edges[p2]:
                    self.step()
                    if not self.overlap(q1, q2):
                        continue
                    target = (q1, q2)
                    out.append(target)
                    if p1 == p2 and q1 == q2 and m1 > 1:
                        twice.add((pair, target))
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
        for component in strongly_connected(seen, lambda pair: edges.get(pair, ())):
            members = set(component)
            diagonal = [p for p, q in component if p == q]
            if not diagonal:
                continue
            positions = {p for pair in component for p in pair}
            if len(diagonal) < len(component):  # two positions read the same text
                return Finding("overlap", (self.blame(positions),))
            if any(edge[0] in members and edge[1] in members for edge in twice):
                # one step taken two ways: a repetition of something that repeats
                return Finding("nested", (self.blame(positions, outermost=True),))
        return None

    def polynomial(self) -> Finding | None:
        graph = {p: list(row) for p, row in enumerate(self.edges)}
        loops = [c for c in strongly_connected(range(len(self.edges)), lambda p: graph.get(p, ()))
                 if len(c) > 1 or c[0] in self.edges[c[0]]]
        component_of = {p: i for i, c in enumerate(loops) for p in c}
        for i, first in enumerate(loops):
            reach = self._reachable(first)
            for j, second in enumerate(loops):
                if i == j or not any(q in reach for q in second):
                    continue
                for p in first:
                    for q in second:
                        if q in reach and self._loop_pair(p, q, component_of):
                            return Finding("polynomial", (self.blame((p,)), self.blame((q,))))
        return None

    def _reachable(self, sources: list[int]) -> set[int]:
        seen = set(sources)
        todo = list(sources)
        while todo:
            for q in self.edges[todo.pop()]:
                self.step()
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    def _loop_pair(self, p: int, q: int, component_of: dict[int, int]) -> bool:
        """One text that loops at p, leads from p to q, and loops at q?"""
        cp, cq = component_of[p], component_of[q]
        labels = self.a.labels
        start = (p, p, q)
        seen = {start}
        todo = [start]
        while todo:
            x, y, z = todo.pop()
            for x2 in self.edges[x]:
                if component_of.get(x2) != cp:
                    continue
                for y2 in self.edges[y]:
                    if not self.overlap(x2, y2):
                        continue
                    common = _intersect(labels[x2], labels[y2])
                    for z2 in self.edges[z]:
                        self.step()
                        if component_of.get(z2) != cq or not _overlap(common, labels[z2]):
                            continue
                        state = (x2, y2, z2)
                        if state == (p, q, q):
                            return True
                        if state not in seen:
                            seen.add(state)
                            todo.append(state)
        return False


def _sure(automaton: _Automaton, root: _Info) -> frozenset[int]:
    """The positions from which the match cannot fail: the rest of the pattern can match
    nothing there (no assertion to pass), and so it can at every position reachable from
    them. Whatever the matcher tries from such a position, when nothing more fits it ends
    the pattern with a match, so it never backtracks past it."""
    sure = set(root.last_pure) | ({0} if root.pure else set())
    changed = True
    while changed:
        changed = False
        for p in list(sure):
            if any(q not in sure for q in automaton.follow[p]):
                sure.discard(p)
                changed = True
    return frozenset(sure)


def _check(tree: Node) -> Finding | None:
    automaton = _Automaton()
    root = automaton.walk(tree)
    automaton.follow[0] = dict(root.first)
    sure = _sure(automaton, root)
    found = None
    if 0 not in sure:  # else the pattern cannot fail at all
        checker = _Checker(automaton, sure)
        found = checker.exponential() or checker.polynomial()
    for body in automaton.lookarounds:
        found = found or _check(body)
    return found


def find_backtracking(tree: Node) -> Finding | None:
    """The first way ``tree`` can backtrack super-linearly, or None. Raises nothing:
    a pattern too complex to analyse is reported as a ``Finding`` of kind ``complex``."""
    try:
        return _check(tree)
    except (_TooComplex, RecursionError):
        return Finding("complex", ())

