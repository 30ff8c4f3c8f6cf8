"""Problems of the entity being edited, shown on the fields they are about.

The problems panel lists every problem; a form should also show, right on the
field, that *this* value is wrong and why. ``FieldMarks`` keeps a registry of
fields (a widget and a function giving its path inside the entity, evaluated
lazily because the selected variant and step change) and, whenever the
document revalidates, marks each field with the problems at or below its path.
The same registry answers ``focus_field``: which widget shows
``variants[0].steps[1].title``.

Besides the validator's problems it checks the entity against its JSON Schema
itself: the document's validation pass assumes files that loaded, so a value
the schema rejects would otherwise be told nowhere until the next load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from guidestudio.core import edits
from guidestudio.core.field_writes import SCHEMA_OF, file_data
from guidestudio.core.files import schemas
from guidestudio.core.model import to_dict
from guidestudio.core.problems import Problem
from guidestudio.widgets.kit.editing import EditableDocument, all_problems
from guidestudio.widgets.kit.marks import set_mark

FieldFn = Callable[[], tuple[Any, ...] | None]
#: (field, severity, message), field dotted like Problem.field.
Item = tuple[str, str, str]
#: Model heads kept in one file each: (file, schema).
SINGLE_FILES = {"settings": ("guidestudio.yaml", "project"),
                "profiles": ("profiles.yaml", "profiles")}


def is_under(field: str, prefix: str) -> bool:
    """``variants[0].steps`` is under ``variants[0]``; ``variants[10]`` is not under
    ``variants[1]`` — a plain ``startswith`` would say it is."""
    if not prefix:
        return True
    return field == prefix or field.startswith((prefix + ".", prefix + "["))


def entity_problems(document: EditableDocument, folder: str, entity_id: str) -> list[Item]:
    """Validator problems of one guide or segment, plus schema errors of its current state.

    ``folder`` "settings" or "profiles" (``entity_id`` ignored) means the file
    ``guidestudio.yaml`` or ``profiles.yaml``, each edited as one entity.
    """
    if folder in SINGLE_FILES:
        return _file_problems(document, folder)
    files = getattr(document, "files", None)
    if files is not None:
        names = {files.file_of(folder, entity_id)}
    else:
        names = {f"{folder}/{entity_id}.yaml", f"{folder}/{entity_id}.yml"}
    out: list[Item] = []
    for problem in all_problems(document):
        if problem.file in names or _same_entity(problem, folder, entity_id):
            out.append((problem.field, problem.severity, _words(document, problem)))
    entity = edits.get(document.project, (folder, entity_id))
    name = SCHEMA_OF.get(folder)
    if name and dataclasses.is_dataclass(entity) and not isinstance(entity, type):
        for path, message in schemas.validate(name, to_dict(entity)):
            item = (schemas.format_path(path), "error", _plain(document, message))
            if item not in out:
                out.append(item)
    return out


def _words(document: EditableDocument, problem: Problem) -> str:
    """The problem as a field's mark says it: in the forms' words, not the file's."""
    from guidestudio.core.describe import problem_words  # loaded once problems show

    return problem_words(document.project, problem)


def _plain(document: EditableDocument, message: str) -> str:
    from guidestudio.core.describe.problem_words import plain

    text = plain(document.project, message)
    return text[:1].upper() + text[1:]


def _file_problems(document: EditableDocument, head: str) -> list[Item]:
    rel, schema_name = SINGLE_FILES[head]
    out: list[Item] = [(p.field, p.severity, _words(document, p)) for p in all_problems(document)
                       if p.file == rel]
    for path, message in schemas.validate(schema_name, file_data(document.project, head)):
        item = (schemas.format_path(path), "error", _plain(document, message))
        if item not in out:
            out.append(item)
    return out


def _same_entity(problem: Problem, folder: str, entity_id: str) -> bool:
    if entity_id not in problem.file or folder not in problem.file:
        return False  # most problems are another entity's: no path to make (2,000 guides)
    path = PurePosixPath(problem.file)
    return path.parent.name == folder and path.stem == entity_id


class FieldMarks(QObject):
    """Marks registered fields with the problems of one entity; finds a field's widget."""

    def __init__(self, document: EditableDocument, entity_fn: Callable[[], tuple[str, str] | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._entity_fn = entity_fn
        self._fields: list[tuple[QWidget, FieldFn, bool]] = []
        self._items: list[Item] = []
        document.problemsChanged.connect(self.update)
        document.reset.connect(self.update)

    def watch(self, widget: QWidget, field_fn: FieldFn, deep: bool = True) -> None:
        """Register ``widget`` as the field at ``field_fn()`` (a path inside the entity).

        ``deep`` fields also show problems below their path (a section shows
        what is wrong inside it); a list of items may pass False.
        """
        self._fields.append((widget, field_fn, deep))
        self._apply(widget, field_fn, deep)

    def items(self) -> list[Item]:
        return list(self._items)

    def items_under(self, prefix: str) -> list[Item]:
        return [item for item in self._items if is_under(item[0], prefix)]

    def update(self) -> None:
        """Recompute the entity's problems and re-mark every field."""
        entity = self._entity_fn()
        self._items = entity_problems(self._document, *entity) if entity else []
        alive = []
        for widget, field_fn, deep in self._fields:
            if shiboken6.isValid(widget):
                alive.append((widget, field_fn, deep))
                self._apply(widget, field_fn, deep)
        self._fields = alive

    def widget_for(self, field: str) -> tuple[QWidget, str] | None:
        """The field best matching ``field`` (the longest registered prefix) and the rest."""
        best: tuple[int, QWidget, str] | None = None
        for widget, field_fn, _deep in self._fields:
            if not shiboken6.isValid(widget):
                continue
            path = field_fn()
            if path is None:
                continue
            mine = schemas.format_path(path)
            if is_under(field, mine) and (best is None or len(mine) > best[0]):
                rest = field[len(mine):].lstrip(".")
                best = (len(mine), widget, rest)
        return None if best is None else (best[1], best[2])

    def _apply(self, widget: QWidget, field_fn: FieldFn, deep: bool) -> None:
        path = field_fn()
        mine = schemas.format_path(path) if path is not None else None
        found = [] if mine is None else [
            (field[len(mine):].lstrip("."), severity, message)
            for field, severity, message in self._items
            if field == mine or (deep and is_under(field, mine))]
        show = getattr(widget, "show_problems", None)
        if callable(show):
            show(found)
            return
        severity = ("error" if any(s == "error" for _, s, _ in found)
                    else "warning" if found else None)
        set_mark(widget, "problems", severity,  # type: ignore[arg-type]
                 "\n".join(f"⚠ {message}" for _, _, message in found))
