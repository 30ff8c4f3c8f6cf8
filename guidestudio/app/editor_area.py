"""The centre of the window: the editor for whatever is selected in the project tree.

Guides, segments and themes get their forms (``widgets/guide/guide_editor.py``,
``segment_editor.py``, ``theme_editor.py``), the project settings and the
sample profiles theirs (``project_settings_form.py``, ``profiles_editor.py``),
a broken file gets its problems. Each editor is imported and built when it is
first shown, and per document: the window appears, and a project opens,
without paying for forms nobody has looked at yet. If an editor's module
cannot be loaded (a broken install), the page says so instead of taking the
window down — never a stand-in that pretends to edit.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from guidestudio.widgets.kit.editing import EditableDocument

log = logging.getLogger(__name__)
#: kind -> (module, class, method that shows one entity); imported on first use
_WIDGETS = "guidestudio.widgets"
EDITORS = {
    "guide": (f"{_WIDGETS}.guide.guide_editor", "GuideEditor", "set_guide"),
    "segment": (f"{_WIDGETS}.entities.segment_editor", "SegmentEditor", "set_segment"),
    "theme": (f"{_WIDGETS}.entities.theme_editor", "ThemeEditor", "set_theme"),
    "settings": (f"{_WIDGETS}.entities.project_settings_form", "ProjectSettingsForm", "set_item"),
    "profiles": (f"{_WIDGETS}.entities.profiles_editor", "ProfilesEditor", "set_item"),
}


def load_class(module: str, name: str) -> Any:
    """``module.name``, imported now; None (and the error logged) when it cannot be loaded."""
    try:
        return getattr(importlib.import_module(module), name)
    except Exception:  # a broken module must not take the window down
        log.exception("could not load %s.%s", module, name)
        return None


def notice(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMargin(24)
    return label


class EditorArea(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: EditableDocument | None = None
        self._pages: dict[str, QWidget] = {}
        self.empty = notice("Open a project, then choose a guide, segment or theme in the "
                            "project tree.", self)
        self.addWidget(self.empty)

    def set_document(self, document: EditableDocument | None) -> None:
        """Editors belong to one document: drop them when another one is opened."""
        for page in self._pages.values():
            self.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self._document = document
        self.setCurrentWidget(self.empty)

    def page(self, kind: str) -> QWidget:
        page = self._pages.get(kind)
        if page is None:
            assert self._document is not None
            if kind == "broken":
                page = notice("", self)
            else:
                module, cls_name, _setter = EDITORS[kind]
                cls = load_class(module, cls_name)
                page = cls(self._document, self) if cls is not None else notice(
                    f"The {kind} editor is not available: {module} could not be loaded "
                    "(see the log).", self)
            self.addWidget(page)
            self._pages[kind] = page
        return page

    def show_item(self, kind: str, key: str) -> QWidget:
        """Show the editor for one tree item ("" shows the hint)."""
        if self._document is None or not kind:
            self.setCurrentWidget(self.empty)
            return self.empty
        page = self.page(kind)
        if kind in EDITORS and hasattr(page, EDITORS[kind][2]):
            getattr(page, EDITORS[kind][2])(key)
        elif kind == "broken" and isinstance(page, QLabel):
            files = getattr(self._document, "files", None)
            problems = getattr(files, "broken", {}).get(key, [])
            page.setText(f"<b>{key}</b> could not be loaded, so it is not shown or saved; fix "
                         "it in a text editor and it reloads automatically.<br><br>"
                         + "<br>".join(p.format() for p in problems))
        self.setCurrentWidget(page)
        return page

    def focus_field(self, field: str) -> None:
        """Put the cursor in ``field`` (a dotted path) when the editor can; else on the editor."""
        editor = self.currentWidget()
        if field and hasattr(editor, "focus_field"):
            editor.focus_field(field)
        else:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
