"""Guide text rendering: what a marketer writes, what ends up in someone else's page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidestudio.core.markdown_text import is_safe_url, may_refuse_links, render, render_html


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def tags(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser


def test_commonmark_basics() -> None:
    out = render("Hello **world**, *really*.\n\n- one\n- two").html
    assert "<strong>world</strong>" in out
    assert "<em>really</em>" in out
    assert "<ul>" in out and "<li>one</li>" in out


def test_raw_html_is_shown_as_text() -> None:
    out = render("<script>window.__pwned=1</script> <img src=x onerror=alert(1)>").html
    parsed = tags(out)
    assert [t for t, _ in parsed.tags] == ["p"]
    assert "<script>window.__pwned=1</script>" in "".join(parsed.text)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](JaVaScRiPt&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](<java script:alert(1)>)",
        "[x](%6Aavascript:alert(1))",
        "[x](  javascript:alert(1)  )",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[x]",
        "[x][r]\n\n[r]: JAVASCRIPT:alert(1)",
    ],
)
def test_unsafe_links_render_as_text(source: str) -> None:
    parsed = tags(render(source).html)
    assert all(tag != "a" for tag, _ in parsed.tags), source
    assert "".join(parsed.text).strip()  # the author's text is still shown


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[docs](https://acme.example/docs)", "https://acme.example/docs"),
        ("[plain](http://acme.example)", "http://acme.example"),
        ("[mail](mailto:help@acme.example)", "mailto:help@acme.example"),
        ("[rel](/billing?plan=pro#top)", "/billing?plan=pro#top"),
        ("<https://acme.example/a>", "https://acme.example/a"),
    ],
)
def test_safe_links_get_rel(source: str, href: str) -> None:
    links = [attrs for tag, attrs in tags(render(source).html).tags if tag == "a"]
    assert links == [{"href": href, "rel": "noopener noreferrer"}]


def test_images_in_text_are_not_images() -> None:
    out = render("![logo](https://acme.example/logo.png)").html
    parsed = tags(out)
    assert all(tag != "img" for tag, _ in parsed.tags)
    assert "![logo](https://acme.example/logo.png)" in "".join(parsed.text)


def test_placeholders_become_spans_after_escaping() -> None:
    result = render("Hi {{first_name|there}}, you use {{ usage.pct | lots }} of {{plan}}.")
    assert result.html == (
        '<p>Hi <span data-gs-attr="first_name">there</span>, you use '
        '<span data-gs-attr="usage.pct">lots</span> of <span data-gs-attr="plan"></span>.</p>'
    )
    assert result.tokens == ("first_name", "usage.pct", "plan")
    assert result.text == "Hi there, you use lots of ."


def test_placeholder_fallback_is_escaped_text_not_markdown_or_html() -> None:
    result = render("{{name|<b>*friend*</b>}}")
    parsed = tags(result.html)
    assert [t for t, _ in parsed.tags] == ["p", "span"]
    assert "".join(parsed.text) == "<b>*friend*</b>"


@pytest.mark.parametrize("source", ["{{7*7}}", "{{ }}", "{{1name}}", "{{a b}}", "{{x|y}"])
def test_other_braces_stay_literal(source: str) -> None:
    result = render(source)
    assert result.tokens == ()
    assert "".join(tags(result.html).text) == source
    assert "49" not in result.html


def test_placeholders_in_code_and_urls_stay_literal() -> None:
    result = render('`{{name|x}}` [a](https://x.example/{{id}} "t {{n}}")')
    assert result.tokens == ()
    parsed = tags(result.html)
    link = next(attrs for tag, attrs in parsed.tags if tag == "a")
    assert link["href"] == "https://x.example/%7B%7Bid%7D%7D"
    assert link["title"] == "t {{n}}"
    assert "{{name|x}}" in "".join(parsed.text)


def test_private_use_markers_in_input_cannot_forge_placeholders() -> None:
    result = render("\ue0000\ue001 and {{real|r}}")
    assert result.tokens == ("real",)
    assert result.html.count("data-gs-attr") == 1


def test_inline_has_no_paragraph_and_no_block_syntax() -> None:
    assert render("# Big **news**", inline=True).html == "# Big <strong>news</strong>"
    assert render("Hello", inline=True).html == "Hello"


def test_links_off_for_labels() -> None:
    out = render("Go [there](https://a.example) <https://b.example>", inline=True, links=False)
    assert all(tag != "a" for tag, _ in tags(out.html).tags)


def test_render_html_short_form() -> None:
    html, names = render_html("Hi {{n|you}}", inline=True)
    assert html == 'Hi <span data-gs-attr="n">you</span>'
    assert names == ["n"]


@pytest.mark.parametrize(
    "url",
    ["https://a.example", "http://a.example", "mailto:x@y.z", "/relative", "relative/path",
     "#anchor", "?q=1", "//cdn.example/x", "HTTPS://A.EXAMPLE"],
)
def test_is_safe_url_accepts(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
     "java\nscript:alert(1)", "\x01javascript:alert(1)", "javascript&#58;alert(1)",
     "javascript&colon;alert(1)", "%6a%61vascript:alert(1)", "data:text/html,x",
     "vbscript:x", "file:///etc/passwd", "jav&#x0A;ascript:alert(1)", "ftp://x"],
)
def test_is_safe_url_rejects(url: str) -> None:
    assert not is_safe_url(url)


# --- the pre-filter validation uses to skip parsing texts whose links are all safe ------

_OPENERS = ["[a](", "[a](<", "<", "[x]: ", "[x]:", "[x]:\n  ", "[a]( \n ", "> [a](\n> ",
            "> [x]:\n> ", "- [a](\n  ", "![i](", "[[a](", "\\(", "(", "]:", "[a]\n(",
            "[a](\t", "[a](\r\n", "[a](\x00", "[a]({{x}}", "[a](\\", "[a](%20", "[a](&#32;"]
_SCHEMES = ["javascript", "JaVaScRiPt", "vbscript", "VBScript", "data", "file", "ftp", "https",
            "http", "mailto", "HTTPS", "MailTo", "java script", "java\tscript", "java\nscript",
            "java\n> script", "java\rscript", "jav\x00ascript", "\u200bjavascript",
            "java\u00a0script", "java\x85script", "jav&#x61;script", "&#106;avascript",
            "&#x6A;avascript", "%6Aavascript", "%6a%61vascript", "java\\-script", "java-script",
            "java.script", "j+s", "java{{x}}script", "{{a|b}}javascript", "javascript{{x}}",
            "&Tab;javascript", "java&NewLine;script", "\\javascript", "x1", "1x", ""]
_COLONS = [":", "&#58;", "&#058;", "&colon;", "&#x3A;", "&#x3a", "%3A", "%3a", "\\:",
           "&amp;#58;", "&amp;colon;", "%26%2358%3B", "&#37;3A", "%253A", "\\&#58;",
           "&\\#58;", "{{x|:}}", ""]
_RESTS = ["alert(1)", "//x.example/y", "", "x@y.z", "%0a", "&#41;", "\"t\""]
_CLOSERS = [")", ">)", ">", "\n\n[x]", "\n\n[a][x]", " \"t\")", "", "]"]


@st.composite
def _link_soup(draw: st.DrawFn) -> str:
    """Texts mixing link syntax, schemes, entities, escapes, percent-encoding, placeholders
    and whitespace, plus a few random characters of the kinds that matter."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        parts.append(draw(st.text(alphabet="ab :&%#;\\()<>[]\n\t{}|", max_size=4)))
        parts.append(draw(st.sampled_from(_OPENERS)))
        parts.append(draw(st.sampled_from(_SCHEMES)))
        parts.append(draw(st.sampled_from(_COLONS)))
        parts.append(draw(st.sampled_from(_RESTS)))
        parts.append(draw(st.sampled_from(_CLOSERS)))
    return "".join(parts)


