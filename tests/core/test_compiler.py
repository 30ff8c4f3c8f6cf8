"""The compiler, judged by what a user of the bundle would notice.

Projects are built through the model, saved to disk with ``save_project`` and
loaded back with ``load_project``, so these tests cover the files a marketer
actually has. Every compiled bundle is validated against the real schema.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidestudio.core.bundle import bundle_file as bundle_io
from guidestudio.core.bundle.compiler import (
    CompileError,
    bundle_context,
    compile_guide,
    compile_project,
    to_utc,
)
from guidestudio.core.files.project_io import load_project, save_project
from guidestudio.core.markdown_text import is_safe_url
from guidestudio.core.model import (
    Anchor,
    Audience,
    Button,
    ChecklistItem,
    Display,
    Experiment,
    Frequency,
    Guide,
    Image,
    Project,
    Schedule,
    Segment,
    Settings,
    Step,
    Survey,
    Theme,
    Throttle,
    Trigger,
    Variant,
)
from tests.conftest import REPO_ROOT

# --- helpers -------------------------------------------------------------------------


def text(en: str, **others: str) -> dict[str, str]:
    return {"en": en, **others}


def make_guide(guide_id: str, kind: str = "modal", status: str = "live",
               steps: list[Step] | None = None, **fields: Any) -> Guide:
    steps = steps or [Step(title=text(f"{guide_id} title"), body=text(f"{guide_id} body"),
                           buttons=[Button(text("OK"), "dismiss")])]
    variants = fields.pop("variants", None) or [Variant("a", steps)]
    return Guide(id=guide_id, name=f"Guide {guide_id}", kind=kind, status=status,
                 variants=variants, **fields)


def make_project(root: Path | None, guides: list[Guide], *, segments: list[Segment] = (),
                 themes: list[Theme] = (), **settings_fields: Any) -> Project:
    """Save to ``root`` and load it back (the real files), or keep it in memory."""
    settings_fields.setdefault("locales", ["en", "ja", "de"])
    project = Project(
        settings=Settings(id="acme", name="Acme Cloud", **settings_fields),
        guides={g.id: g for g in guides},
        segments={s.id: s for s in segments},
        themes={t.id: t for t in themes},
        root=root,
    )
    if root is None:
        return project
    save_project(project)
    loaded = load_project(root)
    assert [p.format() for p in loaded.problems if p.is_error] == []
    return loaded.project


def compiled(project: Project, **kwargs: Any) -> dict[str, Any]:
    bundle = compile_project(project, **kwargs)
    assert bundle_io.validate_bundle(bundle) == []
    assert bundle_io.verify_checksum(bundle)
    return bundle


def guide_of(bundle: dict[str, Any], guide_id: str) -> dict[str, Any]:
    return next(g for g in bundle["guides"] if g["id"] == guide_id)


class Markup(HTMLParser):
    """Real tags and attributes of a piece of HTML (not substring guesses)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    @property
    def text(self) -> str:
        return "".join(self.data)

    def find(self, tag: str | None = None, **attrs: str | None) -> list[dict[str, str | None]]:
        out = []
        for name, values in self.elements:
            if tag is not None and name != tag:
                continue
            wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
            if all(values.get(k) == v if v is not None else k in values
                   for k, v in wanted.items()):
                out.append(values)
        return out

    @property
    def root(self) -> tuple[str, dict[str, str | None]]:
        return self.elements[0]


ALLOWED_TAGS = {
    # templates
    "div", "span", "button", "h2", "img", "ul", "li", "a", "form", "p", "textarea", "label",
    # markdown
    "em", "strong", "code", "pre", "br", "ol", "blockquote", "hr", "h1", "h3", "h4", "h5", "h6",
}


def assert_safe(html: str) -> Markup:
    markup = Markup(html)
    assert "<script" not in html.lower()
    for tag, attrs in markup.elements:
        assert tag in ALLOWED_TAGS, tag
        assert "style" not in attrs, tag  # a strict Content-Security-Policy refuses style attributes
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src") and value is not None:
                assert is_safe_url(value), value
    return markup


# --- audience, selection, locales ------------------------------------------------------


