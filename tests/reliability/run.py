"""The reliability suite's long mode: every row (``row_*.py``) with its long trial count.

    .venv/bin/python -m tests.reliability.run [--long] [--row TEXT] [--seed N] [--trials N]

Prints one line per row (row, trials, failures, seconds), then the first failures of any
row that had some; exits 1 if any row failed. ``make reliability`` runs ``--long``.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.reliability.rows import all_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="the long trial counts")
    parser.add_argument("--row", help="only rows whose name contains this")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trials", type=int, help="this many trials for every row")
    args = parser.parse_args(argv)
    rows = [r for r in all_rows() if not args.row or args.row.lower() in r.name.lower()]
    width = max(len(r.name) for r in rows)
    print(f"{'row':<{width}}  {'trials':>7}  {'failures':>8}  {'seconds':>7}", flush=True)
    failed: dict[str, list[str]] = {}
    for row in rows:
        trials = args.trials or (row.long if args.long else row.quick)
        started = time.monotonic()
        failures = row.run(trials, args.seed)
        print(f"{row.name:<{width}}  {trials:>7}  {len(failures):>8}  "
              f"{time.monotonic() - started:>7.0f}", flush=True)
        if failures:
            failed[row.name] = failures
    for name, failures in failed.items():
        print(f"\n{name}:")
        for line in failures[:10]:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
