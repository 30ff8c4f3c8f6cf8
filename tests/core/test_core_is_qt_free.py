"""The core must run where there is no display: CI exports, the CLI, servers."""

from __future__ import annotations

import os
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


def test_the_command_line_validates_and_exports_without_qt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What CI runs (`guidestudio validate`, `export`, `diff`, `simulate`) must not need a
    display: the CLI loads Qt only for the window and for `preview`."""
    script = textwrap.dedent(
        f"""
        import sys
        from guidestudio.cli import main
        from guidestudio.core.resources import EXAMPLE_PROJECT
        out = {str(tmp_path / "bundle.json")!r}
        codes = [main(["validate", str(EXAMPLE_PROJECT)]),
                 main(["export", str(EXAMPLE_PROJECT), "-o", out]),
                 main(["diff", out, out]),
                 main(["simulate", str(EXAMPLE_PROJECT), "--users",
                       str(EXAMPLE_PROJECT / "profiles.yaml")])]
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
        print("RESULT", codes, ",".join(qt))
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = done.stdout.splitlines()[-1]
    assert result == "RESULT [0, 0, 0, 0] ", result
