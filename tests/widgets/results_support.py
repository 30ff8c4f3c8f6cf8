"""Events for the example project (acme-cloud), as real files, for the Results view's tests
and screenshots: the trial tour's experiment (control, short, full), a storage banner
with too few people, an NPS survey and the onboarding checklist."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.core.results.events_support import track, write_jsonl

TOUR, BANNER = "trial-conversion-tour", "storage-almost-full"
TOUR_RATES = {"control": 0.10, "short": 0.16, "full": 0.12}
TOUR_STEPS = {"short": 3, "full": 4}


def example_events(users: int = 2400, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ev: list[dict[str, Any]] = []
    n = 0

    def mid() -> str:
        nonlocal n
        n += 1
        return f"m{n}"

    for i in range(users):
        user, day = f"t{i}", 1 + i % 21
        at = f"2026-11-{day:02d}T{9 + i % 8:02d}:00:00Z"
        arm = rng.choices(list(TOUR_RATES), [0.2, 0.4, 0.4])[0]
        ev.append(track(user, "experiment_viewed", at, mid(), guide_id=TOUR, variant=arm,
                        experiment="trial-tour-length"))
        if arm != "control":
            ev.append(track(user, "guide_shown", at, mid(), guide_id=TOUR, variant=arm))
            seen = 1 + sum(rng.random() < 0.8 for _ in range(TOUR_STEPS[arm] - 1))
            for step in range(seen):
                ev.append(track(user, "step_shown", at, mid(), guide_id=TOUR, variant=arm,
                                step=step))
            if arm == "full" and seen >= 2 and rng.random() < 0.1:
                ev.append(track(user, "step_error", at, mid(), guide_id=TOUR, variant=arm,
                                step=1, selector="#nav-reports", reason="not_found"))
            if seen == TOUR_STEPS[arm]:
                ev.append(track(user, "guide_completed", at, mid(), guide_id=TOUR, variant=arm))
            elif rng.random() < 0.6:
                ev.append(track(user, "guide_dismissed", at, mid(), guide_id=TOUR, variant=arm))
            if rng.random() < 0.2:
                ev.append(track(user, "cta_clicked", at, mid(), guide_id=TOUR, variant=arm))
        if rng.random() < TOUR_RATES[arm]:
            ev.append(track(user, "plan_upgraded", f"2026-11-{day + 2:02d}T08:00:00Z", mid()))
    for i in range(30):  # the banner: too few people to say anything yet
        arm = "control" if i % 10 == 0 else ("a", "b")[i % 2]
        at = f"2026-11-{1 + i % 20:02d}T10:00:00Z"
        ev.append(track(f"b{i}", "experiment_viewed", at, mid(), guide_id=BANNER, variant=arm,
                        experiment="storage-banner-copy"))
        if arm != "control":
            ev.append(track(f"b{i}", "guide_shown", at, mid(), guide_id=BANNER, variant=arm))
    for i, score in enumerate([10, 9, 9, 8, 7, 3, 10, 6, 9, 10, 0, 8]):
        at = f"2026-11-{1 + i:02d}T10:00:00Z"
        ev.append(track(f"s{i}", "guide_shown", at, mid(), guide_id="nps-survey", variant="a"))
        ev.append(track(f"s{i}", "survey_response", at, mid(), guide_id="nps-survey",
                        variant="a", score=score))
    items = ["upload-first-file", "invite-teammate", "install-desktop-app"]
    for i in range(40):
        at = f"2026-11-{1 + i % 20:02d}T11:00:00Z"
        ev.append(track(f"c{i}", "guide_shown", at, mid(), guide_id="onboarding-checklist",
                        variant="a"))
        for k, item in enumerate(items):
            if i % (k + 2) == 0:
                ev.append(track(f"c{i}", "checklist_item_done", at, mid(),
                                guide_id="onboarding-checklist", variant="a", item=item))
    return ev


def write_example_events(folder: Path, users: int = 2400,
                         extra_lines: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_jsonl(folder / "events.jsonl", example_events(users), extra_lines)
