"""The shape of a JavaScript regex, for the backtracking analysis (``js_regex_redos``).

The translator (``js_regex_translate``) is the one parser of the JS grammar; as
it emits Python it also reports each construct to an ``AstBuilder``, which
keeps the little the analysis needs: which code units each atom matches (after
``/i`` folding), how pieces are sequenced, alternated and repeated, where the
zero-width assertions are, and where each repetition is in the source (for the
message that names it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guidestudio.core.targeting.js_regex_sets import Intervals


@dataclass(frozen=True, slots=True)
class Chars:
    """One code unit out of ``units``."""

    units: Intervals
    start: int


@dataclass(frozen=True, slots=True)
class Assertion:
    """Zero width: ``^``, ``$``, ``\\b``, a lookaround (its ``body`` is checked on its own), or
    a backreference (``group``): the analysis counts it as matching nothing, so a path
    through it is never a place where the whole pattern is sure to have matched."""

    start: int
    body: Node | None = None
    group: int | None = None


@dataclass(frozen=True, slots=True)
class Empty:
    """Matches the empty string and nothing else (a forward reference, an empty group)."""

    start: int


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]
    start: int


@dataclass(frozen=True, slots=True)
class Alt:
    options: tuple[Node, ...]
    start: int


@dataclass(frozen=True, slots=True)
class Repeat:
    """``body{low,high}`` (``high`` None: unbounded); ``end`` is where the quantifier ends in
    the source, so ``source[start:end]`` is the repetition as written."""

    body: Node
    low: int
    high: int | None
    start: int
    end: int


Node = Chars | Assertion | Empty | Seq | Alt | Repeat


def _join(alternatives: list[list[Node]], start: int) -> Node:
    """A group's (or the pattern's) alternatives as one node starting at ``start``."""
    options = tuple(Seq(tuple(items), items[0].start) if items else Empty(start)
                    for items in alternatives)
    if len(options) == 1:
        return Seq(options[0].items, start) if isinstance(options[0], Seq) else options[0]
    return Alt(options, start)


@dataclass
class AstBuilder:
    """Receives the translator's constructs in source order and assembles the tree."""

    # Open groups: each a list of alternatives, each a list of pieces; [0] is the pattern.
    frames: list[list[list[Node]]] = field(default_factory=lambda: [[[]]])
    starts: list[int] = field(default_factory=lambda: [0])
    has_backreference: bool = False
    has_lookaround_repeat: bool = False

    def add(self, node: Node) -> None:
        self.frames[-1][-1].append(node)

    def alternative(self) -> None:
        self.frames[-1].append([])

    def open(self, start: int) -> None:
        self.frames.append([[]])
        self.starts.append(start)

    def close(self, lookaround: bool) -> None:
        body = _join(self.frames.pop(), self.starts.pop())
        if lookaround:
            if _repeats(body):
                self.has_lookaround_repeat = True
            self.add(Assertion(body.start, body=body))
        else:
            self.add(body)

    def backreference(self, start: int, group: int) -> None:
        self.has_backreference = True
        self.add(Assertion(start, group=group))

    def quantify(self, low: int, high: int | None, end: int) -> None:
        pieces = self.frames[-1][-1]
        body = pieces.pop()
        pieces.append(Repeat(body, low, high, body.start, end))

    def finish(self) -> Node:
        return _join(self.frames[0], 0)


def _repeats(node: Node) -> bool:
    if isinstance(node, Repeat):
        return node.high is None or node.high > 1 or _repeats(node.body)
    if isinstance(node, Seq):
        return any(map(_repeats, node.items))
    if isinstance(node, Alt):
        return any(map(_repeats, node.options))
    if isinstance(node, Assertion) and node.body is not None:
        return _repeats(node.body)
    return False
