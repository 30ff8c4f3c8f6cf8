"""What changed between two bundles, for release review.

Release engineers review a bundle diff the way they review a code diff: which
guides appear, disappear or change, and in which fields. Field paths use variant
keys and step ids rather than list positions, so reordering is visible as such
and a text change names the locale it touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class GuideChange:
    guide_id: str
    fields: list[str] = field(default_factory=list)


@dataclass
class BundleDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[GuideChange] = field(default_factory=list)
    top_level: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.top_level)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": {c.guide_id: c.fields for c in self.changed},
            "top_level": self.top_level,
        }

    def format(self) -> str:
        if self.same:
            return "bundles are identical in content"
        lines = []
        for name in self.top_level:
            lines.append(f"~ {name}")
        for gid in self.added:
            lines.append(f"+ {gid}")
        for gid in self.removed:
            lines.append(f"- {gid}")
        for change in self.changed:
            lines.append(f"~ {change.guide_id}")
            lines.extend(f"    {f}" for f in change.fields)
        lines.append(
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"
        )
        return "\n".join(lines)


def _keyed(items: list[Any], key: str) -> dict[str, Any] | None:
    """Lists of objects with unique keys compare by key, not by position."""
    if not items or not all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
        return None
    keys = [i[key] for i in items]
    if len(set(keys)) != len(keys):
        return None
    return {i[key]: i for i in items}


def _walk_entries(a: dict[Any, Any], b: dict[Any, Any], keys: list[Any],
                  name: Callable[[Any], str], out: list[str]) -> None:
    """Entries by key: added, removed, or compared further."""
    for k in keys:
        if k not in a:
            out.append(f"{name(k)} (added)")
        elif k not in b:
            out.append(f"{name(k)} (removed)")
        else:
            _walk(a[k], b[k], name(k), out)


def _walk(a: Any, b: Any, path: str, out: list[str]) -> None:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        _walk_entries(a, b, sorted(set(a) | set(b)),
                      lambda k: f"{path}.{k}" if path else str(k), out)
        return
    if isinstance(a, list) and isinstance(b, list):
        for key in ("key", "id"):
            ka, kb = _keyed(a, key), _keyed(b, key)
            if ka is not None and kb is not None:
                if list(ka) != list(kb) and set(ka) == set(kb):
                    out.append(f"{path} (reordered)")
                _walk_entries(ka, kb, [*ka, *(k for k in kb if k not in ka)],
                              lambda k: f"{path}[{k}]", out)
                return
        if len(a) != len(b):
            out.append(f"{path} ({len(a)} → {len(b)} entries)")
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, f"{path}[{i}]", out)
        return
    out.append(path)


def diff_bundles(old: dict[str, Any], new: dict[str, Any]) -> BundleDiff:
    result = BundleDiff()
    ignore = {"guides", "checksum", "generated_at"}
    for key in sorted((set(old) | set(new)) - ignore):
        if old.get(key) != new.get(key):
            result.top_level.append(key)
    old_guides = {g["id"]: g for g in old.get("guides", []) if isinstance(g, dict) and "id" in g}
    new_guides = {g["id"]: g for g in new.get("guides", []) if isinstance(g, dict) and "id" in g}
    result.added = sorted(set(new_guides) - set(old_guides))
    result.removed = sorted(set(old_guides) - set(new_guides))
    for gid in sorted(set(old_guides) & set(new_guides)):
        fields: list[str] = []
        _walk(old_guides[gid], new_guides[gid], "", fields)
        if fields:
            result.changed.append(GuideChange(gid, fields))
    return result
