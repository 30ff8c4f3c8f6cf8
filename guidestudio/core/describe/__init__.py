"""The project in an author's words: conditions as sentences, verdicts, problem trails.

Keys, operators and dotted field paths are how files and bundles speak;
marketers read labels ("Days since last login is at least 21"), the sample
user's own value ("— Emma: 13") and where a problem is ("Storage almost full ›
Step 1 › Title"). Everything here is Qt-free and reads labels, units and types
from the project's attribute catalogue (``core/catalogue.py``), so the
rule builder, the preview's verdict and the problems panel say things the
same way:

* ``conditions`` – an attribute's label, a value with its unit, one clause
  (``clause_sentence``) or a whole condition (``condition_sentence``) as a sentence;
* ``verdict`` – why a sample user would (not) be shown a guide (``decision_text``);
* ``trail`` – where a problem is, from its file and dotted field (``problem_trail``);
* ``problem_words`` – what a problem is, in the forms' words (``problem_words``, and with
  where it is on one line, ``problem_line``); the CLI keeps the validator's;
* ``anchors`` – a step's element missing from the host page: where, and what then happens
  (``anchor_problems``, ``verdict_clause``).
"""

from __future__ import annotations

from guidestudio.core.describe.anchors import anchor_problems, verdict_clause
from guidestudio.core.describe.conditions import (
    attribute_label,
    clause_sentence,
    condition_sentence,
    value_text,
)
from guidestudio.core.describe.problem_words import problem_line, problem_words
from guidestudio.core.describe.trail import problem_trail
from guidestudio.core.describe.verdict import decision_text, failure_sentence, short_name

__all__ = [
    "anchor_problems",
    "attribute_label",
    "clause_sentence",
    "condition_sentence",
    "decision_text",
    "failure_sentence",
    "problem_line",
    "problem_trail",
    "problem_words",
    "short_name",
    "value_text",
    "verdict_clause",
]
