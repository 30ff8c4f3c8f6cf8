"""Variants (or locales) side by side: two to four live previews kept in step.

Each column is a full ``PreviewSurface`` with its own page, runtime and
off-the-record profile, so the columns cannot influence each other — exactly
as two users would see the guide. Navigation is shared: when one column moves
to another step (its Next button, or the pane's step buttons), the others
follow, so the designer always compares the same moment of the guide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from guidestudio.core.model import Guide
from guidestudio.widgets.preview.controls import language_name
from guidestudio.widgets.preview.surface import PreviewSurface

MAX_COLUMNS = 4


@dataclass(frozen=True)
class Column:
    """What one column shows: its label, and the variant and locale it overrides."""

    label: str  # the variant's name, or the language
    variant: str
    locale: str
    tag: str  # what its log rows say: the variant key, or the language


def columns_for(guide: Guide | None, locales: list[str], mode: str | None,
                variant: str | None, locale: str | None) -> list[Column]:
    """One column per variant (never the control group, which shows nothing), or per locale
    when asked or when there is only one variant; at most ``MAX_COLUMNS``."""
    if guide is None or not guide.variants:
        return []
    keys = [v.key for v in guide.variants]
    variant = variant if variant in keys else keys[0]
    if mode == "locales" or len(keys) < 2:
        return [Column(language_name(loc), variant, loc, loc) for loc in locales][:MAX_COLUMNS]
    return [Column(v.name or v.key, v.key, locale or locales[0], v.key)
            for v in guide.variants][:MAX_COLUMNS]


class _ColumnWidget(QWidget):
    """A label over a surface; re-emits the surface's news tagged with its label."""

    stepChanged = Signal(object, int)  # self, step
    runtimeEvent = Signal(str, dict, str)  # name, props, tag (variant key or language)

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.title = QLabel(column.label, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setToolTip(f"Language: {column.locale}" if column.tag == column.locale
                              else f"Analytics name: {column.variant}")
        self.surface = PreviewSurface(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.surface, 1)
        self.surface.stepChanged.connect(self._step)
        self.surface.runtimeEvent.connect(self._event)

    def _step(self, step: int) -> None:
        self.stepChanged.emit(self, step)

    def _event(self, name: str, props: dict[str, Any]) -> None:
        self.runtimeEvent.emit(name, props, self.column.tag)


class CompareView(QWidget):
    """Columns of live previews; the pane drives them like one surface."""

    runtimeEvent = Signal(str, dict, str)  # name, props, column tag
    consoleMessage = Signal(str, str, int, str)  # level, message, line, source
    stepChanged = Signal(int)
    loadFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns: list[_ColumnWidget] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._syncing = False

    @property
    def surfaces(self) -> list[PreviewSurface]:
        return [c.surface for c in self._columns]

    @property
    def column_widgets(self) -> list[QWidget]:
        """Each column: ``title`` (its name) over ``surface``."""
        return list(self._columns)

    @property
    def columns(self) -> list[Column]:
        return [c.column for c in self._columns]

    def set_columns(self, columns: list[Column]) -> None:
        """Rebuild the columns (at most four); pages are created only for new columns."""
        columns = columns[:MAX_COLUMNS]
        if columns == self.columns:
            return
        for widget in self._columns:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._columns = []
        for column in columns:
            widget = _ColumnWidget(column, self)
            widget.stepChanged.connect(self._column_step)
            widget.runtimeEvent.connect(self.runtimeEvent)
            widget.surface.consoleMessage.connect(self.consoleMessage)
            widget.surface.loadFailed.connect(self.loadFailed)
            self._layout.addWidget(widget, 1)
            self._columns.append(widget)

    def load(self, url: QUrl) -> None:
        for surface in self.surfaces:
            surface.load(url)

    def configure(self, state: dict[str, Any]) -> None:
        """The pane's state, with each column's own variant and locale (texts are edited in the
        single view, not in a comparison)."""
        for widget in self._columns:
            widget.surface.configure({**state, "variant": widget.column.variant,
                                      "locale": widget.column.locale, "edit": None})

    def update(self, guide_or_bundle: dict[str, Any],
               done: Callable[[Any], None] | None = None) -> None:
        """Re-render every column in place; ``done`` is called once (after the first)."""
        for i, surface in enumerate(self.surfaces):
            surface.update(guide_or_bundle, done if i == 0 else None)
        if not self.surfaces and done is not None:
            done(None)

    def show_step(self, index: int) -> None:
        for surface in self.surfaces:
            if surface.current_step != index:
                surface.show_step(index)

    def set_device(self, size: tuple[int, int] | str) -> None:
        for surface in self.surfaces:
            surface.set_device(size)

    def set_zoom(self, zoom: float | None) -> None:
        for surface in self.surfaces:
            surface.set_zoom(zoom)

    def _column_step(self, source: _ColumnWidget, step: int) -> None:
        """One column moved: the others follow (the moves they report back are ignored)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            for widget in self._columns:
                current = widget.surface.current_step
                # A column that has not shown anything yet starts on the same step anyway.
                if widget is not source and current >= 0 and current != step:
                    widget.surface.show_step(step)
        finally:
            self._syncing = False
        self.stepChanged.emit(step)
