"""Forked compilation gives exactly what serial compilation gives."""

from __future__ import annotations

import pytest

from guidestudio.core.bundle import parallel
from guidestudio.core.bundle.compiler import CompileError, compile_project
from guidestudio.core.files.project_io import load_project
from guidestudio.core.model import Button
from tests.conftest import EXAMPLE_PROJECT


def test_map_in_order_keeps_order_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    items = list(range(500))
    result = parallel.map_in_order(lambda x: x * x, items, workers=2,
                                   progress=lambda d, t: seen.append((d, t)))
    assert result == [x * x for x in items]
    assert seen[-1] == (500, 500)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_worker_error_reaches_the_caller_with_its_type() -> None:
    def boom(x: int) -> int:
        if x == 300:
            raise KeyError("guide 300")
        return x

    with pytest.raises(KeyError, match="guide 300"):
        parallel.map_in_order(boom, list(range(400)), workers=2)


def _many_guides(copies: int):  # type: ignore[no-untyped-def]
    import copy

    project = load_project(EXAMPLE_PROJECT).project
    originals = list(project.guides.values())
    for i in range(copies):
        for guide in originals:
            clone = copy.deepcopy(guide)
            clone.id = f"{guide.id}-{i}"
            project.guides[clone.id] = clone
    return project


def test_parallel_bundle_is_byte_identical_to_serial() -> None:
    project = _many_guides(12)
    serial = compile_project(project, environment="staging", workers=1)
    forked = compile_project(project, environment="staging", workers=2)
    assert len(serial["guides"]) > parallel.MIN_ITEMS
    assert forked == serial


def test_compile_errors_from_workers_are_compile_errors() -> None:
    project = _many_guides(12)
    bad = project.guides["win-back-inactive-7"]
    bad.variants[0].steps[0].buttons.append(Button(label={"en": "x"}, action="url",
                                                   url="javascript:alert(1)"))
    with pytest.raises(CompileError):
        compile_project(project, environment="staging", workers=2)
