"""Semantic validation: what is wrong with a project that the JSON Schema cannot see.

The schema checks each file alone (types, required fields, allowed values). It
cannot know that a guide names a segment that does not exist, that a schedule
ends before it starts, that a selector would make ``querySelector`` throw in the
product, or that a link would run JavaScript. Those are checked here, on the
loaded model, and reported as Problems pointing at the file, line and dotted
field the author has to change, with a message that says what is wrong *and*
what to do about it.

Rules never raise: each group of rules runs, per guide, inside a guard, so a
bug in one rule becomes one ``internal`` Problem naming the guide (and is
logged) while every other check still runs. Anything expensive (selectors,
regular expressions, time zones, image paths, Markdown) is cached, so a project
of thousands of guides validates in well under a second.

The rules live in one module per subject (``settings``, ``audiences``,
``experiments``, ``timing``, ``steps``, ``media``, ``texts``, ``links``), on
shared ``reporting`` and cached ``values``; ``incremental`` runs them in a
stable order, and keeps their results up to date while a project is edited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from guidestudio.core.files.project_io import ProjectFiles
from guidestudio.core.model import Guide, Project
from guidestudio.core.problems import Problem
from guidestudio.core.validate.audiences import check_references
from guidestudio.core.validate.experiments import check_experiment
from guidestudio.core.validate.reporting import Context, Reporter, guarded
from guidestudio.core.validate.steps import check_steps
from guidestudio.core.validate.texts import check_texts
from guidestudio.core.validate.timing import check_frequency, check_schedule, check_trigger
from guidestudio.core.validate.values import selector_error

__all__ = ["selector_error", "validate_project"]

# Each group runs under its own guard, so a bug in one loses only that group's findings.
# The lambdas look their rule up here at call time, so a test can patch it on this module.
_GUIDE_RULES: tuple[tuple[str, Callable[[Context, Guide, Reporter], None]], ...] = (
    ("references and audience", check_references),
    ("experiment and variants", lambda ctx, guide, r: check_experiment(guide, r)),
    ("schedule", check_schedule),
    ("trigger", lambda ctx, guide, r: check_trigger(guide, r)),
    ("frequency", check_frequency),
    ("steps", check_steps),
    ("texts", check_texts),
)


def check_guide(ctx: Context, guide_id: str, out: list[Problem]) -> None:
    guide = ctx.project.guides[guide_id]
    file = ctx.files.file_of("guides", guide_id)
    r = Reporter(ctx.files, file, out)
    for what, rule in _GUIDE_RULES:
        guarded(out, file, f"guide {guide_id!r} ({what})", partial(rule, ctx, guide, r))


def validate_project(project: Project, files: ProjectFiles | None = None) -> list[Problem]:
    """Every semantic problem of a loaded project, in a stable order. Never raises.

    Problems come settings first, then segments and guides by id, then the
    checks across guides, so the same project always gives the same list.
    One full pass of the editor's incremental validator (``incremental``), so
    the editor and the command line can never disagree.
    """
    # Imported here: the incremental validator runs this package's rules.
    from guidestudio.core.validate.incremental import ProjectValidator

    validator = ProjectValidator(project, files if files is not None else ProjectFiles())
    validator.run()
    return validator.problems()
