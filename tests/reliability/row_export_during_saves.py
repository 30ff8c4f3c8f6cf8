"""Exports taken while another program saves: each either exports one state that existed
(every guide from the same save) or refuses with a message — never a mix with success."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from guidestudio.core.bundle.export import export_project
from guidestudio.core.files.project_io import ProjectChanging
from guidestudio.core.files.transaction import ProjectBusy
from tests.reliability import save_support as s
from tests.reliability.rows import Row

REPO = Path(__file__).resolve().parents[2]
VERSION = re.compile(r"\[v(\d+)\]$")


def run(trials: int, seed: int) -> list[str]:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-export-") as tmp:
        root = s.make_project(Path(tmp), git=False)
        saver = subprocess.Popen([sys.executable, "-m", "tests.reliability.saver", str(root)],
                                 cwd=REPO, stdout=subprocess.PIPE, text=True)
        try:
            assert saver.stdout is not None
            if saver.stdout.readline().strip() != "ready":
                return ["the saving program did not start"]
            seen: set[int] = set()
            for trial in range(trials):
                try:
                    result = export_project(root, None)
                except (ProjectChanging, ProjectBusy):
                    continue  # refused with a message: allowed
                if not result.ok:
                    failures.append(f"trial {trial}: not exported: "
                                    f"{[p.format() for p in result.problems if p.is_error][:2]}")
                    continue
                found = [VERSION.search(guide["name"]) for guide in result.bundle["guides"]]
                versions = {int(m.group(1)) if m else 0 for m in found}
                if len(versions) != 1:
                    failures.append(f"trial {trial}: exported a mix of saves {sorted(versions)}")
                seen |= versions
            if trials >= 20 and len(seen) < trials // 4:
                failures.append(f"the exports saw only {len(seen)} saves: they did not overlap")
        finally:
            saver.terminate()
            saver.wait(timeout=30)
    return failures


ROW = Row("export during saves", quick=2, long=200, run=run)
