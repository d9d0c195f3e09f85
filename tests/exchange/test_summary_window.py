"""The per-commune summary in the window: shown at the receiving level, the store's figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dvdesk.exchange.merge import apply_merge, plan_merge
from dvdesk.exchange.package import read_package, write_package
from dvdesk.store.received import summary_rows

from .conftest import TODAY


def test_summary_shown_only_at_the_receiving_level(qtbot, commune, level, tmp_path: Path):
    from dvdesk.ui.statistics_view import StatisticsView

    one, two = commune("00012", "Xã Yên Phú", 30, 1), commune("00013", "Xã Đông Hòa", 20, 2)
    at_commune = StatisticsView(one)
    qtbot.addWidget(at_commune)
    at_commune.refresh()
    assert at_commune.communes.isHidden()

    packages = []
    for store in (one, two):
        out = tmp_path / f"{store.settings.get().commune_code}.zip"
        write_package(store, out)
        packages.append(read_package(out))
    apply_merge(level, plan_merge(level, packages, TODAY), TODAY)
    view = StatisticsView(level)
    qtbot.addWidget(view)
    view.refresh()
    table = view.communes.table
    assert not view.communes.isHidden()
    assert table.rowCount() == 3
    expected = summary_rows(level.received.summary(date.today()), date.today().year)
    assert [table.item(r, 0).text() for r in range(2)] == ["00012", "00013"]
    assert [table.item(r, 5).text() for r in range(3)] == ["30", "20", "50"]
    assert table.item(2, 1).text() == expected[2][1] == "Cộng (2 xã)"
    assert table.item(0, 6).text() == str(expected[0][6])


def test_window_statistics_tab_fills_the_summary_off_the_gui_thread(
    qtbot, commune, level, tmp_path: Path
):
    from dvdesk.ui.main_window import MainWindow
    from tests.ui.conftest import FakeDialogs

    packages = []
    for store in (commune("00012", "Xã Yên Phú", 15, 1), commune("00013", "Xã Đông Hòa", 10, 2)):
        out = tmp_path / f"{store.settings.get().commune_code}.zip"
        write_package(store, out)
        packages.append(read_package(out))
    apply_merge(level, plan_merge(level, packages, TODAY), TODAY)
    window = MainWindow(level, FakeDialogs(), today=TODAY)
    qtbot.addWidget(window)
    window.main_tabs.setCurrentIndex(1)
    page = window.main_tabs.widget(1)
    qtbot.waitUntil(lambda: page.communes.table.rowCount() == 3, timeout=10000)
    assert page.communes.table.item(2, 5).text() == "25"
