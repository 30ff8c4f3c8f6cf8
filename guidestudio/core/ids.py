"""Fresh ids for things a user adds or duplicates: ``base``, ``base-2``, ``base-3``…

One rule everywhere (guides, steps, checklist items, variants), so ids stay
inside the schema's length limit however many copies are made.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

ID_MAX = 64  # the schema's limit for guide, segment, step and item ids


def unique_id(base: str, taken: Container[str], limit: int = ID_MAX) -> str:
    """``base`` if free, else the first free ``base-N``, never longer than ``limit``."""
    base = base[:limit].rstrip("-_") or "item"
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: limit - len(suffix)].rstrip("-_") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def id_from_name(name: str, fallback: str = "item", limit: int = ID_MAX) -> str:
    """The id a new segment or theme called ``name`` gets: "Free plan (EU)" → "free-plan-eu".

    Ids are file names and what guides refer to, so they stay lower-case ASCII;
    accents are dropped rather than the letter ("Café" → "cafe"). A name with no
    usable letters (all Japanese, say) gives ``fallback``.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return base[:limit].rstrip("-_") or fallback
