"""Rules for guides that start other guides: the target exists, and no loops.

A ``guide`` button must name a guide that is exported; and guides that start
each other in a loop could send a user round it forever, so every loop is
reported once, with its path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guidestudio.core.graphs import strongly_connected
from guidestudio.core.model import Guide, Project
from guidestudio.core.problems import Problem
from guidestudio.core.validate.reporting import Context, FieldPath, Reporter


def check_guide_ref(ctx: Context, guide: Guide, target_id: str, path: FieldPath,
                    r: Reporter) -> None:
    target = ctx.project.guides.get(target_id)
    if target is None:
        r.add((*path, "guide"), "unknown-guide",
              ctx.missing_ref("guides", target_id, "guide", ctx.project.guides))
    elif target.status == "archived" and guide.status != "archived":
        r.warn((*path, "guide"), "archived-guide",
               f"this button starts guide {target_id!r}, which is archived and is not "
               f"exported, so the button will do nothing; point it at another guide or "
               f"restore {target_id!r}")

def button_targets(guide: Guide) -> list[tuple[Any, FieldPath]]:
    """(target, path of the button) for every 'guide' button of one guide, in order."""
    out: list[tuple[Any, FieldPath]] = []
    for vi, variant in enumerate(guide.variants):
        for si, step in enumerate(variant.steps):
            for bi, button in enumerate(step.buttons):
                if button.action == "guide":
                    out.append((button.guide, ("variants", vi, "steps", si, "buttons", bi,
                                               "guide")))
    return out


def guide_edges(project: Project,
                targets: Callable[[str, Guide], list[tuple[Any, FieldPath]]] | None = None,
                ) -> dict[str, list[tuple[str, FieldPath]]]:
    """guide id -> [(started guide id, path of the button that starts it)].

    ``targets`` gives a guide's buttons' targets (``button_targets``, or a
    copy the incremental validator kept from when it last checked the guide).
    """
    edges: dict[str, list[tuple[str, FieldPath]]] = {}
    for guide_id, guide in project.guides.items():
        found = targets(guide_id, guide) if targets is not None else button_targets(guide)
        out = [(target, path) for target, path in found if target in project.guides]
        if out:
            edges[guide_id] = out
    return edges


def check_cycles(ctx: Context, out: list[Problem],
                 edges: dict[str, list[tuple[str, FieldPath]]] | None = None) -> None:
    """One problem per loop of guides starting each other, showing the loop's path."""
    edges = guide_edges(ctx.project) if edges is None else edges
    targets = {g: sorted({t for t, _ in e}) for g, e in edges.items()}
    for component in strongly_connected(sorted(edges), lambda g: targets.get(g, [])):
        members = set(component)
        start = min(component)
        if len(component) == 1 and start not in targets.get(start, []):
            continue
        # Shortest way round from ``start`` back to itself, within the component.
        previous: dict[str, str] = {}
        frontier, found = [start], False
        while frontier and not found:
            following = []
            for node in frontier:
                for nxt in targets.get(node, []):
                    if nxt not in members:
                        continue
                    if nxt == start:
                        previous[start], found = node, True
                        break
                    if nxt not in previous:
                        previous[nxt] = node
                        following.append(nxt)
                if found:
                    break
            frontier = following
        back: list[str] = []  # the loop walked backwards, from start's predecessor
        node = previous[start]
        while node != start:
            back.append(node)
            node = previous[node]
        loop = [start, *reversed(back), start]
        second = loop[1]
        path = next(p for t, p in edges[start] if t == second)
        r = Reporter(ctx.files, ctx.files.file_of("guides", start), out)
        r.add(path, "guide-cycle",
              f"guides start each other in a loop: {' → '.join(loop)}; a user could be sent "
              f"round it forever — change one of these 'guide' buttons")

