"""What a form in a narrow column must never do: scroll sideways or show a stray "&".

Both checks look at what is on screen, so the widget under test is shown (offscreen)
in a host of a given width and its layouts are settled first (``settle``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QTabBar,
    QToolButton,
    QWidget,
)

_MNEMONIC = re.compile(r"&(.)")


def host(qtbot, widget: QWidget, width: int, height: int = 800) -> QWidget:  # type: ignore[no-untyped-def]
    """``widget`` filling a shown window ``width`` px wide, as in a dock of that width."""
    frame = QWidget()
    qtbot.addWidget(frame)
    layout = QHBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    frame.resize(width, height)
    frame.show()
    settle(frame)
    return frame


def settle(root: QWidget) -> None:
    """Let posted layout requests and resizes run (no waiting: only what is queued)."""
    for _ in range(3):
        QApplication.processEvents()
        layout = root.layout()
        if layout is not None:
            layout.activate()


def shown_text(text: str, mnemonic: bool) -> str:
    """What people read: with a mnemonic, "&x" is an underlined x and "&&" one "&"."""
    return _MNEMONIC.sub(r"\1", text) if mnemonic else text


def literal_ampersands(root: QWidget) -> list[str]:
    """Visible labels, buttons, tabs, group titles and choices that show an "&"."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts: list[str] = []
        if isinstance(widget, QLabel):
            # A label is a mnemonic only with a buddy; without one Qt prints the "&".
            texts.append(shown_text(widget.text(), widget.buddy() is not None))
        elif isinstance(widget, QAbstractButton):
            texts.append(shown_text(widget.text(), True))
        elif isinstance(widget, QGroupBox):
            texts.append(shown_text(widget.title(), True))
        elif isinstance(widget, QTabBar):
            texts += [shown_text(widget.tabText(i), True) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        found += [f"{type(widget).__name__}: {text!r}" for text in texts if "&" in text]
    return found


def sideways(root: QWidget) -> list[str]:
    """Visible scroll areas that scroll (or would need to scroll) sideways, and a root that
    needs more width than it has."""
    found = []
    if root.minimumSizeHint().width() > root.width():
        found.append(f"{type(root).__name__} needs {root.minimumSizeHint().width()} px, "
                     f"has {root.width()}")
    for area in root.findChildren(QAbstractScrollArea):
        if not area.isVisible():
            continue
        name = f"{type(area).__name__} in {type(area.parentWidget()).__name__}"
        if area.horizontalScrollBar().isVisible():
            found.append(f"{name}: horizontal scroll bar")
        inner = area.widget() if isinstance(area, QScrollArea) else None
        if inner is not None and inner.width() > area.viewport().width():
            found.append(f"{name}: {type(inner).__name__} is {inner.width()} px wide in a "
                         f"{area.viewport().width()} px view")
    return found




def cut_texts(root: QWidget) -> list[str]:
    """Visible one-line labels and buttons narrower than their text: it is cut off at the
    edge (a form can be cut like this without any scroll area scrolling sideways)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        if widget.width() < widget.sizeHint().width():
            found.append(f"{type(widget).__name__} {widget.text()!r}: {widget.width()} px "
                         f"of {widget.sizeHint().width()}")
    for view in root.findChildren(QListView):  # rows of a list shown elided ("Establis…")
        if not view.isVisible() or view.model() is None:
            continue
        for row in range(view.model().rowCount(view.rootIndex())):
            index = view.model().index(row, view.modelColumn(), view.rootIndex())
            need = view.visualRect(index).left() + view.sizeHintForIndex(index).width()
            if need > view.viewport().width():
                found.append(f"{type(view).__name__} row {index.data()!r}: "
                             f"{view.viewport().width()} px of {need}")
    return found


def _ink(before: QImage, after: QImage) -> QRect:
    """The bounding box of the pixels that differ between two pictures of one widget."""
    box = QRect()
    for y in range(min(before.height(), after.height())):
        for x in range(min(before.width(), after.width())):
            if before.pixel(x, y) != after.pixel(x, y):
                box = box.united(QRect(x, y, 1, 1))
    return box


#: The least room between a menu's arrow and the button's words or icon, in pixels.
ARROW_GAP = 2


def arrows_on_text(root: QWidget) -> list[str]:
    """Visible tool buttons that open a menu and paint its arrow on (or against) their text
    or icon.

    The arrow's pixels are what changes when the button loses its menu; the text's and
    icon's are what changes when it loses them (the arrow stays in both pictures)."""
    found = []
    for button in root.findChildren(QToolButton):
        menu = button.menu()
        if menu is None or not button.isVisible() or button.width() <= 0:
            continue
        text, icon = button.text(), button.icon()
        shown = button.grab().toImage()
        button.setMenu(None)  # type: ignore[arg-type]
        without_arrow = button.grab().toImage()
        button.setMenu(menu)
        button.setText("")
        button.setIcon(QIcon())
        bare = button.grab().toImage()
        button.setText(text)
        button.setIcon(icon)
        arrow, content = _ink(shown, without_arrow), _ink(shown, bare)
        if not arrow.isEmpty() and arrow.intersects(
                content.adjusted(-ARROW_GAP, -ARROW_GAP, ARROW_GAP, ARROW_GAP)):
            found.append(f"{text or button.accessibleName() or button.toolTip()!r}: arrow "
                         f"{arrow.getRect()} on {content.getRect()}")
    return found


def field_starts(root: QWidget) -> dict[int, list[str]]:
    """Where the fields of ``root``'s sections (its group boxes' forms) start, in ``root``'s
    pixels, with the labels of the rows starting there: one key when they line up."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QFormLayout, QGroupBox

    starts: dict[int, list[str]] = {}
    for box in root.findChildren(QGroupBox):
        form = box.layout()
        if not box.isVisible() or not isinstance(form, QFormLayout):
            continue
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or label.widget() is None or field is None:
                continue
            widget, inner = field.widget(), field.layout()
            if widget is not None:
                if not widget.isVisible():
                    continue
                x = widget.mapTo(root, QPoint(0, 0)).x()
            elif inner is not None:  # a row of several (a swatch and its text)
                x = box.mapTo(root, inner.geometry().topLeft()).x()
            else:
                continue
            starts.setdefault(x, []).append(label.widget().text())
    return starts
