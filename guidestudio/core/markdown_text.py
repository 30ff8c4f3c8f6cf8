"""The small Markdown guides are written in, rendered to safe HTML.

Guide text is written by marketers and shown inside someone else's product, so
the rendering is deliberately narrow (docs/bundle-format.md, "Markup
conventions"):

* CommonMark with raw HTML off: ``<script>`` typed into a body is shown as text.
* Links only to ``https:``, ``http:``, ``mailto:`` or relative URLs; anything
  else (``javascript:``, ``data:``, ``vbscript:``, however it is cased, spaced or
  entity-encoded) stays plain text. Links get ``rel="noopener noreferrer"``.
* No images in text (a guide has its own ``image`` field); ``![a](b)`` is text.
* ``{{attr|fallback}}`` placeholders become ``<span data-gs-attr="attr">fallback</span>``;
  the runtime fills them with ``textContent``. Anything else between ``{{ }}``
  (``{{7*7}}``) is literal text: nothing is ever evaluated.

Placeholders are swapped for private-use marker characters *before* Markdown
parsing, so Markdown never sees (or mangles) the fallback text, and swapped
back *after* escaping, in text content only; in code, URLs and titles they are
restored literally. Results are cached because the live preview re-renders on
every keystroke while most texts have not changed.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mdurl
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
TOKEN_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\|([^{}\n]*))?\}\}")
_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
_MARK_RE = re.compile(f"{_MARK_OPEN}([0-9]+){_MARK_CLOSE}")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop leading/trailing C0 controls and spaces and remove tab/CR/LF
# anywhere in a URL; we drop every control and whitespace character to be safe.
_STRIP_RE = re.compile(r"[\x00-\x20\x7f-\x9f\s\u200b-\u200f\u2028\u2029\ufeff]+")


def is_safe_url(url: str) -> bool:
    """True for ``http(s):``, ``mailto:`` and relative URLs; False for any other scheme.

    Checked on the raw text, on its HTML-entity-decoded form and on its
    percent-decoded form, each with whitespace and control characters removed,
    so ``JaVaScRiPt&#58;``, ``java\\tscript:`` or ``%6aavascript:`` cannot pass.
    """
    if not isinstance(url, str):
        return False
    candidates = {url, html.unescape(url)}
    for candidate in list(candidates):
        candidates.add(urllib.parse.unquote(candidate))
        candidates.add(html.unescape(urllib.parse.unquote(candidate)))
    for candidate in candidates:
        cleaned = _STRIP_RE.sub("", candidate)
        match = _SCHEME_RE.match(cleaned)
        if match and match.group(1).lower() not in ALLOWED_SCHEMES:
            return False
    return True


# What ``is_safe_url`` strips before it looks for a scheme (``_STRIP_RE``'s class).
_STRIPPED = r"\x00-\x20\x7f-\x9f\s\u200b-\u200f\u2028\u2029\ufeff"
# Where a link destination can begin ("](", "<", "]:"), then every character that can
# stand between there and a scheme's colon without making the scheme impossible,
# then the character that ends the run: a colon, or something that decodes ("&", "%", "\").
# A run that is plainly an allowed scheme and its colon is skipped by the lookahead
# (the common case, decided without leaving the regex engine).
_POSSIBLE_SCHEME_RE = re.compile(
    rf"(?:\]\(|<|\]:)(?!(?i:https?|mailto):)([A-Za-z0-9+.\->{_STRIPPED}]*)([:&%\\])")
_IGNORED_IN_SCHEME_RE = re.compile(rf"[>{_STRIPPED}]+")
_SCHEME_NAME_RE = re.compile(r"[a-z][a-z0-9+.\-]*")


def may_refuse_links(text: str) -> bool:
    """False only if ``render(text)`` certainly refuses no link (``refused_links`` is empty).

    A cheap, conservative test on the source, so validation can skip the
    Markdown parse of the many texts whose links are all plainly ``https:``;
    True means "parse it and see", never "unsafe". Why False is sound:

    ``render`` refuses a link only when ``is_safe_url`` finds, in the
    destination markdown-it hands to ``validateLink`` (from the inline link,
    autolink and reference rules; images are never recorded, linkify is off),
    a scheme other than http/https/mailto at its very start. That destination
    begins right after a literal ``](``, ``<`` or ``]:`` (plus optional
    whitespace, and on a continuation line the ``>``/indent prefixes of block
    containers): escapes, entities and placeholders cannot produce those
    characters (markdown-it wants the ``](`` and ``]:`` adjacent), and a
    placeholder cannot overlap the run checked here because ``{`` and ``}``
    are not in it. From there up to the scheme's colon every source character
    must become a scheme character or be removed: ASCII letters, digits and
    ``+.-``, what ``is_safe_url`` strips (whitespace and
    controls, which also covers markdown-it's ``\\r``/NUL normalisation) and
    ``>``; any other character survives normalisation (mdurl keeps the order of
    the text and only percent-encodes, which ``is_safe_url`` undoes) and breaks
    the scheme. So the regex finds every such run; the only ways to *produce*
    a colon or a scheme letter that is not literally there start with ``&``
    (entities, decoded by markdown-it and again by ``is_safe_url``), ``%``
    (percent-encoding, decoded by ``is_safe_url``) or ``\\`` (escapes), and a
    run ending in one of those is answered True. A run ending in a literal
    colon spells the scheme literally: once stripped characters and ``>`` are
    removed it is either not a scheme name (cannot be refused) or one we can
    check against ``ALLOWED_SCHEMES`` exactly as ``is_safe_url`` does.
    ``tests/core/test_markdown_text.py`` checks this against ``render`` with
    generated texts full of schemes, entities, escapes and whitespace.
    """
    if "]" not in text and "<" not in text:  # no place a destination could start
        return False
    for match in _POSSIBLE_SCHEME_RE.finditer(text):
        if match.group(2) != ":":
            return True
        scheme = _IGNORED_IN_SCHEME_RE.sub("", match.group(1)).lower()
        if scheme not in ALLOWED_SCHEMES and _SCHEME_NAME_RE.fullmatch(scheme):
            return True
    return False


@dataclass(frozen=True)
class Rendered:
    """Rendered text: safe HTML, the plain text (for aria-labels), placeholder attributes."""

    html: str
    text: str
    tokens: tuple[str, ...]
    #: Link targets refused by ``is_safe_url`` (rendered as text); validation reports them.
    refused_links: tuple[str, ...] = ()


def _image_as_text(state: StateInline, silent: bool) -> bool:
    """Recognise ``![alt](src)`` exactly as CommonMark does, but emit the source as text."""
    start = state.pos
    count = len(state.tokens)
    # Any source is fine here: the whole image becomes text. Without this an
    # unsafe source makes the image rule fail and the link rule report it.
    _refused.image = True
    try:
        matched = _image_rule(state, silent)
    finally:
        _refused.image = False
    if not matched:
        return False
    if not silent:
        del state.tokens[count:]
        token = state.push("text", "", 0)
        token.content = state.src[start : state.pos]
    return True


class _Renderer(RendererHTML):
    """Adds ``rel`` to links and turns placeholder markers into spans in text only."""

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        escaped = escapeHtml(tokens[idx].content)
        if _MARK_OPEN not in escaped:
            return escaped
        found: list[tuple[str, str]] = env["gs_tokens"]

        def span(match: re.Match[str]) -> str:
            attr, fallback = found[int(match.group(1))]
            env["gs_used"].append(attr)
            return (
                f'<span data-gs-attr="{escapeHtml(attr)}">{escapeHtml(fallback)}</span>'
            )

        return _MARK_RE.sub(span, escaped)

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, idx, options, env)


_refused = threading.local()


def _validate_link(url: str) -> bool:
    """``is_safe_url``, remembering what it refused for the render in progress."""
    if getattr(_refused, "image", False) or is_safe_url(url):
        return True
    sink = getattr(_refused, "links", None)
    if sink is not None:
        sink.append(url)
    return False


def _make(links: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}, renderer_cls=_Renderer)
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.inline.ruler.at("image", _image_as_text)
    if not links:
        md.disable(["link", "autolink", "reference"], ignoreInvalid=True)
    return md


@functools.cache
def _md(links: bool) -> MarkdownIt:
    return _make(links)


def _protect(text: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """Replace placeholder tokens with markers Markdown treats as plain text."""
    text = text.replace(_MARK_OPEN, "\ufffd").replace(_MARK_CLOSE, "\ufffd")
    found: list[tuple[str, str]] = []
    literal: list[str] = []

    def mark(match: re.Match[str]) -> str:
        found.append((match.group(1), (match.group(2) or "").strip()))
        literal.append(match.group(0))
        return f"{_MARK_OPEN}{len(found) - 1}{_MARK_CLOSE}"

    return TOKEN_RE.sub(mark, text), found, literal


def _restore_literal(value: str, literals: list[str]) -> str:
    return _MARK_RE.sub(lambda m: literals[int(m.group(1))], value)


_ENCODED_MARK_RE = re.compile(
    re.escape(mdurl.encode(_MARK_OPEN)) + "([0-9]+)" + re.escape(mdurl.encode(_MARK_CLOSE))
)


def _restore_outside_text(tokens: list[Token], literals: list[str]) -> None:
    """Markers outside plain text (code, link URLs and titles) go back to the source text.

    In URLs markdown-it has percent-encoded the marker; it becomes the
    percent-encoded source text, as if no placeholder had been recognised.
    """
    for token in tokens:
        if token.children:
            _restore_outside_text(token.children, literals)
        if token.type != "text" and _MARK_OPEN in token.content:
            token.content = _restore_literal(token.content, literals)
        for name, value in list(token.attrs.items()):
            if not isinstance(value, str):
                continue
            restored = _restore_literal(value, literals) if _MARK_OPEN in value else value
            restored = _ENCODED_MARK_RE.sub(
                lambda m: mdurl.encode(literals[int(m.group(1))]), restored)
            if restored != value:
                token.attrSet(name, restored)


def _plain_text(tokens: list[Token], found: list[tuple[str, str]]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.children:
            parts.append(_plain_text(token.children, found))
        elif token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type in ("paragraph_close", "heading_close", "list_item_close"):
            parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    text = "".join(parts)
    text = _MARK_RE.sub(lambda m: found[int(m.group(1))][1], text)
    return " ".join(text.split())


# Large enough to hold every text of a big project between validation and
# compilation (each parses the same bodies); ~1 KB an entry.
def render(text: str, *, inline: bool = False, links: bool = True) -> Rendered:
    """Render guide text to safe HTML.

    ``inline`` is for titles and labels: no block structure, no ``<p>``.
    ``links=False`` renders link syntax as text (button labels: a link inside a
    button would be nested interactive content).
    """
    return _render(text, inline, links)


def clear_cache() -> None:
    """Drop cached renders (a whole-project compile is done with them: ~100 MB on 2,000 guides)."""
    _render.cache_clear()


@functools.lru_cache(maxsize=65536)
def _render(text: str, inline: bool, links: bool) -> Rendered:
    # Positional arguments only: lru_cache keys `f(x)` and `f(x, inline=False)` apart.
    md = _md(links)
    protected, found, literals = _protect(text or "")
    env: dict[str, Any] = {"gs_tokens": found, "gs_used": []}
    _refused.links = refused = []
    try:
        tokens = md.parseInline(protected, env) if inline else md.parse(protected, env)
    finally:
        _refused.links = None
    if found:
        _restore_outside_text(tokens, literals)
    out = md.renderer.render(tokens, md.options, env).strip()
    used: list[str] = []
    for attr in env["gs_used"]:
        if attr not in used:
            used.append(attr)
    return Rendered(out, _plain_text(tokens, found), tuple(used), tuple(refused))


def render_html(text: str, *, inline: bool = False, links: bool = True) -> tuple[str, list[str]]:
    """``(html, placeholder attribute names)``: the short form callers mostly need."""
    result = render(text, inline=inline, links=links)
    return result.html, list(result.tokens)
