"""The smaller things of the day: chart ticks, dates in the history, every form error."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from dvdesk.ui.history_view import vi_value
from dvdesk.ui.main_window import MainWindow, number
from dvdesk.ui.statistics_view import nice_scale
from tests.ui.conftest import TODAY


@pytest.mark.parametrize(
    ("top", "step", "ticks"),
    [
        (0, 1, 2),
        (1, 1, 2),
        (4, 1, 5),
        (6, 1, 7),
        (7, 2, 5),
        (12, 2, 7),
        (13, 5, 4),
        (737, 200, 5),
        (1474, 500, 4),
        (2000, 500, 5),
        (120_484, 50_000, 4),
    ],
)
def test_chart_ticks_are_round(top, step, ticks):
    assert nice_scale(top) == (step, ticks)
    assert step * (ticks - 1) >= top  # the tallest bar fits


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2009-04-15", "15/04/2009"),
        ("2009-04", "04/2009"),
        ("2009", "2009"),
        ("2026-11-26T14:05:09", "26/11/2026 14:05"),
        (None, ""),
        ("Thôn Đông", "Thôn Đông"),
        ("12-NQ/CB", "12-NQ/CB"),
    ],
)
def test_history_shows_dates_as_a_clerk_writes_them(stored, shown):
    assert vi_value(stored) == shown


def test_numbers_use_the_vietnamese_thousands_separator():
    assert [number(n) for n in (0, 999, 1000, 120484, 1_200_000)] == [
        "0",
        "999",
        "1.000",
        "120.484",
        "1.200.000",
    ]


def test_the_form_shows_every_error_and_goes_to_the_first_field(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    form = window.open_form()
    form.show()
    qtbot.waitExposed(form)
    form.name.setText("")  # required
    form.dob.setText("31/02/2008")  # no such day
    form.union_joined.setText("2020")  # must be a full date
    before = demo_store.members.count()
    form.save()
    text = form.messages.text()
    assert "Ngày sinh" in text and "Ngày vào Đoàn" in text and text.count("✖") >= 3
    assert demo_store.members.count() == before and form.isVisible()
    QApplication.processEvents()
    assert form.focusWidget() is form.dob  # the first field in error (the typing problem)


def test_the_meeting_date_is_typed_from_the_day_on(qtbot, demo_store, dialogs):
    from PySide6.QtCore import QEvent, QPoint, Qt
    from PySide6.QtGui import QKeyEvent

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    line = window.date_edit.lineEdit()
    window.search.setFocus()
    QApplication.processEvents()
    # A click at the right end (in the year) moves the focus there.
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(line.width() - 4, 5))
    qtbot.waitUntil(lambda: window.date_edit.hasFocus())
    QApplication.processEvents()
    for ch in "15122026":
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key = getattr(Qt.Key, f"Key_{ch}")
            QApplication.sendEvent(
                window.date_edit, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            )
    assert window.date_edit.date().toString("dd/MM/yyyy") == "15/12/2026"
    assert window.model.on.isoformat() == "2026-12-15"
