"""CSS colours as a theme file writes them: read, composited, checked for contrast.

The theme editor shows each colour as a swatch, writes the colour dialog's
choice back as CSS, and tells when text would be hard to read on its background
(the WCAG 2 contrast ratio), so it needs to understand every colour form the
theme schema allows the way a browser does. Colour names go through Qt, which
knows the same SVG/CSS names.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from guidestudio.core.bundle.theme_css import COLOR_TOKENS

RGBA = tuple[float, float, float, float]  # 0–255 channels, alpha 0–1
#: WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5
#: (text colour, its background, what people read there): the pairs a guide draws.
CONTRAST_PAIRS = (("text", "surface", "Text on the card"),
                  ("on_primary", "primary", "Text on primary buttons and banners"))


def _channel(text: str, scale: float) -> float:
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100 * scale
    return float(text)


def parse_color(value: str) -> RGBA | None:
    """A CSS colour as (r, g, b, alpha), or None when a browser would not understand it.

    Hex is read the CSS way (#rrggbbaa: alpha last, where Qt puts it first), so
    is every functional form the schema allows; names go through Qt, which
    knows the same SVG/CSS colour names.
    """
    text = value.strip().lower()
    try:
        if text.startswith("#"):
            digits = text[1:]
            if len(digits) in (3, 4):
                digits = "".join(c * 2 for c in digits)
            if len(digits) not in (6, 8) or not re.fullmatch(r"[0-9a-f]+", digits):
                return None
            r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
            a = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
            return (r, g, b, a)
        match = re.fullmatch(r"(rgba?|hsla?)\((.*)\)", text)
        if match:
            parts = [p for p in re.split(r"[\s,]+", match.group(2).strip()) if p]
            if len(parts) not in (3, 4):
                return None
            alpha = _channel(parts[3], 1) if len(parts) == 4 else 1.0
            if match.group(1).startswith("rgb"):
                r, g, b = (_channel(p, 255) for p in parts[:3])
            else:
                hue = float(parts[0].removesuffix("deg")) % 360 / 360
                sat, light = (_channel(p, 1) for p in parts[1:3])
                r, g, b = (c * 255 for c in colorsys.hls_to_rgb(hue, light, sat))
            clamp = lambda x, top: min(max(x, 0.0), top)  # noqa: E731
            return (clamp(r, 255), clamp(g, 255), clamp(b, 255), clamp(alpha, 1))
    except ValueError:
        return None
    if text == "transparent":
        return (0, 0, 0, 0.0)
    if re.fullmatch(r"[a-z]+", text) and QColor.isValidColorName(text):
        color = QColor(text)
        return (color.red(), color.green(), color.blue(), 1.0)
    return None


def over(top: RGBA, below: RGBA) -> RGBA:
    """``top`` painted over ``below`` (alpha compositing), as what the eye finally sees."""
    a = top[3] + below[3] * (1 - top[3])
    if a == 0:
        return (0, 0, 0, 0.0)
    mix = [(top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a for i in range(3)]
    return (mix[0], mix[1], mix[2], a)


def luminance(color: RGBA) -> float:
    """WCAG 2 relative luminance of an opaque colour."""
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: RGBA, background: RGBA) -> float:
    """WCAG 2 contrast ratio (1–21) of text over a background, both on a white page."""
    page = (255.0, 255.0, 255.0, 1.0)
    back = over(background, page)
    front = over(foreground, back)
    high, low = sorted((luminance(front), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_of(color: QColor) -> str:
    """What the colour dialog's choice is written as: #rrggbb, or rgba() when see-through."""
    if color.alpha() == 255:
        return color.name(QColor.NameFormat.HexRgb)
    alpha = f"{color.alphaF():.2f}".rstrip("0").rstrip(".")
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {alpha or '0'})"


def qss(color: RGBA) -> str:
    """The colour as a Qt style sheet writes it."""
    r, g, b, a = color
    return f"rgba({round(r)}, {round(g)}, {round(b)}, {round(a * 255)})"


def swatch(color: RGBA | None) -> QIcon:
    """A small square of the colour (empty when there is none), for a colour button."""
    pixmap = QPixmap(20, 20)
    if color is None:
        pixmap.fill(Qt.GlobalColor.transparent)
    else:
        pixmap.fill(QColor(round(color[0]), round(color[1]), round(color[2]),
                           round(color[3] * 255)))
    return QIcon(pixmap)


def low_contrast(tokens: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(text colour, background, message) for each pair of a theme's resolved ``--gs-*``
    tokens whose contrast is under ``MIN_CONTRAST`` — a hint, the theme stays valid."""
    found = []
    for front, back, what in CONTRAST_PAIRS:
        fg = parse_color(tokens[COLOR_TOKENS[front]])
        bg = parse_color(tokens[COLOR_TOKENS[back]])
        ratio = None if fg is None or bg is None else contrast_ratio(fg, bg)
        if ratio is not None and ratio < MIN_CONTRAST:
            found.append((front, back, f"{what} has a contrast of {ratio:.1f}:1 "
                          f"({front.replace('_', ' ')} on {back}); at least "
                          f"{MIN_CONTRAST:g}:1 is easier to read."))
    return found
