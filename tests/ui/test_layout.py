"""The window fits a 1366×768 laptop less its taskbar: status bar and unit column visible."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from dvdesk.ui.main_window import FIRST_SIZE, UNIT_COLUMN, MainWindow
from tests.ui.conftest import TODAY


def test_window_fits_1366_by_728(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    width, height = FIRST_SIZE
    assert width <= 1366 and height + 32 <= 728  # a title bar on top still fits
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    assert window.minimumSizeHint().height() <= height
    bar = window.statusBar()
    bottom = bar.mapTo(window, QPoint(0, bar.height())).y()
    assert bar.isVisible() and bottom <= window.height()
    assert window.count_label.isVisible() and window.count_label.width() > 300
    # The unit, which tells namesakes apart, is on screen beside the name.
    header = window.table.horizontalHeader()
    left = header.sectionViewportPosition(UNIT_COLUMN)
    assert left >= 0 and left + header.sectionSize(UNIT_COLUMN) <= window.table.viewport().width()
    assert header.visualIndex(UNIT_COLUMN) == 1
