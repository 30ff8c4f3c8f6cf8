"""A release review written out: plain text for a terminal, Markdown for a pull request.

Guide texts, names and ids are data an author typed. In Markdown they never
start a line (cells, and text after our own ``- **`` or ``### ``), so only
inline syntax can act on them: ``\\ ` * _ [ ] | ~ $ #`` are backslash-escaped (a
``|`` cannot end a table cell, a backtick cannot open code, ``[`` cannot start a
link or an image, ``$`` cannot start GitHub's math), ``&``, ``<`` and ``>``
become entities (no HTML gets through), a new line in a cell becomes ``<br>``
(the only markup we add), and ``@`` is followed by a zero-width space so
``@team`` in a guide does not notify a GitHub team. Other punctuation stays as
typed, so the comment's source stays readable.
"""

from __future__ import annotations

import json

from guidestudio.core.bundle.review import Change, GuideReview, Review

_NONE = "(none)"
_WIDE = 100  # a change longer than this is written on two lines in the text format
_PUNCT = set("\\`*_[]|~$#")  # "#": a heading's closing sequence
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _counts(review: Review) -> str:
    return (f"{len(review.of_state('changed'))} changed, {len(review.of_state('added'))} added, "
            f"{len(review.of_state('removed'))} removed")


def _title(guide: GuideReview) -> str:
    return guide.name if guide.name == guide.id else f"{guide.name} ({guide.id})"


# --- text ---------------------------------------------------------------------------------------

def _text_change(change: Change, indent: str) -> list[str]:
    old = _NONE if change.old is None else change.old
    new = _NONE if change.new is None else change.new
    if "\n" not in old + new and len(change.label) + len(old) + len(new) + 6 <= _WIDE:
        return [f"{indent}{change.label}: {old} → {new}"]
    lines = [f"{indent}{change.label}:"]
    lines += [f"{indent}  - {line}" for line in old.split("\n")]
    lines += [f"{indent}  + {line}" for line in new.split("\n")]
    return lines


def format_text(review: Review) -> str:
    if review.same:
        return f"{review.old_label} and {review.new_label}: the same guides and settings"
    lines = [f"{review.old_label} → {review.new_label}: {_counts(review)}"]
    heads = review.headlines()
    if heads:
        lines += ["", "Status and schedule:"]
        for guide, change in heads:
            if guide.state == "added":
                lines.append(f"  ! {_title(guide)}: {change.label}: {change.new} (new guide)")
            else:
                lines += _text_change(change, f"  ! {_title(guide)}: ")
    if review.settings:
        lines += ["", "Settings:"]
        for change in review.settings:
            lines += _text_change(change, "    ")
    for guide in review.guides:
        mark = {"changed": "~", "added": "+", "removed": "-"}[guide.state]
        lines += ["", f"{mark} {_title(guide)}" + (f" — {guide.state}"
                                                   if guide.state != "changed" else "")]
        if guide.state == "removed":
            continue
        for change in guide.changes:
            if guide.state == "added":
                value = change.new or ""
                if "\n" in value:
                    lines.append(f"    {change.label}:")
                    lines += [f"      {line}" for line in value.split("\n")]
                else:
                    lines.append(f"    {change.label}: {value}")
            else:
                lines += _text_change(change, "    ")
    return "\n".join(lines)


# --- Markdown -----------------------------------------------------------------------------------

def md(text: str) -> str:
    """Any text as literal Markdown (GitHub's flavour), safe inside a table cell."""
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _PUNCT:
            out.append("\\" + ch)
        elif ch == "@":
            out.append("@\u200b")
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\r":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _md_value(value: str | None) -> str:
    return "*none*" if value is None else (md(value) or "*empty*")


def _md_table(changes: list[Change], review: Review, added: bool = False) -> list[str]:
    if added:
        rows = ["| Field | Value |", "|---|---|"]
        rows += [f"| {md(c.label)} | {_md_value(c.new)} |" for c in changes]
        return rows
    rows = [f"| Field | {md(review.old_label)} | {md(review.new_label)} |", "|---|---|---|"]
    rows += [f"| {md(c.label)} | {_md_value(c.old)} | {_md_value(c.new)} |" for c in changes]
    return rows


def format_markdown(review: Review) -> str:
    lines = [f"## Guide release review: {md(review.old_label)} → {md(review.new_label)}", ""]
    if review.same:
        return "\n".join([*lines, "No guide or setting changed."])
    lines.append(f"**{_counts(review)}**")
    heads = review.headlines()
    if heads:
        lines += ["", "### Status and schedule", ""]
        for guide, change in heads:
            head = f"- **{md(guide.name)}** ({md(guide.id)}): {md(change.label)} "
            if guide.state == "added":
                lines.append(head + f"{_md_value(change.new)} (new guide)")
            else:
                lines.append(head + f"{_md_value(change.old)} → {_md_value(change.new)}")
    if review.settings:
        lines += ["", "### Settings", "", *_md_table(review.settings, review)]
    for guide in review.guides:
        state = {"changed": "", "added": " — added", "removed": " — removed"}[guide.state]
        lines += ["", f"### {md(guide.name)} · {md(guide.id)}{state}", ""]
        if guide.state == "removed":
            lines.append(f"No longer in {md(review.new_label)}.")
        else:
            lines += _md_table(guide.changes, review, added=guide.state == "added")
    return "\n".join(lines)


def format_json(review: Review) -> str:
    return json.dumps(review.to_dict(), ensure_ascii=False, indent=2)


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}
