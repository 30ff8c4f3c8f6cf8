"""What the tree's context menu and the Guide menu do, as edits (no Qt).

Each operation returns an ``Edit`` the document pushes as one undo step, so
the menus stay one-line wrappers (Anki's pattern) and the rules — a copy gets
a fresh id, a rename fixes every reference so the project stays valid — are
testable without a window.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from typing import Any

from guidestudio.core.bundle.theme_css import COLOR_TOKENS, DEFAULTS
from guidestudio.core.edits import MISSING, Batch, Edit, SetValue
from guidestudio.core.ids import id_from_name, unique_id
from guidestudio.core.model import Guide, Project, Segment, Theme

FOLDERS = ("guides", "segments", "themes")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_NOUN = {"guides": "guide", "segments": "segment", "themes": "theme"}


def noun(folder: str, count: int = 1) -> str:
    """"guide" / "3 guides": undo texts read like what the user did."""
    word = _NOUN.get(folder, "item")
    return word if count == 1 else f"{count} {word}s"


def id_error(project: Project, folder: str, new_id: str, old_id: str | None = None) -> str | None:
    """Why ``new_id`` cannot be used (None when it can); the rename dialog shows it."""
    if not _ID_RE.match(new_id):
        return ("an id is 1–64 lower-case letters, digits, '-' or '_', "
                "starting with a letter or digit")
    if new_id != old_id and new_id in getattr(project, folder):
        return f"there is already a {noun(folder)} with the id {new_id!r}"
    return None


def add(project: Project, folder: str, entity: Any) -> tuple[Edit, str]:
    """Add an entity (e.g. a guide from the starter gallery), renaming it if its id is taken."""
    entity = copy.deepcopy(entity)
    entity.id = unique_id(entity.id, set(getattr(project, folder)))
    return SetValue((folder, entity.id), entity), entity.id


def new_id(project: Project, folder: str, name: str) -> tuple[str, str | None]:
    """The id a new segment or theme called ``name`` gets, and why it cannot (None: it can).

    The id follows the name, so a second "Free plan" is refused rather than
    silently becoming ``free-plan-2``: two segments the team tells apart only by
    a number in a file name is the mistake worth stopping. A name with nothing
    to derive an id from (all non-Latin letters) gets a numbered ``segment-N``.
    """
    if not name.strip():
        return "", f"a {noun(folder)} needs a name"
    fallback = noun(folder)
    entity_id = id_from_name(name, fallback)
    if entity_id == fallback:
        entity_id = unique_id(fallback, set(getattr(project, folder)))
    return entity_id, id_error(project, folder, entity_id)


def new_entity(project: Project, folder: str, name: str, entity_id: str) -> SetValue:
    """A minimal entity that already passes its schema, as one edit adding it.

    A segment starts with the empty condition (everyone) — valid, and what the
    rule builder shows as "no rules". A theme starts with the project default
    theme's colours (or the built-in ones), so it looks like the rest of the
    project until the designer changes it, and every colour field has a value
    to start from; the font, radius, shadow and stacking inherit.
    """
    entity: Segment | Theme
    if folder == "segments":
        entity = Segment(id=entity_id, name=name.strip(), condition={})
    elif folder == "themes":
        entity = Theme(id=entity_id, name=name.strip(), colors=default_colors(project))
    else:
        raise ValueError(f"cannot create a new {folder!r} entity here")
    return SetValue((folder, entity_id), entity)


def default_colors(project: Project) -> dict[str, str]:
    """Every colour token: the project's default theme's where set, the built-in ones else."""
    base = project.themes.get(project.settings.theme or "")
    own = dict(base.colors or {}) if base is not None else {}
    return {key: str(own.get(key) or DEFAULTS[prop]) for key, prop in COLOR_TOKENS.items()}


def guides_using(project: Project, folder: str, entity_id: str) -> list[str]:
    """Ids of the guides that refer to a segment or theme (what deleting it breaks)."""
    return sorted({path[1] for path in references(project, folder, entity_id)
                   if path[0] == "guides" and path[1] != entity_id})


def duplicate(project: Project, folder: str, entity_id: str,
              taken: set[str] | None = None) -> tuple[SetValue, str]:
    """A copy with a fresh id; a guide copy starts as a draft so it never goes live by accident.

    ``taken`` holds ids already handed out in the same batch (duplicating several at once).
    """
    entity = copy.deepcopy(getattr(project, folder)[entity_id])
    entity.id = unique_id(f"{entity_id}-copy", {*getattr(project, folder), *(taken or ())})
    if taken is not None:
        taken.add(entity.id)
    entity.name = f"{entity.name} (copy)"
    if isinstance(entity, Guide) and entity.status != "archived":
        entity.status = "draft"
    return SetValue((folder, entity.id), entity), entity.id


def archive(project: Project, guide_ids: Iterable[str]) -> Edit:
    parts = tuple(SetValue(("guides", gid, "status"), "archived") for gid in guide_ids
                  if project.guides[gid].status != "archived")
    return parts[0] if len(parts) == 1 else Batch(parts)


def delete(folder: str, entity_ids: Iterable[str]) -> Edit:
    parts = tuple(SetValue((folder, eid), MISSING) for eid in entity_ids)
    return parts[0] if len(parts) == 1 else Batch(parts)


def references(project: Project, folder: str, entity_id: str) -> Iterator[tuple[Any, ...]]:
    """Paths of every field that names ``entity_id`` (buttons, audiences, themes)."""
    if folder == "themes" and project.settings.theme == entity_id:
        yield ("settings", "theme")
    for gid, guide in sorted(project.guides.items()):
        if folder == "themes" and guide.theme == entity_id:
            yield ("guides", gid, "theme")
        if folder == "segments" and guide.audience is not None:
            for i, seg in enumerate(guide.audience.segments):
                if seg == entity_id:
                    yield ("guides", gid, "audience", "segments", i)
        if folder == "guides":
            for vi, variant in enumerate(guide.variants):
                for si, step in enumerate(variant.steps):
                    for bi, button in enumerate(step.buttons):
                        if button.action == "guide" and button.guide == entity_id:
                            yield ("guides", gid, "variants", vi, "steps", si, "buttons", bi,
                                   "guide")


def rename(project: Project, folder: str, old_id: str, new_id: str) -> Batch:
    """Move the entity to its new id and point every reference at it, as one undo step.

    References inside the renamed entity itself are fixed in the copy that moves,
    since its old path no longer exists once it is removed.
    """
    entities = getattr(project, folder)
    moved = copy.deepcopy(entities[old_id])
    moved.id = new_id
    parts: list[Edit] = []
    for path in references(project, folder, old_id):
        if path[:2] == (folder, old_id):
            _set_in(moved, path[2:], new_id)
        else:
            parts.append(SetValue(path, new_id))
    parts += [SetValue((folder, old_id), MISSING), SetValue((folder, new_id), moved)]
    return Batch(tuple(parts))


def _set_in(root: Any, path: tuple[Any, ...], value: Any) -> None:
    node = root
    for part in path[:-1]:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    if isinstance(path[-1], int):
        node[path[-1]] = value
    else:
        setattr(node, path[-1], value)
