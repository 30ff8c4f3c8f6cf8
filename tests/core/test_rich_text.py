"""Guide texts as formatted runs: Markdown → rich model → Markdown gives the very text back.

The inspector's rich text fields (and the canvas) show a text as formatting and
chips and store Markdown again; a text someone only looked at must be stored
byte for byte as it was, and a text someone formatted must render as they saw it.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from guidestudio.core import markdown_text
from guidestudio.core.files.project_io import load_project
from guidestudio.core.rich_text import (
    ListBlock,
    Paragraph,
    Placeholder,
    RichText,
    Span,
    from_markdown,
    plain_words,
    rich_view,
    to_markdown,
)
from tests.conftest import EXAMPLE_PROJECT

#: Pieces Markdown might read as syntax, mixed with words, so generated texts hit the edges.
PIECES = ["word", "two words", " ", "*", "**", "_", "`", "[", "]", "(", ")", "\\", "<", ">",
          "&amp;", "&", "#", "- ", "1. ", "\n", "\n\n", "{{first_name|there}}",
          "{{ plan }}", "{{7*7}}", "https://acme.test/a", "[docs](https://acme.test)",
          "<https://acme.test>", "*it*", "**bold**", "`code`", "ü", "!"]
markdown_texts = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def round_trip(markdown: str, block: bool, links: bool = True) -> str | None:
    rich = rich_view(markdown, block=block, links=links)
    return None if rich is None else to_markdown(rich, block=block, links=links,
                                                 previous=markdown)


@settings(max_examples=400, deadline=None)
@given(markdown_texts, st.booleans(), st.booleans())
@example("\\\n", False, False)  # a backslash before the last new line is a line break
def test_a_text_shown_rich_is_stored_back_byte_for_byte(markdown: str, block: bool,
                                                        links: bool) -> None:
    back = round_trip(markdown, block, links)
    assert back is None or back == markdown


#: Formatting around text a person types; marks pressed against punctuation are left to the
#: field's own check (it shows the stored text again when Markdown cannot say a mark there).
words = st.text(alphabet="ab *_`[]&\\#!-1.", min_size=1, max_size=6).filter(
    lambda w: w[0].isalpha() and w[-1].isalpha())
spans = st.one_of(
    st.builds(Span, text=words, bold=st.booleans(), italic=st.booleans()),
    st.builds(Span, text=st.sampled_from(["x", "y z"]), code=st.just(True)),
    st.builds(Span, text=st.sampled_from(["docs", "see here"]),
              link=st.sampled_from(["https://acme.test/a", "/help"])),
    st.just(Span(chip=Placeholder.make("first_name", "there"))),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(spans, min_size=1, max_size=6))
def test_what_a_field_shows_renders_as_it_was_formatted(parts: list[Span]) -> None:
    """Any formatting a field holds is stored as Markdown that renders to that formatting."""
    rich = RichText((Paragraph(tuple(parts)),))
    stored = to_markdown(rich, block=False)
    again = from_markdown(stored, block=False)
    assert again is not None
    written = markdown_text.render(stored, inline=True).html
    assert markdown_text.render(to_markdown(again, block=False), inline=True).html == written
    assert "".join(s.text for s in again.blocks[0].spans if s.is_text()).strip() == \
        "".join(s.text for s in rich.blocks[0].spans if s.is_text()).strip()


def test_every_example_text_is_shown_rich_and_stored_back_unchanged() -> None:
    project = load_project(EXAMPLE_PROJECT).project
    seen = 0
    for guide in project.guides.values():
        for variant in guide.variants:
            for step in variant.steps:
                for text, block in ((step.title, False), (step.body, True)):
                    for markdown in (text or {}).values():
                        assert round_trip(markdown, block) == markdown
                        seen += 1
    assert seen > 20


def test_formatting_and_chips_are_read_as_runs() -> None:
    rich = from_markdown("Hi {{first_name|there}}, **save** *now*: [docs](/help)", block=False)
    assert rich is not None
    spans = rich.blocks[0].spans
    assert spans[1].chip == Placeholder("first_name", "there", "{{first_name|there}}")
    assert [s.text for s in spans if s.bold] == ["save"]
    assert [s.text for s in spans if s.italic] == ["now"]
    assert [(s.text, s.link) for s in spans if s.link] == [("docs", "/help")]


def test_a_list_is_read_as_items_and_written_as_a_list() -> None:
    rich = from_markdown("Do this:\n\n- one\n- **two**", block=True)
    assert rich is not None and isinstance(rich.blocks[1], ListBlock)
    assert to_markdown(rich, block=True) == "Do this:\n\n- one\n- **two**"


def test_what_a_field_cannot_hold_is_left_to_markdown() -> None:
    assert rich_view("# Heading", block=True) is None
    assert rich_view("__bold__", block=False) is None  # would be written back as **bold**


def test_bold_typed_as_asterisks_is_stored_escaped() -> None:
    rich = RichText((Paragraph((Span(text="a **b** c"),)),))
    stored = to_markdown(rich, block=False)
    assert markdown_text.render(stored, inline=True).text == "a **b** c"


def test_plain_words_show_no_syntax_and_name_the_chip() -> None:
    label = {"first_name": "First name"}.get
    assert plain_words("Hi {{first_name|there}}, **save** *now*",
                       lambda key: label(key) or key) == "Hi ‹First name›, save now"
