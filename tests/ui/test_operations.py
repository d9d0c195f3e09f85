"""The op pair: answers, failures and progress reach the GUI thread; cancel; changes."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.ui.main_window import MainWindow
from dvdesk.ui.operations import Cancelled, Jobs, changes_of
from tests.ui.conftest import TODAY, FakeDialogs


class ThreadCheckingDialogs(FakeDialogs):
    """Also records whether every message box was asked for on the GUI thread."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[bool] = []

    def error(self, title: str, text: str, detail: str = "") -> None:
        self.threads.append(threading.current_thread() is threading.main_thread())
        self.details = detail
        super().error(title, text, detail)


@pytest.fixture
def jobs(qtbot, demo_store) -> Jobs:
    dialogs = ThreadCheckingDialogs()
    return Jobs(None, demo_store, dialogs)


def test_a_read_answers_on_the_gui_thread(qtbot, jobs):
    seen: list[tuple[int, bool]] = []

    def work(store: Store) -> tuple[int, bool]:
        return store.members.count(), threading.current_thread() is threading.main_thread()

    with qtbot.waitSignal(jobs.read(work, seen.append).done, timeout=10000):
        pass
    ((count, on_gui_thread),) = seen
    assert count == 300 and not on_gui_thread  # read elsewhere, answered here
    qtbot.waitUntil(lambda: not jobs.running)


def test_a_failing_sqlite_read_shows_a_vietnamese_message_from_the_gui_thread(qtbot, jobs):
    def work(store: Store) -> None:
        exc = sqlite3.OperationalError("database is locked")
        exc.sqlite_errorcode = sqlite3.SQLITE_BUSY  # as sqlite3 sets it
        raise exc

    op = jobs.read(work, lambda _: None, title="Không đọc được")
    with qtbot.waitSignal(op.failed, timeout=10000) as failed:
        pass
    dialogs = jobs.dialogs
    (kind, _title, text), on_gui_thread = dialogs.calls[-1], dialogs.threads[-1]
    assert kind == "error" and on_gui_thread
    assert "đang được" in text and "Traceback" not in text and text == failed.args[0]


def test_a_bug_in_a_background_read_is_logged_and_shown_as_a_program_error(qtbot, jobs, caplog):
    def work(store: Store) -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR):
        op = jobs.read(work, lambda _: None)
        with qtbot.waitSignal(op.failed, timeout=10000):
            pass
    kind, title, text = jobs.dialogs.calls[-1]
    assert (kind, title) == ("error", "Lỗi chương trình") and jobs.dialogs.threads[-1]
    assert "dvdesk.log" in text and "ZeroDivisionError" not in text
    assert "ZeroDivisionError" in jobs.dialogs.details  # the detail box keeps it
    assert any("ZeroDivisionError" in r.getMessage() for r in caplog.records)


def test_progress_counts_and_cancel_stops_the_work(qtbot, jobs):
    started, release = threading.Event(), threading.Event()
    reached: list[int] = []

    def work(store: Store, progress) -> int:
        for i in range(1000):
            progress(i, 1000)
            reached.append(i)
            if i == 3:
                started.set()
                release.wait(5)
        return 1000

    op = jobs.long_read("Đang in…", work, lambda _: pytest.fail("cancelled work answered"))
    assert started.wait(5)
    qtbot.waitUntil(lambda: "/ 1.000" in (op._dialog.labelText() if op._dialog else ""))
    (cancel,) = [b for b in op._dialog.findChildren(QPushButton) if b.text() == "Hủy"]
    cancel.click()  # the officer presses Hủy
    release.set()
    with qtbot.waitSignal(op.cancelled, timeout=10000):
        pass
    assert max(reached) < 10 and not op.running
    assert jobs.dialogs.calls == []  # cancelling is not an error


def test_a_write_op_broadcasts_its_changes_before_done(qtbot, jobs):
    order: list[str] = []
    jobs.changed.connect(
        lambda changes: order.append(f"changed {sorted(str(k) for k in changes.kinds)}")
    )

    def work(store: Store, progress) -> Changes:
        store.units.add(Unit("THON9", "Thôn Chín", UnitKind.RESIDENTIAL))
        return Changes.of(Kind.UNITS)

    op = jobs.write("Đang ghi…", work, lambda _: order.append("done"))
    with qtbot.waitSignal(op.done, timeout=10000):
        pass
    assert order == ["changed ['units']", "done"]
    assert "THON9" in {u.code for u in jobs.store.units.all()}


def test_ops_are_freed_when_done(qtbot, jobs):
    op = jobs.read(lambda store: 1, lambda _: None)
    with qtbot.waitSignal(op.done, timeout=10000):
        pass
    qtbot.waitUntil(lambda: not jobs.findChildren(type(op)))
    assert not jobs.running


def test_changes_of_reads_a_result_carrying_changes():
    changes = Changes.of(Kind.MEMBERS, uids=["a"])

    class Result:
        def __init__(self) -> None:
            self.changes = changes

    assert changes_of(changes) is changes and changes_of(Result()) is changes
    assert changes_of(3) is None


