"""Load a project folder into the model, and save it back, never losing data.

Loading never raises on bad content: every fault becomes a Problem with the
file and, where known, the line, and the rest of the project still loads. A
file that cannot be turned into a model object is *broken*: it is listed in
``ProjectFiles.broken`` and saving leaves it alone, so a typo is never
"fixed" by deleting the author's work.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidestudio.core.files import schemas, text_patch, transaction, yaml_io
from guidestudio.core.files.parse_cache import ParseCache
from guidestudio.core.files.transaction import digest
from guidestudio.core.model import (
    Guide,
    Profile,
    Project,
    Segment,
    Settings,
    Theme,
    from_dict,
    to_dict,
)
from guidestudio.core.problems import Problem

PROJECT_FILE = "guidestudio.yaml"
PROFILES_FILE = "profiles.yaml"
MAX_FILE_BYTES = 5 * 1024 * 1024
# folder -> (schema name, model class)
FOLDERS: dict[str, tuple[str, type]] = {
    "guides": ("guide", Guide),
    "segments": ("segment", Segment),
    "themes": ("theme", Theme),
}


class NotAProject(Exception):
    """The folder has no guidestudio.yaml: a usage error, not a project problem."""


class SaveConflict(Exception):
    """Saving would overwrite a file the loader could not read (the author's work)."""


class ProjectChanging(Exception):
    """The files kept changing while they were read: no consistent state to hand out."""


#: Loads tried before ``ProjectChanging``: a save or a ``git checkout`` is over in one retry.
READ_ATTEMPTS = 5


class SourceFile:
    """One parsed file: its text, and on demand its data and where each field was written.

    A loaded project keeps only the text of its good files: the parsed copy
    would double the memory of a large project, and line numbers are needed only
    for the rare problem, when re-parsing one file is cheap. So ``data`` (None:
    not parsed yet) comes from the fast parser, and ``positions`` (None: not
    computed yet) from PyYAML's, whose data then replaces the fast copy — equal
    content, and the object identities the positions were recorded for.
    """

    def __init__(self, path: str, data: Any, positions: yaml_io.Positions | None,
                 text: str = "") -> None:
        self.path = path
        self.text = text
        self._data: Any = data
        self._positions: yaml_io.Positions | None = positions

    @property
    def data(self) -> Any:
        if self._data is None and self._positions is None:
            try:
                self._data = yaml_io.load_data(self.text)
            except yaml_io.YamlError:
                self._positions = yaml_io.Positions()  # unreadable: nothing to locate either
        return self._data

    @property
    def positions(self) -> yaml_io.Positions:
        if self._positions is None:
            try:
                self._data, self._positions = yaml_io.load(self.text)
            except yaml_io.YamlError:
                self._positions = yaml_io.Positions()  # no lines; keep the data we may have
        return self._positions

    def release(self) -> None:
        """Forget the parsed copy (the model holds the content now)."""
        self._data, self._positions = None, None


@dataclass
class ProjectFiles:
    """What the loader learned about the files behind a project."""

    sources: dict[str, SourceFile] = field(default_factory=dict)
    entity_files: dict[tuple[str, str], str] = field(default_factory=dict)
    broken: dict[str, list[Problem]] = field(default_factory=dict)
    #: Digest of the bytes last read or written per file (``transaction.digest``); a save
    #: refuses to replace a file whose bytes differ. None: not tracked (nothing compared).
    disk: dict[str, bytes] | None = None

    def note_disk(self, rel: str, data: bytes | None) -> None:
        """Record ``data`` (None: no file) as what the project last saw in ``rel``: the next
        save may replace it (the user saw it and chose, or the project just read it)."""
        if self.disk is None:
            return
        if data is None:
            self.disk.pop(rel, None)
        else:
            self.disk[rel] = digest(data)

    def file_of(self, folder: str, entity_id: str) -> str:
        return self.entity_files.get((folder, entity_id), f"{folder}/{entity_id}.yaml")

    def locate(self, file: str, path: tuple[Any, ...]) -> int | None:
        source = self.sources.get(file)
        if source is None:
            return None
        if len(path) == 1 and isinstance(path[0], str) and source._positions is None:
            # A top-level key in a file we wrote starts a line: find it without
            # re-parsing (a warning on many guides would re-parse them all).
            found = re.search(rf"^{re.escape(path[0])}:", source.text, re.MULTILINE)
            if found is not None:
                return source.text.count("\n", 0, found.start()) + 1
        mark = source.positions.locate(source.data, path)
        return mark[0] if mark else None


@dataclass
class LoadResult:
    project: Project
    problems: list[Problem]
    files: ProjectFiles


# Per load: folder (relative) -> whether it is a real folder inside the project,
# so its plain files need no realpath of their own.
_Places = dict[str, bool]


def _plain_file_inside(root: Path, rel: str, places: _Places) -> os.stat_result | None:
    """``lstat`` of ``rel`` if it is a regular file (not a link) in a folder that is really
    inside ``root`` (no links on the way): then it is what ``_read_raw``'s checks would
    find, without resolving its path component by component. None: check the long way."""
    folder = rel.rpartition("/")[0]
    inside = places.get(folder)
    if inside is None:
        inside = places[folder] = not folder or (
            os.path.realpath(os.path.join(root, folder))
            == os.path.join(os.path.realpath(root), folder))
    if not inside:
        return None
    try:
        info = os.lstat(os.path.join(root, rel))
    except (OSError, ValueError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _read_raw(root: Path, rel: str, problems: list[Problem],
              places: _Places | None = None,
              disk: dict[str, bytes] | None = None) -> tuple[str, bytes] | None:
    """A file's text and its UTF-8 bytes (BOM stripped from both), or record why not;
    ``disk`` gets the digest of the bytes as they were on disk."""
    plain = _plain_file_inside(root, rel, places) if places is not None else None
    if plain is not None:
        return _read_regular(rel, plain.st_size, os.path.join(root, rel), problems, disk)
    path = root / rel
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        problems.append(Problem(rel, None, "", f"cannot be read: {exc}", code="unreadable"))
        return None
    try:
        real.relative_to(root.resolve())
    except ValueError:
        problems.append(
            Problem(rel, None, "", "is a link to a file outside the project; it was not read",
                    code="outside-project")
        )
        return None
    try:
        info = real.stat()
    except OSError as exc:
        problems.append(_unreadable(rel, exc))
        return None
    if not stat.S_ISREG(info.st_mode):
        # A folder, pipe or device: reading a pipe would block the editor forever.
        problems.append(Problem(rel, None, "", "cannot be read: it is not a regular file",
                                code="unreadable"))
        return None
    return _read_regular(rel, info.st_size, str(real), problems, disk)


def _unreadable(rel: str, exc: OSError) -> Problem:
    return Problem(rel, None, "", f"cannot be read: {exc.strerror or exc}", code="unreadable")


def _read_regular(rel: str, size: int, path: str, problems: list[Problem],
                  disk: dict[str, bytes] | None = None) -> tuple[str, bytes] | None:
    """A regular file's text, unless it is too large or reading fails (then a problem)."""
    if size > MAX_FILE_BYTES:
        problems.append(_too_large(rel, size))
        return None
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        problems.append(_unreadable(rel, exc))
        return None
    if disk is not None:
        disk[rel] = digest(raw)
    return _decode(rel, raw, problems)


def _too_large(rel: str, size: int) -> Problem:
    return Problem(rel, None, "",
                   f"is too large ({size / 1_048_576:.1f} MB; the limit is "
                   f"{MAX_FILE_BYTES // 1_048_576} MB); it was not read",
                   code="too-large")


_BOM = b"\xef\xbb\xbf"


def _decode(rel: str, raw: bytes, problems: list[Problem]) -> tuple[str, bytes] | None:
    body = raw[3:] if raw.startswith(_BOM) else raw  # what "utf-8-sig" decodes
    try:
        return body.decode("utf-8"), body
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(rel, line, "",
                    f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                    code="encoding")
        )
    return None


def read_source(root: Path, rel: str, problems: list[Problem],
                disk: dict[str, bytes] | None = None,
                cache: ParseCache | None = None) -> SourceFile | None:
    """Parse one YAML file into a mapping, or record why it is unusable.

    Uses the fast parser (``yaml_io.load_data``): positions are computed only if
    a problem needs a line. Its errors come from PyYAML, so they carry one too.
    ``disk`` gets the digest of the file's bytes when they could be read; with
    it, ``cache`` may hold the data parsed from exactly those bytes before.
    """
    return _read_source(root, rel, problems, disk=disk, cache=cache)


def _read_source(root: Path, rel: str, problems: list[Problem],
                 places: _Places | None = None,
                 disk: dict[str, bytes] | None = None,
                 cache: ParseCache | None = None) -> SourceFile | None:
    read = _read_raw(root, rel, problems, places, disk)
    if read is None:
        return None
    text, raw = read
    if not text or text.isspace():  # (what ``not text.strip()`` says, without a copy)
        problems.append(Problem(rel, None, "", "is empty", code="empty"))
        return None
    digest = disk.get(rel) if cache is not None and disk is not None else None
    if digest is not None and cache is not None:
        cached = cache.get(rel, digest)
        if cached is not None:
            return SourceFile(rel, cached, None, text)
    try:
        data = yaml_io.load_data(text, raw)
    except yaml_io.YamlError as exc:
        problems.append(
            Problem(rel, exc.line, "", f"is not valid YAML: {exc.message}", code="yaml",
                    column=exc.column)
        )
        return None
    if data is None:
        problems.append(Problem(rel, None, "", "is empty", code="empty"))
        return None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        problems.append(
            Problem(rel, 1, "", f"must be a mapping of fields (key: value), but it is {kind}",
                    code="not-mapping")
        )
        return None
    if digest is not None and cache is not None:
        cache.put(rel, digest, data)
    return SourceFile(rel, data, None, text)


def _schema_problems(source: SourceFile, schema_name: str) -> list[Problem]:
    out = []
    for path, message in schemas.validate(schema_name, source.data):
        mark = source.positions.locate(source.data, path)
        out.append(
            Problem(source.path, mark[0] if mark else None, schemas.format_path(path), message,
                    code="schema", column=mark[1] if mark else None)
        )
    return out


def _list_yaml(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    names = [
        entry.name
        for entry in os.scandir(folder)
        if entry.name.endswith((".yaml", ".yml")) and not entry.name.startswith(".")
    ]
    return sorted(names)


# (folder, relative path, source or None, problems, model object or None)
_Loaded = tuple[str, str, SourceFile | None, list[Problem], Any]
_CHUNK = 8  # files per pool task: fewer hand-overs between threads


def _load_entity(root: Path, folder: str, name: str, places: _Places,
                 disk: dict[str, bytes], cache: ParseCache | None = None) -> _Loaded:
    """Read, parse, check and build one entity file: everything that needs no other file.

    Without a source, the problems say why the file could not be read. With
    one, they are its schema and file-name problems, and the model object is
    built if none of them is an error (the caller still checks duplicate ids).
    """
    schema_name, cls = FOLDERS[folder]
    rel = f"{folder}/{name}"
    problems: list[Problem] = []
    source = _read_source(root, rel, problems, places, disk, cache)
    if source is None:
        return folder, rel, None, problems, None
    found = _schema_problems(source, schema_name)
    entity_id = source.data.get("id")
    stem = name.rsplit(".", 1)[0]
    if isinstance(entity_id, str) and entity_id != stem:
        line = source.positions.locate(source.data, ("id",))
        found.append(
            Problem(rel, line[0] if line else None, "id",
                    f"id {entity_id!r} does not match the file name {name!r}; rename "
                    f"one so they agree", code="id-mismatch")
        )
    entity = None if any(p.is_error for p in found) else from_dict(cls, source.data)
    return folder, rel, source, found, entity


def _load_entity_chunk(root: Path, chunk: list[tuple[str, str]], places: _Places,
                       disk: dict[str, bytes], cache: ParseCache | None) -> list[_Loaded]:
    return [_load_entity(root, folder, name, places, disk, cache) for folder, name in chunk]


def _load_entities(root: Path, disk: dict[str, bytes],
                   cache: ParseCache | None = None) -> Iterator[_Loaded]:
    """Every entity file, loaded in a few threads, yielded in folder and name order.

    yaml_rs parses without the GIL, so while one thread parses, another runs the
    Python half of its file (checks, model building): about twice as fast on two
    cores. Each file is handled on its own, so results do not depend on timing.
    """
    jobs = [(folder, name) for folder in FOLDERS for name in _list_yaml(root / folder)]
    places: _Places = {}
    workers = min(4, os.cpu_count() or 1)
    if workers < 2 or len(jobs) < 4 * _CHUNK:
        for folder, name in jobs:
            yield _load_entity(root, folder, name, places, disk, cache)
        return
    for folder in FOLDERS:  # fill the cache before threads share it
        _plain_file_inside(root, f"{folder}/", places)
    chunks = [jobs[i:i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="load") as pool:
        futures = [pool.submit(_load_entity_chunk, root, chunk, places, disk, cache)
                   for chunk in chunks]
        try:
            for future in futures:
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()


def load_project(root: Path | str, cache_dir: Path | None = None) -> LoadResult:
    """The project as one consistent state of its files.

    An interrupted save is finished (or discarded) first (``transaction.recover``). Then
    the files are read under the save lock (shared) and read again afterwards: if any
    changed meanwhile — another program writing, a ``git checkout`` — the load starts over,
    and after ``READ_ATTEMPTS`` raises ``ProjectChanging`` rather than hand out a mix.

    ``cache_dir``: where parsed files are kept between opens (``parse_cache``);
    None parses every file.
    """
    root = Path(root)
    if not (root / PROJECT_FILE).exists():
        raise NotAProject(f"{root} is not a Guide Studio project (no {PROJECT_FILE} in it)")
    cache = ParseCache.open(cache_dir, root) if cache_dir is not None else None
    for _attempt in range(READ_ATTEMPTS):
        transaction.recover(root)
        journal_folder = transaction.txn_dir(root).is_dir()
        with transaction.locked(root, exclusive=False):
            result = _load_once(root, cache)
            unchanged = _still_on_disk(root, result.files)
        # No lock without the hidden folder: a save that began meanwhile created it.
        if unchanged and transaction.txn_dir(root).is_dir() == journal_folder \
                and not transaction.in_progress(root):
            if cache is not None:
                cache.save()
            return result
        if cache is not None:
            cache.forget()
    raise ProjectChanging(
        f"{root}: the project's files kept changing while they were read ({READ_ATTEMPTS} "
        "attempts); another program is writing to it. Try again when it has finished.")


def _listing(root: Path) -> list[str]:
    """Every file a load looks at."""
    rels = [PROJECT_FILE]
    rels += [f"{folder}/{name}" for folder in FOLDERS for name in _list_yaml(root / folder)]
    if (root / PROFILES_FILE).exists():
        rels.append(PROFILES_FILE)
    return rels


def fingerprint(root: Path, rel: str) -> bytes | None:
    """The digest of a file's bytes (None: not there), or of its size and times when it is
    not a readable regular file of a size the loader reads."""
    path = root / rel
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_FILE_BYTES:
            with open(path, "rb") as handle:
                return digest(handle.read())
    except FileNotFoundError:
        return None
    except OSError:
        return b"unreadable"
    return digest(repr((info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino)).encode())


def _still_on_disk(root: Path, files: ProjectFiles) -> bool:
    """Whether every file read still holds the bytes it was read with, and no file came or
    went (a file that could not be read has no digest: only its presence counts)."""
    disk = files.disk or {}
    if set(_listing(root)) != set(files.sources) | set(files.broken):
        return False
    return all(fingerprint(root, rel) == value for rel, value in disk.items())


def _load_once(root: Path, cache: ParseCache | None = None) -> LoadResult:
    problems: list[Problem] = []
    files = ProjectFiles(disk={})
    disk = files.disk
    assert disk is not None

    settings: Settings | None = None
    source = read_source(root, PROJECT_FILE, problems, disk, cache)
    if source is not None:
        files.sources[PROJECT_FILE] = source
        found = _schema_problems(source, "project")
        problems.extend(found)
        if not found:
            settings = from_dict(Settings, source.data)
        else:
            files.broken[PROJECT_FILE] = found
    else:
        files.broken[PROJECT_FILE] = [p for p in problems if p.file == PROJECT_FILE]
    if settings is None:
        # Keep going with what we can: the guides are still worth showing.
        name = root.resolve().name or "project"
        settings = Settings(id=name.lower(), name=name)
    project = Project(settings=settings, root=root)

    for folder, rel, source, found, entity in _load_entities(root, disk, cache):
        target: dict[str, Any] = getattr(project, folder)
        if source is None:
            problems.extend(found)
            files.broken[rel] = found
            continue
        files.sources[rel] = source
        entity_id = source.data.get("id")
        if isinstance(entity_id, str) and entity_id in target:
            other = files.entity_files[(folder, entity_id)]
            line = source.positions.locate(source.data, ("id",))
            found.append(
                Problem(rel, line[0] if line else None, "id",
                        f"duplicate {FOLDERS[folder][0]} id {entity_id!r}: {other} has it too",
                        code="duplicate-id")
            )
        problems.extend(found)
        if entity is None or any(p.is_error for p in found):
            files.broken[rel] = found
            continue
        target[entity_id] = entity
        files.entity_files[(folder, entity_id)] = rel
        source.release()

    if (root / PROFILES_FILE).exists():
        before = len(problems)
        source = read_source(root, PROFILES_FILE, problems, disk, cache)
        if source is None:
            files.broken[PROFILES_FILE] = problems[before:]
        else:
            files.sources[PROFILES_FILE] = source
            found = _schema_problems(source, "profiles")
            problems.extend(found)
            if found:
                files.broken[PROFILES_FILE] = found
            else:
                project.profiles = [from_dict(Profile, p) for p in source.data["profiles"]]
    return LoadResult(project, problems, files)


# --- saving -------------------------------------------------------------------------


EntityKey = tuple[str, ...]  # ("guides", id), ("settings",), ("profiles",)
SETTINGS_KEY: EntityKey = ("settings",)
PROFILES_KEY: EntityKey = ("profiles",)


def _canonical_of(key: EntityKey) -> Callable[[Any], Any]:
    """Loaded file data -> the data a save of the same model would write (``entity_data``)."""
    if key == SETTINGS_KEY:
        return lambda data: to_dict(from_dict(Settings, data))
    if key == PROFILES_KEY:
        return lambda data: {"schema_version": 1,
                             "profiles": [to_dict(from_dict(Profile, p)) for p in data["profiles"]]}
    cls = FOLDERS[key[0]][1]
    return lambda data: to_dict(from_dict(cls, data))


def entity_data(project: Project, key: EntityKey) -> dict[str, Any] | None:
    """What an entity's file holds, as plain data in canonical order; None: no entity."""
    if key == SETTINGS_KEY:
        return to_dict(project.settings)
    if key == PROFILES_KEY:
        return {"schema_version": 1, "profiles": [to_dict(p) for p in project.profiles]}
    entity = getattr(project, key[0]).get(key[1])
    return None if entity is None else to_dict(entity)


def file_text(files: ProjectFiles, rel: str, key: EntityKey, data: dict[str, Any],
              was: str | None = None) -> str:
    """The text a save writes for ``data`` in ``rel``.

    A file the project was loaded from (or last saved to) keeps what its author
    wrote — comments, blank lines, quoting, one-line lists — and only its changed
    values are rewritten (``text_patch``); it comes back unchanged when the data
    is. ``was``: for a file that does not exist yet, the text of the file it
    replaces (a renamed entity's). New files, and files whose text cannot be
    kept safely, are canonical.
    """
    source = files.sources.get(rel)
    text = source.text if source is not None else was
    kept = None if text is None else text_patch.patched(text, data, _canonical_of(key))
    return yaml_io.dump(data) if kept is None else kept


def _renamed_from(project: Project, files: ProjectFiles,
                  keys: list[EntityKey]) -> dict[EntityKey, str]:
    """For entities without a file yet: the text of the file of an entity of the same
    folder that is gone and held the same data but for its id — a rename keeps what the
    author wrote in the file, where a new entity gets a canonical one."""
    gone = [(key, rel) for key, rel in files.entity_files.items()
            if len(key) == 2 and key[1] not in getattr(project, key[0]) and rel in files.sources]
    out: dict[EntityKey, str] = {}
    if not gone:
        return out
    for key in keys:
        if len(key) != 2 or key in files.entity_files:
            continue
        data = entity_data(project, key)
        for old_key, rel in gone:
            if old_key[0] != key[0]:
                continue
            text = files.sources[rel].text
            try:
                old = _canonical_of(old_key)(yaml_io.load_data(text))
            except (yaml_io.YamlError, TypeError, ValueError, KeyError):
                continue
            if {**old, "id": key[1]} == data:
                out[key] = text
                break
    return out


def _rendered(
    project: Project, files: ProjectFiles, only: set[EntityKey] | None
) -> dict[str, tuple[EntityKey, str]]:
    """Each wanted file (all, or those of the entities in ``only``): its entity and text."""
    keys: list[EntityKey] = []
    if only is None or SETTINGS_KEY in only:
        keys.append(SETTINGS_KEY)
    for folder in FOLDERS:
        entities = getattr(project, folder)
        ids = sorted(entities) if only is None else sorted(
            key[1] for key in only if len(key) == 2 and key[0] == folder and key[1] in entities)
        keys += [(folder, entity_id) for entity_id in ids]
    # An emptied list is written too (``profiles: []``): skipping it would bring the
    # removed profiles back from the old file on the next load.
    had_file = PROFILES_FILE in files.sources
    if (project.profiles or had_file) and (only is None or PROFILES_KEY in only):
        keys.append(PROFILES_KEY)
    renamed = _renamed_from(project, files, keys)
    out: dict[str, tuple[EntityKey, str]] = {}
    for key in keys:
        rel = _file_of(files, key)
        data = entity_data(project, key)
        assert data is not None
        out[rel] = (key, file_text(files, rel, key, data, renamed.get(key)))
    return out


def _file_of(files: ProjectFiles, key: EntityKey) -> str:
    if key == SETTINGS_KEY:
        return PROJECT_FILE
    if key == PROFILES_KEY:
        return PROFILES_FILE
    return files.file_of(key[0], key[1])


def planned_writes(project: Project, files: ProjectFiles,
                   only: set[EntityKey] | None = None) -> dict[str, str | None]:
    """What a save in place changes: {relative path: new text, or None to delete}.

    Only files whose text differs from what was loaded or last saved there are
    listed, so a rename rewrites the files that mention the old id and nothing
    else, and a file nobody edited is never written back over someone else's
    change. Broken files are never listed.
    """
    return {rel: text for rel, (_key, text) in _plan(project, files, only).items()}


def _plan(project: Project, files: ProjectFiles,
          only: set[EntityKey] | None) -> dict[str, tuple[EntityKey, str | None]]:
    rendered = _rendered(project, files, only)
    _refuse_clashes(rendered, set(files.broken))
    plan: dict[str, tuple[EntityKey, str | None]] = {}
    for rel, (key, text) in rendered.items():
        source = files.sources.get(rel)
        if rel not in files.broken and (source is None or source.text != text):
            plan[rel] = (key, text)
    for key, rel in files.entity_files.items():
        if (only is None or key in only) and rel not in rendered and rel not in files.broken:
            plan[rel] = (key, None)
    return plan


def _refuse_clashes(rendered: dict[str, Any], unreadable: set[str]) -> None:
    clashes = sorted(rel for rel in rendered if rel in unreadable and rel != PROJECT_FILE)
    if clashes:
        raise SaveConflict(
            "not saved: " + ", ".join(clashes) + " could not be read when the project was "
            "opened and would be overwritten; fix or rename that file first"
        )


def render_files(project: Project, files: ProjectFiles | None = None) -> dict[str, str]:
    """Every file the project consists of, as canonical YAML text, by relative path.

    An entity keeps the file it was loaded from (``x.yml`` stays ``x.yml``);
    new ones go to ``<folder>/<id>.yaml``.
    """
    return {rel: text for rel, (_key, text) in _rendered(project, files or ProjectFiles(),
                                                           None).items()}


def _carried_broken_files(project: Project, files: ProjectFiles) -> dict[str, bytes]:
    """The bytes of each broken file that is a regular file inside the project.

    A file that was broken because it is a symlink leaving the project, a pipe
    or unreadable is not copied: following it is what the loader refused to do.
    """
    carried: dict[str, bytes] = {}
    if project.root is None:
        return carried
    root = Path(project.root)
    for rel in sorted(files.broken):
        path = root / rel
        try:
            if path.is_symlink() or not path.is_file():
                continue
            carried[rel] = path.read_bytes()
        except OSError:
            continue
    return carried


def save_project(
    project: Project,
    files: ProjectFiles | None = None,
    root: Path | str | None = None,
    only: set[EntityKey] | None = None,
) -> list[str]:
    """Write what changed as one transaction; return the relative paths written or removed.

    Only files whose content changes are written (``planned_writes``), each
    keeping what its author wrote outside the changed values; the others are
    not touched (same bytes, same mtime), so file watchers and git see only
    real edits and another program's change to an untouched file stays.
    Entities deleted since loading lose their file; broken files are never
    overwritten or deleted. ``only`` limits the work to the entities an editor
    knows it touched — re-rendering 2,000 guides to save one would freeze the
    window. ``files`` is kept up to date, so the next save knows which files
    it owns.

    Raises ``transaction.DiskChanged`` when a target's bytes are not what ``files`` last
    read or wrote there, and ``transaction.ReadOnlyFiles`` for read-only targets: in both
    cases nothing was written.
    """
    target_root = Path(root) if root is not None else project.root
    if target_root is None:
        raise ValueError("the project has no folder to save to")
    files = files if files is not None else ProjectFiles()
    same_place = target_root == project.root
    if not same_place:
        only = None  # Save As writes everything
    # Save As takes broken files along as they are: the user's unreadable text is still
    # their work, and a new folder without it would lose it silently.
    carried = _carried_broken_files(project, files) if not same_place else {}
    if same_place:
        plan = _plan(project, files, only)
    else:
        rendered = _rendered(project, ProjectFiles(), None)
        _refuse_clashes(rendered, set(carried))
        plan = dict(rendered)
    changes: dict[str, bytes | None] = {
        rel: None if text is None else text.encode("utf-8") for rel, (_key, text) in plan.items()}
    changes.update(carried)  # after the rendered files: a broken settings file wins
    return _write(target_root, changes, files if same_place else None, plan)


def _write(root: Path, changes: dict[str, bytes | None], files: ProjectFiles | None,
           plan: dict[str, tuple[EntityKey, str | None]]) -> list[str]:
    """Commit ``changes``, then bring ``files`` (None: Save As) in line with the disk."""
    expected = files.disk if files is not None else None
    changed, after = transaction.commit(root, changes, expected)
    if files is None:
        return changed
    for rel, (key, text) in plan.items():
        if text is None:  # an entity deleted since loading: its file is gone
            files.entity_files.pop(key, None)
            files.sources.pop(rel, None)
            continue
        files.sources[rel] = SourceFile(rel, None, None, text)  # parsed again if needed
        if len(key) == 2:
            files.entity_files[key] = rel
    if files.disk is not None:
        for rel, value in after.items():
            if value is None:
                files.disk.pop(rel, None)
            else:
                files.disk[rel] = value
    return changed
