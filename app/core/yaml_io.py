"""YAML that reads what it says: safe, position-aware, and canonical on output.

Why not plain ``yaml.safe_load``:

* YAML 1.1 turns ``on``, ``yes`` and ``no`` into booleans — ``trigger: {on:
  page_view}`` would lose its key — and turns dates into ``datetime`` objects
  our schemas expect as strings. We resolve booleans as YAML 1.2 does
  (``true``/``false`` only) and keep timestamps as strings.
* Duplicate keys silently keep the last value; we report them.
* Aliases can expand a tiny file into gigabytes (the "billion laughs"); our
  files never need them, so they are refused.
* Problems need line numbers: every mapping and sequence remembers where its
  keys and items started, looked up by object identity after loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # The C parser is ~10x faster; fall back to pure Python where it is missing.
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _yaml12_resolvers(base: dict[Any, list[tuple[str, Any]]]) -> dict[Any, list[tuple[str, Any]]]:
    resolvers: dict[Any, list[tuple[str, Any]]] = {}
    for first, entries in base.items():
        kept = [(tag, rx) for tag, rx in entries if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
        if kept:
            resolvers[first] = kept
    for first in "tTfF":
        resolvers.setdefault(first, []).insert(0, (_BOOL_TAG, _BOOL_RE))
    return resolvers


class YamlError(Exception):
    """A file that is not the YAML we accept, with where it went wrong (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


Mark = tuple[int, int]  # (line, column), 1-based


@dataclass
class Positions:
    """Where each key and item of a loaded document started, by container identity."""

    by_container: dict[int, dict[Any, Mark]] = field(default_factory=dict)
    root_mark: Mark = (1, 1)

    def locate(self, data: Any, path: tuple[Any, ...]) -> Mark | None:
        """Line of the deepest element of ``path`` that exists in ``data``."""
        best: Mark | None = self.root_mark
        node = data
        for part in path:
            marks = self.by_container.get(id(node))
            if marks is None or part not in marks:
                break
            best = marks[part]
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return best


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Parses and composes in C; we build the Python data ourselves (see ``_Builder``)."""

    yaml_implicit_resolvers = _yaml12_resolvers(_BaseLoader.yaml_implicit_resolvers)


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into plain data, recording positions on the way.

    PyYAML's generic constructor supports recursive structures through
    generators and per-node bookkeeping; our files need none of that, and a
    direct walk is about twice as fast on a 2,000-guide project.
    """

    def __init__(self, loader: _Loader) -> None:
        self._loader = loader
        self._scalar = loader.yaml_constructors
        self._seen: set[int] = set()
        self.positions = Positions()

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return node.value
            construct = self._scalar.get(node.tag)
            if construct is None:
                raise YamlError(f"unsupported tag {node.tag!r}", *_mark(node))
            return construct(self._loader, node)
        if id(node) in self._seen:
            raise YamlError(
                "anchors and aliases (&name / *name) are not supported; write the value out",
                *_mark(node),
            )
        self._seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            items = [self.build(child) for child in node.value]
            self.positions.by_container[id(items)] = {
                i: _mark(child) for i, child in enumerate(node.value)
            }
            return items
        result: dict[Any, Any] = {}
        marks: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise YamlError("merge keys (<<) are not supported", *_mark(key_node))
            key = self.build(key_node)
            try:
                duplicate = key in result
            except TypeError:
                raise YamlError("a mapping key must be a plain value", *_mark(key_node)) from None
            if duplicate:
                raise YamlError(
                    f"duplicate key {key!r} (first defined on line {marks[key][0]})",
                    *_mark(key_node),
                )
            result[key] = self.build(value_node)
            marks[key] = _mark(key_node)
        self.positions.by_container[id(result)] = marks
        return result


MAX_DEPTH = 100  # our files nest ~10 levels; libyaml's C composer crashes near 25,000
_LINE_PREFIX = re.compile(r"^[ \t?:-]*", re.MULTILINE)
# A bracket pair with no bracket inside adds at most one level wherever it is;
# guide text is full of them (`{{first_name|there}}`, `[link](url)`).
_INNERMOST_PAIR = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_depth(text: str) -> None:
    """Refuse absurdly nested documents before the C composer recurses on them.

    libyaml's composer recurses in C without a limit, so ``[[[[…`` 30,000 deep
    (a 60 KB file) kills the whole process with a segfault — no exception to
    catch. Flow nesting needs a ``[`` or ``{`` per level (innermost pairs count
    once) and block nesting a wider line prefix, so most files are cleared by
    counting; the rest are
    scanned as an event stream, which libyaml produces without recursion.
    """
    stripped = _INNERMOST_PAIR.sub("", text)
    bound = stripped.count("[") + stripped.count("{") + 1
    bound += max((m.end() - m.start() for m in _LINE_PREFIX.finditer(text)), default=0)
    if bound < MAX_DEPTH:
        return
    scanner = _BaseLoader(text)
    depth = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            if isinstance(event, _OPENERS):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlError(
                        f"the document is nested too deeply (more than {MAX_DEPTH} levels)",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, _CLOSERS):
                depth -= 1
    finally:
        scanner.dispose()


def load(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document; raise ``YamlError`` with a 1-based line on any fault."""
    loader = _Loader(text)
    builder = _Builder(loader)
    try:
        _check_depth(text)
        node = loader.get_single_node()
        data = builder.build(node) if node is not None else None
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{message} ({exc.context})"
        raise YamlError(
            message,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from None
    except RecursionError:
        raise YamlError("the document is nested too deeply") from None
    finally:
        loader.dispose()
    return data, builder.positions


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _yaml12_resolvers(_BaseDumper.yaml_implicit_resolvers)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (guide bodies) reads and diffs best as a literal block.
    if "\n" in value and not value.startswith((" ", "\n")) and value.rstrip(" ") == value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """Canonical YAML: the caller's key order, block style, UTF-8 text, no aliases.

    Canonical output is what makes "save with no change writes identical bytes"
    true and keeps diffs in git small.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
