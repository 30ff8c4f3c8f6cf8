"""Trigger URL globs, matched in time linear in the URL's length.

A glob (``docs/eligibility.md``) is text with four wildcards: ``*`` (within a
segment), ``**`` (across segments), ``/**`` (``/x/**`` also matches ``/x``) and
``:name`` (one non-empty segment, captured). As a regular expression on a
backtracking engine, eight ``**`` against a 40-segment URL took 6.3 s: every
way of sharing the URL out between the wildcards was tried. So the glob is
compiled to a small program of instructions and run as a Pike VM (Thompson's
construction, simulated with thread priorities): every thread advances one
character at a time, at most one thread per instruction, so a match costs at
most (URL length × glob length) steps, and the captures are the ones the
backtracking regex would report (the leftmost, greedy ones).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"/\*\*|\*\*|\*|:([A-Za-z_][A-Za-z0-9_]*)")
_LINE_END = frozenset("\n\r\u2028\u2029")

# Instructions: (op, a, b). CHAR a: one character equal to a. SEGMENT: one character
# other than "/". ANY: one character other than a line terminator. SPLIT a, b: go on at
# a, else at b (a first). JUMP a. SAVE a: record the position in capture slot a. MATCH.
CHAR, SEGMENT, ANY, SPLIT, JUMP, SAVE, MATCH = range(7)
Instruction = tuple[int, object, int]


def _star(prog: list[Instruction], kind: int) -> None:
    """``[^/]*`` or ``.*``, greedy: loop while the character fits, else go on."""
    loop = len(prog)
    prog += [(SPLIT, loop + 1, loop + 3), (kind, None, 0), (JUMP, loop, 0)]


class Glob:
    """One compiled glob; ``fullmatch(text)`` gives the captured ``:names``, or None."""

    def __init__(self, pattern: str) -> None:
        prog: list[Instruction] = []
        names: list[str] = []
        pos = 0
        for m in _TOKEN.finditer(pattern):
            prog += [(CHAR, c, 0) for c in pattern[pos:m.start()]]
            token = m.group()
            if m.group(1):
                names.append(m.group(1))
                slot = 2 * (len(names) - 1)
                prog += [(SAVE, slot, 0), (SEGMENT, None, 0)]
                _star(prog, SEGMENT)
                prog.append((SAVE, slot + 1, 0))
            elif token == "/**":  # (?:/.*)?
                start = len(prog)
                prog += [(SPLIT, start + 1, 0), (CHAR, "/", 0)]
                _star(prog, ANY)
                prog[start] = (SPLIT, start + 1, len(prog))
            else:
                _star(prog, ANY if token == "**" else SEGMENT)
            pos = m.end()
        prog += [(CHAR, c, 0) for c in pattern[pos:]]
        prog.append((MATCH, None, 0))
        self.prog = prog
        self.names = tuple(names)
        self.literal = pattern if _TOKEN.search(pattern) is None else None

    def _add(self, threads: list[tuple[int, tuple[int, ...]]], seen: set[int], pc: int,
             caps: tuple[int, ...], at: int) -> None:
        """Add the thread at ``pc`` and what it reaches without reading, in priority order."""
        prog = self.prog
        stack = [(pc, caps)]
        while stack:
            pc, caps = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            op, a, b = prog[pc]
            if op == SPLIT:
                stack += [(b, caps), (a, caps)]  # a is taken first
            elif op == JUMP:
                stack.append((a, caps))  # type: ignore[arg-type]
            elif op == SAVE:
                slot: int = a  # type: ignore[assignment]
                stack.append((pc + 1, caps[:slot] + (at,) + caps[slot + 1:]))
            else:
                threads.append((pc, caps))

    def fullmatch(self, text: str) -> dict[str, str] | None:
        if self.literal is not None:
            return {} if text == self.literal else None
        prog = self.prog
        threads: list[tuple[int, tuple[int, ...]]] = []
        self._add(threads, set(), 0, (-1,) * (2 * len(self.names)), 0)
        for i, ch in enumerate(text):
            following: list[tuple[int, tuple[int, ...]]] = []
            seen: set[int] = set()
            for pc, caps in threads:
                op, a, _ = prog[pc]
                if (op == CHAR and a == ch) or (op == SEGMENT and ch != "/") or (
                        op == ANY and ch not in _LINE_END):
                    self._add(following, seen, pc + 1, caps, i + 1)
            if not following:
                return None
            threads = following
        for pc, caps in threads:
            if prog[pc][0] == MATCH:
                return {name: text[caps[2 * k]:caps[2 * k + 1]]
                        for k, name in enumerate(self.names)}
        return None


_CACHE: dict[str, Glob] = {}


def compile_glob(pattern: str) -> Glob:
    """The compiled glob, cached (a guide's glob is matched on every page view)."""
    glob = _CACHE.get(pattern)
    if glob is None:
        if len(_CACHE) > 1024:
            _CACHE.clear()
        glob = _CACHE[pattern] = Glob(pattern)
    return glob
