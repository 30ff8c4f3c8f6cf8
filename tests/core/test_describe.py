"""The project in an author's words: clauses, verdicts, and where each problem is."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from guidestudio.core.bundle.compiler import bundle_context, compile_guide
from guidestudio.core.describe import (
    attribute_label,
    clause_sentence,
    condition_sentence,
    decision_text,
    problem_trail,
    short_name,
)
from guidestudio.core.eligibility import Decision, decide
from guidestudio.core.files import yaml_io
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Attribute, Profile, Project, Settings
from guidestudio.core.problems import Problem
from guidestudio.core.resources import EXAMPLE_PROJECT
from guidestudio.core.rules.types import TYPES, operators_for, to_operator
from guidestudio.core.targeting.explain import condition_failure
from guidestudio.core.validate import validate_project

#: Emma last logged in on 2026-11-24: at this moment that is 13 days ago.
DEC_7 = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC).timestamp() * 1000


@pytest.fixture(scope="module")
def example() -> Project:
    return load_project(EXAMPLE_PROJECT).project


def profile(project: Project, prefix: str) -> Profile:
    return next(p for p in project.profiles if p.id.startswith(prefix))


# --- labels and clauses --------------------------------------------------------------------


def test_labels_come_from_the_catalogue_else_from_the_key(example: Project) -> None:
    assert attribute_label(example, "storage_used_pct") == "Storage used"
    assert attribute_label(example, "events.login.days_since") == "Days since last login"
    assert attribute_label(example, "account.team_size") == "Account team size"
    assert attribute_label(example, "events.report_exported.last_7d") == (
        "Report exported: times in the last 7 days")
    assert attribute_label(None, "crm_user_id") == "Crm user ID"


def test_clauses_read_as_sentences(example: Project) -> None:
    said = [
        clause_sentence(example, "events.login.days_since", "$gte", 21),
        clause_sentence(example, "storage_used_pct", "$gte", 90),
        clause_sentence(example, "account.age_days", "$lte", 1),
        clause_sentence(example, "account.age_days", "$lte", 90),
        clause_sentence(example, "plan", None, "free"),
        clause_sentence(example, "plan", "$in", ["trial", "pro"]),
        clause_sentence(example, "app_version", "$vgte", "2.0.0"),
        clause_sentence(example, "trial_days_left", "$exists", False),
        clause_sentence(example, "events.file_shared.last_30d", "$gte", 5),
        clause_sentence(example, "email", "$regexi", "@acme\\.example$"),
        clause_sentence(example, "email", None, ""),
    ]
    assert said == [
        "Days since last login is at least 21",
        "Storage used is at least 90%",
        "Account age is at most 1 day",
        "Account age is at most 90 days",
        "Plan equals free",
        "Plan is one of trial, pro",
        "App version is at least version 2.0.0",
        "Trial days left is not set",
        "Shares in the last 30 days is at least 5 times",
        "Email address matches regex (any case) @acme\\.example$",
        "Email address equals “” (empty text)",
    ]


SAMPLE_VALUES: dict[str, Any] = {
    "none": None, "number": 90, "count": 3, "string": "pro", "regex": "^a", "regexi": "^a",
    "version": "2.4.1", "date": "2026-12-01", "bool": True, "item": "beta",
    "string_list": ["free", "trial"], "number_list": [1, 2], "item_list": ["beta", "gamma"],
}


@pytest.mark.parametrize("type_name", TYPES)
def test_every_operator_the_rule_builder_offers_has_a_sentence(type_name: str) -> None:
    """What the builder writes for each of its operators reads back as its own words."""
    key = "events.login.count" if type_name == "behaviour" else "x_attr"
    catalogue_type = "number" if type_name == "behaviour" else type_name
    project = Project(Settings("t", "T", attributes=[Attribute(key, "The thing",
                                                                catalogue_type)]))
    for op in operators_for(type_name):
        value = SAMPLE_VALUES[op.kind]
        gb_op, expected = to_operator(op.key, value)
        sentence = clause_sentence(project, key, gb_op, expected)
        assert sentence.startswith("The thing "), sentence
        assert "$" not in sentence and key not in sentence, sentence
        if op.key == "$size":
            assert sentence == "The thing has 3 items"
        else:
            assert f" {op.label}" in sentence, (op, sentence)
        if value is not None and not isinstance(value, list) and op.kind != "bool":
            assert str(value) in sentence, sentence


def test_a_whole_condition_reads_as_one_sentence(example: Project) -> None:
    condition = {"plan": "trial", "$or": [{"storage_used_pct": {"$gte": 90}},
                                          {"account.seats": {"$gt": 10}}],
                 "$nor": [{"role": "viewer"}]}
    assert condition_sentence(example, condition) == (
        "Plan equals trial and (Storage used is at least 90% or Seats is more than 10) "
        "and not (Role in the workspace equals viewer)")
    assert condition_sentence(example, {}) == ""


# --- the verdict for a sample user -----------------------------------------------------------


def verdict(project: Project, guide_id: str, who: Profile | None, now_ms: float) -> str:
    compiled = compile_guide(project, project.guides[guide_id])
    user = dict(who.attributes) if who is not None else {}
    history = {"v": 1, "guides": {}, "events": dict(who.events or {}) if who else {}}
    decision = decide(compiled, user, now_ms, history, bundle_context(project))
    return decision_text(project, decision, who, compiled, now_ms)


def test_the_verdict_names_the_failing_rule_and_the_users_value(example: Project) -> None:
    emma = profile(example, "emma")
    text = verdict(example, "win-back-inactive", emma, DEC_7)
    assert text == ("Emma would not be shown this guide. Not in its audience: Days since last "
                    "login is at least 21 — Emma: 13.")
    # The developer's line for the same failure, which the CLI keeps printing.
    condition = compile_guide(example, example.guides["win-back-inactive"])["audience"]
    assert "events.login.days_since $gte 21 (was 13)" in repr(condition_failure(
        {"events": {"login": {"days_since": 13}}}, condition["condition"]))

    hina = profile(example, "hina")
    assert verdict(example, "storage-almost-full", hina, DEC_7) == (
        "陽菜 would not be shown this guide. Not in its audience: Plan equals free — 陽菜: trial.")
    sofia = profile(example, "sofia")
    assert verdict(example, "storage-almost-full", sofia, DEC_7).endswith(
        "Not in its audience: Storage used is at least 90% — Sofia: 8%.")
    assert verdict(example, "trial-conversion-tour", None, DEC_7).endswith(
        "— A user without attributes: not set.")


def test_the_verdict_for_users_who_would_see_it_and_other_reasons(example: Project) -> None:
    lucas = profile(example, "lucas")
    assert verdict(example, "win-back-inactive", lucas, DEC_7) == (
        "Lucas would be shown this guide when its trigger fires.")
    oliver = profile(example, "oliver")
    said = decision_text(example, Decision(False, "schedule_ended", "2026-08-31T23:59:59Z"),
                         oliver)
    assert said == ("Oliver would not be shown this guide. Its schedule ended on "
                    "31 Aug 2026, 23:59 UTC.")
    said = decision_text(example, Decision(False, "stopped", "cta_clicked"), oliver)
    assert said.endswith("It stops once someone clicked its main button, and Oliver has.")
    said = decision_text(example, Decision(False, "no_hash_attribute", "account.seats"), oliver)
    assert "splits people by Seats, and Oliver has none" in said
    said = decision_text(example, Decision(True, "eligible", "", "b"), oliver,
                         {"id": "storage-almost-full"})
    assert said == "Oliver would be shown this guide (variant “Benefit”) when its trigger fires."
    assert short_name(profile(example, "hostile")) == "Hostile sample"


# --- problem trails ------------------------------------------------------------------------


def _edit(root: Path, rel: str, change: Any) -> None:
    path = root / rel
    data = yaml_io.load_data(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml_io.dump(data), encoding="utf-8")


def _step(data: dict[str, Any], variant: int = 0, step: int = 0) -> dict[str, Any]:
    return data["variants"][variant]["steps"][step]  # type: ignore[no-any-return]


def _break_the_example(root: Path) -> None:
    """One fault of every kind of place the validator points at."""
    def settings(d: dict[str, Any]) -> None:
        d["timezone"] = "Europe/Lodnon"
        d["throttle"]["max_per_session"] = 5
        d["attributes"][3]["allowed"].append(7)
        d["attributes"].append({"key": "plan", "label": "Plan again"})
    _edit(root, "guidestudio.yaml", settings)

    def storage(d: dict[str, Any]) -> None:
        del _step(d)["title"]["ja"]
        d["schedule"]["end"] = "2025-01-01T00:00:00Z"
        d["audience"]["conditions"]["plan"] = "Free"
        d["audience"]["segments"].append("free-plans")
        _step(d, 1)["buttons"][0]["url"] = "javascript:alert(1)"
        d["experiment"]["coverage"] = 0
    _edit(root, "guides/storage-almost-full.yaml", storage)

    def tour(d: dict[str, Any]) -> None:
        _step(d, 0, 1)["anchor"]["selector"] = "#bad[["
        _step(d, 0, 2)["body"]["fr"] = "Bonjour"
        d["theme"] = "acme-dakr"
    _edit(root, "guides/trial-conversion-tour.yaml", tour)

    def checklist(d: dict[str, Any]) -> None:
        _step(d)["items"][1]["id"] = _step(d)["items"][0]["id"]
        _step(d)["items"][2]["url"] = "javascript:void(0)"
    _edit(root, "guides/onboarding-checklist.yaml", checklist)

    def survey(d: dict[str, Any]) -> None:
        _step(d)["survey"]["question"]["ja"] = ""
        d["audience"]["conditions"]["events.login.last_30d"] = {"$gtee": 4}
    _edit(root, "guides/nps-survey.yaml", survey)

    def segment(d: dict[str, Any]) -> None:
        d["condition"]["account.age_days"]["$gtt"] = 1
    _edit(root, "segments/new-accounts.yaml", segment)

    def schema_fault(d: dict[str, Any]) -> None:
        _step(d)["title"]["en"] = 42  # a broken file: its guide is not loaded
    _edit(root, "guides/release-announcement.yaml", schema_fault)

    def profiles(d: dict[str, Any]) -> None:
        d["profiles"][1]["events"]["login"]["2026-11-20"] = "many"
    _edit(root, "profiles.yaml", profiles)

    def theme(d: dict[str, Any]) -> None:
        d["colors"]["primary"] = 12
    _edit(root, "themes/acme-dark.yaml", theme)


_RAW = re.compile(r"\[|\]|\$|\{|\}|\b(variants|steps|buttons|items|conditions)\b|\w\.\w|_")


def test_every_problem_of_a_broken_example_has_a_readable_trail(tmp_path: Path) -> None:
    root = Path(shutil.copytree(EXAMPLE_PROJECT, tmp_path / "acme-cloud"))
    _break_the_example(root)
    result = load_project(root)
    project = result.project
    problems = result.problems + validate_project(project, result.files)
    fields = {p.field for p in problems}
    assert len(fields) >= 20, sorted(fields)
    trails = {}
    for problem in problems:
        trail = problem_trail(project, problem)
        trails[(problem.file, problem.field)] = trail
        own_words = re.sub(r"“[^”]*”", "", trail)  # names and texts the author wrote
        assert not _RAW.search(own_words), (problem.format(), trail)
        assert "yaml" not in trail, (problem.format(), trail)
    storage = "guides/storage-almost-full.yaml"
    name = "Storage almost full — upgrade prompt"
    expected = {
        (storage, "variants[0].steps[0].title"):
            f"{name} › Variant “Loss aversion” › Step 1 › Title",
        (storage, "schedule.end"): f"{name} › Schedule › Ends",
        (storage, "audience.conditions.plan"): f"{name} › Audience › Rules › Plan",
        (storage, "audience.segments[1]"): f"{name} › Audience › Segment “free-plans”",
        (storage, "variants[1].steps[0].buttons[0].url"):
            f"{name} › Variant “Benefit” › Step 1 › Button 1 “Upgrade to Pro” › Web address",
        ("guides/trial-conversion-tour.yaml", "variants[0].steps[1].anchor.selector"):
            "Trial conversion tour › Variant “Short tour (3 steps)” › Step 2 “Share with one "
            "click” › Anchor › Element",
        ("guides/trial-conversion-tour.yaml", "variants[0].steps[2].body.fr"):
            "Trial conversion tour › Variant “Short tour (3 steps)” › Step 3 “Connect the "
            "tools you already u…” › Body (French)",
        ("guides/onboarding-checklist.yaml", "variants[0].steps[0].items[1].id"):
            "Onboarding checklist — first 90 days › Step 1 › Task 2 “Invite a teammate” › Analytics name",
        ("guides/nps-survey.yaml", "audience.conditions.events.login.last_30d.$gtee"):
            "NPS survey — established, active accounts › Audience › Rules › Logins in the "
            "last 30 days",
        ("segments/new-accounts.yaml", "condition.account.age_days.$gtt"):
            "Segment “New accounts (first 90 days)” › Rules › Account age",
        ("guidestudio.yaml", "timezone"): "Project settings › Time zone",
        ("guidestudio.yaml", "throttle.max_per_session"):
            "Project settings › Limits across all guides › Guides per visit",
        ("guidestudio.yaml", "attributes[3].allowed[4]"):
            "Project settings › Attribute catalogue › Plan › Allowed values › “7”",
        ("guides/release-announcement.yaml", "variants[0].steps[0].title.en"):
            "Release announcement › Step 1 › Title (English)",
        ("profiles.yaml", "profiles[1].events.login.2026-11-20"):
            "Sample profiles › Profile 2 › Login › 2026-11-20",  # the file is broken: no names
        ("themes/acme-dark.yaml", "colors.primary"): "Theme “Acme dark” › Colours › Primary",
    }
    for where, trail in expected.items():
        assert trails.get(where) == trail, (where, sorted(trails))


def test_a_problem_about_a_whole_file_names_the_file_in_words(example: Project) -> None:
    assert problem_trail(example, Problem("guides/nps-survey.yaml", 3, "", "x")) == (
        "NPS survey — established, active accounts")
    assert problem_trail(example, Problem("guidestudio.yaml", None, "", "x")) == (
        "Project settings")
    assert problem_trail(example, Problem("profiles.yaml", None, "", "x")) == "Sample profiles"
    assert problem_trail(example, Problem(
        "profiles.yaml", None, "profiles[0].attributes.account.seats", "x")) == (
        "Sample profiles › Emma › Seats")
