"""kill -9 at random points of saves, run in a process of its own:

    python -m tests.reliability.kill_driver TRIALS SEED   → JSON {"failures": [...], ...}

Each trial forks a child that loads the project, makes a one-file edit or a five-file rename,
and saves; the driver kills it (SIGKILL) after a random delay spread over a save's length.
Then the project must load (which completes or discards the interrupted save) with all its
files exactly the old state or exactly the new one, no save left pending, and
``git status --porcelain`` listing only the files of that save. Forking keeps a trial at a
few milliseconds; the driver is a process of its own so the test runner's threads are
never forked.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from guidestudio.core.files import transaction
from tests.reliability import save_support as s


def _child(root: Path, multi: bool, ready: int, go: int) -> None:
    try:
        loaded = s.load(root)
        dirty = s.rename_segment(loaded) if multi else s.edit_one(loaded)
        os.write(ready, b"r")
        os.read(go, 1)
        os.write(ready, b"s")
        started = time.perf_counter()
        s.save(loaded, dirty)
        os.write(ready, f"e{time.perf_counter() - started:.6f}".encode())
        os._exit(0)
    except BaseException:  # noqa: BLE001 - a child reports by its exit code only
        os._exit(3)


def _run_child(root: Path, multi: bool, delay: float | None) -> tuple[str, int]:
    """(what the child reported, its exit status); killed after ``delay`` s unless None."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(go_w)
        _child(root, multi, ready_w, go_r)
    os.close(ready_w)
    os.close(go_r)
    said = os.read(ready_r, 1).decode()
    os.write(go_w, b"g")
    if delay is not None and said == "r":
        deadline = time.perf_counter() + delay
        while time.perf_counter() < deadline:
            pass  # a busy wait: sleep's granularity is coarser than a save's steps
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.set_blocking(ready_r, False)
    try:
        said += os.read(ready_r, 1024).decode()
    except BlockingIOError:
        pass
    os.close(ready_r)
    os.close(go_w)
    return said, status


def run(trials: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-kill-") as tmp:
        root = s.make_project(Path(tmp))
        old = s.snapshot(root)
        new: dict[bool, s.Files] = {}
        length: dict[bool, float] = {}
        for multi in (False, True):  # the new states, and how long a save takes
            said, status = _run_child(root, multi, None)
            if status != 0 or "e" not in said:
                return {"failures": [f"the {'multi' if multi else 'single'}-file save "
                                     f"failed without a kill ({said!r})"]}
            new[multi] = s.snapshot(root)
            length[multi] = float(said.split("e", 1)[1])
            if s.differing(old, new[multi]) != s.git_status(root):
                return {"failures": ["git status shows more than the save's files"]}
            s.restore(root, old)
        during = 0
        for trial in range(trials):
            multi = trial % 2 == 1
            delay = rng.uniform(0, 1.3 * length[multi])
            said, _status = _run_child(root, multi, delay)
            during += "s" in said and "e" not in said
            name = f"trial {trial} ({'rename' if multi else 'one guide'}, kill at " \
                   f"{delay * 1000:.2f} ms)"
            try:
                s.load(root)
            except Exception as exc:  # noqa: BLE001 - reported as a failure
                failures.append(f"{name}: the project does not load: {exc}")
                s.restore(root, old)
                continue
            now = s.snapshot(root)
            state = "old" if now == old else "new" if now == new[multi] else None
            if state is None:
                mixed = sorted(s.differing(now, old) & s.differing(now, new[multi]))
                failures.append(f"{name}: neither the old nor the new state: {mixed}")
            else:
                expected = set() if state == "old" else s.differing(old, new[multi])
                shown = s.git_status(root)
                if shown != expected:
                    failures.append(f"{name}: git status shows {sorted(shown ^ expected)}")
            if transaction.pending(root):
                failures.append(f"{name}: a save is still pending after loading")
            s.restore(root, old)
        if trials >= 40 and during < trials // 4:
            failures.append(f"only {during} of {trials} kills landed during a save: the "
                            "delays do not cover the save")
    return {"failures": failures, "during_save": during, "trials": trials}


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]), int(sys.argv[2]))))