def test_segments_are_inlined_into_one_condition(tmp_path: Path) -> None:
    guides = [
        make_guide("both", audience=Audience(segments=["free", "eu"],
                                              conditions={"storage_used_pct": {"$gte": 90}})),
        make_guide("segment-only", audience=Audience(segments=["free"])),
        make_guide("everyone"),
        make_guide("empty-segment", audience=Audience(segments=["all"])),
    ]
    segments = [Segment("free", "Free plan", {"plan": "free"}),
                Segment("eu", "EU", {"country": {"$in": ["DE", "FR"]}}),
                Segment("all", "Everyone", {})]
    bundle = compiled(make_project(tmp_path, guides, segments=segments))
    assert guide_of(bundle, "both")["audience"] == {
        "segments": ["free", "eu"],
        "condition": {"$and": [{"plan": "free"}, {"country": {"$in": ["DE", "FR"]}},
                               {"storage_used_pct": {"$gte": 90}}]},
    }
    assert guide_of(bundle, "segment-only")["audience"]["condition"] == {"$and": [{"plan": "free"}]}
    assert guide_of(bundle, "everyone")["audience"] == {"segments": [], "condition": {}}
    assert guide_of(bundle, "empty-segment")["audience"]["condition"] == {}


def test_unknown_segment_is_a_compile_error() -> None:
    project = make_project(None, [make_guide("g", audience=Audience(segments=["nope"]))])
    with pytest.raises(CompileError) as info:
        compile_project(project)
    assert info.value.problem.file == "guides/g.yaml"
    assert "nope" in str(info.value)


def test_guides_are_chosen_by_status_and_environment(tmp_path: Path) -> None:
    guides = [make_guide(f"{status}-guide", status=status)
              for status in ("live", "staged", "draft", "archived")]
    project = make_project(tmp_path, guides)
    ids = {env: [g["id"] for g in compiled(project, environment=env)["guides"]]
           for env in ("production", "staging")}
    assert ids == {"production": ["live-guide"], "staging": ["live-guide", "staged-guide"]}
    preview = compiled(project, environment="staging", include_drafts=True)
    assert preview["environment"] == "preview"
    assert [g["id"] for g in preview["guides"]] == ["draft-guide", "live-guide", "staged-guide"]
    assert compiled(project, include_drafts=True)["environment"] == "preview"


def test_guides_sorted_by_id_and_defaults_filled(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("zeta"), make_guide("alpha")], theme="brand")
    bundle = compiled(project)
    assert [g["id"] for g in bundle["guides"]] == ["alpha", "zeta"]
    guide = bundle["guides"][0]
    assert guide["trigger"] == {"on": "page_view"}
    assert guide["frequency"] == {"stop_after": []}
    assert guide["theme"] == "brand"
    assert guide["priority"] == 0 and guide["exempt_from_throttle"] is False
    assert bundle["hash_attribute"] == "id" and bundle["timezone"] == "UTC"
    assert "generated_at" not in bundle
    assert ".gs-theme-brand" in bundle["theme_css"]


@pytest.mark.parametrize("fields", [{}, {"hash_attribute": "email",
                                       "throttle": Throttle(min_minutes_between=30, max_per_day=3)}])
def test_the_preview_decides_with_the_context_the_bundle_carries(fields: dict[str, Any]) -> None:
    project = make_project(None, [make_guide("g")], **fields)
    bundle = compiled(project)
    assert bundle_context(project) == {"hash_attribute": bundle["hash_attribute"],
                                       "throttle": bundle["throttle"]}


def test_trigger_frequency_goal_display_pass_through(tmp_path: Path) -> None:
    guide = make_guide(
        "g", kind="banner", trigger=Trigger(on="delay", seconds=5, url="/files/*"),
        frequency=Frequency(max_shows=3, cooldown_hours=24, stop_after=["dismissed"]),
        display=Display(position="bottom", close_button=False), priority=10,
        exempt_from_throttle=True)
    bundle = compiled(make_project(tmp_path, [guide]))
    out = bundle["guides"][0]
    assert out["trigger"] == {"on": "delay", "seconds": 5, "url": "/files/*"}
    assert out["frequency"] == {"max_shows": 3, "cooldown_hours": 24, "stop_after": ["dismissed"]}
    assert out["display"] == {"position": "bottom", "close_button": False}
    html = Markup(out["variants"][0]["steps"][0]["html"]["en"])
    assert html.find("button", data_gs_close=None) == []
    assert "gs-pos-bottom" in html.root[1]["class"]


def test_missing_translation_falls_back_to_default_locale(tmp_path: Path) -> None:
    steps = [Step(title=text("Upgrade now", ja="今すぐアップグレード"),
                  body=text("Keep **uploading**."),
                  buttons=[Button(text("Upgrade", de="Upgraden"), "url",
                                  url="https://acme.example/billing")])]
    project = make_project(tmp_path, [make_guide("g", steps=steps)])
    step = compiled(project)["guides"][0]["variants"][0]["steps"][0]
    assert set(step["html"]) == {"en", "ja", "de"}
    ja, de = Markup(step["html"]["ja"]), Markup(step["html"]["de"])
    assert "今すぐアップグレード" in ja.text and "Keep uploading." in ja.text
    assert "Upgrade now" in de.text and "Upgraden" in de.text
    assert ja.root[1]["lang"] == "ja"

    only = compiled(project, locales=["de"])
    assert only["locales"] == ["de"] and only["default_locale"] == "de"
    assert set(only["guides"][0]["variants"][0]["steps"][0]["html"]) == {"de"}


