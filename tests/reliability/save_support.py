"""What the save rows share: a project under git, its files as bytes, the saves they make.

The two saves are the ones issue 13 found broken: a single guide edited (one file), and a
segment used by three guides renamed (three guides rewritten, a file written, one deleted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from guidestudio.core import edits, guide_ops
from guidestudio.core.files.project_io import LoadResult, load_project, save_project
from guidestudio.core.files.transaction import HIDDEN_DIR

EXAMPLE = Path(__file__).resolve().parents[2] / "guidestudio" / "resources" / "examples" / \
    "acme-cloud"
RENAMED = "free-plan"  # three guides use it
EDITED = "summer-sale-2026"  # one of the three
Files = dict[str, bytes]


def make_project(folder: Path, git: bool = True) -> Path:
    """The example project in ``folder/p``, committed to a fresh git repository."""
    root = folder / "p"
    shutil.copytree(EXAMPLE, root)
    if git:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "start"]):
            subprocess.run(["git", *command], cwd=root, check=True, env=env)
    return root


def snapshot(root: Path) -> Files:
    """Every file of the project (not git's, not the hidden save folder), as bytes."""
    out: Files = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in (".git", HIDDEN_DIR) or not path.is_file():
            continue
        out[rel] = path.read_bytes()
    return out


def restore(root: Path, files: Files) -> None:
    """Put ``files`` back exactly (plain writes: this is the test, not the editor)."""
    for rel in set(snapshot(root)) - set(files):
        (root / rel).unlink()
    for rel, data in files.items():
        path = root / rel
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.chmod(0o644) if path.exists() else None
            path.write_bytes(data)


def git_status(root: Path) -> set[str]:
    """The paths ``git status --porcelain`` lists (untracked files one by one)."""
    done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root,
                          capture_output=True, text=True, check=True)
    return {line[3:] for line in done.stdout.splitlines()}


def differing(a: Files, b: Files) -> set[str]:
    return {rel for rel in set(a) | set(b) if a.get(rel) != b.get(rel)}


def edit_one(loaded: LoadResult, mark: str = "edited") -> set[tuple[str, ...]]:
    """Change one guide's name: a one-file save. Returns what the editor marks dirty."""
    loaded.project.guides[EDITED].name = f"Summer sale ({mark})"
    return {("guides", EDITED)}


def rename_segment(loaded: LoadResult, new_id: str = "free-tier") -> set[tuple[str, ...]]:
    """Rename the segment three guides use: a five-file save (as the editor's Rename)."""
    batch = guide_ops.rename(loaded.project, "segments", RENAMED, new_id)
    edits.apply(loaded.project, batch)
    dirty = {("segments", RENAMED), ("segments", new_id)}
    dirty |= {(part.target[0], part.target[1]) for part in batch.edits}
    return dirty


def save(loaded: LoadResult, dirty: set[tuple[str, ...]] | None) -> list[str]:
    return save_project(loaded.project, loaded.files, only=dirty)


def load(root: Path) -> LoadResult:
    return load_project(root)
