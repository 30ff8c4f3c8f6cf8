"""Edits and their inverses: applying then undoing restores the exact project."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidestudio.core import edits
from guidestudio.core.edits import (
    MISSING,
    Batch,
    EditError,
    InsertItem,
    MoveItem,
    RemoveItem,
    SetValue,
)
from guidestudio.core.model import Button, Guide, Project, Settings, Step, Variant


def project() -> Project:
    p = Project(settings=Settings(id="p", name="P", locales=["en", "ja"]))
    p.guides["g"] = Guide(
        id="g", name="G", kind="walkthrough", status="draft",
        variants=[Variant(key="a", steps=[Step(title={"en": "One"}), Step(title={"en": "Two"}),
                                          Step(title={"en": "Three"})])],
    )
    return p


STEPS = ("guides", "g", "variants", 0, "steps")


def test_set_a_translation_and_undo_it() -> None:
    p = project()
    inverse = edits.apply(p, SetValue((*STEPS, 0, "title", "ja"), "一"))
    assert p.guides["g"].variants[0].steps[0].title == {"en": "One", "ja": "一"}
    edits.apply(p, inverse)
    assert p.guides["g"].variants[0].steps[0].title == {"en": "One"}


def test_insert_remove_move_steps_round_trip() -> None:
    p = project()
    original = copy.deepcopy(p)
    undo = [
        edits.apply(p, InsertItem(STEPS, 1, Step(title={"en": "New"}))),
        edits.apply(p, MoveItem(STEPS, 0, 3)),
        edits.apply(p, RemoveItem(STEPS, 0)),
    ]
    titles = [s.title["en"] for s in p.guides["g"].variants[0].steps]
    assert titles == ["Two", "Three", "One"]
    for inverse in reversed(undo):
        edits.apply(p, inverse)
    assert p == original


def test_add_and_delete_a_guide() -> None:
    p = project()
    new = Guide(id="h", name="H", kind="modal")
    inverse = edits.apply(p, SetValue(("guides", "h"), new))
    assert "h" in p.guides and p.guides["h"] is not new  # the edit keeps its own copy
    edits.apply(p, inverse)
    assert "h" not in p.guides
    inverse = edits.apply(p, SetValue(("guides", "g"), MISSING))
    assert "g" not in p.guides
    edits.apply(p, inverse)
    assert p.guides["g"].name == "G"


def test_a_failing_batch_leaves_the_project_untouched() -> None:
    p = project()
    original = copy.deepcopy(p)
    with pytest.raises(EditError):
        edits.apply(p, Batch((SetValue(("guides", "g", "name"), "Renamed"),
                              RemoveItem(STEPS, 99))))
    assert p == original


def test_setting_an_optional_field_to_missing_clears_it() -> None:
    p = project()
    edits.apply(p, SetValue(("guides", "g", "priority"), 5))
    inverse = edits.apply(p, SetValue(("guides", "g", "priority"), MISSING))
    assert p.guides["g"].priority is None
    edits.apply(p, inverse)
    assert p.guides["g"].priority == 5


def test_buttons_can_be_added_to_a_step() -> None:
    p = project()
    path = (*STEPS, 2, "buttons")
    edits.apply(p, InsertItem(path, 0, Button(label={"en": "Done"}, action="complete")))
    assert p.guides["g"].variants[0].steps[2].buttons[0].action == "complete"


ops = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(0, 5), st.text(max_size=5)),
        st.tuples(st.just("insert"), st.integers(0, 5), st.text(max_size=5)),
        st.tuples(st.just("remove"), st.integers(0, 5), st.none()),
        st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 5)),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_any_sequence_of_edits_undoes_to_the_original(sequence) -> None:
    p = project()
    original = copy.deepcopy(p)
    undo = []
    for op, a, b in sequence:
        n = len(p.guides["g"].variants[0].steps)
        try:
            if op == "set":
                undo.append(edits.apply(p, SetValue((*STEPS, a % max(n, 1), "title", "en"), b)))
            elif op == "insert":
                undo.append(edits.apply(p, InsertItem(STEPS, a % (n + 1), Step(title={"en": b}))))
            elif op == "remove":
                undo.append(edits.apply(p, RemoveItem(STEPS, a % max(n, 1))))
            else:
                undo.append(edits.apply(p, MoveItem(STEPS, a % max(n, 1), b % max(n, 1))))
        except EditError:
            assert n == 0  # only an empty list refuses
    for inverse in reversed(undo):
        edits.apply(p, inverse)
    assert p == original
