"""Walking a targeting condition the way GrowthBook's grammar nests it, for the checks
that look at what each attribute is compared with (allowed values, regexes)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guidestudio.core.validate.reporting import FieldPath

LOGICAL = ("$and", "$or", "$nor")


def field_conditions(condition: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any, Any]]:
    """(where, key, its condition) for every key below ``$and``/``$or``/``$nor``/``$not``:
    an attribute (or, in a malformed condition, an operator) and what it must match."""
    if not isinstance(condition, Mapping):
        return
    for key, value in condition.items():
        here = (*path, key)
        if key in LOGICAL and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from field_conditions(sub, (*here, i))
        elif key == "$not":
            yield from field_conditions(value, here)
        else:
            yield here, key, value
