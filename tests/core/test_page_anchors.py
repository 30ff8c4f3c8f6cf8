"""A step's element missing from the host page: which steps, what then happens, in words."""

from __future__ import annotations

import dataclasses

import pytest

from guidestudio.core.bundle.compiler import compile_guide
from guidestudio.core.describe import anchor_problems, decision_text, verdict_clause
from guidestudio.core.describe.anchors import CODE, field_note, page_name
from guidestudio.core.eligibility import Decision
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Project
from guidestudio.core.page_anchors import (
    FOUND,
    HIDDEN,
    INVALID,
    MISSING,
    anchored_steps,
    edit_distance,
    missing_anchors,
    suggest_selectors,
)
from guidestudio.core.resources import DEMO_APP, EXAMPLE_PROJECT

TOOLTIP, TOUR = "premium-feature-tooltip", "trial-conversion-tour"
PAGE = DEMO_APP.as_uri()


@pytest.fixture(scope="module")
def example() -> Project:
    return load_project(EXAMPLE_PROJECT).project


def with_step(project: Project, guide_id: str, variant: int, step: int, **changes: object
              ) -> Project:
    """The project with one step of one guide changed (``anchor_selector`` for its element)."""
    guide = project.guides[guide_id]
    target = guide.variants[variant].steps[step]
    selector = changes.pop("anchor_selector", None)
    if selector is not None:
        changes["anchor"] = dataclasses.replace(target.anchor, selector=selector)
    steps = list(guide.variants[variant].steps)
    steps[step] = dataclasses.replace(target, **changes)
    variants = list(guide.variants)
    variants[variant] = dataclasses.replace(variants[variant], steps=steps)
    guides = {**project.guides, guide_id: dataclasses.replace(guide, variants=variants)}
    return dataclasses.replace(project, guides=guides)


def missing_in(project: Project, guide_id: str, absent: set[str]) -> list:  # type: ignore[type-arg]
    steps = anchored_steps(compile_guide(project, project.guides[guide_id]))
    return missing_anchors(steps, {s.selector: MISSING if s.selector in absent else FOUND
                                   for s in steps})


def test_a_missing_element_is_a_warning_on_the_element_field_with_what_happens(
        example: Project) -> None:
    typo = with_step(example, TOOLTIP, 0, 0, anchor_selector="#advanced-serch")
    missing = missing_in(typo, TOOLTIP, {"#advanced-serch"})
    [(problem, hint)] = anchor_problems(typo, TOOLTIP, "guides/premium-feature-tooltip.yaml",
                                        PAGE, missing, {"#advanced-serch": ["#advanced-search"]},
                                        lambda path: 37 if path[-1] == "selector" else None)
    assert problem.message == (
        "Step “Advanced search”: element #advanced-serch is not on demo-app.html — the step is "
        "skipped, so the guide shows nothing. Did you mean #advanced-search?")
    assert (problem.severity, problem.code, problem.line) == ("warning", CODE, 37)
    assert problem.field == "variants[0].steps[0].anchor.selector"
    assert hint.text == "Not on demo-app.html — the step is skipped, so the guide shows nothing."
    assert hint.offers == ("#advanced-search",)


def test_each_if_missing_setting_says_its_own_consequence(example: Project) -> None:
    # The tour's short variant: step 2 waits (5 s), step 3 becomes a modal; the full
    # variant's step 2 is skipped. Several steps are left, so the guide still shows.
    gone = {"#share-button", "#integrations-link", "#nav-reports"}
    messages = {(p.field, p.message) for p, _ in anchor_problems(
        example, TOUR, "guides/trial-conversion-tour.yaml", PAGE,
        missing_in(example, TOUR, gone))}
    assert ("variants[0].steps[1].anchor.selector",
            "Step 2 “Share”: element #share-button is not on demo-app.html — the step waits up "
            "to 5 s for it, then is skipped.") in messages
    assert ("variants[0].steps[2].anchor.selector",
            "Step 3 “Integrations”: element #integrations-link is not on demo-app.html — the "
            "step is shown as a modal instead.") in messages
    assert ("variants[1].steps[1].anchor.selector",
            "Step 2 “Reports”: element #nav-reports is not on demo-app.html — the step is "
            "skipped.") in messages
    assert len(messages) == 5
    waits_longer = with_step(example, TOUR, 0, 1, wait_seconds=12.5)
    [waiting] = [m for m in missing_in(waits_longer, TOUR, {"#share-button"})
                 if m.at.variant == 0]
    assert field_note(waiting, "app.example.com") == (
        "Not on app.example.com — the step waits up to 12.5 s for it, then is skipped.")


