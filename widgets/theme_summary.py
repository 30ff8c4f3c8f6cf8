"""A read-only summary of a theme's design tokens (colours with swatches, font, radius…).

Themes are a designer's file; the marketer needs to see which theme is which,
not to edit it here, so this is a table that follows the document and writes
nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from widgets.editing import EditableDocument


def _swatch(value: str) -> QIcon:
    color = QColor(value)
    if not color.isValid():
        text = value.strip()
        if text.startswith("rgba(") and text.endswith(")"):
            parts = [p.strip() for p in text[5:-1].split(",")]
            try:
                r, g, b = (int(float(p)) for p in parts[:3])
                color = QColor(r, g, b, int(float(parts[3]) * 255))
            except (ValueError, IndexError):
                return QIcon()
        else:
            return QIcon()
    pixmap = QPixmap(16, 16)
    pixmap.fill(color)
    return QIcon(pixmap)


class ThemeSummary(QWidget):
    def __init__(self, document: EditableDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._theme_id: str | None = None
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setColumnCount(2)
        self.table.setHeaderLabels(["Token", "Value"])
        self.table.setRootIsDecorated(False)
        self.table.setToolTip("The theme's design tokens, as the exported CSS custom properties "
                              "use them. Themes are edited in their YAML file.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        document.changed.connect(self._on_changed)
        document.reset.connect(self.refresh)
        self.setFocusProxy(self.table)

    def set_theme(self, theme_id: str | None) -> None:
        self._theme_id = theme_id
        self.refresh()

    def _on_changed(self, change: Any) -> None:
        path = tuple(change.path)
        if self._theme_id is not None and (not path or path[:2] == ("themes", self._theme_id)
                                           or path == ("themes",)):
            self.refresh()

    def refresh(self) -> None:
        self.table.clear()
        theme = self._document.project.themes.get(self._theme_id) if self._theme_id else None
        if theme is None:
            self.heading.setText("No theme selected.")
            return
        default = self._document.project.settings.theme == theme.id
        self.heading.setText(f"<b>{theme.name}</b> — <code>themes/{theme.id}.yaml</code>"
                             + (" (the project's default theme)" if default else "")
                             + "<br>Read-only here: edit the theme file to change it.")
        for key, value in (theme.colors or {}).items():
            item = QTreeWidgetItem([f"colors.{key}", str(value)])
            item.setIcon(1, _swatch(str(value)))
            self.table.addTopLevelItem(item)
        for key, value in (theme.font or {}).items():
            self.table.addTopLevelItem(QTreeWidgetItem([f"font.{key}", str(value)]))
        for key in ("radius", "shadow", "z_index"):
            value = getattr(theme, key)
            if value is not None:
                self.table.addTopLevelItem(QTreeWidgetItem([key, str(value)]))
        self.table.resizeColumnToContents(0)
