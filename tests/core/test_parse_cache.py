"""The parse cache: a second open skips parsing, and never serves a file's old content."""

from __future__ import annotations

import marshal
import os
import shutil
import zlib
from pathlib import Path

import pytest

from guidestudio.core.files import parse_cache, yaml_io
from guidestudio.core.files.parse_cache import ParseCache, cache_file
from guidestudio.core.files.project_io import load_project
from tests.conftest import EXAMPLE_PROJECT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE_PROJECT, root)
    return root


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = yaml_io.load_data

    def counting(text: str, raw: bytes | None = None) -> object:
        parsed.append(text)
        return real(text, raw)

    monkeypatch.setattr(yaml_io, "load_data", counting)
    return parsed


def test_a_second_open_parses_nothing_and_loads_the_same_project(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    parsed = _count_parses(monkeypatch)
    first = load_project(project, cache)
    files = len(parsed)
    assert files >= 10 and cache_file(cache, project).is_file()
    parsed.clear()
    second = load_project(project, cache)
    assert parsed == []
    assert second.project == first.project == load_project(project).project
    assert second.problems == first.problems
    assert set(second.files.sources) == set(first.files.sources)
    assert second.files.disk == first.files.disk


def test_a_changed_file_is_parsed_again_even_with_the_same_size_and_time(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    path = project / "guides" / "nps-survey.yaml"
    text = path.read_text(encoding="utf-8")
    assert "name: NPS survey" in text
    stat = path.stat()
    path.write_text(text.replace("name: NPS survey", "name: NPS surbey"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    parsed = _count_parses(monkeypatch)
    result = load_project(project, cache)
    assert len(parsed) == 1
    assert result.project.guides["nps-survey"].name.startswith("NPS surbey —")


def test_a_file_broken_since_is_reported_as_before(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    (project / "guides" / "nps-survey.yaml").write_text("id: nps-survey\nname: [oops\n",
                                                        encoding="utf-8")
    cached = load_project(project, cache)
    plain = load_project(project)
    assert [p.format() for p in cached.problems] == [p.format() for p in plain.problems]
    assert "guides/nps-survey.yaml" in cached.files.broken
    assert "nps-survey" not in cached.project.guides


def test_a_removed_file_leaves_the_cache(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    (project / "guides" / "nps-survey.yaml").unlink()
    load_project(project, cache)
    kept = ParseCache.open(cache, project)
    assert kept.get("guides/nps-survey.yaml", b"x" * 16) is None
    assert "nps-survey" not in load_project(project, cache).project.guides


@pytest.mark.parametrize("damage", [b"", b"GSPARSE2", b"GSPARSE2garbage", b"\x00" * 64])
def test_a_damaged_cache_is_ignored(project: Path, tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    path = cache_file(cache, project)
    path.write_bytes(damage if damage else path.read_bytes()[:len(path.read_bytes()) // 2])
    assert load_project(project, cache).project == load_project(project).project


def test_another_parser_discards_the_cache(project: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    monkeypatch.setattr(parse_cache, "_PARSER_ID", b"another parser..")
    parsed = _count_parses(monkeypatch)
    load_project(project, cache)
    assert len(parsed) >= 10


def test_an_unwritable_cache_folder_still_opens(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = load_project(project, blocker / "cache")
    assert result.project == load_project(project).project


def test_entries_read_back_from_many_chunks(project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The blob is marshalled a few files at a time (each call holds the GIL): every chunk
    is read back, so a second open parses nothing."""
    monkeypatch.setattr(parse_cache, "CHUNK", 3)
    cache = tmp_path / "cache"
    first = load_project(project, cache)
    blob = cache_file(cache, project).read_bytes()
    _parser, chunks = marshal.loads(blob[len(b"GSPARSE2"):])
    assert len(chunks) > 3
    assert all(len(marshal.loads(zlib.decompress(chunk))) <= 3 for chunk in chunks)
    parsed = _count_parses(monkeypatch)
    again = load_project(project, cache)
    assert parsed == []
    assert again.project == first.project


def test_a_cache_in_the_first_format_is_parsed_again(project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_project(project, cache)
    entries = ParseCache.open(cache, project)._stored
    old = b"GSPARSE1" + zlib.compress(marshal.dumps((parse_cache.parser_id(), entries)))
    cache_file(cache, project).write_bytes(old)
    parsed = _count_parses(monkeypatch)
    assert load_project(project, cache).project == load_project(project).project
    assert len(parsed) >= 10
