"""``guidestudio diff OLD NEW --png DIR``: before/after previews, rendered by the real engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QImage

if QCoreApplication.instance() is None:  # QtWebEngine asks for it before the app exists
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from guidestudio.cli import main  # noqa: E402
from guidestudio.core.bundle.export import export_project  # noqa: E402
from tests.conftest import EXAMPLE_PROJECT  # noqa: E402

W, H, CAPTION, GAP = 390, 844, 44, 16  # the phone, and diff_shots' caption and gap


def test_changed_guide_side_by_side(tmp_path: Path, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    for path in (root / "guides").glob("*.yaml"):
        if path.stem not in ("storage-almost-full", "win-back-inactive"):
            path.unlink()
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert export_project(root, old).ok
    guide = root / "guides" / "storage-almost-full.yaml"
    guide.write_text(guide.read_text("utf-8").replace(
        "en: Your uploads are about to stop", "en: Uploads STOP today — upgrade now"), "utf-8")
    assert export_project(root, new).ok

    out = tmp_path / "png"
    assert main(["diff", str(old), str(new), "--png", str(out), "--device", "phone",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == ["storage-almost-full"]
    assert sorted(p.name for p in out.iterdir()) == ["storage-almost-full.png"]  # unchanged: none
    image = QImage(str(out / "storage-almost-full.png"))
    assert (image.width(), image.height()) == (2 * W + GAP, H + CAPTION)
    before = image.copy(QRect(0, CAPTION, W, H))
    after = image.copy(QRect(W + GAP, CAPTION, W, H))
    assert before != after  # the new title is on screen
    # The banner sits at the top; the page below it is the same host page on both sides.
    assert before.copy(QRect(0, H - 200, W, 200)) == after.copy(QRect(0, H - 200, W, 200))
    colours = {before.pixel(x, y) for x in range(0, W, 5) for y in range(0, 120, 5)}
    assert len(colours) > 5  # a rendered banner, not a blank band
