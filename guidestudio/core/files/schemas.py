"""The JSON Schemas in ``schemas/`` and error messages a marketer can act on.

The schemas are the published contract (release engineers validate bundles
against them in their own CI); this module only loads them and turns
jsonschema's errors into "field: expected …, found …" sentences.

Validity is answered by ``jsonschema_rs``; the Python ``jsonschema`` (with its
``referencing``/``rpds``/``attrs`` stack, ~70 ms to import) is imported only
to explain a failure, so opening a valid project never pays for it.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from guidestudio.core.resources import SCHEMAS_DIR

if TYPE_CHECKING:  # imported where used: see the module docstring
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

SCHEMA_NAMES = ("common", "project", "guide", "segment", "theme", "profiles", "bundle")


@functools.cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    resources = []
    for name in SCHEMA_NAMES:
        schema = json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@functools.cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name), registry=_registry())


@functools.cache
def _fast_validator(name: str):  # type: ignore[no-untyped-def]
    """The Rust validator (~300x faster on valid documents, the common case), or None."""
    try:  # imported on first use, off the GUI thread when a project is being opened
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the wheel exists for every platform we ship
        return None
    resources = [(schema(n)["$id"], schema(n)) for n in SCHEMA_NAMES]
    return jsonschema_rs.Draft202012Validator(
        schema(name), registry=jsonschema_rs.Registry(resources)
    )


def is_valid(name: str, data: Any) -> bool:
    """Quick yes/no; the detailed (slow) pass runs only when the answer is no."""
    fast = _fast_validator(name)
    if fast is not None:
        try:
            return bool(fast.is_valid(data))
        except (ValueError, TypeError):  # data the Rust side cannot represent (e.g. bytes)
            pass
    return validator(name).is_valid(data)


@functools.lru_cache(maxsize=256)
def _part_validator(ref: str):  # type: ignore[no-untyped-def]
    """A validator for the part of a schema at ``ref``: the Rust one, else jsonschema's."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the wheel exists for every platform we ship
        from jsonschema import Draft202012Validator

        return Draft202012Validator({"$ref": ref}, registry=_registry())
    resources = [(schema(n)["$id"], schema(n)) for n in SCHEMA_NAMES]
    return jsonschema_rs.Draft202012Validator(
        {"$ref": ref}, registry=jsonschema_rs.Registry(resources)
    )


def is_valid_part(ref: str, data: Any) -> bool:
    """Quick yes/no for ``data`` against the part of a schema at ``ref``
    (``<schema $id>#<JSON pointer>``, as ``schema_parts.judging_part`` gives it)."""
    try:
        return bool(_part_validator(ref).is_valid(data))
    except (ValueError, TypeError):  # data the Rust side cannot represent (e.g. bytes)
        from jsonschema import Draft202012Validator

        return bool(Draft202012Validator({"$ref": ref}, registry=_registry()).is_valid(data))


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value pairs)",
    "null": "nothing",
}


def _message(error: ValidationError) -> str:
    v = error.validator
    inst = error.instance
    if v == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        parts = []
        for extra in extras:
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            parts.append(f"unknown field {extra!r}{hint}")
        if allowed:
            parts.append("allowed: " + ", ".join(allowed))
        return "; ".join(parts) if parts else error.message
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"required field {missing!r} is missing"
    if v == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        return f"expected {words}, found {_describe(inst)}"
    if v == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return f"expected one of: {options}; found {_describe(inst)}"
    if v == "const":
        return f"expected {error.validator_value!r}, found {_describe(inst)}"
    if v == "pattern":
        desc = error.schema.get("description")
        tail = f" ({desc})" if desc else ""
        return f"{_describe(inst)} is not in the expected form{tail}"
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[v]
        return f"must be {words} {error.validator_value}, found {inst}"
    if v == "minItems":
        n = error.validator_value
        return "must not be empty" if n == 1 else f"needs at least {n} entries"
    if v == "maxItems":
        return f"has too many entries (at most {error.validator_value})"
    if v == "minProperties":
        return "must not be empty"
    if v == "minLength":
        return "must not be empty"
    if v == "maxLength":
        return f"is too long (at most {error.validator_value} characters)"
    if v == "uniqueItems":
        return "has the same entry twice"
    if v == "propertyNames":
        return f"key {_describe(inst)} is not allowed here"
    return error.message


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Report the specific error inside if/then and allOf rather than the wrapper."""
    if error.context:
        for sub in error.context:
            yield from _leaf_errors(sub)
    else:
        yield error


def validate(name: str, data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Schema errors as (path into the data, message), in document order."""
    if is_valid(name, data):
        return []
    found: list[tuple[tuple[Any, ...], str]] = []
    seen: set[tuple[tuple[Any, ...], str]] = set()
    for error in validator(name).iter_errors(data):
        for leaf in _leaf_errors(error):
            path = tuple(leaf.absolute_path)
            if leaf.validator == "propertyNames":
                # jsonschema reports the bad key as the instance; point at it.
                path = (*tuple(leaf.absolute_path), leaf.instance)
            item = (path, _message(leaf))
            if item not in seen:
                seen.add(item)
                found.append(item)
    found.sort(key=lambda item: [str(p) for p in item[0]])
    return found


def format_path(path: tuple[Any, ...]) -> str:
    """``('variants', 0, 'steps', 1, 'title')`` -> ``variants[0].steps[1].title``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
