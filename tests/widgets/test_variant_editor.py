"""Variants as percentages that total 100; experiment settings in percent."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

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
    assert share.text() == f"50{share.suffix()}"  # as people write it, not "50.0 %"
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


def test_experiment_tab_folds_key_seed_and_namespace_under_advanced(tmp_path: Path,
                                                                    qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    form = editor.variants.experiment
    advanced = (form.key, form.seed, form.namespace)
    assert form.coverage.isVisibleTo(form) and form.control.isVisibleTo(form)
    assert not any(w.isVisibleTo(form) for w in advanced)  # folded on first sight
    assert not form.advanced.is_expanded()
    form.advanced.header.click()
    assert all(w.isVisibleTo(form) for w in advanced)
    form.advanced.header.click()
    assert not form.key.isVisibleTo(form)
    # A problem inside is told on the header, and a jump to it opens the section.
    form.key.setText("")
    doc.set_value(("guides", BANNER, "experiment", "key"), "not a key!")
    doc.revalidate()
    assert "problem" in form.advanced.header.text()
    editor.focus_field("experiment.seed")
    assert form.advanced.is_expanded() and editor.focusWidget() is form.seed
    assert editor.tabs.currentIndex() == 2
    doc.undo_stack.undo()
    doc.revalidate()
    assert form.advanced.header.text() == "Advanced"


def test_experiment_tab_says_what_an_experiment_and_the_control_group_are(
        tmp_path: Path, qtbot) -> None:
    doc = open_example(tmp_path)
    editor = guide_editor(qtbot, doc, BANNER)
    page = editor.variants.experiment
    words = " ".join(label.text() for label in page.findChildren(QLabel)
                     if label.isVisibleTo(page))
    assert "A/B test" in words and "control group takes part but sees no guide" in words
