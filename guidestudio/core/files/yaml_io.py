"""YAML that reads what it says: safe, position-aware, fast, and canonical on output.

Why not plain ``yaml.safe_load``:

* YAML 1.1 turns ``on``, ``yes`` and ``no`` into booleans — ``trigger: {on:
  page_view}`` would lose its key — turns dates into ``datetime`` objects our
  schemas expect as strings, and reads ``1_000`` or ``12:30`` as numbers. We
  read plain scalars by the YAML 1.2 core schema (see "Scalars" below), the
  same rules in both of our parsers, so the two can never disagree.
* Duplicate keys silently keep the last value; we report them.
* Aliases can expand a tiny file into gigabytes (the "billion laughs"); our
  files never need them, so collection aliases are refused, and so are merge
  keys (``<<``).
* Problems need line numbers: every mapping and sequence remembers where its
  keys and items started, looked up by object identity after loading.

Two parsers. ``load`` is PyYAML's C parser plus our ``_Builder``: it records
positions and explains faults with a line and column. ``load_data`` is the
fast path for the common case (a project of thousands of good files): yaml_rs,
a Rust YAML 1.2 parser, returns the data only. With our checks it is about
2.5x faster than ``load`` on one thread, and it parses without holding the GIL,
so a project's files can be parsed on several threads at once (``project_io``
does); it replaced ryaml, which was slower and held the GIL. Its data
is kept only where it provably equals ``load``'s, and on any doubt or error the
text goes through ``load``, so errors always come with a position:

* yaml_rs's number rules are looser than ours (``017``, ``1_000``, ``0X1F``,
  ``.iNF`` are numbers to it; ints of any size; ``1e400`` is infinity): texts
  that may hold such a plain scalar are found by cheap byte patterns
  (``_fast_doubts``), and numbers beyond 64 bits or not finite are found on the
  data (``_vouch``), even ``.inf`` and ``.nan``, which agree but are rare;
* it reads what PyYAML refuses or reads otherwise: anchors and tags (``&``, ``!``
  where a node starts), ``<<``, BOMs, tabs, control characters, NEL/LS/PS (line
  breaks to YAML 1.1), ``%`` directives of any version, ``...`` before a
  document, several documents (a list), ``[a:]`` / ``[:x]`` / ``[|]`` in flow
  collections, and an empty block scalar at the end of the text (``"\\n"``,
  PyYAML ``""``) — so those texts, and texts without a final line break, go to
  ``load``;
* keys must be strings (yaml_rs makes ``[a]: b`` a tuple key where ``load``
  refuses it; its duplicate-key check catches ``1`` / ``1.0`` / ``true``), and
  nothing may nest deeper than ``MAX_DEPTH``: ``_vouch`` walks the data.

The checks are conservative (prose such as ``a: 017.5 files`` costs the slow
path, never a wrong value); tests hold both paths to one scalar table and fuzz
them against each other.

Scalars (plain, i.e. unquoted, scalars; quoted ones are always strings):

* null: ``~``, ``null``, ``Null``, ``NULL`` and the empty value;
* bool: ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE``;
* int: ``[-+]?(0|[1-9][0-9]*)``, ``0x…``, ``0o…``, ``0b…`` (optionally signed);
* float: ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``,
  ``[-+]?.inf`` (any of ``inf/Inf/INF``), ``.nan`` (``nan/NaN/NAN``);
* anything else is a string: ``yes``, ``on``, ``1_000``, ``12:30``,
  ``2026-12-01``, ``0X1F``, ``-.nan``, ``=``.

Where that differs from the YAML 1.2 core schema, it is deliberate (the
precise path and the dumper have always read and written it so; yaml_rs is
looser still, see above):

* a decimal with a leading zero (``017``, ``-00``) is a string, not the int 17:
  YAML 1.1 tools read ``017`` as octal 15, so it is ambiguous text (and zip
  codes like ``01234`` stay intact). ``017.5`` and ``01e3`` are still floats;
* hex, octal and binary ints may carry a sign (``-0x1F``), and ``0b101`` is an
  int — 1.2 core reads these as strings; YAML 1.1 reads ``-0x1F`` and ``0b101``
  as ints too;
* integers must fit in 64 bits (−2**63 … 2**64−1): a bigger decimal reads as a
  float, as JSON consumers would see it anyway, and a bigger ``0x``/``0o``/``0b``
  as a string; a float literal that overflows (``1e400``) is a string.

Explicit tags are limited to the core ones (``!!str``, ``!!int``, ``!!float``,
``!!bool``, ``!!null``, ``!!map``, ``!!seq``); anything else (``!!timestamp``,
``!!binary``, ``!!set``, ``!custom``) is refused with its line, so the data
never holds ``datetime`` or ``bytes``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # The C parser is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

try:  # The fast path; without it everything goes through PyYAML, just slower.
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - yaml_rs is a dependency, but optional at runtime
    _yaml_rs = None

_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

# --- scalars: one schema for both parsers and the dumper -----------------------------

# PyYAML calls ``pattern.match(value)``; ``\Z`` keeps "17\n" from passing for "17".
_NULL_RE = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL_RE = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+)\Z")
# Digits alone are never a float: they are an int, or (leading zero) a string.
_FLOAT_RE = re.compile(
    r"[-+]?(?:(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)\Z"
    r"|[-+]?\.(?:inf|Inf|INF)\Z"
    r"|\.(?:nan|NaN|NAN)\Z"
)
_MERGE_RE = re.compile(r"<<\Z")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # our int range (beyond: a float, or text)
_RADIX = {"0x": 16, "0o": 8, "0b": 2}

Resolvers = dict[Any, list[tuple[str, re.Pattern[str]]]]


def _resolvers(rules: list[tuple[str, re.Pattern[str], str | list[str]]]) -> Resolvers:
    """PyYAML's resolver table (first character -> [(tag, pattern)]), in rule order."""
    table: Resolvers = {}
    for tag, pattern, first in rules:
        for char in first:
            table.setdefault(char, []).append((tag, pattern))
    return table


