"""The merge preview at the receiving level when a commune's signing key changed: the new
fingerprint is shown, and only the officer's confirmation merges (as merge --accept-key)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPlainTextEdit

from dvdesk.exchange.package import write_package
from dvdesk.exchange.signing import fingerprint
from dvdesk.ui.main_window import MainWindow
from tests.exchange.conftest import make_commune
from tests.ui.conftest import TODAY


def finish(qtbot, op) -> object:
    with qtbot.waitSignal(op.done, timeout=60000) as blocker:
        pass
    return blocker.args[0]


def _packages(tmp_path: Path) -> tuple[Path, Path, str]:
    """Package 1 of Xã Yên Phú, then package 1 of its new data file (another key)."""
    paths = []
    keys = []
    for n in (1, 2):
        with make_commune(tmp_path / f"xa-{n}.db", "00012", "Xã Yên Phú", 15, n) as store:
            paths.append(tmp_path / f"goi-{n}.zip")
            write_package(store, paths[-1])
            keys.append(fingerprint(store.packages.signing_key()[1]))
    return paths[0], paths[1], keys[1]


def _settle(qtbot, window) -> None:
    """Let the view counts a merge set off finish before the store closes."""
    qtbot.waitUntil(lambda: window._counts_fresh and not window.jobs.running, timeout=20000)


def _text(dialog) -> str:
    return dialog.findChild(QPlainTextEdit).toPlainText()


def _merge_first(qtbot, window, dialogs, first: Path) -> None:
    dialogs.modal_answers = [True]
    finish(qtbot, window.exchange.merge_packages([str(first)]))
    finish(qtbot, window.exchange.last)


def test_a_changed_key_is_accepted_after_its_fingerprint_is_shown(
    qtbot, empty_store, dialogs, tmp_path
):
    first, second, new_key = _packages(tmp_path)
    window = MainWindow(empty_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    _merge_first(qtbot, window, dialogs, first)
    dialogs.modals.clear()
    dialogs.modal_answers = [True, True]  # accept the new key, then merge
    finish(qtbot, window.exchange.merge_packages([str(second)]))
    key_dialog = dialogs.modals[0]
    assert "Khóa ký của xã đã thay đổi" in key_dialog.windowTitle()
    assert f"Mã nhận dạng của khóa mới: {new_key}" in _text(key_dialog)
    assert new_key in key_dialog.apply_button.text()
    finish(qtbot, window.exchange.last)  # the preview again, with the key accepted
    assert f"Khóa ký mới của xã đã được xác nhận: mã nhận dạng {new_key}" in _text(
        dialogs.modals[1]
    )
    finish(qtbot, window.exchange.last)  # the merge
    assert empty_store.received.commune_key("00012")["fingerprint"] == new_key
    names = {m.full_name for m in empty_store.packages.members("00012")}
    with make_commune(tmp_path / "check.db", "00013", "Xã Kiểm", 15, 2) as same_seed:
        assert names == {m.full_name for m in same_seed.packages.members()}
    _settle(qtbot, window)


def test_a_changed_key_not_confirmed_merges_nothing(qtbot, empty_store, dialogs, tmp_path):
    first, second, new_key = _packages(tmp_path)
    window = MainWindow(empty_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    _merge_first(qtbot, window, dialogs, first)
    before = empty_store.received.all()
    dialogs.modals.clear()
    dialogs.modal_answers = [False]  # the fingerprint did not match on the phone
    finish(qtbot, window.exchange.merge_packages([str(second)]))
    assert len(dialogs.modals) == 1 and new_key in _text(dialogs.modals[0])
    assert empty_store.received.all() == before
    assert empty_store.received.commune_key("00012")["fingerprint"] != new_key
    _settle(qtbot, window)
