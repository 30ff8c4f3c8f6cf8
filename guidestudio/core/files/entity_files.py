"""One file of a project at a time: which entity it holds, its text, reading it back.

The file watcher reloads a single changed file and the recovery file restores a
few entities; both need "the file ``guides/x.yaml`` ⇄ the model path
``("guides", "x")``" and the same per-file rules ``load_project`` applies,
without reloading (or re-rendering) a 2,000-guide project to look at one file.
Qt-free; ``tests/app/test_entity_files.py`` holds it to ``render_files`` so the
two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidestudio.core.edits import MISSING
from guidestudio.core.files import schemas, yaml_io
from guidestudio.core.files.project_io import (
    FOLDERS,
    PROFILES_FILE,
    PROJECT_FILE,
    ProjectFiles,
    SourceFile,
    entity_data,
    file_text,
    read_source,
)
from guidestudio.core.model import Profile, Project, Settings, from_dict
from guidestudio.core.problems import Problem

EntityPath = tuple[Any, ...]


def entity_path(rel: str) -> EntityPath | None:
    """The model path a project file holds, or None for files that are not part of the model."""
    if rel == PROJECT_FILE:
        return ("settings",)
    if rel == PROFILES_FILE:
        return ("profiles",)
    folder, _, name = rel.partition("/")
    if folder in FOLDERS and name and "/" not in name and name.endswith((".yaml", ".yml")) \
            and not name.startswith("."):
        return (folder, name.rsplit(".", 1)[0])
    return None


def file_for(path: tuple[Any, ...]) -> str | None:
    """The file a model path lives in (``("guides", "x", "name")`` → ``guides/x.yaml``)."""
    if not path:
        return None
    if path[0] == "settings":
        return PROJECT_FILE
    if path[0] == "profiles":
        return PROFILES_FILE
    if path[0] in FOLDERS and len(path) >= 2:
        return f"{path[0]}/{path[1]}.yaml"
    return None


def render(project: Project, path: EntityPath, files: ProjectFiles | None = None) -> str | None:
    """The text a save would write for this entity; None when there is no file.

    With ``files``, the file keeps what its author wrote where the entity did
    not change (``project_io.file_text``), so an entity nobody edited renders
    as exactly the text it was loaded from. Without, canonical
    (what ``render_files`` gives).
    """
    if path == ("profiles",) and not project.profiles:
        return None
    data = entity_data(project, tuple(path))
    if data is None:
        return None
    if files is None:
        return yaml_io.dump(data)
    rel = PROFILES_FILE if path == ("profiles",) else (
        PROJECT_FILE if path == ("settings",) else files.file_of(path[0], path[1]))
    return file_text(files, rel, tuple(path), data)


def current(project: Project, path: EntityPath) -> Any:
    """The model value at an entity path (MISSING when the entity is not there)."""
    if path == ("settings",):
        return project.settings
    if path == ("profiles",):
        return project.profiles
    return getattr(project, path[0]).get(path[1], MISSING)


@dataclass
class Parsed:
    """A file read back: the value for the model, or why it is broken."""

    value: Any = MISSING  # entity, Settings, list[Profile]; MISSING when absent or broken
    source: SourceFile | None = None
    problems: list[Problem] = field(default_factory=list)
    exists: bool = True
    digest: bytes | None = None  # of the bytes read (``transaction.digest``); None: not read

    @property
    def broken(self) -> bool:
        return self.exists and self.value is MISSING


def _schema_name(path: EntityPath) -> str:
    if path == ("settings",):
        return "project"
    if path == ("profiles",):
        return "profiles"
    return FOLDERS[path[0]][0]


def _build(path: EntityPath, data: dict[str, Any]) -> Any:
    if path == ("settings",):
        return from_dict(Settings, data)
    if path == ("profiles",):
        return [from_dict(Profile, p) for p in data["profiles"]]
    return from_dict(FOLDERS[path[0]][1], data)


def read(root: Path, rel: str, project: Project | None = None) -> Parsed:
    """Read one file as ``load_project`` would (same checks, same problems)."""
    path = entity_path(rel)
    if path is None:
        raise ValueError(f"{rel} is not a project file")
    if not (root / rel).exists():
        return Parsed(value=[] if path == ("profiles",) else MISSING, exists=False)
    problems: list[Problem] = []
    disk: dict[str, bytes] = {}
    source = read_source(root, rel, problems, disk)
    if source is None:
        return Parsed(problems=problems, digest=disk.get(rel))
    for where, message in schemas.validate(_schema_name(path), source.data):
        mark = source.positions.locate(source.data, where)
        problems.append(Problem(rel, mark[0] if mark else None, schemas.format_path(where),
                                message, code="schema", column=mark[1] if mark else None))
    if len(path) == 2:
        entity_id = source.data.get("id")
        line = source.positions.locate(source.data, ("id",))
        if isinstance(entity_id, str) and entity_id != path[1]:
            problems.append(Problem(rel, line[0] if line else None, "id",
                                    f"id {entity_id!r} does not match the file name "
                                    f"{rel.split('/')[-1]!r}; rename one so they agree",
                                    code="id-mismatch"))
    if any(p.is_error for p in problems):
        return Parsed(source=source, problems=problems, digest=disk.get(rel))
    return Parsed(value=_build(path, source.data), source=source, problems=problems,
                  digest=disk.get(rel))


def parse_text(rel: str, text: str) -> Any:
    """A value from text we rendered ourselves (the recovery file); raises ValueError if bad."""
    path = entity_path(rel)
    if path is None:
        raise ValueError(f"{rel} is not a project file")
    try:
        data, _positions = yaml_io.load(text)
    except yaml_io.YamlError as exc:
        raise ValueError(f"{rel}: {exc.message}") from None
    if not isinstance(data, dict) or schemas.validate(_schema_name(path), data):
        raise ValueError(f"{rel}: not a valid {_schema_name(path)} file")
    return _build(path, data)
