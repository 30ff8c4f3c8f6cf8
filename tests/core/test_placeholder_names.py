"""Placeholders named after a property every JavaScript object has (issue 13, item 10): the
runtime shows their fallback (tests/vectors/placeholders.json, run by tests/js/placeholders.test.js)
and validation warns about exactly those names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidestudio.core.validate.texts import builtin_placeholder_segment
from tests.conftest import REPO_ROOT
from tests.core.test_validate import guide, make, run

ROWS = json.loads((REPO_ROOT / "tests/vectors/placeholders.json").read_text("utf-8"))["rows"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]} {json.dumps(r[1])}" for r in ROWS])
def test_validation_warns_for_the_names_whose_fallback_shows(row: list, tmp_path: Path) -> None:
    path, user, shown = row
    builtin = builtin_placeholder_segment(path) is not None
    # A built-in name shows the fallback unless the user sets that very property.
    own = user.get(path.split(".")[0]) is not None
    if builtin and not own:
        assert shown is None
    body = f"""\
variants:
  - key: a
    steps:
      - title: {{en: "Hello {{{{{path}|there}}}}"}}
"""
    problems = run(make(tmp_path, {"guides/g.yaml": guide(body)}))
    warned = [p for p in problems if p.code == "placeholder-name"]
    assert bool(warned) is builtin, [p.format() for p in problems]
    if warned:
        assert warned[0].severity == "warning"
        assert warned[0].field == "variants[0].steps[0].title.en"
        assert "fallback" in warned[0].message


def test_every_object_prototype_name_is_covered() -> None:
    names = {r[0].split(".")[-1] for r in ROWS}
    for name in ("constructor", "__proto__", "toString", "valueOf", "hasOwnProperty",
                 "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__",
                 "__defineSetter__", "__lookupGetter__", "__lookupSetter__"):
        assert name in names
        assert builtin_placeholder_segment(name) == name
    assert builtin_placeholder_segment("account.plan") is None
    assert builtin_placeholder_segment("tags.map") is None  # own properties only: no warning
