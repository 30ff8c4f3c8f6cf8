"""The HTML report: one self-contained file whose every piece of data is text, with the
charts inline, readable in light and dark and on paper; parsed as a browser would."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from .html_support import HOSTILE, VARIANT, hostile_report


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> Parsed:
    p = Parsed()
    p.feed(text)
    p.close()
    return p


def test_hostile_names_are_text_and_nothing_can_run_or_load(tmp_path: Path) -> None:
    page = parse(hostile_report(tmp_path))
    assert "script" not in page.tags and "img" not in page.tags and "link" not in page.tags
    assert not [a for a in page.attrs if a[1].startswith("on")]  # no event handlers
    assert not [a for a in page.attrs if a[1] in ("src", "href")]  # nothing fetched
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 3  # title, heading, the anchor's selector
    assert VARIANT in text
    csp = [v for t, k, v in page.attrs if t == "meta" and k == "content" and v and "default-src" in v]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_one_file_with_charts_for_funnel_days_and_intervals(tmp_path: Path) -> None:
    html = hostile_report(tmp_path)
    page = parse(html)
    assert page.tags.count("svg") == 3  # funnel, users per day, the experiment's intervals
    assert page.tags.count("polyline") == 2  # one line per variant shown
    assert "circle" in page.tags  # each arm's lift, with its interval
    assert "prefers-color-scheme: dark" in html and "@media print" in html
    text = "".join(page.text)
    assert "By locale" in text and "Anchors missing" in text and "Experiment exp" in text
    assert "1 unreadable row skipped" in text  # what was left out is said here too
    assert hostile_report(tmp_path) == html  # same results, same bytes
