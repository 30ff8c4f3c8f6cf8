"""What is left to translate: per language, the texts missing, needing review and done.

The counts the CLI's ``l10n status`` prints and the languages window marks
read the same states (``units.state_of``), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from guidestudio.core.l10n.units import Unit, project_units, state_of, target_locales
from guidestudio.core.model import Project


@dataclass
class LocaleStatus:
    locale: str
    missing: list[Unit] = field(default_factory=list)
    needs_review: list[Unit] = field(default_factory=list)
    done: list[Unit] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.needs_review)


def project_status(project: Project, locales: Sequence[str] | None = None) -> list[LocaleStatus]:
    """Every target language's state (``locales``: only those), texts in export order."""
    wanted = list(locales) if locales else target_locales(project)
    out = {locale: LocaleStatus(locale) for locale in wanted}
    for unit in project_units(project):
        guide = project.guides[unit.guide_id]
        for locale, status in out.items():
            state = state_of(unit, guide, locale)
            getattr(status, state).append(unit)
    return list(out.values())
