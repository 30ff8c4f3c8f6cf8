"""``make results-big``: ``guidestudio results`` on a JSON Lines file of over 2 GB with bad
rows in it — bounded memory, a clear account of what was left out, every row counted.

Too slow for ``make test`` (a few minutes on two cores), so a script of its own. It writes,
with DuckDB, the benchmark's events (``bench/results.py``: 20 guides, two experiments)
until the file passes 2 GB, appends the kinds of bad input a real export has (lines that
are not JSON, a JSON array, a timestamp that is not one, a duplicate delivery, a guide
the project does not have, a show logged before its exposure), saves the benchmark's
project as a folder and runs the command in a child process, measuring its peak memory
(max RSS). It fails (exit 1) unless the command succeeds, stays under 1 GB, and every
bad row is reported with its count.

    .venv/bin/python -m tests.core.results.big_file [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from bench import results as bench  # noqa: E402 - after the path set-up, for a plain script run
from guidestudio.core.files.project_io import save_project  # noqa: E402

EVENTS = 8_600_000  # about 2.15 GB of Segment track calls
LIMIT_MB = 1024
BAD = [
    "this line is not JSON",
    "[1, 2, 3]",
    json.dumps({"userId": "x", "event": "guide_shown", "timestamp": "next tuesday",
                "properties": {"guide_id": "g03"}}),
]


def extra_events() -> list[dict]:
    shown = {"userId": "dup", "event": "guide_shown", "timestamp": "2026-10-02T10:00:00+02:00",
             "messageId": "dup-1", "properties": {"guide_id": "g05", "variant": "a"}}
    return [shown, shown,  # one delivery twice
            {"userId": "ghost", "event": "guide_shown", "timestamp": "2026-10-02T10:00:00Z",
             "messageId": "ghost-1", "properties": {"guide_id": "not-in-project"}},
            {"userId": "skew", "event": "guide_shown", "timestamp": "2026-10-02T08:00:00Z",
             "messageId": "skew-1", "properties": {"guide_id": "g00", "variant": "a"}},
            {"userId": "skew", "event": "experiment_viewed", "timestamp": "2026-10-02T09:00:00Z",
             "messageId": "skew-2",
             "properties": {"guide_id": "g00", "variant": "a", "experiment": "exp-g00"}}]


def prepare(folder: Path) -> tuple[Path, Path, int]:
    """The project folder, the events file and its number of lines."""
    project = bench.project()
    root = folder / "project"
    if not root.exists():
        project.root = root
        save_project(project, root=root)
    path = folder / "events.jsonl"
    stamp = folder / "big.json"
    if not stamp.exists():
        subprocess.run([sys.executable, str(REPO / "bench" / "results.py"), "--child", "generate",
                        str(folder), "--events", str(EVENTS)], check=True)
        (folder / "events.parquet").unlink()
        with path.open("a", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in BAD)
            f.writelines(json.dumps(e) + "\n" for e in extra_events())
        lines = sum(1 for _ in path.open("rb"))
        stamp.write_text(json.dumps({"lines": lines}))
    return root, path, json.loads(stamp.read_text())["lines"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the files here, or reuse them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gs-results-big-"))
    folder.mkdir(parents=True, exist_ok=True)
    root, path, lines = prepare(folder)
    size = path.stat().st_size
    print(f"{path}: {size / 1e9:.2f} GB, {lines:,} lines")
    start = time.perf_counter()
    # Output to files and wait4 on the child itself: its own peak memory, not the
    # generator's (RUSAGE_CHILDREN would report the largest child so far).
    with (folder / "out.json").open("w+") as out_file, (folder / "err.txt").open("w+") as err_file:
        proc = subprocess.Popen([sys.executable, "-m", "guidestudio", "results", str(root),
                                 "--events", str(path), "--format", "json"],
                                stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(f"guidestudio results: exit {proc.returncode}, {seconds:.1f} s (cpu {cpu:.1f} s), "
          f"peak {peak:,.0f} MB")
    print("stderr:\n  " + "\n  ".join(err.strip().splitlines()))
    failures = []
    if proc.returncode != 0:
        failures.append(f"exit {proc.returncode}")
    if peak > LIMIT_MB:
        failures.append(f"peak memory {peak:.0f} MB > {LIMIT_MB} MB")
    data = json.loads(out) if proc.returncode == 0 else {}
    if data.get("rows_read") != lines:
        failures.append(f"rows read {data.get('rows_read')} != {lines} lines")
    for needle in (f"{path}: 3 unreadable rows skipped", "1 duplicate event (same message id)",
                   "not-in-project (1)", "other product events not used by any goal"):
        if needle not in err:
            failures.append(f"stderr lacks {needle!r}")
    g00 = next((g for g in data.get("guides", []) if g["guide_id"] == "g00"), None)
    if not g00 or g00["experiment"]["shown_before_exposure"] < 1:
        failures.append("the show before exposure is not reported")
    print("FAILED: " + "; ".join(failures) if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
