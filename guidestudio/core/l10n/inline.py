"""A guide text as words and protected codes: what a translator may move but not break.

A text is Markdown with placeholders (``core/markdown_text.py``). For a CAT tool
its syntax becomes *inline codes*: a placeholder without fallback, a code span,
a line break, a paragraph break or a list bullet is a standalone code (XLIFF
2.0 ``<ph>``, 1.2 ``<x>``); bold, italic, a link, and a placeholder's fallback
(``{{first_name|there}}``: "there" is translated, ``{{first_name|`` and ``}}``
are not) enclose words (``<pc>``, ``<g>``). ``segment`` splits a text that way,
losslessly: writing the nodes back (``markdown``) gives the very text.

An import never takes a code's Markdown from the file: the translator's tool
returns code *ids* with words around them, and the Markdown of each id comes
from segmenting the current source again, so a code cannot be edited, only
moved. ``formatting`` is the check that nothing else changed: the translation
must render with as many bold, italic, links (to the same addresses), code
spans, breaks and the same placeholders as the source.

The splitter is a small reader of the inline Markdown guides use, not a second
CommonMark parser; when its reading of emphasis or links disagrees with the
renderer's (``formatting`` of the source against the nodes), it falls back to
codes for placeholders, code spans and line structure only, and the words keep
the remaining marks as text — still lossless, still checked on import.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from guidestudio.core import markdown_text

#: Standalone codes, and codes that enclose words.
STANDALONE = frozenset({"placeholder", "code", "autolink", "break", "line", "paragraph", "list"})
PAIRED = frozenset({"bold", "italic", "link", "fallback"})


@dataclass(frozen=True)
class Code:
    """One protected piece: ``start`` is its Markdown (a paired code's opening), ``end`` the
    closing Markdown of a paired code, ``children`` the words (and codes) it encloses."""

    id: str
    kind: str
    start: str
    end: str | None = None
    children: tuple[Node, ...] = field(default=())

    @property
    def paired(self) -> bool:
        return self.end is not None

    def display(self) -> str:
        """What a CAT tool shows for the code (``disp``/``equiv-text``)."""
        if self.kind == "paragraph":
            return "¶"
        if self.kind == "line":
            return "↵"
        if self.kind == "list":
            return "•"
        if self.kind == "break":
            return "⏎"
        return self.start.strip()


Node = str | Code

_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_HARD_BREAK = re.compile(r"\\\n[ \t]*| {2,}\n[ \t]*")
_NEWLINES = re.compile(r"\n(?:[ \t]*\n)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_LIST_START = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_CODE_RUN = re.compile(r"`+")
_PUNCT = re.compile(r"[!-/:-@\[-`{-~\u2000-\u206f\u3000-\u303f]")


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return str(self.n)


@dataclass
class _Delim:
    """A run of ``*`` or ``_`` that may open or close emphasis."""

    char: str
    run: str
    can_open: bool
    can_close: bool


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left = not after.isspace() and (not _PUNCT.match(after) or before.isspace()
                                    or bool(_PUNCT.match(before)))
    right = not before.isspace() and (not _PUNCT.match(before) or after.isspace()
                                      or bool(_PUNCT.match(after)))
    if text[start] == "_":
        return (left and (not right or bool(_PUNCT.match(before))),
                right and (not left or bool(_PUNCT.match(after))))
    return left, right


def _link_end(text: str, i: int) -> tuple[int, int] | None:
    """For ``[`` at ``i``: (index of the label's ``]``, index after the destination's ``)``)."""
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            run = _CODE_RUN.match(text, j)
            close = text.find(run.group(0), run.end()) if run else -1  # type: ignore[union-attr]
            j = close + len(run.group(0)) if run and close >= 0 else j + 1  # type: ignore[union-attr]
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        elif c == "\n" and j + 1 < len(text) and text[j + 1] == "\n":
            return None
        j += 1
    else:
        return None
    close = j
    if close + 1 >= len(text) or text[close + 1] != "(":
        return None
    k, parens = close + 2, 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c == "\n" and k + 1 < len(text) and text[k + 1] == "\n":
            return None
        if c == "(":
            parens += 1
        elif c == ")":
            if parens == 0:
                return close, k + 1
            parens -= 1
        k += 1
    return None


def _tokens(text: str, ids: _Counter, block: bool, marks: bool) -> list[Node | _Delim]:
    """The text as words, codes and emphasis delimiter runs (paired later)."""
    out: list[Node | _Delim] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append("".join(buf))
            buf.clear()

    def code(kind: str, start: str, end: str | None = None,
             children: tuple[Node, ...] = ()) -> None:
        flush()
        out.append(Code(ids.next(), kind, start, end, children))

    i = 0
    if block:
        lead = _LIST_START.match(text)
        if lead:
            code("list", lead.group(0))
            i = lead.end()
    while i < len(text):
        c = text[i]
        if c == "{":
            m = markdown_text.TOKEN_RE.match(text, i)
            if m:
                raw = m.group(0)
                if m.group(2) is not None and m.group(2).strip():
                    bar = raw.index("|") + 1
                    code("fallback", raw[:bar], "}}", (raw[bar:-2],))
                else:
                    code("placeholder", raw)
                i = m.end()
                continue
        if c == "\\":
            m = _HARD_BREAK.match(text, i)
            if m and block:
                code("break", m.group(0))
                i = m.end()
                continue
            m = _ESCAPE.match(text, i)
            if m:
                buf.append(m.group(0))
                i = m.end()
                continue
        if c == " " and block:
            m = _HARD_BREAK.match(text, i)
            if m:
                code("break", m.group(0))
                i = m.end()
                continue
        if c == "\n":
            m = _NEWLINES.match(text, i)
            assert m is not None
            raw = m.group(0)
            kind = ("list" if raw.strip(" \t\n") else
                    "paragraph" if raw.count("\n") > 1 else "line")
            code(kind, raw)
            i = m.end()
            continue
        if c == "`":
            run = _CODE_RUN.match(text, i)
            assert run is not None
            close = re.compile(rf"(?<!`){re.escape(run.group(0))}(?!`)").search(text, run.end())
            if close:
                code("code", text[i:close.end()])
                i = close.end()
                continue
            buf.append(run.group(0))
            i = run.end()
            continue
        if c == "<" and marks:
            m = _AUTOLINK.match(text, i)
            if m:
                code("autolink", m.group(0))
                i = m.end()
                continue
        if c == "[" and marks:
            found = _link_end(text, i)
            if found:
                close, end = found
                inner = _paired(_tokens(text[i + 1:close], ids_inner := _Counter(), False, marks))
                flush()
                link_id = ids.next()
                renumbered = _renumber(inner, ids, ids_inner)
                out.append(Code(link_id, "link", "[", text[close:end], tuple(renumbered)))
                i = end
                continue
        if c in "*_" and marks:
            j = i
            while j < len(text) and text[j] == c:
                j += 1
            run_text = text[i:j]
            if len(run_text) <= 2:
                can_open, can_close = _flanking(text, i, j)
                if can_open or can_close:
                    flush()
                    out.append(_Delim(c, run_text, can_open, can_close))
                    i = j
                    continue
            buf.append(run_text)
            i = j
            continue
        buf.append(c)
        i += 1
    flush()
    return out


def _renumber(nodes: list[Node], ids: _Counter, _inner: _Counter) -> list[Node]:
    """Codes found inside a link label, numbered on in the outer sequence."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Code):
            out.append(Code(ids.next(), node.kind, node.start, node.end,
                            tuple(_renumber(list(node.children), ids, _inner))))
        else:
            out.append(node)
    return out


def _paired(tokens: list[Node | _Delim]) -> list[Node]:
    """Emphasis delimiters paired (the nearest opener of the same run for each closer),
    the unpaired ones back to words. Codes for emphasis get ids later (``_numbered``)."""
    stack: list[tuple[int, _Delim]] = []
    items: list[Node | _Delim | tuple[str, int]] = list(tokens)
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if not isinstance(token, _Delim):
            continue
        if token.can_close:
            for depth in range(len(stack) - 1, -1, -1):
                opener_index, opener = stack[depth]
                if opener.char == token.char and opener.run == token.run:
                    pairs[opener_index] = index
                    del stack[depth:]
                    break
            else:
                if token.can_open:
                    stack.append((index, token))
                continue
            continue
        if token.can_open:
            stack.append((index, token))
    del items

    def build(start: int, stop: int) -> list[Node]:
        out: list[Node] = []
        i = start
        while i < stop:
            token = tokens[i]
            if isinstance(token, _Delim):
                if i in pairs:
                    close = pairs[i]
                    kind = "bold" if len(token.run) == 2 else "italic"
                    out.append(Code("", kind, token.run, token.run, tuple(build(i + 1, close))))
                    i = close + 1
                    continue
                out.append(token.run)
            else:
                out.append(token)
            i += 1
        return _joined(out)

    return build(0, len(tokens))


def _joined(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, str) and out and isinstance(out[-1], str):
            out[-1] += node
        elif node != "":
            out.append(node)
    return out


def _numbered(nodes: tuple[Node, ...] | list[Node], ids: _Counter) -> list[Node]:
    """Codes numbered 1, 2, … in reading order (an opening counts where it opens)."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Code):
            out.append(Code(ids.next(), node.kind, node.start, node.end,
                            tuple(_numbered(node.children, ids))))
        else:
            out.append(node)
    return out


def markdown(nodes: tuple[Node, ...] | list[Node]) -> str:
    """The Markdown the nodes stand for (a segmented text gives back its very text)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Code):
            parts.append(node.start)
            if node.end is not None:
                parts.append(markdown(node.children))
                parts.append(node.end)
        else:
            parts.append(node)
    return "".join(parts)


