"""A returned XLIFF file checked against the project and planned as one edit.

``plan_import`` changes nothing: it reads the file (``xliff_read``), checks it
whole, and returns an ``ImportPlan`` — the texts that would change, one
``edits.Batch`` that makes them, and the problems. Any problem (wrong
language, an id the project does not have, a code missing, added twice or
not in the English, formatting that renders differently, a source that has
changed since the export) makes the plan empty: a file is taken whole or not
at all. The editor pushes the batch as one undo step; the CLI applies it and
saves once, in one transaction.

What an import records besides the texts: ``Guide.translated_from[locale]``
gets the source hash of each text it wrote (a hash for a text that did not
change is written only when it replaces another, i.e. when a translation
that needed review comes back reviewed), and the language joins the
project's languages when it is new.
"""

from __future__ import annotations

import mmap
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guidestudio.core import edits
from guidestudio.core.l10n import inline
from guidestudio.core.l10n.units import Unit, project_units
from guidestudio.core.l10n.xliff_read import (
    FileUnit,
    TargetCode,
    TargetNode,
    XliffFile,
    read_xliff,
)
from guidestudio.core.model import Guide, Project
from guidestudio.core.problems import Problem

LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_TEXT = 5000  # the schema's maxLength of a localized text
#: How many of the file's units are checked between two ``progress`` calls.
PROGRESS_EVERY = 500

#: ``progress(units checked, units in the file)``; it may raise to stop the planning.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TextChange:
    """One text the import writes: where, what it was and what it becomes."""

    unit: Unit
    before: str
    after: str

    @property
    def kind(self) -> str:
        """"new", "changed", or "reviewed" (same words, now made from the current English)."""
        if not self.before.strip():
            return "new"
        return "reviewed" if self.before == self.after else "changed"


