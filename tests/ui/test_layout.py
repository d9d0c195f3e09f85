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


def test_every_menu_entry_has_its_own_underlined_letter(qtbot, demo_store, dialogs):
    """Keyboard first: Alt+letter opens one menu, a letter then picks one entry."""
    from PySide6.QtWidgets import QMenu

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)

    def letters(actions):
        texts = [a.text() for a in actions if not a.isSeparator() and a.text()]
        return [t[t.index("&") + 1].lower() for t in texts if "&" in t], len(texts)

    top, count = letters(window.menuBar().actions())
    assert len(top) == count and len(set(top)) == count, top
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title() == "Tệp gần đây" or not menu.actions():
            continue
        found, count = letters(menu.actions())
        undo_entries = {window.undo_action, window.redo_action}
        count -= sum(a in undo_entries for a in menu.actions())  # renamed as edits happen
        assert len(found) >= count and len(set(found)) == len(found), (menu.title(), found)
        assert all(ch.isascii() for ch in found)


def test_spare_width_goes_to_the_unit_column(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.resize(2400, 1000)
    window.show()
    qtbot.waitExposed(window)
    header = window.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(UNIT_COLUMN) > 200)
    last = header.logicalIndex(header.count() - 1)
    assert header.sectionSize(last) < 100  # Giới tính keeps its width
    assert header.length() <= window.table.viewport().width()