_CORE_RULES: list[tuple[str, re.Pattern[str], str | list[str]]] = [
    (_NULL_TAG, _NULL_RE, ["~", "n", "N", ""]),
    (_BOOL_TAG, _BOOL_RE, "tTfF"),
    (_INT_TAG, _INT_RE, "-+0123456789"),
    (_FLOAT_TAG, _FLOAT_RE, "-+.0123456789"),
    # Only so that a plain ``<<`` key can be refused; as a value it is the string "<<".
    (_MERGE_TAG, _MERGE_RE, "<"),
]


def _int_value(text: str) -> int | float | str:
    """An int literal (already matched by ``_INT_RE``) as we read it, range rules included."""
    digits = text.lstrip("+-")
    base = _RADIX.get(digits[:2], 10)
    if base == 10 and len(digits) > 20:  # beyond 2**64 (and beyond int()'s digit limit)
        value: int | None = None
    else:
        value = int(digits[2:] if base != 10 else digits, base)
        if text[0] == "-":
            value = -value
        if _INT_MIN <= value <= _INT_MAX:
            return value
    if base != 10:
        return text
    number = float(text)
    return number if math.isfinite(number) else text


def _float_value(text: str) -> float | str:
    """A float literal (already matched by ``_FLOAT_RE``); one that overflows stays text."""
    special = text.lstrip("+-").lower()
    if special == ".nan":
        return math.nan
    if special == ".inf":
        return -math.inf if text[0] == "-" else math.inf
    number = float(text)
    return number if math.isfinite(number) else text


def _construct_null(text: str) -> None:
    if not _NULL_RE.match(text):
        raise ValueError(f"{text!r} is not null (~, null or nothing)")
    return None


def _construct_bool(text: str) -> bool:
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{text!r} is not a boolean (true or false)")


