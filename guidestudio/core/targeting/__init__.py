"""Audience conditions and A/B assignment, GrowthBook-compatible (spec 0.8.0).

A bundle's audience rules are evaluated by two engines: this package (the
editor's preview, ``guidestudio simulate``, the validator) and the JavaScript
runtime inside the product. A product may also evaluate the same rules with any
GrowthBook SDK. The three must agree, and the reference is GrowthBook's
JavaScript SDK, so wherever Python and JavaScript differ (coercion, truthiness,
``True == 1``, number-to-string, regular-expression dialect, UTF-16 strings)
this package imitates JavaScript. The spec is ``targeting.md`` in the shared
folder beside the repository; ``docs/targeting.md`` lists the imitations.

Everything here is pure standard-library Python and must never import Qt.
Nothing here raises on odd input: inputs on which JavaScript would throw
evaluate to ``False`` (or ``None``) instead.

The modules, from the language up:

* ``js_values`` – JavaScript's ``String``/``Number``/truthiness/``JSON.stringify``;
* ``js_compare`` – ``<``, ``===`` and ``Array.prototype.includes``;
* ``versions`` – GrowthBook's version ordering;
* ``js_regex`` (with ``js_regex_translate``, ``js_regex_sets``, ``js_regex_ast``,
  ``js_regex_redos`` and ``js_regex_advice``) – JS regular expressions translated
  to Python's ``re``, and refused when they could backtrack for ever;
* ``paths`` – dotted attribute lookup;
* ``conditions`` – the evaluator and its operators (the hot loop);
* ``explain`` – failure reasons and unknown operators, for people;
* ``hashing`` – FNV-1a, buckets and variant assignment.

This module re-exports the API the rest of the app uses. The pieces other
code shares so as not to hold a second copy of the semantics (JavaScript
values in ``js_values``, path lookup in ``paths``, the operator table and
``eval_value`` in ``conditions``, regex compilation in ``js_regex``) are
public in the module that defines them; import them from there.
"""

from __future__ import annotations

from guidestudio.core.targeting.conditions import eval_condition, known_operators
from guidestudio.core.targeting.explain import condition_failure, unknown_operators
from guidestudio.core.targeting.hashing import (
    bucket_ranges,
    choose_variation,
    equal_weights,
    fnv1a32,
    hash_value,
    in_namespace,
)
from guidestudio.core.targeting.js_regex import js_regex_error, js_regex_hazard
from guidestudio.core.targeting.js_values import js_number_string, js_string
from guidestudio.core.targeting.versions import padded_version

__all__ = [
    "bucket_ranges",
    "choose_variation",
    "condition_failure",
    "equal_weights",
    "eval_condition",
    "fnv1a32",
    "hash_value",
    "in_namespace",
    "js_number_string",
    "js_regex_error",
    "js_regex_hazard",
    "js_string",
    "known_operators",
    "padded_version",
    "unknown_operators",
]
