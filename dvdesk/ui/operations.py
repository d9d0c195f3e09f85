"""Work off the GUI thread: one read op and one write op (after Anki's QueryOp/CollectionOp).

An op runs a plain function `work(store, progress) -> result` in Qt's thread
pool on its OWN connection to the data file (an SQLite connection belongs to
the thread that made it; WAL lets the window keep reading meanwhile). Whatever
happens there comes back to the GUI thread through a queued signal, so widgets
are only ever touched from the GUI thread:

- the result goes to the op's `done` callback and signal;
- progress `progress(done, total)` moves the progress dialog ("n / total");
- a `KnownError` (or an SQLite/OS error the store can name) is shown as its
  Vietnamese message through the dialog service;
- anything else is a bug: logged with its traceback (dvdesk.log) and shown as
  "Lỗi chương trình".

Cancelling is cooperative: the Hủy button sets a flag and the work's next
`progress` call raises `Cancelled`; `progress(0, 0)` says "a last step that
cannot be counted nor stopped" (the bar turns busy and Hủy goes away). Only
ops that say so can be cancelled (a write op's work runs in one transaction,
so stopping it rolls everything back).

A `WriteOp`'s work returns a `Changes` (or an object with `.changes`); `Jobs`
broadcasts it with `changed` so each screen refreshes only what changed. Ops
are freed (deleteLater) when they finish; `Jobs` keeps the running ones so the
window can cancel and wait for them before it closes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from dvdesk.store.changes import Changes
from dvdesk.store.errors import translate
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
Work = Callable[[Store, Progress], Any]
Done = Callable[[Any], None]

SHOW_PROGRESS_AFTER_MS = 500
KEPT_READERS = 2  # read-only connections kept open for quick reads (one per core)
PROGRESS_EVERY_S = 0.05  # at most ~20 progress signals a second reach the GUI thread
BUG_TITLE = "Lỗi chương trình"


class Cancelled(Exception):
    """The officer pressed Hủy; raised by `progress` inside the work."""


def bug_message(log_file: Path | None) -> str:
    where = f" Hãy gửi tệp nhật ký “{log_file}” cho người hỗ trợ." if log_file else ""
    return (
        "dvdesk gặp lỗi chương trình và chưa làm được việc vừa yêu cầu. "
        f"Dữ liệu đã lưu không bị ảnh hưởng.{where}"
    )


def changes_of(result: object) -> Changes | None:
    """The change value a write returned: itself, or its `.changes`."""
    if isinstance(result, Changes):
        return result
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else None


class _Outcome:
    OK, CANCELLED, KNOWN, BUG = "ok", "cancelled", "known", "bug"


class _Signals(QObject):
    progressed = Signal(int, int)
    # WORKAROUND: no Python object crosses threads through a signal. The job keeps
    # its (kind, payload) and the GUI thread reads it on `finished`; PySide6 6.12
    # on Python 3.11 was seen to end with "Fatal Python error: none_dealloc" /
    # "bool_dealloc" (a singleton's reference count run down) in long sessions
    # with Signal(object) payloads emitted from pool threads.
    finished = Signal()


def _run_work(
    work: Work,
    store: Store | None,
    progress: Progress,
    path: Path | None,
    stopped: threading.Event | None = None,
) -> tuple[str, object]:
    try:
        return _Outcome.OK, work(store, progress)  # type: ignore[arg-type]  # None: detached
    except Cancelled:
        return _Outcome.CANCELLED, None
    except Exception as exc:
        if stopped is not None and stopped.is_set():
            return _Outcome.CANCELLED, None  # interrupted mid-statement: not a failure
        return _classify(exc, path)


def _classify(exc: Exception, path: Path | None) -> tuple[str, object]:
    known = translate(exc, path)  # a KnownError, or an SQLite/OS error the store can name
    if known is not None:
        return _Outcome.KNOWN, str(known)
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("background work failed\n%s", text)
    return _Outcome.BUG, text


class _Job(QRunnable):
    def __init__(self, op: Op, path: Path) -> None:
        super().__init__()
        self.signals = _Signals()
        self.path = path  # a file on disk: an in-memory one runs on the GUI thread (Op.start)
        self.work = op.work
        self.read_only = not op.writes
        self.opens_store = op.opens_store
        self.cancel_requested = op._cancel_flag
        self.finished_event = op._finished_event
        # A quick read borrows one of the window's open read-only connections.
        self.readers = op.jobs if self.read_only and not op._show_progress else None
        self.store: Store | None = None  # the borrowed connection, while the work runs
        self._store_lock = threading.Lock()
        self._last_emit = 0.0
        self.outcome: tuple[str, object] = (_Outcome.CANCELLED, None)

    def _run_on_own_store(self) -> tuple[str, object]:
        if self.readers is not None:
            return self._run_on_reader(self.readers)
        try:
            store = Store.open(self.path, read_only=self.read_only)
        except Exception as exc:
            return _classify(exc, self.path)
        with store:
            return _run_work(self.work, store, self.progress, self.path)

    def _run_on_reader(self, readers: Jobs) -> tuple[str, object]:
        try:
            store = readers._take_reader(self.path)
        except Exception as exc:
            return _classify(exc, self.path)
        try:
            with self._store_lock:
                if self.cancel_requested.is_set():
                    return _Outcome.CANCELLED, None
                self.store = store  # from now on `interrupt` stops its statement
            store.stop_when(self.cancel_requested)  # and any it starts afterwards
            return _run_work(self.work, store, self.progress, self.path, self.cancel_requested)
        finally:
            with self._store_lock:
                self.store = None
            store.stop_when(None)
            readers._give_back(store)

    def interrupt(self) -> None:
        """Stop the statement the work runs (any thread); its answer is dropped."""
        with self._store_lock:
            self.cancel_requested.set()
            if self.store is not None:
                self.store.interrupt()

    def progress(self, done: int, total: int) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled
        now = time.monotonic()
        if now - self._last_emit >= PROGRESS_EVERY_S or done >= total or total <= 0:
            self._last_emit = now
            self.signals.progressed.emit(done, total)

    def run(self) -> None:
        try:
            if not self.opens_store:  # the work handles the file itself (a restore)
                kind, payload = _run_work(self.work, None, self.progress, self.path)
            else:
                kind, payload = self._run_on_own_store()
            self.outcome = (kind, payload)  # read on the GUI thread (_Signals)
            # RuntimeError: the window closed meanwhile; nobody waits for the answer.
            with contextlib.suppress(RuntimeError):
                self.signals.finished.emit()
        finally:
            self.finished_event.set()


class Op(QObject):
    """One piece of background work; use `ReadOp` or `WriteOp`.

    Signals:
        done(object): the work's result, on the GUI thread.
        failed(str): the message shown to the officer.
        cancelled(): the officer stopped the work.
        progressed(int, int): done, total (total 0: unknown).
    """

    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    progressed = Signal(int, int)
    writes = False
    opens_store = True

    def __init__(
        self,
        jobs: Jobs,
        work: Work,
        done: Done | None = None,
        *,
        title: str = "",
        cancellable: bool = False,
        show_progress: bool = False,
        quiet: bool = False,
    ) -> None:
        super().__init__(jobs)
        self.jobs = jobs
        self.path = jobs.path
        self.work = work
        self.title = title
        self.cancellable = cancellable
        self.quiet = quiet  # a known problem is not shown (e.g. a superseded count)
        self.result: object = None
        self.outcome = ""
        self._done_callback = done
        self._cancel_flag = threading.Event()
        self._finished_event = threading.Event()
        self._show_progress = show_progress
        self._dialog: QProgressDialog | None = None
        self._job: _Job | None = None

    # -- running -----------------------------------------------------------

    def start(self) -> Op:
        self.jobs._started(self)
        if self._show_progress:
            self._dialog = self._make_dialog()
        if self.path is None:  # an in-memory file: one connection, so run here
            QTimer.singleShot(0, self._run_here)
            return self
        job = self._job = _Job(self, self.path)
        queued = Qt.ConnectionType.QueuedConnection
        job.signals.progressed.connect(self._on_progress, queued)
        job.signals.finished.connect(self._on_job_finished, queued)
        QThreadPool.globalInstance().start(job)
        return self

    def _run_here(self) -> None:
        def progress(done: int, total: int) -> None:
            if self._cancel_flag.is_set():
                raise Cancelled
            self._on_progress(done, total)

        kind, payload = _run_work(self.work, self.jobs.store, progress, None)
        self._finished_event.set()
        self._on_finished(kind, payload)

    def cancel(self) -> bool:
        """Ask the work to stop at its next progress call; False if it cannot be stopped."""
        if not self.cancellable:
            return False
        self._cancel_flag.set()
        if self._dialog is not None:
            self._dialog.setLabelText(f"{self.title}\nĐang dừng…")
        return True

    def interrupt(self) -> None:
        """Stop a quick read at once, mid-statement (a count nobody waits for now): it
        ends cancelled. Other ops are only asked to stop (`cancel`)."""
        if self._job is not None and self._job.readers is not None:
            self._job.interrupt()
        else:
            self.cancel()

    @property
    def running(self) -> bool:
        return not self._finished_event.is_set()

    def wait(self, ms: int | None = 60_000) -> bool:
        """Block until the work has stopped (its answer is delivered by the event loop);
        `None`: however long it takes."""
        return self._finished_event.wait(None if ms is None else ms / 1000)

    # -- progress dialog ---------------------------------------------------

    def _make_dialog(self) -> QProgressDialog:
        parent = self.jobs.widget
        dialog = QProgressDialog(self.title, "Hủy", 0, 0, parent)
        dialog.setWindowTitle("Đang xử lý")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setMinimumWidth(420)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self.cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
            # Closing the box does not stop an all-or-nothing write: show it again.
            dialog.canceled.connect(lambda: QTimer.singleShot(0, self._reshow))
        return dialog

    def _reshow(self) -> None:
        if self._dialog is not None and self.running:
            self._dialog.show()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)
        dialog = self._dialog
        if dialog is None or self._cancel_flag.is_set():
            return
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            count = f"{done:,} / {total:,}".replace(",", ".")
            dialog.setLabelText(f"{self.title}\n{count}")
        else:  # progress(0, 0): a last step that cannot be counted, nor stopped
            dialog.setMaximum(0)
            dialog.setValue(0)
            dialog.setLabelText(f"{self.title}\nĐang hoàn tất…")
            if self.cancellable:
                self.cancellable = False
                dialog.canceled.disconnect()
                dialog.setCancelButton(None)
                dialog.canceled.connect(lambda: QTimer.singleShot(0, self._reshow))

    # -- the answer, on the GUI thread ---------------------------------------

    @Slot()
    def _on_job_finished(self) -> None:
        job = self._job
        if job is None:
            return
        self._on_finished(*job.outcome)

    def _on_finished(self, kind: str, payload: object) -> None:
        self.outcome = kind
        if self._dialog is not None:
            self._dialog.canceled.disconnect()
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.jobs._finished(self)
        if kind == _Outcome.OK and self._cancel_flag.is_set() and not self.writes:
            kind = _Outcome.CANCELLED  # stopped by Hủy just as it ended: drop the answer
        try:
            if kind == _Outcome.OK:
                self.result = payload
                self._succeeded(payload)
            elif kind == _Outcome.CANCELLED:
                self.cancelled.emit()
            elif kind == _Outcome.KNOWN:
                if not self.quiet:
                    self.jobs.dialogs.error(self.title or "Không thực hiện được", str(payload))
                self.failed.emit(str(payload))
            else:
                message = bug_message(self.jobs.log_file)
                self.jobs.dialogs.error(BUG_TITLE, message, str(payload))
                self.failed.emit(message)
        finally:
            self.deleteLater()

    def _succeeded(self, result: object) -> None:
        if self._done_callback is not None:
            self._done_callback(result)
        self.done.emit(result)


class ReadOp(Op):
    """Reads on a read-only connection; never changes the file."""


class WriteOp(Op):
    """Writes on a connection of its own; the `Changes` it returns are broadcast
    before `done` runs, so the screens are current when the caller reports."""

    writes = True

    def _succeeded(self, result: object) -> None:
        changes = changes_of(result)
        if changes:
            self.jobs.announce(changes)
        super()._succeeded(result)


class Jobs(QObject):
    """The window's ops: starts them, keeps the running ones, broadcasts changes.

    Signals:
        changed(object): a `Changes` written by an op or announced by a screen.
        busy(bool): whether any op is running.
    """

    changed = Signal(object)
    busy = Signal(bool)

    def __init__(self, widget: QWidget | None, store: Store, dialogs: DialogService) -> None:
        super().__init__(widget)
        self.widget = widget
        self.store = store
        self.dialogs = dialogs
        self._running: list[Op] = []
        # Read-only connections kept open between quick reads (search as you type):
        # a fresh connection starts with an empty page cache and read the same index
        # pages again each time (~0.1 s a keystroke at 200,000 members).
        self._readers: list[Store] = []
        self._readers_lock = threading.Lock()
        self._readers_closed = False

    @property
    def path(self) -> Path | None:
        return self.store.path

    @property
    def log_file(self) -> Path | None:
        return self.store.path.parent / "dvdesk.log" if self.store.path else None

    def read(self, work: Callable[[Store], Any], done: Done, **options: Any) -> ReadOp:
        """Start a read; `work(store)` gets no progress (reads are short)."""
        op = ReadOp(self, lambda store, _progress: work(store), done, **options)
        op.start()
        return op

    def write(
        self, title: str, work: Work, done: Done | None = None, *, cancellable: bool = False
    ) -> WriteOp:
        """Start a write with a progress dialog (shown after half a second)."""
        op = WriteOp(self, work, done, title=title, cancellable=cancellable, show_progress=True)
        op.start()
        return op

    def long_read(
        self, title: str, work: Work, done: Done | None = None, *, cancellable: bool = True
    ) -> ReadOp:
        """A long job that only reads the file (print, export): progress and Hủy."""
        op = ReadOp(self, work, done, title=title, cancellable=cancellable, show_progress=True)
        op.start()
        return op

    def detached(
        self, title: str, work: Callable[[Progress], Any], done: Done | None = None
    ) -> WriteOp:
        """A long job on the data file that opens no connection to it (restoring a
        backup replaces the file): progress dialog, not cancellable."""
        op = WriteOp(
            self, lambda _store, progress: work(progress), done, title=title, show_progress=True
        )
        op.opens_store = False
        op.start()
        return op

    def announce(self, changes: Changes) -> None:
        """Tell every screen what a write changed (writes made on the GUI thread too)."""
        if changes:
            self.changed.emit(changes)

    # -- the quick reads' connections ------------------------------------------

    def _take_reader(self, path: Path) -> Store:
        """An idle read-only connection to `path`, or a new one (any thread)."""
        with self._readers_lock:
            if self._readers:
                return self._readers.pop()
        return Store.open(path, read_only=True, any_thread=True)

    def _give_back(self, store: Store) -> None:
        with self._readers_lock:
            if not self._readers_closed and len(self._readers) < KEPT_READERS:
                self._readers.append(store)
                return
        store.close()

    def close_readers(self) -> None:
        """Close the kept connections; quick reads still running close theirs."""
        with self._readers_lock:
            self._readers_closed = True
            readers, self._readers = self._readers, []
        for store in readers:
            store.close()

    # -- the running ones ------------------------------------------------------

    @property
    def running(self) -> list[Op]:
        return [op for op in self._running if op.running]

    def long_running(self) -> list[Op]:
        """Running ops the officer started (with a progress dialog), not quick reads."""
        return [op for op in self.running if op._show_progress]

    def cancel_and_wait(self, ms: int = 30_000) -> bool:
        """Cancel what can be cancelled, then wait for every op's thread to stop: `ms`
        for a cancelled one, as long as it takes for one that cannot stop (a write
        in its transaction: leaving it would kill it halfway)."""
        ops = list(self._running)
        stopping = {op for op in ops if op.cancel()}
        stopped = all(op.wait(ms) if op in stopping else op.wait(None) for op in ops)
        if stopped:
            self.close_readers()  # the file may be closed or replaced next
        return stopped

    def _started(self, op: Op) -> None:
        self._running.append(op)
        if len(self._running) == 1:
            self.busy.emit(True)

    def _finished(self, op: Op) -> None:
        if op in self._running:
            self._running.remove(op)
            if not self._running:
                self.busy.emit(False)