# --- schedule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "zone", "end", "expected"),
    [
        ("2026-12-01T00:00:00Z", "UTC", False, "2026-12-01T00:00:00Z"),
        ("2026-12-01T09:00:00+09:00", "America/New_York", False, "2026-12-01T00:00:00Z"),
        ("2026-12-01T09:00+0530", "UTC", False, "2026-12-01T03:30:00Z"),
        ("2026-12-01", "UTC", False, "2026-12-01T00:00:00Z"),
        ("2026-12-01", "UTC", True, "2026-12-01T23:59:59Z"),
        ("2027-01-31", "Asia/Tokyo", True, "2027-01-31T14:59:59Z"),
        ("2026-07-01 12:00", "Europe/Berlin", False, "2026-07-01T10:00:00Z"),  # CEST
        ("2026-12-01T12:00", "Europe/Berlin", False, "2026-12-01T11:00:00Z"),  # CET
        ("2026-03-08T02:30", "America/New_York", False, "2026-03-08T07:30:00Z"),  # skipped hour
        ("2026-11-01T01:30", "America/New_York", False, "2026-11-01T05:30:00Z"),  # first 01:30
        ("2026-12-01T08:00:59.75", "UTC", False, "2026-12-01T08:00:59Z"),
    ],
)
def test_schedule_values_to_utc(value: str, zone: str, end: bool, expected: str) -> None:
    from zoneinfo import ZoneInfo

    assert to_utc(value, ZoneInfo(zone), end=end) == expected


def test_schedule_uses_guide_zone_else_project_zone(tmp_path: Path) -> None:
    guides = [
        make_guide("project-zone", schedule=Schedule(start="2026-07-01", end="2026-07-31")),
        make_guide("own-zone", schedule=Schedule(start="2026-01-15T09:00", end="2026-01-15",
                                                 timezone="America/Los_Angeles")),
        make_guide("utc", schedule=Schedule(start="2026-07-01T00:00:00Z")),
    ]
    bundle = compiled(make_project(tmp_path, guides, timezone="Europe/Berlin"))
    assert bundle["timezone"] == "Europe/Berlin"
    assert guide_of(bundle, "project-zone")["schedule"] == {
        "start": "2026-06-30T22:00:00Z", "end": "2026-07-31T21:59:59Z"}
    assert guide_of(bundle, "own-zone")["schedule"] == {
        "start": "2026-01-15T17:00:00Z", "end": "2026-01-16T07:59:59Z"}
    assert guide_of(bundle, "utc")["schedule"] == {"start": "2026-07-01T00:00:00Z"}


def test_unknown_time_zone_is_a_compile_error() -> None:
    guide = make_guide("g", schedule=Schedule(start="2026-01-01", timezone="Mars/Olympus"))
    with pytest.raises(CompileError) as info:
        compile_project(make_project(None, [guide]))
    assert info.value.problem.field == "schedule.timezone"


# --- experiments ---------------------------------------------------------------------------


def _variants(*weights: float | None) -> list[Variant]:
    return [Variant(key, [Step(title=text(key))], weight=w)
            for key, w in zip("abcd", weights, strict=False)]


def test_experiment_with_control_group(tmp_path: Path) -> None:
    guide = make_guide("g", experiment=Experiment(key="storage-banner", control_weight=0.1),
                       variants=_variants(1, 3))
    out = compiled(make_project(tmp_path, [guide]))["guides"][0]
    assert out["experiment"] == {
        "key": "storage-banner", "seed": "storage-banner", "coverage": 1,
        "control_weight": 0.1, "variations": ["control", "a", "b"],
        "weights": [0.1, 0.225, 0.675], "hashAttribute": "id", "hashVersion": 2,
    }
    assert [v["weight"] for v in out["variants"]] == [1, 3]


def test_experiment_without_control_and_default_weights(tmp_path: Path) -> None:
    guide = make_guide("g", experiment=Experiment(key="k", seed="s1", coverage=0.5,
                                                  namespace=["ns", 0, 0.5]),
                       variants=_variants(None, None, None))
    exp = compiled(make_project(tmp_path, [guide]))["guides"][0]["experiment"]
    assert exp["variations"] == ["a", "b", "c"]
    assert exp["weights"] == [0.333333333333] * 3
    assert exp["seed"] == "s1" and exp["coverage"] == 0.5
    assert exp["namespace"] == ["ns", 0, 0.5]
    assert "control_weight" not in exp


