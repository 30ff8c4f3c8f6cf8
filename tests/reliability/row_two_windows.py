"""Two windows on one project: two ``Document``s opened from the same folder, each editing and
saving, in either order, 0–100 ms apart. No save may undo the other's: edits of the same
guide make the second save a conflict; renames of different segments both land or the
second is refused (today a rename rewrites every file), never undoing the first; a full save
of a stale window (every file rewritten) is refused instead of undoing a rename. After every
trial the project's guides refer only to segments that exist."""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from guidestudio.core import guide_ops
from guidestudio.core.files.project_io import save_project
from guidestudio.core.files.transaction import DiskChanged
from tests.reliability import save_support as s
from tests.reliability.rows import Row

SCENARIOS = ("same guide", "two renames", "full save after a rename")


def _app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _dangling(root: Path) -> list[str]:
    loaded = s.load(root)
    project = loaded.project
    return [f"{gid} → {seg}" for gid, guide in project.guides.items()
            if guide.audience is not None for seg in guide.audience.segments
            if seg not in project.segments]


def run(trials: int, seed: int) -> list[str]:
    _app()
    from guidestudio.app.document import Document

    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-two-") as tmp:
        root = s.make_project(Path(tmp), git=False)
        old = s.snapshot(root)
        for trial in range(trials):
            scenario = SCENARIOS[trial % len(SCENARIOS)]
            first, second = Document.open(root, validate=False), Document.open(root, validate=False)
            if scenario == "same guide":
                first.set_value(("guides", s.EDITED, "name"), "Named in the first window")
                second.set_value(("guides", s.EDITED, "priority"), 77)
            else:
                first.apply(guide_ops.rename(first.project, "segments", "free-plan", "free-tier"),
                            "Rename")
                if scenario == "two renames":
                    second.apply(guide_ops.rename(second.project, "segments", "trial-users",
                                                  "trial-people"), "Rename")
                else:
                    second.set_value(("guides", "nps-survey", "priority"), 77)
            if rng.random() < 0.5 and scenario != "full save after a rename":
                first, second = second, first
            name = f"trial {trial} ({scenario})"
            first.save()
            time.sleep(rng.uniform(0, 0.1))
            try:
                if scenario == "full save after a rename":
                    save_project(second.project, second.files)  # every file, as Save All did
                else:
                    second.save()
                outcome = "saved"
            except DiskChanged:
                outcome = "refused"
            loaded = s.load(root).project
            if scenario == "same guide":
                guide = loaded.guides[s.EDITED]
                firsts = {"name": guide.name == "Named in the first window",
                          "priority": guide.priority == 77}
                mine = "name" if first.get(("guides", s.EDITED, "name")) == \
                    "Named in the first window" else "priority"
                if outcome != "refused" or not firsts[mine]:
                    failures.append(f"{name}: {outcome}; the first save's edit is "
                                    f"{'kept' if firsts[mine] else 'lost'}")
            elif scenario == "two renames":
                # A rename is a whole-project edit, so this save writes every file: refused
                # while the files differ from what the window read, or landing alongside.
                segments = set(loaded.segments)
                landed = {new: new in segments and old_id not in segments
                          for old_id, new in (("free-plan", "free-tier"),
                                              ("trial-users", "trial-people"))}
                firsts = "free-tier" if "free-tier" in first.project.segments else "trial-people"
                if not landed[firsts] or (outcome == "saved") != all(landed.values()):
                    failures.append(f"{name}: {outcome}; segments now {sorted(segments)}")
            else:
                # The second window wrote only what it changed (or was refused): either way
                # the first window's rename stays, and a save that landed carries its edit.
                kept = "free-tier" in loaded.segments and "free-plan" not in loaded.segments
                edit_landed = loaded.guides["nps-survey"].priority == 77
                if not kept or (outcome == "saved") != edit_landed:
                    failures.append(f"{name}: {outcome}; the rename is "
                                    f"{'kept' if kept else 'undone'}, the second window's edit "
                                    f"{'landed' if edit_landed else 'did not'}")
            dangling = _dangling(root)
            if dangling:
                failures.append(f"{name}: guides refer to missing segments: {dangling}")
            for document in (first, second):
                document.dispose()
                document.deleteLater()
            s.restore(root, old)
    return failures


ROW = Row("two windows on one project", quick=3, long=150, run=run)
