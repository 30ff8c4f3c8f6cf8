"""A theme's tokens: each colour, font, radius, shadow and stacking value as the ``--gs-*``
custom property the stylesheet gets, every token present (unset ones take the defaults).

The values come from YAML files that designers edit; the schema already restricts
their characters, and they are checked again here because the stylesheet ends up inside
someone else's page: a value that could close the block (``}``), end the declaration
(``;``), open a tag (``<``) or leave a string or function unclosed is replaced by the
default rather than written. Shared by the exporter (``bundle/theme_css.py``) and the
validator, which judges colours as exported (``validate/themes.py``).
"""

from __future__ import annotations

import math
import re

from guidestudio.core.model import Theme

DEFAULTS: dict[str, str] = {
    "--gs-primary": "#4f46e5",
    "--gs-on-primary": "#ffffff",
    "--gs-surface": "#ffffff",
    "--gs-text": "#1f2937",
    "--gs-muted": "#6b7280",
    "--gs-border": "#e5e7eb",
    "--gs-backdrop": "rgba(17, 24, 39, 0.55)",
    "--gs-accent": "#b45309",  # focus ring, beacon: 3:1 on the surface at least (WCAG 1.4.11)
    "--gs-font": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    "sans-serif",
    "--gs-font-size": "15px",
    "--gs-heading-weight": "600",
    "--gs-radius": "10px",
    "--gs-shadow": "0 12px 32px rgba(17, 24, 39, 0.18), 0 2px 6px rgba(17, 24, 39, 0.08)",
    "--gs-z": "2147483000",
}

COLOR_TOKENS = {
    "primary": "--gs-primary",
    "on_primary": "--gs-on-primary",
    "surface": "--gs-surface",
    "text": "--gs-text",
    "muted": "--gs-muted",
    "border": "--gs-border",
    "backdrop": "--gs-backdrop",
    "accent": "--gs-accent",
}

# Same character sets as schemas/theme.schema.json and common.schema.json.
_COLOR_RE = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|rgba?\([0-9., %]+\)|hsla?\([0-9., %deg]+\)|[a-zA-Z]+)$"
)
_FONT_RE = re.compile(r"^[A-Za-z0-9 ,'\"-]{1,200}$")
_SHADOW_RE = re.compile(r"^[A-Za-z0-9 ,.()#%-]{0,200}$")
_FORBIDDEN = set(";{}<>\\@/!\n\r")


def _balanced(value: str) -> bool:
    """Parentheses nest and close, quotes close: nothing can swallow the rest of the sheet."""
    depth = 0
    quote = ""
    for ch in value:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not quote


def _safe(value: object, pattern: re.Pattern[str]) -> str | None:
    if not isinstance(value, str) or not pattern.match(value):
        return None
    if _FORBIDDEN & set(value) or not _balanced(value):
        return None
    return value


def _number(value: object, low: float, high: float) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    x = float(value)
    if not math.isfinite(x) or not low <= x <= high:
        return None
    return str(int(x)) if x.is_integer() else f"{x:.4g}"


def theme_tokens(theme: Theme | None) -> dict[str, str]:
    """Every ``--gs-*`` property for ``theme``: its valid values over the defaults."""
    tokens = dict(DEFAULTS)
    if theme is None:
        return tokens
    for name, prop in COLOR_TOKENS.items():
        value = _safe((theme.colors or {}).get(name), _COLOR_RE)
        if value is not None:
            tokens[prop] = value
    font = theme.font or {}
    family = _safe(font.get("family"), _FONT_RE)
    if family is not None:
        tokens["--gs-font"] = family
    size = _number(font.get("size"), 8, 32)
    if size is not None:
        tokens["--gs-font-size"] = f"{size}px"
    weight = font.get("heading_weight")
    if isinstance(weight, int) and not isinstance(weight, bool) and 100 <= weight <= 900:
        tokens["--gs-heading-weight"] = str(weight)
    radius = _number(theme.radius, 0, 48)
    if radius is not None:
        tokens["--gs-radius"] = f"{radius}px"
    shadow = _safe(theme.shadow, _SHADOW_RE)
    if shadow is not None:
        tokens["--gs-shadow"] = shadow or "none"
    z = theme.z_index
    if isinstance(z, int) and not isinstance(z, bool) and 1 <= z <= 2147483647:
        tokens["--gs-z"] = str(z)
    return tokens
