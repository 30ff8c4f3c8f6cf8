"""The canvas's DOM → Markdown serialiser against the renderer guides are compiled with.

For a text to be editable on the canvas, what the page writes back for its
rendering must be the text itself (up to escapes the rendering does not need,
which Python drops). Checked in the real web engine for every text of the
example project and for texts full of Markdown's corner cases; texts the
serialiser cannot reproduce must be recognised as such (the canvas then leaves
them to the inspector) — never silently rewritten.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from guidestudio.core import markdown_text
from guidestudio.widgets.preview.canvas_text import (
    placeholder_sources,
    same_source,
    step_fields,
)
from guidestudio.widgets.preview.surface import PreviewSurface
from tests.widgets.editor_support import open_example
from tests.widgets.preview_support import delete_now, dom, ready

SERIALIZE_JS = """(function (cases) {
  return JSON.stringify(cases.map(function (c) {
    var el = document.createElement(c.block ? 'div' : 'h2');
    el.innerHTML = c.html;
    [].forEach.call(el.querySelectorAll('[data-gs-attr]'), function (chip, i) {
      if (c.tokens[i]) chip.setAttribute('data-gs-src', c.tokens[i]);
    });
    return window.__gsMarkdown.serialize(el, {block: c.block, links: c.links});
  }));
})(%s)"""

#: (text, block, links): texts people write, and Markdown's corner cases.
ROUND_TRIPS = [
    ("Hello **world** and *more*", False, True),
    ("Read [the docs](https://docs.example.com/a_b?x=1&y=2) first.", True, True),
    ("Hi {{first_name|there}}, your {{plan}} plan", False, True),
    ("{{ first_name | friend }} — spaces kept", False, True),
    ("**Bold {{first_name|you}}** and *italic [link](/files)*", True, True),
    ("Save 20% on plans_now, 5 * 3 = 15, C:\\Users", False, True),
    ("snake_case_name and file_2024_v2 stay", False, True),
    ("A line\nand a soft break", True, True),
    ("First paragraph.\n\nSecond paragraph.", True, True),
    ("- one\n- two with **bold**\n- three", True, True),
    ("1. first\n2. second", True, True),
    ("Use `code` here", False, True),
    ("Visit <https://acme.example> now", True, True),
    ("Price: 10 <b>not html</b> & more", False, True),
    ("Not a [link](https://x) in a button", False, False),
    ("Ends with an escaped \\*star\\*", False, True),
    ("# Not a heading in a title", False, True),
    ("2024\\. was a good year", True, True),
    ("Quote:\n\\>not a quote, - not a list", True, True),
    ("ようこそ **Pro** プラン、{{first_name|お客}}様", False, True),
]


@pytest.fixture(scope="module")
def page(qapp: Any) -> Any:
    surface = PreviewSurface()
    surface.resize(800, 600)
    surface.show()
    surface.load()  # the demo app: the page scripts are injected into it
    yield surface
    delete_now(surface)


def serialize(qtbot: Any, surface: PreviewSurface,
              texts: list[tuple[str, bool, bool]]) -> list[str]:
    cases = [{"html": markdown_text.render(md, inline=not block, links=links).html,
              "tokens": placeholder_sources(md, block, links), "block": block, "links": links}
             for md, block, links in texts]
    return json.loads(dom(qtbot, surface, SERIALIZE_JS % json.dumps(cases)))


def test_written_texts_round_trip(qtbot, page) -> None:
    ready(qtbot, page)
    out = serialize(qtbot, page, ROUND_TRIPS)
    for (md, block, links), back in zip(ROUND_TRIPS, out, strict=True):
        assert same_source(back, md, block, links), (md, back)
        # Whatever it writes renders exactly like the original.
        assert markdown_text.render(back, inline=not block, links=links).html == \
            markdown_text.render(md, inline=not block, links=links).html


def test_every_text_of_the_example_project_is_editable_on_the_canvas(qtbot, page,
                                                                      tmp_path) -> None:
    ready(qtbot, page)
    document = open_example(tmp_path)
    texts = []
    for guide in document.project.guides.values():
        for variant in guide.variants:
            for step in variant.steps:
                for field in step_fields(step):
                    texts += [(value, field.block, field.links)
                              for value in (field.text or {}).values() if value]
    assert len(texts) > 100
    out = serialize(qtbot, page, texts)
    wrong = [(md, back) for (md, block, links), back in zip(texts, out, strict=True)
             if not same_source(back, md, block, links)]
    assert wrong == []
    document.deleteLater()


def test_texts_it_cannot_reproduce_are_recognised(qtbot, page) -> None:
    """Other spellings of the same rendering: the canvas must refuse, not rewrite, them."""
    ready(qtbot, page)
    others = [("* star bullets", True, True), ("__underscore bold__", False, True),
              ("hard  \nbreak", True, True), ("Setext\n===", True, True)]
    out = serialize(qtbot, page, others)
    for (md, block, links), back in zip(others, out, strict=True):
        assert not same_source(back, md, block, links), md
        assert markdown_text.render(back, inline=not block, links=links).html == \
            markdown_text.render(md, inline=not block, links=links).html, (md, back)


def test_only_the_escapes_the_page_added_are_dropped() -> None:
    from guidestudio.widgets.preview.canvas_text import minimal_escapes

    typed = r"Save 20% on \*all\* plans\_now"  # what the page escapes while someone types
    assert minimal_escapes(typed, False, True, "Save 20%") == r"Save 20% on *all\* plans_now"
    # The author's own (unneeded) escape in text not touched stays as written.
    assert minimal_escapes(r"\*star\* and more", False, True, r"\*star\*") == \
        r"\*star\* and more"
    assert minimal_escapes("no escapes", False, True, "x") == "no escapes"


def test_chips_take_their_source_in_page_order() -> None:
    sources = placeholder_sources("`{{code}}` for {{ first_name | you }}, [{{plan}}](/x)",
                                  False, True)
    assert sources == ["{{ first_name | you }}", "{{plan}}"]  # not the one in code
