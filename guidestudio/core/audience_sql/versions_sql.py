"""``padded_version`` (GrowthBook's version ordering key) as SQL.

Step for step ``targeting.versions._padded_version_str``: an empty string is
"0"; a leading ``v`` and a ``+build`` suffix go; the parts split on ``-`` and
``.``; all-digit parts are right-aligned to five places; three parts get a
``~`` part (so 1.0.0 sorts after 1.0.0-rc); the parts join with ``-``.
"""

from __future__ import annotations

from guidestudio.core.audience_sql import sql_text as q

_STRIP = "^v|\\+[^\\n\\r\\x{2028}\\x{2029}]*\\z"


def padded_version_sql(text_sql: str) -> str:
    """SQL for ``padded_version`` of a non-null VARCHAR expression."""
    text = f"(CASE WHEN {text_sql} = '' THEN '0' ELSE {text_sql} END)"
    stripped = f"regexp_replace({text}, {q.string(_STRIP)}, '', 'g')"
    parts = f"string_split_regex({stripped}, '[-.]')"
    padded = (f"list_transform({parts}, lambda p: CASE WHEN regexp_full_match(p, '[0-9]+') "
              f"AND length(p) < 5 THEN lpad(p, 5, ' ') ELSE p END)")
    return (f"array_to_string(CASE WHEN array_length({parts}) = 3 THEN list_append({padded}, '~') "
            f"ELSE {padded} END, '-')")
