"""Choice lists (QComboBox) whose "not set" option is a value of its own.

An option such as "Project theme" or "Automatic" means "leave the key out of
the file". Giving it the data ``UNSET`` rather than None keeps it distinct
from an item with no data at all, and keeps Qt from handing Python invalid
QVariants as None (PySide6 6.12's abi3 build on CPython 3.11 mis-counts
references on such returns). Every read goes through ``combo_value``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

UNSET = "\x00unset"


def combo_value(box: QComboBox) -> Any:
    """The selected option's value; None for "not set" or nothing selected."""
    index = box.currentIndex()
    if index < 0:
        return None
    data = box.itemData(index)
    return None if data == UNSET else data


def add_option(box: QComboBox, label: str, value: Any) -> None:
    box.addItem(label, UNSET if value is None else value)


def set_options(box: QComboBox, options: Sequence[tuple[str, Any]]) -> bool:
    """Replace the options (keeping the selection's value); False if they were already so."""
    wanted = [(label, UNSET if value is None else value) for label, value in options]
    if [(box.itemText(i), box.itemData(i)) for i in range(box.count())] == wanted:
        return False
    with QSignalBlocker(box):
        box.clear()
        for label, value in wanted:
            box.addItem(label, value)
    return True


def find_value(box: QComboBox, value: Any) -> int:
    wanted = UNSET if value is None else value
    for i in range(box.count()):
        if box.itemData(i) == wanted:
            return i
    return -1