def codes(nodes: tuple[Node, ...] | list[Node]) -> list[Code]:
    """Every code in reading order, enclosed ones after their encloser."""
    out: list[Code] = []
    for node in nodes:
        if isinstance(node, Code):
            out.append(node)
            out.extend(codes(node.children))
    return out


def formatting(text: str, *, block: bool, links: bool) -> Counter[str]:
    """What the renderer makes of ``text``'s syntax, counted: bold, italic, links by address,
    code spans, line breaks, list items, paragraphs and placeholders by attribute."""
    return Counter(dict(_formatting(text, block, links)))


@functools.lru_cache(maxsize=65536)
def _formatting(text: str, block: bool, links: bool) -> tuple[tuple[str, int], ...]:
    html = markdown_text.render(text, inline=not block, links=links).html
    found: Counter[str] = Counter()
    for tag, label in (("<strong>", "bold"), ("<em>", "italic"), ("<code>", "code"),
                       ("<br", "line break"), ("<li>", "list item"), ("<p>", "paragraph")):
        n = html.count(tag)
        if n:
            found[label] = n
    for href in re.findall(r'<a href="([^"]*)"', html):
        found[f"link to {href}"] += 1
    for attr in re.findall(r'data-gs-attr="([^"]*)"', html):
        found[f"placeholder {{{{{attr}}}}}"] += 1
    return tuple(sorted(found.items()))


