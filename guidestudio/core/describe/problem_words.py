"""A problem's message in the words of the forms, for the window.

The validator phrases problems for whoever reads ``file:line: field: message``
(the CLI, a text editor): ids, YAML keys and operators ("segment 'pro-plan' is
not used", "wait_seconds is only used with if_missing: wait"). The window shows
the same problem to someone who knows the guide by its name and the field by
its label, so ``problem_words`` says it again: "No guide uses it…",
"“Wait up to” is only used when “If it's missing” is “Wait for it to appear”…".

Names are looked up when the problem is shown, not when it was found, so a
guide renamed since reads with its new name. Codes with a sentence of their
own are in ``_BY_CODE``; every other message (and any value a sentence cannot
read) goes through ``plain``, which names the guides, segments and themes it
quotes, turns the YAML keys the validator writes into their labels and its
``'quotes'`` into typographic ones. The CLI keeps the validator's words.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from guidestudio.core import catalogue
from guidestudio.core.describe.conditions import clause_sentence
from guidestudio.core.describe.trail import (
    FIELD_LABELS,
    child,
    entity_of,
    field_parts,
    language_name,
    problem_trail,
)
from guidestudio.core.form_words import (
    ACTION_LABELS,
    IF_MISSING_LABELS,
    OUTCOME_LABELS,
    TRIGGER_LABELS,
)
from guidestudio.core.model import Project
from guidestudio.core.problems import Problem

#: YAML keys (and key: value pairs) as the validator writes them, longest first when
#: replaced, and what the forms call them.
KEY_WORDS = {
    "anchor.selector": "the element it points at", "survey.question": "a question",
    "if_missing: wait": "“If it's missing” is “Wait for it to appear”",
    "if_missing": "“If it's missing”", "wait_seconds": "“Wait up to”",
    "a control_weight": "a control group", "control_weight": "the control group",
    "hash_attribute": "“A/B split by”",
    "min_minutes_between": "“Minutes between guides”",
    "max_per_session": "“Guides per visit”", "max_per_day": "“Guides per day”",
    "stop_after": "“Stop once”", "goal_reached": "“the goal is reached”",
    "locales in guidestudio.yaml": "the project's languages (Project settings)",
    "default locale": "default language", "locales": "languages", "locale": "language",
    "$regexi": "“matches regex (any case)”", "$regex": "“matches regex”",
}
_KEY_RE = re.compile("|".join(re.escape(k) for k in sorted(KEY_WORDS, key=len, reverse=True)))
_ENTITY_RE = re.compile(r"\b(guides?|segments?|themes?) '([^']+)'")
_QUOTED_RE = re.compile(r"'([^']*)'")
#: A field the schema names ("required field 'title' is missing").
_FIELD_RE = re.compile(r"\bfield '([a-z_]+)'")
_INDEX_RE = re.compile(r"\b(variants|steps|items|buttons)\[(\d+)\]")
_INDEX_WORDS = {"variants": "variant", "steps": "step", "items": "task", "buttons": "button"}
#: ``path $op value`` as the audience checks write a clause.
_CLAUSE_RE = re.compile(r"(?P<key>[A-Za-z_][\w.]*) (?P<op>\$[a-zA-Z]+) "
                        r"(?P<value>\[[^\]]*\]|\"[^\"]*\"|[^\s,;)]+)")

Words = Callable[[Project, Problem, Any], str | None]


def quoted(text: Any) -> str:
    return f"“{text}”"


def _value_at(node: Any, field: str) -> Any:
    for part in field_parts(field):
        node = child(node, part)
        if node is None:
            return None
    return node


def _named(project: Project, folder: str, key: Any) -> str:
    """The guide's (segment's, theme's) name, quoted; the key itself if there is none."""
    entity = getattr(project, folder).get(key) if isinstance(key, str) else None
    return quoted(getattr(entity, "name", None) or key)


def _did_you_mean(project: Project, folder: str, key: Any) -> str:
    known = getattr(project, folder)
    close = difflib.get_close_matches(str(key), sorted(known), n=1)
    return f" (did you mean {_named(project, folder, close[0])}?)" if close else ""