def test_experiment_weights_sum_to_one() -> None:
    guide = make_guide("g", experiment=Experiment(key="k", control_weight=0.2),
                       variants=_variants(0.7, 1.3, 2))
    exp = compile_guide(make_project(None, [guide]), guide)["experiment"]
    assert abs(sum(exp["weights"]) - 1) < 1e-9
    assert exp["weights"][0] == 0.2


# --- markup --------------------------------------------------------------------------------


def _walkthrough() -> Guide:
    steps = [
        Step(id="welcome", title=text("Welcome {{first_name|there}}", ja="ようこそ"),
             body=text("Let's take a **tour**.", ja="ツアーを始めましょう。"),
             image=Image("assets/tour/step 1.png", text("A dashboard", ja="ダッシュボード")),
             buttons=[Button(text("Start"), "next")]),
        Step(title=text("Your files"), body=text("All your uploads."),
             anchor=Anchor("#files", "bottom"), if_missing="wait", wait_seconds=3,
             buttons=[Button(text("Back"), "back"), Button(text("Next"), "next")]),
        Step(layout="modal", body=text("No title here, {{plan|free}} plan."),
             buttons=[Button(text("Upgrade"), "url", url="https://acme.example/billing",
                             new_tab=True),
                      Button(text("Tell sales"), "event", event="book_call"),
                      Button(text("Later"), "snooze", hours=24)]),
        Step(title=text("Done"), anchor=Anchor("#help"),
             buttons=[Button(text("Finish"), "complete", style="link")]),
    ]
    return make_guide("tour", kind="walkthrough", steps=steps)


def test_walkthrough_steps_markup(tmp_path: Path) -> None:
    project = make_project(tmp_path, [_walkthrough()], asset_base_url="https://cdn.acme.example/gs")
    steps = compiled(project)["guides"][0]["variants"][0]["steps"]
    assert [s["id"] for s in steps] == ["welcome", "s2", "s3", "s4"]
    assert [s["layout"] for s in steps] == ["modal", "tooltip", "modal", "tooltip"]
    assert steps[1]["anchor"] == {"selector": "#files", "placement": "bottom"}
    assert steps[1]["if_missing"] == "wait" and steps[1]["wait_seconds"] == 3
    assert steps[0]["if_missing"] == "skip"
    assert steps[2]["actions"] == [
        {"action": "url", "url": "https://acme.example/billing", "new_tab": True},
        {"action": "event", "event": "book_call"},
        {"action": "snooze", "hours": 24},
    ]
    assert steps[0]["tokens"] == ["first_name"] and steps[2]["tokens"] == ["plan"]

    first = Markup(steps[0]["html"]["en"])
    tag, root = first.root
    assert tag == "div" and root["role"] == "dialog" and root["aria-modal"] == "true"
    assert root["class"] == "gs-step gs-layout-modal gs-pos-center"
    assert root["data-gs-step"] == "welcome"
    assert first.find(id=root["aria-labelledby"], class_="gs-title")
    assert first.find(id=root["aria-describedby"], class_="gs-body")
    assert root["aria-labelledby"] == "gs-title-tour-welcome"
    assert first.find("img", class_="gs-image") == [{
        "class": "gs-image", "src": "https://cdn.acme.example/gs/tour/step%201.png",
        "alt": "A dashboard"}]
    assert Markup(steps[0]["html"]["ja"]).find("img")[0]["alt"] == "ダッシュボード"
    assert first.find("span", data_gs_attr="first_name")
    assert first.find("button", data_gs_close=None)[0]["type"] == "button"
    assert "1 / 4" in first.text

    second = Markup(steps[1]["html"]["en"])
    assert second.root[1]["class"] == "gs-step gs-layout-tooltip"
    assert "aria-modal" not in second.root[1]
    buttons = second.find("button", data_gs_action=None)
    assert [(b["type"], b["data-gs-action"], b["class"]) for b in buttons] == [
        ("button", "0", "gs-btn gs-btn-secondary"), ("button", "1", "gs-btn gs-btn-primary")]
    assert second.find("span", class_="gs-arrow")
    assert "2 / 4" in second.text

    untitled = Markup(steps[2]["html"]["en"])
    assert "aria-labelledby" not in untitled.root[1]
    assert untitled.root[1]["aria-label"] == "No title here, free plan."
    assert Markup(steps[3]["html"]["en"]).find("button", class_="gs-btn gs-btn-link")


