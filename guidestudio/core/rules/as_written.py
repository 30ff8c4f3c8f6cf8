"""Whether two conditions would be written the same, key order included.

Python's ``==`` ignores the order of a dict's keys and the difference between
``1``, ``1.0`` and ``True``; a condition file does not. Moving a row within an
"all of" group only reorders the keys of one object, so the rule builder needs
to see that as a change, and the condition field needs to tell such a move
from an edit that changes nothing. Comparing JSON texts would say the same at
the cost of writing both values out on every keystroke; this walks them once.
"""

from __future__ import annotations

from typing import Any


def same_as_written(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` hold the same data with the same key order and types."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_as_written(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_as_written(x, y)
                                        for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:  # NaN: not equal to itself, but written the same
        return b != b
    return bool(a == b)


__all__ = ["same_as_written"]
