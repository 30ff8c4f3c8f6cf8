"""Test-wide configuration: headless Qt, an isolated web engine, temp settings.

The environment must be set before anything imports Qt, which is why it lives
at module import time of the root conftest rather than in a fixture.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QtWebEngine refuses to start its sandbox as root (CI runs as root).
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox --disable-dev-shm-usage")
# Keep the web engine's profile and any QSettings out of the developer's home.
_TEST_HOME = Path(tempfile.mkdtemp(prefix="guidestudio-test-home-"))
os.environ["XDG_DATA_HOME"] = str(_TEST_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_TEST_HOME / "config")
os.environ["XDG_CACHE_HOME"] = str(_TEST_HOME / "cache")
os.environ.setdefault("XDG_RUNTIME_DIR", str(_TEST_HOME / "runtime"))
(_TEST_HOME / "runtime").mkdir(mode=0o700, exist_ok=True)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
EXAMPLE_PROJECT = REPO_ROOT / "resources" / "examples" / "acme-cloud"


import gc  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _collect_qt_garbage(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Destroy a test's Qt objects at the end of that test, not in the middle of the next.

    Widgets, documents and their signal connections form reference cycles that
    only the cyclic GC frees; left to chance, it runs inside a later test's event
    processing and deletes C++ objects whose timers or deferred deletes are still
    queued there — a segfault far from its cause. Collecting and flushing deferred
    deletes here keeps every test's teardown inside that test.
    """
    yield
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    app = QCoreApplication.instance()
    gc.collect()
    if app is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    gc.collect()
