"""Hostile and broken files: the loader and validator answer with a Problem, never a traceback.

Each case is a file someone could really end up with — a merge conflict, an
editor that saved Latin-1, a log file dropped into guides/, a symlink to
somebody's home folder, a YAML bomb from the internet. The project must still
open, the bad file must be flagged with a message that says what is wrong, and
saving must never "repair" it by overwriting or deleting the author's bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidestudio.core.files.project_io import LoadResult, NotAProject, load_project, save_project
from guidestudio.core.problems import Problem
from guidestudio.core.validate import validate_project
from tests.conftest import REPO_ROOT

SETTINGS = """\
schema_version: 1
id: t
name: T
default_locale: en
locales: [en]
"""

GOOD_GUIDE = """\
schema_version: 1
id: {gid}
name: Guide {gid}
kind: modal
status: live
variants:
  - key: a
    steps:
      - title: {{en: Hello}}
        buttons:
          - {{label: {{en: OK}}, action: dismiss}}
"""


def project(root: Path, files: dict[str, str | bytes]) -> Path:
    files = {"guidestudio.yaml": SETTINGS, "guides/good.yaml": GOOD_GUIDE.format(gid="good"),
             **files}
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def load_and_validate(root: Path) -> tuple[LoadResult, list[Problem]]:
    """What opening a project does; neither step may raise."""
    result = load_project(root)
    return result, validate_project(result.project, result.files)


def problem_for(result: LoadResult, rel: str) -> Problem:
    """The single load problem of ``rel``, which must be flagged broken; good.yaml still loads."""
    found = [p for p in result.problems if p.file == rel]
    assert len(found) == 1, [p.format() for p in result.problems]
    assert rel in result.files.broken
    assert "good" in result.project.guides
    return found[0]


def test_malformed_yaml_reports_line_and_column(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/bad.yaml": "schema_version: 1\nid: bad\nname: [unclosed\n"
                                                 "kind: modal\n"})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert problem.code == "yaml"
    assert "not valid YAML" in problem.message
    assert problem.line is not None and problem.line >= 3
    assert problem.column is not None
    assert problem.format().startswith(f"guides/bad.yaml:{problem.line}:{problem.column}:")


def test_tab_indentation_is_a_yaml_problem(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/bad.yaml": "schema_version: 1\nid: bad\n\tname: x\n"})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert problem.line == 3 and "not valid YAML" in problem.message


def test_wrong_types_say_what_was_expected(tmp_path: Path) -> None:
    text = GOOD_GUIDE.format(gid="bad").replace("status: live", "status: live\npriority: high")
    text = text.replace("name: Guide bad", "name: [Guide, bad]")
    root = project(tmp_path, {"guides/bad.yaml": text})
    result, _ = load_and_validate(root)
    found = {p.field: p for p in result.problems if p.file == "guides/bad.yaml"}
    assert "expected a whole number, found the text 'high'" in found["priority"].message
    assert found["priority"].line == 6
    assert "expected text, found a list" in found["name"].message
    assert found["name"].line == 3
    assert "guides/bad.yaml" in result.files.broken
    assert "bad" not in result.project.guides


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    text = GOOD_GUIDE.format(gid="bad").replace("- title:", "- titel:")
    root = project(tmp_path, {"guides/bad.yaml": text})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert "unknown field 'titel'" in problem.message
    assert "did you mean 'title'?" in problem.message
    assert problem.field == "variants[0].steps[0]"


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    latin1 = "schema_version: 1\nid: bad\nname: Caf\u00e9\n".encode("latin-1")
    root = project(tmp_path, {"guides/bad.yaml": latin1})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert "not UTF-8" in problem.message and "0xe9" in problem.message
    assert problem.line == 3


@pytest.mark.parametrize("content", ["", "\n\n   \n", "# just a comment\n", "~\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    root = project(tmp_path, {"guides/bad.yaml": content})
    result, _ = load_and_validate(root)
    assert "is empty" in problem_for(result, "guides/bad.yaml").message


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    with open(root / "guides" / "huge.yaml", "wb") as handle:
        handle.write(b"schema_version: 1\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: instant to make, 50 MB to read
    started = time.perf_counter()
    result, _ = load_and_validate(root)
    assert time.perf_counter() - started < 1.0
    problem = problem_for(result, "guides/huge.yaml")
    assert "too large" in problem.message and "50.0 MB" in problem.message


def test_guide_file_that_is_a_list(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/bad.yaml": "- id: bad\n- name: Bad\n"})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert "must be a mapping" in problem.message and "a list" in problem.message


def test_guide_file_that_is_a_single_value(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/bad.yaml": "just some words\n"})
    result, _ = load_and_validate(root)
    assert "a single value" in problem_for(result, "guides/bad.yaml").message


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    text = GOOD_GUIDE.format(gid="bad").replace("status: live", "status: live\nkind: banner")
    root = project(tmp_path, {"guides/bad.yaml": text})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/bad.yaml")
    assert "duplicate key 'kind'" in problem.message
    assert "first defined on line 4" in problem.message
    assert problem.line == 6


def test_yaml_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    root = project(tmp_path, {"guides/bomb.yaml": "\n".join(lines) + "\n"})
    started = time.perf_counter()
    result, _ = load_and_validate(root)
    assert time.perf_counter() - started < 1.0
    problem = problem_for(result, "guides/bomb.yaml")
    assert "aliases" in problem.message and problem.line == 1


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/bad.yaml": "base: &b {x: 1}\nother:\n  <<: *b\n"})
    result, _ = load_and_validate(root)
    message = problem_for(result, "guides/bad.yaml").message
    assert "aliases" in message or "merge keys" in message


def test_absurdly_deep_nesting_is_refused_without_crashing(tmp_path: Path) -> None:
    """libyaml's C composer used to segfault on ~30,000 nested brackets: run it apart."""
    depth = 100_000
    project(tmp_path, {"guides/deep.yaml": "a: " + "[" * depth + "]" * depth + "\n",
                       "guides/deep2.yaml": "a: " + "- " * depth + "x\n"})
    code = ("import sys; from guidestudio.core.files.project_io import load_project; "
            "r = load_project(sys.argv[1]); "
            "print('\\n'.join(p.format() for p in r.problems))")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert time.perf_counter() - started < 10
    assert "guides/deep.yaml:1:" in done.stdout and "nested too deeply" in done.stdout
    assert "guides/deep2.yaml:1:" in done.stdout


