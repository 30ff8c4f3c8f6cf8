"""Synthetic projects for benchmarks: realistic shapes, deterministic content.

Written through the model and the real saver, so the files are exactly what
the editor would produce.
"""

from __future__ import annotations

import random
from pathlib import Path

from guidestudio.core.files.project_io import save_project
from guidestudio.core.model import (
    Anchor,
    Audience,
    Button,
    Experiment,
    Frequency,
    Goal,
    Guide,
    Profile,
    Project,
    Schedule,
    Segment,
    Settings,
    Step,
    Theme,
    Throttle,
    Trigger,
    Variant,
)

LOCALES = ["en", "ja", "de"]
PLANS = ["free", "trial", "pro", "business"]


def _text(rng: random.Random, words: int) -> dict[str, str]:
    vocab = ["storage", "upgrade", "team", "share", "files", "faster", "reports", "plan",
             "secure", "sync", "folders", "invite", "automate", "save", "time", "today"]
    base = " ".join(rng.choice(vocab) for _ in range(words))
    return {
        "en": f"Hi {{{{first_name|there}}}}, **{base}** and [learn more](https://acme.example/docs).",
        "ja": f"こんにちは {{{{first_name|ゲスト}}}} さん、**{base}** をご覧ください。",
        "de": f"Hallo {{{{first_name|du}}}}, **{base}** — jetzt entdecken.",
    }


def segment_condition(rng: random.Random, i: int) -> dict[str, object]:
    return {
        "$and": [
            {"plan": {"$in": rng.sample(PLANS, 2)}},
            {"$or": [
                {"storage_used_pct": {"$gte": rng.randint(50, 95)}},
                {"country": {"$in": [f"C{n}" for n in range(100)]}},
                {"email": {"$regex": r"@(acme|example)\.(com|org)$"}},
            ]},
            {"app_version": {"$vgte": f"2.{i % 10}.0"}},
        ]
    }


def build(root: Path, guides: int = 2000, segments: int = 50, variants: int = 3,
          steps: int = 4, seed: int = 7) -> Project:
    rng = random.Random(seed)
    project = Project(
        settings=Settings(id="bench", name="Bench", default_locale="en", locales=LOCALES,
                          hash_attribute="id", theme="t", timezone="Europe/Berlin",
                          throttle=Throttle(min_minutes_between=10, max_per_day=5)),
        root=root,
    )
    project.themes["t"] = Theme(id="t", name="T", colors={"primary": "#336699"}, radius=8)
    for i in range(segments):
        sid = f"seg-{i:03d}"
        project.segments[sid] = Segment(id=sid, name=f"Segment {i}",
                                        condition=segment_condition(rng, i))
    for i in range(guides):
        gid = f"guide-{i:05d}"
        kind = "walkthrough"
        project.guides[gid] = Guide(
            id=gid,
            name=f"Guide {i}",
            kind=kind,
            status=rng.choice(["live", "live", "staged", "draft"]),
            priority=rng.randint(0, 100),
            audience=Audience(segments=[f"seg-{rng.randrange(segments):03d}"],
                              conditions={"account.age_days": {"$lte": rng.randint(7, 365)}}),
            trigger=Trigger(on="page_view", url=f"/area{i % 20}/**"),
            schedule=Schedule(start="2026-01-01", end="2027-12-31T23:59:59Z"),
            frequency=Frequency(max_shows=3, cooldown_hours=24, stop_after=["dismissed"]),
            goal=Goal(event="plan_upgraded", within_days=7),
            experiment=Experiment(key=f"exp-{i}", control_weight=0.1),
            variants=[
                Variant(
                    key=f"v{v}",
                    weight=1,
                    steps=[
                        Step(
                            layout="tooltip" if s else "modal",
                            title={loc: f"Step {s + 1} ({loc})" for loc in LOCALES},
                            body=_text(rng, 12),
                            anchor=Anchor(selector=f"#el-{s}", placement="bottom") if s else None,
                            buttons=[
                                Button(label={loc: "Next" for loc in LOCALES},
                                       action="next" if s < steps - 1 else "complete"),
                                Button(label={loc: "Upgrade" for loc in LOCALES}, action="url",
                                       url="https://acme.example/billing"),
                            ],
                        )
                        for s in range(steps)
                    ],
                )
                for v in range(variants)
            ],
        )
    project.profiles = [
        Profile(id=f"p{i}", attributes={"id": f"u{i}", "plan": PLANS[i % 4],
                                        "storage_used_pct": 40 + i * 5, "country": "C1",
                                        "app_version": "2.5.0", "account": {"age_days": 30}})
        for i in range(10)
    ]
    root.mkdir(parents=True, exist_ok=True)
    save_project(project)
    return project
