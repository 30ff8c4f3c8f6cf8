"""Benchmark ``guidestudio results``: 10 million events, 100,000 users, 20 guides.

Run as ``.venv/bin/python bench/results.py [--events N] [--users N] [--keep DIR]``. It
writes, with DuckDB, N Segment-shaped events (guide journeys: ``experiment_viewed``,
``guide_shown``, steps, completions, dismissals, CTA clicks, step errors, survey answers,
goal events and other product events) for 20 guides, two of which run an experiment with
a control group, as Parquet (timestamps typed, properties a struct) and as JSON Lines
(timestamps as text with an offset). Then, for each format, in fresh processes:

* the **floor**: DuckDB reading the file and counting events per name;
* the **dedupe** bound: DuckDB reading only the names and message ids of the events
  the analysis keeps and proving no id repeats (the check ``store.load`` makes) — what
  dropping duplicates, which the issue asks for, costs at the least: a lower bound of
  the full run's ratio;
* the **full** results: every source read and normalised (``core/results/store.py``),
  every guide's funnel, steps, anchors, surveys, checklists, daily series and experiment
  (``analysis.py``), formatted as the table the command prints.

It prints seconds (wall clock, and CPU: user + system of the child, which other work on
a shared machine inflates far less), the ratio full / floor, each process's peak memory
(max RSS) and the load average around it. Targets: Parquet full ≤ 3× floor and ≤ 10 s;
peak memory ≤ 1 GB. It fails unless both formats give the same results (the JSON's
sha256), and at the default size the results of the code before the speed work.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from guidestudio.core.model import (  # noqa: E402 - after the path set-up, for a plain script run
    Button,
    ChecklistItem,
    Experiment,
    Goal,
    Guide,
    Project,
    Settings,
    Step,
    Variant,
)

GUIDES = 20
EXPERIMENTS = 2  # g00 and g01: control 20 %, variants a and b


def project() -> Project:
    guides = {}
    for i in range(GUIDES):
        gid = f"g{i:02d}"
        steps = [Step(id=f"s{k}", buttons=[Button({"en": "Next"}, "next")]) for k in range(3)]
        if i % 5 == 3:
            steps = [Step(items=[ChecklistItem(f"item{k}", {"en": "Item"}, f"done{k}")
                                 for k in range(3)])]
        variants = [Variant("a", steps), Variant("b", steps)] if i < EXPERIMENTS else [
            Variant("a", steps)]
        guides[gid] = Guide(
            gid, f"Guide {i}", "walkthrough", "live", variants,
            goal=Goal("plan_upgraded" if i % 2 == 0 else "file_shared", 7 + i % 3 * 7),
            experiment=Experiment(f"exp-{gid}", control_weight=0.2) if i < EXPERIMENTS else None)
    return Project(Settings(id="bench", name="Bench"), guides=guides)


# One journey = 8 events; each row's role is its position k in the journey.
GENERATE = """
WITH j AS (
    SELECT range AS j,
           hash(range * 7919) % {users} AS u,
           range % {guides} AS g,
           TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_seconds((range * 37) % (30 * 86400)) AS t0
    FROM range({journeys})
), a AS (
    SELECT *, CASE WHEN g < {experiments} THEN
                CASE hash(u, g) % 10 WHEN 0 THEN 'control' WHEN 1 THEN 'control'
                     ELSE CASE WHEN hash(u, g) % 2 = 0 THEN 'a' ELSE 'b' END END
              ELSE 'a' END AS arm,
              hash(j, 3) % 100 AS roll
    FROM j
), e AS (
    SELECT a.*, k FROM a, range(8) AS r(k)
)
SELECT
    'u' || u AS userId,
    CASE
      WHEN k = 0 THEN CASE WHEN g < {experiments} THEN 'experiment_viewed' ELSE 'page_viewed' END
      WHEN arm = 'control' THEN CASE WHEN k = 7 AND roll < 12 THEN 'plan_upgraded'
                                     ELSE 'page_viewed' END
      WHEN k = 1 THEN 'guide_shown'
      WHEN k IN (2, 3, 4) THEN CASE WHEN g % 5 = 3 THEN 'checklist_item_done'
                                    WHEN k = 4 AND roll < 5 THEN 'step_error'
                                    WHEN k - 2 <= roll % 4 THEN 'step_shown'
                                    ELSE 'page_viewed' END
      WHEN k = 5 THEN CASE WHEN roll < 40 THEN 'guide_completed' WHEN roll < 70
                           THEN 'guide_dismissed' WHEN roll < 75 THEN 'guide_snoozed'
                           ELSE 'cta_clicked' END
      WHEN k = 6 THEN CASE WHEN g = 19 THEN 'survey_response'
                           WHEN roll % 7 = 0 THEN 'file_shared' ELSE 'page_viewed' END
      ELSE CASE WHEN roll < (CASE arm WHEN 'a' THEN 18 ELSE 14 END) THEN
                CASE WHEN g % 2 = 0 THEN 'plan_upgraded' ELSE 'file_shared' END
                ELSE 'page_viewed' END
    END AS event,
    t0 + to_seconds(k * 60 + CASE WHEN k = 7 THEN 86400 * (roll % 5) ELSE 0 END) AS timestamp,
    'm' || (j * 8 + k) AS messageId,
    {{'guide_id': 'g' || lpad(CAST(g AS VARCHAR), 2, '0'), 'variant': arm,
      'experiment': CASE WHEN g < {experiments} THEN 'exp-g' || lpad(CAST(g AS VARCHAR), 2, '0')
                    END,
      'step': CAST(k - 2 AS INTEGER), 'selector': '#anchor-' || CAST(g AS VARCHAR),
      'reason': 'not_found',
      'score': CAST(roll % 11 AS INTEGER), 'item': 'item' || CAST(k - 2 AS VARCHAR)}}
      AS properties
