""""New guide from a starter": pick a card, fill in its few details, get a draft.

The cards are the plays (an upgrade prompt, a trial tour…) and then a blank
starter of every kind. Each card shows the starter's guide as the runtime
draws it, when a ``ThumbnailSource`` is given (the window's renders them in the
background and caches them on disk); until a picture is there, and without a
source, the card shows the kind's coloured tile.

The dialog only collects choices; ``guidestudio.core.starters.instantiate`` builds the
guide (so the CLI and tests make exactly the same guide). It does not touch
the project: after ``exec()`` returns Accepted, ``guide()`` holds the new
draft and the caller adds it through a document edit (so it can be undone).

Keyboard first: the list has focus (arrows choose), Tab walks the detail
fields (pre-filled with sensible defaults), Enter creates. Values are checked
as they are typed; the Create button stays disabled while one is unusable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QSize, Qt, QTimer, SignalInstance
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidestudio.core.model import Guide, Project
from guidestudio.core.rules.values import format_scalar
from guidestudio.core.starters import (
    ParamChoice,
    Starter,
    StarterError,
    StarterParam,
    check_params,
    choice_label,
    choice_value,
    instantiate,
    list_blank_starters,
    list_starters,
    param_choices,
    param_help,
    unique_guide_id,
)
from guidestudio.widgets.rules.value_editors import set_problem

_KIND_LOOK = {  # glyph and colour per guide kind, for the list icons
    "banner": ("▬", "#3b6fd4"),
    "walkthrough": ("➜", "#2f9e6f"),
    "tooltip": ("?", "#7a4fd0"),
    "modal": ("▣", "#d2762c"),
    "survey": ("★", "#c9a100"),
    "checklist": ("✓", "#2a8a99"),
    "hotspot": ("●", "#d04f74"),
}
_STYLE = '*[problem="error"] { border: 2px solid #d32f2f; border-radius: 3px; }'
#: A card's picture, and the selected starter's larger one: a 16:10 part of the page.
CARD = QSize(176, 110)
PICTURE = QSize(400, 250)
KIND_WORDS = {"survey": "NPS survey"}


class ThumbnailSource(Protocol):
    """Pictures of starters: cached ones now, the others ``rendered`` later on request."""

    rendered: SignalInstance  # (starter id, path of the PNG)

    def thumbnail(self, starter: Starter) -> Path | None: ...

    def request(self, starters: list[Starter]) -> None: ...


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.capitalize())


def card_icon(kind: str, glyph: str | None = None, size: QSize = CARD) -> QIcon:
    """The placeholder picture: the kind's tile centred on a pale field of ``size``."""
    icon = QIcon()
    tile_size = min(size.height() // 2, 96)
    for scale in (1, 2):
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(QColor("#eef1f6"))
        painter = QPainter(pixmap)
        tile = kind_icon(kind, glyph, tile_size).pixmap(QSize(tile_size, tile_size), scale)
        painter.drawPixmap((size.width() - tile_size) // 2, (size.height() - tile_size) // 2,
                           tile)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def kind_icon(kind: str, glyph: str | None = None, size: int = 32) -> QIcon:
    """A tile coloured by kind with the starter's glyph (default: the kind's),
    drawn at 1x and 2x for HiDPI screens."""
    default_glyph, colour = _KIND_LOOK.get(kind, ("•", "#777777"))
    glyph = glyph or default_glyph
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 6, 6)
        font = QFont()
        font.setPixelSize(int(size * 0.55))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(0, 0, size, size, Qt.AlignmentFlag.AlignCenter, glyph)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class StarterGalleryDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None,
                 starters: list[Starter] | None = None,
                 thumbnails: ThumbnailSource | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New guide from a starter")
        self.setStyleSheet(_STYLE)
        self.project = project
        self.starters = starters if starters is not None else \
            list_starters() + list_blank_starters()
        self.thumbnails = thumbnails
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self._choices: dict[str, list[ParamChoice]] = {}  # param -> what its list offers
        self._values: dict[str, dict[str, str]] = {
            s.id: {p.name: format_scalar(p.default) for p in s.parameters}
            for s in self.starters
        }
        self._guide: Guide | None = None
        self._cancelled = False

        self.list = QListWidget(self)
        self.list.setObjectName("starterList")
        self.list.setIconSize(CARD)
        self.list.setMinimumWidth(400)
        self.list.setSpacing(4)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setAccessibleName("Starters")
        for starter in self.starters:
            kind = kind_words(starter.kind)
            what = "start blank" if starter.blank else \
                f"asks for {len(starter.parameters)} details"
            item = QListWidgetItem(card_icon(starter.kind, starter.icon),
                                   f"{starter.name}\n{kind} · {what}")
            item.setToolTip(starter.description)
            self.list.addItem(item)

        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.kind_label = QLabel(self)
        self.picture = QLabel(self)
        self.picture.setObjectName("starterPicture")
        self.picture.setFixedSize(PICTURE)
        self.picture.setAccessibleName("How the guide looks")
        self._pictures: dict[str, QPixmap] = {}  # starter id -> its rendered picture
        self.description = QLabel(self)
        self.description.setObjectName("starterDescription")
        self.description.setWordWrap(True)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 8, 0, 0)
        self.id_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("starterError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d32f2f;")

        details = QVBoxLayout()
        for widget in (self.title, self.kind_label, self.picture, self.description,
                       self.form_host):
            details.addWidget(widget)
        details.addStretch(1)
        details.addWidget(self.id_label)
        details.addWidget(self.error_label)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(details, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create guide")
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(1000, 720)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(self._show_starter)
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self._show_thumbnails()
        if self.starters:
            self.list.setCurrentRow(0)
        self.list.setFocus()

    # -- pictures --------------------------------------------------------------------

    def _show_thumbnails(self) -> None:
        """Cached pictures now; the missing ones are asked for once the dialog shows."""
        source = self.thumbnails
        if source is None:
            return
        missing = []
        for row, starter in enumerate(self.starters):
            path = source.thumbnail(starter)
            if path is None:
                missing.append(starter)
            else:
                self._set_picture(row, str(path))
        source.rendered.connect(self._rendered)
        if missing:
            QTimer.singleShot(0, self, lambda: source.request(missing))

    def _rendered(self, starter_id: str, path: str) -> None:
        for row, starter in enumerate(self.starters):
            if starter.id == starter_id:
                self._set_picture(row, path)

    def _set_picture(self, row: int, path: str) -> None:
        pixmap = QPixmap(path)
        item = self.list.item(row)
        if pixmap.isNull() or item is None:
            return
        item.setIcon(QIcon(pixmap))
        self._pictures[self.starters[row].id] = pixmap
        if row == self.list.currentRow():
            self._show_picture(self.starters[row])

    def _show_picture(self, starter: Starter) -> None:
        pixmap = self._pictures.get(starter.id)
        if pixmap is None:
            pixmap = card_icon(starter.kind, starter.icon, PICTURE).pixmap(PICTURE)
        else:
            pixmap = pixmap.scaled(PICTURE, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)

    # -- API -------------------------------------------------------------------------

    def current_starter(self) -> Starter | None:
        row = self.list.currentRow()
        return self.starters[row] if 0 <= row < len(self.starters) else None

    def guide(self) -> Guide | None:
        """The new draft guide: the one created when the dialog was accepted;
        None when it was cancelled; before either, the guide the current choices
        would create (None while a value is unusable) — so a caller that drives
        the dialog without ``exec()`` (tests, scripts) still gets a guide."""
        if self._guide is not None or self._cancelled:
            return self._guide
        return self._build()

    def values(self) -> dict[str, str]:
        starter = self.current_starter()
        return dict(self._values[starter.id]) if starter else {}

    # -- internals -------------------------------------------------------------------

    def _show_starter(self, row: int) -> None:
        starter = self.current_starter()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields.clear()
        if starter is None:
            return
        self.title.setText(starter.name)
        self._show_picture(starter)
        asks = len(starter.parameters)
        what = "blank: you write the text on the canvas" if starter.blank else \
            f"asks for {asks} detail{'s' if asks != 1 else ''}"
        self.kind_label.setText(f"{kind_words(starter.kind)} · {what}")
        self.description.setText(starter.description)
        previous: QWidget = self.list
        self._choices.clear()
        for param in starter.parameters:
            help_text = param_help(param, self.project)
            field = self._param_field(param, self._values[starter.id][param.name])
            field.setObjectName(f"param_{param.name}")
            field.setToolTip(help_text)
            field.setAccessibleName(param.label)
            field.setAccessibleDescription(help_text)
            label = QLabel(param.label + ":", self.form_host)
            label.setBuddy(field)
            label.setToolTip(help_text)
            self.form.addRow(label, field)
            label.show()  # now, not on the layout's queued show: Tab must reach them at once
            field.show()
            self.fields[param.name] = field
            self.setTabOrder(previous, field)
            previous = field
        self.setTabOrder(previous, self.buttons)
        self._validate()

    def _param_field(self, param: StarterParam, value: str) -> QLineEdit | QComboBox:
        """A line to type in; or, where the project knows the answers (attributes by their
        catalogue labels, events, an attribute's allowed values), a list to pick from that
        still takes anything typed."""
        choices = param_choices(param, self.project)
        if not choices:
            line = QLineEdit(value, self.form_host)
            line.setPlaceholderText(format_scalar(param.default))
            line.textEdited.connect(self._field_edited)
            return line
        self._choices[param.name] = choices
        box = QComboBox(self.form_host)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for choice in choices:
            box.addItem(choice.label, choice.value)
            if choice.key and choice.key != choice.label:
                box.setItemData(box.count() - 1, f"{choice.label} ({choice.key})",
                                Qt.ItemDataRole.ToolTipRole)
        box.setEditText(choice_label(choices, value))
        line = box.lineEdit()
        assert line is not None
        line.setPlaceholderText(choice_label(choices, param.default))
        box.editTextChanged.connect(self._field_edited)
        return box

    def _field_value(self, name: str) -> str:
        field = self.fields[name]
        if isinstance(field, QComboBox):
            return choice_value(self._choices[name], field.currentText())
        return field.text()

    def _field_edited(self, _text: str) -> None:
        starter = self.current_starter()
        if starter is None:
            return
        for name in self.fields:
            self._values[starter.id][name] = self._field_value(name)
        self._validate()

    def _validate(self) -> bool:
        starter = self.current_starter()
        if starter is None:
            self.create_button.setEnabled(False)
            return False
        problems = check_params(starter, self._values[starter.id])
        for name, field in self.fields.items():
            set_problem(field, problems.get(name), "error", self._help(starter, name))
        self.error_label.setText(next(iter(problems.values()), ""))
        new_id = unique_guide_id(str(starter.guide.get("id") or starter.id),
                                 set(self.project.guides))
        self.id_label.setText(f"Creates a draft (its file: {new_id}.yaml).")
        self.create_button.setEnabled(not problems)
        return not problems

    @staticmethod
    def _help(starter: Starter, name: str) -> str:
        return next((p.help for p in starter.parameters if p.name == name), "")

    def _double_clicked(self, _item: Any) -> None:
        self.accept()

    def _build(self) -> Guide | None:
        starter = self.current_starter()
        if starter is None or not self._validate():
            return None
        try:
            return instantiate(starter, self._values[starter.id], self.project)
        except StarterError as exc:
            self.error_label.setText(f"Cannot create this guide: {exc}")
            return None

    def accept(self) -> None:
        guide = self._build()
        if guide is None:
            return
        self._guide = guide
        super().accept()

    def reject(self) -> None:
        self._cancelled = True
        self._guide = None
        super().reject()
