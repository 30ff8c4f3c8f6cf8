"""The window's start on a machine that cannot show it: a message a person can act on,
never Qt's abort (guidestudio/app/preflight.py)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidestudio.app import preflight
from tests.conftest import REPO_ROOT

# What ldd printed for PySide6 6.11's libqxcb.so on a Debian 12 machine without
# libxcb-icccm4 and libxcb-keysyms1 (shortened): the Qt libraries resolve inside
# PySide6, the two missing ones appear once for the plugin and again for
# libQt6XcbQpa, and glibc's own lines have no arrow.
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffc0b1e5000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f02d29fb000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f02d2911000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f02d1df8000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f02d0c1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f02d2acb000)
"""


def test_ldd_output_gives_each_missing_library_once_in_order() -> None:
    assert preflight.parse_ldd(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert preflight.parse_ldd(LDD_OUTPUT.replace("not found", "/usr/lib/x.so (0x1)")) == []
    assert preflight.parse_ldd("\tnot a dynamic executable\n") == []


def test_missing_libraries_become_packages_and_one_command_per_family() -> None:
    missing = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0",
               "libglib-2.0.so.0", "libgthread-2.0.so.0", "libxcb-shm.so.0", "libxcb-xkb.so.1"]
    debian, fedora = preflight.packages(missing)
    assert debian == ["libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libglib2.0-0",
                      "libxcb-shm0", "libxcb-xkb1"]
    assert fedora == ["xcb-util-wm", "xcb-util-keysyms", "xcb-util-cursor", "glib2", "libxcb"]

    message = preflight.missing_libraries_message(missing[:2], as_root=False)
    assert message.splitlines()[1:3] == [
        "  Debian/Ubuntu:  sudo apt-get install libxcb-icccm4 libxcb-keysyms1",
        "  Fedora:         sudo dnf install xcb-util-wm xcb-util-keysyms"]
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message.splitlines()[0]
    assert "QT_QPA_PLATFORM=offscreen" in message
    root = preflight.missing_libraries_message(missing[:1], as_root=True)
    assert "  Debian/Ubuntu:  apt-get install libxcb-icccm4" in root.splitlines()


def test_a_library_without_a_known_package_is_still_named() -> None:
    message = preflight.missing_libraries_message(["libxcb-icccm.so.4", "libfuture.so.3"],
                                                  as_root=True)
    lines = message.splitlines()
    assert "  Debian/Ubuntu:  apt-get install libxcb-icccm4" in lines
    assert any(line.strip().startswith("Debian/Ubuntu:  apt-file search libfuture.so.3")
               for line in lines)
    fedora = next(line for line in lines if "dnf install" in line)
    assert fedora.split("dnf install ")[1] in ("xcb-util-wm 'libfuture.so.3()(64bit)'",
                                              "xcb-util-wm 'libfuture.so.3'")


@pytest.mark.parametrize(("environ", "order"), [
    ({}, ["xcb"]),
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, ["offscreen"]),
    ({"QT_QPA_PLATFORM": "wayland:nofocus;xcb"}, ["wayland", "xcb"]),
])
def test_the_platform_follows_qts_own_choice(environ: dict[str, str], order: list[str]) -> None:
    assert preflight.platform_order(environ) == order


@pytest.mark.parametrize("environ", [
    {"QT_QPA_PLATFORM": "offscreen"},
    {"WAYLAND_DISPLAY": "wayland-0"},
    {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},  # Wayland first: X11's libraries don't matter
    {"QT_QPA_PLATFORM": "xcb;offscreen"},  # Qt falls back by itself
])
def test_no_check_stands_in_the_way_of_another_platform(environ: dict[str, str]) -> None:
    assert preflight.check(environ) is None


@pytest.mark.parametrize("environ", [{}, {"QT_QPA_PLATFORM": "xcb"}, {"DISPLAY": ""}])
def test_without_a_display_one_line_says_so(environ: dict[str, str]) -> None:
    message = preflight.check(environ)
    assert message is not None and "\n" not in message
    assert "no display" in message and "QT_QPA_PLATFORM=offscreen" in message


def test_the_check_on_this_machine() -> None:
    """The real plugin, the real ldd: what it calls missing really cannot be loaded, and
    every such library has a package name to offer."""
    plugin = preflight.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    missing = preflight.missing_libraries(plugin)
    assert missing is not None, "ldd could not be run"
    for soname in missing:
        with pytest.raises(OSError):
            ctypes.CDLL(soname)
        assert soname in preflight.PACKAGES
    assert not any(name.startswith("libQt6") for name in missing)  # Qt's own resolve in PySide6
    message = preflight.check({"DISPLAY": ":99"})
    if missing:
        assert message is not None
        debian, fedora = preflight.packages(missing)
        assert f"apt-get install {' '.join(debian)}" in message
        assert f"dnf install {' '.join(fedora)}" in message
    else:
        assert message is None


def test_guidestudio_without_a_display_prints_one_line_instead_of_qts_abort(
        tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items()
           if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")}
    env.update(PYTHONPATH=str(REPO_ROOT), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "guidestudio"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("guidestudio: no display")
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert not (tmp_path / "config").exists()  # stopped before Qt wrote any setting


def test_the_readme_names_packages_the_check_knows() -> None:
    """The README's install commands and the check's table must not drift apart."""
    readme = (REPO_ROOT / "README.md").read_text("utf-8").splitlines()
    apt = next(line for line in readme if "apt-get install libxcb" in line).split()[3:]
    dnf = next(line for line in readme if "dnf install xcb-util" in line).split()[3:]
    debian = {deb for deb, _ in preflight.PACKAGES.values()}
    fedora = {rpm for _, rpm in preflight.PACKAGES.values()}
    assert apt and set(apt) <= debian, set(apt) - debian
    assert dnf and set(dnf) <= fedora, set(dnf) - fedora
    # Whatever this machine lacks for the X11 plugin is in the README's commands.
    missing = preflight.missing_libraries(preflight.xcb_plugin()) or []  # type: ignore[arg-type]
    assert set(preflight.packages(missing)[0]) <= set(apt)
