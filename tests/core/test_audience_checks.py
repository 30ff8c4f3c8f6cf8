"""Audience warnings: never-true conditions (sound: never flag what some user
could satisfy) and guides no sample profile would see, located by file and line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidestudio.core import eligibility, targeting
from guidestudio.core.audience_checks import (
    ProfileSample,
    audience_condition,
    audience_problems,
    never_true,
    profiles_now,
)
from guidestudio.core.eligibility import iso_utc
from guidestudio.core.files.project_io import load_project
from guidestudio.core.problems import Problem
from tests.conftest import EXAMPLE_PROJECT


@pytest.mark.parametrize("condition, words", [
    ({"x": {"$in": []}}, "x $in [] matches nobody"),
    ({"x": {"$ini": []}}, "x $ini [] matches nobody"),
    ({"x": {"$nin": "abc"}}, "$nin needs a list"),
    ({"x": {"$size": -1}}, "a list's length is a whole number"),
    ({"x": {"$size": 1.5}}, "a list's length is a whole number"),
    ({"x": {"$gt": 10, "$lt": 5}}, "x $gt 10 and x $lt 5 cannot both be true"),
    ({"$and": [{"x": {"$gte": 10}}, {"x": {"$lte": 9.5}}]}, "x $gte 10 and x $lte 9.5"),
    ({"x": {"$gt": 5, "$lte": 5}}, "x $gt 5 and x $lte 5"),
    ({"$and": [{"x": {"$eq": "a"}}, {"x": {"$eq": "b"}}]}, "x $eq a and x $eq b"),
    ({"$and": [{"plan": "free"}, {"plan": "pro"}]}, "plan = free and plan = pro"),
    ({"$and": [{"n": 3}, {"n": 4}]}, "n = 3 and n = 4"),
    ({"x": {"$eq": 3, "$gt": 5}}, "x $eq 3 and x $gt 5"),
    ({"x": {"$exists": False, "$gte": 3}}, "a missing value never passes $gte 3"),
    ({"$and": [{"x": {"$exists": False}}, {"x": "free"}]}, "x $exists false and x = free"),
    ({"$and": [{"x": None}, {"x": {"$exists": True}}]}, "x = null and x $exists true"),
    ({"x": {"$size": 0, "$all": ["a"]}}, "$size 0 (an empty list) and $all"),
    ({"x": {"$size": 0, "$elemMatch": {"$gt": 1}}}, "$size 0 (an empty list) and $elemMatch"),
    ({"x": {"$size": 1}, "$and": [{"x": {"$size": 2}}]}, "x $size 1 and $size 2"),
    ({"x": {"$type": "string", "$size": 2}}, "$size (which needs a list)"),
    ({"$and": [{"x": {"$type": "string"}}, {"x": {"$type": "number"}}]}, "$type string and $type"),
    ({"v": {"$vgt": "3.0.0", "$vlt": "2.0.0"}}, "v $vgt 3.0.0 and v $vlt 2.0.0"),
    ({"v": {"$vgte": "2.10.0", "$vlt": "2.9.9"}}, "v $vgte 2.10.0 and v $vlt 2.9.9"),
])
def test_never_true_conditions(condition: Any, words: str) -> None:
    findings = never_true(condition)
    assert len(findings) == 1 and not findings[0].branch
    assert words in findings[0].message
    assert not targeting.eval_condition({}, condition)


@pytest.mark.parametrize("condition", [
    {},
    {"x": {"$in": ["a"]}},
    {"x": {"$gte": 5, "$lte": 5}},
    {"x": {"$gt": 5, "$lt": 6}},
    {"x": {"$exists": False, "$lt": 3}},  # a missing value is null, and null < 3
    {"x": {"$exists": False, "$ne": 1}},
    {"x": {"$size": 0, "$all": []}},
    {"v": {"$vgte": "2.0.0", "$vlte": "2.0.0"}},
    {"v": {"$vgt": "2.9.0", "$vlt": "2.10.0"}},  # versions, not text
    {"plan": "free", "storage_used_pct": {"$gte": 90}},
    {"$and": [{"x": "1"}, {"x": 1}]},  # text "1" and number 1 can both hold
    {"$and": [{"x": 1}, {"x": 1.0}]},
    {"$not": {"x": {"$in": []}}},  # negations are not analysed
    {"$nor": [{"x": {"$gt": 10, "$lt": 5}}]},
    {"$and": [{"x": {"$in": ["a"]}}, {"x": {"$in": ["b"]}}]},  # an array holding a and b
])
def test_satisfiable_conditions_are_not_flagged(condition: Any) -> None:
    assert never_true(condition) == []


def test_a_dead_or_branch_is_reported_as_a_branch() -> None:
    findings = never_true({"$or": [{"x": {"$in": []}}, {"y": 1}]}, ("audience", "conditions"))
    assert len(findings) == 1 and findings[0].branch
    assert findings[0].clauses[0].where == ("audience", "conditions", "$or", 0, "x")
    assert "this $or branch can never be true" == findings[0].lead("this condition")


# Soundness: whatever never_true says can never be true, no user satisfies.
POOL = [None, True, False, 0, 1, 1.0, -1, 2.5, 3, 4, 5, 6, 9.5, 10, 11, 90, "", "a", "b", "free",
        "pro", "1", "2.0.0", "2.9.9", "2.10.0", "3.0.0", "v3", [], ["a"], ["a", "b"], [1, 2],
        {"k": 1}]
OPS = st.sampled_from(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$all",
                       "$exists", "$type", "$size", "$vgt", "$vlte", "$elemMatch"])
EXPECTED = st.one_of(st.sampled_from(POOL), st.lists(st.sampled_from(POOL[:20]), max_size=3),
                     st.sampled_from(["string", "number", "array", "null"]))
LEAF = st.dictionaries(st.sampled_from(["x", "y"]), st.one_of(
    st.sampled_from(POOL[:20]),
    st.dictionaries(OPS, EXPECTED, min_size=1, max_size=3)), min_size=1, max_size=2)
CONDITIONS = st.recursive(LEAF, lambda inner: st.one_of(
    st.builds(lambda xs: {"$and": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda xs: {"$or": xs}, st.lists(inner, min_size=1, max_size=3))), max_leaves=6)


@settings(max_examples=200, deadline=None)
@given(condition=CONDITIONS)
def test_never_true_is_sound(condition: Any) -> None:
    whole = [f for f in never_true(condition) if not f.branch]
    if not whole:
        return
    for x in POOL:
        for y in POOL:
            assert not targeting.eval_condition({"x": x, "y": y}, condition), (x, y, whole)
    assert not targeting.eval_condition({}, condition)


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return root


def _problems(root: Path) -> list[Problem]:
    result = load_project(root)
    return audience_problems(result.project, result.files)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                if needle in line)


def test_the_example_project_has_no_audience_warnings() -> None:
    assert _problems(EXAMPLE_PROJECT) == []


def test_contradictory_ranges_in_a_guide_point_at_the_field(project: Path) -> None:
    guide = project / "guides" / "storage-almost-full.yaml"
    _edit(guide, "    storage_used_pct:\n      $gte: 90",
          "    storage_used_pct:\n      $gt: 90\n      $lt: 50")
    (problem,) = _problems(project)
    assert (problem.file, problem.severity, problem.code) == \
        ("guides/storage-almost-full.yaml", "warning", "never-true")
    assert problem.field == "audience.conditions.storage_used_pct"
    assert problem.line == _line_of(guide, "storage_used_pct:")
    assert "storage_used_pct $gt 90 and storage_used_pct $lt 50 cannot both be true" \
        in problem.message


def test_an_empty_in_list_in_a_segment(project: Path) -> None:
    segment = project / "segments" / "admins.yaml"
    _edit(segment, "    $in:\n    - owner\n    - admin", "    $in: []")
    problems = _problems(project)
    never = [p for p in problems if p.code == "never-true"]
    assert [(p.file, p.field) for p in never] == [("segments/admins.yaml", "condition.role")]
    assert never[0].line == _line_of(segment, "role:")
    assert "this segment can never be true: role $in [] matches nobody" in never[0].message
    # The guide that uses it (staged, not archived) now matches no sample profile either.
    assert any(p.code == "audience-matches-no-profile" and
               p.file == "guides/release-announcement.yaml" for p in problems)


def test_a_segment_and_own_conditions_that_exclude_each_other(project: Path) -> None:
    guide = project / "guides" / "storage-almost-full.yaml"
    _edit(guide, "    storage_used_pct:\n      $gte: 90", "    plan: pro")
    problems = _problems(project)
    combined = [p for p in problems if p.code == "never-true"]
    assert len(combined) == 1
    assert combined[0].field == "audience.conditions.plan"
    assert "segment 'free-plan' and this guide's conditions exclude each other" in \
        combined[0].message
    assert "plan = free and plan = pro" in combined[0].message
    # Already explained: no second warning about the sample profiles for this guide.
    assert not any(p.code == "audience-matches-no-profile" and "storage" in p.file
                   for p in problems)


def test_two_segments_that_exclude_each_other(project: Path) -> None:
    guide = project / "guides" / "trial-conversion-tour.yaml"
    _edit(guide, "  - trial-users\n", "  - trial-users\n  - free-plan\n")
    (problem,) = [p for p in _problems(project) if p.code == "never-true"]
    assert problem.file == "guides/trial-conversion-tour.yaml"
    assert problem.field == "audience.segments"
    assert "segment 'free-plan' and segment 'trial-users' exclude each other" in problem.message


def test_a_guide_no_sample_profile_would_see(project: Path) -> None:
    guide = project / "guides" / "nps-survey.yaml"
    _edit(guide, "  conditions:\n", "  conditions:\n    country: ZZ\n")
    (problem,) = _problems(project)
    assert (problem.file, problem.code, problem.field) == \
        ("guides/nps-survey.yaml", "audience-matches-no-profile", "audience")
    assert problem.line == _line_of(guide, "audience:")
    assert "none of the 12 sample profiles" in problem.message


def test_archived_guides_and_projects_without_profiles_are_left_alone(project: Path) -> None:
    _edit(project / "guides" / "summer-sale-2026.yaml", "  segments:\n  - free-plan",
          "  conditions:\n    plan:\n      $in: []")
    assert _problems(project) == []
    _edit(project / "guides" / "nps-survey.yaml", "  conditions:\n",
          "  conditions:\n    country: ZZ\n")
    (project / "profiles.yaml").unlink()
    assert _problems(project) == []


def test_profiles_are_evaluated_on_the_day_they_describe() -> None:
    result = load_project(EXAMPLE_PROJECT)
    assert iso_utc(profiles_now(result.project.profiles)) == "2026-11-24T12:00:00.000Z"


# The profile check walks each condition once and shares attributes between guides
# (ProfileSample); the verdict must be what evaluating each profile afresh gives.
EVENT_ATTRS = st.sampled_from(["events.login.count", "events.login.days_since",
                               "events.never_seen.count", "events.file_uploaded.last_7d",
                               "plan", "storage_used_pct"])
EVENT_CONDITIONS = st.recursive(
    st.dictionaries(EVENT_ATTRS, st.one_of(
        st.sampled_from([0, 1, 3, "free", "pro", None]),
        st.dictionaries(st.sampled_from(["$eq", "$gt", "$lte", "$exists", "$in"]),
                        st.sampled_from([0, 1, 5, 90, True, False, ["free", "trial"]]),
                        min_size=1, max_size=2)), min_size=1, max_size=2),
    lambda inner: st.builds(lambda xs: {"$or": xs}, st.lists(inner, min_size=1, max_size=2)),
    max_leaves=4)


@settings(max_examples=60, deadline=None)
@given(segment_conditions=st.lists(EVENT_CONDITIONS, min_size=1, max_size=3),
       own=st.none() | EVENT_CONDITIONS)
def test_profile_sample_agrees_with_evaluating_each_profile(segment_conditions: list[Any],
                                                            own: Any) -> None:
    result = load_project(EXAMPLE_PROJECT)
    project = result.project
    ids = sorted(project.segments)[:len(segment_conditions)]
    for segment_id, condition in zip(ids, segment_conditions, strict=True):
        project.segments[segment_id].condition = condition
    guide = project.guides["nps-survey"]
    assert guide.audience is not None
    guide.audience.segments, guide.audience.conditions = ids, own
    sample = ProfileSample(project.profiles)
    condition = audience_condition(project, guide)
    assert condition
    anyone = any(targeting.eval_condition(
        eligibility.user_attributes(p.attributes, {"events": p.events}, sample.now, condition),
        condition) for p in project.profiles)
    problem = sample.guide_problem(project, result.files, guide.id, guide)
    assert (problem is None) == anyone
    # Asked again (attributes and names now cached), the same answer.
    assert sample.guide_problem(project, result.files, guide.id, guide) == problem