FROM e
"""


def generate(folder: Path, events: int, users: int) -> dict[str, Path]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET memory_limit = '2GB'")
    query = GENERATE.format(users=users, guides=GUIDES, experiments=EXPERIMENTS,
                            journeys=max(1, events // 8))
    parquet, jsonl = folder / "events.parquet", folder / "events.jsonl"
    con.execute(f"COPY ({query}) TO '{parquet}' (FORMAT parquet, ROW_GROUP_SIZE 122880)")
    con.execute(f"COPY (SELECT userId, event, strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%g+00:00') "
                f"AS timestamp, messageId, properties FROM '{parquet}') TO '{jsonl}' "
                "(FORMAT json)")
    return {"parquet": parquet, "jsonl": jsonl}


def _scan(path: Path, columns: list[str]) -> str:
    """The file as DuckDB reads it; of JSON Lines only ``columns`` (as text)."""
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    wanted = ", ".join(f"'{name}': 'VARCHAR'" for name in columns)
    return f"read_json('{path}', format = 'newline_delimited', columns = {{{wanted}}})"


def floor(path: Path) -> str:
    import duckdb

    con = duckdb.connect()
    scan = _scan(path, ["event"])
    rows = con.execute(f"SELECT event, count(*) FROM {scan} GROUP BY event").fetchall()
    return f"{len(rows)} event names, {sum(n for _, n in rows):,} events"


def dedupe(path: Path) -> str:
    """What any full run must do beyond the floor, since the issue asks for duplicate
    message ids to be dropped: DuckDB reading the message ids of the events the analysis
    keeps (the guides' events and goals) and proving none repeats — the cheapest check
    known, the one ``store.load`` makes (64-bit hashes sorted, each against the one
    before)."""
    import duckdb

    from guidestudio.core.results.store import GUIDE_EVENTS

    goals = sorted({gd.goal.event for gd in project().guides.values() if gd.goal})
    wanted = ", ".join(f"'{name}'" for name in [*GUIDE_EVENTS, *goals])
    con = duckdb.connect()
    scan = _scan(path, ["event", "messageId"])
    repeated, ids = con.execute(
        "SELECT count(*) FILTER (WHERE h = before), count(*) FROM (SELECT h, lag(h) OVER "
        f"(ORDER BY h) AS before FROM (SELECT hash(messageId) AS h FROM {scan} "
        f"WHERE event IN ({wanted}) AND messageId IS NOT NULL))").fetchall()[0]
    return f"{ids:,} message ids, {repeated:,} repeated"


def full(path: Path) -> str:
    from guidestudio.core.results import analysis, report, store

    proj = project()
    con = store.connect()
    loaded = store.load(con, proj, [str(path)])
    results = analysis.analyse(con, proj)
    text = report.format_table(results, loaded)
    digest = hashlib.sha256(report.format_json(results, loaded).encode()).hexdigest()
    return (f"{loaded.events:,} events analysed, {len(results)} guides, {len(text):,} chars, "
            f"json sha256 {digest[:12]}")


# ``--format json`` of the default 10 million events, as the code before the speed work
# (commit 540d9db) wrote it: the same for Parquet and JSON Lines. A faster version must
# give the same bytes (tests/core/results/test_bench_golden.py holds a small set to it).
EXPECTED = {(10_000_000, 100_000): "40dba806ecf8"}


def child(kind: str, path: Path) -> None:
    start = time.perf_counter()
    summary = {"floor": floor, "dedupe": dedupe, "full": full}[kind](path)
    print(json.dumps({"seconds": time.perf_counter() - start, "summary": summary}))


def measure(kind: str, path: Path) -> tuple[float, float, float, str]:
    """Seconds, CPU seconds and peak RSS (MB) of one run in a fresh process."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(path)],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{kind} on {path} failed ({proc.returncode})")
    data = json.loads(out.strip().splitlines()[-1])
    return (data["seconds"], usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            data["summary"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--keep", type=Path,
                        help="write the files in this folder, or reuse those of the same size")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.child[0] == "generate":
        generate(Path(args.child[1]), args.events, args.users)
        return
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gs-results-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    # In a child too: Linux keeps a process's peak RSS across exec, so the parent (which
    # forks the measured processes) must stay small.
    files = {"parquet": folder / "events.parquet", "jsonl": folder / "events.jsonl"}
    stamp = folder / "generated.json"
    wanted = {"events": args.events, "users": args.users}
    if not (stamp.exists() and json.loads(stamp.read_text()) == wanted):  # --keep: reuse
        subprocess.run([sys.executable, __file__, "--child", "generate", str(folder),
                        "--events", str(args.events), "--users", str(args.users)], check=True)
        stamp.write_text(json.dumps(wanted))
    print(f"{args.events:,} events for {args.users:,} users, generated or reused in "
          f"{time.perf_counter() - start:.1f} s: "
          + ", ".join(f"{k} {p.stat().st_size / 1e6:,.0f} MB" for k, p in files.items()))
    digests = set()
    for fmt, path in files.items():
        load = os.getloadavg()[0]
        f_s, f_cpu, f_mb, f_sum = measure("floor", path)
        d_s, d_cpu, d_mb, d_sum = measure("dedupe", path)
        r_s, r_cpu, r_mb, r_sum = measure("full", path)
        digests.add(r_sum.rsplit(" ", 1)[-1])
        print(f"{fmt:8s} floor {f_s:6.2f} s, cpu {f_cpu:6.2f} s ({f_mb:5.0f} MB peak; {f_sum})")
        print(f"{fmt:8s} dedupe alone {d_s:6.2f} s, cpu {d_cpu:6.2f} s ({d_mb:5.0f} MB peak; "
              f"{d_sum}) = {d_s / f_s:.1f}x floor: a lower bound of any full run")
        print(f"{fmt:8s} full  {r_s:6.2f} s, cpu {r_cpu:6.2f} s ({r_mb:5.0f} MB peak; {r_sum}) "
              f"= {r_s / f_s:.1f}x floor ({r_cpu / f_cpu:.1f}x in cpu; load average "
              f"{load:.1f} before, {os.getloadavg()[0]:.1f} after)", flush=True)
    expected = EXPECTED.get((args.events, args.users))
    if len(digests) > 1 or (expected and digests != {expected}):
        raise SystemExit(f"results differ: {sorted(digests)} (expected {expected or 'one'})")
    print("results: the same for both formats" + (", and as before the speed work"
                                                   if expected else ""))


if __name__ == "__main__":
    main()
