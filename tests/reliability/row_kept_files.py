"""Saves keep untouched files byte-identical: random edits (renames, deletes, field and list
edits) to a copy of the example project whose files carry authors' comments, while another
program changes a file the edit does not touch. After the save, every file the edit did not
change has its bytes and mtime; the other program's change is still there; each written file
keeps its top-level comments; the project loads back as the model that was saved."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from guidestudio.core import edits, guide_ops
from guidestudio.core.edits import SetValue
from guidestudio.core.files.project_io import FOLDERS, load_project, save_project
from guidestudio.core.model import to_dict
from tests.conftest import EXAMPLE_PROJECT
from tests.reliability.rows import Row

OLD_NS = 1_000_000_000 * 10**9  # a fixed mtime any write would move


def _commented(text: str, rng: random.Random) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        if line[:1].isalpha() and rng.random() < 0.5:
            out.append(f"# about {line.split(':', 1)[0]}\n")
        out.append(line)
    return "".join(out)


def _entity_key(path: tuple[Any, ...]) -> tuple[str, ...]:
    """The file an edit path lands in, as the Document marks it for saving."""
    if path[0] in FOLDERS:
        return (path[0], path[1])
    return (path[0],)


def _random_edit(project: Any, rng: random.Random) -> edits.Edit:
    guide_id = rng.choice(sorted(project.guides))
    guide = project.guides[guide_id]
    segment_id = rng.choice(sorted(project.segments))
    kind = rng.choice(["name", "title", "rename-segment", "rename-guide", "delete", "audience",
                       "settings", "status"])
    if kind == "name":
        return SetValue(("guides", guide_id, "name"), f"Name {rng.randrange(1000)}: edited")
    if kind == "title":
        return SetValue(("guides", guide_id, "variants", 0, "steps", 0, "title"),
                        {"en": f"Title {rng.randrange(1000)}", "ja": "題名"})
    if kind == "rename-segment":
        return guide_ops.rename(project, "segments", segment_id, f"{segment_id}-renamed")
    if kind == "rename-guide":
        return guide_ops.rename(project, "guides", guide_id, f"{guide_id}-renamed")
    if kind == "delete":
        return guide_ops.delete("guides", [guide_id])
    if (kind == "audience" and guide.audience is not None
            and segment_id not in guide.audience.segments):  # a list of distinct ids
        at = rng.randint(0, len(guide.audience.segments))
        return edits.InsertItem(("guides", guide_id, "audience", "segments"), at, segment_id)
    if kind == "settings":
        return SetValue(("settings", "name"), f"Acme {rng.randrange(1000)}")
    return SetValue(("guides", guide_id, "status"),
                    "draft" if guide.status != "draft" else "live")


def _trial(rng: random.Random) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="kept-") as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(EXAMPLE_PROJECT, root)
        files = sorted(p for p in root.rglob("*.yaml"))
        for path in files:
            path.write_text(_commented(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
        loaded = load_project(root)
        project = loaded.project
        before_data = {key: to_dict(getattr(project, key[0])[key[1]])
                       for key in loaded.files.entity_files}
        edit = _random_edit(project, rng)
        edits.apply(project, edit)
        only = {_entity_key(path) for path in edits.leaf_targets(edit)}
        touched = {loaded.files.file_of(k[0], k[1]) for k in only if len(k) == 2}
        touched |= {"guidestudio.yaml" for k in only if k == ("settings",)}
        untouched = [p for p in files if p.relative_to(root).as_posix() not in touched]
        external = rng.choice(untouched)
        external.write_text(external.read_text(encoding="utf-8") + "# changed elsewhere\n",
                            encoding="utf-8")
        for path in files:
            os.utime(path, ns=(OLD_NS, OLD_NS))
        stamped = {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                   for p in files}
        written = set(save_project(project, loaded.files, only=only))
        problems = []
        for rel, (data, mtime) in stamped.items():
            path = root / rel
            if rel in written:
                if path.exists() and (
                        sum(line.startswith("# about") for line in data.decode().splitlines())
                        > sum(line.startswith("# about")
                              for line in path.read_text(encoding="utf-8").splitlines())):
                    problems.append(f"{edit!r}: {rel} lost top-level comments")
                continue
            if (path.read_bytes(), path.stat().st_mtime_ns) != (data, mtime):
                problems.append(f"{edit!r}: {rel} was not edited but was written")
        for key, data in before_data.items():
            rel = loaded.files.file_of(key[0], key[1])
            now = getattr(project, key[0]).get(key[1])
            if now is not None and to_dict(now) != data and rel not in written:
                problems.append(f"{edit!r}: {rel} changed in the model but was not saved")
        if external.read_text(encoding="utf-8").endswith("# changed elsewhere\n") is False:
            problems.append(f"{edit!r}: another program's change to {external.name} was lost")
        back = load_project(root).project
        for folder in FOLDERS:
            if getattr(back, folder) != getattr(project, folder):
                problems.append(f"{edit!r}: {folder} do not load back as saved")
        if back.settings != project.settings:
            problems.append(f"{edit!r}: settings do not load back as saved")
        return problems


def run(trials: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    failures: list[str] = []
    for _ in range(trials):
        failures += _trial(random.Random(rng.randrange(2**32)))
    return failures


ROW = Row("saves keep untouched files byte-identical", quick=20, long=300, run=run)
