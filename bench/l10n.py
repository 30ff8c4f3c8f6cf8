"""Translation files benchmark: XLIFF export and import of a 2,000-guide project.

What a localisation manager waits for: ``guidestudio l10n export`` (every text as XLIFF
2.0) and ``l10n import`` (read, check every unit's codes and formatting, plan the edit,
save once). Printed beside two floors measured in the same run on the same files:
loading the project (what every command pays first) and lxml parsing and serialising
the exported file (the least any XLIFF reader could do).

Run: .venv/bin/python bench/l10n.py [--guides N]
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

from lxml import etree  # noqa: E402

from bench.synthetic import build  # noqa: E402
from guidestudio.core import edits, markdown_text  # noqa: E402
from guidestudio.core.files.project_io import load_project, save_project  # noqa: E402
from guidestudio.core.l10n.importer import plan_import  # noqa: E402
from guidestudio.core.l10n.xliff_write import XLIFF2, export_xliff  # noqa: E402


def translated(data: bytes) -> bytes:
    """Every unit given a target: its source's words and codes, as a tool would copy them."""
    root = etree.fromstring(data)
    for segment in root.iter(f"{{{XLIFF2}}}segment"):
        source = segment.find(f"{{{XLIFF2}}}source")
        target = copy.deepcopy(source)
        target.tag = f"{{{XLIFF2}}}target"
        segment.append(target)
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guides", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big"
        build(root, guides=args.guides)
        loaded, load_s = timed(lambda: load_project(root))
        project = loaded.project
        markdown_text.clear_cache()
        data, export_s = timed(lambda: export_xliff(project, "fr"))
        _, floor_s = timed(lambda: etree.tostring(etree.fromstring(data)))
        back = translated(data)
        markdown_text.clear_cache()
        plan, plan_s = timed(lambda: plan_import(project, back, "fr.xlf"))
        assert plan.ok, plan.problems[:3]

        def apply_and_save() -> None:
            edits.apply(project, plan.edit)
            save_project(project, loaded.files,
                         only={t[:2] if t[0] == "guides" else t[:1]
                               for t in edits.leaf_targets(plan.edit)})

        _, save_s = timed(apply_and_save)
        units = len(plan.changes)
        print(f"{args.guides} guides, {units} texts, XLIFF 2.0 of {len(data) / 1e6:.1f} MB")
        print(f"  floor: load the project {load_s * 1000:7.0f} ms; lxml parse + write the file "
              f"{floor_s * 1000:5.0f} ms")
        for label, seconds in (("export", export_s), ("import: read, check, plan", plan_s),
                               ("import: apply and save", save_s)):
            print(f"  {label:28} {seconds * 1000:7.0f} ms  = {seconds / load_s:4.2f}x load, "
                  f"{seconds / floor_s:5.1f}x lxml")


if __name__ == "__main__":
    main()
