"""Another program writes a file the editor is about to save, 0–1 s apart either way.

A trial loads the project, edits (one guide, or the rename that rewrites three), and saves
at a random moment while a thread rewrites, replaces (as editors and git do) or deletes one
of the save's files at another. The other program's change must never be lost: the file ends
as it left it (the save came first, or refused with a conflict), and the save is whole or
absent everywhere else.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from pathlib import Path

from guidestudio.core.files.transaction import DiskChanged
from tests.reliability import save_support as s
from tests.reliability.rows import Row

SPREAD_S = 1.0
HOW = ("in place", "replace", "delete")


def _external(path: Path, how: str, data: bytes) -> None:
    if how == "in place":
        with open(path, "r+b") as handle:
            handle.truncate(0)
            handle.write(data)
    elif how == "replace":
        tmp = path.with_name(path.name + ".editor-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    else:
        path.unlink()


def run(trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-race-") as tmp:
        root = s.make_project(Path(tmp), git=False)
        old = s.snapshot(root)
        for trial in range(trials):
            multi = trial % 2 == 1
            loaded = s.load(root)
            dirty = s.rename_segment(loaded) if multi else s.edit_one(loaded)
            target = f"guides/{s.EDITED}.yaml"  # in both saves (it uses the renamed segment)
            how = rng.choice(HOW)
            theirs = old[target].replace(b"name: ", b"name: Changed elsewhere ", 1)
            at_ext, at_save = rng.uniform(0, SPREAD_S), rng.uniform(0, SPREAD_S)
            started = time.perf_counter()
            writer = threading.Timer(at_ext, _external, (root / target, how, theirs))
            writer.start()
            time.sleep(max(0.0, at_save - (time.perf_counter() - started)))
            try:
                s.save(loaded, dirty)
                outcome = "saved"
            except DiskChanged:
                outcome = "refused"
            writer.join()
            name = (f"trial {trial} ({'rename' if multi else 'one guide'}, {how} at "
                    f"{at_ext:.3f} s, save at {at_save:.3f} s, {outcome})")
            now = s.snapshot(root)
            want = None if how == "delete" else theirs
            if now.get(target) != want:
                failures.append(f"{name}: the other program's change was lost")
            others_old = {k: v for k, v in old.items() if k != target}
            rest = {k: v for k, v in now.items() if k != target}
            if outcome == "refused" and rest != others_old:
                failures.append(f"{name}: refused, yet other files changed")
            if outcome == "saved" and rest == others_old and multi:
                failures.append(f"{name}: saved, yet the rename is missing")
            s.restore(root, old)
    return failures


ROW = Row("external writer 0–1 s from a save", quick=2, long=200, run=run)
