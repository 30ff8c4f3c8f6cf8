"""The editor for whatever is selected in the project tree, built when first needed.

Guides get their forms (``widgets/guide/guide_editor.py``) in the inspector on
the right, beside the canvas; segments, themes, the project settings and the
sample profiles get theirs (``segment_editor.py``, ``theme_editor.py``,
``project_settings_form.py``, ``profiles_editor.py``) in the centre, where
their tables and rule builder have the width; a broken file gets its problems.
Each editor is imported and built when it is first shown, and per document:
the window appears, and a project opens, without paying for forms nobody has
looked at yet. If an editor's module cannot be loaded (a broken install), the
page says so instead of taking the window down — never a stand-in that
pretends to edit.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from guidestudio.widgets.kit.editing import EditableDocument

log = logging.getLogger(__name__)
#: When to start building a deferred editor: called with (then, timeout_ms).
Wait = Callable[[Callable[[], None], int], None]
#: kind -> (module, class, method that shows one entity); imported on first use
_WIDGETS = "guidestudio.widgets"
EDITORS = {
    "guide": (f"{_WIDGETS}.guide.guide_editor", "GuideEditor", "set_guide"),
    "segment": (f"{_WIDGETS}.entities.segment_editor", "SegmentEditor", "set_segment"),
    "theme": (f"{_WIDGETS}.entities.theme_editor", "ThemeEditor", "set_theme"),
    "settings": (f"{_WIDGETS}.entities.project_settings_form", "ProjectSettingsForm", "set_item"),
    "profiles": (f"{_WIDGETS}.entities.profiles_editor", "ProfilesEditor", "set_item"),
    "results": (f"{_WIDGETS}.results.results_view", "ResultsView", "set_item"),
}
#: Kinds whose editor sits in the inspector, next to the canvas; the others fill the centre.
INSPECTED = frozenset({"guide"})


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


class EditorPages(QObject):
    """The editor pages of the open document, each placed in the stack that shows its kind.

    ``inspector`` holds the guide editor, ``centre`` every other one. Neither
    stack is switched to something else here: the window decides what the
    centre shows around the pages (the canvas, the empty state).

    ``show_item(..., defer=True)`` builds an editor that does not exist yet a
    moment later (``DEFER_MS``): the first guide's canvas loads its page in the
    web engine, which needs the event loop, while the forms would hold it for a
    few hundred milliseconds. Anything that asks for the editor meanwhile
    (``current``, ``focus_field``) gets it built at once.
    """

    DEFER_MS = 250
    #: The longest a ``wait`` may put the building off (a slow or broken host page).
    WAIT_MS = 2000
    pageBuilt = Signal(str, object)  # kind, the editor just made

    def __init__(self, centre: QStackedWidget, inspector: QStackedWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hosts = {True: inspector, False: centre}
        self._document: EditableDocument | None = None
        self._pages: dict[str, QWidget] = {}
        self._pending: tuple[str, str] | None = None  # deferred show_item
        #: The deferred editor filled a turn before it is shown: (kind, key, editor).
        self._filled: tuple[str, str, QWidget] | None = None
        self.kind = ""  # the kind shown last ("" : nothing)

    def set_document(self, document: EditableDocument | None) -> None:
        """Editors belong to one document: drop them when another one is opened."""
        for page in self._pages.values():
            host = self._host(page)
            if host is not None:
                host.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self._pending = self._filled = None
        self._document = document
        self.kind = ""

    def _host(self, page: QWidget) -> QStackedWidget | None:
        for host in self._hosts.values():
            if host.indexOf(page) >= 0:
                return host
        return None

    def page(self, kind: str) -> QWidget:
        page = self._pages.get(kind)
        if page is None:
            assert self._document is not None
            host = self._hosts[kind in INSPECTED]
            if kind == "broken":
                page = notice("", host)
            else:
                module, cls_name, _setter = EDITORS[kind]
                cls = load_class(module, cls_name)
                page = cls(self._document, host) if cls is not None else notice(
                    f"The {kind} editor is not available: {module} could not be loaded "
                    "(see the log).", host)
            host.addWidget(page)
            self._pages[kind] = page
            self.pageBuilt.emit(kind, page)
        return page

    def built(self, kind: str) -> QWidget | None:
        """The editor for ``kind`` if it has been made (never makes one)."""
        return self._pages.get(kind)

    def show_item(self, kind: str, key: str, defer: bool = False,
                  wait: Wait | None = None) -> QWidget | None:
        """Bring the editor for one tree item up to date and current in its stack.

        Returns it; None for "" (nothing selected), without a document, or when
        ``defer`` put off building it (see the class docstring). ``wait(then,
        timeout_ms)``, if given, says when to start building instead of ``DEFER_MS``.
        """
        self._pending = None
        filled, self._filled = self._filled, None
        if self._document is None or not kind:
            self.kind = ""
            return None
        if defer and kind not in self._pages:
            self._pending = (kind, key)
            self.kind = kind
            if wait is not None:
                wait(self._prepare_pending, self.WAIT_MS)
            else:
                QTimer.singleShot(self.DEFER_MS, self, self._prepare_pending)
            return None
        page = self.page(kind)
        if filled is not None and filled == (kind, key, page):
            pass  # filled a turn ago (_fill_pending); it has followed the document since
        elif kind in EDITORS and hasattr(page, EDITORS[kind][2]):
            getattr(page, EDITORS[kind][2])(key)
        elif kind == "broken" and isinstance(page, QLabel):
            files = getattr(self._document, "files", None)
            problems = getattr(files, "broken", {}).get(key, [])
            page.setText(f"<b>{key}</b> could not be loaded, so it is not shown or saved; fix "
                         "it in a text editor and it reloads automatically.<br><br>"
                         + "<br>".join(p.format() for p in problems))
        self._hosts[kind in INSPECTED].setCurrentWidget(page)
        self.kind = kind
        return page

    def _prepare_pending(self) -> None:
        """Import the deferred editor's module in one turn, build it in the next (and its
        parts in one each, ``_build_more``), and fill it in the last: on a big project each
        holds the loop a while."""
        if self._pending is not None and self._pending[0] in EDITORS:
            module, name, _setter = EDITORS[self._pending[0]]
            load_class(module, name)
        QTimer.singleShot(0, self, self._build_pending)

    def _build_pending(self) -> None:
        if self._pending is not None and self._document is not None:
            self.page(self._pending[0])
        QTimer.singleShot(0, self, self._build_more)

    def _build_more(self) -> None:
        """An editor built in parts (its ``build_more()`` makes one, True while it did) gets
        a turn for each before it is filled."""
        page = self._pages.get(self._pending[0]) if self._pending is not None else None
        build_more = getattr(page, "build_more", None)
        if callable(build_more) and build_more():
            QTimer.singleShot(0, self, self._build_more)
        else:
            QTimer.singleShot(0, self, self._fill_pending)

    def _fill_pending(self) -> None:
        """The deferred editor is filled while hidden, and shown (laid out, painted) in the
        next turn."""
        pending = self._pending
        page = self._pages.get(pending[0]) if pending is not None else None
        if pending is not None and page is not None and pending[0] in EDITORS:
            setter = getattr(page, EDITORS[pending[0]][2], None)
            if callable(setter):
                setter(pending[1])
                self._filled = (pending[0], pending[1], page)
        QTimer.singleShot(0, self, self.flush)

    def flush(self) -> None:
        """Build and show the editor whose building was put off, if any."""
        if self._pending is not None:
            self.show_item(*self._pending)

    def current(self) -> QWidget | None:
        """The editor of the item shown last (None when nothing is)."""
        self.flush()
        return self._pages.get(self.kind) if self.kind else None

    def focus_field(self, field: str) -> None:
        """Put the cursor in ``field`` (a dotted path) when the editor can; else on the editor."""
        editor = self.current()
        if editor is None:
            return
        if field and hasattr(editor, "focus_field"):
            editor.focus_field(field)
        else:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
