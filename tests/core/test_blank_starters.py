"""Blank starters: one per guide kind, each a valid draft with text to replace."""

from __future__ import annotations

import copy

import pytest

from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import GUIDE_KINDS, Project
from guidestudio.core.starters import (
    StarterError,
    blank_starter,
    instantiate,
    list_blank_starters,
    list_starters,
)
from guidestudio.core.validate import validate_project
from tests.conftest import EXAMPLE_PROJECT


@pytest.fixture(scope="module")
def example() -> Project:
    return load_project(EXAMPLE_PROJECT).project


def test_one_blank_starter_per_kind_apart_from_the_plays() -> None:
    blanks = list_blank_starters()
    assert [s.kind for s in blanks] == list(GUIDE_KINDS)  # the menu's order is the model's
    assert all(s.blank and not s.parameters for s in blanks)
    assert not any(s.blank for s in list_starters())
    with pytest.raises(StarterError):
        blank_starter("carousel")


@pytest.mark.parametrize("kind", GUIDE_KINDS)
def test_a_blank_guide_is_a_clean_draft_with_a_sentence_case_name(kind: str,
                                                                  example: Project) -> None:
    project = copy.deepcopy(example)
    guide = instantiate(blank_starter(kind), {}, project)
    assert guide.kind == kind and guide.status == "draft"
    assert guide.name.startswith("New ") and guide.name[4:5].islower() or "NPS" in guide.name
    assert "-" not in guide.name
    project.guides[guide.id] = guide
    problems = [p.format() for p in validate_project(project)
                if p.file == f"guides/{guide.id}.yaml"]
    assert problems == []  # not even a warning: a new guide starts clean
    again = instantiate(blank_starter(kind), {}, project)
    assert again.id == f"{guide.id}-2"
