"""Values in rule rows: parse what the author typed, show what is stored.

Inline validation in the rule builder comes from here: ``parse_value``
returns the value to store or a sentence saying what is wrong (a regex the
product's JavaScript would reject, a non-number for a number, a date that is
not ISO). Lists are edited as comma-separated text with CSV-style quotes, and
``format_list``/``parse_list`` are exact inverses so a list survives editing.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

from guidestudio.core.targeting import js_number_string, js_regex_error, js_regex_hazard

# Kinds of value editor / parser. List kinds hold several values.
LIST_KINDS = frozenset({"number_list", "string_list"})


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


_NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INT_RE = re.compile(r"[+-]?\d+")
VERSION_RE = re.compile(r"v?\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_EMPTY_HINTS = {
    "string": "enter a value",
    "regex": "enter a regular expression",
    "regexi": "enter a regular expression",
    "version": "enter a version such as 2.4.1",
    "date": "enter a date such as 2026-12-01",
    "number": "enter a number",
    "count": "enter a number of items",
    "number_list": "enter at least one value, separated by commas",
    "string_list": "enter at least one value, separated by commas",
}


def default_value(kind: str) -> Any:
    if kind in ("number", "count"):
        return 0
    if kind == "bool":
        return True
    if kind in LIST_KINDS:
        return []
    if kind == "none":
        return None
    return ""


def value_fits(kind: str, value: Any) -> bool:
    """Can an editor of ``kind`` show ``value`` without changing it?"""
    if kind == "none":
        return True
    if kind == "number":
        return is_number(value)
    if kind == "count":
        return type(value) is int and value >= 0
    if kind == "bool":
        return type(value) is bool
    if kind == "number_list":
        return type(value) is list and all(is_number(v) for v in value)
    if kind == "string_list":
        return type(value) is list and all(type(v) is str for v in value)
    return type(value) is str


def parse_number(text: str) -> int | float | None:
    text = text.strip()
    if _INT_RE.fullmatch(text):
        return int(text)
    if _NUMBER_RE.fullmatch(text):
        number = float(text)
        return number if number not in (float("inf"), float("-inf")) else None
    return None


def date_error(text: str) -> str | None:
    if not DATE_RE.fullmatch(text):
        return f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01"
    try:
        _dt.date.fromisoformat(text[:10])
    except ValueError:
        return f"{text[:10]!r} is not a real calendar date"
    return None


def parse_value(kind: str, raw: Any) -> tuple[Any, str | None]:
    """The stored value for what the author entered, or an error saying what is
    wrong with it. Empty input is an error too (the row is incomplete), but a
    widget shows that as a hint rather than in red."""
    if kind == "none":
        return None, None
    if kind == "bool":
        return bool(raw), None
    if is_number(raw) and kind in ("number", "count"):
        value = int(raw) if float(raw).is_integer() and abs(raw) < 2**53 else raw
        return value, (None if kind == "number" or value >= 0 else "cannot be negative")
    text = "" if raw is None else str(raw)
    if not text.strip() and kind != "string":
        return default_value(kind), _EMPTY_HINTS.get(kind, "enter a value")
    if kind == "string":
        return text, (None if text else _EMPTY_HINTS["string"])
    if kind in ("regex", "regexi"):
        if hazard := js_regex_hazard(text, kind == "regexi"):
            return text, f"this regular expression could freeze the product's page: {hazard}"
        error = js_regex_error(text, kind == "regexi")
        return text, (f"this regular expression will not work in the product: {error}"
                      if error else None)
    if kind == "version":
        text = text.strip()
        ok = VERSION_RE.fullmatch(text)
        return text, None if ok else f"{text!r} is not a version; write it like 2.4.1"
    if kind == "date":
        return text.strip(), date_error(text.strip())
    if kind in ("number", "count"):
        number = parse_number(text)
        if number is None:
            return text, f"{text.strip()!r} is not a number; enter digits such as 90 or 2.5"
        if kind == "count" and (type(number) is not int or number < 0):
            return text, "enter a whole number of items, 0 or more"
        return number, None
    if kind in LIST_KINDS:
        items = parse_list(text)
        if not items:
            return [], _EMPTY_HINTS[kind]
        if kind == "string_list":
            return items, None
        numbers = [parse_number(item) for item in items]
        bad = [item for item, n in zip(items, numbers, strict=True) if n is None]
        if bad:
            return items, f"{bad[0]!r} is not a number; this list compares numbers"
        return numbers, None
    return text, None


def format_scalar(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if type(value) is bool:
        return "true" if value else "false"
    if is_number(value):
        return js_number_string(value)
    return str(value)


def format_value(kind: str, value: Any) -> str:
    """What a text editor shows for a stored value."""
    if kind in LIST_KINDS or type(value) is list:
        items = value if type(value) is list else [value]
        return format_list([format_scalar(v) for v in items])
    return format_scalar(value)


def _needs_quotes(item: str) -> bool:
    return (not item or "," in item or '"' in item or item != item.strip())


def format_list(items: Iterable[str]) -> str:
    """``JP, DE``; an item with a comma, a quote or outer spaces is quoted CSV-style."""
    return ", ".join(
        '"' + item.replace('"', '""') + '"' if _needs_quotes(item) else item for item in items
    )


def parse_list(text: str) -> list[str]:
    """Inverse of ``format_list``: commas separate, ``"…"`` quotes, ``""`` is a quote.
    Unquoted items are trimmed and dropped when empty."""
    items: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == '"':
            i += 1
            buf: list[str] = []
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(text[i])
                i += 1
            items.append("".join(buf))
            while i < n and text[i] != ",":
                i += 1
        else:
            end = text.find(",", i)
            end = n if end < 0 else end
            item = text[i:end].strip()
            if item:
                items.append(item)
            i = end
        i += 1  # past the comma
    return items
