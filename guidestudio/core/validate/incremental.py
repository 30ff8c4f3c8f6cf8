"""Validation that keeps up with editing: redo only what an edit can have changed.

The editor revalidates after every pause in typing, on the GUI thread (the
model is edited there, so a validator on another thread would read it
mid-edit). A full pass over thousands of guides is too long to hold that
thread, and nearly all of it is wasted: an edit to one guide's title cannot
change what is wrong with the others. ``ProjectValidator`` therefore keeps each
guide's problems and redoes a guide only when it, or something it refers to,
changed; and it works in small units (one guide, one segment, one check across
guides) so a caller can give it a time budget and come back later.

What a guide's problems depend on, besides the guide itself:

* the segments, themes and guides it names (whether they exist, and the ids
  offered as "did you mean"), a named guide's status, and the named segments'
  conditions (never-true combinations, sample profiles);
* the project locales and time zone, the attribute catalogue, the project
  folder, which files failed to load (all compared at the start of every pass);
* the sample profiles (only the "matches no sample profile" warning);
* image files on disk (``invalidate(("assets",))`` rechecks guides with images).

The checks across guides (settings, unused segments, each segment, loops of
guides, experiment keys) are cheap and simply rerun on every pass: a few
milliseconds for thousands of guides. Problems come out in exactly the order
(and with exactly the contents) of a single full pass, which is how
``validate_project`` itself is now implemented.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from guidestudio.core import audience_checks
from guidestudio.core.files.project_io import PROJECT_FILE, ProjectFiles
from guidestudio.core.model import Guide, Project
from guidestudio.core.problems import Problem
from guidestudio.core.validate import check_guide
from guidestudio.core.validate.audiences import check_segment, named_segments, used_segments
from guidestudio.core.validate.catalogue import catalogue_signature
from guidestudio.core.validate.experiments import check_experiment_keys
from guidestudio.core.validate.links import button_targets, check_cycles, guide_edges
from guidestudio.core.validate.reporting import (
    Context,
    FieldPath,
    Reporter,
    guarded,
    internal_problem,
)
from guidestudio.core.validate.settings import check_settings
from guidestudio.core.validate.themes import check_themes

__all__ = ["ProjectValidator"]

log = logging.getLogger("guidestudio.core.validate")

# The parts of a guide's result, redone separately.
_RULES = 1  # the guide's own rules (validate._GUIDE_RULES)
_FINDINGS = 2  # audience conditions that can never be true
_PROFILE = 4  # matched by none of the sample profiles
_AUDIENCE = _FINDINGS | _PROFILE
_ALL = _RULES | _AUDIENCE
# Edits under ("guides", id, <field>) that the audience parts read.
_AUDIENCE_FIELDS = frozenset({"audience", "status", "id"})
_FOLDERS = ("guides", "segments", "themes")
# Units every pass has besides its guides and segments: settings, used segments,
# loops, experiment keys, putting the problems together.
_FIXED_UNITS = 5


@dataclass
class _GuideResult:
    """What is kept of one guide between passes."""

    rules: list[Problem] = field(default_factory=list)
    # ("segments"|"themes"|"guides", id) the guide names; None: unknown, so anything.
    refs: frozenset[tuple[str, Any]] | None = None
    images: bool = True
    targets: list[tuple[Any, FieldPath]] | BaseException = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # the segments its audience names
    findings: list[Problem] | BaseException | None = None  # None: archived, not checked
    profile: Problem | BaseException | None = None


def _references(guide: Guide, targets: list[tuple[Any, FieldPath]] | BaseException
                ) -> tuple[frozenset[tuple[str, Any]] | None, bool]:
    """The entities a guide names and whether it shows images; (None, True) if unsure.

    ``targets`` are its guide buttons' targets (``button_targets``).
    """
    try:
        if isinstance(targets, BaseException):
            raise targets
        refs: set[tuple[str, Any]] = {("guides", target) for target, _ in targets
                                      if isinstance(target, str)}
        audience = guide.audience
        if audience is not None:
            refs.update(("segments", s) for s in audience.segments)
        if guide.theme is not None:
            refs.add(("themes", guide.theme))
        images = any(step.image is not None for variant in guide.variants
                     for step in variant.steps)
        return frozenset(refs), images
    except Exception:  # an odd model (an unhashable id…): depend on everything
        return None, True


class ProjectValidator:
    """Keeps the problems of one loaded project up to date as it is edited.

    Tell it what changed (``invalidate`` with the model path of the edit, or
    ``invalidate_all``), then call ``run`` until it returns True; ``problems``
    is then exactly ``validate_project(project, files)``. ``files`` may be
    changed in place by the caller (a file reloaded from disk), who then
    invalidates what the file holds. Never raises.
    """

    def __init__(self, project: Project, files: ProjectFiles) -> None:
        self.project = project
        self.files = files
        self._results: dict[str, _GuideResult] = {}
        self._dirty: dict[Any, int] = {}  # guide id -> parts to redo
        self._touched: set[tuple[str, Any]] = set()  # entities whose content changed
        self._all = True  # everything starts dirty
        self._changed = True  # anything at all: a pass is due
        self._profiles_changed = True
        self._known: dict[str, frozenset[Any]] = {}  # ids per folder at the last pass
        self._environment: Any = None
        self._sample: audience_checks.ProfileSample | None = None
        self._sample_error: BaseException | None = None
        # The pass in progress.
        self._queue: list[Callable[[], None]] = []
        self._next = 0
        self._total = 0
        self._ctx: Context | None = None
        self._ctx_problems: list[Problem] = []
        self._settings: list[Problem] = []
        self._used: set[str] | None = None
        self._used_problems: list[Problem] = []
        self._segments: dict[str, list[Problem]] = {}
        self._segment_findings: dict[str, list[Problem] | BaseException] = {}
        self._cycles: list[Problem] = []
        self._experiment_keys: list[Problem] = []
        self._problems: list[Problem] = []

    # --- what changed ------------------------------------------------------------------

    def invalidate(self, path: tuple[Any, ...]) -> None:
        """Something at this model path changed (set, inserted, removed, moved, reloaded).

        ``("guides", id, …)`` redoes that guide (and, for its status, the guides
        whose buttons start it); a segment redoes the guides using it; profiles
        redo the profile warning of every guide; settings, themes and the set of
        guides or segments are compared at the start of the next pass;
        ``("assets", …)`` rechecks guides with images. Anything else redoes
        everything.
        """
        try:
            self._invalidate(tuple(path))
        except Exception:  # an unhashable path part…: never fail the editor
            log.exception("invalidating %r", path)
            self.invalidate_all()

    def _invalidate(self, path: tuple[Any, ...]) -> None:
        self._changed = True
        head = path[0] if path else None
        if head in ("guides", "segments") and len(path) == 1:
            self._all = True  # the whole mapping replaced
        elif head == "guides":
            guide_id = path[1]
            if len(path) >= 3 and path[2] not in _AUDIENCE_FIELDS:
                self._mark(guide_id, _RULES)
            else:
                self._mark(guide_id, _ALL)
                if len(path) == 2 or path[2] == "status":
                    self._touched.add(("guides", guide_id))  # buttons starting it: archived?
        elif head == "segments":
            self._touched.add(("segments", path[1]))
        elif head == "profiles":
            self._profiles_changed = True
            for guide_id in self.project.guides:
                self._mark(guide_id, _PROFILE)
        elif head == "assets":
            for guide_id, result in self._results.items():
                if result.images:
                    self._mark(guide_id, _RULES)
        elif head in ("settings", "themes"):
            pass  # settings rerun every pass; locales, zone and theme ids are compared
        else:
            self.invalidate_all()

    def invalidate_all(self) -> None:
        """Forget everything kept: the next pass checks the whole project."""
        self._all = True
        self._changed = True
        self._profiles_changed = True

    def _mark(self, guide_id: Any, parts: int) -> None:
        self._dirty[guide_id] = self._dirty.get(guide_id, 0) | parts

    # --- progress ----------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Units of work left before ``problems`` is up to date."""
        left = len(self._queue) - self._next
        if left or not self._changed:
            return left
        guides = len(self.project.guides) if self._all else len(self._dirty)
        return guides + len(self.project.segments) + _FIXED_UNITS

    @property
    def total(self) -> int:
        """Units of work in the current pass (or, between passes, in the coming one)."""
        if self._next < len(self._queue) or not self._changed:
            return self._total
        return self.pending

    # --- working -----------------------------------------------------------------------

    def run(self, budget: float | None = None) -> bool:
        """Work until up to date (True) or until ``budget`` seconds are spent (False).

        Every call makes progress (one unit at least), so repeated calls
        finish; the budget is exceeded by at most the unit in progress. Never
        raises.
        """
        deadline = None if budget is None else time.perf_counter() + budget
        while True:
            if self._next < len(self._queue):
                unit = self._queue[self._next]
                self._next += 1
                self._safely(unit, "one part of the project")
            elif self._changed:
                self._safely(self._begin_pass, "the start of a pass")
            else:
                return True
            if deadline is not None and time.perf_counter() >= deadline:
                return self._next >= len(self._queue) and not self._changed

    def problems(self) -> list[Problem]:
        """The problems of the last complete pass: once ``run`` has returned True,
        exactly ``validate_project(project, files)`` (same Problems, same order)."""
        return list(self._problems)

    def _safely(self, unit: Callable[[], None], what: str) -> None:
        """Run one unit; a bug in this bookkeeping must not take the editor down."""
        try:
            unit()
        except Exception as exc:
            log.exception("validation of %s failed", what)
            # Say so, and start from scratch on the next change rather than loop on the bug.
            self._queue, self._next = [], 0
            self._problems = [*self._problems, internal_problem(PROJECT_FILE, what, exc)]
            self.invalidate_all()
            self._changed = False

    # --- one pass ----------------------------------------------------------------------

    def _begin_pass(self) -> None:
        """Decide what this pass redoes, and queue it."""
        project, files = self.project, self.files
        self._changed = False
        self._queue, self._next = [], 0
        self._ctx_problems = []
        self._ctx = guarded(self._ctx_problems, PROJECT_FILE, "the project",
                            partial(Context.build, project, files))
        if self._ctx is None:  # nothing else can be checked; redo it all once it can
            self._all = True
            self._queue = [self._finish]
            self._total = 1
            return
        segments_changed = self._expand()
        if self._profiles_changed:
            self._profiles_changed = False
            self._sample, self._sample_error = None, None
            if project.profiles:
                try:
                    self._sample = audience_checks.ProfileSample(project.profiles)
                except Exception as exc:
                    log.exception("validation of %s failed", "audience sizes")
                    self._sample_error = exc
        elif segments_changed and self._sample is not None:
            self._sample.forget_segments()  # their event names
        self._segments, self._segment_findings = {}, {}
        dirty, self._dirty = self._dirty, {}
        queue: list[Callable[[], None]] = [self._check_settings]
        queue.extend(partial(self._check_guide, guide_id, dirty[guide_id])
                     for guide_id in sorted(dirty, key=str))
        queue.append(self._check_used)
        queue.extend(partial(self._check_segment, segment_id)
                     for segment_id in sorted(project.segments))
        queue.extend((self._check_cycles, self._check_experiment_keys, self._finish))
        self._queue = queue
        self._total = len(queue)

    def _expand(self) -> bool:
        """Turn what was invalidated, and what differs since the last pass, into
        the parts of guides to redo (``self._dirty``). True if segments changed."""
        project, ctx = self.project, self._ctx
        assert ctx is not None
        environment = (ctx.locales, project.timezone, ctx.root_real,
                       tuple(sorted((k, tuple(sorted(v))) for k, v in ctx.broken_ids.items())),
                       catalogue_signature(project.settings.attributes))
        known = {folder: frozenset(getattr(project, folder)) for folder in _FOLDERS}
        changed = {folder: known[folder] ^ self._known.get(folder, frozenset())
                   for folder in _FOLDERS}
        touched = self._touched | {(folder, entity) for folder, ids in changed.items()
                                   for entity in ids}
        segments_changed = any(folder == "segments" for folder, _ in touched)
        for gone in self._results.keys() - known["guides"]:
            del self._results[gone]
        if self._all or environment != self._environment:
            self._all = False
            self._environment = environment
            self._dirty = dict.fromkeys(project.guides, _ALL)
            segments_changed = True
        else:
            for guide_id in known["guides"] - self._results.keys():
                self._mark(guide_id, _ALL)  # new
            if touched:
                # Guides naming what changed; and, where a folder gained or lost an id,
                # guides naming one that is missing (their "did you mean" changes).
                for guide_id, result in self._results.items():
                    refs = result.refs
                    if refs is None or not refs.isdisjoint(touched) or any(
                            changed[folder] and entity not in known[folder]
                            for folder, entity in refs):
                        self._mark(guide_id, _ALL)
        self._touched = set()
        self._known = known
        return segments_changed

    # --- the units ---------------------------------------------------------------------

    def _check_settings(self) -> None:
        ctx = self._ctx
        assert ctx is not None
        self._settings = []
        if PROJECT_FILE not in self.files.broken:
            guarded(self._settings, PROJECT_FILE, "guidestudio.yaml",
                    partial(check_settings, ctx, Reporter(self.files, PROJECT_FILE,
                                                           self._settings)))
        # themes are few and cheap to check: with the settings, every pass
        guarded(self._settings, PROJECT_FILE, "themes", partial(check_themes, ctx, self._settings))

    def _check_guide(self, guide_id: str, parts: int) -> None:
        project, files, ctx = self.project, self.files, self._ctx
        assert ctx is not None
        guide = project.guides.get(guide_id)
        if guide is None:  # removed since it was marked
            self._results.pop(guide_id, None)
            return
        result = self._results.get(guide_id)
        if result is None:
            result = self._results[guide_id] = _GuideResult()
            parts = _ALL
        if parts & _RULES:
            result.rules = []
            check_guide(ctx, guide_id, result.rules)
            try:
                result.targets = button_targets(guide)
            except Exception as exc:  # reported by the loop check, as a full pass would
                result.targets = exc
            result.refs, result.images = _references(guide, result.targets)
            try:
                result.segments = named_segments(guide)
            except Exception:  # the check of used segments meets it again, and reports it
                result.segments = []
                result.refs = None
        archived = guide.status == "archived"
        if parts & _FINDINGS:
            result.findings = None
            if not archived:
                try:
                    result.findings = audience_checks.guide_findings(project, guide, files)
                except Exception as exc:
                    log.exception("validation of %s failed", "audience sizes")
                    result.findings = exc
        if parts & _AUDIENCE:
            result.profile = None
            sample = self._sample
            if sample is not None and not archived and result.findings == []:
                try:
                    result.profile = sample.guide_problem(project, files, guide_id, guide)
                except Exception as exc:
                    log.exception("validation of %s failed", "audience sizes")
                    result.profile = exc

    def _check_used(self) -> None:
        ctx = self._ctx
        assert ctx is not None
        self._used_problems = []
        self._used = guarded(self._used_problems, PROJECT_FILE, "which segments are used",
                             partial(used_segments, ctx, self._named))

    def _check_segment(self, segment_id: str) -> None:
        project, files, ctx = self.project, self.files, self._ctx
        assert ctx is not None
        if segment_id not in project.segments:
            return
        file = files.file_of("segments", segment_id)
        out: list[Problem] = []
        guarded(out, file, f"segment {segment_id!r}",
                partial(check_segment, ctx, segment_id, Reporter(files, file, out),
                         self._used))
        self._segments[segment_id] = out
        try:
            self._segment_findings[segment_id] = audience_checks.segment_findings(
                project, files, segment_id)
        except Exception as exc:
            log.exception("validation of %s failed", "audience sizes")
            self._segment_findings[segment_id] = exc

    def _named(self, guide_id: str, guide: Guide) -> list[str]:
        result = self._results.get(guide_id)
        if result is None or result.refs is None:  # new, or odd: ask the guide itself
            return named_segments(guide)
        return result.segments

    def _targets(self, guide_id: str, guide: Guide) -> list[tuple[Any, FieldPath]]:
        result = self._results.get(guide_id)
        if result is None:  # added while this pass ran: the next pass has it
            return button_targets(guide)
        if isinstance(result.targets, BaseException):
            raise result.targets
        return result.targets

    def _check_cycles(self) -> None:
        ctx = self._ctx
        assert ctx is not None
        self._cycles = []
        guarded(self._cycles, PROJECT_FILE, "links between guides",
                lambda: check_cycles(ctx, self._cycles,
                                      guide_edges(self.project, self._targets)))

    def _check_experiment_keys(self) -> None:
        ctx = self._ctx
        assert ctx is not None
        self._experiment_keys = []
        guarded(self._experiment_keys, PROJECT_FILE, "experiment keys",
                partial(check_experiment_keys, ctx, self._experiment_keys))

    def _finish(self) -> None:
        """Put the pass's problems together, in the order of a full pass."""
        if self._changed:
            return  # edited meanwhile: the next pass publishes
        if self._ctx is None:
            self._problems = list(self._ctx_problems)
            return
        project = self.project
        guide_ids = sorted(project.guides)
        segment_ids = sorted(project.segments)
        late = [guide_id for guide_id in guide_ids if guide_id not in self._results]
        if late or any(s not in self._segment_findings for s in segment_ids):
            # Added without an invalidate: check them, then publish.
            for guide_id in late:
                self._mark(guide_id, _ALL)
            self._changed = True
            return
        out = [*self._settings, *self._used_problems]
        for segment_id in segment_ids:
            out.extend(self._segments[segment_id])
        results = [self._results[guide_id] for guide_id in guide_ids]
        for result in results:
            out.extend(result.rules)
        out.extend(self._cycles)
        out.extend(self._experiment_keys)
        audience, error = self._audience(segment_ids, results)
        out.extend(audience if error is None else
                   [internal_problem(PROJECT_FILE, "audience sizes", error)])
        self._problems = out

    def _audience(self, segment_ids: Iterable[str], results: list[_GuideResult]
                  ) -> tuple[list[Problem], BaseException | None]:
        """``audience_checks.audience_problems`` from the kept parts, or the first error
        it would have stopped at (the whole group is then one internal Problem)."""
        out: list[Problem] = []
        for segment_id in segment_ids:
            found = self._segment_findings[segment_id]
            if isinstance(found, BaseException):
                return out, found
            out.extend(found)
        for result in results:
            if isinstance(result.findings, BaseException):
                return out, result.findings
            out.extend(result.findings or ())
        if self.project.profiles:
            if self._sample_error is not None:
                return out, self._sample_error
            for result in results:
                if isinstance(result.profile, BaseException):
                    return out, result.profile
                if result.profile is not None:
                    out.append(result.profile)
        return out, None
