"""A choice among named values, with "Custom…" for any other: CSS in words a designer uses.

A theme's shadow is CSS (``0 16px 40px rgba(0, 0, 0, 0.5)``) and its stacking a
z-index (``2147483000``); a marketer thinks "strong shadow", "above
everything". The choice list shows the names; a stored value that matches no
name shows as "Custom…" with the raw field below it, so every value a file may
hold stays visible and editable, and the raw field is there for whoever wants
it. Both widgets are bound to the same path, so each pick is one undoable edit
like any other field's.

Once "Custom…" is picked it stays picked while the author types in the raw
field, even if what they type happens to equal a named value — the list must
not jump and hide the field under their cursor. ``reset`` (another entity
shown) forgets it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.widgets.kit.bindings import PathFn
from guidestudio.widgets.kit.combo_data import combo_value
from guidestudio.widgets.kit.form_kit import Form, combo

CUSTOM = "\x00custom"
CUSTOM_LABEL = "Custom…"


def plain(value: Any) -> Any:
    """Text compared the way CSS reads it: case and spacing around , ( ) do not matter."""
    if not isinstance(value, str):
        return value
    text = re.sub(r"\s+", " ", value.strip().lower())
    return re.sub(r"\s*([,()])\s*", r"\1", text)


class Preset:
    """One named value: what picking it writes (None clears the key) and the stored values
    that count as it (the file's own spelling, the built-in default it stands for)."""

    def __init__(self, label: str, value: Any, *also: Any) -> None:
        self.label = label
        self.value = value
        self.matches = {plain(v) for v in (value, *also)}


class PresetChoice(QWidget):
    """The choice list over ``path_fn()`` and, for "Custom…", the ``custom`` field below it."""

    def __init__(self, form: Form, path_fn: PathFn, presets: Sequence[Preset], custom: QWidget,
                 tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = list(presets)
        self.path_fn = path_fn
        self.document = form.document
        self._custom_open = False
        self.combo = combo(tooltip, [(p.label, i) for i, p in enumerate(self.presets)]
                           + [(CUSTOM_LABEL, CUSTOM)], self)
        self.custom = custom
        custom.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.combo)
        layout.addWidget(custom)
        self.binding = form.field(self.combo, path_fn, from_model=self.choice_of,
                                  to_model=self.value_for)
        self.binding.displayed.connect(self._show_custom)
        self.combo.currentIndexChanged.connect(self._show_custom)
        form.field(custom, path_fn)
        self._show_custom()

    def choice_of(self, value: Any) -> Any:
        """The list entry for a stored value: a preset's index, or CUSTOM."""
        if self._custom_open:
            return CUSTOM
        key = plain(value)
        for index, preset in enumerate(self.presets):
            if key in preset.matches:
                return index
        return CUSTOM

    def value_for(self, choice: Any) -> Any:
        """What picking ``choice`` writes; "Custom…" writes nothing, it opens the raw field."""
        self._custom_open = choice == CUSTOM
        if choice == CUSTOM:
            path = self.path_fn()
            current = self.document.get(path, None) if path is not None else None
            return MISSING if current is None else current
        value = self.presets[choice].value
        return MISSING if value is None else value

    def current_label(self) -> str:
        return self.combo.currentText()

    def reset(self) -> None:
        """Another entity is shown: its value decides the entry again."""
        self._custom_open = False
        self.binding.refresh()

    def _show_custom(self, *_: Any) -> None:
        self.custom.setVisible(combo_value(self.combo) == CUSTOM)


__all__ = ["CUSTOM", "CUSTOM_LABEL", "Preset", "PresetChoice", "plain"]