def _missing(what: str, folder: str) -> Words:
    def words(project: Project, problem: Problem, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        if "could not be loaded" in problem.message:
            return (f"The {what} {quoted(value)} could not be loaded because its file has "
                    f"errors; fix that file first (see its problems)")
        return (f"There is no {what} {quoted(value)}{_did_you_mean(project, folder, value)}; "
                f"choose one of the project's {folder}")
    return words


def _languages(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def _variant(project: Project, problem: Problem, _value: Any) -> Any:
    _what, guide, _many = entity_of(project, problem)
    parts = field_parts(problem.field)
    if len(parts) > 1 and parts[0] == "variants" and isinstance(parts[1], int):
        return child(child(guide, "variants"), parts[1])
    return None


def _first_of(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


def _unused_segment(project: Project, problem: Problem, value: Any) -> str:
    return "No guide uses it: add it to a guide's audience, or delete it"


def _archived_guide(project: Project, problem: Problem, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    name = _named(project, "guides", value)
    return (f"This button starts {name}, which is archived and is not exported, so the "
            f"button does nothing; point it at another guide or restore {name}")


def _guide_cycle(project: Project, problem: Problem, value: Any) -> str | None:
    loop = _first_of(r"in a loop: ([^;]+);", problem.message)
    if loop is None:
        return None
    names = " → ".join(_named(project, "guides", key) for key in loop.split(" → "))
    return (f"Guides start each other in a loop: {names}; someone could be sent round it "
            f"forever — change one of these {quoted(ACTION_LABELS['guide'])} buttons")


def _duplicate_experiment(project: Project, problem: Problem, value: Any) -> str | None:
    other = _first_of(r"used by guide '([^']+)'", problem.message)
    if other is None or not isinstance(value, str):
        return None
    return (f"The experiment's analytics name {quoted(value)} is also the one of "
            f"{_named(project, 'guides', other)}; their results would be mixed up — give "
            f"each experiment its own")


def _variants_without_experiment(project: Project, problem: Problem, value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return None
    first = value[0]
    name = getattr(first, "name", None) or getattr(first, "key", "")
    return (f"The guide has {len(value)} variants but no experiment, so only the first "
            f"({quoted(name)}) is ever shown; run an experiment (Experiment tab) to split "
            f"people between them, or remove the other variants")


def _twice(what: str) -> Words:
    def words(project: Project, problem: Problem, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        return f"Two {what} have the analytics name {quoted(value)}; give each its own"
    return words


def _percent(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value * 100:g}%"
    return quoted(value)


def _variant_weight(project: Project, problem: Problem, value: Any) -> str:
    return (f"A variant's share must be a number above 0, not {quoted(value)}; give every "
            f"variant 1 for an even split")


def _control_weight(project: Project, problem: Problem, value: Any) -> str:
    return (f"The control group (people who see nothing) must be at least 0% and less than "
            f"100% of those taking part, not {_percent(value)}")


def _coverage(project: Project, problem: Problem, value: Any) -> str:
    return f"“Taking part” must be between 0% and 100% of people, not {_percent(value)}"


def _coverage_zero(project: Project, problem: Problem, value: Any) -> str:
    return ("Nobody takes part in the experiment (0%), so nobody sees this guide; set "
            "“Taking part” to 100% to include everyone")


def _reserved_key(project: Project, problem: Problem, value: Any) -> str:
    return ("The analytics name “control” is kept for the control group (people who see "
            "nothing); give this variant another one")


def _namespace_range(project: Project, problem: Problem, value: Any) -> str | None:
    if not isinstance(value, list) or len(value) != 3:
        return None
    return (f"The slice runs from {value[1]} to {value[2]}, so nobody is in it; “Slice "
            f"from” must be less than “Slice to”")


def _default_locale(project: Project, problem: Problem, value: Any) -> str:
    locales = project.settings.locales or []
    return (f"The default language, {language_name(str(value))}, is not one of the project's "
            f"languages ({_languages(locales)}); add it to them or choose one of them")


def _hash_attribute(project: Project, problem: Problem, value: Any) -> str:
    return ("“A/B split by” is empty, so nobody could be put in a variant; choose the "
            "attribute that tells people apart (usually their id)")


def _nav_button(project: Project, problem: Problem, value: Any) -> str | None:
    action = ACTION_LABELS.get(value) if isinstance(value, str) else None
    if action is None:
        return None
    if problem.code == "nav-button-single-step":
        return (f"A {quoted(action)} button on a guide with one step does nothing; choose "
                f"{quoted(ACTION_LABELS['dismiss'])} or {quoted(ACTION_LABELS['complete'])}, "
                f"or add steps")
    if value == "back":
        return f"A {quoted(action)} button on the first step does nothing; remove it"
    return (f"A {quoted(action)} button on the last step does nothing; choose "
            f"{quoted(ACTION_LABELS['complete'])} instead")


def _no_finish(project: Project, problem: Problem, value: Any) -> str:
    return (f"The last step has no {quoted(ACTION_LABELS['complete'])} or "
            f"{quoted(ACTION_LABELS['dismiss'])} button, so people cannot finish the "
            f"walkthrough; add a {quoted(ACTION_LABELS['complete'])} button")


def _missing_anchor(project: Project, problem: Problem, value: Any) -> str:
    if "tooltip step" in problem.message:
        return ("This tooltip step points at no element of the page; choose one (Pick "
                "element on the canvas) or change its layout to a modal")
    kind = _first_of(r"^a (\w+) points", problem.message) or "guide"
    return (f"A {kind} points at an element of the page, but this step has none; choose "
            f"one (Pick element on the canvas), e.g. #storage-meter")


def _wait_ignored(project: Project, problem: Problem, value: Any) -> str:
    return (f"“Wait up to” is only used when “If it's missing” is "
            f"{quoted(IF_MISSING_LABELS['wait'])}; choose that, or clear “Wait up to”")


def _no_steps(project: Project, problem: Problem, value: Any) -> str:
    _what, guide, many = entity_of(project, problem)
    variant = _variant(project, problem, value)
    name = getattr(variant, "name", None) or getattr(variant, "key", None)
    whose = f"Variant {quoted(name)}" if many and name else "This guide"
    return f"{whose} has no steps, so there is nothing to show; add a step"


def _trigger_ignored(project: Project, problem: Problem, value: Any) -> str | None:
    _what, guide, _many = entity_of(project, problem)
    on = getattr(getattr(guide, "trigger", None), "on", None)
    owner = _first_of(r"only with on: (\w+)", problem.message)
    if on not in TRIGGER_LABELS or owner not in TRIGGER_LABELS:
        return None
    label = FIELD_LABELS.get(("trigger", field_parts(problem.field)[-1]), "This field")
    return (f"{quoted(label)} is not used when “Show it” is {quoted(TRIGGER_LABELS[on])}, "
            f"only with {quoted(TRIGGER_LABELS[owner])}; clear it or change “Show it”")


def _goal_missing(project: Project, problem: Problem, value: Any) -> str:
    return (f"“Stop once” includes {quoted(OUTCOME_LABELS['goal_reached'])}, but the guide has "
            f"no goal; add a goal or untick it")


def _missing_translation(project: Project, problem: Problem, value: Any) -> str | None:
    codes = _first_of(r"missing translation for ([^;]+);", problem.message)
    if codes is None:
        return None
    return f"No {_languages(codes.split(', '))} text yet; add it"


def _unknown_locale(project: Project, problem: Problem, value: Any) -> str | None:
    code = field_parts(problem.field)[-1]
    locales = project.settings.locales or []
    close = difflib.get_close_matches(str(code), locales, n=1)
    hint = f" (did you mean {language_name(close[0])}?)" if close else ""
    return (f"{quoted(code)} is not one of the project's languages ({_languages(locales)})"
            f"{hint}; fix it, or add the language in Project settings")


def _catalogue_key(project: Project, problem: Problem, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    label = catalogue.label_of(project, value)
    if problem.code == "catalogue-duplicate":
        entry = _first_of(r"\(also entry (\d+)\)", problem.message)
        also = f" (also entry {entry})" if entry else ""
        return (f"{quoted(label)} is described twice in the attribute catalogue{also}; the "
                f"first description is used, so merge them into one")
    return (f"{label} is counted by the product, so it is always a number; set its type to "
            f"Number")


def _not_allowed(project: Project, problem: Problem, value: Any) -> str:
    return plain(project, re.sub(r"^(.+?) \([\w.]+\) is compared", r"\1 is compared",
                                 problem.message))


def _unknown_operator(project: Project, problem: Problem, value: Any) -> str | None:
    op = _first_of(r"operator '([^']+)'", problem.message)
    if op is None:
        return None
    return ("This rule compares in a way the product does not know (written in its file), "
            "so it would never match anyone; choose a comparison in the rule builder")


def _no_tasks(project: Project, problem: Problem, value: Any) -> str:
    return ("This checklist has no tasks; add at least one, with the event that ticks it "
            "off")


def _picture_outside(project: Project, problem: Problem, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return (f"{quoted(value)} is not a picture in the project (the product is only given the "
            f"project's pictures); choose it with “Add picture…”, which copies it in")


_BY_CODE: dict[str, Words] = {
    "no-checklist-items": _no_tasks,
    "image-outside": _picture_outside,
    "unused-segment": _unused_segment,
    "unknown-segment": _missing("segment", "segments"),
    "unknown-theme": _missing("theme", "themes"),
    "unknown-guide": _missing("guide", "guides"),
    "archived-guide": _archived_guide,
    "guide-cycle": _guide_cycle,
    "duplicate-experiment": _duplicate_experiment,
    "variants-without-experiment": _variants_without_experiment,
    "duplicate-variant": _twice("variants"),
    "duplicate-step-id": _twice("steps"),
    "duplicate-item-id": _twice("tasks"),
    "variant-weight": _variant_weight,
    "control-weight": _control_weight,
    "coverage": _coverage,
    "coverage-zero": _coverage_zero,
    "reserved-variant-key": _reserved_key,
    "namespace-range": _namespace_range,
    "default-locale": _default_locale,
    "hash-attribute": _hash_attribute,
    "nav-button-single-step": _nav_button,
    "nav-button-nowhere": _nav_button,
    "no-finish-button": _no_finish,
    "missing-anchor": _missing_anchor,
    "wait-seconds-ignored": _wait_ignored,
    "no-steps": _no_steps,
    "trigger-field-ignored": _trigger_ignored,
    "goal-missing": _goal_missing,
    "missing-translation": _missing_translation,
    "unknown-locale": _unknown_locale,
    "catalogue-duplicate": _catalogue_key,
    "catalogue-counter-type": _catalogue_key,
    "not-allowed-value": _not_allowed,
    "unknown-operator": _unknown_operator,
}


def _clause(project: Project, match: re.Match[str]) -> str:
    try:
        value = json.loads(match.group("value"))
    except ValueError:
        return match.group(0)
    return clause_sentence(project, match.group("key"), match.group("op"), value)


def _entity_name(project: Project, match: re.Match[str]) -> str:
    word, key = match.group(1), match.group(2)
    folder = word if word.endswith("s") else word + "s"
    entity = getattr(project, folder).get(key)
    name = getattr(entity, "name", None)
    return f"{word} {quoted(name or key)}"


def _field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return label if isinstance(label, str) else catalogue.humanize(name)


def plain(project: Project | None, message: str) -> str:
    """``message`` with names for the ids it quotes, labels for the keys it names, the
    conditions it writes out as sentences and typographic quotes."""
    text = message
    if project is not None:
        text = _ENTITY_RE.sub(lambda m: _entity_name(project, m), text)
        text = _CLAUSE_RE.sub(lambda m: _clause(project, m), text)
    text = _FIELD_RE.sub(lambda m: f"field {quoted(_field_label(m.group(1)))}", text)
    text = _KEY_RE.sub(lambda m: KEY_WORDS[m.group(0)], text)
    text = _INDEX_RE.sub(lambda m: f"{_INDEX_WORDS[m.group(1)]} {int(m.group(2)) + 1}", text)
    text = _QUOTED_RE.sub(lambda m: quoted(m.group(1)), text)
    return text


def problem_words(project: Project | None, problem: Problem) -> str:
    """What the window says about ``problem``: a sentence in the forms' words."""
    text = None
    words = _BY_CODE.get(problem.code)
    if words is not None and project is not None:
        try:
            _what, node, _many = entity_of(project, problem)
            text = words(project, problem, _value_at(node, problem.field))
        except Exception:  # noqa: BLE001 - a courtesy: the validator's words stay
            text = None
    if text is None:
        text = plain(project, problem.message)
    return text[:1].upper() + text[1:]


def problem_line(project: Project | None, problem: Problem) -> str:
    """Where and what, on one line, for lists and banners: "Storage almost full › Step 1 ›
    Title: No Japanese text yet; add it"; the file and line for a file the project could
    not read (it is fixed in a text editor)."""
    if project is None:
        return problem.format()
    where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    try:
        if entity_of(project, problem)[1] is not None:  # else: a file to fix in a text editor
            where = problem_trail(project, problem)
    except Exception:  # noqa: BLE001 - a courtesy: the file and line stay
        pass
    return f"{where}: {problem_words(project, problem)}"


__all__ = ["plain", "problem_line", "problem_words"]
