"""A condition (GrowthBook syntax) in the document, edited with the rule builder.

Guides (``audience.conditions``) and segments (``condition``) both hold one.
The rule builder is a plain widget that knows nothing of documents; this
adapter gives it the binding behaviour every field has: an author's edit
becomes one undoable edit (consecutive typing merges, so typing a value is one
undo step, while a chip added or removed, or a row moved, is a step of its own),
the builder is only reloaded for changes made elsewhere (reloading
it while someone types would rebuild the row under their cursor), and it
follows the selection lazily. It also keeps the builder's attribute catalogue
(``settings.attributes``) current, so labels follow the project settings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING, SetValue
from guidestudio.core.rules.as_written import same_as_written
from guidestudio.widgets.kit.bindings import write_value
from guidestudio.widgets.kit.editing import EditableDocument
from guidestudio.widgets.kit.marks import set_mark
from guidestudio.widgets.rules.builder import RuleBuilder

PathFn = Callable[[], tuple[Any, ...] | None]


class ConditionField(QWidget):
    """The rule builder bound to the condition at ``path_fn()``."""

    def __init__(self, document: EditableDocument, path_fn: PathFn, *, optional: bool = True,
                 tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.path_fn = path_fn
        self.optional = optional
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.builder = RuleBuilder(self)
        self.builder.setToolTip(tooltip)
        layout.addWidget(self.builder)
        self.builder.conditionEdited.connect(self._edited)
        document.changed.connect(self._changed)
        document.reset.connect(self.refresh)
        self._profiles_shown: list[Any] | None = None
        self._catalogue_shown: list[Any] | None = None
        self.refresh()

    def condition(self) -> dict[str, Any]:
        return self.builder.condition()

    def refresh(self) -> None:
        profiles = self.document.project.profiles
        if profiles is not self._profiles_shown:
            self._profiles_shown = profiles
            self.builder.set_profiles(profiles)
        self._show_catalogue()
        path = self.path_fn()
        value = self.document.get(path, None) if path is not None else None
        self.builder.set_condition(value if isinstance(value, dict) else None)
        self.setEnabled(path is not None)

    def show_problems(self, items: list[tuple[str, str, str]]) -> None:
        severity = ("error" if any(s == "error" for _, s, _ in items)
                    else "warning" if items else None)
        set_mark(self, "problems", severity,  # type: ignore[arg-type]
                 "\n".join(f"⚠ {m}" for _, _, m in items))

    def _edited(self, condition: dict[str, Any], mergeable: bool = True) -> None:
        path = self.path_fn()
        if path is None:
            return
        value: Any = condition
        if not condition and self.optional:
            value = MISSING  # no rules: everyone, which is what no condition means
        text = "Edit audience rules" if self.optional else "Edit segment rules"
        current = self.document.get(path, None)
        if value is not MISSING and _reordered(current, value):
            # Rows moved within an "all of" group only reorder the keys of one
            # object; a plain set would see an equal dict and write nothing.
            # Same content, so the schema check write_value makes cannot differ.
            self.document.apply(SetValue(path, value), "Move rule", origin=self,
                                mergeable=mergeable)
            error = None
        else:
            error = write_value(self.document, path, value, origin=self, merge=mergeable,
                                text=text)
        set_mark(self.builder, "unsaved", "error" if error else None,
                 f"Not saved yet: {error}" if error else "")

    def _show_catalogue(self) -> None:
        attributes = self.document.project.settings.attributes
        if attributes != self._catalogue_shown:
            self._catalogue_shown = copy.deepcopy(attributes)
            self.builder.set_catalogue(attributes)

    def _changed(self, change: Any) -> None:
        if change.touches(("settings", "attributes")):
            self._show_catalogue()
        if change.touches(("profiles",)):
            # Sample profiles edited in place: the same list object, so say it changed.
            self._profiles_shown = None
            self.builder.set_profiles(self.document.project.profiles)
            self._profiles_shown = self.document.project.profiles
            return
        if change.origin is self:
            return
        path = self.path_fn()
        if path is not None and change.touches(path):
            self.refresh()


def _reordered(old: Any, new: Any) -> bool:
    """Equal as data but not as written: only the order of some keys differs."""
    return old == new and not same_as_written(old, new)
