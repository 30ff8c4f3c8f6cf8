"""A guide text as formatted runs: what a rich text field shows instead of Markdown syntax.

The model is the product's own rendering read back (``markdown_text.render``'s
safe HTML, as the canvas's page reads its DOM), flattened into what a text
editor holds: paragraphs and flat lists of *spans*, each span a piece of text
with its marks (bold, italic, code, a link) — or a placeholder chip, or a hard
line break. Soft line breaks stay in the text as ``\\n`` (the author wrote a
newline; the product shows a space).

Only what such an editor can hold is read: headings, quotes, code blocks,
rules, loose or nested lists and images make ``from_markdown`` answer None,
and the field is then edited as Markdown. Nesting order of marks is not kept
(``**a *b***`` and ``*a **b***`` both give a bold-italic "b"); whether a text
survives that is decided by writing it back (``rich_text.rich_view``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll

from guidestudio.core import markdown_text
from guidestudio.core.rich_text.escapes import placeholder_sources


@dataclass(frozen=True)
class Placeholder:
    """A personal detail shown as a chip: ``{{attr|fallback}}`` as it was written."""

    attr: str
    fallback: str = ""
    source: str = ""

    @staticmethod
    def make(attr: str, fallback: str = "") -> Placeholder:
        """A new placeholder, written the plain way (``{{attr|fallback}}``)."""
        fallback = " ".join(fallback.replace("{", "").replace("}", "").replace("|", "")
                            .split())
        source = "{{" + attr + (f"|{fallback}" if fallback else "") + "}}"
        return Placeholder(attr, fallback, source)


@dataclass(frozen=True)
class Span:
    """Text with its marks, or (``chip``) a placeholder, or (``hard_break``) a line break."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    link_title: str | None = None
    chip: Placeholder | None = None
    hard_break: bool = False

    def marks(self) -> tuple[bool, bool, bool, str | None, str | None]:
        return self.bold, self.italic, self.code, self.link, self.link_title

    def is_text(self) -> bool:
        return self.chip is None and not self.hard_break


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class ListBlock:
    """A flat, tight list: bullets, or numbers counting from ``start``."""

    ordered: bool
    items: tuple[tuple[Span, ...], ...]
    start: int = 1


Block = Paragraph | ListBlock


@dataclass(frozen=True)
class RichText:
    blocks: tuple[Block, ...] = ()


def merged(spans: list[Span] | tuple[Span, ...]) -> tuple[Span, ...]:
    """Neighbouring text spans with the same marks as one; empty text spans dropped."""
    out: list[Span] = []
    for span in spans:
        if span.is_text() and not span.text:
            continue
        if out and span.is_text() and out[-1].is_text() and out[-1].marks() == span.marks():
            out[-1] = replace(out[-1], text=out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)


