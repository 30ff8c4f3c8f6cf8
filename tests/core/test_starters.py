"""Starter guides: every one makes a valid draft, and parameters stay data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.files import schemas
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Guide, Project, Settings, to_dict
from guidestudio.core.starters import (
    StarterError,
    check_params,
    choice_label,
    choice_value,
    instantiate,
    list_starters,
    load_starter,
    param_choices,
    param_help,
    placeholders,
)
from guidestudio.core.validate import validate_project
from tests.conftest import EXAMPLE_PROJECT

PLAYS = {"upgrade-prompt": "banner", "trial-walkthrough": "walkthrough",
         "premium-feature-tooltip": "tooltip", "cross-sell": "modal",
         "release-announcement": "modal", "nps-survey": "survey",
         "onboarding-checklist": "checklist", "win-back": "modal",
         "feature-hotspot": "hotspot"}
HOSTILE = 'He said "hi": {{first_name}} ${plan} $gte \'x\'\nline two <script>alert(1)</script>'
STARTERS = list_starters()


@pytest.fixture(scope="module")
def example() -> Project:
    return load_project(EXAMPLE_PROJECT).project


def strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in strings(k) + strings(v)]
    return []


def shape(data: Any) -> Any:
    """The structure without the text: what a parameter value must never change."""
    if isinstance(data, dict):
        return {k if k.startswith("$") or "${" not in k else "*": shape(v)
                for k, v in data.items()}
    if isinstance(data, list):
        return [shape(v) for v in data]
    return type(data).__name__


def test_one_starter_per_play_with_metadata_a_marketer_can_use() -> None:
    assert {s.id: s.kind for s in STARTERS} == PLAYS
    for starter in STARTERS:
        assert starter.guide["kind"] == starter.kind
        assert starter.description.startswith("Use ") and starter.description.count(". ") <= 2
        assert 3 <= len(starter.parameters) <= 6
        for param in starter.parameters:
            assert param.label and param.help and param.default not in (None, "")
        declared = {p.name for p in starter.parameters}
        assert placeholders(starter.guide) == declared, starter.id
        assert "segments" not in starter.guide.get("audience", {})  # conditions are inline


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_every_starter_makes_a_valid_draft_in_the_example_project(
        starter: Any, example: Project) -> None:
    project = copy.deepcopy(example)
    guide = instantiate(starter, {}, project)
    assert isinstance(guide, Guide) and guide.status == "draft"
    assert schemas.validate("guide", to_dict(guide)) == []
    project.guides[guide.id] = guide
    errors = [p.format() for p in validate_project(project) if p.is_error]
    assert errors == []
    assert not any("${" in s for s in strings(to_dict(guide)))


def test_ids_are_unique_in_the_project(example: Project) -> None:
    project = copy.deepcopy(example)
    starter = next(s for s in STARTERS if s.id == "upgrade-prompt")
    made = []
    for _ in range(3):
        guide = instantiate(starter, {}, project)
        project.guides[guide.id] = guide
        made.append(guide.id)
    assert made == ["upgrade-prompt", "upgrade-prompt-2", "upgrade-prompt-3"]
    tooltip = next(s for s in STARTERS if s.id == "premium-feature-tooltip")
    assert instantiate(tooltip, {}, project).id == "premium-feature-tooltip-2"


def test_parameters_are_substituted_with_their_types(example: Project) -> None:
    starter = next(s for s in STARTERS if s.id == "upgrade-prompt")
    guide = instantiate(starter, {"limit": "seats", "usage_attribute": "seats_used_pct",
                                  "threshold": "85", "plan": "Team",
                                  "upgrade_url": "https://acme.example/up"}, example)
    assert guide.audience is not None
    assert guide.audience.conditions == {"plan": "free", "seats_used_pct": {"$gte": 85}}
    step = guide.variants[0].steps[0]
    assert step.title == {"en": "You're almost out of seats", "ja": "ご利用量が上限に近づいています"}
    assert step.body and "{{first_name|there}}" in step.body["en"] and "**Team**" in step.body["en"]
    assert step.buttons[0].url == "https://acme.example/up"
    cross = next(s for s in STARTERS if s.id == "cross-sell")
    guide = instantiate(cross, {"used_event": "report_opened", "min_times": 3}, example)
    assert guide.audience and guide.audience.conditions == {
        "events.report_opened.last_30d": {"$gte": 3},
        "events.automation_created.count": {"$eq": 0}}
    assert guide.trigger and guide.trigger.event == "report_opened"


@pytest.mark.parametrize("starter", STARTERS, ids=lambda s: s.id)
def test_hostile_text_values_stay_literal_data(starter: Any, example: Project) -> None:
    text_params = [p.name for p in starter.parameters if p.type == "text"]
    assert text_params
    params = {name: HOSTILE for name in text_params}
    try:
        guide = instantiate(starter, params, example)
    except StarterError as exc:  # only acceptable reason: a length limit
        assert "too long" in str(exc)
        params = {name: HOSTILE[:40] for name in text_params}
        guide = instantiate(starter, params, example)
        value = HOSTILE[:40]
    else:
        value = HOSTILE
    data = to_dict(guide)
    assert schemas.validate("guide", data) == []
    assert any(value in s for s in strings(data))
    assert shape(data) == shape(to_dict(instantiate(starter, {}, example)))
    # the starter's own runtime tokens survive; the value's "${plan}" was not substituted
    own_tokens = [s for s in strings(starter.guide) if "{{first_name|" in s]
    if own_tokens:
        assert any("{{first_name|" in s for s in strings(data))


@pytest.mark.parametrize(("starter_id", "name", "value", "words"), [
    ("upgrade-prompt", "upgrade_url", "javascript:alert(1)", "https"),
    ("upgrade-prompt", "upgrade_url", "https://a b", "spaces"),
    ("upgrade-prompt", "threshold", "ninety", "number"),
    ("upgrade-prompt", "usage_attribute", "storage used", "attribute"),
    ("cross-sell", "used_event", "file shared", "event name"),
    ("premium-feature-tooltip", "selector", "#a[", "selector"),
    ("nps-survey", "product", "   ", "required"),
])
def test_unusable_values_are_refused_with_a_reason(starter_id: str, name: str, value: str,
                                                   words: str, example: Project) -> None:
    starter = next(s for s in STARTERS if s.id == starter_id)
    problems = check_params(starter, {name: value})
    assert list(problems) == [name] and words in problems[name]
    with pytest.raises(StarterError):
        instantiate(starter, {name: value}, example)


def test_locales_follow_the_project() -> None:
    starter = next(s for s in STARTERS if s.id == "nps-survey")
    english = Project(Settings(id="p", name="P", default_locale="en", locales=["en"]))
    step = instantiate(starter, {}, english).variants[0].steps[0]
    assert step.title == {"en": "One quick question"}
    german = Project(Settings(id="p", name="P", default_locale="de", locales=["de"]))
    step = instantiate(starter, {}, german).variants[0].steps[0]
    assert step.title == {"de": "One quick question"}  # ready to translate, not empty
    both = Project(Settings(id="p", name="P", default_locale="ja", locales=["ja", "en"]))
    assert set(instantiate(starter, {}, both).variants[0].steps[0].title or {}) == {"ja", "en"}


def test_only_braced_placeholders_are_substituted(tmp_path: Path) -> None:
    (tmp_path / "odd.yaml").write_text(
        "starter:\n  name: Odd\n  description: Use for tests.\n  kind: banner\n"
        "  parameters:\n  - {name: gte, label: G, default: '7', help: h}\n"
        "guide:\n  id: odd\n  name: 'costs $8 and ${gte} $$'\n  kind: banner\n"
        "  audience: {conditions: {x: {$gte: '${gte}'}}}\n"
        "  variants: [{key: a, steps: [{body: {en: '$gte ${gte}'}}]}]\n", encoding="utf-8")
    starter = load_starter(tmp_path / "odd.yaml")
    guide = instantiate(starter, {}, Project(Settings(id="p", name="P")))
    assert guide.name == "costs $8 and 7 $$"
    assert guide.audience and guide.audience.conditions == {"x": {"$gte": "7"}}
    assert guide.variants[0].steps[0].body == {"en": "$gte 7"}


# --- asking in the author's words -----------------------------------------------------------


def _param(starter_id: str, name: str) -> Any:
    starter = next(s for s in STARTERS if s.id == starter_id)
    return next(p for p in starter.parameters if p.name == name)


def test_questions_about_attributes_offer_catalogue_labels(example: Project) -> None:
    usage = _param("upgrade-prompt", "usage_attribute")
    choices = param_choices(usage, example)
    labels = {c.value: c.label for c in choices}
    assert labels["storage_used_pct"] == "Storage used"
    assert labels["account.seats"] == "Seats"
    assert "plan" not in labels  # the question wants a number
    assert all(c.key == c.value for c in choices)  # the key, shown quieter
    assert choice_label(choices, usage.default) == "Storage used"
    assert choice_value(choices, "storage USED") == "storage_used_pct"
    assert choice_value(choices, "seats_used_pct") == "seats_used_pct"  # typed: kept


def test_questions_about_values_and_events_offer_what_the_product_sends(
        example: Project) -> None:
    plan = _param("upgrade-prompt", "current_plan")
    assert [c.label for c in param_choices(plan, example)] == ["free", "trial", "pro",
                                                               "business"]
    assert "One of the values of Plan." in param_help(plan, example)
    tooltip_plan = _param("premium-feature-tooltip", "plan_id")
    assert tooltip_plan.default in [c.value for c in param_choices(tooltip_plan, example)]
    event = _param("win-back", "active_event")
    events = {c.value: c.label for c in param_choices(event, example)}
    assert events["login"] == "Login"
    assert events["file_uploaded"] == "File uploaded"
    assert param_choices(_param("upgrade-prompt", "threshold"), example) == []


def test_without_a_catalogue_values_come_from_the_sample_profiles(example: Project) -> None:
    bare = copy.deepcopy(example)
    bare.settings.attributes = []
    plan = _param("upgrade-prompt", "current_plan")
    assert sorted(c.value for c in param_choices(plan, bare)) == ["business", "free", "pro",
                                                                  "trial"]
    usage = param_choices(_param("upgrade-prompt", "usage_attribute"), bare)
    assert {c.value: c.label for c in usage}["storage_used_pct"] == "Storage used %"
