"""Translators' files: the project's texts out as XLIFF and back in, and what is left to do.

``units`` names every text a translator sees and says whether a language has it
(missing, needs review, done); ``inline`` turns Markdown and placeholders into
codes a CAT tool protects; ``xliff_write`` and ``xliff_read`` are the two file
formats (2.0 and 1.2); ``importer`` checks a returned file against the project
and plans its texts as one edit. ``fallback`` is which language a reader sees
(pt-BR → pt → default), ``direction`` which locales are written right to left,
``pseudo`` the preview's pseudo languages (lengths, and right to left) and
``overflow`` the words for text that does not fit. docs/translation.md is the
user's view.
"""
