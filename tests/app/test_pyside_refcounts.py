"""Guard against a Qt binding that leaks references to None, True and False.

PySide6 6.12.0 dropped a reference to the returned singleton on every Qt call
returning nothing; on CPython 3.11 the interpreter then deallocates None and
aborts a few thousand widget calls into a session. pyproject.toml excludes that
release; this test fails if an upgrade brings the leak back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QCheckBox, QLabel


def test_qt_calls_do_not_leak_references_to_none_true_false(qtbot) -> None:
    label, box = QLabel(), QCheckBox()
    qtbot.addWidget(label)
    qtbot.addWidget(box)
    counts = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(200):
        label.setText("x")
        label.setToolTip("y")
        box.setChecked(True)
        box.isChecked()
        label.parentWidget()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    # Other threads may touch the singletons; a leak shows as a drift of hundreds.
    assert all(abs(b - a) < 100 for a, b in zip(counts, after, strict=True)), (counts, after)
