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


def test_the_procedure_panel_has_one_scrollbar_not_one_inside_another(qtbot, demo_store, dialogs):
    from PySide6.QtWidgets import QAbstractScrollArea

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.resize(*FIRST_SIZE)
    window.show()
    qtbot.waitExposed(window)
    panel = window.procedure
    table = panel.table
    assert table.rowCount() > 5 and panel.uid == window.current_uid()
    # The steps table is as tall as its rows: it never scrolls itself ...
    qtbot.waitUntil(lambda: table.height() >= table.verticalHeader().length())
    assert table.verticalScrollBar().maximum() == 0
    # ... the one scroll area around the panel does, and it is taller than the screen.
    areas = []
    parent = panel.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            areas.append(parent)
        parent = parent.parentWidget()
    (outer,) = areas
    assert outer.verticalScrollBar().maximum() > 0
    # Resizing the panel re-wraps the steps: the table follows their new height.
    window.splitter.setSizes([190, 500, 666])
    qtbot.wait(50)
    assert table.height() >= table.verticalHeader().length()
    assert table.verticalScrollBar().maximum() == 0