def test_cancelled_is_raised_by_progress_after_cancel(qtbot, jobs):
    seen: list[type] = []
    gate = threading.Event()

    def work(store: Store, progress) -> None:
        gate.wait(5)
        try:
            progress(1, 2)
        except Cancelled:
            seen.append(Cancelled)
            raise

    op = jobs.long_read("Đang xuất…", work)
    op.cancel()
    gate.set()
    with qtbot.waitSignal(op.cancelled, timeout=10000):
        pass
    assert seen == [Cancelled]


def test_quitting_with_a_job_running_asks_then_cancels_and_waits(qtbot, demo_store, tmp_path: Path):
    dialogs = FakeDialogs()
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    started, stopped = threading.Event(), threading.Event()

    def work(store: Store, progress) -> None:
        started.set()
        try:
            for i in range(10_000):
                progress(i, 10_000)
                threading.Event().wait(0.01)
        finally:
            stopped.set()

    window.jobs.long_read("Đang in…", work)
    assert started.wait(5)
    dialogs.answer = False  # "no, keep working"
    assert not window.close()
    assert window.isVisible() or not stopped.is_set()
    assert dialogs.calls[-1][0] == "confirm" and not stopped.is_set()
    dialogs.answer = True
    assert window.close()
    assert stopped.is_set()  # the thread has ended before the window went
    QApplication.processEvents()


def test_no_progress_dialog_for_quick_reads(qtbot, jobs):
    op = jobs.read(lambda store: 1, lambda _: None)
    assert op._dialog is None
    with qtbot.waitSignal(op.done, timeout=10000):
        pass
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def test_the_last_uncounted_step_can_no_longer_be_cancelled(qtbot, jobs):
    gate = threading.Event()

    def work(store: Store, progress) -> str:
        progress(5, 5)
        progress(0, 0)  # e.g. laying out the PDF's pages
        gate.wait(5)
        return "xong"

    op = jobs.long_read("Đang in…", work)
    qtbot.waitUntil(lambda: op._dialog is not None and "hoàn tất" in op._dialog.labelText())
    assert not op.cancel() and not op.cancellable
    assert not [b for b in op._dialog.findChildren(QPushButton) if b.isVisible()]
    gate.set()
    with qtbot.waitSignal(op.done, timeout=10000) as done:
        pass
    assert done.args == ["xong"]


def test_a_detached_op_opens_no_connection_to_the_file(qtbot, jobs, monkeypatch):
    from dvdesk.ui import operations

    def refuse(*args, **kwargs):
        raise AssertionError("a detached op opened the data file")

    monkeypatch.setattr(operations.Store, "open", refuse)
    op = jobs.detached("Đang khôi phục…", lambda progress: "đã thay tệp")
    with qtbot.waitSignal(op.done, timeout=10000) as done:
        pass
    assert done.args == ["đã thay tệp"] and jobs.dialogs.calls == []


def test_a_failing_background_count_of_the_window_is_shown_in_vietnamese(
    qtbot, demo_store, monkeypatch
):
    from dvdesk.store.members import MembersRepo

    real_count = MembersRepo.count

    def count(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            exc = sqlite3.OperationalError("disk I/O error")
            exc.sqlite_errorcode = sqlite3.SQLITE_IOERR
            raise exc
        return real_count(self, *args, **kwargs)

    monkeypatch.setattr(MembersRepo, "count", count)
    dialogs = ThreadCheckingDialogs()
    window = MainWindow(demo_store, dialogs, today=TODAY)  # counts its views in the background
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: any(c[0] == "error" for c in dialogs.calls), timeout=10000)
    _kind, title, text = next(c for c in dialogs.calls if c[0] == "error")
    assert title == "Không đếm được các danh sách" and "ổ đĩa" in text
    assert "Traceback" not in text and all(dialogs.threads)


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_quick_reads_keep_their_connection_open_and_the_window_closes_it(qtbot, jobs):
    seen: list[Store] = []
    for _ in range(3):
        op = jobs.read(lambda store: seen.append(store), lambda _: None)
        with qtbot.waitSignal(op.done, timeout=10000):
            pass
        qtbot.waitUntil(lambda: not jobs.running)
    assert len({id(s) for s in seen}) == 1 and not seen[0].closed  # warm, not reopened
    assert jobs.cancel_and_wait()
    assert seen[0].closed


def test_an_interrupted_read_ends_cancelled_not_failed(qtbot, jobs, caplog):
    started = threading.Event()

    def work(store: Store) -> int:
        started.set()
        return int(store.members._conn.scalar(ENDLESS))  # stops only when interrupted

    op = jobs.read(work, lambda _: pytest.fail("answered"))
    assert started.wait(10)
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(op.cancelled, timeout=10000):
        op.interrupt()
    assert jobs.dialogs.calls == [] and "failed" not in caplog.text
    # The connection it borrowed still answers the next read.
    op = jobs.read(lambda store: store.members.count(), lambda _: None)
    with qtbot.waitSignal(op.done, timeout=10000) as done:
        pass
    assert done.args == [300]
