"""The input patterns fields check are the schema files' own."""

from __future__ import annotations

from guidestudio.core import schema_patterns
from guidestudio.core.files.schemas import schema


def test_each_pattern_is_the_schemas_unanchored() -> None:
    common, guide = schema("common")["$defs"], schema("guide")["$defs"]
    written = {
        "EVENT_PATTERN": common["event_name"]["pattern"],
        "ID_PATTERN": common["id"]["pattern"],
        "STEP_ID_PATTERN": guide["step"]["properties"]["id"]["pattern"],
        "VARIANT_KEY_PATTERN": guide["variant"]["properties"]["key"]["pattern"],
        "EXPERIMENT_KEY_PATTERN": guide["experiment"]["properties"]["key"]["pattern"],
    }
    assert guide["checklist_item"]["properties"]["id"]["pattern"] == written["STEP_ID_PATTERN"]
    for name, pattern in written.items():
        assert f"^{getattr(schema_patterns, name)}$" == pattern, name
    assert sorted(written) == sorted(schema_patterns.__all__)
