"""The project's texts for one target language as an XLIFF file, 2.0 or 1.2.

One ``<file>`` per guide (``original`` names its YAML file), one unit per text
(``units.py``), its words and codes (``inline.py``) in ``<source>``. What a
translator needs to know rides along: notes for the guide and its kind, the
step, where the text shows and how long it may be; the source hash (2.0: the
Metadata module, 1.2: a context group) that an import compares with the
current text. A text already translated is written as the target when its
codes can be matched with the source's, with the state it has (translated, or
needs review when its English changed since).

Bytes are deterministic (guides by id, units in form order, no dates), so
exporting an unchanged project twice gives the same file. Indentation is
written by hand between structural elements only: a pretty-printer would add
whitespace inside ``<source>`` and change the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from lxml import etree

from guidestudio.core.l10n import inline
from guidestudio.core.l10n.units import WHERE, Unit, guide_units, state_of
from guidestudio.core.model import Guide, Project

Version = Literal["2.0", "1.2"]
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "guidestudio"
#: The metadata/context names an import reads back.
HASH_META = "source-hash"

#: How each kind of code is typed for CAT tools (XLIFF 2.0 type/subType; 1.2 ctype).
TYPE2 = {"bold": ("fmt", "xlf:b"), "italic": ("fmt", "xlf:i"), "link": ("link", None),
         "autolink": ("link", None), "fallback": ("ui", "xlf:var"),
         "placeholder": ("ui", "xlf:var"), "code": ("fmt", None), "break": ("fmt", "xlf:lb"),
         "line": ("fmt", "xlf:lb"), "paragraph": ("fmt", "xlf:pb"), "list": ("fmt", None)}
CTYPE12 = {"bold": "bold", "italic": "italic", "link": "link", "autolink": "link",
           "fallback": "x-placeholder", "placeholder": "x-placeholder", "code": "x-code",
           "break": "lb", "line": "lb", "paragraph": "x-paragraph", "list": "x-list-item"}


def notes(unit: Unit, guide: Guide, source: list[inline.Node]) -> list[tuple[str, str]]:
    """The context a translator reads: (category, sentence); ``source``: the unit's nodes."""
    variant = guide.variants[unit.path[1]]
    step = variant.steps[unit.path[3]]
    steps = len(variant.steps)
    where = f"Step {unit.path[3] + 1} of {steps}" + (f" ({step.id})" if step.id else "")
    if len(guide.variants) > 1:
        where = f"Variant {variant.name or variant.key}, {where.lower()}"
    out = [("guide", f"Guide: {guide.name} ({guide.id}), a {guide.kind}"),
           ("location", f"{where}: {unit.label} — {WHERE.get(unit.field, unit.field)}"),
           ("length", f"Length: the English has {len(unit.source)} characters; keep it under "
                      f"about {unit.length_hint()} so it fits the {guide.kind}")]
    if any(c.kind == "fallback" for c in inline.codes(source)):
        out.append(("placeholders", "A placeholder ({{first_name|there}}) shows the person's "
                    "detail; the words inside it are shown when the detail is unknown: "
                    "translate those, keep the placeholder."))
    return out


def _target_nodes(unit: Unit, locale: str, source: list[inline.Node]) -> list[inline.Node] | None:
    """The existing translation with the source's code ids, or None if they cannot be matched
    (then the unit goes out without a target, and the translation is in a note)."""
    text = unit.text(locale)
    if not text.strip():
        return None
    nodes = inline.segment(text, block=unit.multiline, links=unit.links)
    free: dict[tuple[str, str, str | None], list[str]] = {}
    for code in inline.codes(source):
        # A fallback is matched by its attribute: its words are translated.
        free.setdefault((code.kind, code.start, code.end), []).append(code.id)

    def relabel(items: list[inline.Node] | tuple[inline.Node, ...]) -> list[inline.Node] | None:
        out: list[inline.Node] = []
        for node in items:
            if isinstance(node, str):
                out.append(node)
                continue
            ids = free.get((node.kind, node.start, node.end))
            if not ids:
                return None
            children = relabel(node.children)
            if children is None:
                return None
            out.append(inline.Code(ids.pop(0), node.kind, node.start, node.end,
                                   tuple(children)))
        return out

    relabelled = relabel(nodes)
    if relabelled is None or any(free.values()):
        return None
    return relabelled


