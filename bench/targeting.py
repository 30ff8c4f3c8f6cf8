"""Benchmark ``eval_condition`` on the audience docs/targeting.md quotes.

Run as ``.venv/bin/python bench/targeting.py [--users N]``. The audience is the
kind marketers build: ``$and``/``$or``, a 100-item ``$in``, a ``$regex`` on the
e-mail and a ``$vgte`` on the app version, evaluated for random users; a second
figure makes every clause run (users built to pass the early ones). Prints
evaluations per second of CPU time (so a busy machine's other work does not
count), best of five rounds.

Target: at least 250,000 per second for the first (docs/targeting.md, "Speed").
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from guidestudio.core.targeting import eval_condition  # noqa: E402 - after the path set-up

COUNTRIES = [f"C{i:02d}" for i in range(100)]
AUDIENCE: dict[str, Any] = {
    "$and": [
        {"$or": [{"plan": "pro"}, {"account.seats": {"$gte": 10}}]},
        {"country": {"$in": COUNTRIES}},
        {"email": {"$regex": r"@(acme|example)\.(com|org|net)$"}},
        {"app_version": {"$vgte": "2.4.0"}},
    ]
}


def users(n: int, seed: int, all_clauses: bool) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        out.append({
            "id": f"u{i}",
            "plan": "pro" if all_clauses else rng.choice(["free", "pro", "team"]),
            "account": {"seats": rng.randint(1, 40)},
            "country": rng.choice(COUNTRIES) if all_clauses or rng.random() < 0.5 else "FR",
            "email": f"user{i}@{rng.choice(['acme.com', 'example.org', 'mail.net', 'x.io'])}",
            "app_version": rng.choice(["2.3.9", "2.4.0", "2.10.1", "3.0.0-beta"]),
        })
    return out


def rate(population: list[dict[str, Any]]) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.thread_time()  # CPU time: other processes on the machine do not count
        for user in population:
            eval_condition(user, AUDIENCE)
        best = min(best, time.thread_time() - started)
    return len(population) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    args = parser.parse_args()
    print(f"random users:       {rate(users(args.users, 1, False)):>10,.0f} evaluations/s")
    print(f"every clause runs:  {rate(users(args.users, 2, True)):>10,.0f} evaluations/s")


if __name__ == "__main__":
    main()
