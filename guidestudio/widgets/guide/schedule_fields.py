"""When a guide may show: an optional start, an optional end, and their time zone.

A schedule is stored as ISO 8601 text. Times written without an offset are in
the schedule's time zone (or the project's), which is what a marketer means by
"9 am on launch day"; times already written with ``Z`` or an offset keep it,
and the field says so, so editing a date never silently moves it by hours.
The picker works in wall-clock time with no zone of its own, so no daylight
saving gap on the developer's machine can make a time impossible to enter.

Start and end are laid out alike — the date, its zone, then "No … date" on the
line below — so the two dates line up whatever the check boxes say, and the
rows fit a narrow inspector.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from guidestudio.core.edits import MISSING
from guidestudio.widgets.kit.combo_data import combo_value, set_options
from guidestudio.widgets.kit.form_kit import GuideContext, GuideForm, check, combo, form_layout

_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
FORMAT = "yyyy-MM-dd HH:mm:ss"


@functools.cache
def time_zones() -> list[str]:
    """Every IANA zone name, sorted; read once (it scans the zone database)."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def offset_of(value: Any) -> str:
    """"Z", "+09:00" or "" (no offset: the schedule's time zone applies)."""
    match = _OFFSET.search(value) if isinstance(value, str) and "T" in value else None
    return match.group(1) if match else ""


def to_qdatetime(value: Any, fallback: QDateTime) -> QDateTime:
    """The wall-clock time written in ``value`` (offset set aside), or ``fallback``."""
    if not isinstance(value, str):
        return fallback
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return fallback
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute, moment.second), QTimeZone.utc())


def to_iso(moment: QDateTime, offset: str = "") -> str:
    return f"{moment.date().toString('yyyy-MM-dd')}T{moment.time().toString('HH:mm:ss')}{offset}"


def _default_moment(days: int) -> QDateTime:
    day = date.today() + timedelta(days=days)
    return QDateTime(QDate(day.year, day.month, day.day), QTime(9, 0), QTimeZone.utc())


class ScheduleFields(GuideForm):
    """Start, end and time zone of the selected guide's schedule."""

    def __init__(self, ctx: GuideContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = form_layout()
        self.outer.addLayout(layout)
        self.edits: dict[str, QDateTimeEdit] = {}
        self.nones: dict[str, QCheckBox] = {}
        self.zone_labels: dict[str, QLabel] = {}
        texts = {
            "start": ("No start date", "&Starts", "The guide may show from this moment on. "
                      "Leave 'No start date' ticked to start as soon as it is live."),
            "end": ("No end date", "&Ends", "The guide stops showing at this moment, e.g. "
                    "when an offer expires. Leave 'No end date' ticked to keep it running."),
        }
        for name, (none_text, label, tip) in texts.items():
            box = QWidget(self)
            lines = QVBoxLayout(box)
            lines.setContentsMargins(0, 0, 0, 0)
            lines.setSpacing(2)
            row = QHBoxLayout()
            none = check(none_text, tip, box)
            edit = QDateTimeEdit(box)
            edit.setToolTip(tip)
            edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            edit.setDisplayFormat(FORMAT)
            edit.setCalendarPopup(True)
            edit.setTimeZone(QTimeZone.utc())
            zone = QLabel(box)
            row.addWidget(edit)  # natural width: both dates the same size, one above the other
            row.addWidget(zone)
            row.addStretch(1)
            lines.addLayout(row)
            lines.addWidget(none)
            caption = QLabel(label, self)
            caption.setBuddy(edit)  # a real mnemonic: Alt+S / Alt+E go to the date
            layout.addRow(caption, box)
            self.edits[name], self.nones[name], self.zone_labels[name] = edit, none, zone
            path = functools.partial(self._path, name)
            self.field(none, path, to_model=functools.partial(self._none_to_model, name),
                       from_model=lambda value: value is None).displayed.connect(
                self._update_enabled)
            self.field(edit, path, merge=True,
                       to_model=functools.partial(self._edit_to_model, name),
                       from_model=functools.partial(to_qdatetime,
                                                    fallback=_default_moment(
                                                        0 if name == "start" else 30)))
            none.toggled.connect(self._update_enabled)
        self.zone = combo("The time zone the start and end times are in. The project's time "
                          "zone applies unless you choose another.", [])
        layout.addRow("&Time zone", self.zone)
        self._fill_zones()
        self.field(self.zone, lambda: self._path("timezone"))
        self.zone.currentIndexChanged.connect(self._update_zone_labels)

    def _path(self, name: str) -> tuple[Any, ...] | None:
        return self.ctx.guide_path("schedule", name)

    def _none_to_model(self, name: str, checked: bool) -> Any:
        if checked:
            return MISSING
        return to_iso(self.edits[name].dateTime(), offset_of(self._stored(name)))

    def _edit_to_model(self, name: str, moment: QDateTime) -> Any:
        if self.nones[name].isChecked():
            return MISSING
        return to_iso(moment, offset_of(self._stored(name)))

    def _stored(self, name: str) -> Any:
        path = self._path(name)
        return None if path is None else self.document.get(path)

    def _fill_zones(self) -> None:
        project_zone = self.document.project.timezone
        set_options(self.zone, [(f"Project time zone ({project_zone})", None)]
                    + [(name, name) for name in time_zones()])

    def refresh(self) -> None:
        if not self.zone.itemText(0).endswith(f"({self.document.project.timezone})"):
            self._fill_zones()
        super().refresh()

    def update_visibility(self) -> None:
        self._update_enabled()

    def _update_enabled(self) -> None:
        for name, edit in self.edits.items():
            edit.setEnabled(not self.nones[name].isChecked())
        self._update_zone_labels()

    def _update_zone_labels(self) -> None:
        zone = combo_value(self.zone) or self.document.project.timezone
        for name, label in self.zone_labels.items():
            offset = offset_of(self._stored(name))
            label.setText("UTC" if offset == "Z" else offset or zone)
            label.setToolTip("This time is fixed in UTC as written in the file." if offset
                             else f"This time is in {zone}.")
