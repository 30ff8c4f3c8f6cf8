"""The project tree model: correct under qtmodeltester, and it moves only the rows an edit touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex

from guidestudio.app.document import Document
from guidestudio.core.edits import MISSING, Batch, SetValue
from guidestudio.widgets.project.tree import ProjectTree
from guidestudio.widgets.project.tree_model import KEY_ROLE, KIND_ROLE, ProjectTreeModel
from tests.conftest import EXAMPLE_PROJECT

NPS = "nps-survey"


@pytest.fixture
def doc(tmp_path: Path, qtbot) -> Document:  # type: ignore[no-untyped-def]
    shutil.copytree(EXAMPLE_PROJECT, tmp_path / "p")
    (tmp_path / "p" / "themes" / "broken-theme.yaml").write_text("id: [\n", "utf-8")
    return Document.open(tmp_path / "p")


def labels(model: ProjectTreeModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent if parent is not None else QModelIndex()
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


@pytest.mark.parametrize("grouping", ["status", "kind"])
def test_the_model_passes_qtmodeltester_through_edits(doc: Document, qtmodeltester,
                                                      grouping: str) -> None:
    model = ProjectTreeModel(doc)
    model.set_grouping(grouping)
    qtmodeltester.check(model, force_py=True)
    guide = doc.project.guides[NPS]
    doc.set_value(("guides", NPS, "status"), "archived")  # a move between groups
    doc.set_value(("guides", NPS, "kind"), "modal")
    doc.set_value(("guides", NPS, "name"), "Zed")  # a label change
    doc.set_value(("guides", NPS), MISSING)  # a removal
    doc.set_value(("guides", "new-one"), guide)  # an insertion
    doc.apply(Batch((SetValue(("segments", "admins"), MISSING),
                     SetValue(("guides", "trial-conversion-tour"), MISSING))), "mixed")
    doc.set_value(("guides", "odd"), type(guide)(id="odd", name="Odd", kind="modal",
                                                 status="weird"))  # a value outside the schema
    doc.remove_item(("profiles",), 0, "remove a sample profile")  # the project section's count
    doc.set_value(("settings", "name"), "Renamed project")
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
    doc.replace(doc._result)  # a reset
    qtmodeltester.check(model, force_py=True)


def test_sections_groups_and_broken_files(doc: Document) -> None:
    model = ProjectTreeModel(doc)
    assert labels(model) == ["Project", "Guides (10)", "Segments (8)", "Themes (2)",
                             "Broken files (1)"]
    assert labels(model, model.index(0, 0)) == ["Settings", "Sample profiles (12)", "Results"]
    assert model.index_for("settings", "").data(KIND_ROLE) == "settings"
    assert "guidestudio.yaml" in model.index_for("settings", "").data(3)  # ToolTipRole
    assert labels(model, model.index(1, 0)) == ["Draft (1)", "Staged (1)", "Live (7)",
                                                "Archived (1)"]
    broken = model.index_for("broken", "themes/broken-theme.yaml")
    assert broken.data() == "broken-theme.yaml"
    assert "will not be overwritten" in broken.data(3)  # ToolTipRole


def test_only_the_affected_rows_change(doc: Document, qtbot) -> None:
    model = ProjectTreeModel(doc)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.layoutChanged):
        with qtbot.assertNotEmitted(model.dataChanged):
            doc.set_value(("guides", NPS, "variants", 0, "steps", 0, "title", "en"), "typing")
        with qtbot.waitSignal(model.dataChanged) as changed:
            doc.set_value(("guides", NPS, "name"), "Renamed")
        assert changed.args[0].data(KEY_ROLE) == NPS
        with qtbot.waitSignal(model.rowsMoved):
            doc.set_value(("guides", NPS, "status"), "draft")
        assert labels(model, model.index(1, 0))[0] == "Draft (2)"
        with qtbot.waitSignal(model.dataChanged) as changed:
            doc.remove_item(("profiles",), 0, "remove a sample profile")
        assert changed.args[0].data() == "Sample profiles (11)"


def test_filter_search_and_selection(doc: Document, qtbot) -> None:
    tree = ProjectTree()
    qtbot.addWidget(tree)
    tree.set_document(doc)
    tree.filter_edit.setText("survey")  # matches the kind, not just the name
    leaves = []
    proxy = tree.proxy

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            if proxy.rowCount(index) == 0 and index.data(KEY_ROLE) not in ("guides", "segments"):
                leaves.append(index.data(KEY_ROLE))
            walk(index)

    walk(QModelIndex())
    assert NPS in leaves and "free-plan" not in leaves
    assert tree.select("segment", "free-plan")  # selecting a filtered-out item clears the filter
    assert tree.filter_edit.text() == ""
    assert tree.selected_refs() == [("segment", "free-plan")]
    tree.view.expandAll()
    tree.view.selectAll()
    assert len(tree.selected_refs()) == 3 + 10 + 8 + 2 + 1  # settings, profiles, results too


def test_a_project_opens_with_its_sections_and_groups_expanded(doc: Document, qtbot) -> None:
    tree = ProjectTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.set_document(doc)
    proxy, view = tree.proxy, tree.view

    def depth_one() -> list[QModelIndex]:
        found = []
        for row in range(proxy.rowCount()):
            section = proxy.index(row, 0)
            found.append(section)
            found += [proxy.index(r, 0, section) for r in range(proxy.rowCount(section))]
        return [index for index in found if proxy.hasChildren(index)]

    # As expandToDepth(1) would: every section and every group in it; guides stay leaves.
    qtbot.waitUntil(lambda: all(view.isExpanded(index) for index in depth_one()))
    groups = [index for index in depth_one() if index.parent().isValid()]
    assert len(groups) >= 2  # the example's guides are in several status groups


def test_choosing_an_item_from_elsewhere_selects_it_alone_even_with_ctrl_held(
        doc: Document, qtbot) -> None:  # type: ignore[no-untyped-def]
    # The tree's own clicks extend the selection with Ctrl or Shift; an item chosen from
    # elsewhere (Problems, a link, a search result) replaces it, whatever keys are down —
    # else "Delete" would offer to delete what was chosen before as well.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    tree = ProjectTree()
    qtbot.addWidget(tree)
    tree.set_document(doc)
    tree.show()
    assert tree.select("segment", "free-plan")
    QTest.keyPress(tree.windowHandle(), Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)
    try:
        assert tree.select("segment", "admins")
        assert tree.selected_refs() == [("segment", "admins")]
        assert tree.current_ref() == ("segment", "admins")
    finally:
        QTest.keyRelease(tree.windowHandle(), Qt.Key.Key_Control)
