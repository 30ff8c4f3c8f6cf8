"""Editor benchmarks (offscreen): start-up, opening a 2,000-guide project, keystroke latency.

    .venv/bin/python bench/gui.py [--runs 5] [--guides 2000] [--project DIR]

(a) process start → main window shown, for the editor on the example project and
    for a bare ``QApplication`` + empty ``QMainWindow``, measured the same way in
    the same run: wall clock taken before spawning, the child prints its wall
    clock when the window's first show event is processed; and process start →
    the example's first guide painted on the canvas (the runtime has shown it
    and the page has painted two frames since); beside it, for scale, a bare
    ``QWebEngineView`` painting the demo host page (``WEBVIEW_CHILD``): the web
    engine's own floor. Also printed: when
    the example project is in the window (``projectOpened``: tree filled, editor
    usable), where the editor's start went, and the CPU time each child used
    (all threads; steadier than wall time on a busy machine). Both children run
    with their bytecode cached, as an installed copy does: one untimed run of
    each first, into a private ``PYTHONPYCACHEPREFIX`` (``--cold-bytecode``
    compiles the editor's sources on every run instead, as a checkout does under
    ``PYTHONDONTWRITEBYTECODE``).
(b) open a generated project (``bench/synthetic.py``): time until the document
    is installed, and the largest gap between ticks of a 10 ms timer meanwhile
    (and the most CPU time the GUI thread used between two ticks: steadier on a
    loaded machine). Twice: first with nothing in the parse cache
    (``core/files/parse_cache.py``), then again with its files in it.
(c) a keystroke in a guide's name → the model updated: a real ``QTest.keyClick``
    into the guide editor's name field when that editor exists, else
    ``Document.set_value``, on the example and on the generated project.
(d) typing in place on the canvas → the canvas updated (``bench_canvas_typing``;
    ``--canvas-only`` runs it alone).

Targets (issue 5): (a) ≤ 1.5 s and ≤ 3× the bare start; (b) ≤ 2 s with stalls
≤ 100 ms; (c) median ≤ 5 ms, p99 ≤ 16 ms. Issue 12: the first guide on the
canvas ≤ 1 s and ≤ 3× the bare start; (d) typing on the canvas: median ≤ 50 ms,
p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.event_loop import StallMeter, wait_until  # noqa: E402 - after the path set-up


def _scratch(prefix: str) -> Path:
    """A temp folder removed when the benchmark ends (a generated project is ~22 MB)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path

BARE_CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
class Window(QMainWindow):
    def showEvent(self, event):
        super().showEvent(event)
        print("shown", time.time(), flush=True)
        print("cpu", time.process_time(), flush=True)
        QTimer.singleShot(0, QApplication.quit)
app = QApplication(sys.argv[:1])
window = Window()
window.show()
app.exec()
"""

EDITOR_CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from guidestudio.app.gui import create_application
from guidestudio.app import settings_store, theme
app = create_application(sys.argv[:1])
theme.apply_theme(settings_store.get_str(settings_store.THEME, "system"))
print("app", time.time(), flush=True)
from guidestudio.app.main_window import MainWindow  # what run_gui does, with probes
print("imported", time.time(), flush=True)
window = MainWindow()
print("built", time.time(), flush=True)
window.firstShown.connect(lambda: print("shown", time.time(), flush=True))
def opened(document):
    print("project", time.time(), flush=True)
    print("cpu", time.process_time(), flush=True)
    QTimer.singleShot(0, app.quit)
window.projectOpened.connect(opened)
window.open_project(Path(sys.argv[1]))
window.show()
app.exec()
"""

# What any canvas costs before Guide Studio does anything: a bare QApplication and
# QWebEngineView (set up as create_application sets up the editor's) loading the demo host
# page, "painted" as the canvas's first guide is (two frames after the page is there). Shown
# beside (a)'s canvas line as the web engine's own floor, not as a target.
WEBVIEW_CHILD = """
import os, sys, time
from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMainWindow
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
app = QApplication(sys.argv[:1])
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
class Page(QWebEnginePage):
    def javaScriptConsoleMessage(self, level, message, line, source):
        if message == "painted":
            print("painted", time.time(), flush=True)
            print("cpu", time.process_time(), flush=True)
            QTimer.singleShot(0, app.quit)
window = QMainWindow()
view = QWebEngineView(window)
page = Page(view)
view.setPage(page)
window.setCentralWidget(view)
window.resize(1280, 800)
page.loadFinished.connect(lambda ok: page.runJavaScript(
    "requestAnimationFrame(() => requestAnimationFrame(() => console.log('painted')))"))
page.load(QUrl.fromLocalFile(sys.argv[1]))
window.show()
app.exec()
"""


