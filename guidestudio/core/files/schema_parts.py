"""Which part of a file's JSON Schema alone decides a change at a path.

The editor checks every keystroke against the file's schema. Validating the
whole guide each time costs in proportion to the guide, yet a change to one
value can only break what the schema says *about that value*: a step title's
text is judged by the title's own sub-schema, not by the guide's. Walking the
schema along the edited path tells how far down that holds.

The argument: going from a node to its child ``key`` is safe when everything
the node's schema says about the child's value is the one sub-schema at
``properties/key`` (or ``additionalProperties``, ``items``,
``prefixItems/i``); whatever else it says looks only at which keys exist or
how long a list is, which a change below ``key`` leaves alone. Conditions
(``allOf``/``if``/``then``…) are safe only if they never name ``key``; any
other keyword (``uniqueItems``, ``enum`` on a whole object, ``patternProperties``,
``$ref`` beside other checks…) stops the walk there. So if the file was valid
before, it is valid after exactly when the part returned accepts its new value.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urljoin

from guidestudio.core.files import schemas

Path = tuple[Any, ...]

# Keywords that never judge a value.
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description",
                          "default", "examples", "deprecated", "readOnly", "writeOnly",
                          "schema_version"})
# What an object's schema may say besides the child's own sub-schema: keys, not values.
_OBJECT_KEYWORDS = frozenset({"type", "required", "minProperties", "maxProperties",
                              "propertyNames", "dependentRequired", "properties",
                              "additionalProperties"})
# The same for a list: its length, not its items' values (so never ``uniqueItems``).
_ARRAY_KEYWORDS = frozenset({"type", "minItems", "maxItems", "items", "prefixItems"})
_CONDITIONS = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else")


def judging_part(name: str, path: Path) -> tuple[int, str]:
    """``(depth, ref)``: the deepest ``path[:depth]`` whose sub-schema, at ``ref``
    (``<schema $id>#<JSON pointer>``, for ``schemas.is_valid_part``), alone decides a
    change to the value at ``path`` that keeps every key on the way (``depth`` 0: the
    whole file decides)."""
    try:
        return _judging_part(name, tuple(path))
    except TypeError:  # an unhashable path part: judge the whole file
        root = schemas.schema(name)["$id"]
        return 0, f"{root}#"


@functools.lru_cache(maxsize=4096)
def _judging_part(name: str, path: Path) -> tuple[int, str]:
    doc = schemas.schema(name)["$id"]
    pointer = ""
    for depth, key in enumerate(path):
        child = _child(doc, pointer, key)
        if child is None:
            return depth, f"{doc}#{pointer}"
        doc, pointer = child
    return len(path), f"{doc}#{pointer}"


@functools.cache
def _documents() -> dict[str, dict[str, Any]]:
    return {schemas.schema(n)["$id"]: schemas.schema(n) for n in schemas.SCHEMA_NAMES}


def _at(doc: str, pointer: str) -> Any:
    node: Any = _documents()[doc]
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _resolved(doc: str, pointer: str) -> tuple[str, str, Any] | None:
    """The schema at ``doc#pointer`` with its ``$ref`` followed; None if a ``$ref``
    stands beside other checks (both would apply: not a single sub-schema)."""
    for _ in range(32):  # a loop of references is not a schema we can walk
        node = _at(doc, pointer)
        if not isinstance(node, dict) or "$ref" not in node:
            return doc, pointer, node
        if set(node) - _ANNOTATIONS - {"$ref"}:
            return None
        target = urljoin(doc, node["$ref"])
        doc, _, pointer = target.partition("#")
        if doc not in _documents():
            return None
    return None


def _child(doc: str, pointer: str, key: Any) -> tuple[str, str] | None:
    """Where the sub-schema for the value under ``key`` is, if it alone judges it."""
    found = _resolved(doc, pointer)
    if found is None:
        return None
    doc, pointer, node = found
    if not isinstance(node, dict):
        return None
    checks = set(node) - _ANNOTATIONS
    if isinstance(key, str):
        if checks - _OBJECT_KEYWORDS - set(_CONDITIONS):
            return None
        for keyword in _CONDITIONS:
            if keyword in node:
                named = _named_keys(node[keyword])
                if named is None or key in named:
                    return None
        if key in node.get("properties", {}):
            return doc, f"{pointer}/properties/{_escape(key)}"
        if "additionalProperties" in node:
            return doc, f"{pointer}/additionalProperties"
        return None
    if isinstance(key, int) and not isinstance(key, bool) and key >= 0:
        if checks - _ARRAY_KEYWORDS:
            return None
        if key < len(node.get("prefixItems", ())):
            return doc, f"{pointer}/prefixItems/{key}"
        if "items" in node:
            return doc, f"{pointer}/items"
    return None


def _named_keys(schema: Any) -> set[str] | None:
    """The keys a conditional sub-schema looks at; None: it may look at any."""
    if isinstance(schema, bool):
        return set()
    if isinstance(schema, list):
        names: set[str] = set()
        for sub in schema:
            found = _named_keys(sub)
            if found is None:
                return None
            names |= found
        return names
    if not isinstance(schema, dict):
        return None
    names = set()
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword == "type":
            continue
        if keyword in ("properties", "dependentRequired"):
            names |= set(value)
            if keyword == "dependentRequired":
                names |= {n for required in value.values() for n in required}
        elif keyword == "required":
            names |= set(value)
        elif keyword in _CONDITIONS:
            found = _named_keys(value)
            if found is None:
                return None
            names |= found
        else:
            return None
    return names


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
