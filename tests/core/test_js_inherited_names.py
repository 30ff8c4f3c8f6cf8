"""Inherited JavaScript property names (issue 13, item 10): the rows of tests/vectors/targeting.json
on toString, constructor, __proto__ … (expected values from GrowthBook's own evalCondition) hold for
the set-at-a-time audiences of ``simulate`` as for ``eval_condition``."""

from __future__ import annotations

import json

from guidestudio.core import simulate
from guidestudio.core.targeting import eval_condition
from tests.conftest import REPO_ROOT

VECTORS = json.loads((REPO_ROOT / "tests/vectors/targeting.json").read_text("utf-8"))
PREFIXES = ("inherited ", "own ", "nested ", "array ", "string ", "number ")
ROWS = [row for row in VECTORS["evalCondition"] if row[0].startswith(PREFIXES)]


def test_the_rows_exist() -> None:
    assert len(ROWS) > 200
    assert any(row[1] == {"toString": {"$exists": True}} and row[3] is True for row in ROWS)


def test_simulate_reads_inherited_names_as_the_evaluator_does() -> None:
    users = [row[2] for row in ROWS]
    for name, condition, attributes, expected in ROWS:
        assert eval_condition(attributes, condition) is expected, name
        compiled = simulate.compile_audience(condition)
        assert compiled(users) == [eval_condition(u, condition) for u in users], name