CANVAS_CHILD = EDITOR_CHILD.replace("""def opened(document):
    print("project", time.time(), flush=True)
    print("cpu", time.process_time(), flush=True)
    QTimer.singleShot(0, app.quit)
window.projectOpened.connect(opened)""", """def opened(document):
    print("project", time.time(), flush=True)
window.projectOpened.connect(opened)
def painted(tag):
    if tag == "canvas":
        print("canvas", time.time(), flush=True)
        print("cpu", time.process_time(), flush=True)
        QTimer.singleShot(0, app.quit)
def watch(surface):
    from guidestudio.widgets.preview.bridge import js_call  # loaded with the canvas anyway
    def event(name, props):  # a hotspot shows its dot (guide_shown) before any step
        if name in ("guide_shown", "step_shown"):
            surface.evaluate(js_call("afterFrames", "canvas"))
    surface.runtimeEvent.connect(event)
    surface.bridge.notified.connect(painted)
def find_surface():  # the pane makes its web view once it is shown with a guide
    pane = window.centre.pane if window.centre.pane_built else None
    if pane is not None and pane.surface is not None:
        watch(pane.surface)
    else:
        QTimer.singleShot(5, find_surface)
find_surface()""")


def _spawn(code: str, *args: str, env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    marks = {}
    for line in done.stdout.splitlines():
        name, _, stamp = line.partition(" ")
        marks[name] = float(stamp) - (0.0 if name == "cpu" else start)  # cpu: already a span
    return marks


def bench_start(runs: int, cold_bytecode: bool = False) -> None:
    from guidestudio.core.resources import DEMO_APP, EXAMPLE_PROJECT

    home = _scratch("gs-bench-home-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache")}  # (the untimed runs fill the parse cache)
    if not cold_bytecode:
        # The stdlib and PySide6 come with bytecode; give the editor's modules theirs too
        # (a checkout run under PYTHONDONTWRITEBYTECODE would compile them on every start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        _spawn(BARE_CHILD, env=env)
        _spawn(EDITOR_CHILD, str(EXAMPLE_PROJECT), env=env)
        _spawn(CANVAS_CHILD, str(EXAMPLE_PROJECT), env=env)
        _spawn(WEBVIEW_CHILD, str(DEMO_APP), env=env)
    bare: list[dict[str, float]] = []
    editor: list[dict[str, float]] = []
    canvas: list[dict[str, float]] = []
    webview: list[dict[str, float]] = []
    for _ in range(runs):  # interleaved, so machine load affects all alike
        bare.append(_spawn(BARE_CHILD, env=env))
        editor.append(_spawn(EDITOR_CHILD, str(EXAMPLE_PROJECT), env=env))
        canvas.append(_spawn(CANVAS_CHILD, str(EXAMPLE_PROJECT), env=env))
        webview.append(_spawn(WEBVIEW_CHILD, str(DEMO_APP), env=env))

    def median(marks: list[dict[str, float]], name: str) -> float:
        return statistics.median(m[name] for m in marks)

    b, s, r = median(bare, "shown"), median(editor, "shown"), median(editor, "project")
    cached = "compiled on every run" if cold_bytecode else "cached"
    print(f"(a) start to window shown, median of {runs} (bytecode {cached}):")
    print(f"    bare QApplication + QMainWindow   {b * 1000:7.0f} ms")
    print(f"    Guide Studio window shown         {s * 1000:7.0f} ms   ratio {s / b:.2f}")
    print(f"    ... with the example project in   {r * 1000:7.0f} ms   ratio {r / b:.2f}"
          f"   (target <= 1500 ms, ratio <= 3)")
    steps = [("Python + PySide6 + QApplication + theme", "app"), ("import main_window", "imported"),
             ("MainWindow()", "built"), ("first show", "shown"), ("project in", "project")]
    last, parts = 0.0, []
    for label, name in steps:
        mark = median(editor, name)
        parts.append(f"{label} +{(mark - last) * 1000:.0f}")
        last = mark
    print("    where it went (ms, medians): " + ", ".join(parts))
    print(f"    CPU used (all threads): bare {median(bare, 'cpu') * 1000:.0f} ms, "
          f"Guide Studio to project in {median(editor, 'cpu') * 1000:.0f} ms")
    c = median(canvas, "canvas")
    print(f"    ... with the first guide painted on the canvas {c * 1000:5.0f} ms   ratio "
          f"{c / b:.2f}   (target <= 1000 ms, ratio <= 3)")
    print(f"        (project in at {median(canvas, 'project') * 1000:.0f} ms in those runs; "
          f"CPU of this process to the canvas {median(canvas, 'cpu') * 1000:.0f} ms; the web "
          "engine's own processes not counted)")
    w = median(webview, "painted")
    print(f"        (the web engine's own floor: a bare QWebEngineView with the demo host page "
          f"painted, no guide, {w * 1000:.0f} ms, ratio {w / b:.2f})")


