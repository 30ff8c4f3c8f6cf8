"""Guide texts as formatted runs and back: the one Markdown ⇄ rich model (no Qt).

Authors write a small Markdown (``core/markdown_text.py``); rich views — the
inspector's text fields, the canvas — show it as formatting and chips and
store Markdown again. This package is what they share:

* ``model`` – the runs (``RichText``: paragraphs and flat lists of ``Span``)
  read from the product's own rendering of a text (``from_markdown``);
* ``markdown`` – the runs written back (``to_markdown``) with the canvas
  serialiser's rules;
* ``escapes`` – dropping the escapes a rendering does not need, and deciding
  whether a view's Markdown says exactly what the source said (``same_source``).

``rich_view`` is the gate: a text is shown rich only if writing its runs back
gives the very text the author wrote; otherwise the view edits Markdown, so
nothing is ever rewritten by merely being looked at.
"""

from __future__ import annotations

from collections.abc import Callable

from guidestudio.core import markdown_text
from guidestudio.core.rich_text.escapes import minimal_escapes, placeholder_sources, same_source
from guidestudio.core.rich_text.markdown import serialize, to_markdown
from guidestudio.core.rich_text.model import (
    ListBlock,
    Paragraph,
    Placeholder,
    RichText,
    Span,
    from_markdown,
    merged,
)


def rich_view(markdown: str, *, block: bool, links: bool = True) -> RichText | None:
    """The runs to show for ``markdown``, or None when they would not write back exactly.

    Spaces and new lines at the very start or end are not content to the renderer
    (it drops them) but they are what was typed — "Save " on the way to "Save now"
    — so they are kept as text at the edges of the first and last paragraph.
    """
    core = markdown.strip()
    lead = markdown[: len(markdown) - len(markdown.lstrip())] if not block else ""
    trail = markdown[len(markdown.rstrip()):]
    if not core:  # only spaces (a new line alone has no paragraph to live in)
        if block or "\n" in markdown:
            return None
        return RichText((Paragraph((Span(text=markdown),)),))
    if block and markdown[:1].isspace():
        core = markdown.rstrip()  # a block's first line keeps its indent
    rich = from_markdown(core, block=block, links=links)
    if rich is None:
        return None
    if not same_source(serialize(rich, block=block), core, block, links):
        return None
    if not (lead or trail):
        return rich
    edged = _with_edges(rich, lead, trail)
    # An edge can change what the core's last character means — "\\" and a new line
    # renders as a line break, not a backslash — so the whole text must write back too.
    if edged is None or not same_source(serialize(edged, block=block), markdown, block, links):
        return None
    return edged


def _with_edges(rich: RichText, lead: str, trail: str) -> RichText | None:
    blocks = list(rich.blocks)
    if not blocks:
        blocks = [Paragraph(())]
    first, last = blocks[0], blocks[-1]
    if (lead and not isinstance(first, Paragraph)) or (trail and not isinstance(last, Paragraph)):
        return None
    if lead:
        blocks[0] = Paragraph(merged((Span(text=lead), *first.spans)))  # type: ignore[union-attr]
    if trail:
        last = blocks[-1]
        blocks[-1] = Paragraph(merged((*last.spans, Span(text=trail))))  # type: ignore[union-attr]
    return RichText(tuple(blocks))


def plain_words(markdown: str, label: Callable[[str], str]) -> str:
    """A text as a list or a heading shows it: no Markdown marks, a chip as ‹its label›.

    Lists (the step list, a button's row) show one line of words, so formatting
    goes and a placeholder is named in the author's words (``label(attr)``).
    """
    rich = from_markdown(markdown, block=False)
    if rich is None:
        return markdown_text.render(markdown, inline=True, links=False).text or markdown
    out: list[str] = []
    for part in rich.blocks:
        if isinstance(part, Paragraph):
            for span in part.spans:
                if span.chip is not None:
                    out.append(f"‹{label(span.chip.attr)}›")
                elif span.hard_break:
                    out.append(" ")
                else:
                    out.append(span.text.replace("\n", " "))
    return "".join(out).strip() or markdown


__all__ = [
    "ListBlock",
    "Paragraph",
    "Placeholder",
    "RichText",
    "Span",
    "from_markdown",
    "merged",
    "minimal_escapes",
    "placeholder_sources",
    "plain_words",
    "rich_view",
    "same_source",
    "serialize",
    "to_markdown",
]
