"""Export benchmark: ``guidestudio export`` of a 2,000-guide project against a floor.

The floor is the least any exporter must do: read every YAML file with the
fastest loader available and dump the data as JSON. The ratio export/floor is
what we track (target ≤ 3), so the figure means the same on a fast or slow
machine. Also prints peak memory of the export process (target ≤ 600 MB) and
the median time to compile one guide, which the live preview pays per edit
(target ≤ 10 ms).

Run: .venv/bin/python bench/export.py [--guides N]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from bench.synthetic import build  # noqa: E402


def floor_seconds(root: Path) -> float:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    data = [yaml.load(p.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loader
            for p in sorted(root.rglob("*.yaml"))]
    json.dumps(data, default=str)
    return time.perf_counter() - start


def export_seconds(root: Path, out: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of the real CLI in a fresh process."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "guidestudio", "export", str(root), "-o", str(out),
         "--env", "staging"],
        cwd=REPO, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"export failed:\n{result.stderr[-3000:]}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024


def compile_one_median_ms(root: Path, repeats: int = 200) -> float:
    from guidestudio.core.bundle.compiler import compile_guide
    from guidestudio.core.files.project_io import load_project

    project = load_project(root).project
    guide = project.guides[sorted(project.guides)[0]]
    compile_guide(project, guide)  # warm the template cache, as the preview does
    steps = guide.variants[0].steps
    times = []
    for i in range(repeats):
        steps[0].title = {**(steps[0].title or {}), "en": f"Edited title {i}"}  # like a keystroke
        start = time.perf_counter()
        compile_guide(project, guide)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gs-bench-export-") as tmp:
        root = Path(tmp) / "project"
        t0 = time.perf_counter()
        build(root, guides=args.guides, segments=50, variants=3, steps=4)
        files = list(root.rglob("*.yaml"))
        size = sum(p.stat().st_size for p in files) / 1e6
        print(f"project: {args.guides} guides × 3 variants × 4 steps × 3 locales, 50 segments "
              f"({len(files)} files, {size:.1f} MB) generated in {time.perf_counter() - t0:.1f} s")
        floor = min(floor_seconds(root) for _ in range(2))
        out = Path(tmp) / "bundle.json"
        export, peak_mb = export_seconds(root, out)
        bundle_mb = out.stat().st_size / 1e6
        guides = len(json.loads(out.read_text(encoding="utf-8"))["guides"])
        median_ms = compile_one_median_ms(root)
        print(f"floor (CSafeLoader + json.dumps):      {floor:6.2f} s")
        print(f"guidestudio export (end to end):       {export:6.2f} s   "
              f"({guides} guides exported, bundle {bundle_mb:.1f} MB)")
        print(f"ratio export / floor:                  {export / floor:6.2f}   (target ≤ 3)")
        print(f"peak memory of the export process:     {peak_mb:6.0f} MB (target ≤ 600)")
        print(f"compile one guide (median of 200):     {median_ms:6.2f} ms (target ≤ 10)")


if __name__ == "__main__":
    main()
