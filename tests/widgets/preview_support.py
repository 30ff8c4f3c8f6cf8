"""Shared set-up for the live-preview tests: a real web engine, a real project, no sleeps.

Like qutebrowser's JavaScript tests, pages are real and questions go to the
DOM through ``runJavaScript``; waiting is ``qtbot.waitUntil`` on the answer.
Test modules import ``doc_fixture`` and ``pane_fixture`` (fixtures named ``doc``
and ``pane``). ``AA_ShareOpenGLContexts`` is set at import (collection time), before pytest-qt
creates the application, as QtWebEngine asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402,F401  (before the app exists)

from guidestudio.app.document import Document  # noqa: E402
from guidestudio.widgets.preview.pane import PreviewPane  # noqa: E402
from guidestudio.widgets.preview.surface import PreviewSurface  # noqa: E402
from tests.widgets.editor_support import TOUR, open_example  # noqa: E402

__all__ = ["TOUR", "TOOLTIP", "delete_now", "doc_fixture", "dom", "dom_until", "pane_fixture",
           "ready", "title_path"]

TOOLTIP = "premium-feature-tooltip"
TITLE_JS = "(function(){var t=document.querySelector('.gs-root .gs-title');" \
           "return t ? t.textContent : null;})()"


def title_path(guide: str = TOUR, variant: int = 0, step: int = 0,
               locale: str = "en") -> tuple[Any, ...]:
    return ("guides", guide, "variants", variant, "steps", step, "title", locale)


@pytest.fixture(name="doc")
def doc_fixture(tmp_path: Path, qapp: Any) -> Iterator[Document]:
    document = open_example(tmp_path)
    yield document
    document.deleteLater()


def delete_now(widget: Any) -> None:
    """Delete a widget (and its pages, before their profiles) before the next test runs.

    ``deleteLater`` alone would leave the last test's pages for interpreter exit,
    after the application, which QtWebEngine warns about.
    """
    if shiboken6.isValid(widget):
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(name="pane")
def pane_fixture(qtbot: Any, doc: Document,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[PreviewPane]:
    """A visible pane on the example project; no debouncing, short load time-out."""
    monkeypatch.setattr(PreviewPane, "DEBOUNCE_MS", 0)
    monkeypatch.setattr(PreviewSurface, "LOAD_TIMEOUT_MS", 5000)
    widget = PreviewPane(doc)
    widget.resize(1000, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    delete_now(widget)


def ready(qtbot: Any, surface: PreviewSurface | None, timeout: int = 10_000) -> PreviewSurface:
    qtbot.waitUntil(lambda: surface is not None and surface.is_ready, timeout=timeout)
    assert surface is not None
    return surface


def dom(qtbot: Any, surface: PreviewSurface, source: str, main_world: bool = False) -> Any:
    """The value of a JavaScript expression in the page (the isolated world by default)."""
    with qtbot.waitCallback(timeout=5000) as callback:
        surface.evaluate(source, callback, main_world=main_world)
    return callback.args[0]


def dom_until(qtbot: Any, surface: PreviewSurface, source: str,
              predicate: Callable[[Any], bool], timeout: int = 8000) -> Any:
    """Ask the page until the answer satisfies ``predicate``; returns that answer."""
    answers: list[Any] = []

    def check() -> bool:
        surface.evaluate(source, answers.append)
        return bool(answers) and predicate(answers[-1])

    qtbot.waitUntil(check, timeout=timeout)
    return answers[-1]
