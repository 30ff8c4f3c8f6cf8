"""Hostile bundles in the runtime: broken guides in a bundle whose checksum is valid, tampered
bundles and prototype pollution, in Node (``hostile_bundles.js`` says what each trial checks)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.reliability.rows import Row

SCRIPT = Path(__file__).with_name("hostile_bundles.js")


def run(trials: int, seed: int) -> list[str]:
    done = subprocess.run(["node", str(SCRIPT), str(trials), str(seed)], capture_output=True,
                          text=True, timeout=120 + trials)
    if done.returncode != 0:
        return [f"node failed: {done.stderr.strip()[-500:]}"]
    return list(json.loads(done.stdout))


ROW = Row("hostile bundles in the runtime", quick=40, long=2000, run=run)
