"""Planning the write of one field so that the result is always a valid file.

Every form field of the editor writes through here (``widgets/kit/model_writes``
then makes the planned edit on the document); this is the "valid or nothing"
half of the binding helper, and it knows nothing of Qt:

* an empty optional field removes its key, and a section left with nothing in
  it (a schedule without start, end or zone) is removed too, rather than
  writing ``""`` or ``{}`` the schema would reject;
* a value for a section that does not exist yet (the first goal event typed)
  creates the section around it;
* an edit that would make the guide, segment, theme, project settings or
  sample profiles fail their JSON Schema is not made; the reason is given for
  the field to show.

The schema check is proportional to the edit: only the part of the file that
the schema judges together with the edited value is converted and validated
(``schema_parts``; for a title, the title). When that part is fine, so is the
file, if it was valid before; when it is not, the whole file is checked the
way it always was, for the same verdict and the same message.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from guidestudio.core import edits
from guidestudio.core.edits import MISSING
from guidestudio.core.files import schema_parts, schemas
from guidestudio.core.model import plain_data, to_dict

Path = tuple[Any, ...]
SCHEMA_OF = {"guides": "guide", "segments": "segment", "themes": "theme"}
_ABSENT = object()  # not in the file's plain data (unset, or not there at all)


@dataclass(frozen=True)
class FieldWrite:
    """The document edit that writing a field comes to, or why there is none.

    ``value`` is ``MISSING`` to clear ``path``; ``new_section`` means ``path`` is
    a section created around the field's value (never merged into the
    previous undo step); ``error``, when set, is why nothing may be written.
    """

    path: Path
    value: Any
    new_section: bool = False
    error: str | None = None


def plan_write(project: Any, path: Path, value: Any) -> FieldWrite:
    """What writing ``value`` (``MISSING`` clears) at ``path`` means for ``project``."""
    if value is MISSING:
        target = _clear_target(project, path)
        return FieldWrite(target, MISSING, error=schema_error(project, target, MISSING))
    parent = edits.get(project, path[:-1])
    if parent is not MISSING and parent is not None:
        return FieldWrite(path, value, error=schema_error(project, path, value))
    built = _build(project, path, value)
    if built is None:
        return FieldWrite(path, value,
                          error="this field belongs to something that no longer exists")
    at, obj = built
    return FieldWrite(at, obj, new_section=True, error=schema_error(project, at, obj))


# --- what an edit writes ---------------------------------------------------------------


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
    """The type a value under ``key`` of ``container`` has (``dict`` when unknown)."""
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


# --- the schema's verdict --------------------------------------------------------------


def file_data(project: Any, head: str) -> dict[str, Any]:
    """The plain data ``guidestudio.yaml`` ("settings") or ``profiles.yaml`` would hold."""
    if head == "settings":
        return to_dict(project.settings)
    return {"schema_version": 1, "profiles": [to_dict(p) for p in project.profiles]}


@dataclass(frozen=True)
class _File:
    """The file a model path is in: its schema, the model object the file's plain
    data is made from, the path inside that data, and how to make all of it."""

    schema: str
    root: Any
    rel: Path
    data: Callable[[], dict[str, Any]]


def _file_of(project: Any, path: Path) -> _File | None:
    """Guides, segments and themes are one file per entity; the project settings
    and the sample profiles are one file each, so a path inside them is checked
    against the whole file. Replacing a whole entity is not guarded."""
    head = path[0] if path else None
    if head in SCHEMA_OF and len(path) > 2:
        entity = edits.get(project, path[:2])
        if entity is MISSING or not dataclasses.is_dataclass(entity):
            return None
        return _File(SCHEMA_OF[head], entity, path[2:], lambda: to_dict(entity))
    if head == "settings":  # the whole file too: bindings save neighbouring fields together
        return _File("project", project.settings, path[1:],
                     lambda: file_data(project, "settings"))
    if head == "profiles" and len(path) > 1:
        return _File("profiles", project, path, lambda: file_data(project, "profiles"))
    return None


def schema_error(project: Any, path: Path, value: Any) -> str | None:
    """Why setting ``path`` to ``value`` would break the file's schema (None: it would not).

    Checked on the plain data the file would hold; files that are already
    invalid are not guarded, so an author can always edit their way out.
    """
    file = _file_of(project, path)
    if file is None or _part_stays_valid(file, value):
        return None
    after = _rejected_file(file, value)
    if after is None:
        return None
    errors = schemas.validate(file.schema, after)
    rel = file.rel
    related = [e for e in errors if e[0][:len(rel)] == rel or rel[:len(e[0])] == e[0]]
    where, message = (related or errors)[0]
    return f"{schemas.format_path(where)}: {message}" if where else message


def schema_allows(project: Any, path: Path, value: Any) -> bool:
    """``schema_error(...) is None`` without working out the message (which takes the
    slow, explaining validator): whether the edit may be written."""
    file = _file_of(project, path)
    return file is None or _part_stays_valid(file, value) or _rejected_file(file, value) is None


def _part_stays_valid(file: _File, value: Any) -> bool:
    """True if the part of the file the schema judges with this edit accepts it: then
    the file is valid after the edit if it was before. False: ask the whole file."""
    rel = file.rel
    if not rel:
        return False
    nodes = [file.root]  # the model objects on the way, each present in the file
    for part in rel[:-1]:
        node = _present(nodes[-1], part)
        if not isinstance(node, (dict, list)) and not _is_model_object(node):
            return False  # not in the file (or not a container): the whole file decides
        nodes.append(node)
    parent, key = nodes[-1], rel[-1]
    if _is_model_object(parent) and key not in _field_names(type(parent)):
        return False
    before = _present(parent, key)
    if isinstance(parent, list):
        if before is _ABSENT or value is MISSING:
            return False
        plain, kept = plain_data(value), True
    else:  # a mapping in the file: an empty value removes the key
        plain = MISSING if value is MISSING else plain_data(value)
        kept = plain is not MISSING and plain is not None and plain != []
    # The key stays in the file: the value alone may be judged; else what holds it.
    scope = rel if kept and before is not _ABSENT else rel[:-1]
    depth, part = schema_parts.judging_part(file.schema, scope)
    if depth == len(rel):
        return schemas.is_valid_part(part, plain)
    data = file.data() if depth == 0 else plain_data(nodes[depth])
    holder: Any = data
    for step in rel[depth:-1]:
        holder = holder[step]
    if kept:
        holder[key] = plain
    else:
        holder.pop(key, None)
    return schemas.is_valid_part(part, data)


def _is_model_object(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _present(node: Any, key: Any) -> Any:
    """``node``'s value under ``key`` if the file's plain data has it, else ``_ABSENT``."""
    if isinstance(node, dict):
        return node.get(key, _ABSENT)
    if isinstance(node, list):
        if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(node):
            return node[key]
        return _ABSENT
    if isinstance(key, str) and key in _field_names(type(node)):
        value = getattr(node, key)
        return _ABSENT if value is None or (isinstance(value, list) and not value) else value
    return _ABSENT


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def _rejected_file(file: _File, value: Any) -> dict[str, Any] | None:
    """The whole file's plain data after the edit if the schema accepted the file before
    and rejects it after; None otherwise."""
    before, rel = file.data(), file.rel
    if not schemas.is_valid(file.schema, before):
        return None
    after = _set_plain(before, rel, value) if rel else plain_data(value)
    if after is None or schemas.is_valid(file.schema, after):
        return None
    return after


def _set_plain(data: dict[str, Any], rel: Path, value: Any) -> dict[str, Any] | None:
    node: Any = data
    for part in rel[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    plain = plain_data(value)
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