def _wait_idle(condition: Any, timeout: float = 300.0) -> None:
    """Run the event loop until ``condition()``, looking every 20 ms, otherwise idle.

    Unlike ``wait_until``'s busy polling, this leaves the GIL to the loader's threads
    as the application's own event loop would; the 10 ms stall meter still ticks.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    end = time.perf_counter() + timeout
    timer = QTimer()
    timer.setInterval(20)

    def check() -> None:
        if condition() or time.perf_counter() > end:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError("gave up waiting")


def open_project(app: Any, window: Any, root: Path) -> tuple[float, float, float]:
    """(seconds to the project shown, seconds to its problems listed, worst stall); the
    meter's GUI-thread figure is kept in ``open_project.worst_cpu``, the CPU time (all
    threads) until the project was shown in ``open_project.cpu``."""
    opened: list[Any] = []
    loaded: list[float] = []
    window.projectOpened.connect(opened.append)
    window.loader.loaded.connect(lambda _doc: loaded.append(time.perf_counter()))
    meter = StallMeter()
    meter.start()
    start, cpu = time.perf_counter(), time.process_time()
    window.open_project(root)
    _wait_idle(lambda: bool(opened))
    elapsed = time.perf_counter() - start
    open_project.cpu = time.process_time() - cpu  # type: ignore[attr-defined]
    if loaded:
        print(f"    (loaded on the worker after {loaded[0] - start:.2f} s, "
              f"installed in the window after {elapsed:.2f} s)")
    app.processEvents()  # the first paint with the project in it
    _wait_idle(lambda: not window.document.validating)
    checked = time.perf_counter() - start
    app.processEvents()  # the problems panel filled
    window.projectOpened.disconnect(opened.append)
    stall = meter.stop()
    open_project.worst_cpu = meter.worst_cpu  # type: ignore[attr-defined]
    return elapsed, checked, stall


def keystrokes(app: Any, window: Any, guide_id: str, count: int = 300) -> tuple[str, list[float]]:
    """Type ``count`` characters into the guide's name; latency of each to the model."""
    from PySide6.QtTest import QTest

    document = window.document
    path = ("guides", guide_id, "name")
    seen: list[float] = []
    document.changed.connect(lambda change: seen.append(time.perf_counter())
                             if tuple(change.path[:3]) == path else None)
    window.activateWindow()
    window.tree.select("guide", guide_id)
    app.processEvents()
    editor = window.current_editor()
    field = None
    if hasattr(editor, "focus_field"):
        editor.focus_field("name")
        app.processEvents()
        field = app.focusWidget()
        if field is None or not hasattr(field, "text"):
            field = None
    latencies: list[float] = []
    method = "QTest.keyClick into the guide editor's name field" if field is not None \
        else "Document.set_value (the guide editor is not available)"
    text = str(document.get(path))
    for i in range(count):
        before = len(seen)
        char = "abcdefghij"[i % 10]
        if field is not None and i % 50 == 0:
            field.selectAll()  # names are capped at 200 characters: start a new one
        start = time.perf_counter()
        if field is not None:
            QTest.keyClick(field, char)
        else:
            text = (text if i % 50 else "") + char
            document.set_value(path, text)
        wait_until(app, lambda b=before: len(seen) > b, timeout=5)
        latencies.append(seen[-1] - start)
    return method, latencies


def _stats(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"median {statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
            f"max {ordered[-1] * 1000:.2f} ms (n={len(ordered)})")