def test_default_asset_base_and_override(tmp_path: Path) -> None:
    project = make_project(tmp_path, [_walkthrough()])
    guide = project.guides["tour"]
    html = compile_guide(project, guide)["variants"][0]["steps"][0]["html"]["en"]
    assert Markup(html).find("img")[0]["src"] == "assets/tour/step%201.png"
    html = compile_guide(project, guide, asset_base="/static/")["variants"][0]["steps"][0][
        "html"]["en"]
    assert Markup(html).find("img")[0]["src"] == "/static/tour/step%201.png"


def test_image_outside_assets_is_a_compile_error() -> None:
    guide = make_guide("g", steps=[Step(title=text("x"),
                                        image=Image("../secret.png", text("x")))])
    with pytest.raises(CompileError) as info:
        compile_project(make_project(None, [guide]))
    assert info.value.problem.field == "variants[0].steps[0].image.src"


def test_unsafe_button_url_is_a_compile_error() -> None:
    guide = make_guide("g", steps=[Step(title=text("x"), buttons=[
        Button(text("Go"), "url", url=" JavaScript:alert(1)")])])
    with pytest.raises(CompileError) as info:
        compile_project(make_project(None, [guide]))
    assert info.value.problem.field == "variants[0].steps[0].buttons[0].url"


def test_banner_is_a_region(tmp_path: Path) -> None:
    guide = make_guide("promo", kind="banner", steps=[Step(
        title=text("Storage almost full"), body=text("Hi {{first_name|there}}, upgrade."),
        buttons=[Button(text("Upgrade"), "url", url="/billing"),
                 Button(text("Not now"), "dismiss")])])
    step = compiled(make_project(tmp_path, [guide]))["guides"][0]["variants"][0]["steps"][0]
    assert step["layout"] == "banner"
    root = Markup(step["html"]["en"]).root[1]
    assert root["role"] == "region" and root["aria-label"] == "Storage almost full"
    assert "aria-modal" not in root and "gs-pos-top" in root["class"]


def test_checklist_markup(tmp_path: Path) -> None:
    guide = make_guide("onboarding", kind="checklist", steps=[Step(
        title=text("Get started"),
        items=[ChecklistItem("upload", text("Upload a file"), "file_uploaded",
                             description=text("Drag it in"), due_days=3, url="/files"),
               ChecklistItem("invite", text("Invite a teammate"), "member_invited")])])
    step = compiled(make_project(tmp_path, [guide]))["guides"][0]["variants"][0]["steps"][0]
    assert step["layout"] == "checklist"
    assert step["items"] == [{"id": "upload", "event": "file_uploaded", "due_days": 3},
                             {"id": "invite", "event": "member_invited"}]
    html = Markup(step["html"]["en"])
    items = html.find("li", class_="gs-item")
    assert [i["data-gs-item"] for i in items] == ["upload", "invite"]
    # each item says whether it is done, for screen readers (the theme shows one of the two
    # words by the runtime's gs-done class); no aria-checked on a list item (not a checkbox)
    assert len(html.find("span", class_="gs-check")) == 2
    assert not html.find("span", class_="gs-check", aria_hidden="true")
    assert not html.find(aria_checked=None)
    assert len(html.find("span", class_="gs-sr gs-state-todo")) == 2
    assert len(html.find("span", class_="gs-sr gs-state-done")) == 2
    assert "Not done" in html.text and "Done" in html.text
    assert html.find("a", href="/files", rel="noopener noreferrer")
    assert html.find(data_gs_checklist_progress=None)
    assert "0 / 2" in html.text
    assert "gs-pos-bottom-right" in html.root[1]["class"]


def test_survey_markup(tmp_path: Path) -> None:
    guide = make_guide("nps", kind="survey", steps=[Step(
        title=text("Quick question"),
        survey=Survey(text("How likely are you to recommend us?"), low_label=text("Nope"),
                      thank_you=text("Thanks!", ja="ありがとう")))])
    step = compiled(make_project(tmp_path, [guide]))["guides"][0]["variants"][0]["steps"][0]
    assert step["layout"] == "survey" and step["survey"] == {"type": "nps"}
    html = Markup(step["html"]["en"])
    assert html.root[1]["aria-modal"] == "true"
    assert html.find("form", class_="gs-survey", data_gs_survey="nps")
    scores = html.find("button", data_gs_score=None)
    assert [s["data-gs-score"] for s in scores] == [str(i) for i in range(11)]
    assert all(s["type"] == "button" and s["aria-pressed"] == "false" for s in scores)
    # the end scores are named with the scale's words, which stay readable by assistive technology
    assert [s.get("aria-label") for s in scores] == ["0, Nope", *[None] * 9, "10, Very likely"]
    assert not html.find(class_="gs-scale-labels", aria_hidden="true")
    alert = html.find("p", data_gs_error=None)
    assert alert and alert[0]["role"] == "alert" and "hidden" in alert[0]
    assert "Choose a score before you submit." in html.text
    ja = Markup(step["html"]["ja"])
    assert "送信する前にスコアを選んでください。" in ja.text
    assert html.find("textarea", data_gs_comment=None)
    assert html.find("button", type="submit", data_gs_submit=None)
    thanks = html.find("div", data_gs_thanks=None)
    assert thanks and "hidden" in thanks[0] and thanks[0]["tabindex"] == "-1"  # takes the focus
    comment = html.find("textarea")[0]["id"]
    assert html.find("label", **{"for": comment})
    assert "ありがとう" in Markup(step["html"]["ja"]).text


