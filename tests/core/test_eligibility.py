"""Eligibility: the shared vectors, the rules docs/eligibility.md spells out, and
the simulation's fast paths held to the reference functions.

The vectors are the contract with the JavaScript runtime (tests/js runs the
same file), so every row runs here. The property tests prove that what
``guidestudio.core.simulate`` computes set-at-a-time — compiled audiences, batched
FNV-1a, per-chunk tallies — is exactly ``eval_condition`` / ``hash_value`` /
``decide``, on inputs nobody thought to write down.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core import eligibility, simulate, targeting
from guidestudio.core.eligibility import Decision, decide, match_url, parse_utc, pick
from guidestudio.core.simulate.hashing import PreparedExperiment, position_table
from tests.conftest import EXAMPLE_PROJECT, REPO_ROOT

VECTORS = json.loads((REPO_ROOT / "tests" / "vectors" / "eligibility.json").read_text("utf-8"))
NOW = parse_utc("2026-11-24T10:00:00Z")
H, M, D = 3_600_000, 60_000, 86_400_000


def _ids(section: str) -> list[str]:
    return [str(row[0]) for row in VECTORS[section]]


# ---------------------------------------------------------------------------
# The shared vectors, every row
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("row", VECTORS["decide"], ids=_ids("decide"))
def test_decide_vector(row: list[Any]) -> None:
    _name, guide, user, now, history, context, expected = row
    d = decide(guide, user, now, history, context)
    assert {"eligible": d.eligible, "reason": d.reason, "variant": d.variant} == expected


@pytest.mark.parametrize("row", VECTORS["behaviour"], ids=_ids("behaviour"))
def test_behaviour_vector(row: list[Any]) -> None:
    _name, events, now, names, expected = row
    assert eligibility.behaviour_attributes(events, now, names) == expected


@pytest.mark.parametrize("row", VECTORS["pick"], ids=_ids("pick"))
def test_pick_vector(row: list[Any]) -> None:
    _name, guides, user, now, history, context, trigger, expected = row
    winner, decisions = pick(guides, user, now, history, context, trigger)
    assert (winner["id"] if winner else None) == expected
    assert all(isinstance(d, Decision) for d in decisions.values())


@pytest.mark.parametrize("row", VECTORS["trigger"], ids=_ids("trigger"))
def test_trigger_vector(row: list[Any]) -> None:
    _name, trigger, event, expected = row
    guide = {"id": "g"} if trigger is None else {"id": "g", "trigger": trigger}
    assert eligibility.trigger_matches(guide, event) is expected


@pytest.mark.parametrize("row", VECTORS["match_url"],
                         ids=[f"{r[0]} {r[1]}" for r in VECTORS["match_url"]])
def test_match_url_vector(row: list[Any]) -> None:
    pattern, url, expected = row
    assert match_url(pattern, url) == expected


def test_the_vectors_cover_every_reason_code() -> None:
    reasons = {row[6]["reason"] for row in VECTORS["decide"]}
    assert reasons == set(eligibility.REASONS)


def test_the_vectors_cover_the_behaviour_edge_cases() -> None:
    names = " ".join(_ids("behaviour") + _ids("decide") + _ids("pick"))
    for topic in ("never-seen", "days_since", "last_7d", "last_30d", "throttle", "exempt",
                  "tie", "UTC"):
        assert topic in names, topic


# ---------------------------------------------------------------------------
# Focused rules
# ---------------------------------------------------------------------------

STEP = {"id": "s1", "layout": "modal", "if_missing": "skip", "actions": [], "html": {"en": "<div/>"},
        "tokens": []}


def guide(gid: str = "g", **fields: Any) -> dict[str, Any]:
    g: dict[str, Any] = {"id": gid, "name": gid, "kind": "modal", "status": "live", "priority": 0,
                         "theme": "default", "exempt_from_throttle": False,
                         "audience": {"segments": [], "condition": {}},
                         "trigger": {"on": "page_view"}, "schedule": {},
                         "frequency": {"stop_after": []}, "display": {},
                         "variants": [{"key": "a", "weight": 1, "steps": [STEP]}]}
    g.update(fields)
    return g


def test_schedule_bounds_are_inclusive_to_the_millisecond() -> None:
    g = guide(schedule={"start": "2026-12-01T00:00:00Z", "end": "2026-12-31T23:59:59Z"})
    start, end = parse_utc("2026-12-01T00:00:00Z"), parse_utc("2026-12-31T23:59:59Z")
    assert decide(g, {}, start - 1).reason == "schedule_not_started"
    assert decide(g, {}, start).eligible
    assert decide(g, {}, end).eligible
    assert decide(g, {}, end + 1).reason == "schedule_ended"


def test_an_unreadable_schedule_bound_is_no_bound() -> None:
    assert decide(guide(schedule={"start": "next tuesday"}), {}, NOW).eligible


def test_decisions_do_not_depend_on_the_machine_time_zone() -> None:
    """Days and schedules are UTC: the same answers under any local zone, on
    either side of a daylight-saving change."""
    history = {"v": 1, "events": {"login": {"2026-03-28": 1}},
               "day": {"date": "2026-03-29", "shows": 3}}
    g = guide(audience={"segments": [], "condition": {"events.login.days_since": 1}},
              schedule={"start": "2026-03-29T01:00:00Z"})
    moments = [parse_utc("2026-03-29T00:59:59Z"), parse_utc("2026-03-29T01:00:00Z"),
               parse_utc("2026-03-29T23:59:59Z")]
    context = {"throttle": {"max_per_day": 3}}

    def answers() -> list[str]:
        return [decide(g, {"id": "u"}, t, history, context).reason for t in moments]

    expected = ["schedule_not_started", "throttle_day", "throttle_day"]
    saved = os.environ.get("TZ")
    try:
        for zone in ("UTC", "Europe/London", "America/New_York", "Pacific/Kiritimati"):
            os.environ["TZ"] = zone
            time.tzset()
            assert answers() == expected, zone
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_every_reason_is_reachable_in_the_documented_order() -> None:
    """One user, one history: peel the checks off one at a time."""
    seen = [d.reason for d in _peel()]
    assert seen == ["schedule_ended", "audience", "stopped", "snoozed", "frequency_cap",
                    "cooldown", "throttle_gap", "throttle_session", "throttle_day", "eligible"]


def _peel() -> list[Decision]:
    record = {"shows": 3, "last_shown": NOW - H, "dismissed": NOW - H, "snoozed_until": NOW + H}
    history: dict[str, Any] = {
        "v": 1, "guides": {"g": record}, "last_shown_any": NOW - M,
        "session": {"last_seen": NOW - M, "shows": 2}, "day": {"date": "2026-11-24", "shows": 3}}
    g = guide(schedule={"end": "2026-01-01T00:00:00Z"},
              audience={"segments": [], "condition": {"plan": "pro"}},
              frequency={"max_shows": 3, "cooldown_hours": 24, "stop_after": ["dismissed"]})
    context = {"throttle": {"min_minutes_between": 30, "max_per_session": 2, "max_per_day": 3}}
    user = {"id": "u1", "plan": "free"}
    out = []
    steps = [
        lambda: g.update(schedule={}),
        lambda: user.update(plan="pro"),
        lambda: record.pop("dismissed"),
        lambda: record.pop("snoozed_until"),
        lambda: record.update(shows=1),
        lambda: record.update(last_shown=NOW - 25 * H),
        lambda: history.update(last_shown_any=NOW - H),
        lambda: history.update(session={"last_seen": NOW - H, "shows": 2}),
        lambda: history.update(day={"date": "2026-11-23", "shows": 3}),
    ]
    out.append(decide(g, user, NOW, history, context))
    for step in steps:
        step()
        out.append(decide(g, user, NOW, history, context))
    return out


def test_audience_detail_names_the_failing_clause() -> None:
    g = guide(audience={"segments": ["free-plan"], "condition": {
        "$and": [{"plan": "free"}, {"storage_used_pct": {"$gte": 90}}]}})
    d = decide(g, {"id": "u", "plan": "free", "storage_used_pct": 42}, NOW)
    assert d.reason == "audience"
    assert d.detail == "storage_used_pct $gte 90 (was 42)"


def test_control_is_reported_with_the_control_variant_and_not_shown() -> None:
    control_user = next(r for r in VECTORS["decide"] if r[6]["reason"] == "control")
    d = decide(*control_user[1:6])
    assert (d.eligible, d.variant, d.detail) == (False, "control", "copy-test")


def test_priority_then_id_decides_between_guides() -> None:
    guides = [guide("b", priority=5), guide("c", priority=9, exempt_from_throttle=True),
              guide("a", priority=5)]
    winner, decisions = pick(guides, {"id": "u"}, NOW)
    assert winner is not None and winner["id"] == "c"
    assert set(decisions) == {"a", "b", "c"}
    winner, _ = pick(guides[:1] + guides[2:], {"id": "u"}, NOW)
    assert winner is not None and winner["id"] == "a"
    # A trigger narrows the field before priority is looked at.
    files = guide("files", priority=1, trigger={"on": "page_view", "url": "/files/:name"})
    winner, decisions = pick([files, guide("home", priority=50,
                                           trigger={"on": "page_view", "url": "/"})],
                             {"id": "u"}, NOW, trigger={"on": "page_view", "url": "/files/x"})
    assert winner is files and list(decisions) == ["files"]


def test_user_attributes_merge_history_and_product_values() -> None:
    history = {"events": {"login": {"2026-11-24": 2}}}
    attrs = eligibility.user_attributes(
        {"id": "u", "events": {"login": {"count": 99}}}, history, NOW,
        {"events.export.count": 0})
    assert attrs["events"]["login"] == {"count": 99, "last_7d": 2, "last_30d": 2, "days_since": 0}
    assert attrs["events"]["export"] == {"count": 0, "last_7d": 0, "last_30d": 0}
    assert eligibility.user_attributes({"id": "u"}, None, NOW)["events"] == {}


def test_match_url_captures_params_and_handles_full_urls() -> None:
    assert match_url("/projects/:id/files/:file", "/projects/p1/files/a.txt?x#y") == \
        {"id": "p1", "file": "a.txt"}
    assert match_url("https://app.acme.example/**", "https://APP.acme.example:443/") == {}
    assert match_url("/x", "http://[::1]:8080/x") == {}
    assert match_url("/x", "http://:80/x") is None  # a URL the browser refuses


def test_times_are_utc_milliseconds() -> None:
    assert parse_utc("1970-01-01T00:00:00Z") == 0
    assert parse_utc("2026-11-24T10:00:00+01:00") == parse_utc("2026-11-24T09:00:00Z")
    assert parse_utc("2026-11-24") == parse_utc("2026-11-24T00:00:00Z")
    assert parse_utc("2026-02-30T00:00:00Z") is None
    assert eligibility.iso_utc(parse_utc("2026-11-24T10:00:00.250Z")) == \
        "2026-11-24T10:00:00.250Z"


# ---------------------------------------------------------------------------
# The simulation's fast paths against the reference functions
# ---------------------------------------------------------------------------

PATHS = ["plan", "n", "tags", "account.age", "account", "v", "events.login.count", "x.0"]
SCALARS = st.one_of(
    st.sampled_from(["free", "pro", "", "1", "1.0", "true", "2.4.1", "10.0.0", "Ünï", "😀",
                     "a@acme.com", "B@EXAMPLE.ORG"]),
    st.sampled_from([0, 1, 1.0, -1, 2.5, 90, 2**53 + 1, True, False, None]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["age", "0", "x", "count"]), inner,
                                            max_size=3)),
    max_leaves=6,
)
OPERATORS = st.one_of(
    st.tuples(st.sampled_from(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"]), SCALARS),
    st.tuples(st.sampled_from(["$in", "$nin", "$ini", "$nini", "$all"]),
              st.one_of(st.lists(SCALARS, max_size=4),
                        st.lists(st.sampled_from(["free", "pro", "Ünï", "1"]), max_size=4),
                        SCALARS)),
    st.tuples(st.sampled_from(["$regex", "$regexi"]),
              st.sampled_from(["^f", "@(acme|example)\\.(com|org)$", "(?i)x", "ü", "[", "\\d"])),
    st.tuples(st.sampled_from(["$vgt", "$vlt", "$veq"]), st.sampled_from(["2.0.0", "v10", 2])),
    st.tuples(st.just("$exists"), st.booleans()),
    st.tuples(st.just("$type"), st.sampled_from(["string", "number", "array", "null"])),
    st.tuples(st.just("$size"), st.sampled_from([0, 1, 2, {"$gt": 0}])),
    st.tuples(st.just("$bogus"), SCALARS),
)
LEAF_VALUES = st.one_of(
    SCALARS,
    st.lists(OPERATORS, min_size=1, max_size=3).map(dict),
    st.builds(lambda op: {"$not": dict([op])}, OPERATORS),
    st.builds(lambda op: {"$elemMatch": dict([op])}, OPERATORS),
    st.lists(SCALARS, max_size=2),
)


def _conditions() -> st.SearchStrategy[Any]:
    leaf = st.dictionaries(st.sampled_from(PATHS), LEAF_VALUES, min_size=1, max_size=2)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda xs: {"$and": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda xs: {"$or": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda xs: {"$nor": xs}, st.lists(inner, max_size=3)),
            st.builds(lambda x: {"$not": x}, inner),
            st.builds(lambda a, b: {**a, **b} if isinstance(a, dict) else b, inner, leaf),
            st.just({"$or": "not a list"}),
            st.just(["not", "an", "object"]),
        ),
        max_leaves=8,
    )


USERS = st.lists(
    st.dictionaries(st.sampled_from(["plan", "n", "tags", "account", "v", "x", "events"]),
                    VALUES, max_size=5),
    min_size=1, max_size=12,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=_conditions(), users=USERS)
def test_compiled_audience_agrees_with_eval_condition(condition: Any,
                                                      users: list[dict[str, Any]]) -> None:
    compiled = simulate.compile_audience(condition)
    expected = [targeting.eval_condition(u, condition) for u in users]
    assert compiled(users) == expected
    assert compiled(users) == expected  # memos filled by the first call change nothing


@settings(max_examples=150, deadline=None)
@given(seed=st.text(max_size=6), values=st.lists(
    st.one_of(st.text(max_size=6), st.from_regex(r"u-[0-9]{1,6}", fullmatch=True)),
    min_size=1, max_size=40),
    coverage=st.sampled_from([1, 0.5, 0.0, 0.95]), control=st.sampled_from([0, 0.1]))
def test_batched_hashing_agrees_with_hash_value(seed: str, values: list[str], coverage: float,
                                                control: float) -> None:
    variations = ["control", "a", "b"] if control else ["a", "b"]
    weights = [control, (1 - control) / 2, (1 - control) / 2] if control else [0.5, 0.5]
    experiment = PreparedExperiment({"experiment": {
        "key": "k", "seed": seed, "coverage": coverage, "variations": variations,
        "weights": weights, "control_weight": control}})
    ranges = targeting.bucket_ranges(len(variations), coverage, weights)
    expected = [targeting.choose_variation(targeting.hash_value(seed or "k", v, 2), ranges)
                for v in values]
    assert experiment.buckets(values) == expected


def test_position_table_is_choose_variation_for_every_position() -> None:
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(1, 4)
        weights = [rng.random() + 0.01 for _ in range(n)]
        weights = [w / sum(weights) for w in weights]
        ranges = targeting.bucket_ranges(n, rng.choice([1, 0.5, 0.37, 0]), weights)
        table = position_table(ranges)
        assert table == [targeting.choose_variation(m / 10000, ranges) for m in range(10000)]


def _random_history(rng: random.Random, guide_ids: list[str]) -> dict[str, Any] | None:
    roll = rng.random()
    if roll < 0.4:
        return None
    history: dict[str, Any] = {"v": 1, "events": {
        name: {f"2026-11-{rng.randint(1, 26):02d}": rng.randint(0, 3)
               for _ in range(rng.randint(1, 4))}
        for name in rng.sample(["login", "file_shared", "file_uploaded", "automation_created",
                                "report.opened"], rng.randint(1, 3))}}
    if roll > 0.7:
        gid = rng.choice(guide_ids)
        history["guides"] = {gid: {
            "shows": rng.randint(0, 3), "last_shown": NOW - rng.randint(0, 100) * H,
            rng.choice(["dismissed", "completed", "cta_clicked", "x"]): NOW - D,
            "snoozed_until": rng.choice([None, NOW + H, NOW - H])}}
        history["last_shown_any"] = NOW - rng.randint(0, 90) * M
        history["session"] = {"last_seen": NOW - rng.randint(0, 60) * M,
                              "shows": rng.randint(0, 3)}
        history["day"] = {"date": rng.choice(["2026-11-24", "2026-11-23"]),
                          "shows": rng.randint(0, 4)}
    return history


def _test_bundle() -> dict[str, Any]:
    """The example project's production bundle plus guides that exercise what
    the example does not: coverage, a namespace, a custom hash attribute path,
    dotted event names, an ended schedule, an exempt guide, max_shows 0."""
    from guidestudio.core.bundle.compiler import compile_project
    from guidestudio.core.files.project_io import load_project

    bundle = compile_project(load_project(EXAMPLE_PROJECT).project)
    extra = [
        guide("half", priority=3, experiment={
            "key": "half", "seed": "half", "coverage": 0.5, "variations": ["a", "b"],
            "weights": [0.5, 0.5]}, variants=[{"key": "a", "weight": 1, "steps": [STEP]},
                                              {"key": "b", "weight": 1, "steps": [STEP]}]),
        guide("ns", experiment={"key": "ns", "seed": "ns", "coverage": 1,
                                "variations": ["control", "a"], "weights": [0.3, 0.7],
                                "control_weight": 0.3, "namespace": ["pricing", 0, 0.6]}),
        guide("dotted", audience={"segments": [], "condition": {
            "$or": [{"events.report.opened.count": {"$gte": 1}}, {"events": {"$size": 0}}]}}),
        guide("ended", schedule={"end": "2026-01-01T00:00:00Z"},
              audience={"segments": [], "condition": {"plan": {"$in": ["free", "trial"]}}}),
        guide("exempt", exempt_from_throttle=True,
              frequency={"max_shows": 2, "cooldown_hours": 1, "stop_after": ["snoozed"]}),
        guide("never", frequency={"max_shows": 0, "stop_after": []}),
    ]
    bundle["guides"] = bundle["guides"] + extra
    return bundle


def _random_user(rng: random.Random, n: int) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": rng.choice([f"u-{n}", n, f"u-{n}" * 3, "", None, f"ü-{n}"]),
        "plan": rng.choice(["free", "trial", "pro", "business", None]),
        "role": rng.choice(["owner", "admin", "member"]),
        "storage_used_pct": rng.choice([5, 50, 89, 90, 93, "95", None]),
        "account": rng.choice([{"age_days": rng.randint(0, 400), "seats": 3}, None, {}]),
        "app_version": rng.choice(["1.9.8", "2.0.0", "2.4.1", "v3"]),
        "trial_days_left": rng.choice([-1, 0, 5, None]),
    }
    if rng.random() < 0.1:
        user["events"] = {"login": {"count": rng.randint(0, 30)}}  # the product's own counts
    return {k: v for k, v in user.items() if v is not None or rng.random() < 0.5}


def test_simulation_tallies_are_decide_for_every_user() -> None:
    rng = random.Random(11)
    bundle = _test_bundle()
    now = parse_utc("2026-11-24T12:00:00Z")
    guide_ids = [g["id"] for g in bundle["guides"]]
    users = [_random_user(rng, n) for n in range(600)]
    histories = [_random_history(rng, guide_ids) for _ in users]
    context = {"hash_attribute": "id", "throttle": bundle["throttle"]}
    expected = {g["id"]: Counter(decide(g, u, now, h or {}, context).reason
                                 for u, h in zip(users, histories, strict=True))
                for g in bundle["guides"]}
    sim = simulate.Simulation(bundle, now)
    for start in range(0, len(users), 97):  # uneven chunks
        sim.add(users[start:start + 97], histories[start:start + 97])
    got = {r.id: r.reasons for r in sim.result()}
    assert got == {k: dict(v) for k, v in expected.items()}
    for result in sim.result():
        assert result.audience == result.users - result.reasons.get("audience", 0) or \
            result.schedule != "running"
        assert sum(result.variations.values()) + result.not_in_experiment_total == result.audience


def test_simulation_splits_a_fifty_fifty_test_evenly() -> None:
    bundle = {"hash_attribute": "id", "throttle": {}, "guides": [guide(
        "ab", experiment={"key": "ab", "seed": "ab", "coverage": 1, "variations": ["a", "b"],
                          "weights": [0.5, 0.5]})]}
    sim = simulate.Simulation(bundle, NOW)
    sim.add([{"id": f"user-{i}"} for i in range(100_000)], [None] * 100_000)
    (result,) = sim.result()
    assert abs(result.variations["a"] / 100_000 - 0.5) < 0.01


def test_explain_uses_the_reference_decision(tmp_path: Path) -> None:
    bundle = _test_bundle()
    explained = simulate.explain(bundle, {"id": "u-1", "plan": "free", "storage_used_pct": 95},
                                 {}, NOW, "u-1")
    by_id = {g["id"]: d for g, d in explained.decisions}
    assert by_id["storage-almost-full"].reason in ("eligible", "control")
    assert [g["priority"] for g, _ in explained.decisions] == sorted(
        (g["priority"] for g, _ in explained.decisions), reverse=True)
