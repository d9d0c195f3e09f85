"""Slow work off the GUI thread, with progress and one place for failures.

An operation is a plain function `work(store, progress) -> result` that runs
in a worker thread on its OWN connection to the same file (an SQLite
connection belongs to the thread that made it; WAL lets the window keep
reading meanwhile). The window gets `done(result)` or a failure routed to the
dialog service: a `KnownError` as its message, anything else as a bug.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
Work = Callable[[Store, Progress], Any]


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, str)  # message, traceback ("" for a known problem)

    def __init__(self, path: Path, work: Work) -> None:
        super().__init__()
        self.path = path
        self.work = work

    def run(self) -> None:
        try:
            with Store.open(self.path) as store:
                result = self.work(store, lambda done, total: self.progressed.emit(done, total))
            self.finished.emit(result)
        except KnownError as exc:
            self.failed.emit(str(exc), "")
        except Exception as exc:  # a bug: keep the traceback for the report
            log.exception("operation failed")
            self.failed.emit(f"Lỗi chương trình: {exc}", traceback.format_exc())


class Operation(QObject):
    """One background operation with a modal progress dialog.

    Signals:
        done(object): the work's result, on the GUI thread.
        failed(str): the message shown to the user.
    """

    done = Signal(object)
    failed = Signal(str)

    def __init__(
        self, parent: QWidget, path: Path, title: str, work: Work, dialogs: DialogService
    ) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.title = title
        self.thread = QThread(self)
        self.worker = _Worker(path, work)
        self.worker.moveToThread(self.thread)
        self.progress = QProgressDialog(title, "", 0, 0, parent)
        self.progress.setCancelButton(None)  # writes are all-or-nothing; no half cancel
        self.progress.setWindowTitle("Đang xử lý")
        self.progress.setMinimumDuration(300)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)

    def start(self) -> None:
        self.thread.start()

    def wait(self, ms: int = 60_000) -> bool:
        return self.thread.wait(ms)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _stop(self) -> None:
        self.progress.reset()
        self.progress.close()
        self.thread.quit()
        self.thread.wait()

    def _on_finished(self, result: object) -> None:
        self._stop()
        self.done.emit(result)

    def _on_failed(self, message: str, trace: str) -> None:
        self._stop()
        self.dialogs.error(self.title, message, trace)
        self.failed.emit(message)