def test_hotspot_and_tooltip_layouts(tmp_path: Path) -> None:
    guides = [make_guide("hot", kind="hotspot", steps=[Step(title=text("New!"),
                                                            anchor=Anchor("#new"))]),
              make_guide("tip", kind="tooltip", steps=[Step(body=text("Only a body"),
                                                            anchor=Anchor("#x"))])]
    bundle = compiled(make_project(tmp_path, guides))
    hot = guide_of(bundle, "hot")["variants"][0]["steps"][0]
    assert hot["layout"] == "hotspot"
    # the beacon comes first (before its step in the tab order), named like the step, in its language
    markup = Markup(hot["html"]["en"])
    beacon, root = markup.elements[0], markup.find("div", class_=None)[0]
    assert beacon == ("button", {"type": "button", "class": "gs-beacon", "aria-expanded": "false",
                                 "aria-label": "New!", "lang": "en"})
    assert "gs-layout-hotspot" in (root["class"] or "") and "hidden" in root
    tip = Markup(guide_of(bundle, "tip")["variants"][0]["steps"][0]["html"]["en"])
    assert tip.root[1]["aria-label"] == "Only a body"


def test_rtl_locale_gets_dir(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("g")], locales=["en", "ar", "ar-EG", "az-Arab", "ku"])
    html = compiled(project)["guides"][0]["variants"][0]["steps"][0]["html"]
    for locale in ("ar", "ar-EG", "az-Arab"):
        root = Markup(html[locale]).root[1]
        assert (root["dir"], root["lang"]) == ("rtl", locale)
    assert "dir" not in Markup(html["en"]).root[1]
    assert "dir" not in Markup(html["ku"]).root[1]  # Kurdish is written in Latin letters by default
    # the words the markup adds are Arabic too: the close button's name
    assert 'aria-label="إغلاق"' in html["ar-EG"]


# --- safety ---------------------------------------------------------------------------------

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt&#58;alert(1))",
    "{{7*7}}",
    '" onmouseover="x',
]
EVIL = " ".join(PAYLOADS)


def _evil_project(root: Path | None) -> Project:
    evil = {"en": EVIL, "ja": EVIL}
    common = dict(title=evil, body=evil, image=Image("assets/x.png", evil),
                  buttons=[Button(evil, "next"), Button(evil, "dismiss")])
    guides = [
        make_guide(f"evil-{kind}", kind=kind, steps=[Step(**common, anchor=Anchor("#a"))])
        for kind in ("tooltip", "modal", "banner", "hotspot", "walkthrough")
    ]
    guides.append(make_guide("evil-checklist", kind="checklist", steps=[Step(
        **common, items=[ChecklistItem("a", evil, "ev", description=evil),
                         ChecklistItem("b", evil, "ev", description=evil, url="/safe")])]))
    guides.append(make_guide("evil-survey", kind="survey", steps=[Step(
        **common, survey=Survey(evil, low_label=evil, high_label=evil, comment_label=evil,
                                thank_you=evil))]))
    for guide in guides:
        guide.name = EVIL
    return make_project(root, guides, locales=["en", "ja"])


def test_hostile_text_in_every_field_stays_text(tmp_path: Path) -> None:
    bundle = compiled(_evil_project(tmp_path))
    assert len(bundle["guides"]) == 7
    for guide in bundle["guides"]:
        for step in guide["variants"][0]["steps"]:
            for html in step["html"].values():
                markup = assert_safe(html)
                assert "{{7*7}}" in markup.text and "49" not in markup.text
                assert not markup.find("a", href=None) or all(
                    a["href"] == "/safe" for a in markup.find("a"))
                assert "<script>window.__pwned=1</script>" in markup.text
                # Text in attributes is a value, never markup: the whole payload survives.
                for value in [a["alt"] for a in markup.find("img")] + [
                        markup.root[1].get("aria-label") or EVIL]:
                    assert value.startswith("<script>") and '" onmouseover="x' in value


