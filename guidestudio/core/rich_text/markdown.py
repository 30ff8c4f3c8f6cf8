"""Formatted runs back to Markdown: the canvas serialiser's rules, for a text editor's runs.

``resources/preview/canvas-markdown.js`` writes the page's DOM back to Markdown
for the canvas; this writes ``model.RichText`` (what the inspector's rich text
fields hold) with the same rules, so both views store the same text for the
same formatting:

* ``**bold**``, ``*italic*``, ``[label](address "title")``, ``<address>`` for a
  link that shows its own address, `` `code` ``, ``\\`` + newline for a line
  break, a placeholder as the source it was written as;
* whitespace at the edges of bold or italic goes outside the marks (``** x**``
  would not be read as bold);
* a character Markdown *might* read as syntax is escaped (CommonMark's
  flanking rules for ``*`` and ``_``, brackets before ``(``, entity-like ``&``,
  autolink-like ``<``, block markers at the start of a line); every escape the
  rendering does not need is dropped again (``escapes.minimal_escapes``).

Runs are flat, so the nesting of marks is rebuilt: at each point the mark that
lasts longest opens first (a link before bold before italic when they end
together). Brackets inside a link's label are escaped, which the page's
serialiser does not do (there, such a label is refused and left to the form).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from guidestudio.core.rich_text.escapes import minimal_escapes
from guidestudio.core.rich_text.model import Paragraph, Placeholder, RichText, Span, merged

_PUNCT = re.compile(r"[!-/:-@\[-`{-~]")
_AUTOLINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*$")
_LIKE_AUTOLINK = re.compile(r"^<([A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)[^\s<>]*>")
_LIKE_ENTITY = re.compile(r"^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED_START = re.compile(r"^( {0,3})(\d{1,9})(?=[.)](\s|$))")
_BLOCK_START = re.compile(r"^ {0,3}(>|~~~|(#{1,6}|[-+*]|=+|-+)(?=\s|$))")
_LEAD = re.compile(r"^\s*")
_TRAIL = re.compile(r"\s*$")
_MARKS = ("link", "bold", "italic")
#: The characters ``_escape_text`` may escape; text without any is written as it is.
_MAY_ESCAPE = re.compile(r"[*_\\`\[\]<&]")


@dataclass
class _Piece:
    """Text (escaped later, knowing its neighbours), raw syntax, or a line break."""

    text: str | None = None
    raw: str | None = None
    br: bool = False
    in_link: bool = False

    def chars(self) -> str:
        return self.text if self.text is not None else self.raw or ""


def _code(text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if re.search(r"^`|`$|^ .* $", text) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _has(span: Span, mark: str) -> bool | tuple[str, str | None]:
    if mark == "link":
        return (span.link, span.link_title) if span.link is not None else False
    return bool(getattr(span, mark))


def _pieces(spans: Sequence[Span], opened: frozenset[str], out: list[_Piece],
            in_link: bool) -> None:
    """Spans as pieces, the marks nested the way they run (see the module docstring)."""
    i = 0
    while i < len(spans):
        span = spans[i]
        candidates = [m for m in _MARKS if m not in opened and _has(span, m)]
        if not candidates:
            _leaf(span, out, in_link)
            i += 1
            continue
        ends = {m: _extent(spans, i, m) for m in candidates}
        mark = max(candidates, key=lambda m: (ends[m], -_MARKS.index(m)))
        end = ends[mark]
        if mark == "link":
            _link(spans[i:end], opened | {mark}, out)
        else:
            _wrap(spans[i:end], "**" if mark == "bold" else "*", opened | {mark}, out, in_link)
        i = end


def _extent(spans: Sequence[Span], start: int, mark: str) -> int:
    """Where the run of ``mark`` (the same link, for a link) that starts at ``start`` ends."""
    value, end = _has(spans[start], mark), start
    while end < len(spans) and _has(spans[end], mark) == value:
        end += 1
    return end


def _leaf(span: Span, out: list[_Piece], in_link: bool) -> None:
    if span.hard_break:
        out.append(_Piece(br=True))
    elif span.chip is not None:
        chip = span.chip
        out.append(_Piece(raw=chip.source or Placeholder.make(chip.attr, chip.fallback).source))
    elif span.code:
        out.append(_Piece(raw=_code(span.text)))
    else:
        out.append(_Piece(text=span.text, in_link=in_link))


def _wrap(spans: Sequence[Span], mark: str, opened: frozenset[str], out: list[_Piece],
          in_link: bool) -> None:
    inner: list[_Piece] = []
    _pieces(spans, opened, inner, in_link)
    text = "".join(p.chars() for p in inner)
    if not text.strip():
        out.extend(inner)
        return
    first, last = inner[0], inner[-1]
    lead = trail = ""
    if first.text is not None:
        lead = _LEAD.match(first.text).group(0)  # type: ignore[union-attr]
        first.text = first.text[len(lead):]
    if last.text is not None:
        trail = _TRAIL.search(last.text).group(0)  # type: ignore[union-attr]
        last.text = last.text[: len(last.text) - len(trail)]
    if lead:
        out.append(_Piece(text=lead, in_link=in_link))
    out.append(_Piece(raw=mark))
    out.extend(inner)
    out.append(_Piece(raw=mark))
    if trail:
        out.append(_Piece(text=trail, in_link=in_link))


def _link(spans: Sequence[Span], opened: frozenset[str], out: list[_Piece]) -> None:
    href, title = spans[0].link or "", spans[0].link_title
    label = "".join(s.text for s in spans if s.is_text())
    plain = all(s.is_text() and not (s.bold or s.italic or s.code) for s in spans)
    if plain and label == href and not title and _AUTOLINK.match(href):
        out.append(_Piece(raw=f"<{href}>"))
        return
    out.append(_Piece(raw="["))
    _pieces(spans, opened, out, True)
    dest = f"<{re.sub(r'[<>]', lambda m: '%3C' if m.group(0) == '<' else '%3E', href)}>" \
        if re.search(r"[\s<>]", href) or not _balanced(href) else href
    quoted = ' "' + title.replace('"', '\\"') + '"' if title else ""
    out.append(_Piece(raw=f"]({dest}{quoted})"))


def _balanced(address: str) -> bool:
    """Parentheses a bare link address may hold: balanced, one level deep."""
    depth = 0
    for c in address:
        depth += 1 if c == "(" else -1 if c == ")" else 0
        if depth not in (0, 1):
            return False
    return depth == 0


def _may_delimit(c: str, before: str, after: str) -> bool:
    """Can this run of * or _ open or close emphasis? (Erring on "yes".)"""
    openish = bool(after) and not after.isspace()
    closeish = bool(before) and not before.isspace()
    if not openish and not closeish:
        return False
    return not (c == "_" and before and after and before.isalnum() and after.isalnum())


def _escape_text(s: str, before: str, after: str, in_link: bool) -> str:
    if not _MAY_ESCAPE.search(s):
        return s  # most text: nothing Markdown could read as syntax (once per keystroke)
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        prev = s[i - 1] if i else before
        nxt = s[i + 1] if i + 1 < len(s) else after
        if c in "*_":
            j = i
            while j < len(s) and s[j] == c:
                j += 1
            run = s[i:j]
            follows = s[j] if j < len(s) else after
            out.append(re.sub(r"[*_]", r"\\\g<0>", run) if _may_delimit(c, prev, follows)
                       else run)
            i = j
            continue
        if c == "\\" and (not nxt or _PUNCT.match(nxt) or nxt == "\n"):
            out.append("\\\\")
        elif c == "`":
            out.append("\\`")
        elif c == "[" and in_link:
            out.append("\\[")
        elif c == "]" and (in_link or nxt in ("(", "[", ":")):
            out.append("\\]")
        elif c == "<" and _LIKE_AUTOLINK.match(s[i:]):
            out.append("\\<")
        elif c == "&" and _LIKE_ENTITY.match(s[i:]):
            out.append("\\&")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _escape_line_start(line: str) -> str:
    """Text at the start of a line that Markdown would read as a block marker."""
    m = _ORDERED_START.match(line)
    if m:
        return m.group(1) + m.group(2) + "\\" + line[m.end():]
    if _BLOCK_START.match(line):
        lead = re.match(r"^ *", line).group(0)  # type: ignore[union-attr]
        return lead + "\\" + line[len(lead):]
    return line


def _inline(spans: Sequence[Span], block: bool) -> str:
    pieces: list[_Piece] = []
    _pieces(merged(spans), frozenset(), pieces, False)
    # A break at the very end of a paragraph is not content (Markdown cannot say it).
    while pieces and (pieces[-1].br or (pieces[-1].text == "" and len(pieces) > 1)):
        pieces.pop()
    out = ""
    for i, piece in enumerate(pieces):
        if piece.br:
            out += "\\\n"
        elif piece.raw is not None:
            out += piece.raw
        else:
            before = out[-1] if out else ""
            following = pieces[i + 1] if i + 1 < len(pieces) else None
            after = ("\n" if following.br else following.chars()[:1]) if following else ""
            out += _escape_text(piece.text or "", before, after, piece.in_link)
    if block:
        out = "\n".join(_escape_line_start(line) for line in out.split("\n"))
    return out


def _indent(text: str, first: str, rest: str) -> str:
    return "\n".join((rest if line else "") + line if i else first + line
                     for i, line in enumerate(text.split("\n")))


def serialize(rich: RichText, *, block: bool) -> str:
    """The Markdown for ``rich``, every possibly-needed escape included."""
    if not block:
        spans: list[Span] = []
        for part in rich.blocks:  # one line: paragraphs (there should be one) run on
            if isinstance(part, Paragraph):
                if spans and part.spans:
                    spans.append(Span(text=" "))
                spans.extend(part.spans)
        return _inline(spans, False)
    out: list[str] = []
    for part in rich.blocks:
        if isinstance(part, Paragraph):
            text = _inline(part.spans, True)
        else:
            lines = []
            for k, item in enumerate(part.items):
                marker = f"{part.start + k}. " if part.ordered else "- "
                lines.append(_indent(_inline(item, True), marker, " " * len(marker)))
            text = "\n".join(lines)
        if text.strip():
            out.append(text)
    return "\n\n".join(out)


def to_markdown(rich: RichText, *, block: bool, links: bool = True,
                previous: str | None = None) -> str:
    """The Markdown to store for ``rich``: ``serialize`` without the escapes it does not need
    (those ``previous``, the text before this edit, had where nothing changed stay)."""
    return minimal_escapes(serialize(rich, block=block), block, links, previous)
