"""The core must run where there is no display: CI exports, the CLI, servers."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT


def test_importing_every_core_module_loads_no_qt() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import guidestudio.core
        names = [m.name for m in pkgutil.walk_packages(guidestudio.core.__path__, "guidestudio.core.")]
        for name in names:
            importlib.import_module(name)
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
        print(len(names))
        print(",".join(qt))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    imported, qt_modules = int(out[0]), out[1] if len(out) > 1 else ""
    assert imported >= 8, "the walk should have found the core modules"
    assert qt_modules == "", f"guidestudio.core pulled in Qt: {qt_modules}"
