"""Canonical JSON: the exact text the bundle checksum is computed over.

The runtime verifies a bundle by re-serialising it with ``JSON.stringify`` and
recursively sorted keys, so our text must be what JavaScript would write, byte
for byte (docs/bundle-format.md, "Canonical JSON"). Python's encoder already
agrees on strings (``ensure_ascii=False`` escapes only ``"``, ``\\`` and control
characters, lower-case ``\\u00xx``) and on separators; it disagrees on numbers
(``1.0`` vs ``1``, ``1e-05`` vs ``0.00001``, ``1e+16`` vs ``10000000000000000``),
on key order for characters outside the BMP (UTF-16 code units vs code points)
and on lone surrogates. Those are fixed here without giving up the C encoder:
a quick pre-walk rewrites only the values that need it, and numbers JSON cannot
express the JS way are swapped for unique placeholder strings that are replaced
in the dumped text.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from collections.abc import Iterator
from typing import Any

from guidestudio.core.targeting import js_number_string

_MAX_SAFE = 2**53  # beyond this, JS numbers are not exact integers any more
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def js_number(value: float | int) -> str:
    """Format a number as JavaScript's ``String(number)`` does; JSON has no NaN or infinity."""
    x = float(value)
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{value!r} cannot be written as JSON")
    return js_number_string(value)


class _Walk:
    """One pre-walk: rewrites numbers, notes keys that need UTF-16 ordering."""

    __slots__ = ("subs", "token", "utf16_keys")

    def __init__(self) -> None:
        self.subs: list[str] = []
        self.token = "@gs-num-" + secrets.token_hex(12) + ":"
        self.utf16_keys = False

    def number(self, x: float) -> Any:
        if math.isnan(x) or math.isinf(x):
            raise ValueError(f"{x!r} cannot be written as canonical JSON (NaN/Infinity)")
        if x.is_integer() and abs(x) < _MAX_SAFE:
            return int(x)
        r = repr(x)
        if "e" not in r and not r.endswith(".0"):
            return x
        placeholder = f"{self.token}{len(self.subs)}"
        self.subs.append(js_number(x))
        return placeholder

    def fix(self, obj: Any) -> Any:
        """Return ``obj`` itself when nothing inside needs rewriting, else a fixed copy."""
        tp = type(obj)
        if tp is str or tp is bool or obj is None:
            return obj
        if tp is float:
            return self.number(obj)
        if tp is int:
            return obj if -_MAX_SAFE < obj < _MAX_SAFE else self.number(float(obj))
        if tp is dict:
            out: dict[str, Any] | None = None
            for key, value in obj.items():
                if type(key) is not str:
                    raise TypeError(f"canonical JSON keys must be strings, found {key!r}")
                if not key.isascii() and any(ord(c) > 0xFFFF for c in key):
                    self.utf16_keys = True
                new = self.fix(value)
                if new is not value:
                    if out is None:
                        out = dict(obj)
                    out[key] = new
            return obj if out is None else out
        if tp is list or tp is tuple:
            items: list[Any] | None = None
            for i, value in enumerate(obj):
                new = self.fix(value)
                if new is not value:
                    if items is None:
                        items = list(obj)
                    items[i] = new
            if items is None:
                return obj if tp is list else list(obj)
            return items
        if isinstance(obj, bool):  # bool subclasses are unusual; keep JSON's view
            return bool(obj)
        if isinstance(obj, int):
            return self.fix(int(obj))
        if isinstance(obj, float):
            return self.fix(float(obj))
        if isinstance(obj, str):
            return str(obj)
        if isinstance(obj, dict):
            return self.fix(dict(obj))
        if isinstance(obj, (list, tuple)):
            return self.fix(list(obj))
        raise TypeError(f"{type(obj).__name__} cannot be written as canonical JSON")


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _sorted_utf16(obj: Any) -> Any:
    """Rebuild every dict with keys in UTF-16 code unit order (rare slow path)."""
    if isinstance(obj, dict):
        return {k: _sorted_utf16(obj[k]) for k in sorted(obj, key=_utf16_key)}
    if isinstance(obj, list):
        return [_sorted_utf16(v) for v in obj]
    return obj


def _fix_surrogates(text: str) -> str:
    """Lone surrogates become ``\\udxxx`` escapes, pairs become the character (as in JS)."""
    out: list[str] = []
    pos = 0
    length = len(text)
    for match in _SURROGATE_RE.finditer(text):
        i = match.start()
        if i < pos:
            continue  # the low half of a pair already handled
        out.append(text[pos:i])
        ch = text[i]
        nxt = text[i + 1] if i + 1 < length else ""
        if "\ud800" <= ch <= "\udbff" and "\udc00" <= nxt <= "\udfff":
            out.append((ch + nxt).encode("utf-16-le", "surrogatepass").decode("utf-16-le"))
            pos = i + 2
        else:
            out.append(f"\\u{ord(ch):04x}")
            pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def _dump(obj: Any) -> str:
    walk = _Walk()
    fixed = walk.fix(obj)
    if walk.utf16_keys:
        fixed = _sorted_utf16(fixed)
    text = json.dumps(
        fixed,
        sort_keys=not walk.utf16_keys,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    if walk.subs:
        # '"<token><i>"' -> the JS text of number i; str.split is far faster than re.sub.
        parts = text.split('"' + walk.token)
        out = [parts[0]]
        for part in parts[1:]:
            end = part.index('"')
            out.append(walk.subs[int(part[:end])])
            out.append(part[end + 1 :])
        text = "".join(out)
    return text


def _finish(text: str) -> str:
    """Lone surrogates written the JS way; a regex scan, not a full UTF-8 copy of the text."""
    return _fix_surrogates(text) if _SURROGATE_RE.search(text) else text


def dumps(obj: Any) -> str:
    """Canonical JSON text of ``obj`` (no trailing newline)."""
    return _finish(_dump(obj))


def iter_dumps(obj: Any) -> Iterator[str]:
    """``dumps(obj)`` in pieces: a top-level mapping's list values one item at a time.

    Joined, the pieces are exactly ``dumps(obj)``; a 60 MB bundle is hashed and
    written without ever holding its whole text (or the encoder's working copy
    of it) in memory.
    """
    if type(obj) is not dict or not all(type(k) is str and k.isascii() for k in obj):
        yield dumps(obj)
        return
    yield "{"
    for n, key in enumerate(sorted(obj)):
        value = obj[key]
        # ensure_ascii=False: DEL (U+007F) stays raw, as in dumps and JCS
        yield ("," if n else "") + json.dumps(key, ensure_ascii=False) + ":"
        if type(value) is list:
            yield "["
            for i, item in enumerate(value):
                yield ("," if i else "") + dumps(item)
            yield "]"
        else:
            yield dumps(value)
    yield "}"


def sha256_hex(obj: Any) -> str:
    """SHA-256 (hex) of the UTF-8 canonical JSON of ``obj``."""
    return sha256_text(dumps(obj))


_CHUNK = 1 << 20


def sha256_text(text: str, start: int = 0, end: int | None = None, prefix: str = "") -> str:
    """SHA-256 of ``prefix + text[start:end]`` in UTF-8, encoded a megabyte at a time.

    A bundle's text is tens of megabytes; hashing it without a full bytes copy
    (or a sliced copy) keeps an export's peak memory down.
    """
    end = len(text) if end is None else end
    digest = hashlib.sha256(prefix.encode("utf-8"))
    for i in range(start, end, _CHUNK):
        digest.update(text[i:min(i + _CHUNK, end)].encode("utf-8"))
    return digest.hexdigest()
