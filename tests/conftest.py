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
