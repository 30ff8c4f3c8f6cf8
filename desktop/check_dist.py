"""Smoke check of the desktop build: run what ``make dist`` built, as a person would.

    python3 desktop/check_dist.py [dist/guidestudio]      (or: make dist-check)

1. the window starts headless, opens the bundled example and quits;
2. ``guidestudio export`` of the bundled example writes a bundle — the same bytes as the
   unfrozen app's, when the Python running this script can import ``guidestudio``;
3. ``guidestudio preview --png`` renders a guide through the frozen QtWebEngine: a PNG
   the size of the phone, with a real page in it (not a blank or one-colour image).

Only the standard library: the checker shares no Qt with what it checks. Exit 0 when
every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

TOUR = "trial-conversion-tour"
PHONE = (390, 844)
TIMEOUT = 180


class Failed(Exception):
    """One check did not pass; the message says what was seen."""


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB or RGBA, non-interlaced PNG (what Qt
    writes), un-filtered: enough to tell a rendered page from a blank image."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failed("not a PNG file")
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise Failed(f"unexpected PNG format (depth {depth}, colour type {colour})")
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(row[x:x + 3]) for row in rows for x in range(0, stride, bpp)]


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise Failed(f"{Path(command[0]).name} {' '.join(command[1:2])} exited "
                     f"{done.returncode}:\n{tail}")
    return done


def check_window(app: Path, example: Path, work: Path, env: dict[str, str]) -> str:
    run([str(app / "guidestudio")], work, {**env, "GUIDESTUDIO_EXIT_AFTER_SHOW": "1"})
    settings = list((work / "config").rglob("*.conf"))
    if not settings or "acme-cloud" not in settings[0].read_text("utf-8"):
        raise Failed("the window quit without opening the example project")
    return "opened the example and quit"


def check_export(app: Path, example: Path, work: Path, env: dict[str, str]) -> str:
    bundle = work / "bundle.json"
    run([str(app / "guidestudio"), "export", str(example), "-o", str(bundle)], work, env)
    data = json.loads(bundle.read_text("utf-8"))
    if data.get("format") != "guidestudio-bundle" or not data.get("guides"):
        raise Failed("the bundle has no guides")
    found = f"{len(data['guides'])} guides, {bundle.stat().st_size:,} bytes"
    try:
        same = work / "unfrozen.json"
        run([sys.executable, "-m", "guidestudio", "export", str(example), "-o", str(same)],
            work, env)
    except Failed:
        return found + " (no unfrozen guidestudio here to compare with)"
    if same.read_bytes() != bundle.read_bytes():
        raise Failed("the frozen and the unfrozen app export different bytes")
    return found + ", byte for byte the unfrozen app's"


def check_preview(app: Path, example: Path, work: Path, env: dict[str, str]) -> str:
    png = work / "tour.png"
    run([str(app / "guidestudio"), "preview", str(example), "--guide", TOUR, "--device", "phone",
         "--png", str(png)], work, env)
    width, height, pixels = png_pixels(png.read_bytes())
    if (width, height) != PHONE:
        raise Failed(f"{width}x{height}, not the phone's {PHONE[0]}x{PHONE[1]}")
    colours = len(set(pixels[::7]))
    if colours <= 50:
        raise Failed(f"only {colours} colours: the web engine rendered no page")
    return f"{width}x{height} PNG, {colours} colours"


CHECKS: list[tuple[str, Callable[[Path, Path, Path, dict[str, str]], str]]] = [
    ("window", check_window), ("export", check_export), ("preview", check_preview)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", nargs="?", default="dist/guidestudio",
                        help="the folder `make dist` built (default: dist/guidestudio)")
    app = Path(parser.parse_args(argv).app).resolve()
    example = app / "_internal" / "guidestudio" / "resources" / "examples" / "acme-cloud"
    if not (app / "guidestudio").is_file() or not example.is_dir():
        print(f"{app}: no desktop build here (run `make dist`)", file=sys.stderr)
        return 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="guidestudio-dist-check-") as tmp:
        work = Path(tmp)
        env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
        env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"),
                   XDG_DATA_HOME=str(work / "data"), XDG_CACHE_HOME=str(work / "cache"))
        for name, check in CHECKS:
            start = time.monotonic()
            try:
                outcome, ok = check(app, example, work, env), True
            except (Failed, OSError, ValueError, subprocess.TimeoutExpired) as exc:
                outcome, ok = str(exc), False
            failed += not ok
            seconds = time.monotonic() - start
            print(f"{'ok  ' if ok else 'FAIL'} {name:8} {seconds:5.1f} s  {outcome}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
