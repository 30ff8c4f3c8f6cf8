"""Rules for what users read and click: translations, picture descriptions, unsafe links.

A picture's description (its ``alt`` text) is required: with none in any
language the picture is reported as an error, not as a missing translation.

A link whose scheme could run code in the product (``javascript:``…) is
reported where the author wrote it, using the compiler's own rule
(``markdown_text.is_safe_url``), so validation and export never disagree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from guidestudio.core import markdown_text
from guidestudio.core.markdown_text import is_safe_url
from guidestudio.core.model import Guide
from guidestudio.core.targeting.js_values import OBJECT_PROTOTYPE_NAMES
from guidestudio.core.translations import localized_texts
from guidestudio.core.validate.reporting import Context, FieldPath, Reporter, did_you_mean

SAFE_SCHEMES = "https, http, mailto or a relative path"
NO_DESCRIPTION = ("the picture has no description; say in a few words what it shows, for people "
                  "who use a screen reader or whose pictures don't load")


def _scheme(url: str) -> str:
    """The scheme as the author meant it, for the message: ``javascript%3A…`` says javascript."""
    url = unquote(url)
    match = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.\s-]*):", url)
    return match.group(1).lower().replace(" ", "") if match else url.split(":", 1)[0]


def _unsafe_links(text: str) -> tuple[str, ...]:
    """Link targets in Markdown ``text`` that ``is_safe_url`` (the compiler's rule) refuses.

    The compiler's own render decides, so validation and export never disagree.
    Parsing every text is most of a large project's validation, though, so
    texts whose links can only be safe skip it: ``markdown_text.may_refuse_links``
    is a conservative test on the source (its docstring gives the argument),
    and anything it cannot clear is rendered (cached: the same parse then serves
    the export). The test it replaces, "no ``:`` and no ``&``", missed
    percent-encoded colons (``javascript%3A…``), which the render refuses.
    """
    if not markdown_text.may_refuse_links(text):
        return ()
    return markdown_text.render(text).refused_links


def check_texts(ctx: Context, guide: Guide, r: Reporter) -> None:
    """Unsafe links in every text, then missing and unknown translations.

    Runs on every text of every guide (most of a big project's validation), so
    the usual case, the project's locales each with some text and no link to
    look at, is settled in one pass over the values.
    """
    locales = ctx.locales
    locale_set = set(locales or ())
    for path, text in localized_texts(guide):
        if type(text) is not dict and not isinstance(text, Mapping):
            continue
        filled = True  # every value is text with something in it
        for locale, value in text.items():
            if not isinstance(value, str):
                filled = False
                continue
            if not value or value.isspace():  # what `not value.strip()` means, without a copy
                filled = False
            if "{{" in value:
                _check_placeholder_names(r, (*path, locale), value)
            if "]" not in value and "<" not in value:
                continue  # no link can start here: may_refuse_links' first test, inlined
            for target in _unsafe_links(value):
                r.add((*path, locale), "unsafe-url",
                      f"the link to {target!r} uses the {_scheme(target)!r} scheme, which "
                      f"could run code in your product; it will be shown as plain text. "
                      f"Use {SAFE_SCHEMES}")
        if locales is None or (filled and text.keys() == locale_set):
            continue
        missing = [loc for loc in locales
                   if not (isinstance(text.get(loc), str) and text[loc].strip())]
        if path[-1] == "alt" and len(missing) == len(locales):
            r.add(path, "image-alt", NO_DESCRIPTION)  # required, not just untranslated
        elif missing:
            r.warn(path, "missing-translation",
                   f"missing translation for {', '.join(missing)}; add the text for "
                   f"{'that locale' if len(missing) == 1 else 'those locales'}")
        for locale in text:
            if locale not in locale_set:
                r.warn((*path, locale), "unknown-locale",
                       f"{locale!r} is not one of the project's locales "
                       f"({', '.join(locales)}){did_you_mean(str(locale), locale_set)}; "
                       f"fix the locale or add it to locales in guidestudio.yaml")


def builtin_placeholder_segment(attribute: str) -> str | None:
    """The part of a placeholder's attribute path named after a property every
    JavaScript object has (``constructor``, ``__proto__``, ``toString``…), or None."""
    for segment in attribute.split("."):
        if segment in OBJECT_PROTOTYPE_NAMES:
            return segment
    return None


def _check_placeholder_names(r: Reporter, path: FieldPath, value: str) -> None:
    for match in markdown_text.TOKEN_RE.finditer(value):
        segment = builtin_placeholder_segment(match.group(1))
        if segment is not None:
            r.warn(path, "placeholder-name",
                   f"the placeholder {match.group(0)} is named after {segment!r}, a property "
                   f"every JavaScript object has: the product shows its fallback unless your "
                   f"user attributes set {segment!r} themselves, and audience rules on that "
                   f"name read the built-in one; use another attribute name")


# The same few URLs (a pricing page, the docs) recur on thousands of buttons.
_is_safe_url = functools.lru_cache(maxsize=4096)(is_safe_url)


def check_url(r: Reporter, path: FieldPath, url: Any, what: str) -> None:
    if isinstance(url, str) and not _is_safe_url(url):
        r.add(path, "unsafe-url",
              f"the {what} {url!r} uses the {_scheme(url)!r} scheme, which could run code in "
              f"your product; use {SAFE_SCHEMES}")