@dataclass
class ImportPlan:
    file: str
    locale: str = ""
    version: str = ""
    changes: list[TextChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Units in the file with no target (or still marked for review): left as they are.
    untranslated: int = 0
    #: Units whose translation is already what the project has.
    unchanged: int = 0
    adds_locale: bool = False
    edit: edits.Batch = field(default_factory=edits.Batch)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def guides(self) -> dict[str, list[TextChange]]:
        out: dict[str, list[TextChange]] = {}
        for change in self.changes:
            out.setdefault(change.unit.guide_id, []).append(change)
        return out


def _describe(code: inline.Code) -> str:
    name = {"bold": "bold", "italic": "italic", "link": "link", "fallback": "placeholder",
            "placeholder": "placeholder", "code": "code", "autolink": "link",
            "break": "line break", "line": "new line", "paragraph": "paragraph break",
            "list": "list bullet"}[code.kind]
    shown = code.start.strip() + ("…" + code.end.strip() if code.end is not None else "")
    return f"code {code.id} ({name} {shown})" if shown else f"code {code.id} ({name})"


class _CodeError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def rebuild(unit: Unit, target: list[TargetNode]) -> str:
    """The Markdown of a translation: the translator's words, each code's Markdown taken from
    the current source. Raises ``_CodeError`` for codes missing, unknown, doubled or of the
    wrong kind."""
    source = inline.segment(unit.source, block=unit.multiline, links=unit.links)
    by_id = {code.id: code for code in inline.codes(source)}
    seen: set[str] = set()

    def build(nodes: list[TargetNode], inside: inline.Code | None) -> str:
        parts: list[str] = []
        for node in nodes:
            if isinstance(node, str):
                if inside is not None and inside.kind == "fallback" and re.search(r"[{}\n]",
                                                                                    node):
                    raise _CodeError(None, f"the words inside {_describe(inside)} may not hold "
                                           "{, } or a new line")
                parts.append(node)
                continue
            code = by_id.get(node.id)
            if code is None:
                raise _CodeError(node.line, f"code {node.id!r} is not in the English text "
                                            f"(it has {_ids(by_id)})")
            if node.id in seen:
                raise _CodeError(node.line, f"{_describe(code)} appears twice; each code of "
                                            "the English appears once")
            seen.add(node.id)
            if code.paired != node.paired:
                want = "encloses words (<pc>/<g>)" if code.paired else "stands alone (<ph>/<x>)"
                raise _CodeError(node.line, f"{_describe(code)} {want}")
            if inside is not None and inside.kind == "fallback":
                raise _CodeError(node.line, f"{_describe(code)} is inside {_describe(inside)}: "
                                            "a placeholder's words hold no codes")
            if not code.paired:
                parts.append(code.start)
                continue
            words = build(node.children, code)
            if code.kind in ("bold", "italic"):
                # "** bold**" would not be bold: spaces inside the marks move outside.
                lead = words[: len(words) - len(words.lstrip())]
                trail = words[len(words.rstrip()):]
                core = words.strip()
                parts.append(f"{lead}{code.start}{core}{code.end}{trail}" if core else words)
            else:
                parts.append(f"{code.start}{words}{code.end}")
        return "".join(parts)

    text = build(target, None)
    missing = [by_id[i] for i in by_id if i not in seen]
    if missing:
        raise _CodeError(None, "missing " + ", ".join(_describe(c) for c in missing)
                         + ": every code of the English must stay (it may move)")
    return text


def _ids(by_id: dict[str, inline.Code]) -> str:
    return ", ".join(by_id) if by_id else "no codes"


def _formatting_problem(unit: Unit, text: str) -> str | None:
    want = inline.formatting(unit.source, block=unit.multiline, links=unit.links)
    got = inline.formatting(text, block=unit.multiline, links=unit.links)
    if want == got:
        return None
    diffs = []
    for key in sorted(set(want) | set(got)):
        if want[key] != got[key]:
            diffs.append(f"{key}: {got[key]} (the English has {want[key]})")
    return ("the translation renders with other formatting than the English — "
            + "; ".join(diffs) + ". Keep the codes, and no Markdown (*, _, [, `) in the words")


def plan_import(project: Project, data: bytes, file_name: str,
                progress: Progress | None = None) -> ImportPlan:
    """Everything the file would change, or the problems that stop it (see the docstring)."""
    return plan_file(project, read_xliff(data, file_name), file_name, progress)


def plan_file(project: Project, doc: XliffFile, file_name: str,
              progress: Progress | None = None) -> ImportPlan:
    """``plan_import`` of a file already read: planning again against a project that changed
    meanwhile (the editor does) need not read the file again, which is half the work.

    ``progress`` hears how far the check is every ``PROGRESS_EVERY`` units; an exception it
    raises (a cancel) ends the planning and propagates, with the project untouched."""
    plan = ImportPlan(file_name)
    plan.version = doc.version
    if doc.problems:
        plan.problems = doc.problems
        return plan

    def problem(line: int | None, where: str, message: str) -> None:
        plan.problems.append(Problem(file_name, line, where, message, code="l10n-import"))

    default = project.settings.default_locale
    locale = doc.target_locale or ""
    plan.locale = locale
    if doc.source_locale != default:
        problem(1, "", f"the file translates from {doc.source_locale or 'an unnamed language'}"
                       f", but this project's texts are written in {default}: wrong file?")
    if not locale:
        problem(1, "", "the file names no target language (trgLang / target-language)")
    elif not LOCALE.match(locale):
        problem(1, "", f"the target language {locale!r} is not a language code like de or pt-BR")
    elif locale == default:
        problem(1, "", f"the target language is {locale}, the language the texts are "
                       "written in")
    if plan.problems:
        return plan

    units = {unit.id: unit for unit in project_units(project)}
    seen: dict[str, int | None] = {}
    writes: list[tuple[Unit, str]] = []
    total = len(doc.units)
    for done, file_unit in enumerate(doc.units):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        unit = units.get(file_unit.id)
        if file_unit.id in seen:
            problem(file_unit.line, file_unit.id, f"this unit is in the file twice (first on "
                                                  f"line {seen[file_unit.id]})")
            continue
        seen[file_unit.id] = file_unit.line
        if unit is None:
            problem(file_unit.line, file_unit.id, "no such text in this project (a guide, step "
                    "or text removed or renamed since the export?)")
            continue
        if file_unit.source_hash is None:
            problem(file_unit.line, file_unit.id, "the unit has no source hash (Guide Studio "
                    "writes one; was it made by another tool?)")
            continue
        if file_unit.source_hash != unit.hash:
            problem(file_unit.line, file_unit.id, f"the English text changed since the export "
                    f"(now: {_short(unit.source)!r}); export again and translate the new text")
            continue
        if file_unit.target is None or file_unit.unreviewed:
            plan.untranslated += 1
            continue
        text = _text_of(plan, unit, file_unit)
        if text is not None:
            writes.append((unit, text))
    if not plan.ok:
        return plan
    _plan_edits(project, plan, locale, writes)
    if progress is not None:
        progress(total, total)
    return plan


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _text_of(plan: ImportPlan, unit: Unit, file_unit: FileUnit) -> str | None:
    def problem(line: int | None, message: str) -> None:
        plan.problems.append(Problem(plan.file, line or file_unit.line, unit.id, message,
                                     code="l10n-import"))

    assert file_unit.target is not None
    try:
        text = rebuild(unit, file_unit.target)
    except _CodeError as exc:
        problem(exc.line, exc.message)
        return None
    if len(text) > MAX_TEXT:
        problem(None, f"the translation is {len(text)} characters; a text holds at most "
                      f"{MAX_TEXT}")
        return None
    if not unit.multiline and "\n" in text.strip():
        problem(None, "the translation has a new line; this text is one line")
        return None
    wrong = _formatting_problem(unit, text)
    if wrong:
        problem(_first_line(file_unit.target) or None, wrong)
        return None
    return text


def _first_line(nodes: list[TargetNode]) -> int | None:
    for node in nodes:
        if isinstance(node, TargetCode):
            return node.line
    return None


def _plan_edits(project: Project, plan: ImportPlan, locale: str,
                writes: list[tuple[Unit, str]]) -> None:
    parts: list[Any] = []
    records: dict[str, dict[str, str]] = {}
    for unit, text in writes:
        guide: Guide = project.guides[unit.guide_id]
        before = unit.text(locale)
        recorded = ((guide.translated_from or {}).get(locale) or {}).get(unit.key)
        if text == before and recorded in (None, unit.hash):
            plan.unchanged += 1
            continue
        plan.changes.append(TextChange(unit, before, text))
        if text != before:
            parts.append(edits.SetValue(("guides", unit.guide_id, *unit.path, locale), text))
        guide_records = records.setdefault(unit.guide_id, {})
        guide_records[unit.key] = unit.hash
    for guide_id, new in records.items():
        guide = project.guides[guide_id]
        current = {loc: dict(keys) for loc, keys in (guide.translated_from or {}).items()}
        mine = current.setdefault(locale, {})
        mine.update(new)
        current[locale] = dict(sorted(mine.items()))
        parts.append(edits.SetValue(("guides", guide_id, "translated_from"),
                                    dict(sorted(current.items()))))
    settings = project.settings
    if parts and locale not in settings.locales:
        plan.adds_locale = True
        parts.append(edits.SetValue(("settings", "locales"), [*settings.locales, locale]))
    plan.edit = edits.Batch(tuple(parts))


def read_file(path: str) -> XliffFile:
    """The file at ``path`` read as XLIFF (an unreadable file is one problem).

    The file is mapped, not read into one ``bytes``: freeing a 100 MB buffer
    that a worker thread allocated took glibc a quarter of a second, holding
    the GIL (the editor's window stalled); unmapping costs nothing, and lxml
    parses the mapping in place."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return read_xliff(b"", path)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return read_xliff(data, path)
    except (OSError, ValueError) as exc:
        out = XliffFile()
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        out.problems.append(Problem(path, None, "", f"cannot read the file: {message}",
                                    code="l10n-file"))
        return out


def import_file_plan(project: Project, path: str) -> ImportPlan:
    """``plan_import`` of the file at ``path`` (an unreadable file is one problem)."""
    return plan_file(project, read_file(path), path)