def test_hidden_and_invalid_selectors(example: Project) -> None:
    steps = anchored_steps(compile_guide(example, example.guides[TOUR]))
    states = {s.selector: FOUND for s in steps} | {"#nav-reports": HIDDEN,
                                                   "#share-button": INVALID}
    [hidden] = missing_anchors(steps, states)  # an invalid selector is the validator's error
    assert hidden.hidden and hidden.at.selector == "#nav-reports"
    assert field_note(hidden, "demo-app.html") == (
        "On demo-app.html but not shown there now — the step is skipped.")
    [(_, hint)] = anchor_problems(example, TOUR, "x.yaml", PAGE, [hidden],
                                  {"#nav-reports": ["#nav-report"]})
    assert hint.offers == ()  # the element is there: nothing to fix in the selector


def test_page_names_for_people() -> None:
    assert page_name("file:///home/me/My%20app/index.html") == "index.html"
    assert page_name("https://staging.example.com/files?x=1") == (
        "https://staging.example.com/files?x=1")


def test_did_you_mean_ranks_by_closeness_then_stability() -> None:
    candidates = [("#advanced-search", 0), (".advanced-search", 4), ("input.advanced-search", 4),
                  ('[data-qa="advanced-search"]', 1), ("#share-button", 0),
                  ("#advanced-sort", 0), ("div", 5)]
    assert suggest_selectors("#advanced-serch", candidates) == [
        "#advanced-search", "#advanced-sort", ".advanced-search"]  # a class costs more
    assert "#advanced-search" not in suggest_selectors("#advanced-search", candidates)
    # Nothing close: no noise.
    assert suggest_selectors("#totally-unrelated-thing", candidates) == []
    assert suggest_selectors("  ", candidates) == []
    assert edit_distance("kitten", "sitting", 10) == 3
    assert edit_distance("a" * 50, "b" * 50, 3) == 4  # gives up past the limit


def test_the_verdict_says_what_the_page_leaves_of_the_guide(example: Project) -> None:
    typo = with_step(example, TOOLTIP, 0, 0, anchor_selector="#advanced-serch")
    missing = missing_in(typo, TOOLTIP, {"#advanced-serch"})
    emma = next(p for p in example.profiles if p.id.startswith("emma"))
    eligible = Decision(True, "eligible", "", "a")
    compiled = compile_guide(typo, typo.guides[TOOLTIP])
    assert decision_text(typo, eligible, emma, compiled, missing_anchors=missing) == (
        "Emma qualifies for this guide but would see nothing here: its element "
        "#advanced-serch is not on this page, so the step is skipped.")
    assert decision_text(typo, eligible, emma, compiled) == (
        "Emma would be shown this guide when its trigger fires.")
    tour = missing_in(example, TOUR, {"#share-button"})
    assert decision_text(example, Decision(True, "eligible", "", "short"), emma,
                         missing_anchors=tour) == (
        "Emma would be shown this guide (variant “short”) when its trigger fires, but step "
        "2's element #share-button is not on this page, so the step waits up to 5 s for it, "
        "then is skipped.")
    # Not in the audience: the page is said too, for the variant on the canvas.
    said = decision_text(example, Decision(False, "frequency_cap", ""), emma,
                         missing_anchors=tour, shown_variant="full")
    assert said.endswith("Also, step 3's element #share-button is not on this page, so the "
                         "step waits up to 5 s for it, then is skipped.")
    assert verdict_clause([]) == ""