def test_symlink_pointing_outside_the_project(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    root = project(tmp_path / "p", {})
    os.symlink(secret, root / "guides" / "evil.yaml")
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/evil.yaml")
    assert "outside the project" in problem.message
    assert "evil.yaml" not in result.files.sources  # never read
    # And saving leaves the link alone.
    save_project(result.project, result.files)
    assert (root / "guides" / "evil.yaml").is_symlink()
    assert secret.read_text(encoding="utf-8") == "password: hunter2\n"


def test_dangling_symlink(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    os.symlink(tmp_path / "nowhere.yaml", root / "guides" / "gone.yaml")
    result, _ = load_and_validate(root)
    assert "cannot be read" in problem_for(result, "guides/gone.yaml").message


def test_folder_without_guidestudio_yaml_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "guides").mkdir()
    with pytest.raises(NotAProject, match="not a Guide Studio project.*guidestudio.yaml"):
        load_project(tmp_path)


def test_broken_guidestudio_yaml_still_loads_the_rest(tmp_path: Path) -> None:
    root = project(tmp_path, {"guidestudio.yaml": "schema_version: 1\nid: t\nname: T\n"
                                                  "locales: en, ja\n"})
    result, problems = load_and_validate(root)
    flagged = [p for p in result.problems if p.file == "guidestudio.yaml"]
    assert flagged and "guidestudio.yaml" in result.files.broken
    assert any("expected a list" in p.message for p in flagged)
    assert any("'default_locale' is missing" in p.message for p in flagged)
    assert "good" in result.project.guides
    # Locales are unknown, so the validator does not invent translation warnings,
    # and the settings file is not checked a second time.
    assert [p for p in problems if p.file == "guidestudio.yaml"] == []
    assert "missing-translation" not in [p.code for p in problems]
    before = (root / "guidestudio.yaml").read_bytes()
    save_project(result.project, result.files)
    assert (root / "guidestudio.yaml").read_bytes() == before


def test_unparseable_guidestudio_yaml_still_loads_the_rest(tmp_path: Path) -> None:
    root = project(tmp_path, {"guidestudio.yaml": "schema_version: 1\nid: [t\n"})
    result, _ = load_and_validate(root)
    flagged = [p for p in result.problems if p.file == "guidestudio.yaml"]
    assert len(flagged) == 1 and "not valid YAML" in flagged[0].message
    assert "good" in result.project.guides


def test_one_broken_guide_among_good_ones_survives_saving(tmp_path: Path) -> None:
    broken_text = GOOD_GUIDE.format(gid="broken").replace("kind: modal", "kind: popup")
    root = project(tmp_path, {
        "guides/other.yaml": GOOD_GUIDE.format(gid="other"),
        "guides/broken.yaml": broken_text,
        "guides/garbled.yaml": b"\xff\xfe garbage \x00\x01",
    })
    files_before = {p: p.read_bytes() for p in (root / "guides").iterdir()}
    result, problems = load_and_validate(root)
    assert sorted(result.project.guides) == ["good", "other"]
    assert set(result.files.broken) == {"guides/broken.yaml", "guides/garbled.yaml"}
    kind = problem_for(result, "guides/broken.yaml")
    assert kind.field == "kind" and "expected one of" in kind.message and "popup" in kind.message
    assert "not UTF-8" in problem_for(result, "guides/garbled.yaml").message
    assert [p for p in problems if p.is_error] == []

    # Edit a good guide and save (good files are rewritten canonically); broken files
    # keep their exact bytes.
    result.project.guides["other"].name = "Renamed"
    changed = save_project(result.project, result.files)
    assert "guides/other.yaml" in changed
    assert not {"guides/broken.yaml", "guides/garbled.yaml"} & set(changed)
    for path, data in files_before.items():
        if path.name in ("broken.yaml", "garbled.yaml"):
            assert path.read_bytes() == data, path
    assert "Renamed" in (root / "guides" / "other.yaml").read_text(encoding="utf-8")
    # Deleting every good guide still leaves the broken ones on disk.
    result.project.guides.clear()
    save_project(result.project, result.files)
    assert sorted(p.name for p in (root / "guides").iterdir()) == ["broken.yaml", "garbled.yaml"]
    assert (root / "guides" / "broken.yaml").read_text(encoding="utf-8") == broken_text


def test_entity_id_not_matching_file_name(tmp_path: Path) -> None:
    root = project(tmp_path, {"guides/welcome.yaml": GOOD_GUIDE.format(gid="welcom")})
    result, _ = load_and_validate(root)
    problem = problem_for(result, "guides/welcome.yaml")
    assert "does not match the file name" in problem.message and problem.line == 2


def test_a_folder_where_a_file_should_be(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    (root / "guides" / "odd.yaml").mkdir()
    result, _ = load_and_validate(root)
    assert "cannot be read" in problem_for(result, "guides/odd.yaml").message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX-only")
def test_a_named_pipe_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    os.mkfifo(root / "guides" / "pipe.yaml")
    started = time.perf_counter()
    result, _ = load_and_validate(root)  # would block forever if it tried to read
    assert time.perf_counter() - started < 1.0
    assert "not a regular file" in problem_for(result, "guides/pipe.yaml").message


def test_every_hostile_file_at_once_still_opens(tmp_path: Path) -> None:
    """All of the above in one project: it opens, the good guide loads, nothing raises."""
    root = project(tmp_path / "p", {
        "guides/a.yaml": "name: [unclosed\n",
        "guides/b.yaml": b"\xc3\x28 bad utf8",
        "guides/c.yaml": "",
        "guides/d.yaml": "- list\n",
        "guides/e.yaml": "a: 1\na: 2\n",
        "guides/f.yaml": "a: &x [1]\nb: *x\n",
        "segments/s.yaml": "schema_version: 1\nid: s\nname: S\ncondition: {x: {$bogus: 1}}\n",
        "themes/t.yaml": "just text\n",
        "profiles.yaml": "profiles: 3\n",
    })
    result, problems = load_and_validate(root)
    assert sorted(result.project.guides) == ["good"]
    flagged = {p.file for p in result.problems}
    assert {f"guides/{c}.yaml" for c in "abcdef"} | {"themes/t.yaml", "profiles.yaml"} <= flagged
    assert all(p.message for p in result.problems + problems)
    assert any(p.code == "unknown-operator" for p in problems)
