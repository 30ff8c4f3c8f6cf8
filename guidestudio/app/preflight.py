"""Can this machine show the window? Asked before Qt starts, without importing Qt.

When Qt's platform plugin cannot load, Qt aborts the whole process (a core
dump) with a message about plugins that names no package to install — the
first thing a marketer sees after ``make run`` on a fresh Linux machine. So the
window's start asks first, in a form a person can act on:

- is there a display at all? (none over SSH, in CI, in a container)
- does Qt's X11 plugin find every system library it links against? ``ldd``
  asks the dynamic loader itself, so the answer is the loader's, and each
  missing library is named with the Debian/Ubuntu and Fedora package that
  provides it and the one command that installs them all.

Only on Linux, and only when Qt would use X11 (xcb): Qt's own choice of
platform is followed, so a Wayland session or ``QT_QPA_PLATFORM=offscreen``
is never stopped by a library only X11 needs.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

HEADLESS = "use the commands (guidestudio --help) or set QT_QPA_PLATFORM=offscreen"

#: soname -> (Debian/Ubuntu package, Fedora package) for every library outside
#: PySide6 that ``ldd`` lists for Qt's xcb plugin (PySide6 6.8-6.11), plus the
#: xcb extensions other Qt 6 releases link. The C and C++ runtimes are left
#: out: without them nothing, Python included, would run.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
    "libexpat.so.1": ("libexpat1", "expat"),
    "libpcre2-8.so.0": ("libpcre2-8-0", "pcre2"),
    "libbrotlicommon.so.1": ("libbrotli1", "libbrotli"),
    "libbrotlidec.so.1": ("libbrotli1", "libbrotli"),
    "libbsd.so.0": ("libbsd0", "libbsd"),
    "libmd.so.0": ("libmd0", "libmd"),
    "libsystemd.so.0": ("libsystemd0", "systemd-libs"),
    "libcap.so.2": ("libcap2", "libcap"),
    "libgcrypt.so.20": ("libgcrypt20", "libgcrypt"),
    "libgpg-error.so.0": ("libgpg-error0", "libgpg-error"),
    "liblzma.so.5": ("liblzma5", "xz-libs"),
    "liblz4.so.1": ("liblz4-1", "lz4-libs"),
}


def platform_order(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt 6 tries, in order (``createPlatformIntegration``).

    ``QT_QPA_PLATFORM`` decides alone when set (``name:options;next``);
    otherwise a Wayland session puts ``wayland`` first and ``xcb`` — Qt's
    default on Linux — is always in the list.
    """
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return [part.split(":", 1)[0] for part in chosen.split(";") if part]
    wayland = bool(environ.get("WAYLAND_DISPLAY")) or environ.get("XDG_SESSION_TYPE") == "wayland"
    return ["wayland", "xcb"] if wayland else ["xcb"]


def parse_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, once each, in its order."""
    missing: list[str] = []
    for line in output.splitlines():
        name, arrow, where = line.strip().partition(" => ")
        if arrow and where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin inside the installed (or frozen) PySide6, found without
    importing it; None when PySide6 or its plugin is not there."""
    spec = importlib.util.find_spec("PySide6")
    folders = spec.submodule_search_locations if spec is not None else None
    for base in folders or []:
        plugin = Path(base) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(binary: Path) -> list[str] | None:
    """What the dynamic loader cannot find for ``binary`` and what it links, directly
    or not; None when it cannot be asked (no ``ldd``, as on some minimal images)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(binary)], capture_output=True, text=True, timeout=30,
                              env={**os.environ, "LC_ALL": "C"}, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return parse_ldd(done.stdout)


#: How Fedora names a 64-bit library as something a package provides.
CAPABILITY_SUFFIX = "()(64bit)" if sys.maxsize > 2**32 else ""


def packages(missing: Sequence[str]) -> tuple[list[str], list[str]]:
    """The Debian/Ubuntu and the Fedora packages that provide ``missing``, once each.

    For a library not in the table Fedora still has a name — the capability its
    package provides — but Debian has none: it is left to ``apt-file search``.
    """
    debian: list[str] = []
    fedora: list[str] = []
    for soname in missing:
        deb, rpm = PACKAGES.get(soname, ("", f"'{soname}{CAPABILITY_SUFFIX}'"))
        debian += [deb] if deb and deb not in debian else []
        fedora += [rpm] if rpm not in fedora else []
    return debian, fedora


def missing_libraries_message(missing: Sequence[str], as_root: bool) -> str:
    debian, fedora = packages(missing)
    sudo = "" if as_root else "sudo "
    lines = ["guidestudio: the window cannot open: Qt's X11 plugin needs libraries this system "
             f"lacks ({', '.join(missing)}). Install them, then start again:"]
    if debian:
        lines.append(f"  Debian/Ubuntu:  {sudo}apt-get install {' '.join(debian)}")
    lines += [f"  Debian/Ubuntu:  apt-file search {soname}  (names the package that has it)"
              for soname in missing if soname not in PACKAGES]
    lines.append(f"  Fedora:         {sudo}dnf install {' '.join(fedora)}")
    lines.append(f"To work without a window meanwhile, {HEADLESS}.")
    return "\n".join(lines)


def no_display_message(environ: Mapping[str, str]) -> str:
    unset = ("DISPLAY is not set" if environ.get("QT_QPA_PLATFORM")
             else "neither DISPLAY nor WAYLAND_DISPLAY is set")
    return (f"guidestudio: no display to open the window on ({unset}); "
            f"to work without one, {HEADLESS}.")


def check(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the window cannot start on this machine, as the message to print; None if
    nothing stands in its way that can be seen before Qt starts."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or importlib.util.find_spec("PySide6") is None:
        return None
    order = platform_order(environ)
    if order[0] != "xcb":
        return None  # Wayland, offscreen, ...: Qt's choice, not ours to second-guess
    if not environ.get("DISPLAY"):
        return no_display_message(environ) if len(order) == 1 else None
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin is not None else None
    if not missing:
        return None
    return missing_libraries_message(missing, as_root=hasattr(os, "geteuid") and os.geteuid() == 0)
