"""A new, valid project to start from (``guidestudio new DIR``).

It is built through the model and saved through project I/O, so a scaffold can
never drift from the schema: it is exactly what the editor would have written.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidestudio.core.files.project_io import PROJECT_FILE, save_project
from guidestudio.core.model import (
    Audience,
    Button,
    Display,
    Frequency,
    Guide,
    Profile,
    Project,
    Segment,
    Settings,
    Step,
    Theme,
    Throttle,
    Trigger,
    Variant,
)


class ScaffoldError(Exception):
    pass


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "project")[:64]


def new_project(folder: Path | str, name: str | None = None,
                locales: list[str] | None = None) -> Project:
    """Write a valid starter project; ``locales`` (default ["en"]) lists its languages, the
    first being the default. The starter texts are English: other languages start with
    "missing translation" warnings, which is where a marketer should begin."""
    folder = Path(folder)
    locales = list(dict.fromkeys(locales or ["en"]))
    if (folder / PROJECT_FILE).exists():
        raise ScaffoldError(f"{folder} already holds a project ({PROJECT_FILE} exists)")
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} is not empty; choose a new or empty folder")
    name = name or folder.resolve().name or "My product"
    project = Project(
        settings=Settings(
            id=_slug(name),
            name=name,
            default_locale=locales[0],
            locales=locales,
            hash_attribute="id",
            theme="default",
            timezone="UTC",
            throttle=Throttle(min_minutes_between=30, max_per_session=2, max_per_day=3),
        ),
        root=folder,
    )
    project.themes["default"] = Theme(
        id="default",
        name="Default",
        colors={"primary": "#4f46e5", "on_primary": "#ffffff", "surface": "#ffffff",
                "text": "#111827", "muted": "#6b7280", "border": "#e5e7eb",
                "backdrop": "rgba(17, 24, 39, 0.5)", "accent": "#b45309"},
        font={"family": "system-ui, sans-serif", "size": 14},
        radius=10,
        shadow="0 12px 32px rgba(0, 0, 0, 0.18)",
    )
    project.segments["new-users"] = Segment(
        id="new-users",
        name="New users",
        description="Accounts created in the last 30 days.",
        condition={"account.age_days": {"$lte": 30}},
    )
    project.guides["welcome"] = Guide(
        id="welcome",
        name="Welcome",
        kind="modal",
        status="draft",
        priority=10,
        audience=Audience(segments=["new-users"]),
        trigger=Trigger(on="page_view", url="/**"),
        frequency=Frequency(max_shows=1, stop_after=["dismissed", "completed"]),
        display=Display(backdrop=True),
        variants=[
            Variant(
                key="a",
                steps=[
                    Step(
                        title={"en": "Welcome, {{first_name|there}}!"},
                        body={"en": "Here is what you can do first. **It takes a minute.**"},
                        buttons=[
                            Button(label={"en": "Get started"}, action="complete",
                                   style="primary"),
                            Button(label={"en": "Later"}, action="dismiss", style="secondary"),
                        ],
                    )
                ],
            )
        ],
    )
    project.profiles = [
        Profile(id="new-user", name="New user",
                attributes={"id": "u-1", "first_name": "Ada", "account": {"age_days": 3}}),
        Profile(id="long-time-user", name="Long-time user",
                attributes={"id": "u-2", "first_name": "Grace", "account": {"age_days": 400}}),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "templates").mkdir(exist_ok=True)
    save_project(project)
    return project
