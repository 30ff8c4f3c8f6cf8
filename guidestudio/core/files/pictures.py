"""Pictures added from a file: checked, then copied into the project's ``assets/`` by content.

A guide may only show files inside the project's ``assets/`` folder (the
product is given that folder, ``validate/media.py``), so a picture chosen
anywhere on disk is copied there. Its name is the first 16 hex digits of the
SHA-256 of its bytes plus the extension of what the bytes are
(``assets/3f2a…9c.png``): the same picture added twice, from any folder or
under any name, is one file, and a name never points at other bytes, so a
copy can be left behind safely when the edit that used it is undone (nothing
refers to it then, and only referenced pictures are served: the bundle names
the files it shows and never carries the folder, ``docs/bundle-format.md``).

What a browser shows in ``<img>`` is accepted — PNG, JPEG, GIF, WebP, SVG —
recognised by its first bytes, not by its name, so a renamed PDF is refused.
Pictures above ``MAX_BYTES`` are refused too: every person shown the guide
downloads it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from guidestudio.core.files import atomic

#: What "Add picture…" offers (file dialog filter, drops), lower case, with the dot.
SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
#: The largest picture accepted: a guide's picture is downloaded by everyone it is shown to.
MAX_BYTES = 5 * 1024 * 1024
HASH_CHARS = 16
FORMATS = "PNG, JPG, GIF, WebP or SVG"
_SVG_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
                        re.IGNORECASE | re.DOTALL)


class PictureRefused(ValueError):
    """The file cannot be a guide's picture; the message says why and what to do instead."""


def picture_format(data: bytes) -> str | None:
    """The extension the bytes ``data`` deserve (``png``, ``jpg``, ``gif``, ``webp``,
    ``svg``), or None when they are none of those."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if _SVG_START.match(head):
        return "svg"
    return None


def _size_words(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def read_picture(source: Path) -> tuple[bytes, str]:
    """The bytes of the picture at ``source`` and their extension, or ``PictureRefused``."""
    name = source.name
    if source.suffix.lower() not in SUFFIXES:
        raise PictureRefused(f"“{name}” is not a picture. Add a {FORMATS} file.")
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise PictureRefused(f"“{name}” is a folder, not a picture. Add a {FORMATS} file.")
        if size > MAX_BYTES:
            raise PictureRefused(
                f"“{name}” is {_size_words(size)}; pictures must be at most "
                f"{_size_words(MAX_BYTES)}, because everyone shown the guide downloads it. "
                f"Save a smaller version (fewer pixels, or as JPG or WebP) and add that.")
        data = source.read_bytes()
    except OSError as exc:
        raise PictureRefused(f"“{name}” cannot be read ({exc.strerror or exc}).") from exc
    kind = picture_format(data)
    if kind is None:
        raise PictureRefused(f"“{name}” is not a picture, although its name ends in "
                             f"{source.suffix}. Add a {FORMATS} file.")
    return data, kind


def asset_name(data: bytes, kind: str) -> str:
    """``assets/<first 16 hex of sha256>.<kind>``: the path a guide writes for these bytes."""
    return f"assets/{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}.{kind}"


def add_picture(root: Path | None, source: Path) -> str:
    """Copy the picture at ``source`` into ``root``'s assets/ (once); return its guide path.

    A picture already in the project's ``assets/`` folder is used where it is.
    """
    if root is None:
        raise PictureRefused("Save the project first: pictures are copied into its folder.")
    root = Path(root)
    data, kind = read_picture(source)
    assets = (root / "assets").resolve()
    try:
        here = source.resolve()
    except OSError:
        here = source
    if here.is_relative_to(assets):
        return here.relative_to(root.resolve()).as_posix()
    rel = asset_name(data, kind)
    target = root / rel
    try:
        if not (target.is_file() and target.read_bytes() == data):
            atomic.write_bytes(target, data)
    except OSError as exc:
        raise PictureRefused(f"The picture could not be copied into the project's assets "
                             f"folder ({exc.strerror or exc}).") from exc
    return rel
