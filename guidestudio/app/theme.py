"""Light and dark palettes on the Fusion style, following the system unless overridden.

Fusion looks the same on every platform and honours a QPalette fully, so one
hand-made dark palette is enough — but Fusion outlines a tick box (and a radio
button) in a shade of its widget's window colour, which on the dark palette is
as dark as the field around it: an unticked box showed nothing to tick. Tick
boxes and radio buttons therefore get a palette of their own with a light
window colour (``TICK_CLASSES``); they do not paint their window colour and hold
no other widgets, so only the outline changes. (Checkable group boxes and lists
do hold others: ``widgets/kit/tick_style.py``.) "system" follows ``QStyleHints.colorScheme``
and its change signal; the View menu can force light or dark.

A new application palette reaches every widget (as a ``PaletteChange`` event)
except those with a style sheet: Qt's style-sheet style fixes their palette
when it polishes them, so a form styled in light mode stayed light after the
system turned dark. ``restyle`` polishes them again with the new palette.
Widgets that compute colours from the palette themselves do so again on
``changeEvent(PaletteChange)``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from guidestudio.widgets.kit.tick_style import DARK_TICK_OUTLINE

MODES = ("system", "light", "dark")
_state: dict[str, object] = {"mode": "system", "connected": False, "scheme": None}


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    base, window, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#e6e6e6")
    for r, c in ((role.Window, window), (role.WindowText, text), (role.Base, base),
                 (role.AlternateBase, QColor("#26282c")), (role.ToolTipBase, QColor("#3a3d42")),
                 (role.ToolTipText, text), (role.PlaceholderText, QColor("#8b8f96")),
                 (role.Text, text), (role.Button, window), (role.ButtonText, text),
                 (role.BrightText, QColor("#ff6b6b")), (role.Link, QColor("#7aa7ff")),
                 (role.Highlight, QColor("#3d6fd6")), (role.HighlightedText, QColor("#ffffff")),
                 (role.Light, QColor("#3a3d42")), (role.Midlight, QColor("#34363b")),
                 (role.Mid, QColor("#232427")), (role.Dark, QColor("#18191b")),
                 (role.Shadow, QColor("#000000"))):
        p.setColor(r, c)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#6f737a"))
    return p


#: The widget classes whose tick boxes Fusion outlines with their window colour.
TICK_CLASSES = ("QCheckBox", "QRadioButton")
#: The window colour each gives Fusion on a dark palette. A tick box's edge is that colour
#: made 1.4× darker (``DARK_TICK_OUTLINE``); a radio button's ring is 1.5× darker and one
#: anti-aliased pixel thin, so from the box's colour it came out fainter than the box
#: (#81848b against #999da5): from white it is #aaaaaa, as clear as the box beside it.
_DARK_TICK_WINDOWS = {"QCheckBox": DARK_TICK_OUTLINE.lighter(140),
                      "QRadioButton": QColor("#ffffff")}


def tick_palette(palette: QPalette, name: str = "QCheckBox") -> QPalette:
    """``palette`` with a window colour whose Fusion outline of a ``name`` (one of
    ``TICK_CLASSES``) shows on its fields."""
    if palette.color(QPalette.ColorRole.Base).lightness() >= 128:
        return palette
    ticks = QPalette(palette)
    ticks.setColor(QPalette.ColorRole.Window, _DARK_TICK_WINDOWS[name])
    return ticks


def is_dark(mode: str) -> bool:
    if mode == "dark":
        return True
    if mode == "light":
        return False
    # The scheme the last change signal announced wins: some platforms report the new
    # scheme in the signal before (or without) ``colorScheme()`` following.
    scheme = _state["scheme"] or QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def apply_theme(mode: str) -> None:
    """Apply "system", "light" or "dark" to the running application."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    _state["mode"] = mode if mode in MODES else "system"
    if app.style().name().lower() != "fusion":
        app.setStyle(QStyleFactory.create("Fusion"))
    palette = dark_palette() if is_dark(_state["mode"]) else app.style().standardPalette()
    if palette != app.palette():
        app.setPalette(palette)
        for name in TICK_CLASSES:
            app.setPalette(tick_palette(palette, name), name)
        restyle(app)
    if not _state["connected"]:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_scheme_changed)
        _state["connected"] = True


def restyle(app: QApplication) -> None:
    """Polish every widget that has a style sheet again, against the current palette.

    Setting the same sheet again is what makes Qt recompute it; only widgets
    with a sheet of their own are touched (a few dozen in the forms), and only
    when the palette really changed.
    """
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


def current_mode() -> str:
    return str(_state["mode"])


def _scheme_changed(scheme: Qt.ColorScheme) -> None:
    _state["scheme"] = scheme if scheme != Qt.ColorScheme.Unknown else None
    if _state["mode"] == "system":
        apply_theme("system")
