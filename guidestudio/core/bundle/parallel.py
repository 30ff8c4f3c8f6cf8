"""Spread independent per-guide work over the machine's cores.

Compiling 2,000 guides is pure CPU work on immutable inputs, the case where
forked worker processes pay off: each inherits the loaded project (no
pickling of inputs) and sends back only its results. Used by the CLI export;
the editor calls with ``workers=1`` because forking a process that runs Qt
threads is unsafe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items the cost of starting workers outweighs the gain.
MIN_ITEMS = 64

_job: tuple[Callable[[Any], Any], list[Sequence[Any]]] | None = None


class _Failed:
    """An exception raised in a worker, carried back as a value and re-raised there."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else (os.cpu_count() or 1)))


def _run_chunk(index: int) -> list[Any] | _Failed:
    assert _job is not None
    fn, chunks = _job
    try:
        return [fn(item) for item in chunks[index]]
    except Exception as exc:  # re-raised in the parent, with its own type
        return _Failed(exc)


def _can_fork() -> bool:
    # Imported here: the editor compiles with one worker and need not load it (~30 ms).
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def map_in_order(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """``[fn(x) for x in items]``, in order, on up to ``workers`` forked processes."""
    total = len(items)
    if workers <= 1 or total < MIN_ITEMS or not _can_fork():
        out = []
        for done, item in enumerate(items, start=1):
            out.append(fn(item))
            if progress is not None:
                progress(done, total)
        return out
    global _job
    size = max(1, -(-total // (workers * 8)))  # small chunks keep progress moving
    chunks = [items[i:i + size] for i in range(0, total, size)]
    _job = (fn, chunks)
    results: list[R] = []
    try:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk_result in pool.imap(_run_chunk, range(len(chunks))):
                if isinstance(chunk_result, _Failed):
                    raise chunk_result.error
                results.extend(chunk_result)
                if progress is not None:
                    progress(len(results), total)
    finally:
        _job = None
    return results
