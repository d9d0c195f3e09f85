"""The window's view "Đã chuyển đi — chờ nơi nhận xác nhận": the people `dvdesk transfers`
lists, counted once each, gone once the receiver's receipt confirms."""

from __future__ import annotations

from dvdesk.cli import main
from dvdesk.domain.procedure import StepState
from dvdesk.exchange.transfer_file import write_transfer_file
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY

LABEL = "Đã chuyển đi — chờ nơi nhận xác nhận"


def _with_steps(store, n: int) -> list[str]:
    out = []
    for m in store.packages.members():
        if any(r.state is StepState.DONE for r in store.steps.of(m.uid).values()):
            out.append(m.uid)
        if len(out) == n:
            return out
    raise AssertionError("the demo has too few candidates")


def _cli_count(capsys, store) -> int:
    assert main(["transfers", "--db", str(store.path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(LABEL)
    return int(first.split(": ")[1].split()[0])


def test_the_pending_transfers_view_agrees_with_the_cli(
    qtbot, demo_store, dialogs, tmp_path, capsys
):
    a, b, c = _with_steps(demo_store, 3)
    # a goes to two receivers (two files): still one person waiting.
    write_transfer_file(demo_store, a, "Chi bộ Thôn Tây", tmp_path / "a1.zip", today=TODAY)
    write_transfer_file(demo_store, a, "Chi bộ Thôn Bắc", tmp_path / "a2.zip", today=TODAY)
    write_transfer_file(demo_store, b, "Chi bộ Thôn Tây", tmp_path / "b.zip", today=TODAY)
    sent_c = write_transfer_file(demo_store, c, "Chi bộ Thôn Tây", tmp_path / "c.zip", today=TODAY)
    demo_store.transfers.confirm(sent_c["transfer_id"], "Xã Đông Hòa", "ABCD")

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(window._counts), timeout=5000)
    labels = [window.view_list.item(i).text() for i in range(window.view_list.count())]
    assert f"{LABEL}  (2)" in labels
    assert window._counts["transfer_pending"] == 2 == _cli_count(capsys, demo_store)
    window.select_view("transfer_pending")
    shown = {window.model.uid_at(r) for r in range(window.model.rowCount())}
    assert shown == {a, b}
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20000)
