"""What changed between two bundles, in the words a release reviewer reads.

``guidestudio diff OLD NEW`` compares the bundles that ship (or the bundles two
project folders compile to): per guide, by name and id, each changed field's
old and new value as a reader says it. Texts come back from the compiled HTML
(``step_text``), conditions become the sentences the editor shows
(``core/describe``), an experiment's weights and control group become
percentages, and status and schedule changes — what decides whether anyone
sees a guide at all — are listed before everything else.

Why the bundle and not the project's YAML: the bundle is what the product
loads. Segments are already inlined into each audience, defaults are filled
in, drafts are left out by environment, so a change to a shared segment shows
on every guide it reaches, and nothing the exporter drops shows as a change.
Project folders are accepted too (compiled first, by the CLI); their attribute
catalogue then gives conditions their labels and units.

Each change keeps a ``path`` into the guide (variant keys and step ids, not list
positions) for tools; people read ``label``, ``old`` and ``new``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from guidestudio.core.bundle.step_text import read_step
from guidestudio.core.describe.conditions import condition_sentence
from guidestudio.core.model import Project

#: Fields whose change decides whether a guide shows at all: reported first.
HEADLINE = ("status", "schedule.start", "schedule.end")


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: the field was not there
    new: str | None
    path: str
    headline: bool = False


@dataclass
class GuideReview:
    id: str
    name: str
    state: str  # "added", "removed", "changed"
    changes: list[Change] = field(default_factory=list)


@dataclass
class Review:
    old_label: str = "old"
    new_label: str = "new"
    settings: list[Change] = field(default_factory=list)
    guides: list[GuideReview] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.settings or self.guides)

    def of_state(self, state: str) -> list[GuideReview]:
        return [g for g in self.guides if g.state == state]

    def headlines(self) -> list[tuple[GuideReview, Change]]:
        """Status and schedule changes of every guide (added guides: their status)."""
        return [(g, c) for g in self.guides for c in g.changes if c.headline]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label, "new": self.new_label, "same": self.same,
            "added": [g.id for g in self.of_state("added")],
            "removed": [g.id for g in self.of_state("removed")],
            "changed": [g.id for g in self.of_state("changed")],
            "settings": [asdict(c) for c in self.settings],
            "guides": [{"id": g.id, "name": g.name, "state": g.state,
                        "changes": [asdict(c) for c in g.changes]} for g in self.guides],
        }


# --- values as a reader says them ---------------------------------------------------------------

def percent(share: Any) -> str:
    """0.1 → "10%", 1/3 → "33.33%": two decimals at most, none when they are zeros."""
    if not isinstance(share, (int, float)) or isinstance(share, bool):
        return compact(share)
    text = f"{share * 100:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}%"


def compact(value: Any) -> str:
    """A value with no better reading: booleans as yes/no, lists joined, else compact JSON."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) if value else "none"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)


def moment(value: Any) -> str:
    """``2026-01-01T00:00:00Z`` → ``2026-01-01 00:00 UTC`` (seconds kept when not zero)."""
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)Z", value)
        if m:
            seconds = "" if m.group(3) == ":00" else m.group(3)
            return f"{m.group(1)} {m.group(2)}{seconds} UTC"
    return compact(value)


def _trigger(trigger: Any) -> str:
    if not isinstance(trigger, dict):
        return compact(trigger)
    on = trigger.get("on")
    words = {"page_view": "when a page is viewed", "click": "on a click",
             "event": "when an event is tracked", "delay": "after a delay"}.get(on, compact(on))
    if on == "click" and trigger.get("selector"):
        words = f"on a click on {trigger['selector']}"
    elif on == "event" and trigger.get("event"):
        words = f"when {trigger['event']} is tracked"
    elif on == "delay" and "seconds" in trigger:
        words = f"{compact(trigger['seconds'])} s after a page is viewed"
    if trigger.get("url"):
        words += f", on pages {trigger['url']}"
    rest = {k: v for k, v in trigger.items() if k not in ("on", "url", "selector", "event",
                                                           "seconds")}
    return words + (f" ({compact(rest)})" if rest else "")


def _frequency(freq: Any) -> str:
    if not isinstance(freq, dict):
        return compact(freq)
    parts = []
    if "max_shows" in freq:
        n = freq["max_shows"]
        parts.append(f"at most {compact(n)} time{'s' * (n != 1)}")
    if "cooldown_hours" in freq:
        parts.append(f"{compact(freq['cooldown_hours'])} h apart")
    if freq.get("stop_after"):
        parts.append("stops after " + ", ".join(map(compact, freq["stop_after"])))
    rest = {k: v for k, v in freq.items() if k not in ("max_shows", "cooldown_hours",
                                                        "stop_after")}
    if rest:
        parts.append(compact(rest))
    return "; ".join(parts) or "no limit"


