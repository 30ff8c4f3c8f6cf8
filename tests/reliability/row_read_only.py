"""Read-only files are never replaced (nor deleted): a save that would change one refuses
with a message naming it, writes nothing else, and the file keeps its mode; a read-only file
the save does not touch does not stop it."""

from __future__ import annotations

import random
import stat
import tempfile
from pathlib import Path

from guidestudio.core.files.transaction import ReadOnlyFiles
from tests.reliability import save_support as s
from tests.reliability.rows import Row

# The rename's files: three guides rewritten, the new segment written, the old one deleted.
TARGETS = ["guides/summer-sale-2026.yaml", "guides/storage-almost-full.yaml",
           "guides/holiday-promo-draft.yaml", "segments/free-plan.yaml"]
BYSTANDER = "guides/win-back-inactive.yaml"


def run(trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-ro-") as tmp:
        root = s.make_project(Path(tmp), git=False)
        old = s.snapshot(root)
        for trial in range(trials):
            multi = trial % 3 != 2
            pool = TARGETS if multi else [f"guides/{s.EDITED}.yaml"]
            locked = rng.sample(pool, rng.randint(1, len(pool)))
            if rng.random() < 0.3:
                locked = [BYSTANDER]  # not part of the save
            for rel in locked:
                (root / rel).chmod(0o444)
            loaded = s.load(root)
            dirty = s.rename_segment(loaded) if multi else s.edit_one(loaded)
            name = f"trial {trial} ({'rename' if multi else 'one guide'}, read-only: {locked})"
            try:
                s.save(loaded, dirty)
                outcome = "saved"
            except ReadOnlyFiles as exc:
                outcome = "refused"
                if not all(rel in str(exc) for rel in locked):
                    failures.append(f"{name}: the message does not name them: {exc}")
            now = s.snapshot(root)
            should = "saved" if locked == [BYSTANDER] else "refused"
            if outcome != should:
                failures.append(f"{name}: {outcome}")
            if outcome == "refused" and now != old:
                failures.append(f"{name}: refused, yet files changed: "
                                f"{sorted(s.differing(now, old))}")
            for rel in locked:
                if now.get(rel) != old[rel] or stat.S_IMODE((root / rel).stat().st_mode) != 0o444:
                    failures.append(f"{name}: {rel} was replaced")
                (root / rel).chmod(0o644)
            s.restore(root, old)
    return failures


ROW = Row("read-only files", quick=3, long=100, run=run)
