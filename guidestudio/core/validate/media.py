"""Rules for step images: files inside the project's ``assets/`` folder.

The product is given only ``assets/``, so a web address, an absolute path, a
path out of the project (``..`` or a link) or a missing file is reported;
results are cached per path, since guides share images.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from guidestudio.core.problems import Severity
from guidestudio.core.validate.reporting import Context


def outside_project(src: str) -> str | None:
    """Why the image path ``src`` is not a file inside the project (``image-outside``), or None.

    Known by its text alone (a web address, an absolute path, a way out through
    ``..``), so the compiler tells the same fact apart from ``image-location``
    (inside the project, not in ``assets/``) without looking at the disk.
    """
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", src):
        return (f"{src!r} is a web address; images must be files in "
                f"the project: save it in assets/ and write e.g. assets/tour.png")
    if src.startswith(("/", "\\")) or PureWindowsPath(src).drive:
        return (f"{src!r} is an absolute path; copy the image into the "
                f"project's assets/ folder and write e.g. assets/tour.png")
    if ".." in PurePosixPath(src.replace("\\", "/")).parts:
        return (f"{src!r} points outside the project ('..'); copy the "
                f"image into assets/ and write e.g. assets/tour.png")
    return None


def check_image(ctx: Context, src: Any) -> list[tuple[str, str, Severity]]:
    """Image path problems as (code, message, severity); cached per path."""
    if not isinstance(src, str):
        return [("image", "the image path must be text such as assets/tour.png", "error")]
    cached = ctx.image_cache.get(src)
    if cached is not None:
        return cached
    found: list[tuple[str, str, Severity]] = []
    ctx.image_cache[src] = found
    outside = outside_project(src)
    if outside is not None:
        found.append(("image-outside", outside, "error"))
        return found
    if ctx.root_real is not None:
        try:
            real = (ctx.root_real / src).resolve()
        except (ValueError, OSError, RuntimeError) as exc:  # NUL byte, link loop, …
            found.append(("image-missing", f"the image path {src!r} cannot be used ({exc}); "
                          f"fix the path", "error"))
            return found
        if not real.is_relative_to(ctx.root_real):
            found.append(("image-outside", f"{src!r} is a link to a file outside the project; "
                          f"copy the image itself into assets/", "error"))
            return found
        try:
            is_file, is_dir = real.is_file(), real.is_dir()
        except OSError as exc:  # name too long, permission denied, …
            found.append(("image-missing", f"the image {src!r} cannot be read "
                          f"({exc.strerror or exc}); fix the path", "error"))
            return found
        if not is_file:
            what = "is a folder, not an image" if is_dir else "does not exist"
            found.append(("image-missing", f"the image {src!r} {what}; add the file to the "
                          f"project or fix the path", "error"))
            return found
    parts = PurePosixPath(src.replace("\\", "/")).parts
    if not parts or parts[0] != "assets":
        found.append(("image-location", f"{src!r} is not in the assets/ folder, and the product "
                      f"is only given assets/; move the image there", "warning"))
    return found
