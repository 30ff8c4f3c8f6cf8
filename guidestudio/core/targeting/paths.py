"""Dotted attribute paths (``account.plan``, ``tags.0``, ``tags.length``).

A condition's keys name attributes by path; a lookup behaves like JavaScript
property access on the user's attributes, where anything missing is null.
The simulation, the eligibility rules and the explanations look paths up the
same way, so the lookup lives on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidestudio.core.targeting.js_values import ARRAY_TYPES, is_index_key

_PATH_CACHE: dict[str, tuple[str, ...]] = {}


def get_path(obj: Any, path: str) -> Any:
    """Dotted lookup; anything missing (or a step through a non-object) is null.
    As in JS, an array step takes an index or ``length``."""
    parts = _PATH_CACHE.get(path)
    if parts is None:
        if len(_PATH_CACHE) > 65536:
            _PATH_CACHE.clear()
        parts = _PATH_CACHE[path] = tuple(path.split("."))
    if len(parts) == 1 and type(obj) is dict:
        return obj.get(path)
    current = obj
    for part in parts:
        t = type(current)
        if t is dict:
            current = current.get(part)
            if current is None:
                return None
        elif isinstance(current, ARRAY_TYPES):
            if part == "length":
                current = len(current)
            elif is_index_key(part) and int(part) < len(current):
                current = current[int(part)]
            else:
                return None
        elif isinstance(current, Mapping):
            current = current.get(part)
            if current is None:
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
