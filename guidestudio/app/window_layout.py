"""Where the window's panels go: the default layout, remembering it, and View ▸ Reset layout.

The default is a design tool's: the project tree on the left, the canvas in
the middle taking what is left, the inspector on the right (wide enough for
its one column of forms), and the problems/preview-log panel below the
canvas. The first start fills most of the screen. What the user changes —
window size, panel sizes and places, a folded bottom panel — is saved with
``QMainWindow.saveState`` under ``settings_store.STATE_VERSION``, so a layout
saved by an older version (a different set of panels) is never restored.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from guidestudio.app import settings_store
from guidestudio.app.bottom_panel import BottomPanel
from guidestudio.app.inspector import InspectorDock

#: The share of the screen's available area the window takes on its first start.
FIRST_START_SHARE = 0.9
LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea,
                       Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)


def clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


#: (tree, inspector) widths at ``PANELS_GROW_FROM`` px of window, and the most they grow to.
TREE_WIDTHS, INSPECTOR_WIDTHS = (240, 380), (380, 560)
#: Below this window width the panels keep their narrowest; above it they take
#: ``PANELS_SHARE`` of every extra pixel each, the canvas the rest.
PANELS_GROW_FROM, PANELS_SHARE = 1280, 0.25
#: The least width the canvas keeps when squeezed panels of a restored layout are widened.
CANVAS_MIN = 480


def panel_widths(window_width: int) -> tuple[int, int]:
    """(tree, inspector) widths for a window this wide: the canvas keeps the most.

    At 1280 px the panels are as narrow as their contents allow (the inspector's one
    column of forms; the tree's names whole up to their subtitles, "Storage almost full —
    upgr…") so the canvas gets half the window;
    wider windows give the panels a quarter of each extra pixel each, up to where the
    guides' names and the inspector's tabs fit whole (1920 px: 380 · 1000 · 540).
    """
    extra = max(0, window_width - PANELS_GROW_FROM) * PANELS_SHARE
    return (clamp(TREE_WIDTHS[0] + extra, *TREE_WIDTHS),
            clamp(INSPECTOR_WIDTHS[0] + extra, *INSPECTOR_WIDTHS))


def bottom_height(window_height: int) -> int:
    return clamp(window_height * 0.16, 120, 220)


class WindowLayout:
    """The panels of one main window and how they are laid out (see the module docstring)."""

    def __init__(self, window: QMainWindow, tree: QDockWidget, inspector: InspectorDock,
                 bottom: QDockWidget, panel: BottomPanel, toolbar: QToolBar) -> None:
        self.window = window
        self.tree, self.inspector, self.bottom = tree, inspector, bottom
        self.panel = panel
        self.toolbar = toolbar
        self._expanded_height = 0
        self._sizes_pending = False
        panel.collapsedChanged.connect(self._collapsed_changed)
        # The tree and the inspector run the full height; the bottom panel sits under the canvas.
        window.setCorner(Qt.Corner.BottomLeftCorner, LEFT)
        window.setCorner(Qt.Corner.BottomRightCorner, RIGHT)

    def first_geometry(self) -> QRect:
        """Most of the screen the window is on, centred."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        width = int(available.width() * FIRST_START_SHARE)
        height = int(available.height() * FIRST_START_SHARE)
        rect = QRect(0, 0, width, height)
        rect.moveCenter(available.center())
        return rect

    def place_panels(self) -> None:
        """Every panel back in its default area, shown, and the default sizes."""
        window = self.window
        self.toolbar.show()
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        for dock, area in ((self.tree, LEFT), (self.inspector, RIGHT), (self.bottom, BOTTOM)):
            dock.setFloating(False)
            window.addDockWidget(area, dock)
            dock.show()
        self.inspector.stepped_aside = False
        self.panel.set_collapsed(False)
        self.size_panels()

    def size_panels(self) -> None:
        """The default sizes for the window's current size (now, or once it is shown: docks
        of a window that was never laid out keep their size hints)."""
        if not self.window.isVisible():
            self._sizes_pending = True
            return
        self._sizes_pending = False
        tree, inspector = panel_widths(self.window.width())
        self.window.resizeDocks([self.tree, self.inspector], [tree, inspector],
                                Qt.Orientation.Horizontal)
        self.window.resizeDocks([self.bottom], [bottom_height(self.window.height())],
                                Qt.Orientation.Vertical)

    def restore(self) -> None:
        """The saved layout, else the default one on most of the screen."""
        window = self.window
        # The panels first: which are shown decides how small the window may be.
        state = settings_store.get_bytes(settings_store.STATE)
        restored = state is not None and window.restoreState(state, settings_store.STATE_VERSION)
        if restored:
            self.panel.set_collapsed(settings_store.get_bool(settings_store.BOTTOM_COLLAPSED,
                                                             False))
            window.layout().activate()  # the minimum size of the panels now shown
        geometry = settings_store.get_bytes(settings_store.GEOMETRY)
        if geometry is None or not window.restoreGeometry(geometry):
            window.setGeometry(self.first_geometry())
        if not restored:
            self.place_panels()

    def shown(self) -> None:
        """The window's first show: apply default sizes that waited for it, or widen the
        panels a restored layout left too narrow to use."""
        if self._sizes_pending:
            self.size_panels()
        else:  # once the shown window has laid its panels out at its size
            QTimer.singleShot(0, self.window, self.widen_squeezed)

    def widen_squeezed(self) -> None:
        """A saved layout may come from a smaller window: a tree or inspector narrower than
        its narrowest default (the inspector's tabs behind scroll arrows, its forms
        scrolling sideways) gets its default width for this window back, if the canvas
        keeps ``CANVAS_MIN``."""
        docks, widths = [], []
        defaults = panel_widths(self.window.width())
        for dock, (narrowest, _widest), default in ((self.tree, TREE_WIDTHS, defaults[0]),
                                                    (self.inspector, INSPECTOR_WIDTHS,
                                                     defaults[1])):
            if dock.isVisible() and not dock.isFloating() and dock.width() < narrowest:
                docks.append(dock)
                widths.append(default)
        wanted = sum(width - dock.width() for dock, width in zip(docks, widths, strict=True))
        centre = self.window.centralWidget()
        if docks and centre is not None and centre.width() - wanted >= CANVAS_MIN:
            self.window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)

    def reset(self) -> None:
        """View ▸ Reset layout: the default panels and sizes; the window's size stays."""
        self.place_panels()

    def save(self) -> None:
        """Remember the layout as the user left it (an inspector that stepped aside counts
        as shown: it comes back with the next guide anyway)."""
        window = self.window
        if self.inspector.stepped_aside:
            self.inspector.show()
        settings_store.set_value(settings_store.GEOMETRY, QByteArray(window.saveGeometry()))
        settings_store.set_value(settings_store.STATE,
                                 QByteArray(window.saveState(settings_store.STATE_VERSION)))
        settings_store.set_value(settings_store.BOTTOM_COLLAPSED, self.panel.collapsed)

    def _collapsed_changed(self, collapsed: bool) -> None:
        """Folding keeps the height the panel had; unfolding gives it back."""
        if collapsed:
            self._expanded_height = max(self.bottom.height(), bottom_height(0))
            return
        height = self._expanded_height or bottom_height(self.window.height())
        self.window.resizeDocks([self.bottom], [height], Qt.Orientation.Vertical)
