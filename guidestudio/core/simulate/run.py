"""The whole ``guidestudio simulate`` run: stream, split, explain, report progress.

A large JSON Lines file is cut at line boundaries and its other parts are run
in worker processes while this one does the first; the counts add up, so the
result does not depend on the split.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Mapping
from typing import IO, Any

from guidestudio.core.simulate.explain_user import explain
from guidestudio.core.simulate.readers import UserFile, read_users
from guidestudio.core.simulate.results import SimulationResult
from guidestudio.core.simulate.simulation import Simulation
from guidestudio.core.targeting.js_values import js_string
from guidestudio.core.targeting.paths import get_path

PROGRESS_AFTER_LINES = 10_000


class _Progress:
    """``\\r`` text on stderr once a file turns out to have over 10,000 lines."""

    def __init__(self, source: UserFile, stream: IO[str] | None, scale: int = 1):
        self.source = source
        self.stream = stream
        self.scale = scale  # the first of `scale` equal parts: its share stands for all
        self.shown = False
        self.last = 0.0

    def update(self) -> None:
        lines = (self.source.lines - self.source.first_line + 1) * self.scale
        if self.stream is None or lines <= PROGRESS_AFTER_LINES:
            return
        moment = time.monotonic()
        if self.shown and moment - self.last < 0.2:
            return
        self.last = moment
        self.shown = True
        pct = 100 * self.source.bytes_read / self.source.size if self.source.size else 100
        self.stream.write(f"\rsimulating {self.source.label}: {min(pct, 100):5.1f}% "
                          f"(~{lines:,} lines)")
        self.stream.flush()

    def done(self) -> None:
        if self.shown and self.stream is not None:
            self.stream.write("\r" + " " * 78 + "\r")
            self.stream.flush()


def _matches(user: Mapping[str, Any], label: str | None, wanted: str,
             hash_attribute: str) -> bool:
    """``--explain`` names a user by ``id``, by the hash attribute, or (in a
    profiles file) by the profile's id."""
    if label == wanted:
        return True
    for value in (user.get("id"), get_path(user, hash_attribute)):
        if value is not None and js_string(value) == wanted:
            return True
    return False


Found = tuple[dict[str, Any], Any, int]


def _consume(simulation: Simulation, source: UserFile, explain_id: str | None,
             bar: _Progress | None) -> Found | None:
    """Stream ``source`` into ``simulation``; the ``--explain`` user, if met."""
    found: Found | None = None
    hash_attribute = js_string(simulation.context["hash_attribute"])
    # Users are plain acyclic JSON, freed chunk by chunk; the cyclic collector
    # would only walk them over and over (about a fifth of the run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for users, histories, lines, labels in read_users(source):
            if explain_id is not None and found is None:
                for i, user in enumerate(users):
                    if _matches(user, labels[i] if labels else None, explain_id,
                                hash_attribute):
                        found = (copy_json(user), copy_json(histories[i]), lines[i])
                        break
            simulation.add(users, histories)
            if bar is not None:
                bar.update()
    finally:
        if collecting:
            gc.enable()
    return found


def copy_json(value: Any) -> Any:
    """A deep copy of plain JSON data."""
    if type(value) is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if type(value) is list:
        return [copy_json(v) for v in value]
    return value


def _simulate_part(bundle: Mapping[str, Any], source: UserFile, now_ms: float,
                   explain_id: str | None) -> tuple[int, Any, list[tuple[int, str]], Found | None]:
    """A worker process: one part of the file, returned as raw counts."""
    simulation = Simulation(bundle, now_ms)
    found = _consume(simulation, source, explain_id, None)
    return simulation.users, simulation.tallies(), source.bad, found


PARALLEL_MIN_BYTES = 4 << 20  # below this a second process costs more than it saves


def _parts(source: UserFile, workers: int) -> list[UserFile]:
    """Split a JSON Lines file into byte ranges that start at line starts,
    each knowing its first line number."""
    bounds = [0]
    with source.path.open("rb") as fp:
        for k in range(1, workers):
            fp.seek(max(bounds[-1], source.size * k // workers))
            fp.readline()  # to the start of the next line
            bounds.append(max(fp.tell(), bounds[-1]))
        bounds.append(source.size)
        first_lines = [1]
        fp.seek(0)
        newlines = 0
        position = 0
        for bound in bounds[1:-1]:
            while position < bound:
                block = fp.read(min(1 << 20, bound - position))
                if not block:
                    break
                newlines += block.count(b"\n")
                position += len(block)
            first_lines.append(newlines + 1)
    return [UserFile(source.path, source.label, source.kind, bounds[k + 1] - bounds[k],
                     start=bounds[k], end=bounds[k + 1], first_line=first_lines[k])
            for k in range(workers) if bounds[k + 1] > bounds[k]]


def _process_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def simulate_users(bundle: Mapping[str, Any], source: UserFile, now_ms: float, *,
                   explain_id: str | None = None, progress: IO[str] | None = None,
                   workers: int = 1) -> SimulationResult:
    """Run every user of ``source`` through every guide of ``bundle``.

    With ``workers`` > 1 a large JSON Lines file is cut into that many parts
    at line boundaries and the other parts run in worker processes while
    this one does the first; the counts are sums, so the result is the same.
    """
    started = time.perf_counter()
    simulation = Simulation(bundle, now_ms)
    bar = _Progress(source, progress)
    parts = [source]
    if workers > 1 and source.kind == "jsonl" and source.size >= PARALLEL_MIN_BYTES:
        parts = _parts(source, workers)
    futures = []
    pool = None
    if len(parts) > 1:
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool = ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=_process_context())
            futures = [pool.submit(_simulate_part, bundle, part, now_ms, explain_id)
                       for part in parts[1:]]
        except (OSError, RuntimeError, ValueError):  # no processes here: do it all ourselves
            pool, futures, parts = None, [], [source]
        else:
            first = parts[0]
            first.on_bad = source.on_bad
            bar = _Progress(first, progress, scale=len(parts))
    try:
        found = _consume(simulation, parts[0], explain_id, bar)
        for future in futures:
            users, tallies, bad, part_found = future.result()
            simulation.merge(users, tallies)
            for line, message in bad:
                parts[0].bad_line(line, message)
            if found is None:
                found = part_found
    finally:
        bar.done()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    explained = None
    if found is not None:
        user, history, line = found
        explained = explain(bundle, user, history or {}, now_ms, explain_id or "", line)
    project = bundle.get("project")
    return SimulationResult(
        users=simulation.users, guides=simulation.result(), now_ms=now_ms,
        environment=js_string(bundle.get("environment") or ""),
        project=js_string(project.get("name")) if isinstance(project, Mapping) else "",
        bad_lines=len(parts[0].bad), source=source.label,
        elapsed_s=time.perf_counter() - started, explained=explained)


def default_workers() -> int:
    """Processes for a large JSON Lines file: one per core, at most two (the
    second roughly halves the time; more add start-up and merging for little)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def default_progress_stream(force: bool) -> IO[str] | None:
    """stderr when it is a terminal (or when asked), else nothing."""
    stream = sys.stderr
    if force:
        return stream
    try:
        return stream if stream.isatty() and os.environ.get("TERM") != "dumb" else None
    except (AttributeError, ValueError):
        return None