def _goal(goal: Any) -> str:
    if isinstance(goal, dict) and "event" in goal:
        days = goal.get("within_days")
        return f"{goal['event']}" + (f" within {compact(days)} days" if days is not None else "")
    return compact(goal)


def _split(experiment: dict[str, Any]) -> str | None:
    names, weights = experiment.get("variations"), experiment.get("weights")
    if not isinstance(names, list) or not isinstance(weights, list) or len(names) != len(weights):
        return None
    return " · ".join(f"{n} {percent(w)}" for n, w in zip(names, weights, strict=True))


# --- a guide as a flat list of readable fields ----------------------------------------------------

Field = tuple[str, str, str]  # path, label, value


def _keyed(items: Any, key: str) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    out: dict[str, Any] = {}
    for n, item in enumerate(items):
        name = item.get(key) if isinstance(item, dict) else None
        out[name if isinstance(name, str) and name not in out else f"#{n + 1}"] = item
    return out


def _step_fields(project: Project | None, prefix: str, label: str, step: Any,
                 locales: list[str]) -> Iterator[Field]:
    if not isinstance(step, dict):
        yield prefix, label, compact(step)
        return
    html = step.get("html") if isinstance(step.get("html"), dict) else {}
    for loc in [*locales, *sorted(k for k in html if k not in locales)]:
        if isinstance(html.get(loc), str):
            for part, text in read_step(html[loc]).parts().items():
                yield f"{prefix}.html.{loc}.{part}", f"{label} {part} ({loc})", text
    anchor = step.get("anchor")
    if isinstance(anchor, dict):
        where = compact(anchor.get("selector"))
        if anchor.get("placement"):
            where += f", {anchor['placement']}"
        if anchor.get("offset") is not None:
            where += f", {compact(anchor['offset'])} px away"
        yield f"{prefix}.anchor", f"{label} anchor", where
    for key in sorted(step):
        if key in ("html", "anchor", "id", "tokens"):
            continue
        yield f"{prefix}.{key}", f"{label} {key.replace('_', ' ')}", compact(step[key])


def guide_fields(project: Project | None, guide: dict[str, Any],
                 locales: list[str]) -> list[Field]:
    """Every field of a compiled guide that a reviewer may care about, as text."""
    out: list[Field] = []
    add = out.append
    add(("status", "Status", compact(guide.get("status"))))
    schedule = guide.get("schedule") if isinstance(guide.get("schedule"), dict) else {}
    add(("schedule.start", "Starts", moment(schedule["start"]) if "start" in schedule
         else "at once"))
    add(("schedule.end", "Ends", moment(schedule["end"]) if "end" in schedule else "never"))
    for key in ("name", "kind", "priority", "theme"):
        if key in guide:
            add((key, key.capitalize(), compact(guide[key])))
    audience = guide.get("audience") if isinstance(guide.get("audience"), dict) else {}
    add(("audience.condition", "Audience",
         condition_sentence(project, audience.get("condition", {})) or "everyone"))
    if audience.get("segments"):
        add(("audience.segments", "Segments", compact(audience["segments"])))
    if "trigger" in guide:
        add(("trigger", "Shows", _trigger(guide["trigger"])))
    if "frequency" in guide:
        add(("frequency", "Frequency", _frequency(guide["frequency"])))
    if "goal" in guide:
        add(("goal", "Goal", _goal(guide["goal"])))
    if "exempt_from_throttle" in guide:
        add(("exempt_from_throttle", "Exempt from throttle",
             compact(guide["exempt_from_throttle"])))
    display = guide.get("display") if isinstance(guide.get("display"), dict) else {}
    for key in sorted(display):
        value = display[key]
        add((f"display.{key}", f"Display {key.replace('_', ' ')}",
             f"{compact(value)} px" if key == "width" and isinstance(value, int) else
             compact(value)))
    experiment = guide.get("experiment")
    if isinstance(experiment, dict):
        add(("experiment.key", "Experiment", compact(experiment.get("key"))))
        add(("experiment.control_weight", "Control group",
             percent(experiment.get("control_weight", 0))))
        split = _split(experiment)
        if split is not None:
            add(("experiment.weights", "Split", split))
        add(("experiment.coverage", "Coverage", percent(experiment.get("coverage", 1))))
        for key in sorted(experiment):
            if key not in ("key", "control_weight", "variations", "weights", "coverage"):
                add((f"experiment.{key}", f"Experiment {key}", compact(experiment[key])))
    elif experiment is not None:
        add(("experiment", "Experiment", compact(experiment)))
    variants = _keyed(guide.get("variants"), "key")
    add(("variants", "Variants", ", ".join(variants) or "none"))
    many = len(variants) > 1
    for vkey, variant in variants.items():
        vpath = f"variants[{vkey}]"
        vlabel = f"Variant {vkey} · " if many else ""
        if not isinstance(variant, dict):
            add((vpath, f"Variant {vkey}", compact(variant)))
            continue
        if not isinstance(experiment, dict) and many:
            add((f"{vpath}.weight", f"Variant {vkey} weight", compact(variant.get("weight"))))
        steps = _keyed(variant.get("steps"), "id")
        if len(steps) > 1:
            add((f"{vpath}.steps", f"{vlabel}Steps", ", ".join(steps)))
        for sid, step in steps.items():
            slabel = f"{vlabel}Step {sid}" if len(steps) > 1 else (vlabel + "Step").strip(" ·")
            out.extend(_step_fields(project, f"{vpath}.steps[{sid}]", slabel, step, locales))
    known = {"id", "status", "schedule", "name", "kind", "priority", "theme", "audience",
             "trigger", "frequency", "goal", "exempt_from_throttle", "display", "experiment",
             "variants"}
    for key in sorted(k for k in guide if k not in known):
        add((key, key.replace("_", " ").capitalize(), compact(guide[key])))
    return out


