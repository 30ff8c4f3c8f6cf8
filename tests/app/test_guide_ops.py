"""Guide menu operations as edits: fresh ids, references kept valid, one undo step each."""

from __future__ import annotations

import copy

from guidestudio.core import edits, guide_ops
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Button, Guide, Step, Variant
from guidestudio.core.validate import validate_project
from tests.conftest import EXAMPLE_PROJECT


def example():  # type: ignore[no-untyped-def]
    return load_project(EXAMPLE_PROJECT)


def test_rename_moves_the_guide_and_fixes_guide_buttons_pointing_at_it() -> None:
    loaded = example()
    project = loaded.project
    project.guides["starter"] = Guide(id="starter", name="S", kind="modal", variants=[
        Variant(key="a", steps=[Step(title={"en": "Go"}, buttons=[
            Button(label={"en": "Tour"}, action="guide", guide="trial-conversion-tour"),
            Button(label={"en": "Again"}, action="guide", guide="starter")])])])
    before = copy.deepcopy(project)
    inverse = edits.apply(project, guide_ops.rename(project, "guides", "trial-conversion-tour",
                                                    "trial-tour"))
    assert "trial-conversion-tour" not in project.guides
    assert project.guides["trial-tour"].id == "trial-tour"
    assert project.guides["starter"].variants[0].steps[0].buttons[0].guide == "trial-tour"
    assert not [p for p in validate_project(project) if "trial-conversion-tour" in p.message]
    edits.apply(project, inverse)
    assert project == before


def test_renaming_a_segment_or_theme_updates_audiences_and_settings() -> None:
    project = example().project
    users = [g for g in project.guides.values() if g.audience and "free-plan" in g.audience.segments]
    edits.apply(project, guide_ops.rename(project, "segments", "free-plan", "free"))
    assert users and all("free" in project.guides[g.id].audience.segments for g in users)
    edits.apply(project, guide_ops.rename(project, "themes", "acme-light", "light"))
    assert project.settings.theme == "light"


def test_duplicates_get_unique_ids_and_start_as_drafts() -> None:
    project = example().project
    taken: set[str] = set()
    first, first_id = guide_ops.duplicate(project, "guides", "nps-survey", taken)
    second, second_id = guide_ops.duplicate(project, "guides", "nps-survey", taken)
    assert (first_id, second_id) == ("nps-survey-copy", "nps-survey-copy-2")
    edits.apply(project, edits.Batch((first, second)))
    assert project.guides[first_id].status == "draft"
    assert project.guides[first_id].name.endswith("(copy)")


def test_ids_are_checked_before_a_rename() -> None:
    project = example().project
    assert guide_ops.id_error(project, "guides", "Bad Id") is not None
    assert "already" in guide_ops.id_error(project, "guides", "nps-survey", "trial-conversion-tour")
    assert guide_ops.id_error(project, "guides", "fresh-id", "nps-survey") is None


def test_archive_and_delete_several_at_once() -> None:
    project = example().project
    edits.apply(project, guide_ops.archive(project, ["nps-survey", "trial-conversion-tour"]))
    assert {project.guides[g].status for g in ("nps-survey", "trial-conversion-tour")} == {
        "archived"}
    edits.apply(project, guide_ops.delete("guides", ["nps-survey", "trial-conversion-tour"]))
    assert "nps-survey" not in project.guides
