"""Change a YAML file's text only where its data changed; keep everything else as written.

Authors put comments, blank lines, their own quoting and one-line ``[a, b]``
lists in their files. Writing the whole file canonically on every save would
strip all of that from a file whose title alone changed. Here each changed
value is written by the canonical dumper (``yaml_io.dump``, so scalars are
quoted by our rules) and put where the old value stood; every other line is
left byte for byte.

Why not a round-trip library such as ruamel.yaml: it re-emits the whole file
with one indentation and one line width (re-folding hand-wrapped text nobody
touched), reads scalars by its own rules rather than ``yaml_io``'s, and was
more than 10 times slower on a large guide (``docs/architecture.md`` has the numbers).

Where a value cannot be changed in place safely — a key sharing its line with
the ``-`` of a list item that loses it, compact ``- - x`` lists, an emptied
collection — the change widens to the enclosing value, which is rewritten
whole. ``patched`` then loads its result back and returns it only if that
gives exactly the wanted data (key order and types included); otherwise None,
and the caller writes the canonical text. So a kept format can never cost data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from guidestudio.core.files import yaml_io

_COLLECTIONS = (dict, list)


def _same(a: Any, b: Any) -> bool:
    """Same data as a file would hold it: key order and types count (``1``, ``1.0``,
    ``True`` differ; ``rules.as_written`` says why). ``repr`` of plain data says
    exactly that, and compares large equal values in C, not in a Python walk."""
    return type(a) is type(b) and repr(a) == repr(b)


class _Widen(Exception):
    """This value cannot be changed in place: rewrite the value that holds it."""


# An edit of the text: replace text[start:end] with the string (start == end: insert).
_Edit = tuple[int, int, str]


def patched(text: str, new: Any, canonical: Callable[[Any], Any]) -> str | None:
    """``text`` with only its changed values rewritten so that it holds ``new``.

    ``canonical`` turns loaded data into the form ``new`` is in (the model's
    ``to_dict(from_dict(...))``): a value is "changed" when the canonical forms
    differ, so a default the author spelled out, or a key the model ignores,
    stays as written. Returns ``text`` itself when nothing changed, and None
    when the text cannot be kept (not a mapping, unreadable, or the patch would
    not load back as ``new``).
    """
    try:
        old = canonical(yaml_io.load_data(text))
        if _same(old, new):
            return text
        root = yaml_io.compose(text)
        if not isinstance(root, yaml.MappingNode) or not isinstance(new, dict):
            return None
        patcher = _Patcher(text)
        patcher.mapping(root, old, new)
        result = patcher.result()
        if not _same(canonical(yaml_io.load_data(result)), new):
            return None
        return result
    except (_Widen, yaml_io.YamlError, yaml.YAMLError, ValueError, TypeError, KeyError,
            AttributeError, IndexError):
        return None


class _Patcher:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[_Edit] = []

    def result(self) -> str:
        out: list[str] = []
        at = 0
        # Stable: insertions at one point keep the order they were planned in.
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < at:
                raise _Widen  # overlapping edits: a bug to fall back from, never to write
            out += [self.text[at:start], new]
            at = end
        out.append(self.text[at:])
        return "".join(out)

    # --- walking old and new data along the node tree ----------------------------------

    def value(self, node: yaml.Node, old: Any, new: Any) -> None:
        """Change ``node`` (holding ``old``) to hold ``new``, as locally as possible."""
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.flow_style:
            if not isinstance(new, _COLLECTIONS) or not new:
                raise _Widen
            self.edits.append((node.start_mark.index, node.end_mark.index,
                               yaml_io.dump_flow(new)))
        elif isinstance(node, yaml.MappingNode):
            if not (isinstance(old, dict) and isinstance(new, dict)):
                raise _Widen
            self.mapping(node, old, new)
        elif isinstance(node, yaml.SequenceNode):
            if not (isinstance(old, list) and isinstance(new, list)):
                raise _Widen
            self.sequence(node, old, new)
        else:
            self.scalar(node, new)

    def scalar(self, node: yaml.Node, new: Any) -> None:
        start, end = node.start_mark.index, node.end_mark.index
        if isinstance(new, _COLLECTIONS) or node.style not in (None, "", "'", '"') or start == end:
            raise _Widen  # a block scalar's span holds its trailing lines; empty: no span
        line = yaml_io.dump({"k": new})
        if line.count("\n") != 1 or not line.startswith("k: "):
            raise _Widen  # long text folds over lines: rewrite the pair
        self.edits.append((start, end, line[3:-1]))

    def mapping(self, node: yaml.MappingNode, old: dict[Any, Any], new: dict[Any, Any]) -> None:
        if node.flow_style or not node.value or not new:
            raise _Widen
        pairs: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            pairs[yaml_io.node_value(key_node)] = (key_node, value_node)
        if [k for k in old if k in new] != [k for k in new if k in old]:
            raise _Widen  # keys moved: their order is data (conditions)
        gone = [key for key in pairs if key in old and key not in new]
        for key in gone:
            self.remove_pair(node, key, pairs, gone)
        for index, key in enumerate(new):
            if key in old and _same(old[key], new[key]):
                continue
            if key not in pairs:
                self.add_pair(node, pairs, list(new)[:index], key, new[key])
                continue
            key_node, value_node = pairs[key]
            mark = len(self.edits)
            try:
                if key not in old:
                    raise _Widen
                self.value(value_node, old[key], new[key])
            except _Widen:
                del self.edits[mark:]
                self.replace_pair(key_node, value_node, key, new[key])

    def sequence(self, node: yaml.SequenceNode, old: list[Any], new: list[Any]) -> None:
        items = node.value
        if len(items) != len(old) or not new:
            raise _Widen
        head = 0
        while head < min(len(old), len(new)) and _same(old[head], new[head]):
            head += 1
        tail = 0
        while (tail < min(len(old), len(new)) - head
               and _same(old[-1 - tail], new[-1 - tail])):
            tail += 1
        gone = range(head, len(old) - tail)
        came = new[head:len(new) - tail]
        if len(gone) == len(came):
            for i, item in zip(gone, came, strict=True):
                if _same(old[i], item):
                    continue
                mark = len(self.edits)
                try:
                    self.value(items[i], old[i], item)
                except _Widen:
                    del self.edits[mark:]
                    self.replace_item(items[i], item)
            return
        for i in gone:
            self.edits.append((self.item_line(items[i]), self.region_end(items[i]), ""))
        if came:
            if head < len(items):
                at = self.item_line(items[head])
            else:
                at = self.region_end(items[-1])
                self.ensure_line_end(at)
            lines = yaml_io.dump(came)
            self.edits.append((at, at, self.indented(lines, node.start_mark.column, True)))

    # --- rewriting one pair or item ----------------------------------------------------

    def replace_pair(self, key_node: yaml.Node, value_node: yaml.Node, key: Any,
                     value: Any) -> None:
        start = key_node.start_mark.index
        end = self.region_end(value_node, key_node)
        self.ensure_line_end(end)
        rendered = yaml_io.dump({key: value})
        self.edits.append((start, end, self.indented(rendered, key_node.start_mark.column,
                                                      False)))

    def remove_pair(self, node: yaml.MappingNode, key: Any,
                    pairs: dict[Any, tuple[yaml.Node, yaml.Node]], gone: list[Any]) -> None:
        key_node, value_node = pairs[key]
        start = self.line_start(key_node.start_mark.index)
        if not self.text[start:key_node.start_mark.index].strip(" "):
            self.edits.append((start, self.region_end(value_node, key_node), ""))
            return
        # "- key: …": the next key moves up next to the "-", at the same column.
        keys = list(pairs)
        following = keys[keys.index(key) + 1:]
        if not following or following[0] in gone:
            raise _Widen
        self.edits.append((key_node.start_mark.index,
                           pairs[following[0]][0].start_mark.index, ""))

    def add_pair(self, node: yaml.MappingNode, pairs: dict[Any, tuple[yaml.Node, yaml.Node]],
                 before: list[Any], key: Any, value: Any) -> None:
        """A new key goes after the nearest key that precedes it in ``new``, else first."""
        column = node.value[0][0].start_mark.column
        rendered = self.indented(yaml_io.dump({key: value}), column, True)
        anchor = next((pairs[k] for k in reversed(before) if k in pairs), None)
        if anchor is None:
            first = node.value[0][0].start_mark.index
            at = self.line_start(first)
            if self.text[at:first].strip(" "):
                raise _Widen  # the first key shares its line with a "- "
        else:
            at = self.region_end(anchor[1], anchor[0])
            self.ensure_line_end(at)
        self.edits.append((at, at, rendered))

    def replace_item(self, item: yaml.Node, value: Any) -> None:
        start, end = item.start_mark.index, self.region_end(item)
        if start == end:
            raise _Widen
        self.ensure_line_end(end)
        rendered = yaml_io.dump([value])  # "- first line\n  more\n"
        lines = rendered.split("\n")
        body = "\n".join([lines[0][2:], *(line[2:] for line in lines[1:])])
        self.edits.append((start, end, self.indented(body, item.start_mark.column, False)))

    # --- where things are in the text --------------------------------------------------

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def item_line(self, item: yaml.Node) -> int:
        """Start of the line of an item's ``-``, if the ``-`` begins that line."""
        dash = item.start_mark.index - 1
        while dash >= 0 and self.text[dash] in " \r\n":
            dash -= 1
        start = self.line_start(dash)
        if dash < 0 or self.text[dash] != "-" or self.text[start:dash].strip(" "):
            raise _Widen  # "- - x", or "key: - x": no line of its own
        return start

    def region_end(self, node: yaml.Node, key: yaml.Node | None = None) -> int:
        """After the line break that ends ``node``'s last line of content.

        A block collection's own end mark lies after the comments and blank lines
        that follow it, which belong to whatever comes next.
        """
        end = self.content_end(node)
        if key is not None:
            end = max(end, key.end_mark.index)
        found = self.text.find("\n", end)
        return len(self.text) if found < 0 else found + 1

    def content_end(self, node: yaml.Node) -> int:
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark.index
            if node.style in ("|", ">"):  # its span runs over the blank lines after it
                while end > node.start_mark.index and self.text[end - 1] in " \r\n":
                    end -= 1
            return end
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        if isinstance(node, yaml.MappingNode):
            return max(self.content_end(last[1]), last[0].end_mark.index)
        return self.content_end(last)

    def ensure_line_end(self, at: int) -> None:
        """Text inserted at the very end of a file without a final line break needs one."""
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            self.edits.append((at, at, self.newline))

    def indented(self, rendered: str, column: int, first_too: bool) -> str:
        """Dumped lines moved to ``column``; the first stays where it is put unless told."""
        pad = " " * column
        lines = rendered.split("\n")
        trailing = lines[-1] == ""
        if trailing:
            lines.pop()
        out = [(pad if first_too else "") + lines[0]]
        out += [pad + line if line else line for line in lines[1:]]
        return self.newline.join(out) + (self.newline if trailing else "")
