"""The problems panel: errors first, and activating a row says which problem."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTreeView

from guidestudio.core.problems import Problem
from guidestudio.widgets.project.problems_panel import ProblemsModel, ProblemsPanel


class FakeDocument(QObject):
    problemsChanged = Signal()
    page_problems: list[Problem] = []  # noqa: RUF012 (never changed)
    validationProgress = Signal(int, int)
    validating = False

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


def test_errors_first_and_enter_activates(qtbot, qtmodeltester) -> None:
    warning = Problem("guides/a.yaml", 3, "name", "is long", "warning")
    error = Problem("guides/z.yaml", 9, "variants[0].steps[0].title", "is empty")
    doc = FakeDocument([warning, error])
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    counts = []
    panel.countsChanged.connect(lambda e, w: counts.append((e, w)))
    panel.set_document(doc)
    standalone = ProblemsModel()  # the panel's own model dies with the panel before teardown
    standalone.set_problems(doc.problems)
    qtmodeltester.check(standalone, force_py=True)
    assert counts[-1] == (1, 1)
    model = panel.model
    assert [model.index(r, 1).data() for r in range(2)] == ["guides/z.yaml:9", "guides/a.yaml:3"]
    assert model.index(0, 2).data() == "is empty"
    assert "Field: variants[0].steps[0].title" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    panel.view.setCurrentIndex(model.index(0, 2))
    with qtbot.waitSignal(panel.problemActivated) as activated:
        QTest.keyClick(panel.view, Qt.Key.Key_Return)
    assert activated.args == [error]
    doc.problems = []
    doc.problemsChanged.emit()
    assert model.rowCount() == 0 and counts[-1] == (0, 0)


def test_one_click_goes_there_arrow_keys_only_move(qtbot) -> None:
    first = Problem("guides/a.yaml", 3, "schedule.end", "ends before it starts")
    second = Problem("guides/b.yaml", 7, "name", "is long", "warning")
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_document(FakeDocument([first, second]))
    panel.resize(800, 200)
    panel.show()
    qtbot.waitExposed(panel)
    view, model = panel.view, panel.model
    activated: list[Problem] = []
    panel.problemActivated.connect(activated.append)
    rect = view.visualRect(model.index(1, 2))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated == [second]  # a single click, not a double one
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert activated == [second] and view.currentIndex().row() == 0  # moving is not going
    tip = model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Location: guides/a.yaml:3" in tip and "Field: schedule.end" in tip
    assert "ends before it starts" in tip


def test_the_severity_column_fits_every_severity_however_far_down(qtbot) -> None:
    # 300 errors first, then a warning: "Warning" (wider than "Error") is far out of view.
    problems = [Problem(f"guides/g{i}.yaml", 1, "name", "is empty") for i in range(300)]
    problems.append(Problem("guides/last.yaml", 2, "name", "is long", "warning"))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 200)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_document(FakeDocument(problems))
    view = panel.view
    header = view.header()
    every_row = QTreeView.sizeHintForColumn(view, 0)  # Qt's own: asks each of the 301 rows
    # (the header sizes its sections in a later layout pass)
    qtbot.waitUntil(lambda: header.sectionSize(0) == max(every_row, header.sectionSizeHint(0)))
    warning_only = QTreeView.sizeHintForIndex(view, panel.model.index(300, 0)).width()
    assert header.sectionSize(0) >= warning_only


def test_messages_name_what_the_forms_name(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The example's unused segment: the panel says it in the segment's and the form's
    words; the id stays in the tooltip's file location, for whoever opens the file."""
    from tests.widgets.editor_support import open_example

    document = open_example(tmp_path)
    qtbot.waitUntil(lambda: any(p.code == "unused-segment" for p in document.problems))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_document(document)
    model = panel.model
    row = next(r for r, p in enumerate(model.problems) if p.code == "unused-segment")
    assert model.index(row, 1).data() == "Segment “Pro plan”"
    message = model.index(row, 2).data()
    assert message.startswith("No guide uses it") and "pro-plan" not in message
    assert "segments/pro-plan.yaml" in model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
    document.set_value(("segments", "pro-plan", "name"), "Pro customers")
    qtbot.waitUntil(lambda: model.index(row, 1).data() == "Segment “Pro customers”")
