"""A full disk part-way through a save: the originals stay intact and the project valid.

The project lives on a small tmpfs (mounted here when the machine allows it: root on Linux)
filled up to leave a random few pages free, so the five-file rename runs out of space at a
different step each trial. Without a mount, ENOSPC is injected into ``os.write`` after a
random number of bytes instead (every other trial also with the mount: a tmpfs counts
whole pages, so it cannot stop a save at every step). Either way the save must succeed wholly or raise with every
file as it was, nothing pending, and the project loading as before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from guidestudio.core.files import transaction
from tests.reliability import save_support as s
from tests.reliability.rows import Row

PAGE = 4096


@contextlib.contextmanager
def _tmpfs(folder: Path) -> Iterator[bool]:
    """Mount a 2 MB tmpfs on ``folder``; yields whether it worked."""
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                              capture_output=True, timeout=10)
        mounted = done.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        mounted = False
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)


def _fill(folder: Path, leave_pages: int) -> Path:
    """Fill the file system, then free ``leave_pages`` pages."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * PAGE)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    size = filler.stat().st_size
    with open(filler, "r+b") as handle:
        handle.truncate(max(0, size - leave_pages * PAGE))
    return filler


@contextlib.contextmanager
def _inject_enospc(budget: int) -> Iterator[None]:
    real = os.write

    def write(fd: int, data: bytes) -> int:
        nonlocal budget
        if budget < len(data):
            raise OSError(errno.ENOSPC, "No space left on device (injected)")
        budget -= len(data)
        return real(fd, data)

    os.write = write  # type: ignore[assignment]
    try:
        yield
    finally:
        os.write = real  # type: ignore[assignment]


def run(trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gs-full-") as tmp:
        place = Path(tmp) / "disk"
        place.mkdir()
        with _tmpfs(place) as mounted:
            root = s.make_project(place, git=False)
            shutil.rmtree(root / "assets")  # the save's files are what count here
            old = s.snapshot(root)
            loaded = s.load(root)
            s.save(loaded, s.rename_segment(loaded))
            new = s.snapshot(root)
            s.restore(root, old)
            refused = 0
            for trial in range(trials):
                loaded = s.load(root)
                dirty = s.rename_segment(loaded)
                real = mounted and trial % 2 == 0  # else an injected ENOSPC at any byte
                room = rng.randint(0, 9) if real else rng.randint(0, 9000)
                filler = _fill(place, room) if real else None
                name = f"trial {trial} ({room} {'pages' if real else 'bytes'} free)"
                try:
                    with contextlib.nullcontext() if real else _inject_enospc(room):
                        s.save(loaded, dirty)
                    outcome = "saved"
                except OSError as exc:
                    outcome = "refused"
                    refused += 1
                    if exc.errno != errno.ENOSPC:
                        failures.append(f"{name}: failed with {exc}, not a full disk")
                now = s.snapshot(root)
                if (outcome == "saved" and now != new) or (outcome == "refused" and now != old):
                    failures.append(f"{name}: {outcome}, and the files are "
                                    f"{'neither state' if now not in (old, new) else 'the other state'}")
                if transaction.pending(root):
                    failures.append(f"{name}: staged files left behind")
                try:
                    again = s.load(root)
                    if set(again.project.segments) != set(s.load(root).project.segments):
                        failures.append(f"{name}: loads differently")
                except Exception as exc:  # noqa: BLE001 - reported
                    failures.append(f"{name}: the project does not load: {exc}")
                if filler is not None:
                    filler.unlink()
                s.restore(root, old)
            if trials >= 20 and not 0 < refused < trials:
                failures.append(f"{refused} of {trials} saves ran out of space: the free room "
                                "does not straddle what a save needs")
            shutil.rmtree(root)
    return failures


ROW = Row("full disk during a save", quick=3, long=100, run=run)
