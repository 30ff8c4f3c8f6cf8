"""The schemas' name patterns, for checking input while it is typed.

Fields refuse a character the schema would reject (a space in an event name)
as it is typed, and row editors check names before writing them. The schemas
anchor their patterns (``^…$``); these are the same patterns unanchored, the
form Qt validators and ``re.fullmatch`` take. ``tests/core/test_schema_patterns.py``
holds them to the schema files, so a schema change cannot leave them behind.
"""

from __future__ import annotations

#: common.schema.json $defs/event_name: a product event's name.
EVENT_PATTERN = r"[A-Za-z0-9_.:-]{1,64}"
#: common.schema.json $defs/id: guide, segment, theme, profile and project ids.
ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"
#: guide.schema.json $defs/step and $defs/checklist_item: ids inside a guide.
STEP_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
#: guide.schema.json $defs/variant: a variant's key.
VARIANT_KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}"
#: guide.schema.json $defs/experiment: an experiment's key.
EXPERIMENT_KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}"

__all__ = ["EVENT_PATTERN", "EXPERIMENT_KEY_PATTERN", "ID_PATTERN", "STEP_ID_PATTERN",
           "VARIANT_KEY_PATTERN"]
