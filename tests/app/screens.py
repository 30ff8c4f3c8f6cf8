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
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from guidestudio.app import theme
from guidestudio.app.main_window import MainWindow

CANVAS_TIMEOUT_MS = 30_000
#: How long a painted frame may take to reach the web view's widget (see ``wait_for_still_canvas``).
FRAME_ARRIVES_S = 0.6
#: How long the canvas's picture must stay the same to count as final.
STILL_FOR_S = 0.15


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


def canvas_image(window: MainWindow) -> QImage | None:
    """The canvas's page as its web view last received it (None: no page yet)."""
    pane = window.centre.pane
    surface = pane.surface if pane is not None else None
    return surface.grab_image() if surface is not None and surface.isVisible() else None


def wait_for_still_canvas(qtbot: Any, window: MainWindow, before: QImage | None) -> None:
    """Until the canvas shows what was last asked of it, and its picture has stopped changing.

    ``wait_for_canvas`` says the page has painted, but the canvas may then zoom
    to the guide it was told about (another frame), and a painted frame takes a
    while to reach the web view's widget. So: wait for the canvas's geometry
    (size, zoom, scroll, the guide's box) to stay the same over a painted frame,
    then for a picture different from ``before`` (taken before the change) that
    stays the same for ``STILL_FOR_S`` — or for ``FRAME_ARRIVES_S`` with nothing
    new (a change that shows nothing). Animations are switched off first
    (``shot.STILL_CSS``), as the screenshot command does.
    """
    from guidestudio.widgets.preview.shot import STILL_CSS

    pane = window.centre.pane
    assert pane is not None, "no project open"
    qtbot.waitUntil(lambda: pane.surface is not None and pane.surface.is_ready,
                    timeout=CANVAS_TIMEOUT_MS)
    surface = pane.surface
    assert surface is not None
    surface.evaluate(f"if (!window.__still) {{ window.__still = 1; {STILL_CSS} }}")

    def geometry() -> tuple[Any, ...]:
        return (surface.view.size(), surface.view.zoomFactor(), surface.guide_box,
                surface.horizontalScrollBar().value(), surface.verticalScrollBar().value())

    last = None
    while (now := geometry()) != last:
        last = now
        wait_for_canvas(qtbot, window)
    start = changed_at = time.monotonic()
    shown = before

    def still() -> bool:
        nonlocal shown, changed_at
        image = surface.grab_image()
        if image != shown:
            shown, changed_at = image, time.monotonic()
        if shown == before:
            return time.monotonic() - start > FRAME_ARRIVES_S
        return time.monotonic() - changed_at > STILL_FOR_S

    qtbot.waitUntil(still, timeout=CANVAS_TIMEOUT_MS)


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
