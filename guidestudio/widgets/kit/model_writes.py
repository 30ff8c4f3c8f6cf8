"""Writing one value into the project so that the result is always a valid file.

Every form field writes through ``write_value``; it is the "valid or nothing"
half of the binding helper (``bindings``), kept apart because it is about the
model, not about widgets:

* an empty optional field removes its key, and a section left with nothing in
  it (a schedule without start, end or zone) is removed too, rather than
  writing ``""`` or ``{}`` the schema would reject;
* a value for a section that does not exist yet (the first goal event typed)
  creates the section around it;
* an edit that would make the guide, segment, theme, project settings or
  sample profiles fail their JSON Schema is not made; the reason is returned
  for the field to show. Checked on the plain data the file would hold
  (``to_dict``), with the fast validator: well under a millisecond per keystroke.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from typing import Any, Union

from guidestudio.core import edits
from guidestudio.core.edits import MISSING
from guidestudio.core.files import schemas
from guidestudio.core.model import plain_data, to_dict
from guidestudio.widgets.kit.editing import EditableDocument

Path = tuple[Any, ...]
SCHEMA_OF = {"guides": "guide", "segments": "segment", "themes": "theme"}


def write_value(document: EditableDocument, path: Path, value: Any, *, origin: Any = None,
                text: str | None = None, merge: bool | None = None) -> str | None:
    """Write ``value`` (``MISSING`` clears) at ``path`` as one undo step.

    Returns None when written (or nothing to do), otherwise why it was not:
    the edit would make the entity invalid against its schema.
    """
    project = document.project
    if value is MISSING:
        target = _clear_target(project, path)
        error = _schema_error(project, target, MISSING)
        if error is None:
            document.clear_value(target, text=text, origin=origin)
        return error
    parent = edits.get(project, path[:-1])
    if parent is not MISSING and parent is not None:
        error = _schema_error(project, path, value)
        if error is None:
            document.set_value(path, value, text=text, origin=origin, merge=merge)
        return error
    built = _build(project, path, value)
    if built is None:
        return "this field belongs to something that no longer exists"
    at, obj = built
    error = _schema_error(project, at, obj)
    if error is None:
        document.set_value(at, obj, text=text, origin=origin, merge=False)
    return error


def _optional_slot(container: Any, key: Any) -> bool:
    if isinstance(container, dict):
        return True
    if dataclasses.is_dataclass(container) and isinstance(key, str):
        found = [f for f in dataclasses.fields(container) if f.name == key]
        return bool(found) and found[0].default is None
    return False


def _empty_without(node: Any, key: Any) -> bool:
    if isinstance(node, dict):
        return all(k == key for k in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        trimmed = copy.copy(node)
        setattr(trimmed, key, None)
        return not to_dict(trimmed)
    return False


def _clear_target(project: Any, path: Path) -> Path:
    """Clearing the last field of an optional section clears the section (never an entity)."""
    target = path
    # Never above the entity: guides/<id>/field, settings/field, profiles/<n>/field.
    shortest = 2 if path[:1] == ("settings",) else 3
    while len(target) > shortest:
        parent_path = target[:-1]
        parent = edits.get(project, parent_path)
        grand = edits.get(project, parent_path[:-1])
        if not (_optional_slot(grand, parent_path[-1]) and _empty_without(parent, target[-1])):
            break
        target = parent_path
    return target


def _unwrap(tp: Any) -> Any:
    if typing.get_origin(tp) in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return inner[0] if len(inner) == 1 else Any
    return tp


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def blank(tp: Any) -> Any:
    """An empty value of type ``tp``; required fields get empty values the schema judges."""
    tp = _unwrap(tp)
    if dataclasses.is_dataclass(tp):
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                kwargs[f.name] = blank(_hints(tp)[f.name])
        return tp(**kwargs)
    origin = typing.get_origin(tp) or tp
    simple = {str: "", dict: {}, list: [], int: 0, float: 0, bool: False}
    return copy.copy(simple.get(origin, {}))


def slot_type(container: Any, key: Any) -> Any:
    if dataclasses.is_dataclass(container) and isinstance(key, str):
        return _hints(type(container)).get(key, dict)
    return dict


def _put(container: Any, key: Any, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
    else:
        setattr(container, key, value)


def _build(project: Any, path: Path, value: Any) -> tuple[Path, Any] | None:
    """The nearest missing ancestor of ``path`` and a new object for it holding ``value``."""
    node = project
    for i, part in enumerate(path[:-1]):
        child = edits.get(node, (part,))
        if child is MISSING or child is None:
            if isinstance(node, list):
                return None  # list items are added by list editors, never invented here
            root = blank(slot_type(node, part))
            current = root
            for deeper in path[i + 1:-1]:
                nxt = blank(slot_type(current, deeper))
                _put(current, deeper, nxt)
                current = nxt
            _put(current, path[-1], value)
            return path[:i + 1], root
        node = child
    return None


def _schema_error(project: Any, path: Path, value: Any) -> str | None:
    """Why setting ``path`` to ``value`` would break the entity's schema (None: it would not).

    Checked on the plain data the file would hold; entities that are already
    invalid are not guarded, so an author can always edit their way out.
    """
    found = _checked_file(project, path)
    if found is None:
        return None
    name, before, rel = found
    if not schemas.is_valid(name, before):
        return None
    after = _set_plain(before, rel, value) if rel else plain_data(value)
    if after is None or schemas.is_valid(name, after):
        return None
    errors = schemas.validate(name, after)
    related = [e for e in errors if e[0][:len(rel)] == rel or rel[:len(e[0])] == e[0]]
    where, message = (related or errors)[0]
    return f"{schemas.format_path(where)}: {message}" if where else message


def file_data(project: Any, head: str) -> dict[str, Any]:
    """The plain data ``guidestudio.yaml`` ("settings") or ``profiles.yaml`` would hold."""
    if head == "settings":
        return to_dict(project.settings)
    return {"schema_version": 1, "profiles": [to_dict(p) for p in project.profiles]}


def _checked_file(project: Any, path: Path) -> tuple[str, dict[str, Any], Path] | None:
    """(schema, plain data of the file ``path`` is in, ``path`` inside that data), or None.

    Guides, segments and themes are one file per entity; the project settings
    and the sample profiles are one file each, so a path inside them is
    checked against the whole file. Replacing a whole entity is not guarded.
    """
    head = path[0] if path else None
    if head in SCHEMA_OF and len(path) > 2:
        entity = edits.get(project, path[:2])
        if entity is MISSING or not dataclasses.is_dataclass(entity):
            return None
        return SCHEMA_OF[head], to_dict(entity), path[2:]
    if head == "settings":  # the whole file too: bindings save neighbouring fields together
        return "project", file_data(project, "settings"), path[1:]
    if head == "profiles" and len(path) > 1:
        return "profiles", file_data(project, "profiles"), path
    return None


def _set_plain(data: dict[str, Any], rel: Path, value: Any) -> dict[str, Any] | None:
    node: Any = data
    for part in rel[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    plain = to_dict(value) if dataclasses.is_dataclass(value) else plain_data(value)
    key = rel[-1]
    if isinstance(node, dict):
        if value is MISSING or plain is None or plain == []:
            node.pop(key, None)
        else:
            node[key] = plain
    elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        node[key] = plain
    else:
        return None
    return data