_NOISE = st.text(alphabet="()<>[]:&#%\\;x3AaJjvsScripth .-+\t\n>{}|\x00\u200b", max_size=40)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_link_soup(), _NOISE))
def test_prefilter_never_clears_a_text_whose_render_refuses_a_link(text: str) -> None:
    if not may_refuse_links(text):
        assert render(text).refused_links == (), text


@pytest.mark.parametrize(
    "source",
    ["[x](javascript:alert(1))", "[x](javascript%3Aalert(1))", "[x](java&#115;cript:x)",
     "[x](<java script:x>)", "> [x](\n> javascript:x)", "> [r]:\n> javascript:x\n\n> [r]",
     "[x](jav\\ascript:x)", "<vbscript:x>", "[r]:data:x\n\n[r]"],
)
def test_prefilter_sends_suspicious_links_to_the_render(source: str) -> None:
    assert may_refuse_links(source)


@pytest.mark.parametrize(
    "source",
    ["no links at all: just a colon", "Q&A, 50% off: today", "[docs](https://acme.example/d)",
     "Hi {{first_name|there}}, [more](HTTP://a.example/x?a=1&b=%20) and <mailto:x@y.z>",
     "[rel](/billing#top) (see: below)", "[x]: https://a.example\n\n[x]"],
)
def test_prefilter_clears_plainly_safe_texts(source: str) -> None:
    assert not may_refuse_links(source)
    assert render(source).refused_links == ()
