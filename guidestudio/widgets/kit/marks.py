"""Marking a form field as having a problem: outline colour, tooltip, accessible text.

Two sources mark fields independently — the project's validation problems
(``field_marks``) and a binding whose last input could not be saved
(``bindings``) — and each must be able to clear only its own mark. Keeping the
marks per source on the widget and composing the tooltip from the field's own
explanation plus every current message is what lets them coexist.

The outline comes from a dynamic ``problem`` property and ``MARK_STYLE``, the
same convention as the rule builder, so one stylesheet on an editor colours
every marked field inside it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from guidestudio.core.problems import Severity

MARK_STYLE = """
*[problem="error"] { border: 2px solid #d32f2f; border-radius: 3px; }
*[problem="warning"] { border: 2px solid #e0a000; border-radius: 3px; }
"""

# Kept as Python attributes, not Qt properties: reading an unset Qt property
# trips a PySide6 reference-count bug (see combo_data).
_BASE = "_gs_base_tooltip"
_MARKS = "_gs_marks"
_SHOWN = "_gs_problem"


def set_tooltip(widget: QWidget, text: str) -> None:
    """Set a field's own explanation; marks are shown below it."""
    setattr(widget, _BASE, text)
    _compose(widget)


def set_mark(widget: QWidget, source: str, severity: Severity | None, message: str = "") -> None:
    """Mark (or with ``severity=None`` unmark) ``widget`` on behalf of ``source``."""
    marks = dict(getattr(widget, _MARKS, {}))
    if getattr(widget, _BASE, None) is None:
        setattr(widget, _BASE, widget.toolTip())
    if severity is None:
        if source not in marks:
            return
        del marks[source]
    else:
        if marks.get(source) == (severity, message):
            return
        marks[source] = (severity, message)
    setattr(widget, _MARKS, marks)
    _compose(widget)


def mark_of(widget: QWidget) -> str:
    """The worst severity shown on ``widget``: "error", "warning" or ""."""
    return str(getattr(widget, _SHOWN, ""))


def _compose(widget: QWidget) -> None:
    marks: dict[str, tuple[str, str]] = dict(getattr(widget, _MARKS, {}))
    base = str(getattr(widget, _BASE, None) or "")
    severities = {severity for severity, _ in marks.values()}
    worst = "error" if "error" in severities else "warning" if severities else ""
    messages = [message for _, message in marks.values() if message]
    widget.setToolTip("\n\n".join([base, *messages]) if messages else base)
    widget.setAccessibleDescription("; ".join(messages))
    if getattr(widget, _SHOWN, "") != worst:
        setattr(widget, _SHOWN, worst)
        widget.setProperty("problem", worst)
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
