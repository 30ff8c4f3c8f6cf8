"""The reliability suite's rows: each a fault to inject or a hostile input to try, many times.

A row is a module ``row_<name>.py`` in this folder defining ``ROW``; ``all_rows`` finds them,
so a new row is a new file. ``ROW.run(trials, seed)`` makes ``trials`` independent attempts and
returns one line per failed attempt (empty: none failed). ``test_reliability.py`` runs every
row with its ``quick`` count in CI; ``python -m tests.reliability.run --long`` runs the
``long`` counts and prints the table of rows, trials and failures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    name: str  # as the table prints it
    quick: int  # trials in CI
    long: int  # trials in the long mode
    run: Callable[[int, int], list[str]]  # (trials, seed) -> a line per failed trial


def all_rows() -> list[Row]:
    rows = []
    for path in sorted(Path(__file__).parent.glob("row_*.py")):
        module = importlib.import_module(f"tests.reliability.{path.stem}")
        rows.append(module.ROW)
    return rows
