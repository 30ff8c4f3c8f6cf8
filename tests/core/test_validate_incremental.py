"""The editor's incremental validator: after any edits, exactly a fresh full validation.

Each test loads a real project from disk (the bundled example, or one written
by the benchmark generator), applies edits the way the editor does
(``guidestudio.core.edits`` plus ``invalidate(edit.target)``, as ``app/commands.py``
and ``app/document.py`` do) and compares ``problems()`` with a from-scratch
``validate_project`` of the edited model.
"""

from __future__ import annotations

import copy
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import build
from guidestudio.core import edits
from guidestudio.core.edits import MISSING, Batch, Edit, InsertItem, MoveItem, RemoveItem, SetValue
from guidestudio.core.files.project_io import LoadResult, load_project
from guidestudio.core.model import Button, Profile, Project, Segment
from guidestudio.core.problems import Problem
from guidestudio.core.resources import EXAMPLE_PROJECT
from guidestudio.core.validate import validate_project
from guidestudio.core.validate.incremental import ProjectValidator


def load(root: Path) -> LoadResult:
    result = load_project(root)
    assert result.problems == [], [p.format() for p in result.problems]
    return result


def apply(validator: ProjectValidator, project: Project, edit: Edit) -> None:
    """What the editor does: perform the edit, then report the path it changed."""
    edits.apply(project, edit)
    validator.invalidate(edit.target)


def up_to_date(validator: ProjectValidator, result: LoadResult) -> list[Problem]:
    assert validator.run() is True
    assert validator.pending == 0
    problems = validator.problems()
    assert problems == validate_project(result.project, result.files)
    return problems


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


