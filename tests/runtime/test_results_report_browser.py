"""The HTML results report in the real web engine: hostile guide names stay text, nothing
runs, nothing is fetched, and the charts are drawn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from tests.core.results.html_support import HOSTILE, hostile_report
from tests.runtime.conftest import GuidePage


def test_the_report_shows_hostile_names_as_text_and_runs_nothing(
        browser: GuidePage, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(hostile_report(tmp_path), encoding="utf-8")
    browser.load(QUrl.fromLocalFile(str(path)).toString())
    assert browser.js("document.querySelector('h2').firstChild.textContent.trim()") == HOSTILE
    assert browser.js("document.querySelectorAll('script, img, [onload], [onerror]').length") == 0
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.page.alerts == []
    assert browser.js("performance.getEntriesByType('resource').length") == 0
    # The funnel's bars have a size and a colour from the stylesheet.
    bar = browser.run("const r = document.querySelector('svg rect'); const b = r.getBBox();"
                      "return [b.width > 0, getComputedStyle(r).fill];")
    assert bar[0] is True and bar[1] not in ("", "none", "rgb(0, 0, 0)")
