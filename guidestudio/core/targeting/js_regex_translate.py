"""The JS-to-Python regex translator: one pass over a JavaScript pattern.

It parses the non-unicode, Annex B grammar that ``new RegExp(pattern)``
accepts, rejects what V8 rejects (with V8's message), and emits an equivalent
Python pattern from explicit code-unit classes (``js_regex_sets``). Patterns
whose JavaScript meaning Python's ``re`` cannot reproduce are refused rather
than approximated. Along the way it hands each construct to an ``AstBuilder``
(``js_regex_ast``): the tree the backtracking analysis (``js_regex_redos``) reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidestudio.core.targeting.js_regex_ast import Assertion, AstBuilder, Chars, Empty, Node
from guidestudio.core.targeting.js_regex_sets import (
    CLASS_ESCAPES,
    DOT,
    NOT_WORD_BOUNDARY,
    WORD_BOUNDARY,
    Intervals,
    complement,
    emit_class,
    fold_case,
    merge_intervals,
)
from guidestudio.core.targeting.js_values import utf16_units


class JSRegexSyntaxError(ValueError):
    """A pattern that JavaScript's RegExp constructor would reject."""


class Unrepresentable(ValueError):
    """A valid JS pattern whose meaning Python's re would not reproduce."""


_QUANTIFIER_BRACES = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_HEX2 = re.compile(r"[0-9a-fA-F]{2}")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")

# What the last emitted piece can take a quantifier on.
_NOTHING, _ATOM, _QUANTIFIED, _LOOKAHEAD, _LOOKBEHIND = range(5)
_AFTER_GROUP = {"lookahead": _LOOKAHEAD, "lookbehind": _LOOKBEHIND}


def _is_id_start(ch: str) -> bool:
    return ch in "$_" or ch.isidentifier()


def _is_id_continue(ch: str) -> bool:
    return ch in "$_\u200c\u200d" or ("a" + ch).isidentifier()


def _add_atom(items: list[tuple[int, int]], atom: int | Intervals) -> None:
    if isinstance(atom, int):
        items.append((atom, atom))
    else:
        items.extend(atom)


