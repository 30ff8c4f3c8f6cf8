"""What the editor remembers between sessions (QSettings): projects, layout, theme.

One module owns the keys so a typo cannot split a setting in two, and every
read passes ``type=`` — QSettings returns strings (or a bare string for a
one-item list) from INI files otherwise.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

RECENT = "projects/recent"
LAST = "projects/last"
THEME = "view/theme"
GROUPING = "view/treeGrouping"
GEOMETRY = "window/geometry"
STATE = "window/state"
#: Whether the bottom panel (problems, preview log) is folded to its tabs.
BOTTOM_COLLAPSED = "window/bottomCollapsed"
#: ``QMainWindow.saveState``'s version: a state saved with another one is not restored.
#: 2: the canvas in the centre, the inspector on the right, one bottom panel (issue 12);
#: the docks of version 1 (editor in the centre, preview dock) must not come back.
STATE_VERSION = 2
MAX_RECENT = 8
#: The event files the Results view reads, per project (the user's, never the project's).
EVENT_SOURCES = "results/eventSources"
#: The users table audience sizes are counted on, per project (the user's, never the project's).
USERS_TABLE = "audience/usersTable"


def recent_projects() -> list[Path]:
    values = QSettings().value(RECENT, [], type=list) or []
    return [Path(v) for v in values if isinstance(v, str) and v]


def remember_project(root: Path) -> None:
    """Put ``root`` first in the recent list and make it the one to reopen."""
    text = str(Path(root).resolve())
    recent = [str(p) for p in recent_projects() if str(p) != text]
    settings = QSettings()
    settings.setValue(RECENT, [text, *recent][:MAX_RECENT])
    settings.setValue(LAST, text)


def forget_project(root: Path) -> None:
    text = str(Path(root).resolve())
    settings = QSettings()
    settings.setValue(RECENT, [str(p) for p in recent_projects() if str(p) != text])
    if settings.value(LAST, "", type=str) == text:
        settings.remove(LAST)


def last_project() -> Path | None:
    text = QSettings().value(LAST, "", type=str)
    return Path(text) if text else None


def get_str(key: str, default: str) -> str:
    return str(QSettings().value(key, default, type=str))


def set_value(key: str, value: object) -> None:
    QSettings().setValue(key, value)


def get_bool(key: str, default: bool) -> bool:
    return bool(QSettings().value(key, default, type=bool))


def get_bytes(key: str) -> QByteArray | None:
    value = QSettings().value(key, QByteArray(), type=QByteArray)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _project_key(root: Path) -> str:
    """A project folder as a settings key (its path has slashes, which QSettings nests)."""
    import hashlib

    return hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:24]


def event_sources(root: Path) -> list[str]:
    """The event files, folders and patterns last chosen for the project at ``root``."""
    values = QSettings().value(f"{EVENT_SOURCES}/{_project_key(root)}", [], type=list) or []
    return [v for v in values if isinstance(v, str) and v]


def set_event_sources(root: Path, paths: list[str]) -> None:
    settings = QSettings()
    key = f"{EVENT_SOURCES}/{_project_key(root)}"
    if paths:
        settings.setValue(key, list(paths))
    else:
        settings.remove(key)


def users_table(root: Path) -> str:
    """The users table (a Parquet file or ``file.duckdb:table``) chosen for ``root``."""
    return str(QSettings().value(f"{USERS_TABLE}/{_project_key(root)}", "", type=str) or "")


def set_users_table(root: Path, spec: str) -> None:
    settings = QSettings()
    key = f"{USERS_TABLE}/{_project_key(root)}"
    if spec:
        settings.setValue(key, spec)
    else:
        settings.remove(key)