def _quiet_offscreen(mode: Any, context: Any, message: str) -> None:
    """Drop the offscreen platform's harmless size-hint notice; print everything else."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def bench_in_process(guides: int, project: Path | None) -> None:
    from PySide6.QtCore import qInstallMessageHandler

    qInstallMessageHandler(_quiet_offscreen)
    home = _scratch("gs-bench-home-")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")  # the parse cache starts empty
    from guidestudio.app.gui import create_application
    from guidestudio.core.resources import EXAMPLE_PROJECT

    app = create_application([])
    from guidestudio.app.main_window import MainWindow

    window = MainWindow()
    window.ask_save_changes = lambda: "discard"  # type: ignore[method-assign]
    window.show()
    app.processEvents()

    elapsed, checked, stall = open_project(app, window, EXAMPLE_PROJECT)
    print(f"    example project opened in {elapsed * 1000:.0f} ms, checked in "
          f"{checked * 1000:.0f} ms, worst stall {stall * 1000:.0f} ms")
    method, lat = keystrokes(app, window, "nps-survey")
    example_line = f"    example project:   {_stats(lat)}"

    if project is None:
        project = _scratch("gs-bench-") / "synthetic"
        from bench.synthetic import build

        started = time.perf_counter()
        build(project, guides=guides)
        print(f"    (generated {guides} guides in {time.perf_counter() - started:.1f} s: "
              f"{sum(p.stat().st_size for p in project.rglob('*.yaml')) / 1e6:.1f} MB of YAML)")
    for label in ("first open (nothing in the parse cache)",
                  "opened again (its files in the parse cache)"):
        window.document.undo_stack.setClean()
        elapsed, checked, stall = open_project(app, window, project)
        count = len(window.document.project.guides)
        print(f"(b) open {count}-guide project, {label}: shown and editable in {elapsed:.2f} s"
              "   (target <= 2 s); CPU meanwhile (all threads) "
              f"{open_project.cpu:.2f} s")  # type: ignore[attr-defined]
        print(f"    every problem listed after {checked:.2f} s "
              f"({len(window.document.problems)} problems, validated in event-loop slices)")
        print(f"    worst event-loop stall from open to problems listed: {stall * 1000:.0f} ms"
              "   (target <= 100 ms); the most GUI-thread CPU between two ticks: "
              f"{open_project.worst_cpu * 1000:.0f} ms")  # type: ignore[attr-defined]
    first = sorted(window.document.project.guides)[0]
    _method, big = keystrokes(app, window, first)
    print(f"(c) keystroke to model updated — {method}:")
    print(example_line)
    print(f"    {len(window.document.project.guides)} guides:  {_stats(big)}"
          "   (target median <= 5 ms, p99 <= 16 ms)")
    started = time.perf_counter()
    window.document.revalidate()
    print(f"    a full revalidation of the large project takes "
          f"{time.perf_counter() - started:.2f} s (on open and reload, in slices)")
    runs, publishes = [], []
    for i in range(20):
        window.document.set_value(("guides", first, "name"), f"Renamed {i}")
        validator = window.document._ensure_validator()
        started = time.perf_counter()
        validator.run()
        runs.append(time.perf_counter() - started)
        window.document._publish()  # the problems panel and field marks follow
        publishes.append(time.perf_counter() - started - runs[-1])
        app.processEvents()
    print("    after editing one guide: revalidation median "
          f"{statistics.median(runs) * 1000:.1f} ms, problems panel and marks updated in "
          f"{statistics.median(publishes) * 1000:.1f} ms"
          " (each runs in one event-loop slice)")
    window.document.undo_stack.setClean()
    window.close()


def bench_canvas_typing(edits: int = 50, pace_ms: int = 120) -> None:
    """(d) typing in place on the canvas → the canvas shows the product's rendering of it.

    The preview pane as the window's canvas (a ``QMainWindow``'s central widget,
    1280×800, the example project's walkthrough), its real rate limit on. Each
    edit is a real key press into the page (``QTest.keyClick`` on the web view),
    at the end of the step's title. "Canvas updated": from the key press until
    the page has taken the product's re-rendering of that very keystroke — the
    document written, the guide recompiled, the runtime re-rendered, the caret
    restored — told over QWebChannel as it happens (as (b) of
    ``bench/preview.py`` measures keystroke → DOM). Also shown: until the next
    frame after that (painted; the engine's software rendering here), and until
    the frame after the typed character itself (what the person sees first).
    A key every ``pace_ms`` (a fast typist), then back to back (each key as
    soon as the last is re-rendered).
    """
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMainWindow

    qInstallMessageHandler(_quiet_offscreen)
    from guidestudio.app.document import Document
    from guidestudio.app.gui import create_application
    from guidestudio.core.resources import EXAMPLE_PROJECT

    app = create_application([])
    from guidestudio.widgets.preview.pane import PreviewPane

    root = _scratch("gs-bench-canvas-") / "acme-cloud"
    shutil.copytree(EXAMPLE_PROJECT, root)
    document = Document.open(root)
    window = QMainWindow()
    pane = PreviewPane(document)
    window.setCentralWidget(pane)
    window.resize(1280, 800)
    window.show()
    guide = "trial-conversion-tour"
    pane.set_guide(guide)
    wait_until(app, lambda: pane.surface is not None and pane.surface.is_ready, timeout=30)
    surface = pane.surface
    answers: dict[str, float] = {}
    surface.bridge.notified.connect(lambda tag: answers.setdefault(tag, time.perf_counter()))

    def ask(source: str) -> Any:
        got: list[Any] = []
        surface.evaluate(source, got.append)
        wait_until(app, lambda: bool(got), timeout=10)
        return got[0]

    wait_until(app, lambda: bool(ask("window.__gsEdit && window.__gsEdit.begin('title')")), 30)
    ask("window.__gsEdit.watch = true")
    window.activateWindow()
    target = surface.view.focusProxy()
    target.setFocus()
    path = ("guides", guide, "variants", 0, "steps", 0, "title", "en")
    written: list[float] = []
    document.changed.connect(lambda change: written.append(time.perf_counter())
                             if tuple(change.path) == path else None)

    def type_keys(count: int, pace: float) -> dict[str, list[float]]:
        times: dict[str, list[float]] = {"edit": [], "painted": [], "typed": [], "doc": []}
        for i in range(count):
            seq = int(ask("window.__gsEdit.state().seq")) + 1
            before = len(written)
            start = time.perf_counter()
            QTest.keyClick(target, "abcdefghij"[i % 10])
            wait_until(app, lambda s=seq: f"canvas-painted:{s}" in answers, timeout=10)
            for name in ("edit", "painted", "typed"):
                times[name].append(answers[f"canvas-{name}:{seq}"] - start)
            times["doc"].append(written[before] - start if len(written) > before
                                else float("nan"))
            while time.perf_counter() - start < pace:
                app.processEvents()
                time.sleep(0.001)
        return times

    type_keys(5, pace_ms / 1000)  # warm up: first compiles, first frames
    paced = type_keys(edits, pace_ms / 1000)
    document.undo_stack.undo()
    ask("window.__gsEdit.begin('title')")
    burst = type_keys(edits, 0.0)

    def stats(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return (f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
                f"max {ordered[-1] * 1000:.1f} ms")

    print(f"(d) typing in place on the canvas → canvas updated ({edits} edits each, rate limit "
          f"{PreviewPane.DEBOUNCE_MS} ms):")
    for label, times in ((f"a key every {pace_ms} ms", paced), ("keys back to back", burst)):
        print(f"    {label}: {stats(times['edit'])}   (target median <= 50 ms, p95 <= 100 ms)")
        print(f"      painted: {stats(times['painted'])}; the typed character painted: "
              f"{stats(times['typed'])}")
        print(f"      key press → document written: {stats(times['doc'])}")
    window.close()
    document.deleteLater()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (median is shown)")
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--project", type=Path, help="use this generated project (skip building)")
    parser.add_argument("--skip-start", action="store_true", help="skip (a)")
    parser.add_argument("--only-start", action="store_true", help="run (a) only")
    parser.add_argument("--cold-bytecode", action="store_true",
                        help="(a): compile the editor's sources on every start (no bytecode cache)")
    parser.add_argument("--canvas-only", action="store_true", help="run (d) only")
    parser.add_argument("--edits", type=int, default=50, help="(d): edits typed on the canvas")
    args = parser.parse_args()
    if args.canvas_only:
        bench_canvas_typing(args.edits)
        return
    if not args.skip_start:
        bench_start(args.runs, args.cold_bytecode)
    if not args.only_start:
        bench_in_process(args.guides, args.project)
        bench_canvas_typing(args.edits)


if __name__ == "__main__":
    main()
