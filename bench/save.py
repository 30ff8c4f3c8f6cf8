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


def median_ms(root: Path, guide_ids: list[str], only: bool) -> float:
    """Median time to save after editing one guide, a different one each run (the
    first save of a file is what an author waits for)."""
    loaded = load_project(root)
    gc.freeze()  # as the window's loader does: collections never walk the loaded project
    times = []
    for guide_id in guide_ids:
        loaded.project.guides[guide_id].name = "Edited"
        start = time.perf_counter()
        save_project(loaded.project, loaded.files,
                     only={("guides", guide_id)} if only else None)
        times.append(time.perf_counter() - start)
    gc.unfreeze()
    return statistics.median(times) * 1000


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
        print(f"{args.guides} guides, median of {args.runs} saves")
        for label, guide_ids in (("canonical file", plain), ("commented file", hand)):
            print(f"  one edited guide, {label}: {median_ms(root, guide_ids, True):7.2f} ms")
        full = names[2 * args.runs:2 * args.runs + 3]
        print(f"  full save after one edit (3 runs):   {median_ms(root, full, False):7.1f} ms")


if __name__ == "__main__":
    main()
