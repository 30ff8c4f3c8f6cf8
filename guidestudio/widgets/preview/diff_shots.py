"""Before/after previews for a release review: ``guidestudio diff OLD NEW --png DIR``.

A reviewer reads what changed in words, then looks: each changed (or added)
guide is rendered by the preview's own screenshot machinery (``shot.Shooter``:
the runtime on the demo app, off screen, at a device size) once from the old
bundle and once from the new, and the two images are put side by side under
a caption in one PNG per guide. The step shown is the first one whose text
changed (in that locale), else the first step of the first variant.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from guidestudio.core.bundle.bundle_file import finalize
from guidestudio.core.bundle.review import GuideReview, Review
from guidestudio.core.model import Project, Settings
from guidestudio.widgets.preview.bridge import preview_guide
from guidestudio.widgets.preview.shot import Shooter, ShotError, application

_STEP_PATH = re.compile(r"variants\[([^\]]+)\]\.steps\[([^\]]+)\]\.html\.([^.]+)\.")
_CAPTION_H, _GAP = 44, 16


def _previewable(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle as the preview hands it over: no guide triggers itself, so only the one
    asked for shows; re-finalised, since the runtime checks the checksum."""
    copy = {k: v for k, v in bundle.items() if k != "checksum"}
    copy["guides"] = [preview_guide(g) for g in bundle.get("guides", []) if isinstance(g, dict)]
    return finalize(copy)


def _guide(bundle: dict[str, Any], guide_id: str) -> dict[str, Any] | None:
    return next((g for g in bundle.get("guides", [])
                 if isinstance(g, dict) and g.get("id") == guide_id), None)


def what_to_show(review: GuideReview, guide: dict[str, Any],
                 default_locale: str) -> tuple[str, int, str]:
    """Variant key, step index (0-based) and locale that show the guide's change best."""
    variants = [v for v in guide.get("variants", []) if isinstance(v, dict)]
    for change in review.changes:
        m = _STEP_PATH.match(change.path)
        if m is None:
            continue
        for variant in variants:
            if variant.get("key") == m.group(1):
                ids = [s.get("id") for s in variant.get("steps", []) if isinstance(s, dict)]
                if m.group(2) in ids:
                    return m.group(1), ids.index(m.group(2)), m.group(3)
    key = variants[0].get("key", "a") if variants else "a"
    return str(key), 0, default_locale


def file_name(guide_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", guide_id)[:100] + ".png"


def _side_by_side(before: Any, after: Any, size: tuple[int, int], title: str,
                  labels: tuple[str, str]) -> Any:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    w, h = size
    image = QImage(2 * w + _GAP, h + _CAPTION_H, QImage.Format.Format_RGB32)
    image.fill(QColor("#f3f4f6"))
    painter = QPainter(image)
    try:
        font = QFont()
        font.setPixelSize(16)
        painter.setFont(font)
        painter.setPen(QColor("#111827"))
        for n, (label, shot) in enumerate(zip(labels, (before, after), strict=True)):
            x = n * (w + _GAP)
            caption = QRect(x + 8, 0, w - 16, _CAPTION_H)
            text = f"{'Before' if n == 0 else 'After'} — {label} · {title}"
            elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, w - 16)
            painter.drawText(caption, int(Qt.AlignmentFlag.AlignVCenter), elided)
            if shot is not None:
                painter.drawImage(x, _CAPTION_H, shot)
            else:
                painter.fillRect(x, _CAPTION_H, w, h, QColor("#e5e7eb"))
                painter.drawText(QRect(x, _CAPTION_H, w, h), int(Qt.AlignmentFlag.AlignCenter),
                                 f"not in {label}")
    finally:
        painter.end()
    return image


def render_review(review: Review, old: dict[str, Any], new: dict[str, Any], out: Path,
                  device: str = "laptop", host: str | None = None) -> list[Path]:
    """One PNG per changed or added guide in ``out``; returns the files written."""
    application()
    wanted = [g for g in review.guides if g.state in ("changed", "added")]
    if not wanted:
        return []
    out.mkdir(parents=True, exist_ok=True)
    project_id = str((new.get("project") or {}).get("id") or "project")
    stand_in = Project(settings=Settings(id=project_id, name=project_id))
    shooter = Shooter(stand_in, device, host=host)
    written: list[Path] = []
    try:
        bundles = (_previewable(old), _previewable(new))
        for item in wanted:
            guide = _guide(new, item.id)
            if guide is None:
                continue
            variant, step, locale = what_to_show(item, guide, str(new.get("default_locale", "en")))
            shots = []
            for bundle in bundles:
                shown = _guide(bundle, item.id)
                shots.append(None if shown is None else
                             shooter.take(bundle, item.id, variant, locale, step))
            image = _side_by_side(shots[0], shots[1], shooter.size, item.name,
                                  (review.old_label, review.new_label))
            path = out / file_name(item.id)
            if not image.save(str(path), "PNG"):
                raise ShotError(f"{path}: cannot be written")
            written.append(path)
    finally:
        shooter.close()
    return written
