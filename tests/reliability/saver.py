"""A second program saving the project over and over (for the export row):

    python -m tests.reliability.saver ROOT

Each save renames every guide to "<name> [vN]" with the next N, as one transaction; it
prints "ready" after the first and runs until it is terminated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.reliability import save_support as s


def main(root: Path) -> None:
    loaded = s.load(root)
    names = {gid: guide.name for gid, guide in loaded.project.guides.items()}
    version = 0
    while True:
        version += 1
        for gid, guide in loaded.project.guides.items():
            guide.name = f"{names[gid]} [v{version}]"
        s.save(loaded, {("guides", gid) for gid in names})
        if version == 1:
            print("ready", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
