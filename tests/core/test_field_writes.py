"""Planning a field's write: where it goes, what is built, and whether the schema allows it.

The schema's verdict is worked out on the part of the file the edit can
affect; these tests hold it to the verdict on the whole file (the property
test) and to the exact messages the editor showed before (the table).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core.edits import MISSING
from guidestudio.core.field_writes import (
    SCHEMA_OF,
    FieldWrite,
    file_data,
    plan_write,
    schema_allows,
)
from guidestudio.core.files import schemas
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import (
    Anchor,
    Goal,
    Guide,
    Project,
    Schedule,
    Settings,
    Step,
    Trigger,
    Variant,
    to_dict,
)
from tests.conftest import EXAMPLE_PROJECT
from tests.core.model_strategies import guides

TOUR = ("guides", "trial-conversion-tour")
STEP = (*TOUR, "variants", 0, "steps", 0)


@pytest.fixture(scope="module")
def example() -> Project:
    return load_project(EXAMPLE_PROJECT).project


def one_guide(**fields: Any) -> Project:
    guide = Guide(id="g", name="G", kind="modal",
                  variants=[Variant("a", [Step(title={"en": "Hi"})])], **fields)
    return Project(settings=Settings(id="p", name="P"), guides={"g": guide})


# --- where a write goes -------------------------------------------------------------------


def test_clearing_the_last_field_of_a_section_clears_the_section() -> None:
    project = one_guide(goal=Goal(event="signed_up"))
    assert plan_write(project, ("guides", "g", "goal", "event"), MISSING) == FieldWrite(
        ("guides", "g", "goal"), MISSING)


def test_clearing_one_of_several_fields_clears_only_that_field() -> None:
    project = one_guide(schedule=Schedule(start="2026-12-01", end="2026-12-31"))
    assert plan_write(project, ("guides", "g", "schedule", "end"), MISSING) == FieldWrite(
        ("guides", "g", "schedule", "end"), MISSING)


def test_the_first_field_of_a_missing_section_creates_the_section() -> None:
    project = one_guide()
    planned = plan_write(project, ("guides", "g", "schedule", "start"), "2026-12-01")
    assert planned == FieldWrite(("guides", "g", "schedule"), Schedule(start="2026-12-01"),
                                 new_section=True)


def test_a_new_section_the_schema_rejects_is_not_planned() -> None:
    planned = plan_write(one_guide(), ("guides", "g", "trigger", "on"), "click")
    assert planned.new_section and planned.path == ("guides", "g", "trigger")
    assert planned.error == "trigger: required field 'selector' is missing"


def test_a_field_of_a_list_item_that_is_gone_is_refused() -> None:
    planned = plan_write(one_guide(), ("guides", "g", "variants", 3, "key"), "b")
    assert planned.error == "this field belongs to something that no longer exists"


def test_a_plain_edit_is_written_where_it_was_asked() -> None:
    planned = plan_write(one_guide(), ("guides", "g", "name"), "Welcome")
    assert planned == FieldWrite(("guides", "g", "name"), "Welcome")


# --- the messages an author reads ---------------------------------------------------------

# What the editor said for these edits of the example project before the check
# was made proportional (the whole guide converted and validated twice).
MESSAGES: list[tuple[tuple[Any, ...], Any, str | None]] = [
    ((*TOUR, "name"), "", "name: must not be empty"),
    ((*TOUR, "name"), "x" * 201, "name: is too long (at most 200 characters)"),
    ((*TOUR, "name"), MISSING, "required field 'name' is missing"),
    ((*TOUR, "name"), "Tour", None),
    ((*TOUR, "priority"), 5000, "priority: must be at most 1000, found 5000"),
    ((*TOUR, "kind"), "popup", "kind: expected one of: tooltip, modal, walkthrough, banner, "
                               "hotspot, checklist, survey; found the text 'popup'"),
    ((*TOUR, "trigger", "on"), "click", "trigger: required field 'selector' is missing"),
    ((*TOUR, "trigger"), Trigger(on="click"), "trigger: required field 'selector' is missing"),
    ((*TOUR, "goal", "event"), "bad event!",
     "goal.event: the text 'bad event!' is not in the expected form"),
    ((*TOUR, "experiment", "namespace"), ["ns", 0.5],
     "experiment.namespace: needs at least 3 entries"),
    ((*STEP, "id"), "bad id!", "variants[0].steps[0].id: the text 'bad id!' is not in the "
                               "expected form"),
    ((*STEP, "title", "en"), "", None),
    ((*STEP, "title", "EN"), "Hello",
     "variants[0].steps[0].title: the text 'EN' is not in the expected form"),
    ((*STEP, "title"), {}, "variants[0].steps[0].title: must not be empty"),
    ((*STEP, "buttons", 0, "action"), "url",
     "variants[0].steps[0].buttons[0]: required field 'url' is missing"),
    ((*STEP, "buttons", 0, "hours"), 0,
     "variants[0].steps[0].buttons[0].hours: must be more than 0, found 0"),
    ((*STEP, "anchor", "selector"), "",  # step 0 of the tour has no anchor: a new one
     "variants[0].steps[0].anchor.selector: must not be empty"),
    ((*STEP, "image", "src"), "", "variants[0].steps[0].image.src: must not be empty"),
    ((*TOUR, "frequency", "stop_after"), ["dismissed", "dismissed"],
     "frequency.stop_after: has the same entry twice"),
    ((*TOUR, "schedule", "start"), "tomorrow",
     "schedule.start: the text 'tomorrow' is not in the expected form (ISO 8601 date or "
     "date-time; without an offset the project's time zone applies.)"),
    (("settings", "default_locale"), "EN_us",
     "default_locale: the text 'EN_us' is not in the expected form"),
    (("settings", "locales"), [], "required field 'locales' is missing"),
    (("settings", "locales"), ["en", "en"], "locales: has the same entry twice"),
    (("settings", "throttle", "max_per_day"), 0,
     "throttle.max_per_day: must be at least 1, found 0"),
    (("profiles", 0, "id"), "Bad Id",
     "profiles[0].id: the text 'Bad Id' is not in the expected form (Lower-case letters, "
     "digits, '-' and '_'; also the file name without .yaml.)"),
    (("profiles", 0, "events"), {"login": {"yesterday": 1}},
     "profiles[0].events.login: the text 'yesterday' is not in the expected form"),
    (("segments", "admins", "name"), "", "name: must not be empty"),
    (("themes", "acme-light", "radius"), -1, "radius: must be at least 0, found -1"),
    (("themes", "acme-light", "colors", "primary"), "not a colour!",
     "colors.primary: the text 'not a colour!' is not in the expected form"),
]


@pytest.mark.parametrize(("path", "value", "message"), MESSAGES,
                         ids=[".".join(map(str, p[2:] or p)) for p, _, _ in MESSAGES])
def test_an_edit_gets_the_message_it_always_got(example: Project, path: tuple[Any, ...],
                                                 value: Any, message: str | None) -> None:
    assert plan_write(example, path, value).error == message


def test_a_file_that_is_already_invalid_is_not_guarded() -> None:
    """An author can always edit their way out of a broken file."""
    project = one_guide(priority=5000)  # already past the schema's maximum
    assert plan_write(project, ("guides", "g", "name"), "").error is None
    assert plan_write(project, ("guides", "g", "priority"), 6000).error is None


# --- the part's verdict is the whole file's -----------------------------------------------

VALUES = [
    "", "x", "bad id!", "click", "url", "snooze", "modal", "#a", "2026-12-01",
    "ja", "dismissed",  # the same as a neighbour in a list that must not repeat itself
    -1, 0, 1, 0.5, 5000, True, None, MISSING, [], ["x", "x"], ["ns", 0.1, 0.9], {},
    {"en": "Hi"}, {"EN": "Hi"}, Trigger(on="click"), Trigger(on="click", selector="#a"),
    Anchor(selector=""), Goal(event="x"),
]
# Keys a mapping may lack, so that edits also add keys (some the schema does not allow).
EXTRA_KEYS = ["name", "on", "selector", "url", "hours", "title", "EN", "anchor", "schedule",
              "nonsense"]


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in a file's plain data, beside each mapping some keys it lacks, and
    one past the end of each list."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
        found += [(*prefix, key) for key in EXTRA_KEYS if key not in data]
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths_in(value, (*prefix, i))
        found.append((*prefix, len(data)))
    return found


def whole_file_allows(schema: str, before: dict[str, Any], rel: tuple[Any, ...],
                      value: Any) -> bool:
    """The verdict the editor always gave: the whole file, before and after the edit."""
    if not schemas.is_valid(schema, before):
        return True
    after: Any = copy.deepcopy(before)
    node = after
    for part in rel[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(part, {})
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return True
    plain = to_dict(value) if hasattr(value, "__dataclass_fields__") else value
    if isinstance(node, dict):
        if value is MISSING or plain is None or plain == []:
            node.pop(rel[-1], None)
        else:
            node[rel[-1]] = plain
    elif isinstance(node, list) and 0 <= rel[-1] < len(node):
        node[rel[-1]] = plain
    else:
        return True
    return schemas.is_valid(schema, after)


def example_files(project: Project) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """(schema, model path of the file's data, plain data) for every file of the example."""
    files = [("project", ("settings",), file_data(project, "settings")),
             ("profiles", (), file_data(project, "profiles"))]
    for folder, schema in SCHEMA_OF.items():
        for entity_id, entity in getattr(project, folder).items():
            files.append((schema, (folder, entity_id), to_dict(entity)))
    return files


def test_every_kind_of_edit_of_the_example_gets_the_whole_files_verdict(
        example: Project) -> None:
    """Each shape of path in each file (list positions aside), with values of every kind."""
    checked = 0
    shapes: set[tuple[Any, ...]] = set()
    for schema, head, data in example_files(example):
        assert schemas.is_valid(schema, data)
        for rel in paths_in(data):
            shape = (schema, *("#" if isinstance(part, int) else part for part in rel))
            if shape in shapes or len((*head, *rel)) < 2:
                continue  # a whole file replaced is not guarded
            shapes.add(shape)
            for value in VALUES:
                allowed = schema_allows(example, (*head, *rel), value)
                assert allowed == whole_file_allows(schema, data, rel, value), (head, rel, value)
                checked += 1
    assert checked > 10_000


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guide=guides, data=st.data())
def test_the_verdict_on_the_edited_part_is_the_verdict_on_the_file(guide: Guide,
                                                                   data: st.DataObject) -> None:
    """Random guides, some of them invalid already (then nothing is guarded)."""
    project = Project(settings=Settings(id="p", name="P"), guides={guide.id: guide})
    before = to_dict(guide)
    rel = data.draw(st.sampled_from(paths_in(before)))
    value = data.draw(st.sampled_from(VALUES))
    allowed = schema_allows(project, ("guides", guide.id, *rel), value)
    assert allowed == whole_file_allows("guide", before, rel, value)
