"""The editor's icons, loaded once from ``resources/icons`` as SVG.

SVG rather than PNG so they stay sharp at any device pixel ratio (HiDPI)
without shipping several sizes; cached because a tree of 2,000 guides asks for
the same few icons thousands of times.
"""

from __future__ import annotations

import functools

from PySide6.QtGui import QIcon

from guidestudio.core.resources import RESOURCES_DIR

ICONS_DIR = RESOURCES_DIR / "icons"


@functools.cache
def icon(name: str) -> QIcon:
    """``icon("severity-error")``; an unknown name gives an empty icon, never an error."""
    path = ICONS_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def kind_icon(kind: str) -> QIcon:
    named = icon(f"kind-{kind}")
    return named if not named.isNull() else icon("guide")


def severity_icon(severity: str) -> QIcon:
    return icon("severity-error" if severity == "error" else "severity-warning")
