"""Benchmark ``guidestudio simulate``: 100,000 users × 50 guides.

Run as ``.venv/bin/python bench/simulate.py [--users N] [--keep DIR]``. In a
temporary folder it writes a project of 50 live guides with the kinds of
audiences marketers build (segments, nested ``$and/$or``, ``$in`` lists of 100,
regexes, version compares, behaviour counters, experiments with control
groups, schedules, frequency caps) and a JSON Lines file of users, some with
an event history or a full runtime history. Then, in the same run, it
measures:

* the **floor**: reading the file and ``json.loads`` of every line, the least
  any simulation of that file must do;
* the **full** ``guidestudio simulate``: in-process through ``guidestudio.cli.main``
  (exactly what the command runs: load, validate, compile, stream, decide,
  format) and as a subprocess, the figure a user waits for.

Targets: full simulate ≤ 5 s, full / floor ≤ 6.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from guidestudio.core.files.project_io import save_project  # noqa: E402
from guidestudio.core.model import (  # noqa: E402 - after the path set-up, for a plain script run
    Audience,
    Button,
    Experiment,
    Frequency,
    Goal,
    Guide,
    Project,
    Schedule,
    Segment,
    Settings,
    Step,
    Theme,
    Throttle,
    Trigger,
    Variant,
)

GUIDES = 50
USERS = 100_000
NOW = "2026-11-24T12:00:00Z"
PLANS = ["free", "trial", "pro", "business", "enterprise"]
ROLES = ["owner", "admin", "member", "viewer"]
COUNTRIES = [f"{a}{b}" for a in "ABCDEFGHIJKLMNOPRSTUVWYZ" for b in "AEGKMNRSTZ"][:120]
VERSIONS = ["1.9.8", "2.0.0", "2.1.3", "2.2.0", "2.3.0", "2.3.5", "2.4.0", "2.4.1", "2.5.0-beta.1",
            "2.5.0", "3.0.0-rc.2", "3.0.0", "3.1.0", "v3.1.2", "3.2.0"]
DOMAINS = ["example.com", "acme.org", "gmail.com", "outlook.com", "corp.example.net",
           "startup.io", "uni.edu", "example.org"]
EVENTS = ["login", "file_uploaded", "file_shared", "report_opened", "automation_created",
          "teammate_invited"]


def _segments(rng: random.Random) -> dict[str, dict[str, Any]]:
    countries = COUNTRIES[:100]
    return {
        "free-plan": {"plan": "free"},
        "paid-plans": {"plan": {"$in": ["pro", "business", "enterprise"]}},
        "trial-users": {"plan": "trial", "trial_days_left": {"$gte": 0}},
        "admins": {"role": {"$in": ["owner", "admin"]}},
        "established": {"account.age_days": {"$gt": 30}},
        "new-accounts": {"account.age_days": {"$exists": True, "$lte": 90}},
        "web-v2": {"app_version": {"$vgte": "2.0.0"}},
        "launch-markets": {"country": {"$in": countries}},
        "company-email": {"email": {"$regex": r"@(acme|example)\.(com|org|net)$"}},
        "inactive": {"events.login.days_since": {"$gte": 21}},
        "engaged": {"events.login.last_7d": {"$gte": 3}},
        "big-teams": {"$or": [{"account.seats": {"$gte": 20}}, {"plan": "enterprise"}]},
    }


def _own_condition(rng: random.Random, i: int) -> dict[str, Any]:
    """A guide's own rule: one of the shapes real audiences take."""
    countries = rng.sample(COUNTRIES, 100)
    shapes = [
        {"storage_used_pct": {"$gte": rng.choice([70, 80, 90])}},
        {"$and": [{"account.age_days": {"$gte": rng.randint(1, 60)}},
                  {"$or": [{"country": {"$in": countries}},
                           {"email": {"$regexi": r"\.(edu|org)$"}}]}]},
        {"$or": [{"app_version": {"$vlt": "2.3.0"}},
                 {"$and": [{"app_version": {"$vgte": "3.0.0"}}, {"role": {"$ne": "viewer"}}]}]},
        {"events.file_shared.last_30d": {"$gte": 3}, "events.automation_created.count": 0},
        {"$and": [{"locale": {"$in": ["en", "de", "fr"]}},
                  {"$nor": [{"country": {"$in": countries[:50]}}, {"plan": "free"}]}]},
        {"email": {"$regex": r"^[a-m]"}, "account.seats": {"$lt": rng.randint(5, 50)}},
        {"$or": [{"events.report_opened.count": {"$gte": 5}},
                 {"$and": [{"plan": {"$in": ["pro", "business"]}},
                           {"storage_used_pct": {"$gt": 50, "$lte": 95}}]}]},
        {"account.id": {"$nin": [f"acct-{n:05d}" for n in rng.sample(range(20000), 100)]},
         "app_version": {"$vgt": "2.1.0", "$vlt": "3.1.0"}},
    ]
    return shapes[i % len(shapes)]


