"""A returned XLIFF file, read safely, as units: id, source hash, state and target.

The file comes from outside (a vendor, a CAT tool, an e-mail), so it is parsed
with lxml with every door shut: no entity is expanded, no DTD or network
resource is loaded, and a file that declares a document type at all is
refused — XLIFF needs none, and a billion-laughs file is refused before any
entity could expand (``tests/core/l10n/test_xliff_safety.py``). Each unit keeps
the line it starts on, so every problem reads ``file:line``.

Both versions are read into one shape: a target is words and codes by id
(``TargetCode``), whatever the tags (2.0 ``ph``/``pc``, 1.2 ``x``/``g``/``ph``);
annotations (``mrk``) are unwrapped; split codes (2.0 ``sc``/``ec``, 1.2
``bx``/``ex``/``bpt``/``ept``) are reported, not guessed at.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field

from lxml import etree

from guidestudio.core.l10n.xliff_write import HASH_META, MDA, TOOL, XLIFF2, XLIFF12
from guidestudio.core.problems import Problem

MAX_BYTES = 512 * 1024 * 1024  # a 2,000-guide project exports about 60 MB


@dataclass
class TargetCode:
    id: str
    paired: bool
    line: int | None
    children: list[TargetNode] = field(default_factory=list)


TargetNode = str | TargetCode


@dataclass
class FileUnit:
    id: str
    line: int | None
    source_hash: str | None
    #: None: no target, or an empty one.
    target: list[TargetNode] | None
    #: Still marked as needing review (we wrote it so and nobody changed the state).
    unreviewed: bool = False


@dataclass
class XliffFile:
    version: str = ""
    source_locale: str | None = None
    target_locale: str | None = None
    units: list[FileUnit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


DOCTYPE_REFUSED = ("the file declares a document type (<!DOCTYPE …>); XLIFF needs none, and "
                   "its entities are never expanded: refused")
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL)


def _declares_doctype(data: bytes | mmap.mmap) -> bool:
    """Whether the prolog declares a DOCTYPE — decided before libxml2 sees the file, so a
    billion-laughs file costs a regex, not an entity expansion (libxml2 would stop it at
    its amplification limit, with a message nobody can act on)."""
    head = data[:65536]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, "ignore")
            break
    else:
        if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte order mark
            text = head.decode("utf-16-le" if head[0] else "utf-16-be", "ignore")
        else:
            text = head.decode("latin-1")
    return _PROLOG.match(text.lstrip("\ufeff\xef\xbb\xbf")) is not None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_pis=True)


def read_xliff(data: bytes | mmap.mmap, name: str) -> XliffFile:
    """The units of ``data`` (the file called ``name`` in messages), or problems saying why not.

    ``data`` may be a mapped file (``importer.read_file``): lxml parses it in place."""
    out = XliffFile()

    def fail(line: int | None, message: str) -> XliffFile:
        out.problems.append(Problem(name, line, "", message, code="l10n-file"))
        return out

    if len(data) > MAX_BYTES:
        return fail(None, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                          "split it (an export of 2,000 guides is about 60 MB)")
    if _declares_doctype(data):
        return fail(1, DOCTYPE_REFUSED)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        return fail(line, f"not well-formed XML: {exc.msg}")
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return fail(1, DOCTYPE_REFUSED)
    root = tree.getroot()
    try:
        if root.tag == f"{{{XLIFF2}}}xliff":
            _read2(root, out)
        elif root.tag == f"{{{XLIFF12}}}xliff":
            _read12(root, out)
        else:
            return fail(root.sourceline, f"not an XLIFF 2.0 or 1.2 file (the root element is "
                                         f"<{etree.QName(root).localname}>)")
    except _Bad as exc:
        return fail(exc.line, exc.message)
    finally:
        _dismantle(root)
    return out


def _dismantle(el: etree._Element) -> None:
    """Free the parsed tree a few elements at a time.

    Dropping the last reference frees the whole libxml2 tree in one C call that
    holds the GIL: 0.4 s for a 110 MB file, during which a GUI thread waiting
    for the GIL (the editor reads files on a worker) freezes. Deleting the
    children one by one frees the same memory in small calls with the
    interpreter free to switch threads between them."""
    while len(el):
        if len(el[0]) > 32:
            _dismantle(el[0])
        del el[0]


def _entity_check(el: etree._Element) -> None:
    for node in el.iter():
        if isinstance(node, etree._Entity):
            raise _Bad(node.sourceline, f"an entity reference ({node.text}) is not allowed")


def _read2(root: etree._Element, out: XliffFile) -> None:
    out.version = root.get("version", "")
    if not out.version.startswith("2."):
        raise _Bad(root.sourceline, f"XLIFF version {out.version!r}: expected 2.0")
    out.source_locale = root.get("srcLang")
    out.target_locale = root.get("trgLang")
    _entity_check(root)
    for unit in root.iter(f"{{{XLIFF2}}}unit"):
        ident = unit.get("id") or ""
        hash_el = unit.find(f"{{{MDA}}}metadata/{{{MDA}}}metaGroup[@category='{TOOL}']/"
                            f"{{{MDA}}}meta[@type='{HASH_META}']")
        parts: list[TargetNode] = []
        has_target = False
        unreviewed = False
        for child in unit:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "segment":
                target = child.find(f"{{{XLIFF2}}}target")
                if target is not None:
                    has_target = True
                    parts.extend(_nodes2(target))
                if child.get("state") == "initial" and \
                        child.get("subState") == f"{TOOL}:needs-review":
                    unreviewed = True
            elif tag == "ignorable":
                text = child.find(f"{{{XLIFF2}}}target")
                if text is None:
                    text = child.find(f"{{{XLIFF2}}}source")
                if text is not None:
                    parts.extend(_nodes2(text))
        target_nodes = parts if has_target and _has_content(parts) else None
        out.units.append(FileUnit(ident, unit.sourceline,
                                  (hash_el.text or "").strip() if hash_el is not None else None,
                                  target_nodes, unreviewed))


def _has_content(nodes: list[TargetNode]) -> bool:
    return any((isinstance(n, str) and n.strip()) or isinstance(n, TargetCode) for n in nodes)


def _nodes2(el: etree._Element) -> list[TargetNode]:
    out: list[TargetNode] = []
    if el.text:
        out.append(el.text)
    for child in el:
        if not isinstance(child.tag, str):  # a comment
            pass
        else:
            tag = etree.QName(child).localname
            if tag == "ph":
                out.append(TargetCode(child.get("id") or "", False, child.sourceline))
            elif tag == "pc":
                out.append(TargetCode(child.get("id") or "", True, child.sourceline,
                                      _nodes2(child)))
            elif tag == "mrk":
                out.extend(_nodes2(child))
            elif tag in ("sm", "em"):
                pass  # annotation markers carry no text
            elif tag == "cp":
                try:
                    out.append(chr(int(child.get("hex") or "", 16)))
                except ValueError:
                    raise _Bad(child.sourceline, "a <cp> without a valid hex code point") \
                        from None
            elif tag in ("sc", "ec"):
                raise _Bad(child.sourceline, f"<{tag}> (a code split over segments) is not "
                                             "supported: keep each <pc> whole")
            else:
                raise _Bad(child.sourceline, f"unexpected <{tag}> inside a target")
        if child.tail:
            out.append(child.tail)
    return out


def _read12(root: etree._Element, out: XliffFile) -> None:
    out.version = root.get("version", "")
    if out.version != "1.2":
        raise _Bad(root.sourceline, f"XLIFF version {out.version!r}: expected 1.2")
    _entity_check(root)
    for file_el in root.iter(f"{{{XLIFF12}}}file"):
        source, target = file_el.get("source-language"), file_el.get("target-language")
        if out.source_locale is None:
            out.source_locale, out.target_locale = source, target
        elif (source, target) != (out.source_locale, out.target_locale):
            raise _Bad(file_el.sourceline, f"this <file> is {source} → {target}, an earlier "
                                           f"one {out.source_locale} → {out.target_locale}: "
                                           "one file, one language pair")
        for unit in file_el.iter(f"{{{XLIFF12}}}trans-unit"):
            hash_el = unit.find(f"{{{XLIFF12}}}context-group[@name='{TOOL}']/"
                                f"{{{XLIFF12}}}context[@context-type='x-{HASH_META}']")
            target_el = unit.find(f"{{{XLIFF12}}}target")
            nodes = _nodes12(target_el) if target_el is not None else None
            state = target_el.get("state", "") if target_el is not None else ""
            out.units.append(FileUnit(
                unit.get("id") or "", unit.sourceline,
                (hash_el.text or "").strip() if hash_el is not None else None,
                nodes if nodes is not None and _has_content(nodes) else None,
                state.startswith("needs-review")))


def _nodes12(el: etree._Element) -> list[TargetNode]:
    out: list[TargetNode] = []
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            tag = etree.QName(child).localname
            if tag in ("x", "ph"):
                out.append(TargetCode(child.get("id") or "", False, child.sourceline))
            elif tag == "g":
                out.append(TargetCode(child.get("id") or "", True, child.sourceline,
                                      _nodes12(child)))
            elif tag == "mrk":
                out.extend(_nodes12(child))
            elif tag in ("bx", "ex", "bpt", "ept", "it"):
                raise _Bad(child.sourceline, f"<{tag}> (a split code) is not supported: keep "
                                             "each <g> whole")
            else:
                raise _Bad(child.sourceline, f"unexpected <{tag}> inside a target")
        if child.tail:
            out.append(child.tail)
    return out
