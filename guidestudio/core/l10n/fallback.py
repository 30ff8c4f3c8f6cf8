"""Which language a person sees: the locale, then its shorter forms, then the default.

A ``pt-BR`` reader of a project written in English and translated to ``pt`` reads
Portuguese, not English: the exported bundle (compiler) and the runtime (the
product's page) walk the same chain — ``pt-BR`` → ``pt`` → the project's default →
the first text there is — so the preview shows what the product will. Tags are
compared without regard to case, as BCP 47 says. The JavaScript runtime's
``resolveLocale`` is the twin of :func:`resolve_locale`; both run
tests/vectors/locale_fallback.json.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def fallback_chain(locale: str, default: str) -> list[str]:
    """``pt-BR-x`` → ``pt-BR`` → ``pt``, then the default and its shorter forms, lower-cased."""
    chain: list[str] = []
    for tag in (locale, default):
        tag = (tag or "").lower()
        while tag:
            if tag not in chain:
                chain.append(tag)
            tag = tag.rpartition("-")[0]
    return chain


def resolve_locale(locale: str, available: Sequence[str], default: str) -> str | None:
    """The key of ``available`` to show a ``locale`` reader (as spelled there), else its first."""
    by_tag: dict[str, str] = {}
    for key in available:
        by_tag.setdefault(key.lower(), key)
    for tag in fallback_chain(locale, default):
        if tag in by_tag:
            return by_tag[tag]
    return available[0] if available else None


def pick_text(text: Mapping[str, str] | None, locale: str, default: str) -> tuple[str, str] | None:
    """(the text a ``locale`` reader sees, the locale it is written in); blank texts don't count."""
    if not text:
        return None
    filled = sorted(key for key, value in text.items() if isinstance(value, str) and value.strip())
    key = resolve_locale(locale, filled, default)
    return None if key is None else (text[key], key)
