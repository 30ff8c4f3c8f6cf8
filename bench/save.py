"""Save benchmark: saving one edited guide in a 2,000-guide project, and a full save.

What the window pays when the user presses Save after editing one guide
(``save_project`` with ``only=`` that guide), for a guide file as we write it
and for one an author commented by hand (kept as written: only the changed
line is rewritten). A full save (``only=None``) after the same edit is what a
save costs when the document cannot tell what changed.

Run: .venv/bin/python bench/save.py [--guides N] [--runs N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

from bench.synthetic import build  # noqa: E402
from guidestudio.core.files.project_io import load_project, save_project  # noqa: E402


def commented(text: str) -> str:
    """A guide file as an author might keep it: a comment before every top-level key."""
    out = []
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha():
            out.append(f"# about {line.split(':', 1)[0]}\n")
        out.append(line)
    return "".join(out)


def median_ms(root: Path, guide_ids: list[str], only: bool) -> tuple[float, float]:
    """Median wall and CPU time (ms) to save after editing one guide, a different one each
    run (the first save of a file is what an author waits for). CPU time leaves out the
    disk's fsyncs and other processes on a shared machine."""
    loaded = load_project(root)
    gc.freeze()  # as the window's loader does: collections never walk the loaded project
    wall, cpu = [], []
    for guide_id in guide_ids:
        loaded.project.guides[guide_id].name = "Edited"
        start, start_cpu = time.perf_counter(), time.process_time()
        save_project(loaded.project, loaded.files,
                     only={("guides", guide_id)} if only else None)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    gc.unfreeze()
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=21)  # 2 x runs + 3 <= guides
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big"
        build(root, guides=args.guides)
        names = sorted(p.stem for p in (root / "guides").glob("*.yaml"))
        plain, hand = names[:args.runs], names[args.runs:2 * args.runs]
        for guide_id in hand:
            path = root / "guides" / f"{guide_id}.yaml"
            path.write_text(commented(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"{args.guides} guides, median of {args.runs} saves: wall / CPU")
        for label, guide_ids in (("canonical file", plain), ("commented file", hand)):
            wall, cpu = median_ms(root, guide_ids, True)
            print(f"  one edited guide, {label}: {wall:7.2f} / {cpu:6.2f} ms")
        wall, cpu = median_ms(root, names[2 * args.runs:2 * args.runs + 3], False)
        print(f"  full save after one edit (3 runs): {wall:7.0f} / {cpu:6.0f} ms")


if __name__ == "__main__":
    main()
