"""The system switching between light and dark while the app runs restyles everything."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from guidestudio.app import theme
from guidestudio.app.main_window import MainWindow

WINDOW = QPalette.ColorRole.Window


def lightness(widget: Any) -> int:
    return widget.palette().color(WINDOW).lightness()


def icon_lightness(window: MainWindow) -> int:
    image = window.actions_.save.icon().pixmap(24, 24).toImage()
    inked = [image.pixelColor(x, y) for y in range(24) for x in range(24)
             if image.pixelColor(x, y).alpha() > 200]
    assert inked
    return max(c.lightness() for c in inked)


def switch_system_to(scheme: Qt.ColorScheme) -> None:
    QGuiApplication.styleHints().colorSchemeChanged.emit(scheme)
    QApplication.processEvents()


def test_switching_the_system_scheme_restyles_the_styled_forms_too(window: MainWindow) -> None:
    try:
        window.actions_.theme_actions["system"].trigger()
        switch_system_to(Qt.ColorScheme.Light)
        window.tree.select("guide", "nps-survey")
        editor = window.current_editor()  # its forms carry a style sheet of their own
        assert editor.styleSheet()
        assert lightness(editor) > 180 and lightness(window.tree) > 180
        dark_ink = icon_lightness(window)
        switch_system_to(Qt.ColorScheme.Dark)
        assert lightness(window.tree) < 80
        assert lightness(editor) < 80  # it used to stay light, its header black on grey
        assert icon_lightness(window) > dark_ink  # the toolbar's icons are drawn again
        switch_system_to(Qt.ColorScheme.Light)
        assert lightness(editor) > 180
    finally:
        switch_system_to(Qt.ColorScheme.Unknown)
        theme.apply_theme("light")