def _claimed(nodes: list[Node]) -> Counter[str]:
    """The formatting the nodes claim (for checking the splitter against the renderer)."""
    found: Counter[str] = Counter()
    for code in codes(nodes):
        if code.kind in ("bold", "italic", "code"):
            found[code.kind] += 1
        elif code.kind in ("link", "autolink"):
            found["link"] += 1
    return found


def _rendered_marks(text: str, block: bool, links: bool) -> Counter[str]:
    got = formatting(text, block=block, links=links)
    out: Counter[str] = Counter()
    for key, n in got.items():
        if key in ("bold", "italic", "code"):
            out[key] = n
        elif key.startswith("link to "):
            out["link"] += n
    return out


#: Without one of these a text has no emphasis, link or code span to check with the renderer.
_MARK_CHARS = re.compile(r"[*_\[<`]")


def segment(text: str, *, block: bool, links: bool = True) -> list[Node]:
    """``text`` as words and numbered codes (see the module docstring); lossless."""
    return list(_segment(text, block, links))


@functools.lru_cache(maxsize=65536)
def _segment(text: str, block: bool, links: bool) -> tuple[Node, ...]:
    for marks in (True, False):
        ids = _Counter()
        nodes = _numbered(_paired(_tokens(text, _Counter(), block, marks and links)), ids)
        if markdown(nodes) != text:  # pragma: no cover - the reader loses nothing
            continue
        if not marks or not _MARK_CHARS.search(text) or \
                _claimed(nodes) == _rendered_marks(text, block, links):
            return tuple(nodes)
    return (text,)
