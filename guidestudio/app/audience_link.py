"""The window's side of audience sizes: one counter per open project, its users table kept
in the user's settings, handed to the editors that show a size.

The users table is the user's (an export on their disk, or a DuckDB database), so it is
remembered per project folder in the user's settings (``settings_store.users_table``),
never written into the project, as the Results view's event files are. The counter
outlives the editors' visits, so its cache serves every guide and segment of the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from guidestudio.app import settings_store
from guidestudio.widgets.rules.audience_sizes import AudienceSizes

if TYPE_CHECKING:
    from guidestudio.widgets.kit.editing import EditableDocument


class AudienceLink(QObject):
    def __init__(self, window: Any) -> None:
        """``window``: the main window (its editor area)."""
        super().__init__(window)
        self.window = window
        self.sizes: AudienceSizes | None = None
        self._root: Path | None = None

    def set_document(self, document: EditableDocument | None) -> None:
        if self.sizes is not None:
            self.sizes.shutdown()
            self.sizes.deleteLater()
            self.sizes = None
        root = getattr(document, "root", None)
        self._root = Path(root) if root is not None else None
        if document is None:
            return
        table = settings_store.users_table(self._root) if self._root is not None else ""
        self.sizes = AudienceSizes(table, self)
        self.sizes.tableChosen.connect(self._remember)
        for kind in ("guide", "segment"):  # editors built before (none, usually)
            page = self.window.editors.built(kind)
            if page is not None:
                self.page_built(kind, page)

    def root_changed(self, root: Any) -> None:
        """Save As moved the project: its users table goes with it."""
        self._root = Path(root)
        if self.sizes is not None and self.sizes.table:
            settings_store.set_users_table(self._root, self.sizes.table)

    def _remember(self, spec: str) -> None:
        if self._root is not None:
            settings_store.set_users_table(self._root, spec)

    def page_built(self, kind: str, page: Any) -> None:
        set_sizes = getattr(page, "set_audience_sizes", None)
        if kind in ("guide", "segment") and callable(set_sizes):
            set_sizes(self.sizes)
