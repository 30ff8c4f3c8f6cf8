"""Guide text rendering: what a marketer writes, what ends up in someone else's page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.core.markdown_text import is_safe_url, render, render_html


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
