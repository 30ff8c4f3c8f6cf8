"""A fact the compiler refuses carries the code the validator reports it under.

The compiler re-checks a few facts as its last line of defence (validation
runs first on export and in the editor). The CLI's ``--json`` output, the
problems panel and scripts that filter by code must see one code per fact,
whichever of the two found it.
"""

from __future__ import annotations

from typing import Any

import pytest

from guidestudio.core.bundle.compiler import CompileError, compile_guide
from guidestudio.core.model import (
    Audience,
    Button,
    ChecklistItem,
    Experiment,
    Guide,
    Image,
    Project,
    Schedule,
    Settings,
    Step,
    Variant,
)
from guidestudio.core.validate import validate_project


def _text(en: str) -> dict[str, str]:
    return {"en": en}


def _step(**fields: Any) -> Step:
    fields.setdefault("title", _text("Hi"))
    fields.setdefault("buttons", [Button(_text("OK"), "complete")])
    return Step(**fields)


def _guide(**fields: Any) -> Guide:
    fields.setdefault("variants", [Variant("a", [_step()])])
    return Guide(id="g", name="G", kind=fields.pop("kind", "modal"), status="live", **fields)


CASES: dict[str, tuple[str, Guide, dict[str, Any]]] = {
    "two steps with one id": ("duplicate-step-id", _guide(kind="walkthrough", variants=[
        Variant("a", [_step(id="intro"), _step(id="intro")])]), {}),
    "a schedule in an unknown time zone": ("unknown-timezone", _guide(
        schedule=Schedule(start="2026-01-01", timezone="Mars/Olympus")), {}),
    "a project in an unknown time zone": ("unknown-timezone", _guide(
        schedule=Schedule(start="2026-01-01")), {"timezone": "Mars/Olympus"}),
    "a date that does not exist": ("datetime", _guide(schedule=Schedule(start="2026-02-30")),
                                   {}),
    "no variants": ("no-variants", _guide(variants=[]), {}),
    "a variant without steps": ("no-steps", _guide(variants=[Variant("a", [])]), {}),
    "two variants with one key": ("duplicate-variant", _guide(variants=[
        Variant("a", [_step()]), Variant("a", [_step()])]), {}),
    "a variant weighing nothing": ("variant-weight", _guide(variants=[
        Variant("a", [_step()], weight=0)]), {}),
    "a control group of everyone": ("control-weight", _guide(
        experiment=Experiment("exp", control_weight=1.5)), {}),
    "a variant called control beside a control group": ("reserved-variant-key", _guide(
        variants=[Variant("control", [_step()]), Variant("b", [_step()])],
        experiment=Experiment("exp", control_weight=0.1)), {}),
    "an image outside the project": ("image-outside", _guide(variants=[Variant("a", [
        _step(image=Image("../secret.png", _text("x")))])]), {}),
    "an image outside assets/": ("image-location", _guide(variants=[Variant("a", [
        _step(image=Image("pictures/tour.png", _text("x")))])]), {}),
    "an unknown segment": ("unknown-segment", _guide(audience=Audience(segments=["pros"])), {}),
    "a button link that runs code": ("unsafe-url", _guide(variants=[Variant("a", [
        _step(buttons=[Button(_text("Go"), "url", url="javascript:alert(1)")])])]), {}),
    "a checklist link that runs code": ("unsafe-url", _guide(kind="checklist", variants=[
        Variant("a", [_step(items=[ChecklistItem("i", _text("Do"), "done",
                                                 url="javascript:alert(1)")])])]), {}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_compiler_names_a_fact_with_the_validators_code(case: str) -> None:
    code, guide, settings = CASES[case]
    project = Project(settings=Settings(id="acme", name="Acme", **settings),
                      guides={guide.id: guide})
    with pytest.raises(CompileError) as info:
        compile_guide(project, guide)
    assert info.value.problem.code == code
    assert code in {problem.code for problem in validate_project(project)}