# --- determinism ------------------------------------------------------------------------------


def test_same_project_same_bytes(tmp_path: Path) -> None:
    project = make_project(tmp_path, [_walkthrough(), make_guide("b")],
                           segments=[Segment("s", "S", {"a": {"$in": [1, 2.5, 1e-7]}})])
    first = bundle_io.dumps(compile_project(project))
    second = bundle_io.dumps(compile_project(load_project(tmp_path).project))
    assert first == second


def test_bytes_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    project = make_project(tmp_path, [_walkthrough(), make_guide("other", audience=Audience(
        conditions={"$or": [{"b": 1}, {"a": {"$in": ["x", "y"]}}]}))])
    here = hashlib.sha256(bundle_io.dumps(compile_project(project)).encode()).hexdigest()
    code = (
        "import hashlib, sys\n"
        "from guidestudio.core.files.project_io import load_project\n"
        "from guidestudio.core.bundle.compiler import compile_project\n"
        "from guidestudio.core.bundle.bundle_file import dumps\n"
        "b = dumps(compile_project(load_project(sys.argv[1]).project))\n"
        "print(hashlib.sha256(b.encode()).hexdigest())\n"
    )
    for seed in ("1", "987654"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env,
                             capture_output=True, text=True, check=True, cwd=REPO_ROOT)
        assert out.stdout.strip() == here


def test_generated_at_only_when_asked(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("g")])
    bundle = compiled(project, generated_at="2026-01-02T03:04:05Z")
    assert bundle["generated_at"] == "2026-01-02T03:04:05Z"
    assert compiled(project, generated_at=0)["generated_at"] == "1970-01-01T00:00:00Z"


# --- templates --------------------------------------------------------------------------------


def _write_template(root: Path, name: str, source: str) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / name).write_text(source, encoding="utf-8")


def test_project_template_override_is_used(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("g"), make_guide("t", kind="tooltip")])
    _write_template(tmp_path, "modal.html.j2",
                    '{% import "_macros.html.j2" as m %}<div class="gs-step custom" '
                    'data-gs-step="{{ step.id }}">{{ m.title(step, ids) }}'
                    "<p>{{ guide.name }}</p></div>")
    bundle = compiled(project)
    modal = guide_of(bundle, "g")["variants"][0]["steps"][0]["html"]["en"]
    assert modal.startswith('<div class="gs-step custom" data-gs-step="s1">')
    assert "<p>Guide g</p>" in modal
    tooltip = guide_of(bundle, "t")["variants"][0]["steps"][0]["html"]["en"]
    assert "gs-layout-tooltip" in tooltip  # other layouts keep the built-in

    _write_template(tmp_path, "base.css", ".gs-root{color:red}\n")
    # (after the shadow root's reset, which every stylesheet starts with)
    assert compiled(project)["theme_css"].startswith(":host{all:initial!important}\n.gs-root{color:red}")


def test_broken_override_is_a_compile_error_with_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("g")])
    _write_template(tmp_path, "modal.html.j2", "<div>\n<p>\n{% if step.title %}\n</div>\n")
    with pytest.raises(CompileError) as info:
        compile_project(project)
    problem = info.value.problem
    assert (problem.file, problem.line) == ("templates/modal.html.j2", 4)
    assert str(info.value).startswith("templates/modal.html.j2:4:")


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "ok\n{{ step.__class__ }}",
        "{{ guide.name.format.__globals__ }}",
        "{{ 'x' * 100000000 }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_sandbox_escape_is_a_compile_error(tmp_path: Path, source: str) -> None:
    project = make_project(tmp_path, [make_guide("g")])
    _write_template(tmp_path, "modal.html.j2", source)
    with pytest.raises(CompileError) as info:
        compile_project(project)
    assert info.value.problem.file == "templates/modal.html.j2"
    assert info.value.problem.line is not None


@pytest.mark.parametrize(
    ("source", "budget"),
    [
        # the override: nested range(100000) loops (ten billion iterations)
        ("<div>\n{% for i in range(100000) %}{% for j in range(100000) %}"
         "{% endfor %}{% endfor %}\n</div>", "time budget"),
        # loops over one list, so no call inside the loop gives a chance to stop
        ("{% set r = range(100000)|list %}{% for i in r %}{% for j in r %}"
         "{% endfor %}{% endfor %}", "time budget"),
        ("{% for i in range(100000) %}{{ 'x' * 900 }}{% endfor %}", "output budget"),
    ],
)
def test_runaway_override_fails_naming_the_template_and_the_budget(
        tmp_path: Path, source: str, budget: str) -> None:
    project = make_project(tmp_path, [make_guide("g")])
    _write_template(tmp_path, "modal.html.j2", source)
    started = time.monotonic()
    with pytest.raises(CompileError) as info:
        compile_project(project)
    assert time.monotonic() - started < 10
    problem = info.value.problem
    assert problem.file == "templates/modal.html.j2"
    assert budget in problem.message
    if budget == "time budget":  # stopped inside the loop: the line says which
        assert problem.line is not None


