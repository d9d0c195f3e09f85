"""Starting the app: one window per file, clear messages for files that cannot open."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvdesk import demo
from dvdesk.store.gateway import Store
from dvdesk.ui import app as app_module
from dvdesk.ui.app import Launcher, make_app
from tests.ui.conftest import TODAY, FakeDialogs


@pytest.fixture
def fake_dialogs(monkeypatch) -> FakeDialogs:
    fake = FakeDialogs()
    monkeypatch.setattr(app_module, "DialogService", lambda parent=None: fake)
    return fake


@pytest.fixture
def launchers(qtbot):
    made: list[Launcher] = []
    yield made
    for launcher in made:
        if launcher.window is not None:
            launcher.window.close()
        launcher.close()


def test_first_start_creates_the_file_and_shows_the_empty_state(
    qtbot, tmp_path, fake_dialogs, launchers
):
    make_app()
    launcher = Launcher()
    launchers.append(launcher)
    path = tmp_path / "new" / "dvdesk.db"
    assert launcher.open(path)
    assert path.exists()
    assert launcher.window.stack.currentWidget() is launcher.window.empty
    assert "dvdesk" in launcher.window.windowTitle() and str(path) in launcher.window.windowTitle()
    assert not launcher.window.windowIcon().isNull()


def test_second_window_on_the_same_file_is_refused(qtbot, tmp_path, fake_dialogs, launchers):
    path = tmp_path / "xa.db"
    first, second = Launcher(), Launcher()
    launchers += [first, second]
    assert first.open(path)
    assert not second.open(path)
    kind, _title, text = fake_dialogs.calls[-1]
    assert kind == "error" and "đang được mở" in text


def test_not_a_dvdesk_file_gives_a_clear_message(qtbot, tmp_path, fake_dialogs, launchers):
    path = tmp_path / "ghi-chu.db"
    path.write_text("đây là một tệp văn bản, không phải cơ sở dữ liệu\n" * 50, encoding="utf-8")
    before = path.read_bytes()
    launcher = Launcher()
    launchers.append(launcher)
    assert not launcher.open(path)
    assert fake_dialogs.calls[-1][0] == "error"
    assert "không phải" in fake_dialogs.calls[-1][2]
    assert path.read_bytes() == before


def test_switching_files_moves_the_lock(qtbot, tmp_path: Path, fake_dialogs, launchers):
    one, two = tmp_path / "mot.db", tmp_path / "hai.db"
    with Store.open(two) as store:
        demo.build(store, 50, today=TODAY)
    launcher = Launcher()
    launchers.append(launcher)
    assert launcher.open(one)
    launcher.window.open_requested.emit(two)
    assert launcher.window.store.path == two.absolute()
    assert launcher.window.model.rowCount() == 50
    other = Launcher()
    launchers.append(other)
    assert other.open(one)  # the first file was released


def test_unhandled_errors_are_shown_not_crashed(qtbot, tmp_path, fake_dialogs, monkeypatch):
    import sys

    from dvdesk.store.errors import FileLocked
    from dvdesk.ui.app import install_error_hook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import logging

    handler = install_error_hook(tmp_path / "dvdesk.log")
    request_cleanup = lambda: logging.getLogger().removeHandler(handler)  # noqa: E731
    sys.excepthook(FileLocked, FileLocked("Tệp đang được ghi."), None)
    assert fake_dialogs.calls[-1] == ("error", "Không thực hiện được", "Tệp đang được ghi.")
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert fake_dialogs.calls[-1][1] == "Lỗi chương trình"
    handler.flush()
    request_cleanup()
    handler.close()
    assert "ZeroDivisionError" in (tmp_path / "dvdesk.log").read_text(encoding="utf-8")


def test_backup_now_and_restore_from_the_window(qtbot, tmp_path, fake_dialogs, launchers):
    from dvdesk.domain.dates import parse_date
    from dvdesk.domain.member import Member

    path = tmp_path / "xa.db"
    with Store.open(path) as store:
        demo.build(store, 40, today=TODAY)
    launcher = Launcher()
    launchers.append(launcher)
    assert launcher.open(path)
    window = launcher.window
    window.dialogs = fake_dialogs
    op = window.backup_now()
    with qtbot.waitSignal(op.done, timeout=30000) as done:
        pass
    saved = done.args[0]
    assert saved is not None and saved.exists()
    assert str(saved) in window.statusBar().currentMessage()
    window.store.members.add(Member("Bùi Thị Lan", "KDC01", dob=parse_date("01/01/2000")), TODAY)
    assert window.store.members.count() == 41
    fake_dialogs.answer = True
    fake_dialogs.modal_answers = [True]

    def pick(dialog) -> None:  # the officer picks the manual backup in the list
        row = dialog.files.index(saved)
        assert "Sao lưu bằng tay" in dialog.table.item(row, 1).text()
        dialog.table.selectRow(row)
        dialog.accept_selected()

    fake_dialogs.on_modal = [pick]
    op = window.restore_backup()
    assert op is not None and not window.centralWidget().isEnabled()  # nothing reads meanwhile
    qtbot.waitUntil(lambda: launcher.window is not window, timeout=30000)
    assert launcher.window is not window  # reopened on the restored file
    assert launcher.window.store.members.count() == 40
    kind, title, text = fake_dialogs.calls[-1]
    assert (kind, title) == ("info", "Đã khôi phục") and "truoc-khoi-phuc" in text
