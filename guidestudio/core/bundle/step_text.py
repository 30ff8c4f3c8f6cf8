"""A compiled step's markup read back as the texts an author wrote: title, body, buttons.

A release review reads the bundle, which holds each step as compiled HTML. The
markup comes from our own templates (``guide_templates/``), whose class names
say what each part is, so it can be read back faithfully: ``.gs-title`` is the
title, ``.gs-body`` the body, ``.gs-btn`` the buttons, ``img`` the picture, and
a placeholder's ``<span data-gs-attr="first_name">there</span>`` becomes
``{{first_name|there}}`` again. What a project's own template adds lands in
"other text", so nothing that ships goes unseen. The parser is the standard
library's: it never executes anything and entities come back as characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Parts of the markup that are chrome, not the author's words.
_SKIP = {"gs-close", "gs-progress", "gs-checklist-progress", "gs-arrow", "gs-score", "gs-check"}
#: Elements that start a new line of text.
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "form", "br",
           "blockquote", "pre", "section", "table", "tr"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed"}


@dataclass
class StepText:
    title: str = ""
    body: str = ""
    buttons: list[str] = field(default_factory=list)
    image: str = ""
    other: str = ""

    def parts(self) -> dict[str, str]:
        """Label → text, in reading order, leaving out the empty ones."""
        out = {"title": self.title, "body": self.body,
               "buttons": " · ".join(f"[{b}]" for b in self.buttons), "image": self.image,
               "other text": self.other}
        return {k: v for k, v in out.items() if v}


def _clean(lines: list[str]) -> str:
    out: list[str] = []
    for line in "".join(lines).split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(line)
    return "\n".join(out)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, str | None]] = []  # tag, part, link
        self.texts: dict[str, list[str]] = {"title": [], "body": [], "other": []}
        self.buttons: list[list[str]] = []
        self.images: list[str] = []

    def _part(self) -> str | None:
        for _tag, part, _link in reversed(self.stack):
            if part is not None:
                return part
        return None

    def _sink(self) -> list[str] | None:
        part = self._part()
        if part == "skip":
            return None
        if part == "button":
            return self.buttons[-1]
        return self.texts.get(part or "other")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        part: str | None = None
        if classes & _SKIP:
            part = "skip"
        elif "gs-title" in classes:
            part = "title"
        elif "gs-body" in classes:
            part = "body"
        elif "gs-btn" in classes:
            part = "button"
            self.buttons.append([])
        sink = self._sink() if part is None else None
        if tag in _BLOCKS and sink is not None:
            sink.append("\n")
        elif classes and sink is not None and sink and not sink[-1][-1:].isspace():
            sink.append(" — ")  # a template's parts side by side: "Invite a teammate — Work…"
        if tag == "li" and sink is not None:
            sink.append("• ")
        if tag == "img" and self._part() != "skip":
            alt, src = a.get("alt") or "", a.get("src") or ""
            self.images.append(f"{alt} ({src})" if alt and src else alt or src)
        if "data-gs-attr" in a and sink is not None:
            sink.append("{{" + (a["data-gs-attr"] or "") + "|")
            part = part or "placeholder"
        link = a.get("href") if tag == "a" else None
        if tag not in _VOID:
            self.stack.append((tag, None if part == "placeholder" else part,
                               "}}" if part == "placeholder" else link))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                opened, _part, link = self.stack[i]
                del self.stack[i:]
                sink = self._sink()
                if sink is not None:
                    if link == "}}":
                        sink.append("}}")
                    elif link:
                        sink.append(f" <{link}>")
                    if opened in _BLOCKS:
                        sink.append("\n")
                return

    def handle_data(self, data: str) -> None:
        sink = self._sink()
        if sink is not None:
            sink.append(data)


def read_step(markup: str) -> StepText:
    """The texts of one compiled step in one locale."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return StepText(title=_clean(reader.texts["title"]).replace("\n", " "),
                    body=_clean(reader.texts["body"]),
                    buttons=[b for b in (_clean(x).replace("\n", " ") for x in reader.buttons)
                             if b],
                    image="; ".join(i for i in reader.images if i),
                    other=_clean(reader.texts["other"]))
