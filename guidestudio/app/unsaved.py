"""Unsaved edits in words: which guides, segments and themes differ from the files on disk.

The export reads the project folder, so it ships what was saved. Whenever it
would ship something other than what the editor shows, the export dialog
names what differs (``describe_unsaved``) instead of a vague "save first".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guidestudio.app.document import Document

NOUNS = {"guides": "guide", "segments": "segment", "themes": "theme"}
PROJECT_FILES = {"settings": "the project settings", "profiles": "the sample profiles"}
MAX_NAMED = 8


def describe_unsaved(document: Document) -> list[str]:
    """One line per unsaved item ("Storage almost full (guide)"); empty when all is saved."""
    if not document.is_modified:
        return []
    unsaved = document.unsaved()
    if unsaved is None:
        return ["changes across the whole project"]
    lines = []
    for path in unsaved:
        if len(path) == 1:
            lines.append(PROJECT_FILES.get(path[0], path[0]))
            continue
        folder, key = path[0], path[1]
        entity = getattr(document.project, folder, {}).get(key)
        noun = NOUNS.get(folder, folder)
        lines.append(f"{entity.name} ({noun})" if entity is not None
                     else f"{key} ({noun}, deleted)")
    if not lines:
        return ["changes not saved yet"]
    if len(lines) > MAX_NAMED:
        lines = [*lines[:MAX_NAMED], f"and {len(lines) - MAX_NAMED} more"]
    return lines