def _append_text(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    """Words go after the last inline code written (its tail), or into the parent's text."""
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


# --- XLIFF 2.0 -------------------------------------------------------------------------


def _inline2(parent: etree._Element, nodes: Iterable[inline.Node], data: dict[str, str]) -> None:
    last: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str):
            _append_text(parent, last, node)
            continue
        kind, sub = TYPE2[node.kind]
        if node.paired:
            el = etree.SubElement(parent, f"{{{XLIFF2}}}pc", id=node.id)
            el.set("dataRefStart", f"d{node.id}s")
            el.set("dataRefEnd", f"d{node.id}e")
            data[f"d{node.id}s"], data[f"d{node.id}e"] = node.start, node.end or ""
            el.set("dispStart", node.start.strip())
            el.set("dispEnd", (node.end or "").strip())
            _inline2(el, node.children, data)
        else:
            el = etree.SubElement(parent, f"{{{XLIFF2}}}ph", id=node.id)
            el.set("dataRef", f"d{node.id}")
            data[f"d{node.id}"] = node.start
            el.set("disp", node.display())
        el.set("canCopy", "no")
        el.set("canDelete", "no")
        el.set("type", kind)
        if sub:
            el.set("subType", sub)
        last = el


def _unit2(file_el: etree._Element, unit: Unit, guide: Guide, locale: str) -> None:
    el = etree.SubElement(file_el, f"{{{XLIFF2}}}unit", id=unit.id, name=unit.label)
    meta = etree.SubElement(el, f"{{{MDA}}}metadata")
    group = etree.SubElement(meta, f"{{{MDA}}}metaGroup", category=TOOL)
    for kind, value in ((HASH_META, unit.hash), ("field", unit.field),
                        ("length-hint", str(unit.length_hint()))):
        etree.SubElement(group, f"{{{MDA}}}meta", type=kind).text = value
    notes_el = etree.SubElement(el, f"{{{XLIFF2}}}notes")
    source_nodes = inline.segment(unit.source, block=unit.multiline, links=unit.links)
    for category, text in notes(unit, guide, source_nodes):
        etree.SubElement(notes_el, f"{{{XLIFF2}}}note", category=category).text = text
    target_nodes = _target_nodes(unit, locale, source_nodes)
    state = state_of(unit, guide, locale)
    if state != "missing" and target_nodes is None:
        etree.SubElement(notes_el, f"{{{XLIFF2}}}note", category="current-translation").text = \
            unit.text(locale)
    data: dict[str, str] = {}
    original = etree.SubElement(el, f"{{{XLIFF2}}}originalData")
    segment = etree.SubElement(el, f"{{{XLIFF2}}}segment")
    source = etree.SubElement(segment, f"{{{XLIFF2}}}source")
    source.set(XML_SPACE, "preserve")
    _inline2(source, source_nodes, data)
    if target_nodes is not None:
        segment.set("state", "translated" if state == "done" else "initial")
        if state == "needs_review":
            segment.set("subState", f"{TOOL}:needs-review")
        target = etree.SubElement(segment, f"{{{XLIFF2}}}target")
        target.set(XML_SPACE, "preserve")
        _inline2(target, target_nodes, {})
    else:
        segment.set("state", "initial")
    if data:
        for ident in data:
            d = etree.SubElement(original, f"{{{XLIFF2}}}data", id=ident)
            d.set(XML_SPACE, "preserve")
            d.text = data[ident]
    else:
        el.remove(original)


# --- XLIFF 1.2 -------------------------------------------------------------------------


