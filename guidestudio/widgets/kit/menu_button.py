"""Buttons that open a menu: their arrow after their words, never on them.

Fusion paints the menu arrow of a text-only ``QToolButton`` (one that opens its menu
when clicked) in the button's bottom-right corner, inside the area its text is
centred in, and sizes the button for the text alone: "Personalise" had its last
letter under the arrow. Such buttons say "▾" after their text instead, laid out
with it, and the painted arrow is hidden.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QToolButton

#: What follows a menu button's words.
MENU_ARROW = "▾"
_NO_PAINTED_ARROW = "QToolButton::menu-indicator { image: none; width: 0px; }"


def menu_button(button: QToolButton, text: str, menu: QMenu) -> None:
    """Make ``button`` say ``text`` and open ``menu`` on a click, its arrow after the text."""
    button.setText(f"{text} {MENU_ARROW}")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setStyleSheet(_NO_PAINTED_ARROW)
    button.setMenu(menu)