@pytest.fixture
def example(tmp_path: Path) -> LoadResult:
    return load(Path(shutil.copytree(EXAMPLE_PROJECT, tmp_path / "acme-cloud")))


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 guides, 20 segments and 10 profiles (written once; tests load their own copy)."""
    root = tmp_path_factory.mktemp("big") / "p"
    build(root, guides=300, segments=20)
    return root


def small(root: Path, seed: int = 3) -> LoadResult:
    build(root, guides=12, segments=4, variants=2, steps=2, seed=seed)
    return load(root)


# --- the same answer as a full pass -----------------------------------------------------


def test_a_fresh_validator_is_a_full_validation(example: LoadResult) -> None:
    validator = ProjectValidator(example.project, example.files)
    assert validator.pending > 0
    up_to_date(validator, example)
    assert validator.total > len(example.project.guides)


def test_edits_to_a_guide_introduce_and_fix_its_problems(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    before = up_to_date(validator, example)
    body = ("guides", "trial-conversion-tour", "variants", 0, "steps", 0, "body")
    apply(validator, project, SetValue((*body, "en"), "[x](javascript:alert(1))"))
    assert "unsafe-url" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue((*body, "ja"), MISSING))
    apply(validator, project, SetValue((*body, "fr"), "Bonjour"))
    found = codes(up_to_date(validator, example))
    assert {"missing-translation", "unknown-locale"} <= set(found)
    apply(validator, project, SetValue((*body, "en"), "Fine again."))
    apply(validator, project, SetValue((*body, "ja"), "はい"))
    apply(validator, project, SetValue((*body, "fr"), MISSING))
    assert up_to_date(validator, example) == before


def test_steps_moved_removed_and_inserted(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    steps = ("guides", "trial-conversion-tour", "variants", 0, "steps")
    apply(validator, project, MoveItem(steps, 0, 1))
    up_to_date(validator, example)
    removed = edits.get(project, (*steps, 0))
    apply(validator, project, RemoveItem(steps, 0))
    up_to_date(validator, example)
    apply(validator, project, InsertItem(steps, 0, removed))
    apply(validator, project, InsertItem(steps, 0, copy.deepcopy(removed)))  # duplicate ids
    assert "duplicate-step-id" in codes(up_to_date(validator, example))


def test_renaming_and_removing_a_segment_a_guide_uses(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    users = [g for g, guide in project.guides.items()
             if guide.audience and "trial-users" in guide.audience.segments]
    assert users
    segment = project.segments["trial-users"]
    renamed = copy.deepcopy(segment)
    renamed.id = "trial-accounts"
    # A rename as the editor does it: one batch, remove + add (references not fixed yet).
    apply(validator, project, Batch((SetValue(("segments", "trial-users"), MISSING),
                                     SetValue(("segments", "trial-accounts"), renamed))))
    problems = up_to_date(validator, example)
    unknown = [p for p in problems if p.code == "unknown-segment"]
    assert {p.file for p in unknown} == {f"guides/{g}.yaml" for g in users}
    assert "did you mean 'trial-accounts'" in unknown[0].message
    # Fix one reference, then remove the renamed segment altogether.
    where = project.guides[users[0]].audience.segments.index("trial-users")  # type: ignore[union-attr]
    apply(validator, project, SetValue(("guides", users[0], "audience", "segments", where),
                                       "trial-accounts"))
    up_to_date(validator, example)
    apply(validator, project, SetValue(("segments", "trial-accounts"), MISSING))
    up_to_date(validator, example)


def test_a_segment_condition_that_no_profile_matches(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, SetValue(("segments", "trial-users", "condition"),
                                       {"plan": "enterprise-plus"}))
    assert "audience-matches-no-profile" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("segments", "trial-users", "condition"),
                                       {"plan": {"$in": []}}))
    assert "never-true" in codes(up_to_date(validator, example))


def test_a_segment_that_starts_reading_an_event(example: LoadResult) -> None:
    """``events.<name>.count`` of an event a profile never had is 0, not missing: the
    names a segment mentions must be looked up again when it changes."""
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, SetValue(("segments", "trial-users", "condition"),
                                       {"events.never_happened.count": {"$gt": 0}}))
    assert "audience-matches-no-profile" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("segments", "trial-users", "condition"),
                                       {"events.never_happened.count": {"$eq": 0}}))
    up_to_date(validator, example)


def test_did_you_mean_follows_the_ids_that_exist(example: LoadResult) -> None:
    """A guide naming a missing segment is redone when any segment comes or goes:
    the suggestion in its message is picked from all of them."""
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, SetValue(("guides", "nps-survey", "audience", "segments"),
                                       ["zz-power-users"]))
    unknown = [p for p in up_to_date(validator, example) if p.code == "unknown-segment"]
    assert "did you mean" not in unknown[0].message
    apply(validator, project, SetValue(("segments", "zz-power-user"), Segment(
        id="zz-power-user", name="Power", condition={"plan": "pro"})))
    unknown = [p for p in up_to_date(validator, example) if p.code == "unknown-segment"]
    assert "did you mean 'zz-power-user'" in unknown[0].message
    apply(validator, project, SetValue(("segments", "zz-power-user"), MISSING))
    up_to_date(validator, example)


def test_locales_and_time_zone_in_settings(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, InsertItem(("settings", "locales"), 2, "de"))
    assert "missing-translation" in codes(up_to_date(validator, example))
    apply(validator, project, RemoveItem(("settings", "locales"), 1))
    assert "unknown-locale" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("settings", "timezone"), "Europe/Lodnon"))
    up_to_date(validator, example)
    apply(validator, project, SetValue(("settings", "locales"), ["en", "ja"]))
    apply(validator, project, SetValue(("settings", "timezone"), "Europe/London"))
    up_to_date(validator, example)


def test_adding_and_removing_guides(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    clone = copy.deepcopy(project.guides["trial-conversion-tour"])
    clone.id = "trial-conversion-tour-2"
    apply(validator, project, SetValue(("guides", clone.id), clone))
    assert "duplicate-experiment" in codes(up_to_date(validator, example))
    # A button starting a guide that then goes away, or is archived.
    buttons = ("guides", clone.id, "variants", 0, "steps", 0, "buttons")
    apply(validator, project, InsertItem(buttons, 0, Button(label={"en": "Go", "ja": "行く"},
                                                           action="guide", guide="nps-survey")))
    up_to_date(validator, example)
    apply(validator, project, SetValue(("guides", "nps-survey", "status"), "archived"))
    assert "archived-guide" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("guides", "nps-survey"), MISSING))
    assert "unknown-guide" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("guides", clone.id), MISSING))
    up_to_date(validator, example)


def test_guides_that_start_each_other(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    buttons = ("guides", "trial-conversion-tour", "variants", 0, "steps", 0, "buttons")
    apply(validator, project, InsertItem(buttons, 0, Button(
        label={"en": "Checklist", "ja": "チェックリスト"}, action="guide",
        guide="onboarding-checklist")))
    assert "guide-cycle" in codes(up_to_date(validator, example))
    apply(validator, project, RemoveItem(buttons, 0))
    assert "guide-cycle" not in codes(up_to_date(validator, example))


def test_profiles_changed(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, SetValue(("profiles",), []))
    assert "audience-matches-no-profile" not in codes(up_to_date(validator, example))
    apply(validator, project, InsertItem(("profiles",), 0, Profile(
        id="nobody", attributes={"id": "u0", "plan": "none"})))
    assert "audience-matches-no-profile" in codes(up_to_date(validator, example))
    apply(validator, project, SetValue(("profiles", 0, "attributes", "plan"), "trial"))
    up_to_date(validator, example)


def test_themes_and_anything_unknown(example: LoadResult) -> None:
    project = example.project
    validator = ProjectValidator(project, example.files)
    up_to_date(validator, example)
    apply(validator, project, SetValue(("themes", "acme-dark"), MISSING))
    assert "unknown-theme" in codes(up_to_date(validator, example))
    project.root = None  # not an edit the editor makes: everything is redone
    validator.invalidate(("root",))
    up_to_date(validator, example)
    validator.invalidate_all()
    up_to_date(validator, example)


def test_a_file_reloaded_from_disk(example: LoadResult) -> None:
    """The caller swaps in what the loader read and invalidates what it holds."""
    validator = ProjectValidator(example.project, example.files)
    up_to_date(validator, example)
    root = example.project.root
    assert root is not None
    path = root / "guides" / "nps-survey.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: live", "status: [live"),
                    encoding="utf-8")
    reloaded = load_project(root)
    assert "guides/nps-survey.yaml" in reloaded.files.broken
    example.project.guides.pop("nps-survey")
    example.files.broken.update(reloaded.files.broken)
    example.files.sources.update(reloaded.files.sources)
    validator.invalidate(("guides", "nps-survey"))
    up_to_date(validator, example)


def test_a_generated_project(tmp_path: Path) -> None:
    result = small(tmp_path / "p")
    project = result.project
    validator = ProjectValidator(project, result.files)
    up_to_date(validator, result)
    guide_id = sorted(project.guides)[0]
    apply(validator, project, SetValue(("guides", guide_id, "audience", "conditions"),
                                       {"account.age_days": {"$gt": 10, "$lt": 5}}))
    assert "never-true" in codes(up_to_date(validator, result))
    apply(validator, project, SetValue(("segments", "seg-000", "condition"),
                                       {"plan": {"$regex": "(?i)free"}}))
    assert "regex" in codes(up_to_date(validator, result))


# --- random edit sequences --------------------------------------------------------------

_TEXTS = ["Hello", "", "   ", "[x](javascript:alert(1))", "[docs](https://a.example)",
          "<vbscript:x>", "[x](java&#115;cript:1)", "Hi {{first_name|there}}"]
_CONDITIONS = [{}, {"plan": "pro"}, {"plan": {"$in": []}}, {"x": {"$gt": 10, "$lt": 5}},
               {"plan": {"$regex": "(?<=a)b"}}, {"plan": {"$in": ["free", "trial"]}},
               {"events.login.count": {"$gte": 1}}, {"events.nothing.count": {"$eq": 0}}]


@st.composite
def _edit(draw: st.DrawFn, project: Project) -> Edit:
    """One edit of the kinds the editor makes, on what the project holds right now."""
    guide_ids = sorted(project.guides) or ["none"]
    segment_ids = sorted(project.segments) or ["none"]
    gid = draw(st.sampled_from(guide_ids))
    sid = draw(st.sampled_from(segment_ids))
    some_segment = draw(st.sampled_from([*segment_ids, "seg-999", "nope"]))
    guide = project.guides.get(gid)
    kind = draw(st.sampled_from(
        ["text", "status", "audience", "conditions", "button", "add-guide", "remove-guide",
         "segment-condition", "add-segment", "remove-segment", "locales", "timezone",
         "profile", "remove-profiles", "theme", "experiment", "move-steps"]))
    if guide is None and kind in ("text", "status", "audience", "conditions", "button",
                                  "experiment", "move-steps"):
        kind = "add-segment"
    step = ("guides", gid, "variants", 0, "steps", 0)
    if kind == "text":
        field = draw(st.sampled_from(["title", "body"]))
        locale = draw(st.sampled_from(["en", "ja", "de", "fr"]))
        value = draw(st.sampled_from([*_TEXTS, MISSING]))
        if edits.get(project, (*step, field)) in (MISSING, None):
            return SetValue((*step, field), {locale: value or "x"})
        return SetValue((*step, field, locale), value)
    if kind == "status":
        return SetValue(("guides", gid, "status"), draw(st.sampled_from(
            ["live", "archived", "draft"])))
    if kind == "audience":
        return SetValue(("guides", gid, "audience", "segments"), [some_segment])
    if kind == "conditions":
        return SetValue(("guides", gid, "audience", "conditions"),
                        draw(st.sampled_from(_CONDITIONS)))
    if kind == "button":
        target = draw(st.sampled_from([*guide_ids, "missing-guide"]))
        return InsertItem((*step, "buttons"), 0, Button(label={"en": "Go"}, action="guide",
                                                        guide=target))
    if kind == "add-guide":
        source = project.guides.get(gid)
        if source is None:
            return SetValue(("settings", "name"), "renamed")
        clone = copy.deepcopy(source)
        clone.id = f"{gid}-copy"
        return SetValue(("guides", clone.id), clone)
    if kind == "remove-guide":
        return SetValue(("guides", gid), MISSING) if gid in project.guides else \
            SetValue(("settings", "name"), "x")
    if kind == "segment-condition":
        if sid not in project.segments:
            return SetValue(("settings", "name"), "y")
        return SetValue(("segments", sid, "condition"), draw(st.sampled_from(_CONDITIONS)))
    if kind == "add-segment":
        new = draw(st.sampled_from(["seg-999", "nope", "seg-000"]))
        return SetValue(("segments", new), Segment(id=new, name=new, condition={"plan": "pro"}))
    if kind == "remove-segment":
        return SetValue(("segments", sid), MISSING) if sid in project.segments else \
            SetValue(("settings", "name"), "z")
    if kind == "locales":
        return SetValue(("settings", "locales"), draw(st.sampled_from(
            [["en"], ["en", "ja"], ["en", "ja", "de"], ["de"]])))
    if kind == "timezone":
        return SetValue(("settings", "timezone"), draw(st.sampled_from(
            ["UTC", "Europe/Berlin", "Mars/Olympus", None])))
    if kind == "profile":
        if not project.profiles:
            return InsertItem(("profiles",), 0, Profile(id="p", attributes={"plan": "pro"}))
        return SetValue(("profiles", 0, "attributes", "plan"), draw(st.sampled_from(
            ["free", "pro", "nothing"])))
    if kind == "remove-profiles":
        return SetValue(("profiles",), [])
    if kind == "theme":
        return SetValue(("settings", "theme"), draw(st.sampled_from(["t", "acme-light", "x"])))
    if kind == "experiment":
        if guide is None or guide.experiment is None:
            return SetValue(("settings", "name"), "w")
        return SetValue(("guides", gid, "experiment", "key"), draw(st.sampled_from(
            ["exp-0", "exp-1", "shared"])))
    variant_steps = ("guides", gid, "variants", 0, "steps")
    steps = edits.get(project, variant_steps)
    if isinstance(steps, list) and len(steps) > 1:
        return MoveItem(variant_steps, 0, len(steps) - 1)
    return SetValue(("settings", "name"), "v")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_edit_sequences(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
                               ) -> None:
    root = tmp_path_factory.mktemp("random") / "p"
    result = small(root, seed=data.draw(st.integers(0, 3)))
    project = result.project
    validator = ProjectValidator(project, result.files)
    up_to_date(validator, result)
    for _ in range(data.draw(st.integers(1, 6))):
        for _ in range(data.draw(st.integers(1, 3))):  # sometimes several edits per pass
            apply(validator, project, data.draw(_edit(project)))
        budget = data.draw(st.sampled_from([None, 0.0, 0.001]))
        while not validator.run(budget):
            pass
        up_to_date(validator, result)


def test_edits_arriving_in_the_middle_of_a_pass(tmp_path: Path) -> None:
    result = small(tmp_path / "p")
    project = result.project
    validator = ProjectValidator(project, result.files)
    up_to_date(validator, result)
    guide_ids = sorted(project.guides)
    apply(validator, project, SetValue(("settings", "locales"), ["en", "de"]))
    assert validator.run(0.0) is False  # the pass has started
    apply(validator, project, SetValue(("guides", guide_ids[-1], "status"), "archived"))
    apply(validator, project, SetValue(("guides", guide_ids[0]), MISSING))
    while not validator.run(0.0):
        pass
    up_to_date(validator, result)


# --- a big project: time slices, and only what changed ---------------------------------


def test_time_budget_slices_a_full_pass(big: Path, tmp_path: Path) -> None:
    result = load(Path(shutil.copytree(big, tmp_path / "p")))
    validator = ProjectValidator(result.project, result.files)
    assert validator.run(budget=0.02) is False
    assert 0 < validator.pending < validator.total
    durations = []
    while True:
        # CPU time of this thread: the slice stops by the clock once over budget, so the work
        # it did is under budget + one unit, however busy the machine (wall time is not).
        start = time.thread_time()
        done = validator.run(budget=0.02)
        durations.append(time.thread_time() - start)
        if done:
            break
        assert validator.pending > 0
    assert validator.pending == 0
    assert validator.problems() == validate_project(result.project, result.files)
    # A unit (one guide) is well under a millisecond.
    assert statistics.median(durations) < 0.02 + 0.01, durations
    assert max(durations) < 0.02 + 0.1, durations


def test_editing_one_guide_redoes_only_that_guide(big: Path, tmp_path: Path) -> None:
    result = load(Path(shutil.copytree(big, tmp_path / "p")))
    project = result.project
    validator = ProjectValidator(project, result.files)
    up_to_date(validator, result)
    # The checks across guides alone: what any edit costs at least.
    apply(validator, project, SetValue(("settings", "name"), "Renamed"))
    across = validator.pending
    up_to_date(validator, result)
    guide_id = sorted(project.guides)[7]
    title = ("guides", guide_id, "variants", 0, "steps", 0, "title", "en")
    apply(validator, project, SetValue(title, "[x](javascript:alert(1))"))
    assert validator.pending == across + 1
    start = time.perf_counter()
    assert validator.run() is True
    elapsed = time.perf_counter() - start
    assert "unsafe-url" in codes(up_to_date(validator, result))
    assert elapsed < 0.25  # ~5 ms on an idle machine; a full pass of 300 guides is ~70 ms
    # A segment redoes the guides that use it, and nothing else.
    users = [g for g, guide in project.guides.items()
             if guide.audience and "seg-003" in guide.audience.segments]
    apply(validator, project, SetValue(("segments", "seg-003", "condition"), {"plan": "pro"}))
    validator.run(budget=0.0)  # starts the pass, which decides what to redo
    assert validator.total == across + len(users)
    up_to_date(validator, result)


def test_validate_project_is_one_full_pass(big: Path) -> None:
    result = load(big)
    validator = ProjectValidator(result.project, result.files)
    assert validator.run() is True
    problems: list[Any] = validator.problems()
    assert problems == validate_project(result.project, result.files)
