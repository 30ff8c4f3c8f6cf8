"""Variants as percentages that total 100; experiment settings in percent."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guidestudio.core.model import Experiment
from tests.widgets.editor_support import BANNER, guide_editor, open_example

VARIANTS = ("guides", BANNER, "variants")


def shares(rows) -> list[float]:
    return [row.share.value() for row in rows.rows]


def test_editing_a_share_rebalances_the_others_as_one_undo_step(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)  # keep it alive
    rows = editor.variants.rows
    assert shares(rows) == [50.0, 50.0] and rows.total.text() == "Total: 100%"
    share = rows.rows[0].share
    share.selectAll()
    QTest.keyClicks(share, "30")
    QTest.keyClick(share, Qt.Key.Key_Return)  # no keyboard tracking: one value, one step
    assert [v.weight for v in doc.get(VARIANTS)] == [30, 70]
    assert shares(rows) == [30.0, 70.0]
    assert doc.undo_stack.count() == 1
    rows.add_button.click()  # a third variant takes the average weight
    assert [v.key for v in doc.get(VARIANTS)] == ["a", "b", "c"]
    assert sum(shares(rows)) == 100.0
    rows.rows[2].share.setValue(20)
    weights = [v.weight for v in doc.get(VARIANTS)]
    assert all(w > 0 for w in weights) and sum(weights) == 100 and weights[2] == 20
    assert sum(shares(rows)) == 100.0 and rows.total.text() == "Total: 100%"
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    assert [v.weight for v in doc.get(VARIANTS)] == [1, 1] and shares(rows) == [50.0, 50.0]


def test_add_duplicate_rename_and_remove_variants(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    rows = editor.variants.rows
    rows.rows[1].duplicate.click()
    variants = doc.get(VARIANTS)
    assert [v.key for v in variants] == ["a", "b", "c"]
    assert variants[2].name == "Benefit (copy)" and variants[2].steps == variants[1].steps
    key = rows.rows[2].key
    key.selectAll()
    QTest.keyClicks(key, "benefit v2")  # the space is refused by the key pattern
    assert doc.get((*VARIANTS, 2, "key")) == "benefitv2"
    assert editor.variant_picker.itemText(2) == "benefitv2 — Benefit (copy)"
    rows.rows[2].edit_steps.click()
    assert editor.tabs.currentIndex() == 0 and editor.ctx.variant == 2
    rows.rows[0].remove.click()
    rows.rows[0].remove.click()
    assert len(rows.rows) == 1 and not rows.rows[0].remove.isEnabled()  # the last one stays
    assert not rows.rows[0].share.isEnabled() and rows.rows[0].share.value() == 100
    assert editor.ctx.variant == 0


def test_experiment_switch_and_percentages(tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)  # keep it alive
    form = editor.variants.experiment
    experiment = ("guides", BANNER, "experiment")
    assert form.section.isChecked()
    assert form.coverage.value() == 100 and form.control.value() == 10
    form.section.setChecked(False)
    assert doc.get(experiment) is None
    form.section.setChecked(True)
    assert doc.get(experiment) == Experiment(key=BANNER)
    form.coverage.setValue(50)
    form.control.setValue(20)
    assert (doc.get((*experiment, "coverage")), doc.get((*experiment, "control_weight"))) == (
        0.5, 0.2)
    form.control.setValue(0)
    assert doc.get((*experiment, "control_weight")) is None
    form.namespace.setChecked(True)
    assert doc.get((*experiment, "namespace")) == [BANNER, 0, 1]
    form.ns_end.setValue(50)
    assert doc.get((*experiment, "namespace")) == [BANNER, 0, 0.5]
    form.key.selectAll()
    QTest.keyClick(form.key, Qt.Key.Key_Delete)  # required: not written, marked
    assert doc.get((*experiment, "key")) == BANNER
