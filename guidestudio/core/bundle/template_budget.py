"""Time and output budgets for the project's own templates.

Template overrides come from the project (``<project>/templates/``) and run in
Jinja's sandbox, which stops them reaching Python's internals but not from
looping: ``{% for i in range(100000) %}{% for j in range(100000) %}`` is ten
billion iterations, an export that never ends and an editor whose preview
freezes on every keystroke. So an override renders under two budgets per call
(one step, one locale): a wall-clock time and a number of characters written.

Jinja compiles a template to Python code whose file name is the template's
path, so the time budget is enforced by a trace function that looks only at
frames of ``.j2`` code: every loop iteration there is a line event, and the
first one after the deadline raises ``OverBudget`` into the template. Other
frames are not traced (their call event returns no local tracer), and the
built-in templates, which are ours, never run under it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from types import FrameType
from typing import Any

#: Wall-clock seconds one override may take to render one step in one locale.
TIME_BUDGET_S = 2.0
#: Characters one override may write for one step in one locale (the step's markup).
OUTPUT_BUDGET_CHARS = 1_000_000


class OverBudget(Exception):
    """A template ran past one of its budgets; the message names the budget."""


def _describe_time(seconds: float) -> str:
    return (f"ran longer than {seconds:g} s, the time budget for one step's markup; "
            f"a loop in it runs too many times")


def _describe_output(chars: int) -> str:
    return (f"wrote more than {chars:,} characters, the output budget for one step's "
            f"markup")


def render_within_budget(chunks: Iterable[str], *, seconds: float = TIME_BUDGET_S,
                         max_chars: int = OUTPUT_BUDGET_CHARS) -> str:
    """Join a template's output (``template.generate(context)``), raising ``OverBudget``
    when it takes longer than ``seconds`` or writes more than ``max_chars``."""
    deadline = time.monotonic() + seconds
    clock = time.monotonic

    def in_template(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line" and clock() > deadline:
            raise OverBudget(_describe_time(seconds))
        return in_template

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        return in_template if frame.f_code.co_filename.endswith(".j2") else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        out: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > max_chars:
                raise OverBudget(_describe_output(max_chars))
            out.append(chunk)
        if clock() > deadline:  # one long call inside a single line (a filter on a huge value)
            raise OverBudget(_describe_time(seconds))
        return "".join(out)
    finally:
        sys.settrace(previous)
