"""What a marketer reads when a pattern could hang: the danger, the repetition, the rewrite.

``js_regex_redos`` finds how a pattern can backtrack for ever and where (source spans of
the repetitions); this module turns that into the validator's and the rule builder's words.
"""

from __future__ import annotations

from guidestudio.core.targeting.js_regex_ast import Alt, Assertion, Node, Repeat, Seq
from guidestudio.core.targeting.js_regex_redos import Finding


def _text(units: str, span: tuple[int, int]) -> str:
    return units[span[0]:span[1]].encode("utf-16-le", "surrogatepass").decode(
        "utf-16-le", "replace")


def _nested_rewrite(tree: Node, span: tuple[int, int], units: str) -> str | None:
    """``(X+)+`` → ``X+``: the inner repetition alone, when the outer one repeats only it."""
    found: list[Repeat] = []

    def visit(node: Node) -> None:
        if isinstance(node, Repeat) and (node.start, node.end) == span:
            found.append(node)
        for child in _children(node):
            visit(child)

    visit(tree)
    body = found[0].body if found else None
    while isinstance(body, Seq) and len(body.items) == 1:
        body = body.items[0]
    if isinstance(body, Repeat) and body.high is None:
        return _text(units, (body.start, body.end))
    return None


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.options
    if isinstance(node, Repeat):
        return (node.body,)
    if isinstance(node, Assertion) and node.body is not None:
        return (node.body,)
    return ()


def describe(finding: Finding, tree: Node, units: str) -> str:
    """What a marketer reads: the danger, the repetition to change, and how to change it.
    ``units`` is the pattern as UTF-16 code units (the spans index it)."""
    loops = [f"`{_text(units, span)}`" for span in finding.loops]
    if finding.kind == "complex":
        return ("it is too complex to check for slow matching; simplify it (fewer nested or "
                "counted repetitions)")
    if finding.kind == "polynomial":
        return (f"{loops[0]} and {loops[1]} can match the same characters, so on a value that "
                f"almost matches, the browser tries every way of sharing them out: the time "
                f"grows with the square of the value's length or faster, and a long value "
                f"freezes the page. Make the two match different characters (for example "
                f"[^@]+@ instead of .+@), or drop a .* at the start or end ($regex finds the "
                f"text anywhere in the value)")
    danger = ("so on a value that almost matches, the browser tries every way, twice as many "
              "for each extra character: a value of 30 characters can freeze the page")
    if finding.kind == "nested":
        rewrite = _nested_rewrite(tree, finding.loops[0], units)
        instead = f" (write `{rewrite}` instead of {loops[0]})" if rewrite else ""
        return (f"the repetition {loops[0]} repeats something that already repeats, so the "
                f"same text can be split between them in many ways, {danger}. Repeat it only "
                f"once{instead}")
    return (f"the alternatives inside the repetition {loops[0]} can match the same text, "
            f"{danger}. Make them match different text, for example by merging them into "
            f"one character class ([\\w.-]+ instead of (\\w|\\.|-|\\d)+)")
