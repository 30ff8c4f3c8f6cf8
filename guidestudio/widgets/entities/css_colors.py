"""CSS colours as a theme file writes them: read, composited, checked for contrast.

The theme editor shows each colour as a swatch, writes the colour dialog's
choice back as CSS, and tells when text would be hard to read on its background
(the WCAG 2 contrast ratio), so it needs to understand every colour form the
theme schema allows the way a browser does: that part is core's
(``core/css_color.py``), which the validator shares.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from guidestudio.core import css_color
from guidestudio.core.bundle.theme_css import COLOR_TOKENS

RGBA = css_color.RGBA
#: WCAG 2 AA for normal-size text.
MIN_CONTRAST = 4.5
#: (text colour, its background, what people read there): the pairs a guide draws.
CONTRAST_PAIRS = (("text", "surface", "Text on the card"),
                  ("on_primary", "primary", "Text on primary buttons and banners"))
# Reading colours and their contrast is core's (the validator needs them too, without Qt).
parse_color = css_color.parse_color
over = css_color.over
luminance = css_color.luminance
contrast_ratio = css_color.contrast_ratio


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
