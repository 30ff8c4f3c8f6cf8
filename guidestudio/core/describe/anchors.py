"""A step's element missing from the host page, in words: what is missing, where, what happens.

"Step “Advanced search”: element #advanced-serch is not on demo-app.html — the
step is skipped, so the guide shows nothing. Did you mean #advanced-search?"
The consequence follows the step's own setting, as the runtime applies it
(docs/runtime.md): ``skip`` leaves the step out, ``wait`` watches the page for
``wait_seconds`` and then leaves it out, ``modal`` shows the step in the middle
of the screen instead. The same consequence ends the preview's verdict
(``verdict.decision_text``), so Problems and the verdict say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from guidestudio.core.catalogue import humanize
from guidestudio.core.model import Project
from guidestudio.core.page_anchors import MissingAnchor
from guidestudio.core.problems import FieldHint, Problem

#: ``Problem.code`` of an anchor the host page lacks (found by the canvas, not the validator).
CODE = "anchor-not-on-page"
_NAME_CHARS = 40


def page_name(url: str) -> str:
    """The host page as a marketer knows it: a local file by its name, a site by its address."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        name = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        return name or url
    return url


def _fmt_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


def consequence(missing: MissingAnchor, whole_guide: bool = True) -> str:
    """What the runtime does about it: "the step is skipped", "… shown as a modal instead";
    with ``whole_guide``, also when that leaves nothing of the guide to show."""
    at = missing.at
    if at.if_missing == "modal":
        return "the step is shown as a modal instead"
    if at.if_missing == "wait":
        text = f"the step waits up to {_fmt_seconds(at.waits)} for it, then is skipped"
    else:
        text = "the step is skipped"
    nothing = whole_guide and missing.nothing_shows
    return text + (", so the guide shows nothing" if nothing else "")


def step_name(project: Project, guide_id: str, missing: MissingAnchor) -> str:
    """"Step 2 “Share”" (the number only when the variant has several steps): its analytics
    name in words, else its title."""
    at = missing.at
    guide = project.guides.get(guide_id)
    name = ""
    try:
        step = guide.variants[at.variant].steps[at.step] if guide is not None else None
    except IndexError:
        step = None
    if step is not None and step.id:
        name = humanize(step.id)
    elif step is not None and step.title:
        text = step.title.get(project.settings.default_locale) or next(
            (t for t in step.title.values() if t), "")
        name = " ".join(text.replace("*", "").split())
    if len(name) > _NAME_CHARS:
        name = name[:_NAME_CHARS - 1].rstrip() + "…"
    number = f" {at.step + 1}" if at.steps > 1 else ""
    return f"Step{number} “{name}”" if name else f"Step {at.step + 1}"


def where(missing: MissingAnchor, page: str) -> str:
    """"is not on demo-app.html", or, for an element in a view the page does not show now,
    "is on demo-app.html but not shown there now"."""
    if missing.hidden:
        return f"is on {page} but not shown there now (it may be in another view of the page)"
    return f"is not on {page}"


def missing_message(project: Project, guide_id: str, missing: MissingAnchor, page: str,
                    fixes: Sequence[str] = ()) -> str:
    """The Problems row's message for one step."""
    text = (f"{step_name(project, guide_id, missing)}: element {missing.at.selector} "
            f"{where(missing, page)} — {consequence(missing)}.")
    if fixes:
        text += f" Did you mean {fixes[0]}?"
    return text


def field_note(missing: MissingAnchor, page: str) -> str:
    """The sentence under the Element field: "Not on demo-app.html — the step is skipped."."""
    if missing.hidden:
        state = f"On {page} but not shown there now"
    else:
        state = f"Not on {page}"
    return f"{state} — {consequence(missing)}."


def anchor_problems(project: Project, guide_id: str, file: str, url: str,
                    missing: Sequence[MissingAnchor],
                    fixes: Mapping[str, Sequence[str]] | None = None,
                    locate: Callable[[tuple[object, ...]], int | None] | None = None,
                    ) -> list[tuple[Problem, FieldHint]]:
    """One warning per step, on its Element field, with what its form shows under the field.

    Warnings, not errors: the guide is valid, and another page of the product
    may well have the element; the exporter (which sees no page) ships it.
    ``fixes`` maps a selector to its suggestions; ``locate`` finds the line of
    a field path in ``file`` (for the tooltip of a Problems row).
    """
    page = page_name(url)
    out: list[tuple[Problem, FieldHint]] = []
    for item in missing:
        offered = () if item.hidden else tuple((fixes or {}).get(item.at.selector, ()))
        line = locate(item.at.path) if locate is not None else None
        message = missing_message(project, guide_id, item, page, offered)
        out.append((Problem(file, line, item.at.field, message, "warning", CODE),
                    FieldHint(field_note(item, page), offered)))
    return out


def verdict_clause(missing: Sequence[MissingAnchor]) -> str:
    """What the verdict adds: "step 2's element #x is not on this page, so the step is
    skipped" ("its element" for a one-step guide), several joined with "; "."""
    parts = []
    for item in missing:
        at = item.at
        whose = f"step {at.step + 1}'s element" if at.steps > 1 else "its element"
        state = "is on this page but not shown now" if item.hidden else "is not on this page"
        parts.append(f"{whose} {at.selector} {state}, so {consequence(item, False)}")
    return "; ".join(parts)


__all__ = ["CODE", "anchor_problems", "consequence", "field_note", "missing_message", "page_name",
           "step_name", "verdict_clause", "where"]
