"""What a widget may assume about the document it edits.

Widgets live below ``app/`` and must not import it, yet every form edits the
open project. This protocol is the whole contract: read with ``get``, write
with the edit methods (each becomes an undoable command), and follow
``changed`` — a ``Change`` with ``path``, ``origin`` and ``kind`` (see
``app/document.py``), where ``origin is self`` means "my own edit, don't reload".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import SignalInstance

from guidestudio.core.model import Project
from guidestudio.core.problems import FieldHint, Problem


class EditableDocument(Protocol):
    changed: SignalInstance  # Change
    reset: SignalInstance
    problemsChanged: SignalInstance
    validationProgress: SignalInstance  # (units checked, units in this pass)

    @property
    def project(self) -> Project: ...

    @property
    def validating(self) -> bool: ...  # problems are still being worked out

    @property
    def problems(self) -> list[Problem]: ...  # loading and validation found these

    @property
    def page_problems(self) -> list[Problem]: ...  # the host page on the canvas showed these

    def get(self, path: tuple[Any, ...], default: Any = None) -> Any: ...

    def set_page_problems(self, entity: tuple[str, ...], problems: Sequence[Problem],
                          hints: Mapping[tuple[Any, ...], FieldHint] | None = None
                          ) -> None: ...  # what the host page on the canvas showed

    def clear_page_problems(self) -> None: ...

    def field_hint(self, path: tuple[Any, ...]) -> FieldHint | None: ...

    def set_value(self, path: tuple[Any, ...], value: Any, text: str | None = None,
                  origin: Any = None, merge: bool | None = None) -> None: ...

    def clear_value(self, path: tuple[Any, ...], text: str | None = None,
                    origin: Any = None) -> None: ...

    def insert_item(self, path: tuple[Any, ...], index: int, item: Any, text: str,
                    origin: Any = None) -> None: ...

    def remove_item(self, path: tuple[Any, ...], index: int, text: str,
                    origin: Any = None) -> None: ...

    def move_item(self, path: tuple[Any, ...], source: int, dest: int, text: str,
                  origin: Any = None) -> None: ...

    def apply(self, edit: Any, text: str, origin: Any = None, mergeable: bool = False) -> None: ...


def all_problems(document: EditableDocument) -> list[Problem]:
    """Everything Problems, the tree's badges and the fields show: what checking the files
    found and what the canvas found on its page."""
    return [*document.problems, *document.page_problems]
