"""Markdown and placeholders as codes a translator moves but cannot break: the split is
lossless, a translation that keeps the codes (anywhere) rebuilds valid Markdown, and the
renderer is the judge of what the splitter calls bold or a link."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guidestudio.core.l10n import inline
from guidestudio.core.l10n.importer import rebuild
from guidestudio.core.l10n.units import Unit
from guidestudio.core.l10n.xliff_read import TargetCode, TargetNode


def _unit(source: str, field: str = "body") -> Unit:
    path = ("variants", 0, "steps", 0, field)
    return Unit("g", f"a.s.{field}", path, field, field, source, {"en": source})


def _as_target(nodes: list[inline.Node] | tuple[inline.Node, ...],
               words=lambda s: s) -> list[TargetNode]:  # type: ignore[no-untyped-def]
    out: list[TargetNode] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(words(node))
        else:
            out.append(TargetCode(node.id, node.paired, None,
                                  _as_target(node.children, words)))
    return out


def test_the_example_kinds_of_syntax_become_the_expected_codes() -> None:
    nodes = inline.segment("Hi {{first_name|there}}, **save {{pct|90}}%** on [Pro](/pro) "
                           "with `code` and {{plan}}.\n\n- one\n- two", block=True)
    kinds = [(c.kind, c.start, c.end) for c in inline.codes(nodes)]
    assert kinds == [("fallback", "{{first_name|", "}}"), ("bold", "**", "**"),
                     ("fallback", "{{pct|", "}}"), ("link", "[", "](/pro)"),
                     ("code", "`code`", None), ("placeholder", "{{plan}}", None),
                     ("list", "\n\n- ", None),
                     ("list", "\n- ", None)]
    # A button renders links as text: no link code there.
    assert [c.kind for c in inline.codes(inline.segment("[a](b)", block=False,
                                                        links=False))] == []


def test_codes_move_and_words_change_the_markdown_follows() -> None:
    unit = _unit("Hi {{first_name|there}}, you used **{{pct|90}}%** of your space.")
    nodes = inline.segment(unit.source, block=True)
    fallback, bold = nodes[1], nodes[3]
    assert isinstance(fallback, inline.Code) and isinstance(bold, inline.Code)
    # German word order: the bold part moves before the greeting's end.
    target: list[TargetNode] = [
        "Hallo ", TargetCode("1", True, None, ["du"]), ", du hast ",
        TargetCode("2", True, None, [TargetCode("3", True, None, ["90"]), " %"]),
        " deines Speichers belegt."]
    assert rebuild(unit, target) == ("Hallo {{first_name|du}}, du hast **{{pct|90}} %** "
                                     "deines Speichers belegt.")
    # Spaces a tool leaves inside the bold go outside it ("** x**" would not be bold).
    spaced: list[TargetNode] = ["Hallo ", TargetCode("1", True, None, ["du"]), ",",
                                TargetCode("2", True, None, [" ", TargetCode("3", True, None,
                                                                             ["90"]), "% "]),
                                "belegt."]
    assert rebuild(unit, spaced) == "Hallo {{first_name|du}}, **{{pct|90}}%** belegt."


_WORD = st.sampled_from(["save", "Pro", "files", "90%", "a_b", "x*y", "über", "—", "2×"])
_PIECE = st.one_of(
    _WORD,
    st.sampled_from(["{{first_name|there}}", "{{plan}}", "{{ pct | 90 }}", "`code`",
                     "[notes](https://acme.example/n)", "<https://acme.example>", "\\*"]),
    _WORD.map(lambda w: f"**{w}**"), _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"_{w}_"), st.sampled_from(["\n", "\n\n", "\n- ", "\\\n", "  \n"]))


@given(st.lists(_PIECE, min_size=1, max_size=12).map(" ".join), st.booleans())
def test_any_text_splits_losslessly_and_rebuilds_from_its_codes(text: str, block: bool) -> None:
    nodes = inline.segment(text, block=block)
    assert inline.markdown(nodes) == text
    unit = _unit(text, "body" if block else "title")
    assert rebuild(unit, _as_target(nodes)) == text
    # Translated words (no Markdown in them) keep the source's formatting exactly.
    translated = rebuild(unit, _as_target(nodes, lambda s: s.replace("save", "sparen")
                                          .replace("files", "Dateien")))
    assert inline.formatting(translated, block=block, links=True) == \
        inline.formatting(text, block=block, links=True)
