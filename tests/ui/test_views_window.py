"""The window asks the services: view counts as `list --view`, printed views, plans, totals."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from dvdesk.cli import main
from dvdesk.domain.listing import VIEW_KEYS
from dvdesk.services import views as preset_views
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY


def make_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    window.printing.open_viewer = False
    qtbot.addWidget(window)
    return window


def finish(qtbot, op) -> object:
    with qtbot.waitSignal(op.done, timeout=60000) as blocker:
        pass
    return blocker.args[0]


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_every_view_count_is_the_cli_list_and_the_printed_list(
    qtbot, demo_store, dialogs, tmp_path, capsys
):
    window = make_window(qtbot, demo_store, dialogs)
    qtbot.waitUntil(lambda: bool(window._counts), timeout=5000)
    assert window._counts == preset_views.counts(demo_store, window.model.on)
    for key in VIEW_KEYS:
        window.select_view(key)
        assert window.model.rowCount() == window._counts[key], key
        assert main(["list", "--db", str(demo_store.path), "--view", key, "--on",
                     window.model.on.isoformat(), "--json"]) == 0  # fmt: skip
        assert len(json.loads(capsys.readouterr().out)) == window._counts[key], key
        out = tmp_path / f"{key}.pdf"
        dialogs.paths = [str(out)]
        finish(qtbot, window.printing.view_list())
        assert f"Tổng cộng: {window._counts[key]} đoàn viên." in text_of(out), key


def test_a_source_plan_from_the_window(qtbot, demo_store, dialogs, tmp_path):
    window = make_window(qtbot, demo_store, dialogs)
    dialogs.texts = [str(TODAY.year + 1)]
    dialogs.paths = [str(tmp_path / "ke-hoach.pdf")]
    finish(qtbot, window.printing.source_plan())
    assert "KẾ HOẠCH TẠO NGUỒN" in text_of(tmp_path / "ke-hoach.pdf")
    dialogs.texts = ["KDC01 2024-2027"]
    assert window.printing.source_plan() is None
    assert any("không phải trường THPT" in text for _, _, text in dialogs.calls)


def test_entering_a_years_party_totals(qtbot, demo_store, dialogs):
    window = make_window(qtbot, demo_store, dialogs)
    dialogs.texts = ["2026", "120", "", "Báo cáo tổng kết 2026"]
    assert window.printing.party_totals()
    entered = demo_store.statistics.totals.get(2026)
    assert (entered.members_at_start, entered.outside_admitted, entered.source) == (
        120,
        None,
        "Báo cáo tổng kết 2026",
    )
    dialogs.texts = ["2026", "12a"]
    assert not window.printing.party_totals()
    assert demo_store.statistics.totals.get(2026) == entered
