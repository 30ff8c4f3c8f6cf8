"""A theme's shadow, stacking and font as named choices, and what each writes to the file.

**Stacking.** The runtime puts every guide in a fixed box with
``z-index: var(--gs-z)`` (``guide-runtime.js``, ``render``), and the theme's
``z_index`` is that token (``core/bundle/theme_css.py``; not set: 2147483000,
just under the largest z-index browsers allow). So "above everything" is the
default — guides cover the product's own menus, pop-ups and dialogs, which is
what a prompt that must be seen wants — and "above the page" is 1000: over
ordinary page content, under the product's own overlays, which by common
practice stack at 1000 and more (dropdowns, sticky headers, modals). A file's
other numbers show as "Custom…" with the number.

**Shadow.** The step card's ``box-shadow`` (``base.css``: ``--gs-shadow``).
"Soft" is the built-in one, so it writes nothing (the key is cleared) and it
also stands for the soft shadows the example and new-project themes spell out
(one layer, 12 px down, 32 px blur, 18 % black or slate: indistinguishable on
screen); "Strong" is the example dark theme's. Anything else is "Custom…".
"""

from __future__ import annotations

from guidestudio.core.bundle.theme_css import DEFAULTS
from guidestudio.widgets.kit.preset_choice import Preset

#: The runtime's default stacking (--gs-z), written out in the example themes.
TOP_OF_EVERYTHING = int(DEFAULTS["--gs-z"])
#: Over the page's own content, under its overlays (see the module docstring).
PAGE_LEVEL = 1000

STACKING = (
    Preset("Above everything", None, TOP_OF_EVERYTHING),
    Preset("Above the page", PAGE_LEVEL),
)
STACKING_TIP = (
    "Whether guides may cover your product's own menus, pop-ups and dialogs.\n"
    "Above everything (the default): guides are always on top — for prompts that must be "
    "seen.\n"
    f"Above the page: guides cover the page's content, but the product's own overlays "
    f"(menus, pop-ups, dialogs) appear over them (CSS z-index {PAGE_LEVEL}).\n"
    "Custom…: any CSS z-index, for developers.")

SOFT_SHADOWS = ("0 12px 32px rgba(15, 23, 42, 0.18)",  # the example's light theme
                "0 12px 32px rgba(0, 0, 0, 0.18)",  # core/files/scaffold.py: new projects
                DEFAULTS["--gs-shadow"])
SHADOWS = (
    Preset("None", "none", ""),
    Preset("Soft", None, *SOFT_SHADOWS),
    Preset("Medium", "0 14px 36px rgba(15, 23, 42, 0.32)"),
    Preset("Strong", "0 16px 40px rgba(0, 0, 0, 0.5)"),
)
SHADOW_TIP = (
    "How much the guide's card seems to float above the page: no shadow, a soft one (the "
    "default), medium or strong. Custom… shows the shadow as CSS (box-shadow) to edit.")

#: Common web font stacks; any other family list can be typed.
FONT_STACKS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    '"Helvetica Neue", Helvetica, Arial, sans-serif',
    'Roboto, "Helvetica Neue", Arial, sans-serif',
    '"Open Sans", "Segoe UI", Arial, sans-serif',
    'Lato, "Helvetica Neue", Arial, sans-serif',
    'Georgia, "Times New Roman", Times, serif',
    '"Iowan Old Style", "Palatino Linotype", Palatino, Georgia, serif',
    'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
)
