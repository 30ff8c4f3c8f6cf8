"""The two evaluators agree: ``guidestudio.core.eligibility`` and the runtime decide alike.

Both run on the compiled guides of the example project's bundle, for its sample
profiles and for a few hundred generated users with random attributes and
random histories, at several moments. Every case goes to one ``node`` process
(stdin → stdout, JSON), which ``require``s ``resources/runtime/guide-runtime.js``
and calls its ``_internal.decide`` and ``_internal.pick``. Compared: eligible,
reason, variant, the ``stopped`` detail (the one detail both word alike) and the
guide that wins when every guide competes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import shutil
import subprocess
from typing import Any

import pytest

from guidestudio.core.eligibility import decide, parse_utc, pick
from tests.runtime.conftest import RUNTIME_JS, guide, history_of

NODE = shutil.which("node")

Case = dict[str, Any]

# The runtime's view of each case, in one process for all of them.
NODE_SCRIPT = r"""
const {decide, pick} = require(process.argv[1])._internal;
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const {guides, context, cases} = JSON.parse(input);
  const out = cases.map(({user, now, history}) => {
    const dec = (g) => decide(g, user, now, history, context);
    const winner = pick(guides, dec)[0];
    return {decisions: guides.map(dec), winner: winner ? winner.id : null};
  });
  process.stdout.write(JSON.stringify(out));
});
"""

MOMENTS = ["2025-12-31T23:59:59Z", "2026-06-15T08:00:00Z", "2026-11-24T12:00:00Z",
           "2026-12-20T12:00:00Z", "2027-01-31T23:59:59Z", "2028-01-01T00:00:00Z"]
EVENTS = ["login", "file_uploaded", "file_shared", "automation_created", "teammate_invited",
          "report.opened"]
DAY_MS = 86_400_000


def ms(moment: str) -> int:
    return int(parse_utc(moment) or 0)


def guides_under_test(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The bundle's guides, plus variations that reach the rest of the experiment logic:
    partial coverage with a namespace, and a guide exempt from the throttle."""
    guides = copy.deepcopy(bundle["guides"])
    namespaced = copy.deepcopy(guide(bundle, "storage-almost-full"))
    namespaced["id"] = "storage-namespaced"
    namespaced["experiment"].update(coverage=0.6, namespace=["storage", 0, 0.7], seed="s-42")
    exempt = copy.deepcopy(guide(bundle, "win-back-inactive"))
    exempt.update(id="win-back-exempt", exempt_from_throttle=True, priority=50)
    return [*guides, namespaced, exempt]