def _changes(old: list[Field], new: list[Field]) -> list[Change]:
    before = {path: (label, value) for path, label, value in old}
    after = {path: (label, value) for path, label, value in new}
    changes: list[Change] = []
    for path in [*after, *(p for p in before if p not in after)]:
        o, n = before.get(path), after.get(path)
        if o is not None and n is not None and o[1] == n[1]:
            continue
        label = (n or o)[0]  # type: ignore[index]
        changes.append(Change(label, o[1] if o else None, n[1] if n else None, path,
                              headline=path in HEADLINE))
    return sorted(changes, key=lambda c: not c.headline)  # stable: headlines first


# --- settings outside the guides -----------------------------------------------------------

_THEME_BLOCK = re.compile(r"\n\.gs-theme-([A-Za-z0-9_-]+),\n\.gs-theme-\1 \.gs-root \{\n(.*?)\}\n",
                          re.DOTALL)


def _theme_fields(css: Any) -> list[Field]:
    if not isinstance(css, str):
        return [("theme_css", "Theme styles", compact(css))]
    first = _THEME_BLOCK.search(css)
    base = css[:first.start()] if first else css
    out: list[Field] = [("theme_css.base", "Base stylesheet",
                         f"{len(base.encode('utf-8')):,} bytes, sha {_short_hash(base)}")]
    for m in _THEME_BLOCK.finditer(css):
        for line in m.group(2).splitlines():
            name, _, value = line.strip().rstrip(";").partition(":")
            if name:
                out.append((f"theme_css.{m.group(1)}.{name}", f"Theme {m.group(1)} {name}",
                            value.strip()))
    return out


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _settings_fields(bundle: dict[str, Any]) -> list[Field]:
    out: list[Field] = []
    for key in sorted(bundle):
        if key in ("guides", "checksum", "generated_at", "format"):
            continue
        if key == "theme_css":
            out.extend(_theme_fields(bundle[key]))
        elif key == "throttle" and isinstance(bundle[key], dict):
            for k in sorted(bundle[key]):
                out.append((f"throttle.{k}", f"Throttle {k.replace('_', ' ')}",
                            compact(bundle[key][k])))
        else:
            out.append((key, key.replace("_", " ").capitalize(), compact(bundle[key])))
    return out


# --- the review ----------------------------------------------------------------------------------

def _guides(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in bundle.get("guides", [])
            if isinstance(g, dict) and isinstance(g.get("id"), str)}


def _locales(bundle: dict[str, Any]) -> list[str]:
    locales = bundle.get("locales")
    return [x for x in locales if isinstance(x, str)] if isinstance(locales, list) else []


def review_bundles(old: dict[str, Any], new: dict[str, Any], project: Project | None = None,
                   old_label: str = "old", new_label: str = "new") -> Review:
    """The review of ``old`` → ``new``. ``project`` (optional) lends its attribute catalogue:
    labels and units in audience sentences."""
    review = Review(old_label, new_label)
    review.settings = _changes(_settings_fields(old), _settings_fields(new))
    before, after = _guides(old), _guides(new)
    locales = list(dict.fromkeys([*_locales(new), *_locales(old)]))

    def name(guide: dict[str, Any]) -> str:
        return guide["name"] if isinstance(guide.get("name"), str) else guide["id"]

    for gid in sorted(set(before) | set(after)):
        if gid not in before:
            fields = guide_fields(project, after[gid], locales)
            review.guides.append(GuideReview(gid, name(after[gid]), "added",
                                             _changes([], fields)))
        elif gid not in after:
            review.guides.append(GuideReview(gid, name(before[gid]), "removed", [
                Change("Status", compact(before[gid].get("status")), None, "status", True)]))
        else:
            changes = _changes(guide_fields(project, before[gid], locales),
                               guide_fields(project, after[gid], locales))
            if changes:
                review.guides.append(GuideReview(gid, name(after[gid]), "changed", changes))
    order = {"changed": 0, "added": 1, "removed": 2}
    review.guides.sort(key=lambda g: (order[g.state], g.name.casefold(), g.id))
    return review