class _JSRegexTranslator:
    """One pass over a JS (non-unicode, Annex B) pattern, emitting Python."""

    def __init__(self, pattern: str, insensitive: bool) -> None:
        self.pattern = pattern
        self.src = utf16_units(pattern)
        self.n = len(self.src)
        self.insensitive = insensitive
        self.group_count, self.group_names = self._prescan()
        # The translation so far, and what the next construct depends on.
        self.out: list[str] = []
        # Open groups: kind, its capture number (or the count of captures
        # before it), index of its opener in `out`, indexes of its own "|".
        self.stack: list[tuple[str, int, int, list[int]]] = []
        self.closed: set[int] = set()  # captures already closed
        self.referenced: set[int] = set()  # groups some backreference reads
        self.looped: set[int] = set()  # groups inside a group that may repeat
        self.last_captures = range(0)  # groups inside the group that just closed
        self.group_no = 0  # captures opened so far
        self.last = _NOTHING  # what the last piece can take a quantifier on
        self.ast = AstBuilder()  # the same pattern as a tree, for js_regex_redos

    def fail(self, message: str) -> JSRegexSyntaxError:
        return JSRegexSyntaxError(f"Invalid regular expression: /{self.pattern}/: {message}")

    def _read_group_name(self, i: int) -> tuple[str, int]:
        """A ``<name>`` starting at ``i`` (the "<"); returns name and index after ">"."""
        src = self.src
        end = src.find(">", i + 1)
        if end < 0:
            raise self.fail("Invalid capture group name")
        name = src[i + 1 : end]
        if not name or not _is_id_start(name[0]) or not all(map(_is_id_continue, name[1:])):
            raise self.fail("Invalid capture group name")
        return name, end + 1

    def _prescan(self) -> tuple[int, dict[str, int]]:
        """Backreference meaning depends on the total number of groups (``\\2``
        is a backreference only if there are two groups, else an octal escape),
        and ``\\k`` on whether any group is named, so count them first."""
        src, n = self.src, self.n
        count = 0
        names: dict[str, int] = {}
        in_class = False
        i = 0
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if in_class:
                if c == "]":
                    in_class = False
            elif c == "[":
                in_class = True
            elif c == "(":
                if src.startswith("?", i + 1):
                    if src.startswith("?<", i + 1) and i + 3 < n and src[i + 3] not in "=!":
                        count += 1
                        name, _ = self._read_group_name(i + 2)
                        if name in names:
                            raise self.fail("Duplicate capture group name")
                        names[name] = count
                else:
                    count += 1
            i += 1
        return count, names

    def _legacy_octal(self, i: int) -> tuple[int, int]:
        """Annex B ``\\NNN`` (at most 0o377) starting at digit index ``i``."""
        src = self.src
        limit = 3 if src[i] in "0123" else 2
        j = i
        while j < self.n and j - i < limit and src[j] in "01234567":
            j += 1
        return int(src[i:j], 8), j

    def _char_escape(self, i: int, in_class: bool) -> tuple[int | None, int]:
        """The code unit of the escape at ``i`` (pointing after the backslash)
        for escapes shared by classes and atoms; ``None`` for "literal
        backslash" (``\\c`` without a control letter)."""
        src, n = self.src, self.n
        e = src[i]
        if e == "c":
            nxt = src[i + 1] if i + 1 < n else ""
            if nxt.isascii() and (nxt.isalpha() or (in_class and (nxt.isdigit() or nxt == "_"))):
                return ord(nxt) % 32, i + 2
            return None, i  # "\c" is a literal backslash; "c" is read next
        if e == "x":
            if _HEX2.match(src, i + 1):
                return int(src[i + 1 : i + 3], 16), i + 3
            return ord("x"), i + 1
        if e == "u":
            if _HEX4.match(src, i + 1):
                return int(src[i + 1 : i + 5], 16), i + 5
            return ord("u"), i + 1
        if e in "01234567":
            if e == "0" and not (i + 1 < n and src[i + 1] in "01234567"):
                return 0, i + 1
            return self._legacy_octal(i)
        simple = {"t": 9, "n": 10, "v": 11, "f": 12, "r": 13}
        if e in simple:
            return simple[e], i + 1
        if e == "k" and self.group_names:
            raise self.fail("Invalid escape" if in_class else "Invalid named reference")
        return ord(e), i + 1  # identity escape: \q is "q", \/ is "/", \8 is "8"

    def _class_atom(self, i: int) -> tuple[int | Intervals, int]:
        src = self.src
        if src[i] != "\\":
            return ord(src[i]), i + 1
        if i + 1 >= self.n:
            raise self.fail("\\ at end of pattern")
        e = src[i + 1]
        if e in CLASS_ESCAPES:
            return CLASS_ESCAPES[e], i + 2
        if e == "b":
            return 8, i + 2
        if e == "-":
            return ord("-"), i + 2
        unit, j = self._char_escape(i + 1, in_class=True)
        if unit is None:
            return ord("\\"), i + 1
        return unit, j

    def _class(self, i: int) -> tuple[Intervals, int]:
        """``[...]`` starting after "["; JS allows ``[]`` (nothing) and ``[^]``
        (anything), and in a class ``[`` is an ordinary character."""
        src, n = self.src, self.n
        negate = i < n and src[i] == "^"
        if negate:
            i += 1
        items: list[tuple[int, int]] = []
        while True:
            if i >= n:
                raise self.fail("Unterminated character class")
            if src[i] == "]":
                i += 1
                break
            i = self._class_item(i, items)
        intervals = merge_intervals(items)
        if self.insensitive:
            intervals = fold_case(intervals)
        if negate:
            intervals = complement(intervals)
        return intervals, i

    def _class_item(self, i: int, items: list[tuple[int, int]]) -> int:
        """One atom of a class, or a range ``a-z``, added to ``items``."""
        src, n = self.src, self.n
        first, i = self._class_atom(i)
        if i + 1 < n and src[i] == "-" and src[i + 1] != "]":
            second, j = self._class_atom(i + 1)
            if isinstance(first, int) and isinstance(second, int):
                if first > second:
                    raise self.fail("Range out of order in character class")
                items.append((first, second))
                return j
            # Annex B: a range with a class escape at an end is a union.
            for atom in (first, ord("-"), second):
                _add_atom(items, atom)
            return j
        _add_atom(items, first)
        return i

    def _chars(self, units: Intervals, start: int) -> None:
        """An atom matching one unit of ``units`` (already folded for /i)."""
        self._emit(emit_class(units), _ATOM)
        self.ast.add(Chars(units, start))

    def _atom(self, intervals: Intervals, start: int) -> None:
        self._chars(fold_case(intervals) if self.insensitive else intervals, start)

    def _zero_width(self, piece: str, start: int) -> None:
        self._emit(piece, _NOTHING)
        self.ast.add(Assertion(start))

    def _backreference(self, number: int, start: int) -> None:
        # JS: a group that has not matched (yet) matches the empty string;
        # Python: the reference fails. A conditional restores JS behaviour.
        if number not in self.closed:
            self._emit("(?:)", _ATOM)  # forward or self reference: always empty in JS
            self.ast.add(Empty(start))
            return
        self.referenced.add(number)
        ref = f"\\{number}"
        if self.insensitive:
            ref = f"(?i:{ref})"
        self._emit(f"(?:(?({number}){ref}))", _ATOM)
        self.ast.backreference(start, number)

    @staticmethod
    def _split_lookbehind(out: list[str], start: int, alternatives: list[int]) -> str:
        """``(?<=^|/)`` as ``(?:(?<=^)|(?<=/))``: Python needs each lookbehind
        to have one fixed width, JS does not, and alternatives of different
        widths are the common case (tried in the same order, so equivalent)."""
        opener = out[start]
        bounds = [start, *alternatives, len(out) - 1]
        branches = ["".join(out[a + 1 : b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        if opener == "(?<=":
            return "(?:" + "|".join(f"(?<={b})" for b in branches) + ")"
        return "(?:" + "".join(f"(?<!{b})" for b in branches) + ")"

    def translate(self) -> str:
        """The Python pattern, one construct of the JS pattern at a time."""
        src, n = self.src, self.n
        i = 0
        while i < n:
            c = src[i]
            captures, self.last_captures = self.last_captures, range(0)
            if c in "*+?" or (c == "{" and _QUANTIFIER_BRACES.match(src, i)):
                i = self._quantifier(i, captures)
            elif c == "\\":
                i = self._escape(i)
            elif c == "[":
                units, j = self._class(i + 1)
                self._chars(units, i)
                i = j
            elif c == "(":
                i = self._open_group(i)
            elif c == ")":
                i = self._close_group(i)
            else:
                self._character(c, i)
                i += 1
        return self._finish()

    def _emit(self, piece: str, last: int) -> None:
        self.out.append(piece)
        self.last = last

    def _quantifier(self, i: int, captures: range) -> int:
        """``*``, ``+``, ``?`` or ``{m,n}`` (lazy with a trailing ``?``).
        ``captures`` are the groups nested in a group it repeats: if it can
        repeat them, they are ``looped``."""
        src = self.src
        if self.last in (_NOTHING, _QUANTIFIED):
            raise self.fail("Nothing to repeat")
        if self.last == _LOOKBEHIND:
            raise self.fail("Invalid quantifier")
        if src[i] == "{":
            m = _QUANTIFIER_BRACES.match(src, i)
            assert m is not None
            low, comma, high = m.groups()
            if comma and high and int(high) < int(low):
                raise self.fail("numbers out of order in {} quantifier")
            repeats = (not high or int(high) > 1) if comma else int(low) > 1
            bounds = (int(low), (int(high) if high else None) if comma else int(low))
            self.out.append(m.group())
            i = m.end()
        else:
            repeats = src[i] != "?"
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[src[i]]
            self.out.append(src[i])
            i += 1
        if repeats:
            self.looped.update(captures)
        if i < self.n and src[i] == "?":
            self.out.append("?")
            i += 1
        self.last = _QUANTIFIED
        self.ast.quantify(*bounds, i)
        return i

    def _escape(self, i: int) -> int:
        """A backslash outside a class: a class escape (``\\d``), a word
        boundary, a backreference (numbered or named) or a character escape."""
        if i + 1 >= self.n:
            raise self.fail("\\ at end of pattern")
        e = self.src[i + 1]
        if e in CLASS_ESCAPES:
            self._atom(CLASS_ESCAPES[e], i)
            return i + 2
        if e == "b" or e == "B":
            self._zero_width(WORD_BOUNDARY if e == "b" else NOT_WORD_BOUNDARY, i)
            return i + 2
        if e in "123456789":
            return self._numbered_escape(i)
        if e == "k" and self.group_names:
            return self._named_reference(i)
        unit, j = self._char_escape(i + 1, in_class=False)
        if unit is None:
            unit, j = ord("\\"), i + 1
        self._atom(((unit, unit),), i)
        return j

    def _numbered_escape(self, i: int) -> int:
        """``\\N``: a backreference when the pattern has N groups; otherwise
        (Annex B) ``\\8`` and ``\\9`` are those digits and the rest a legacy
        octal escape."""
        src, n = self.src, self.n
        e = src[i + 1]
        j = i + 1
        while j < n and src[j] in "0123456789":
            j += 1
        number = int(src[i + 1 : j])
        if number <= self.group_count:
            self._backreference(number, i)
            return j
        if e in "89":
            self._atom(((ord(e), ord(e)),), i)
            return i + 2
        unit, j = self._legacy_octal(i + 1)
        self._atom(((unit, unit),), i)
        return j

    def _named_reference(self, i: int) -> int:
        """``\\k<name>`` in a pattern with named groups (without any, ``\\k``
        is an identity escape)."""
        src = self.src
        if not src.startswith("<", i + 2):
            raise self.fail("Invalid named reference")
        end = src.find(">", i + 3)
        name = src[i + 3 : end] if end >= 0 else ""
        if end < 0 or name not in self.group_names:
            raise self.fail("Invalid named capture referenced")
        self._backreference(self.group_names[name], i)
        return end + 1

    def _open_group(self, i: int) -> int:
        """``(``, ``(?:``, ``(?<name>``, a lookahead or a lookbehind."""
        src, start = self.src, i
        if src.startswith("(?:", i):
            kind, opener, i = "group", "(?:", i + 3
        elif src.startswith("(?=", i) or src.startswith("(?!", i):
            kind, opener, i = "lookahead", src[i : i + 3], i + 3
        elif src.startswith("(?<=", i) or src.startswith("(?<!", i):
            kind, opener, i = "lookbehind", src[i : i + 4], i + 4
        elif src.startswith("(?<", i):
            _, i = self._read_group_name(i + 2)
            self.group_no += 1
            kind, opener = "capture", "("
        elif src.startswith("(?", i):
            raise self.fail("Invalid group")
        else:
            self.group_no += 1
            kind, opener, i = "capture", "(", i + 1
        self.stack.append((kind, self.group_no, len(self.out), []))
        self._emit(opener, _NOTHING)
        self.ast.open(start)
        return i

    def _close_group(self, i: int) -> int:
        """``)``: closes a capture for later backreferences, and splits a
        lookbehind with alternatives (see ``_split_lookbehind``)."""
        if not self.stack:
            raise self.fail("Unmatched ')'")
        kind, number, start, alternatives = self.stack.pop()
        out = self.out
        out.append(")")
        if kind == "lookbehind" and alternatives:
            out[start:] = [self._split_lookbehind(out, start, alternatives)]
        if kind == "capture":
            self.closed.add(number)
        # A repeated group re-captures itself on every repetition; only
        # the groups nested in it can be left over from an earlier one.
        self.last_captures = range(number + 1, self.group_no + 1)
        self.last = _AFTER_GROUP.get(kind, _ATOM)
        self.ast.close(lookaround=kind in _AFTER_GROUP)
        return i + 1

    def _character(self, c: str, start: int) -> None:
        """An alternation ``|``, an anchor, ``.`` or a literal character."""
        if c == "|":
            if self.stack:
                self.stack[-1][3].append(len(self.out))
            self._emit("|", _NOTHING)
            self.ast.alternative()
        elif c == "^":
            self._zero_width("^", start)
        elif c == "$":
            self._zero_width("\\Z", start)  # Python's $ also matches before a final "\n"
        elif c == ".":
            self._atom(DOT, start)
        else:
            self._atom(((ord(c), ord(c)),), start)

    def _finish(self) -> str:
        if self.stack:
            raise self.fail("Unterminated group")
        if self.referenced & self.looped:
            # JS clears a repeated group's captures on every repetition;
            # Python keeps the last capture, so backreferences would differ.
            raise Unrepresentable("a backreference to a group inside a repeated group")
        return "".join(self.out)

@dataclass(frozen=True, slots=True)
class Translation:
    """A JS pattern translated: the Python pattern and the JS pattern's tree."""

    python: str
    tree: Node
    # A backreference or a lookaround holding a repetition: the analysis of the tree counts
    # them as matching nothing, so it is approximate there (js_regex bounds such patterns).
    approximate: bool


def translate(pattern: str, insensitive: bool) -> Translation:
    """``translate_js_regex`` with the tree for ``js_regex_redos``; same errors."""
    translator = _JSRegexTranslator(pattern, insensitive)
    python = translator.translate()
    ast = translator.ast
    return Translation(python, ast.finish(),
                       ast.has_backreference or ast.has_lookaround_repeat)


def translate_js_regex(pattern: str, insensitive: bool) -> str:
    """The Python pattern that matches what ``new RegExp(pattern, insensitive
    ? "i" : undefined)`` matches, run on ``utf16_units`` of the subject.
    Raises ``JSRegexSyntaxError`` where V8 would throw, ``Unrepresentable``
    where Python's ``re`` cannot reproduce the JavaScript meaning."""
    return _JSRegexTranslator(pattern, insensitive).translate()
