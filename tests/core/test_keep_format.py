"""A saved file holds the model's data exactly, and keeps what its author wrote elsewhere."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core.files import text_patch, yaml_io
from guidestudio.core.files.project_io import (
    ProjectFiles,
    SourceFile,
    entity_data,
    file_text,
    load_project,
)
from guidestudio.core.model import Guide, Project, Settings, from_dict, to_dict
from guidestudio.core.rules.as_written import same_as_written
from tests.conftest import EXAMPLE_PROJECT
from tests.core.model_strategies import guides, scalars, texts


def canonical_guide(data: Any) -> Any:
    return to_dict(from_dict(Guide, data))


def with_comments(text: str) -> tuple[str, list[str]]:
    """``text`` with a numbered comment line before every key of a block mapping."""
    root = yaml_io.compose(text)
    starts: set[int] = set()

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode) and not node.flow_style:
            for key, value in node.value:
                starts.add(key.start_mark.line)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    out, comments = [], []
    for number, line in enumerate(text.splitlines(keepends=True)):
        if number in starts:
            indent = len(line) - len(line.lstrip(" "))
            comment = f"# note {number}"
            comments.append(comment)
            out.append(" " * indent + comment + "\n")
        out.append(line)
    return "".join(out), comments


def leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in leaf_paths(v, (*prefix, k))] + [prefix]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in leaf_paths(v, (*prefix, i))] + [prefix]
    return [prefix]


@st.composite
def edited(draw: st.DrawFn) -> tuple[Guide, Guide]:
    """A guide and the same guide after a few edits of the kind the window makes."""
    guide = draw(guides)
    data = to_dict(guide)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in leaf_paths(data) if len(p) > 1 and p[0] not in ("id", "schema_version")]
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "insert"]))
        if isinstance(parent, list) and action == "insert":
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
        elif isinstance(parent, list) and action == "delete" and len(parent) > 1:
            del parent[path[-1]]
        elif isinstance(parent, dict) and action == "delete":
            del parent[path[-1]]
        elif isinstance(parent[path[-1]], str):
            parent[path[-1]] = draw(texts)
        elif isinstance(parent[path[-1]], int | bool) and not isinstance(parent, list):
            parent[path[-1]] = draw(scalars)
    try:
        new = from_dict(Guide, data)
        to_dict(new)
    except (TypeError, ValueError, KeyError, AttributeError):
        new = guide
    return guide, new


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_a_saved_file_loads_back_as_the_canonical_text_would(pair: tuple[Guide, Guide]) -> None:
    old, new = pair
    written, comments = with_comments(yaml_io.dump(to_dict(old)))
    files = ProjectFiles(sources={"guides/g.yaml": SourceFile("guides/g.yaml", None, None,
                                                              written)})
    saved = file_text(files, "guides/g.yaml", ("guides", new.id), to_dict(new))
    canonical = yaml_io.dump(to_dict(new))
    back = from_dict(Guide, yaml_io.load(saved)[0])
    assert back == from_dict(Guide, yaml_io.load(canonical)[0])
    assert same_as_written(to_dict(back), to_dict(new))  # key order and types too
    if to_dict(new) == to_dict(old):
        assert saved == written
    # Whatever was edited, the comments before top-level keys stay: the file was
    # patched, not rewritten.
    top_level = [line for line in written.splitlines() if line.startswith("# note")]
    kept = set(saved.splitlines())
    assert all(line in kept for line in top_level), saved
    assert set(comments) >= {line.strip() for line in saved.splitlines()
                             if line.strip().startswith("# note")}


def test_the_example_project_loads_back_unchanged_from_its_own_texts() -> None:
    loaded = load_project(EXAMPLE_PROJECT)
    for key, rel in [*((k, r) for k, r in loaded.files.entity_files.items()),
                     (("settings",), "guidestudio.yaml"), (("profiles",), "profiles.yaml")]:
        data = entity_data(loaded.project, key)
        assert data is not None
        assert file_text(loaded.files, rel, key, data) == loaded.files.sources[rel].text


SETTINGS = """\
# project settings\r
schema_version: 1\r
id: acme\r
name: Acme   # the product\r
locales: [en, ja]"""


def canonical_settings(data: Any) -> Any:
    return to_dict(from_dict(Settings, data))


def test_windows_line_ends_and_a_missing_final_line_break_are_kept() -> None:
    settings = from_dict(Settings, yaml_io.load(SETTINGS)[0])
    settings.name = "Acme Cloud"
    settings.default_locale = "ja"
    out = text_patch.patched(SETTINGS, to_dict(settings), canonical_settings)
    assert out == ("# project settings\r\nschema_version: 1\r\nid: acme\r\n"
                   "name: Acme Cloud   # the product\r\ndefault_locale: ja\r\nlocales: [en, ja]")
    assert from_dict(Settings, yaml_io.load(out)[0]) == settings


@pytest.mark.parametrize("text", [
    "not: [valid",  # not YAML
    "- a\n- b\n",  # not a mapping
    "{schema_version: 1, id: acme, name: Acme}\n",  # a flow mapping at the top
])
def test_texts_that_cannot_be_patched_give_none(text: str) -> None:
    new = to_dict(Settings(id="acme", name="Other"))
    assert text_patch.patched(text, new, canonical_settings) is None


def test_values_in_block_scalars_and_first_keys_of_items_are_rewritten_whole() -> None:
    text = ("schema_version: 1\nid: g\nname: G\nkind: modal\nvariants:\n"
            "- key: a   # the only variant\n  steps:\n  - id: s\n    body:\n"
            "      en: |\n        line one\n        line two\n\n"
            "    # after the body\n    buttons: [{label: {en: OK}, action: dismiss}]\n")
    guide = from_dict(Guide, yaml_io.load(text)[0])
    guide.variants[0].steps[0].body = {"en": "one line"}
    guide.variants[0].steps[0].id = None
    guide.variants[0].steps[0].buttons[0].label["en"] = "Fine"
    out = text_patch.patched(text, to_dict(guide), canonical_guide)
    assert out is not None
    assert from_dict(Guide, yaml_io.load(out)[0]) == guide
    assert out == text.replace("  - id: s\n    body:", "  - body:").replace(
        "en: |\n        line one\n        line two\n", "en: one line\n").replace("OK", "Fine")


def test_a_project_without_sources_is_written_canonically() -> None:
    project = Project(settings=Settings(id="x", name="X"))
    assert file_text(ProjectFiles(), "guidestudio.yaml", ("settings",),
                     to_dict(project.settings)) == yaml_io.dump(to_dict(project.settings))
