"""Themes -> one stylesheet: the base guide styles plus CSS custom properties per theme.

A theme is a handful of tokens (colours, font, radius, shadow, stacking). Each
becomes a ``--gs-*`` custom property in a ``.gs-theme-<id>`` block, with every
token present (unset ones take the defaults) so a theme never depends on which
element the runtime puts the class on. Which value each token gets, and why an
unsafe one is replaced by the default, is ``core/theme_tokens.py`` (the validator
reads themes through it too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from guidestudio.core.model import Theme
from guidestudio.core.resources import TEMPLATES_DIR
from guidestudio.core.theme_tokens import COLOR_TOKENS, DEFAULTS, theme_tokens

__all__ = ["BASE_CSS_NAME", "COLOR_TOKENS", "DEFAULTS", "HOST_RESET", "base_css", "theme_css",
           "theme_tokens"]

BASE_CSS_NAME = "base.css"
# First in every stylesheet, whatever base.css a project has: in a shadow root (the runtime's
# ``shadow`` option) nothing of the page's styles is inherited; on a page it matches nothing.
HOST_RESET = ":host{all:initial!important}\n"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _block(theme_id: str, tokens: Mapping[str, str]) -> str:
    body = "".join(f"  {name}: {value};\n" for name, value in tokens.items())
    # Same element as .gs-root, or an ancestor of it: both get the theme.
    return f".gs-theme-{theme_id},\n.gs-theme-{theme_id} .gs-root {{\n{body}}}\n"


def base_css() -> str:
    return (TEMPLATES_DIR / BASE_CSS_NAME).read_text(encoding="utf-8")


def theme_css(
    themes: Mapping[str, Theme], default_theme_id: str | None, *, base: str | None = None
) -> str:
    """``HOST_RESET``, ``base`` (default: guide_templates/base.css), one block per theme by id.

    The project's default theme always gets a block, even when no theme file
    defines it, so every guide's ``gs-theme-<id>`` class resolves.
    """
    css = base if base is not None else base_css()
    if not css.endswith("\n"):
        css += "\n"
    blocks: dict[str, dict[str, str]] = {}
    for theme_id, theme in themes.items():
        if _ID_RE.match(theme_id):
            blocks[theme_id] = theme_tokens(theme)
    if default_theme_id and _ID_RE.match(default_theme_id) and default_theme_id not in blocks:
        blocks[default_theme_id] = theme_tokens(None)
    parts = [HOST_RESET, css]
    for theme_id in sorted(blocks):
        parts.append("\n" + _block(theme_id, blocks[theme_id]))
    return "".join(parts)