def _construct_int(text: str) -> int | float | str:
    if not _INT_RE.match(text):
        raise ValueError(f"{text!r} is not an integer")
    return _int_value(text)


def _construct_float(text: str) -> float | str:
    if _FLOAT_RE.match(text):
        return _float_value(text)
    if _INT_RE.match(text):  # ``!!float 3`` is 3.0
        value = _int_value(text)
        if isinstance(value, int):
            return float(value)
        if isinstance(value, float):
            return value
    raise ValueError(f"{text!r} is not a number")


# Tag -> constructor of a plain or explicitly tagged scalar. Implicit resolution
# picked the tag with the same patterns, so for untagged scalars these never raise.
_SCALARS: dict[str, Callable[[str], Any]] = {
    _NULL_TAG: _construct_null,
    _BOOL_TAG: _construct_bool,
    _INT_TAG: _construct_int,
    _FLOAT_TAG: _construct_float,
    _MERGE_TAG: str,
}


class YamlError(Exception):
    """A file that is not the YAML we accept, with where it went wrong (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


Mark = tuple[int, int]  # (line, column), 1-based


@dataclass
class Positions:
    """Where each key and item of a loaded document started, by container identity.

    ``document`` is the data the marks were recorded for. ``locate`` walks it
    when handed an equal copy parsed elsewhere (the fast path's data has other
    object identities), so callers need not care which parser gave them data.
    """

    by_container: dict[int, dict[Any, Mark]] = field(default_factory=dict)
    root_mark: Mark = (1, 1)
    document: Any = None

    def locate(self, data: Any, path: tuple[Any, ...]) -> Mark | None:
        """Line of the deepest element of ``path`` that exists in ``data``."""
        best: Mark | None = self.root_mark
        node = data
        if self.document is not None and id(data) not in self.by_container:
            node = self.document
        for part in path:
            marks = self.by_container.get(id(node))
            if marks is None or part not in marks:
                break
            best = marks[part]
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return best


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Parses and composes in C; we build the Python data ourselves (see ``_Builder``)."""

    yaml_implicit_resolvers = _resolvers(_CORE_RULES)


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into plain data, recording positions on the way.

    PyYAML's generic constructor supports recursive structures through
    generators and per-node bookkeeping; our files need none of that, and a
    direct walk is about twice as fast on a 2,000-guide project.
    """

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self.positions = Positions()

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            construct = _SCALARS.get(node.tag)
            if construct is None:
                raise YamlError(f"unsupported tag {node.tag!r}", *_mark(node))
            try:
                return construct(node.value)
            except ValueError as exc:
                raise YamlError(str(exc), *_mark(node)) from None
        if id(node) in self._seen:
            raise YamlError(
                "anchors and aliases (&name / *name) are not supported; write the value out",
                *_mark(node),
            )
        self._seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise YamlError(f"unsupported tag {node.tag!r}", *_mark(node))
            items = [self.build(child) for child in node.value]
            self.positions.by_container[id(items)] = {
                i: _mark(child) for i, child in enumerate(node.value)
            }
            return items
        if node.tag != _MAP_TAG:
            raise YamlError(f"unsupported tag {node.tag!r}", *_mark(node))
        result: dict[Any, Any] = {}
        marks: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise YamlError("merge keys (<<) are not supported", *_mark(key_node))
            key = self.build(key_node)
            try:
                duplicate = key in result
            except TypeError:
                raise YamlError("a mapping key must be a plain value", *_mark(key_node)) from None
            if duplicate:
                raise YamlError(
                    f"duplicate key {key!r} (first defined on line {marks[key][0]})",
                    *_mark(key_node),
                )
            result[key] = self.build(value_node)
            marks[key] = _mark(key_node)
        self.positions.by_container[id(result)] = marks
        return result


def compose(text: str) -> yaml.Node | None:
    """The node tree of a text ``load`` accepts: where each value starts and ends.

    Marks count characters (``text[node.start_mark.index:node.end_mark.index]``),
    which is what ``text_patch`` needs to change one value and leave the rest of
    a file as its author wrote it. Call ``load`` first: this assumes a good text.
    """
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def node_value(node: yaml.Node) -> Any:
    """The data of one composed node, read by our scalar rules (a mapping key, say)."""
    return _Builder().build(node)


# --- nesting guard -------------------------------------------------------------------

MAX_DEPTH = 100  # our files nest ~10 levels; libyaml's C composer crashes near 25,000
# A bracket pair with no bracket inside adds at most one level wherever it is;
# guide text is full of them (`{{first_name|there}}`, `[link](url)`). Not when a
# quote, comment or verbatim tag sits inside: `[ "]", [ …` hides its closer there.
_INNERMOST_PAIR = re.compile(r"\[[^\[\]{}\"'#!]*\]|\{[^\[\]{}\"'#!]*\}")
_RARE_BREAKS = "\r\x85\u2028\u2029"  # YAML line breaks besides "\n"
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


@functools.cache  # widths are < MAX_DEPTH or multiples of it: few
def _line_prefix_patterns(width: int) -> tuple[re.Pattern[str], ...]:
    prefix = f"[ \\t?:-]{{{width}}}"
    return (re.compile("\ufeff?" + prefix), re.compile("\n" + prefix),
            re.compile(f"[\n{_RARE_BREAKS}]" + prefix))


def _has_line_prefix(text: str, width: int) -> bool:
    """Whether a line starts with ``width`` or more blanks and ``- ? :`` indicators.

    Block nesting needs a wider prefix per level (indentation, or ``- - -``).
    Lines start after any YAML line break, not only "\\n": a file with lone CRs
    would otherwise hide 40,000 levels of ``- - -`` from the count.
    """
    first, after_lf, after_any = _line_prefix_patterns(width)
    if first.match(text):
        return True
    if any(char in text for char in _RARE_BREAKS):
        return after_any.search(text) is not None
    return after_lf.search(text) is not None


def _prefix_fits(text: str, room: int) -> bool:
    if room > MAX_DEPTH:  # round down (stricter) so that few patterns serve every file
        room -= room % MAX_DEPTH
    return room > 0 and not _has_line_prefix(text, room)


def _nesting_below(text: str, limit: int) -> bool:
    """True if the text provably nests fewer than ``limit`` levels (cheap, conservative).

    Flow nesting needs a ``[`` or ``{`` per level (innermost pairs count once),
    block nesting a wider line prefix; 1 + the sum bounds the depth. Pairs are
    only looked for when the plain count is not enough.
    """
    brackets = text.count("[") + text.count("{")
    if _prefix_fits(text, limit - 1 - brackets):
        return True
    if not brackets:
        return False
    brackets -= len(_INNERMOST_PAIR.findall(text))
    return _prefix_fits(text, limit - 1 - brackets)


def _check_depth(text: str) -> None:
    """Refuse absurdly nested documents before the C composer recurses on them.

    libyaml's composer recurses in C without a limit, so ``[[[[…`` 30,000 deep
    (a 60 KB file) kills the whole process with a segfault — no exception to
    catch. Most files are cleared by counting (``_nesting_below``); the rest are
    scanned as an event stream, which libyaml produces without recursion.
    """
    if _nesting_below(text, MAX_DEPTH):
        return
    scanner = _BaseLoader(text)
    depth = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            if isinstance(event, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(event.start_mark)
            elif isinstance(event, _CLOSERS):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml >= 0.2.6 (bundled from PyYAML 6.0.3) has a nesting limit of its
        # own (1,000 levels) and its scanner reads flow collections ahead of the
        # events, so it can refuse before our count gets there. Same verdict, our
        # words: which PyYAML is installed must not change what users read.
        if exc.problem and "nesting depth" in exc.problem:
            raise _too_deep(exc.problem_mark) from None
        raise  # any other fault is reported by the parse that follows
    finally:
        scanner.dispose()


def _too_deep(mark: yaml.Mark | None) -> YamlError:
    message = f"the document is nested too deeply (more than {MAX_DEPTH} levels)"
    if mark is None:
        return YamlError(message)
    return YamlError(message, mark.line + 1, mark.column + 1)


def load(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document; raise ``YamlError`` with a 1-based line on any fault."""
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from a lossy decode
        raise YamlError(f"the text has a character that is not valid Unicode ({exc.reason})",
                        text.count("\n", 0, exc.start) + 1) from None
    builder = _Builder()
    try:
        _check_depth(text)
        node = loader.get_single_node()
        data = builder.build(node) if node is not None else None
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{message} ({exc.context})"
        raise YamlError(
            message,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        char = exc.character
        shown = f"#x{char:04x}" if isinstance(char, int) else repr(char)
        raise YamlError(f"unacceptable character {shown}: {exc.reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None
    except RecursionError:
        raise YamlError("the document is nested too deeply") from None
    finally:
        loader.dispose()
    builder.positions.document = data
    return data, builder.positions


# --- fast path -----------------------------------------------------------------------

# yaml_rs builds its own data without recursion but converts it to Python
# recursively; texts that might nest deeper than this go to PyYAML, whose guard
# refuses them cheaply. The walk (``_vouch``) enforces MAX_DEPTH.
_FAST_MAX_NESTING = 1000
# What may precede a node's properties (``&anchor``, ``!tag``), blanks aside.
_PROPERTY_CONTEXT = frozenset("\n\r\x85\u2028\u2029-?:[{,")
_SLOW: Any = object()  # "use load()": the fast path cannot vouch for this text

# The checks below run on every file of a project, so each is a literal search or
# a pattern that starts with a literal (the regex engine skips to it): a pattern
# tried at every position costs more than yaml_rs's whole parse.
#
# Bytes PyYAML refuses (C0 controls, DEL) and tabs, which PyYAML refuses in
# indentation (``a: |\n \t x``) where yaml_rs takes them as content.
_PLAIN_BYTES = bytes(b for b in range(256) if b in b"\n\r" or 0x20 <= b < 0x7F or b >= 0x80)
# C1 controls (U+0080-U+009F): PyYAML refuses them, or reads NEL as a line break.
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")
# Line separators (PyYAML: line breaks), BOMs (PyYAML skips them), non-characters.
_ODD_CHARACTERS = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")
# ``%`` directives (yaml_rs takes any version, and unknown ones) and ``...``
# (yaml_rs accepts a document end before the first document).
_DIRECTIVE = re.compile(rb"%(?<=[\n\r]%)")
_DOCUMENT_END = re.compile(rb"\.\.\.(?<=[\n\r]\.\.\.)")
_DOCUMENT_START = re.compile(r"(?:\A|(?<=[\n\r]))---(?:[ \r\n]|\Z)")
# Plain scalars that yaml_rs reads as numbers where our schema (see "Scalars") says
# they are text: a leading zero (``017``, ``-00``), an upper-case radix prefix
# (``0X1F``), and ``_`` in a number (``1_000``, ``_1``, ``1._5``, ``0xA_B``). A
# token starts after a blank, a line break, a flow indicator, or a ``:`` right
# after a quoted key or a collection (``{"a":017}``); ``seg-018``, ``first_name``,
# ``12:30:05`` or ``2026-01-01`` raise no alarm, and an alarm (``017.5``, ``a: 1_000
# files``) only costs the precise path. Numbers that yaml_rs reads beyond our rules
# (ints beyond 64 bits, ``1e400`` as infinity, ``.iNF``) are caught on the data.
_ZERO_LED = re.compile(
    rb"0(?:(?<=[ \n\r\[\]{},]0)|(?<=[ \n\r\[\]{},][-+]0)|(?<=[\"'\]}]:0)|(?<=[\"'\]}]:[-+]0))"
    rb"(?:[0-9XOB_]|[xob][0-9a-fA-F]*_)"
)
# ``_`` next to a digit, a dot, a sign or a token start: where a number may hold
# one (``x_1`` and ``"1_000"`` are then cleared by ``_number_with_underscore``).
_UNDERSCORE_NEAR_DIGIT = re.compile(rb"_(?:[0-9.]|(?<=[-+0-9._ \n\r\[\]{},]_)|(?<=[\"'\]}]:_))")
_TOKEN_BYTES = frozenset(b"-+0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._")
_TOKEN_REST = re.compile(rb"[-+0-9A-Za-z._]*")
# Everything yaml_rs may read as a number with a ``_`` in it (a loose superset).
_NUMBERISH = re.compile(rb"[-+]?(?:0[xXoObB][0-9a-fA-F_]*|[0-9_.]+(?:[eE][-+]?[0-9_]*)?)")
# The same, first in the text.
_TEXT_START_MISREAD = re.compile(rb"[-+]?0(?:[0-9XOB_]|[xob][0-9a-fA-F]*_)")
_DEEP_FIRST_LINE = re.compile(rb"[ ?:-]{%d}" % (_FAST_MAX_NESTING // 2))
_DEEP_LINE = re.compile(rb"\n[ ?:-]{%d}" % (_FAST_MAX_NESTING // 2))
_DEEP_CR_LINE = re.compile(rb"\r[ ?:-]{%d}" % (_FAST_MAX_NESTING // 2))


def _may_have_anchor_or_tag(text: str) -> bool:
    """Whether a ``&`` or ``!`` stands where a node's anchor or tag could (conservative).

    yaml_rs expands aliases and reads tags its own way (``!x 1`` becomes
    ``'1'``). A property starts a node, so it follows a line start, an
    indicator (``- ? : [ { ,``) and blanks; ``&`` in "Q&A" or "Hi & welcome"
    does not. False alarms (``- &amp;`` in prose) only cost the slow path.
    """
    for char in "&!":
        at = text.find(char)
        while at != -1:
            # Text start, or 64 blanks (don't look further back): assume the worst.
            before = text[max(0, at - 64):at].rstrip(" \t")
            if not before or before[-1] in _PROPERTY_CONTEXT:
                return True
            at = text.find(char, at + 1)
    return False


def _number_with_underscore(raw: bytes) -> bool:
    """Whether a plain token that yaml_rs may read as a number holds a ``_`` (``1_000``)."""
    for found in _UNDERSCORE_NEAR_DIGIT.finditer(raw):
        start = found.start()
        while start and raw[start - 1] in _TOKEN_BYTES:
            start -= 1
        before = raw[start - 1:start]
        if (
            (not before or before in b" \n\r[]{},"
             or (before == b":" and raw[start - 2:start - 1] in (b'"', b"'", b"]", b"}")))
            and _NUMBERISH.fullmatch(raw, start, _TOKEN_REST.match(raw, found.start()).end())
        ):
            return True
    return False


_TEXT_AFTER_LINE = re.compile(r"[\n\r][ \n\r]*[^ \n\r]")
# ``|`` / ``>`` after a blank, a line break or a flow indicator (not ``name|there``).
_BLOCK_INDICATORS = tuple(re.compile(rf"\{char}(?<=[ \n\r\[{{,]\{char})") for char in "|>")
# A flow collection entry that starts with ``:`` or ``?`` (``[:x]``, ``[?]``), or
# a ``:`` right before a flow indicator (``[a:]``): yaml_rs reads them, PyYAML
# refuses. One pattern per first byte: a pattern that starts with a literal is
# searched fast, one that starts with a set of characters is not.
_FLOW_ENTRY_INDICATORS = tuple(re.compile(first + rb" *[:?]") for first in (rb"\[", rb"\{", rb","))
_COLON_BEFORE_FLOW_END = re.compile(rb":[\]},]")


def _may_have_odd_block_scalar(text: str) -> bool:
    """Whether a ``|`` / ``>`` is a block scalar yaml_rs reads otherwise, or may be (cheap).

    yaml_rs ends an empty block scalar that runs to the end of the text with a
    line break (``k: |`` gives ``"\\n"``, PyYAML ``""``), reads a top-level one
    whose text starts in column 1, and takes ``[a, |]`` where PyYAML refuses it.
    A header followed by more text (its content, or the next key) reads alike;
    ``|`` in ``{{first_name|there}}`` or ``a > b`` in prose is no header.
    """
    if text[:1] in ("|", ">"):
        return True
    for pattern in _BLOCK_INDICATORS:
        for found in pattern.finditer(text):
            at = found.start()
            before = text[max(0, at - 64):at].rstrip(" ")
            if not before or before[-1] in "[{,":
                return True
            if before[-1] in _PROPERTY_CONTEXT and _TEXT_AFTER_LINE.search(text, at) is None:
                return True
    return False


def _fast_doubts(text: str, raw: bytes) -> bool:
    """Whether the text may hold something yaml_rs reads otherwise than ``load`` (cheap).

    ``raw`` is ``text`` in UTF-8 (a project file's bytes: no need to encode again).
    """
    return bool(
        raw.translate(None, _PLAIN_BYTES)
        or (b"\xc2" in raw and _C1_CONTROL.search(raw))
        or any(char in text for char in _ODD_CHARACTERS)
        or (b"<" in raw and b"<<" in raw)  # ("<" alone is a fast search)
        or (b"%" in raw and _DIRECTIVE.search(raw))
        or _DOCUMENT_END.search(raw)
        or _TEXT_START_MISREAD.match(raw)
        or raw.startswith((b"%", b"..."))
        or _ZERO_LED.search(raw)
        or _number_with_underscore(raw)
        or _may_have_anchor_or_tag(text)
        or _may_have_odd_block_scalar(text)
        or any(pattern.search(raw) for pattern in _FLOW_ENTRY_INDICATORS)
        or _COLON_BEFORE_FLOW_END.search(raw) is not None
    )


def _number_agrees(value: int | float) -> bool:
    """Whether a number yaml_rs read is one ``load`` reads alike (any other may differ).

    yaml_rs reads ints of any size (we: 64 bits, then a float or text), ``1e400``
    as infinity (we: text) and ``.iNF`` / ``.nAn`` as floats (we: text); ``.inf``
    and ``.nan`` agree but are rare enough to leave to ``load`` with the rest.
    """
    if type(value) is int:
        return _INT_MIN <= value <= _INT_MAX
    return math.isfinite(value)


def _vouch(root: Any) -> bool:
    """What yaml_rs returned is what ``load`` returns, as far as the text checks left open.

    Every mapping key is a string (yaml_rs reads ``[a]: b`` as a tuple key and
    ``: v`` as a None key where ``load`` refuses both; other non-string keys are
    rare enough to leave to ``load``), every number passes ``_number_agrees``,
    and nothing nests deeper than ``MAX_DEPTH``. (yaml_rs's duplicate-key check
    compares Python keys, so ``1`` / ``1.0`` / ``true`` collide there too.)
    """
    kind = type(root)
    if kind is not dict and kind is not list:
        return not (kind is int or kind is float) or _number_agrees(root)
    join = "".join
    level = [root]  # breadth first: a level's depth needs no bookkeeping per node
    depth = 1
    while level:
        if depth > MAX_DEPTH:
            return False
        below: list[Any] = []
        add = below.append
        for node in level:
            if type(node) is dict:
                try:
                    join(node)  # raises TypeError on the first key that is not a str
                except TypeError:
                    return False
                node = node.values()
            for child in node:
                kind = type(child)
                if kind is str:
                    continue
                if kind is dict or kind is list:
                    add(child)
                elif (kind is int or kind is float) and not _number_agrees(child):
                    return False
        level = below
        depth += 1
    return True


def _shallow(raw: bytes) -> bool:
    """Whether a text that passed ``_fast_doubts`` provably nests < _FAST_MAX_NESTING levels.

    ``_nesting_below``'s rule on bytes, cheaper: tabs and the rare line breaks
    are already excluded, so a level takes a bracket or a wider line prefix.
    """
    half = _FAST_MAX_NESTING // 2
    return (
        raw.count(b"[") + raw.count(b"{") < half
        and _DEEP_LINE.search(raw) is None
        and _DEEP_FIRST_LINE.match(raw) is None
        and (b"\r" not in raw or _DEEP_CR_LINE.search(raw) is None)
    )


def _fast_load(text: str, raw: bytes | None = None) -> Any:
    """yaml_rs's reading of ``text`` where it is known to equal ``load``'s, else ``_SLOW``.

    ``raw``: ``text`` in UTF-8, if the caller has it. Safe to call from several
    threads at once, and worth it: yaml_rs parses without holding the GIL.
    """
    if _yaml_rs is None:
        return _SLOW
    if raw is None:
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: load() explains it
            return _SLOW
    if text and text[-1] not in "\n\r":
        return _SLOW  # yaml_rs ends a block scalar at the end of the text with a line break
    if _fast_doubts(text, raw) or not _shallow(raw):
        return _SLOW
    try:
        data = _yaml_rs.loads(text, parse_datetime=False,
                              duplicate_key_policy=_yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # any yaml_rs failure: PyYAML's parser explains it, with a line
        return _SLOW
    if (type(data) is list or data is None) and _DOCUMENT_START.search(text) is not None:
        return _SLOW  # several documents come back as a list of them (PyYAML refuses those)
    if type(data) is str and ("|" in text or ">" in text):
        return _SLOW  # a top-level block scalar: yaml_rs takes text in column 1 for it
    if not _vouch(data):
        return _SLOW
    return data


def load_data(text: str, raw: bytes | None = None) -> Any:
    """Parse one YAML document to plain data, fast; ``load(text)[0]`` without positions.

    Same data (types, key order) and same ``YamlError`` as ``load``: texts the
    fast path cannot vouch for, and every error, go through ``load``. ``raw``:
    ``text`` encoded as UTF-8, if the caller has it (saves encoding it again).
    """
    data = _fast_load(text, raw)
    if data is _SLOW:
        data, _positions = load(text)
    return data


# --- output --------------------------------------------------------------------------

# Quote any string that we, or a YAML 1.1 reader such as PyYAML's safe_load, would
# read as something else: ``1_000``, ``017``, ``12:30`` (1.1 numbers) as well as
# ``1e3``, ``0o17``, ``+.5`` (1.2 numbers). Except YAML 1.1 booleans (``on``, ``yes``)
# and timestamps: every guide has ``trigger: {on: …}`` and dates, written plain
# since the first release; quoting them would rewrite every file of every project.
def _dump_resolvers() -> Resolvers:
    table = _resolvers(_CORE_RULES)
    for first, entries in _BaseDumper.yaml_implicit_resolvers.items():
        for tag, pattern in entries:
            if tag not in (_BOOL_TAG, _TIMESTAMP_TAG):
                table.setdefault(first, []).append((tag, pattern))
    return table


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _dump_resolvers()

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (guide bodies) reads and diffs best as a literal block.
    if "\n" in value and not value.startswith((" ", "\n")) and value.rstrip(" ") == value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Canonical YAML: the caller's key order, block style, UTF-8 text, no aliases.

    Canonical output is what makes "save with no change writes identical bytes"
    true and keeps diffs in git small.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def dump_flow(data: Any) -> str:
    """``data`` on one line in flow style (``[a, b]``, ``{x: 1}``), by the canonical rules.

    For values an author wrote in flow style: a changed hand-written ``[a, b]``
    stays a one-line list instead of turning into a block.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=True,
        width=2**30,
    ).rstrip("\n")
