"""kill -9 at random points of single- and multi-file saves (``kill_driver.py``, in a process
of its own): afterwards the project loads with wholly the old or wholly the new files, and
``git status`` shows only that save's files — never a temporary file or half a rename."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.reliability.rows import Row

REPO = Path(__file__).resolve().parents[2]


def run(trials: int, seed: int) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "tests.reliability.kill_driver", str(trials),
                           str(seed)], cwd=REPO, capture_output=True, text=True,
                          timeout=120 + trials * 5)
    if done.returncode != 0:
        return [f"the driver failed: {done.stderr.strip()[-500:]}"]
    return list(json.loads(done.stdout)["failures"])


ROW = Row("kill -9 during saves (one file, five-file rename)", quick=2, long=300, run=run)