def test_budget_leaves_the_tracer_it_found(tmp_path: Path) -> None:
    """A debugger's or coverage's tracer is back in place after an override renders."""
    project = make_project(tmp_path, [make_guide("g")])
    _write_template(tmp_path, "modal.html.j2", "<div>{{ guide.name }}</div>")

    def tracer(frame: Any, event: str, arg: Any) -> None:
        return None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        compile_project(project)
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(previous)


def test_override_edits_are_picked_up(tmp_path: Path) -> None:
    project = make_project(tmp_path, [make_guide("g")])
    guide = project.guides["g"]
    _write_template(tmp_path, "modal.html.j2", "<div>one</div>")
    assert compile_guide(project, guide)["variants"][0]["steps"][0]["html"]["en"] == \
        "<div>one</div>"
    _write_template(tmp_path, "modal.html.j2", "<div>two, longer</div>")
    assert compile_guide(project, guide)["variants"][0]["steps"][0]["html"]["en"] == \
        "<div>two, longer</div>"
    (tmp_path / "templates" / "modal.html.j2").unlink()
    assert "gs-layout-modal" in compile_guide(project, guide)["variants"][0]["steps"][0][
        "html"]["en"]


# --- speed and generated input ------------------------------------------------------------------


def test_compile_guide_is_fast_enough_for_live_preview() -> None:
    steps = [Step(title=text(f"Step {i} {{{{name|you}}}}", ja=f"ステップ{i}", de=f"Schritt {i}"),
                  body=text(f"Body **{i}** with [a link](https://a.example/{i})",
                            ja=f"本文{i}", de=f"Text {i}"),
                  anchor=Anchor(f"#el{i}"),
                  buttons=[Button(text("Back"), "back"), Button(text("Next"), "next")])
             for i in range(4)]
    guide = make_guide("tour", kind="walkthrough", steps=steps)
    project = make_project(None, [guide])
    times = []
    for i in range(30):
        guide.variants[0].steps[0].body = text(f"Edited body {i}")  # like typing
        start = time.perf_counter()
        compile_guide(project, guide)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.05  # target is 10 ms; generous for slow CI machines


_markdownish = st.text(
    alphabet=st.sampled_from(list("ab <>&\"'`*_[]()!#{}|:/\\\n-=.0123456789")) | st.characters(
        blacklist_categories=("Cs",)),
    max_size=60,
)
_texts = st.one_of(_markdownish, st.sampled_from(PAYLOADS),
                   st.lists(st.sampled_from(PAYLOADS + ["{{name|x}}", "**b**", "[l](/p)"]),
                            max_size=4).map(" ".join))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_texts, body=_texts, label=_texts, item=_texts, question=_texts,
       kind=st.sampled_from(["modal", "tooltip", "banner", "checklist", "survey", "walkthrough"]))
def test_generated_texts_always_give_a_valid_safe_bundle(
    title: str, body: str, label: str, item: str, question: str, kind: str
) -> None:
    step = Step(title={"en": title}, body={"en": body, "ja": title},
                buttons=[Button({"en": label}, "next")], anchor=Anchor("#x"))
    if kind == "checklist":
        step.items = [ChecklistItem("i1", {"en": item}, "ev", description={"en": body})]
    if kind == "survey":
        step.survey = Survey({"en": question}, thank_you={"en": item})
    project = make_project(None, [make_guide("g", kind=kind, steps=[step])],
                           locales=["en", "ja"])
    bundle = compile_project(project)
    assert bundle_io.validate_bundle(bundle) == []
    for html in bundle["guides"][0]["variants"][0]["steps"][0]["html"].values():
        assert_safe(html)


def test_every_language_of_the_runtime_words_has_every_word() -> None:
    """A language without a word renders an empty button or an unnamed control for its readers
    (the close button, the survey's alert, a checklist item's state)."""
    from guidestudio.core.bundle.compiler import UI_STRINGS

    english = set(UI_STRINGS["en"])
    incomplete = {lang: sorted(english - set(words)) for lang, words in UI_STRINGS.items()
                  if english - set(words) or not all(words.values())}
    assert incomplete == {}