def random_user(rnd: random.Random, samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Half start from a sample profile (so audiences often match) with a few fields redrawn."""
    user: dict[str, Any] = copy.deepcopy(rnd.choice(samples)) if rnd.random() < 0.5 else {}
    pick_id = rnd.random()
    if pick_id < 0.85:
        user["id"] = f"u-{rnd.randrange(100_000)}"
    elif pick_id < 0.9:
        user["id"] = rnd.randrange(1000)  # a number: String(id) is hashed
    elif pick_id < 0.95:
        user["id"] = ""  # no hash attribute
    optional = {
        "first_name": lambda: rnd.choice(["Ada", "陽菜", "<b>x</b>"]),
        "plan": lambda: rnd.choice(["free", "trial", "pro", "business", None]),
        "role": lambda: rnd.choice(["owner", "admin", "member", "viewer"]),
        "storage_used_pct": lambda: rnd.choice(
            [rnd.randrange(101), rnd.random() * 100, str(rnd.randrange(80, 100)), None]),
        "trial_days_left": lambda: rnd.randrange(-5, 20),
        "app_version": lambda: rnd.choice(["1.9.8", "2.0.0", "2.4.1", "2.10.0", "v2.4.1",
                                           "3.0.0-beta.1", 2, None]),
        "account": lambda: rnd.choice([None, {}, {"age_days": rnd.randrange(0, 800),
                                                  "seats": rnd.randrange(1, 60)}]),
        "events": lambda: {"login": {"days_since": rnd.randrange(0, 60)}},  # the product's own
    }
    redraw = 0.3 if user else 0.8
    for name, make in optional.items():
        if rnd.random() < (0.15 if name == "events" else redraw):
            user[name] = make()
    return user


def random_history(rnd: random.Random, now: int, guide_ids: list[str]) -> dict[str, Any]:
    if rnd.random() < 0.15:
        return {}

    def day(delta: int) -> str:
        return dt.datetime.fromtimestamp((now + delta * DAY_MS) / 1000, dt.UTC).strftime("%Y-%m-%d")

    events: dict[str, Any] = {}
    for name in rnd.sample(EVENTS, rnd.randrange(len(EVENTS) + 1)):
        days = {day(-rnd.randrange(0, 100)): rnd.randrange(1, 8) for _ in range(rnd.randrange(1, 6))}
        if rnd.random() < 0.1:
            days.update({"yesterday": 3, "2026-02-30": 1, day(2): "2"})  # ignored or odd keys
        events[name] = days
    history: dict[str, Any] = {"v": 1, "events": events, "guides": {}}
    for gid in rnd.sample(guide_ids, rnd.randrange(len(guide_ids) + 1)):
        record: dict[str, Any] = {"shows": rnd.randrange(0, 4), "last_shown": now - rnd.choice(
            [rnd.randrange(0, 60) * 60_000, rnd.randrange(0, 400) * 3_600_000])}
        for outcome in ("dismissed", "completed", "cta_clicked", "goal_reached"):
            if rnd.random() < 0.15:
                record[outcome] = now - rnd.randrange(0, 100) * 3_600_000
        if rnd.random() < 0.2:
            record["snoozed_until"] = now + rnd.randrange(-48, 48) * 3_600_000
        history["guides"][gid] = record
    shown = [r["last_shown"] for r in history["guides"].values()]
    if shown and rnd.random() < 0.5:  # as the runtime keeps it: the latest show of any guide
        history["last_shown_any"] = max(shown)
    elif rnd.random() < 0.6:
        history["last_shown_any"] = now - rnd.randrange(0, 120) * 60_000
    if rnd.random() < 0.6:
        history["day"] = {"date": day(-rnd.randrange(0, 2)), "shows": rnd.randrange(0, 5)}
    if rnd.random() < 0.6:
        history["session"] = {"started": now - 3_600_000, "shows": rnd.randrange(0, 4),
                              "last_seen": now - rnd.randrange(0, 60) * 60_000}
    return history


def example_cases(profiles: dict[str, dict[str, Any]]) -> list[Case]:
    cases = []
    for moment in MOMENTS:
        for profile in profiles.values():
            for history in ({}, history_of(profile)):
                cases.append({"user": profile["attributes"], "now": ms(moment), "history": history})
    return cases


def generated_cases(guide_ids: list[str], samples: list[dict[str, Any]], count: int = 500,
                    seed: int = 20261124) -> list[Case]:
    rnd = random.Random(seed)
    cases = []
    for _ in range(count):
        now = ms(rnd.choice(MOMENTS)) + rnd.randrange(-3, 4) * 3_600_000
        cases.append({"user": random_user(rnd, samples), "now": now,
                      "history": random_history(rnd, now, guide_ids)})
    return cases


def run_runtime(guides: list[dict[str, Any]], context: dict[str, Any], cases: list[Case]
                ) -> list[dict[str, Any]]:
    payload = json.dumps({"guides": guides, "context": context, "cases": cases})
    assert NODE is not None, "Node.js is required for the tests (see README)"
    done = subprocess.run([str(NODE), "-e", NODE_SCRIPT, str(RUNTIME_JS)], input=payload,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def compared(decision: dict[str, Any]) -> tuple[Any, ...]:
    reason = decision["reason"]
    return (decision["eligible"], reason, decision["variant"],
            decision["detail"] if reason == "stopped" else None)


def assert_same(guides: list[dict[str, Any]], context: dict[str, Any], cases: list[Case]) -> None:
    answers = run_runtime(guides, context, cases)
    assert len(answers) == len(cases)
    mismatches = []
    for case, js in zip(cases, answers, strict=True):
        winner, _ = pick(guides, case["user"], case["now"], case["history"], context)
        for g, js_decision in zip(guides, js["decisions"], strict=True):
            py = decide(g, case["user"], case["now"], case["history"], context).to_dict()
            if compared(py) != compared(js_decision):
                mismatches.append((g["id"], compared(py), compared(js_decision), case))
        if (winner or {}).get("id") != js["winner"]:
            mismatches.append(("winner", (winner or {}).get("id"), js["winner"], case))
    assert not mismatches, f"{len(mismatches)} disagreements, first: {mismatches[:3]}"


@pytest.fixture(scope="module")
def setup(example_bundle: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    context = {"hash_attribute": example_bundle["hash_attribute"],
               "throttle": example_bundle["throttle"]}
    return guides_under_test(example_bundle), context


def test_example_guides_times_sample_profiles(
        setup: tuple[list[dict[str, Any]], dict[str, Any]],
        profiles: dict[str, dict[str, Any]]) -> None:
    guides, context = setup
    cases = example_cases(profiles)
    assert len(cases) == len(MOMENTS) * len(profiles) * 2
    assert_same(guides, context, cases)


def test_generated_users_and_histories(
        setup: tuple[list[dict[str, Any]], dict[str, Any]],
        profiles: dict[str, dict[str, Any]]) -> None:
    guides, context = setup
    samples = [p["attributes"] for p in profiles.values()]
    cases = generated_cases([g["id"] for g in guides], samples)
    assert_same(guides, context, cases)
    # the generated cases reach every reason, so agreement means something
    reasons = {decide(g, c["user"], c["now"], c["history"], context).reason
               for c in cases for g in guides}
    assert reasons >= {"schedule_not_started", "schedule_ended", "audience", "no_hash_attribute",
                       "not_in_namespace", "not_in_experiment", "control", "stopped", "snoozed",
                       "frequency_cap", "cooldown", "throttle_gap", "throttle_session",
                       "throttle_day", "eligible"}, reasons
