"""Backslash escapes and placeholder sources: what keeps stored Markdown what was typed.

A rich view of a text (the canvas's page, the inspector's text fields) escapes
every character Markdown *might* read as syntax when it writes the text back,
because it cannot know for sure; ``minimal_escapes`` then drops each escape
that does not change the rendering, checked with the renderer the compiler
uses, so the stored text is what the person typed. The same test decides
whether a view may edit a text at all (``same_source``): only if what it would
write for the untouched text says exactly what the source says.

Chips (placeholders shown as one unit) carry the source they were written as
(``{{ first_name | there }}`` keeps its spaces); ``placeholder_sources`` lists
them in the order the rendering shows them.
"""

from __future__ import annotations

import re

from guidestudio.core import markdown_text

#: ASCII punctuation: what a backslash can escape in CommonMark.
PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_SPAN = re.compile(r'<span data-gs-attr="([^"]*)">')


def placeholder_sources(markdown: str, block: bool, links: bool) -> list[str]:
    """The source text (``{{name|fallback}}``) of each placeholder chip, in page order.

    A placeholder inside a code span or a link address is not a chip, so the
    sources are matched to the rendered chips by attribute name, in order.
    """
    literals = [(m.group(1), m.group(0)) for m in markdown_text.TOKEN_RE.finditer(markdown)]
    if not literals:
        return []
    html = markdown_text.render(markdown, inline=not block, links=links).html
    out: list[str] = []
    for attr in _SPAN.findall(html):
        while literals and literals[0][0] != attr:
            literals.pop(0)
        out.append(literals.pop(0)[1] if literals else "{{" + attr + "}}")
    return out


def _unescaped(markdown: str) -> tuple[str, set[int]]:
    """(the text without backslash escapes, the indexes of its characters that were escaped)."""
    out: list[str] = []
    escaped: set[int] = set()
    i = 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and PUNCTUATION.match(markdown[i + 1]):
            escaped.add(len(out))
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out), escaped


def _escaped_text(plain: str, escaped: set[int]) -> str:
    return "".join(f"\\{c}" if i in escaped else c for i, c in enumerate(plain))


def minimal_escapes(markdown: str, block: bool, links: bool, previous: str | None = None) -> str:
    """``markdown`` without the backslash escapes its rendering does not need.

    Escapes ``previous`` (the stored text before this edit) had on the same
    characters — in the unchanged text before and after what was typed — are
    the author's and stay, needed or not; only the view's own go when they can.
    """
    if "\\" not in markdown:
        return markdown
    plain, escaped = _unescaped(markdown)
    kept: set[int] = set()
    if previous is not None:
        before, was = _unescaped(previous)
        head = 0
        while head < min(len(plain), len(before)) and plain[head] == before[head]:
            head += 1
        tail = 0
        while tail < min(len(plain), len(before)) - head and \
                plain[len(plain) - 1 - tail] == before[len(before) - 1 - tail]:
            tail += 1
        shift = len(before) - len(plain)
        kept = {i for i in escaped if (i < head and i in was)
                or (i >= len(plain) - tail and i + shift in was)}
    html = markdown_text.render(markdown, inline=not block, links=links).html
    for index in sorted(escaped - kept):
        candidate = escaped - {index}
        text = _escaped_text(plain, candidate)
        if markdown_text.render(text, inline=not block, links=links).html == html:
            escaped = candidate
    return _escaped_text(plain, escaped)


def same_source(serialized: str, source: str, block: bool, links: bool) -> bool:
    """Does a view's Markdown for an untouched text say exactly what its source says?"""
    return serialized == source or minimal_escapes(serialized, block, links, source) == source