#: A link's destination in the source: ``](address`` (or ``](<address>``), or an autolink.
_DESTINATION = re.compile(
    r"\]\(\s*(?:<((?:[^<>\n\\]|\\.)*)>|((?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+))"
    r"|<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_NORMALIZER = MarkdownIt("commonmark")


def link_sources(markdown: str) -> dict[str, list[str]]:
    """Link addresses as the author wrote them, by the address the renderer made of each.

    The renderer percent-encodes addresses (``{{plan}}`` becomes ``%7B%7Bplan%7D%7D``,
    non-ASCII letters are encoded); a field shows and writes back the author's.
    """
    found: dict[str, list[str]] = {}
    if "](" not in markdown and "<" not in markdown:
        return found
    for match in _DESTINATION.finditer(markdown):
        raw = next((g for g in match.groups() if g is not None), "")
        address = unescapeAll(raw)
        found.setdefault(_NORMALIZER.normalizeLink(address), []).append(address)
    return found


class _Unsupported(Exception):
    """The rendering holds something a rich text field does not."""


class _Reader(HTMLParser):
    """The renderer's HTML (a narrow, known subset) as blocks of spans."""

    def __init__(self, sources: list[str], links: dict[str, list[str]], inline: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.sources = sources
        self.links = links
        self.chips = 0
        self.blocks: list[Block] = []
        self.spans: list[Span] | None = [] if inline else None
        self.items: list[tuple[Span, ...]] | None = None
        self.ordered = False
        self.start = 1
        self.bold = self.italic = 0
        self.code = False
        self.link: tuple[str, str | None] | None = None
        self.chip: list[str] | None = None  # the chip's attribute, then its text
        self.after_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "p" and self.spans is None and self.items is None:
            self.spans = []
        elif tag in ("ul", "ol") and self.items is None and self.spans is None:
            self.items, self.ordered = [], tag == "ol"
            self.start = int(values.get("start") or 1)
        elif tag == "li" and self.items is not None and self.spans is None:
            self.spans = []
        elif self.spans is None:
            raise _Unsupported(tag)
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "code" and not self.code:
            self.code = True
        elif tag == "a" and self.link is None:
            href = values.get("href") or ""
            written = self.links.get(href)
            self.link = (written.pop(0) if written else href, values.get("title"))
        elif tag == "br":
            self.spans.append(Span(hard_break=True))
            self.after_break = True
        elif tag == "span" and "data-gs-attr" in values and self.chip is None:
            self.chip = [values["data-gs-attr"] or "", ""]
        else:
            raise _Unsupported(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.spans is not None and self.items is None:
            self.blocks.append(Paragraph(merged(self.spans)))
            self.spans = None
        elif tag == "li" and self.items is not None and self.spans is not None:
            self.items.append(merged(self.spans))
            self.spans = None
        elif tag in ("ul", "ol") and self.items is not None:
            self.blocks.append(ListBlock(self.ordered, tuple(self.items), self.start))
            self.items = None
        elif tag == "strong":
            self.bold -= 1
        elif tag == "em":
            self.italic -= 1
        elif tag == "code":
            self.code = False
        elif tag == "a":
            self.link = None
        elif tag == "span" and self.chip is not None and self.spans is not None:
            attr, fallback = self.chip
            source = self.sources[self.chips] if self.chips < len(self.sources) \
                else "{{" + attr + "}}"
            self.chips += 1
            self.chip = None
            self.spans.append(self._marked(Span(chip=Placeholder(attr, fallback, source))))

    def handle_data(self, data: str) -> None:
        if self.chip is not None:
            self.chip[1] += data
            return
        if self.after_break and data.startswith("\n"):
            data = data[1:]  # the renderer's own newline after <br />
        self.after_break = False
        if self.spans is None:
            if data.strip():
                raise _Unsupported("text outside a paragraph")
            return
        if data:
            self.spans.append(self._marked(Span(text=data)))

    def _marked(self, span: Span) -> Span:
        link, title = self.link if self.link is not None else (None, None)
        if self.bold > 1 or self.italic > 1:
            raise _Unsupported("emphasis inside the same emphasis")
        return replace(span, bold=self.bold > 0, italic=self.italic > 0, code=self.code,
                       link=link, link_title=title)


def from_markdown(markdown: str, *, block: bool, links: bool = True) -> RichText | None:
    """The formatted runs ``markdown`` renders to, or None when they do not fit the model.

    Cached (the runs are immutable): lists label every step on each edit, and most
    texts have not changed since the last time.
    """
    return _from_markdown(markdown, block, links)


@functools.lru_cache(maxsize=4096)
def _from_markdown(markdown: str, block: bool, links: bool) -> RichText | None:
    html = markdown_text.render(markdown, inline=not block, links=links).html
    reader = _Reader(placeholder_sources(markdown, block, links), link_sources(markdown),
                     inline=not block)
    try:
        reader.feed(html)
        reader.close()
    except (_Unsupported, ValueError):
        return None
    if not block:
        return RichText((Paragraph(merged(reader.spans or [])),))
    if reader.spans is not None or reader.items is not None:
        return None
    return RichText(tuple(reader.blocks))
