"""An unticked box must show in both schemes: Fusion outlines it in a shade of the window
colour, which on the dark palette is as dark as the field it sits in (nothing to tick).

The real widgets are used: a tick box, a radio button, the Audience tab's checkable
list of segments, and an optional section (a checkable group box).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QVBoxLayout,
    QWidget,
)

from guidestudio.app import theme
from guidestudio.widgets.guide.audience_form import AudienceForm
from guidestudio.widgets.kit.form_kit import GuideContext, OptionalSection
from tests.widgets.editor_support import open_example

#: The least difference in lightness (0-255) between a box's edge and what is around it.
VISIBLE = 60


def edge_contrast(widget: QWidget, rect: QRect) -> int:
    """The largest difference in lightness between a pixel of ``rect`` and its middle."""
    image = widget.grab().toImage()
    middle = image.pixelColor(rect.center()).lightness()
    return max(abs(image.pixelColor(x, y).lightness() - middle)
               for y in range(rect.top(), rect.bottom() + 1)
               for x in range(rect.left(), rect.right() + 1))


def indicator(button: QCheckBox | QRadioButton) -> QRect:
    option = QStyleOptionButton()
    option.initFrom(button)
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(button, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    return button.style().subElementRect(element, option, button)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_unticked_boxes_and_radio_buttons_show(qtbot, qapp: QApplication, tmp_path: Path,
                                               scheme: str) -> None:
    theme.apply_theme(scheme)
    try:
        for button in (QCheckBox("No start date"), QRadioButton("Top")):
            qtbot.addWidget(button)
            button.show()
            assert edge_contrast(button, indicator(button)) >= VISIBLE, (scheme, button.text())
        document = open_example(tmp_path)
        context = GuideContext(document)
        context.guide_id = "nps-survey"
        audience = AudienceForm(context)
        qtbot.addWidget(audience)
        audience.show()
        segments = audience.segments
        item = next(segments.item(i) for i in range(segments.count())  # not highlighted
                    if segments.item(i).checkState() == Qt.CheckState.Unchecked
                    and i != segments.currentRow())
        row = segments.visualItemRect(item)
        box = QRect(row.left(), row.top(), row.height(), row.height())
        assert edge_contrast(segments.viewport(), box) >= VISIBLE, (scheme, "segments")

        section = OptionalSection("Run an experiment", "", document,
                                  lambda: context.guide_path("experiment"))
        field = QLineEdit(section)
        QVBoxLayout(section).addWidget(field)
        qtbot.addWidget(section)
        section.resize(300, 80)
        section.show()
        assert not section.isChecked()
        option = QStyleOptionGroupBox()
        section.initStyleOption(option)
        title = section.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                               QStyle.SubControl.SC_GroupBoxCheckBox, section)
        assert edge_contrast(section, title) >= VISIBLE, (scheme, "optional section")
        # What is inside keeps the application's style and palette.
        assert field.style() is QApplication.style()
        assert field.palette() == QApplication.palette()
    finally:
        theme.apply_theme("light")


def outline_lightness(button: QCheckBox | QRadioButton) -> int:
    """How light the outline of an unticked box or ring is: its lightest pixel across the
    middle row (the field inside is dark)."""
    rect = indicator(button)
    image = button.grab().toImage()
    return max(image.pixelColor(x, rect.center().y()).lightness()
               for x in range(rect.left(), rect.right() + 1))


def test_radio_buttons_are_as_clear_as_tick_boxes_when_dark(qtbot, qapp: QApplication) -> None:
    """The restore dialog's choices on the dark palette: Fusion draws a radio button's ring
    thinner and from a darker shade than a tick box's edge, so the same palette left the
    rings fainter than the boxes around them (#81848b against #999da5)."""
    from guidestudio.core.files.recovery_journal import RecoveredFile
    from guidestudio.widgets.dialogs.restore_dialog import RestoreDialog

    theme.apply_theme("dark")
    try:
        changed = RecoveredFile("guides/welcome.yaml", 'Guide "Welcome tour"', "edited",
                                "name: mine\n", "name: theirs\n", True)
        dialog = RestoreDialog([changed], "2026-12-07T10:00:00Z")
        qtbot.addWidget(dialog)
        box = QCheckBox("Compare", dialog)
        dialog.show()
        row = dialog.rows[0]
        assert row.choice() is None  # changed on disk: nothing chosen, both rings empty
        for radio in (row.mine, row.disk):
            assert outline_lightness(radio) >= outline_lightness(box), radio.text()
    finally:
        theme.apply_theme("light")
