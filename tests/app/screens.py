"""Open the real main window as a user would see it: at a size, in a colour scheme, with a guide.

For tests that look at the whole window (the "screens as tests" of issue 12):

    window = open_main_window(qtbot, project, (1280, 800), "dark", ("guide", "nps-survey"))
    wait_for_canvas(qtbot, window)
    ...
    assert literal_ampersands(window) == []

Use it with the ``shell_env`` fixture (isolated settings, a window left open fails the
test) and call ``theme.apply_theme("light")`` when done, or use the ``screen`` fixture of
``tests/app/conftest.py``, which does both.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from guidestudio.app import theme
from guidestudio.app.main_window import MainWindow

CANVAS_TIMEOUT_MS = 30_000


def open_main_window(qtbot: Any, project: Path, size: tuple[int, int] = (1280, 800),
                     scheme: str = "light", item: tuple[str, str] | None = None) -> MainWindow:
    """The main window on ``project`` at ``size`` in ``scheme`` ("light"/"dark"), showing
    ``item`` (kind, key) — by default the first guide, as a fresh start shows it."""
    theme.apply_theme(scheme)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_project(project, background=False)
    if item is not None:
        assert window.tree.select(*item)
    else:
        qtbot.waitUntil(lambda: window.tree.current_ref()[0] == "guide")
    return window


def wait_for_canvas(qtbot: Any, window: MainWindow) -> None:
    """Until the canvas has painted the selected guide (its page is ready, the runtime
    configured, and two frames painted since)."""
    from guidestudio.widgets.preview.bridge import js_call

    pane = window.centre.pane
    assert pane is not None, "no project open"
    qtbot.waitUntil(lambda: pane.surface is not None and pane.surface.is_ready,
                    timeout=CANVAS_TIMEOUT_MS)
    surface = pane.surface
    assert surface is not None
    tag = f"screens-{time.monotonic_ns()}"
    with qtbot.waitSignal(surface.bridge.notified, timeout=CANVAS_TIMEOUT_MS,
                          check_params_cb=lambda got: got == tag):
        surface.evaluate(js_call("afterFrames", tag))


def literal_ampersands(root: QWidget) -> list[str]:
    """Texts of the visible labels under ``root`` that show a literal "&".

    A label's "&" is a mnemonic (an underline, not a "&") only when the label
    has a buddy; buttons always treat it so. Rich-text labels spell it "&amp;"
    and are left out.
    """
    found = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisibleTo(root) or "&" not in text or label.buddy() is not None:
            continue
        rich = label.textFormat() == Qt.TextFormat.RichText or (
            label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
        if not rich:
            found.append(text)
    return found


def restore_light() -> None:
    theme.apply_theme("light")
    QApplication.processEvents()