def build_project(root: Path, guides: int = GUIDES, seed: int = 11) -> Project:
    rng = random.Random(seed)
    project = Project(
        settings=Settings(id="bench-sim", name="Bench simulate", default_locale="en",
                          locales=["en"], hash_attribute="id", theme="t", timezone="UTC",
                          throttle=Throttle(min_minutes_between=30, max_per_session=2,
                                            max_per_day=3)),
        root=root,
    )
    project.themes["t"] = Theme(id="t", name="T", colors={"primary": "#336699"}, radius=8)
    for sid, condition in _segments(rng).items():
        project.segments[sid] = Segment(id=sid, name=sid, condition=condition)
    segment_ids = sorted(project.segments)
    for i in range(guides):
        gid = f"guide-{i:02d}"
        experiment = None
        variants = [Variant(key="a", weight=1, steps=[_step(i)])]
        if i % 3 == 0:  # a third run an A/B test, most with a control group
            experiment = Experiment(key=f"exp-{i}", control_weight=[0.1, 0.2, 0][i % 9 // 3],
                                    coverage=1 if i % 2 else 0.8)
            variants.append(Variant(key="b", weight=1, steps=[_step(i)]))
        schedule = None
        if i % 10 == 7:
            schedule = Schedule(start="2026-12-01T00:00:00Z", end="2027-01-31T23:59:59Z")
        elif i % 10 == 3:
            schedule = Schedule(start="2026-01-01", end="2027-12-31")
        project.guides[gid] = Guide(
            id=gid, name=f"Guide {i}", kind="modal", status="live", priority=rng.randint(0, 60),
            exempt_from_throttle=i % 17 == 0 or None,
            audience=Audience(segments=rng.sample(segment_ids, rng.choice([0, 1, 1, 2])),
                              conditions=_own_condition(rng, i)),
            trigger=Trigger(on="page_view", url=f"/area{i % 7}/**"),
            schedule=schedule,
            frequency=Frequency(max_shows=3, cooldown_hours=24, stop_after=["dismissed"]),
            goal=Goal(event="plan_upgraded", within_days=7),
            experiment=experiment, variants=variants,
        )
    root.mkdir(parents=True, exist_ok=True)
    save_project(project)
    return project


def _step(i: int) -> Step:
    return Step(title={"en": f"Guide {i}"}, body={"en": "Hi {{first_name|there}}, **look**."},
                buttons=[Button(label={"en": "Got it"}, action="dismiss")])


def _day(rng: random.Random) -> str:
    return f"2026-{rng.choice(['10', '11'])}-{rng.randint(1, 24):02d}"


def write_users(path: Path, users: int = USERS, seed: int = 5) -> int:
    """JSON Lines; about a third carry an event history, a tenth a runtime history."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fp:
        for n in range(users):
            plan = rng.choice(PLANS)
            user: dict[str, Any] = {
                "id": f"u-{n:06d}",
                "first_name": rng.choice(["Ada", "Grace", "Linus", "Hina", "Marcus", "Sofia"]),
                "email": f"user{n}@{rng.choice(DOMAINS)}",
                "plan": plan,
                "role": rng.choice(ROLES),
                "country": rng.choice(COUNTRIES),
                "locale": rng.choice(["en", "de", "fr", "ja", "es"]),
                "app_version": rng.choice(VERSIONS),
                "storage_used_pct": rng.randint(0, 100),
                "account": {"id": f"acct-{rng.randrange(20000):05d}",
                            "age_days": rng.randint(0, 1500), "seats": rng.randint(1, 200)},
            }
            if plan == "trial":
                user["trial_days_left"] = rng.randint(-5, 14)
            if rng.random() < 0.35:
                user["events"] = {name: {_day(rng): rng.randint(1, 4)
                                         for _ in range(rng.randint(1, 6))}
                                  for name in rng.sample(EVENTS, rng.randint(1, 3))}
            if rng.random() < 0.1:
                user["history"] = {"v": 1, "guides": {
                    f"guide-{rng.randrange(GUIDES):02d}": {
                        "shows": rng.randint(1, 3), "last_shown": 1795500000000,
                        "dismissed": 1795500000000 if rng.random() < 0.3 else None}},
                    "last_shown_any": 1795500000000}
            fp.write(json.dumps(user, separators=(",", ":")) + "\n")
    return users


def floor(path: Path) -> float:
    """Read the file and parse every line: nothing less is possible."""
    started = time.perf_counter()
    loads = json.loads
    with path.open("rb") as fp:
        for line in fp:
            loads(line)
    return time.perf_counter() - started


def full_in_process(project: Path, users: Path, *extra: str) -> tuple[float, str]:
    """``guidestudio.cli.main(["simulate", …])``: exactly what the command runs."""
    from guidestudio.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["simulate", str(project), "--users", str(users), "--now", NOW,
                     "--format", "json", *extra])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"simulate failed ({code}): {err.getvalue()}")
    return elapsed, out.getvalue()


def full_subprocess(project: Path, users: Path, *extra: str) -> float:
    """The command as a user runs it: interpreter start-up and imports included."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "guidestudio", "simulate", str(project), "--users", str(users),
         "--now", NOW, *extra], capture_output=True, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"simulate failed ({result.returncode}): {result.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--guides", type=int, default=GUIDES)
    parser.add_argument("--keep", metavar="DIR",
                        help="write the project and users here and keep them")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-simulate-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        project_dir, users_file = base / "project", base / "users.jsonl"
        t0 = time.perf_counter()
        build_project(project_dir, args.guides)
        count = write_users(users_file, args.users)
        size = users_file.stat().st_size
        print(f"generated {args.guides} guides and {count:,} users "
              f"({size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        floors, fulls, subs, singles = [], [], [], []
        cold, report = full_in_process(project_dir, users_file)  # first run: cold caches
        for _ in range(args.repeat):
            floors.append(floor(users_file))
            fulls.append(full_in_process(project_dir, users_file)[0])
            subs.append(full_subprocess(project_dir, users_file))
            singles.append(full_subprocess(project_dir, users_file, "--jobs", "1"))
        result = json.loads(report)
        a, b, c, d = min(floors), min(fulls), min(subs), min(singles)
        decisions = count * len(result["guides"])
        audience = sum(g["audience"] for g in result["guides"])
        rate = decisions / max(b, c)
        print(f"guides in the bundle: {len(result['guides'])}; audience matches: {audience:,} "
              f"({audience / decisions:.1%} of user×guide pairs); best of {args.repeat}")
        print(f"(a) floor, read + json.loads per line:    {a:6.3f} s")
        print(f"(b) full simulate, in process:            {b:6.3f} s   (first, cold: {cold:.3f} s)")
        print(f"    full simulate, subprocess:            {c:6.3f} s   (start-up and imports "
              f"included)")
        print(f"    full simulate, subprocess, --jobs 1:  {d:6.3f} s   (one process)")
        print(f"ratio b / a: {b / a:.2f} in process, {c / a:.2f} as a subprocess, "
              f"{d / a:.2f} in one process (target ≤ 6)")
        print(f"decisions (users × guides) per second, end to end: {rate:,.0f}")
        print(f"full ≤ 5 s: {'yes' if max(b, c, d) <= 5 else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
