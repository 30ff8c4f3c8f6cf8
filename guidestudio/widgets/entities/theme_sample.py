"""A mock step card painted with a theme's tokens: what the theme editor shows beside
the fields.

It is a small Qt drawing, not the web preview: instant, no web engine, and it
follows a colour while the designer is still choosing it. It reads the resolved
``--gs-*`` tokens (``core.bundle.theme_css.theme_tokens``), so it shows what
the exported CSS will hold, approximating what Qt cannot draw (the first layer
of a box shadow, the first installed family of a font stack).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.bundle.theme_css import DEFAULTS
from guidestudio.widgets.entities.css_colors import RGBA, parse_color, qss

#: CSS generic families and system aliases: not font names to look for.
_GENERIC = {"sans-serif", "serif", "monospace", "system-ui", "-apple-system", "cursive",
            "fantasy", "ui-sans-serif", "ui-serif", "ui-monospace", "ui-rounded",
            "blinkmacsystemfont"}


def first_installed_family(stack: str) -> str:
    """The first family of a CSS font stack this computer has; the UI font otherwise."""
    installed = {f.lower(): f for f in QFontDatabase.families()}
    for part in stack.split(","):
        name = part.strip().strip("'\"").strip()
        if name.lower() in _GENERIC:
            continue
        if name.lower() in installed:
            return installed[name.lower()]
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()


def _px(value: str, fallback: float) -> float:
    match = re.match(r"\s*(-?[0-9.]+)", value)
    try:
        return float(match.group(1)) if match else fallback
    except ValueError:
        return fallback


def _first_shadow(shadow: str) -> tuple[float, float, float, RGBA] | None:
    """(x, y, blur, colour) of a CSS box-shadow's first layer; None for "none"/unreadable."""
    depth, words, word = 0, [], ""
    for ch in shadow + " ":
        if depth == 0 and ch == ",":
            break
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch.isspace():
            if word:
                words.append(word)
            word = ""
        else:
            word += ch
    if word:
        words.append(word)
    lengths: list[float] = []
    color: RGBA | None = (0.0, 0.0, 0.0, 0.3)
    for item in words:
        number = re.fullmatch(r"(-?[0-9]*\.?[0-9]+)(px)?", item)
        if number:
            lengths.append(float(number.group(1)))
        elif item.lower() != "inset":
            color = parse_color(item)
    if len(lengths) < 2 or color is None:
        return None
    return (lengths[0], lengths[1], lengths[2] if len(lengths) > 2 else 0.0, color)


class ThemeSample(QFrame):
    """A mock step card painted with a theme's tokens: page, backdrop, card, buttons, beacon."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setAccessibleName("Theme sample")
        self.setToolTip("A sketch of a step card in this theme, over a dimmed page: title, text, "
                        "progress, buttons and a hotspot beacon. The preview pane shows real "
                        "guides.")
        self.backdrop = QFrame(self)
        self.backdrop.setObjectName("backdrop")
        self.card = QFrame(self.backdrop)
        self.card.setObjectName("card")
        self.title = self._label("Welcome to Acme Cloud", "title")
        self.title.setWordWrap(True)
        self.body = self._label("Files you add here are shared with your team. "
                                "<u>Learn more</u>", "body")
        self.body.setWordWrap(True)
        self.progress = self._label("2 of 3", "muted")
        self.secondary = self._label("Back", "secondary")
        self.primary = self._label("Next", "primary")
        self.beacon = self._label("", "beacon")
        self.beacon.setFixedSize(18, 18)
        card = QVBoxLayout(self.card)
        card.setContentsMargins(20, 18, 20, 16)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.beacon, 0, Qt.AlignmentFlag.AlignTop)
        card.addLayout(head)
        card.addWidget(self.body)
        footer = QHBoxLayout()
        footer.addWidget(self.progress, 1)
        footer.addWidget(self.secondary)
        footer.addWidget(self.primary)
        card.addLayout(footer)
        inner = QVBoxLayout(self.backdrop)
        inner.setContentsMargins(24, 24, 24, 24)
        inner.addWidget(self.card)
        self.card.setMaximumWidth(340)  # the product's default tooltip width
        # No wider than the card and its margins: a wrapped label's height is worked out for
        # the page's width, so a card narrower than the page would cut its text off.
        self.setMaximumWidth(340 + 2 * 24)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.backdrop)
        self.shadow = QGraphicsDropShadowEffect(self.card)
        self.card.setGraphicsEffect(self.shadow)
        self.show_tokens(dict(DEFAULTS))

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self.card)
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        return label

    def show_tokens(self, tokens: dict[str, str]) -> None:
        """Restyle the sample with resolved ``--gs-*`` tokens (see ``theme_tokens``)."""
        def color(name: str) -> str:
            parsed = parse_color(tokens[name]) or parse_color(DEFAULTS[name])
            assert parsed is not None
            return qss(parsed)
        size = _px(tokens["--gs-font-size"], 15)
        radius = _px(tokens["--gs-radius"], 10)
        weight = tokens["--gs-heading-weight"]
        family = first_installed_family(tokens["--gs-font"]).replace('"', "")
        self.setStyleSheet(f"""
            QFrame#page {{ background: #d7dbe0; }}
            QFrame#backdrop {{ background: {color("--gs-backdrop")}; }}
            QFrame#card {{ background: {color("--gs-surface")};
                border: 1px solid {color("--gs-border")}; border-radius: {radius:g}px; }}
            QFrame#card QLabel {{ color: {color("--gs-text")}; font-family: "{family}";
                font-size: {size:g}px; background: transparent; border: none; }}
            QLabel#title {{ font-size: {size * 1.1:.1f}px; font-weight: {weight}; }}
            QFrame#card QLabel#muted {{ color: {color("--gs-muted")};
                font-size: {size * 0.85:.1f}px; }}
            QFrame#card QLabel#primary {{ background: {color("--gs-primary")};
                color: {color("--gs-on-primary")}; border-radius: {radius * 0.7:.1f}px;
                padding: 6px 14px; font-weight: {weight}; }}
            QFrame#card QLabel#secondary {{ border: 1px solid {color("--gs-border")};
                border-radius: {radius * 0.7:.1f}px; padding: 5px 13px;
                font-weight: {weight}; }}
            QFrame#card QLabel#beacon {{ background: {color("--gs-accent")};
                border: 3px solid {color("--gs-surface")}; border-radius: 9px; }}
        """)
        link = color("--gs-primary")
        self.body.setText("Files you add here are shared with your team. "
                          f'<span style="color: {link}; text-decoration: underline">'
                          "Learn more</span>")
        shadow = _first_shadow(tokens["--gs-shadow"])
        self.shadow.setEnabled(shadow is not None)
        if shadow is not None:
            x, y, blur, rgba = shadow
            self.shadow.setOffset(x, y)
            self.shadow.setBlurRadius(blur)
            self.shadow.setColor(QColor(round(rgba[0]), round(rgba[1]), round(rgba[2]),
                                        round(rgba[3] * 255)))
