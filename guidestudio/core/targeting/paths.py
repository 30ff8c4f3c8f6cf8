"""Dotted attribute paths (``account.plan``, ``tags.0``, ``tags.length``).

A condition's keys name attributes by path; a lookup behaves like JavaScript
property access on the user's attributes, where anything missing is null.
The simulation, the eligibility rules and the explanations look paths up the
same way, so the lookup lives on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core.targeting.js_values import (
    ARRAY_TYPES,
    INHERITED_NAMES,
    inherited_property,
    is_index_key,
)

_PATH_CACHE: dict[str, tuple[str, ...]] = {}


def get_path(obj: Any, path: str) -> Any:
    """Dotted lookup; anything missing (or a step through a non-object) is null.
    As in JS, an array step takes an index or ``length``, and a name every
    object or array inherits (``toString``, ``constructor``, ``__proto__``,
    ``map``…) reads the prototype's (``js_values.inherited_property``)."""
    parts = _PATH_CACHE.get(path)
    if parts is None:
        if len(_PATH_CACHE) > 65536:
            _PATH_CACHE.clear()
        parts = _PATH_CACHE[path] = tuple(path.split("."))
    if len(parts) == 1 and type(obj) is dict:
        value = obj.get(path)
        if value is None and path in INHERITED_NAMES and path not in obj:
            return inherited_property(obj, path)
        return value
    current = obj
    for part in parts:
        if type(current) is dict or (
                isinstance(current, Mapping) and not isinstance(current, ARRAY_TYPES)):
            value = current.get(part)
            if value is None:
                if part not in INHERITED_NAMES or part in current:
                    return None
                value = inherited_property(current, part)
                if value is None:
                    return None
            current = value
        elif isinstance(current, ARRAY_TYPES):
            if part == "length":
                current = len(current)
            elif is_index_key(part) and int(part) < len(current):
                current = current[int(part)]
            elif part in INHERITED_NAMES:
                current = inherited_property(current, part)
                if current is None:
                    return None
            else:
                return None
        else:
            return None
    return current


def path_exists(obj: Any, path: str) -> bool:
    """Is there a value at ``path``, even null? An explanation says "missing"
    rather than "was null" only when there is not."""
    current = obj
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, ARRAY_TYPES) and is_index_key(part) and int(part) < len(current):
            current = current[int(part)]
        else:
            return False
    return True
