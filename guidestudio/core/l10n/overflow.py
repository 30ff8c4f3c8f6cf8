"""What the canvas says when a guide's text does not fit its box (measured in the web engine).

German runs a third longer than English and a phone is 390 px wide: a button
label that no longer fits is cut, a title that wraps past the card makes readers
scroll inside it. The canvas measures the shown step (``widgets/preview/
overflow_check.py``: each text element's and button's scroll size against its
client size, and against the card); this module turns what it found into
Problems rows a marketer reads — which guide, step, language and device, what
is cut, and what to do — without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidestudio.core.problems import Problem

#: What the page names an element that overflowed, as people call it.
PARTS = {"title": "title", "body": "text", "button": "button", "item": "checklist item",
         "step": "box"}
#: How it overflowed: the page's word → how a reader experiences it.
HOW = {"cut": "is cut off", "wider": "sticks out of the box",
       "scroll": "is too long for its box, so people must scroll inside it"}


@dataclass(frozen=True)
class Overflow:
    """One element of the shown step whose text does not fit (the page's answer)."""

    part: str  # a PARTS key
    how: str  # a HOW key
    text: str  # its text, shortened


def overflow_problem(file: str, guide_name: str, step_label: str, language: str, device: str,
                     found: Overflow) -> Problem:
    """A warning: “Welcome tour”, step 2, in German on a phone: the button “…” is cut off."""
    part = PARTS.get(found.part, found.part) if found.part != "step" else "text"
    quoted = f" “{found.text}”" if found.text and found.part != "step" else ""
    advice = ("shorten the text in this language, or give the guide more room (Display → Width)"
              if found.part != "step" else "shorten the text in this language or split the step")
    return Problem(file, None, "", f"“{guide_name}”, {step_label}, in {language} on a "
                   f"{device}: the {part}{quoted} {HOW.get(found.how, found.how)} — {advice}.",
                   severity="warning", code="text-overflow")


def parse_overflows(answer: object) -> list[Overflow]:
    """The page's answer (a list of {part, how, text}) as findings; anything else is nothing."""
    if not isinstance(answer, list):
        return []
    return [Overflow(str(row.get("part", "")), str(row.get("how", "")),
                     str(row.get("text", ""))[:60]) for row in answer if isinstance(row, dict)]
