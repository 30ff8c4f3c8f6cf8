"""Rules for a guide's steps: anchors, layouts, surveys, checklists, buttons."""

from __future__ import annotations

from guidestudio.core.model import Guide, Step
from guidestudio.core.validate.links import check_guide_ref
from guidestudio.core.validate.media import check_image
from guidestudio.core.validate.reporting import Context, FieldPath, Reporter
from guidestudio.core.validate.texts import check_url
from guidestudio.core.validate.values import selector_error

ANCHORED_KINDS = ("tooltip", "hotspot")
FINISH_ACTIONS = ("complete", "dismiss")



def _check_buttons(ctx: Context, guide: Guide, step: Step, base: FieldPath, *,
                   first: bool, last: bool, single: bool, r: Reporter) -> None:
    for bi, button in enumerate(step.buttons):
        path = (*base, "buttons", bi)
        check_url(r, (*path, "url"), button.url, "button link")
        if button.action == "guide" and isinstance(button.guide, str):
            check_guide_ref(ctx, guide, button.guide, path, r)
        if button.action in ("next", "back"):
            if single:
                r.warn((*path, "action"), "nav-button-single-step",
                       f"a {button.action!r} button on a guide with one step does nothing; use "
                       f"'dismiss' or 'complete', or add steps")
            elif button.action == "back" and first:
                r.warn((*path, "action"), "nav-button-nowhere",
                       "a 'back' button on the first step does nothing; remove it")
            elif button.action == "next" and last:
                r.warn((*path, "action"), "nav-button-nowhere",
                       "a 'next' button on the last step does nothing; use 'complete' instead")


def _check_step(ctx: Context, guide: Guide, vi: int, si: int, r: Reporter) -> None:
    variant = guide.variants[vi]
    step = variant.steps[si]
    base: FieldPath = ("variants", vi, "steps", si)
    kind = guide.kind
    count = len(variant.steps)
    if kind in ANCHORED_KINDS and step.anchor is None:
        r.add((*base, "anchor"), "missing-anchor",
              f"a {kind} points at an element of the page, but this step has no anchor; "
              f"add anchor.selector (e.g. #storage-meter)")
    if kind == "walkthrough" and step.layout == "tooltip" and step.anchor is None:
        r.add((*base, "anchor"), "missing-anchor",
              "this tooltip step has no anchor to point at; add anchor.selector or change "
              "its layout to modal")
    if step.anchor is not None and isinstance(step.anchor.selector, str):
        error = selector_error(step.anchor.selector)
        if error:
            r.add((*base, "anchor", "selector"), "selector", f"the anchor selector {error}")
    if step.layout is not None and kind != "walkthrough":
        r.warn((*base, "layout"), "field-ignored",
               f"layout is only used by walkthrough steps; a {kind} ignores it, so remove it")
    if step.wait_seconds is not None and step.if_missing != "wait":
        r.warn((*base, "wait_seconds"), "wait-seconds-ignored",
               "wait_seconds is only used with if_missing: wait; set if_missing to wait or "
               "remove wait_seconds")
    if kind == "survey":
        if step.survey is None or not step.survey.question:
            r.add((*base, "survey"), "missing-survey",
                  "this survey has no question; add survey.question")
    elif step.survey is not None:
        r.warn((*base, "survey"), "field-ignored",
               f"a {kind} does not show a survey; remove it or make the guide a survey")
    if kind == "checklist":
        if not step.items:
            r.add((*base, "items"), "no-checklist-items",
                  "this checklist has no items; add at least one item with a label and the "
                  "event that ticks it off")
        seen: dict[str, int] = {}
        for ii, item in enumerate(step.items):
            if item.id in seen:
                r.add((*base, "items", ii, "id"), "duplicate-item-id",
                      f"checklist item id {item.id!r} is used twice (also items[{seen[item.id]}])"
                      f"; give each item its own id")
            else:
                seen[item.id] = ii
    elif step.items:
        r.warn((*base, "items"), "field-ignored",
               f"a {kind} does not show checklist items; remove them or make the guide a "
               f"checklist")
    if step.image is not None:
        for code, message, severity in check_image(ctx, step.image.src):
            r.add((*base, "image", "src"), code, message, severity)
    for ii, item in enumerate(step.items):
        check_url(r, (*base, "items", ii, "url"), item.url, "checklist link")
    _check_buttons(ctx, guide, step, base, first=si == 0, last=si == count - 1,
                   single=count == 1, r=r)


def check_steps(ctx: Context, guide: Guide, r: Reporter) -> None:
    kind = guide.kind
    for vi, variant in enumerate(guide.variants):
        steps = variant.steps
        path: FieldPath = ("variants", vi, "steps")
        if not steps:
            r.add(path, "no-steps",
                  f"variant {variant.key!r} has no steps, so there is nothing to show; "
                  f"add a step")
        elif kind == "walkthrough" and len(steps) == 1:
            r.warn(path, "single-step-walkthrough",
                   "a walkthrough with a single step is just a tooltip or modal; add steps or "
                   "change the kind")
        elif kind != "walkthrough" and len(steps) > 1:
            r.add((*path, 1), "too-many-steps",
                  f"a {kind} shows one step, but this variant has {len(steps)}; only "
                  f"walkthroughs have several steps — remove the extra steps or make the "
                  f"guide a walkthrough")
        seen: dict[str, int] = {}
        for si, step in enumerate(steps):
            if step.id is not None:
                if step.id in seen:
                    r.add((*path, si, "id"), "duplicate-step-id",
                          f"step id {step.id!r} is used twice (also steps[{seen[step.id]}]); "
                          f"give each step its own id")
                else:
                    seen[step.id] = si
            _check_step(ctx, guide, vi, si, r)
        if kind == "walkthrough" and len(steps) > 1:
            last = steps[-1]
            if not any(b.action in FINISH_ACTIONS for b in last.buttons):
                r.warn((*path, len(steps) - 1, "buttons"), "no-finish-button",
                       "the last step has no 'complete' or 'dismiss' button, so users cannot "
                       "finish the walkthrough; add a 'complete' button")

