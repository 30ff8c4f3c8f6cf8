"""Rules for ``themes/*.yaml``: colours that keyboard users and hotspots depend on.

WCAG 1.4.11 asks 3:1 for the parts of a control people must see: the focus ring
(a step's is the theme's accent on its surface; a banner's is on_primary on
primary) and the hotspot's beacon (the accent, drawn on the page, which a theme
expects to look like its surface). Below that, a keyboard user loses track of
where they are and the beacon fades into the page. A warning, not an error: the
theme still exports, and the message suggests a colour that would do.
"""

from __future__ import annotations

from guidestudio.core.css_color import (
    RGBA,
    contrast_ratio,
    hex_of,
    luminance,
    over,
    parse_color,
    reaching,
)
from guidestudio.core.model import Theme
from guidestudio.core.problems import Problem
from guidestudio.core.theme_tokens import COLOR_TOKENS, theme_tokens
from guidestudio.core.validate.reporting import Context, Reporter

#: WCAG 1.4.11, non-text contrast.
MIN_NON_TEXT = 3.0
# (the colour, its background, what it draws, what a reader loses without it)
_PAIRS = (
    ("accent", "surface", "draws the focus ring around buttons and the pulsing hotspot dot",
     "keyboard users cannot see which button they are on, and the dot fades into the page"),
    ("on_primary", "primary", "draws the focus ring on banners",
     "keyboard users cannot see which button of a banner they are on"),
)


def check_themes(ctx: Context, out: list[Problem]) -> None:
    """One warning per theme colour below 3:1 against the background it is drawn on."""
    for theme_id in sorted(ctx.project.themes):
        theme = ctx.project.themes[theme_id]
        r = Reporter(ctx.files, ctx.files.file_of("themes", theme_id), out)
        _check_theme(theme, r)


def _check_theme(theme: Theme, r: Reporter) -> None:
    tokens = theme_tokens(theme)  # as exported: unset or unusable colours are the defaults
    own = theme.colors or {}
    for name, back, draws, loses in _PAIRS:
        front_value, back_value = tokens[COLOR_TOKENS[name]], tokens[COLOR_TOKENS[back]]
        front, background = parse_color(front_value), parse_color(back_value)
        if front is None or background is None:
            continue  # the schema or the export says what is wrong with it
        ratio = contrast_ratio(front, background)
        if ratio >= MIN_NON_TEXT:
            continue
        better = reaching(front, background, MIN_NON_TEXT)
        suggestion = f"; {hex_of(better)} would do" if better is not None else ""
        source = "" if name in own else " (the default, as the theme sets none)"
        r.warn(("colors", name), "theme-contrast",
               f"the {name.replace('_', ' ')} colour {front_value}{source} {draws}, but on the "
               f"{back} colour {back_value} it has a contrast of {ratio:.1f}:1 and needs at least "
               f"{MIN_NON_TEXT:g}:1 (WCAG 1.4.11): {loses}. Pick a "
               f"{'darker' if _darker(background) else 'lighter'} {name.replace('_', ' ')} "
               f"colour{suggestion}")


def _darker(background: RGBA) -> bool:
    """A light background needs a darker colour to stand out, a dark one a lighter colour."""
    return luminance(over(background, (255.0, 255.0, 255.0, 1.0))) > 0.18
