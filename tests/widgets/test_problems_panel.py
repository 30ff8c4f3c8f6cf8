"""The problems panel: errors first, and activating a row says which problem."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QTest

from guidestudio.core.problems import Problem
from guidestudio.widgets.project.problems_panel import ProblemsModel, ProblemsPanel


class FakeDocument(QObject):
    problemsChanged = Signal()
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
    assert model.index(0, 2).data() == "variants[0].steps[0].title"
    panel.view.setCurrentIndex(model.index(0, 3))
    with qtbot.waitSignal(panel.problemActivated) as activated:
        QTest.keyClick(panel.view, Qt.Key.Key_Return)
    assert activated.args == [error]
    doc.problems = []
    doc.problemsChanged.emit()
    assert model.rowCount() == 0 and counts[-1] == (0, 0)