def _inline12(parent: etree._Element, nodes: Iterable[inline.Node]) -> None:
    last: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str):
            _append_text(parent, last, node)
            continue
        if node.paired:
            el = etree.SubElement(parent, f"{{{XLIFF12}}}g", id=node.id)
            el.set("ctype", CTYPE12[node.kind])
            el.set("clone", "no")
            _inline12(el, node.children)
        else:
            el = etree.SubElement(parent, f"{{{XLIFF12}}}x", id=node.id)
            el.set("ctype", CTYPE12[node.kind])
            el.set("equiv-text", node.start if node.kind in ("placeholder", "code", "autolink")
                   else node.display())
        last = el


def _unit12(body: etree._Element, unit: Unit, guide: Guide, locale: str) -> None:
    el = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", id=unit.id, resname=unit.label)
    el.set(XML_SPACE, "preserve")
    source_nodes = inline.segment(unit.source, block=unit.multiline, links=unit.links)
    source = etree.SubElement(el, f"{{{XLIFF12}}}source")
    _inline12(source, source_nodes)
    target_nodes = _target_nodes(unit, locale, source_nodes)
    state = state_of(unit, guide, locale)
    if target_nodes is not None:
        target = etree.SubElement(el, f"{{{XLIFF12}}}target")
        target.set("state", "translated" if state == "done" else "needs-review-translation")
        _inline12(target, target_nodes)
    group = etree.SubElement(el, f"{{{XLIFF12}}}context-group", name=TOOL, purpose="information")
    for kind, value in ((f"x-{HASH_META}", unit.hash), ("x-field", unit.field),
                        ("x-length-hint", str(unit.length_hint()))):
        etree.SubElement(group, f"{{{XLIFF12}}}context", {"context-type": kind}).text = value
    for _category, text in notes(unit, guide, source_nodes):
        etree.SubElement(el, f"{{{XLIFF12}}}note", {"from": TOOL}).text = text
    if state != "missing" and target_nodes is None:
        etree.SubElement(el, f"{{{XLIFF12}}}note", {"from": "current-translation"}).text = \
            unit.text(locale)


# --- the file --------------------------------------------------------------------------

_STRUCTURE = {f"{{{ns}}}{name}" for ns in (XLIFF2, XLIFF12)
              for name in ("xliff", "file", "unit", "notes", "originalData", "segment", "body",
                           "header", "trans-unit", "context-group", "group")}
_STRUCTURE |= {f"{{{MDA}}}metadata", f"{{{MDA}}}metaGroup"}


def _indent(el: etree._Element, level: int = 0) -> None:
    """Line breaks and indentation between structural elements only (see the docstring)."""
    if el.tag not in _STRUCTURE or len(el) == 0:
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def export_xliff(project: Project, locale: str, version: Version = "2.0",
                 guide_ids: Iterable[str] | None = None) -> bytes:
    """The XLIFF file for translating the project (or ``guide_ids``) into ``locale``."""
    source_locale = project.settings.default_locale
    ids = sorted(guide_ids if guide_ids is not None else project.guides)
    if version == "2.0":
        root = etree.Element(f"{{{XLIFF2}}}xliff", nsmap={None: XLIFF2, "mda": MDA})
        root.set("version", "2.0")
        root.set("srcLang", source_locale)
        root.set("trgLang", locale)
        for guide_id in ids:
            guide = project.guides[guide_id]
            units = guide_units(guide, source_locale)
            if not units:
                continue
            file_el = etree.SubElement(root, f"{{{XLIFF2}}}file", id=guide_id,
                                       original=f"guides/{guide_id}.yaml")
            for unit in units:
                _unit2(file_el, unit, guide, locale)
    else:
        root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12})
        root.set("version", "1.2")
        for guide_id in ids:
            guide = project.guides[guide_id]
            units = guide_units(guide, source_locale)
            if not units:
                continue
            file_el = etree.SubElement(root, f"{{{XLIFF12}}}file", {
                "original": f"guides/{guide_id}.yaml", "source-language": source_locale,
                "target-language": locale, "datatype": "x-guidestudio-markdown"})
            etree.SubElement(file_el, f"{{{XLIFF12}}}header")
            body = etree.SubElement(file_el, f"{{{XLIFF12}}}body")
            for unit in units:
                _unit12(body, unit, guide, locale)
    _indent(root)
    root.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
