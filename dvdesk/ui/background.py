"""Reads off the GUI thread: an id list for a search, the counts of the views.

A read runs in Qt's thread pool on a read-only connection of its own (an
SQLite connection belongs to the thread that made it, and WAL lets it read
while the window's connection writes). Its answer comes back to the GUI
thread through a queued signal. Writes never go through here: they use
`operations.Operation`, with a progress dialog and error reporting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store


class _Signals(QObject):
    done = Signal(object)


class _ReadJob(QRunnable):
    def __init__(self, path: Path, read: Callable[[Store], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self.path = path
        self.read = read

    def run(self) -> None:
        try:
            with Store.open(self.path, read_only=True) as store:
                result = self.read(store)
        except KnownError:
            return  # the window's own connection reports the problem on its next read
        # RuntimeError: the window closed while this read ran, nobody is waiting for it.
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(result)


class BackgroundReads(QObject):
    """Starts reads and keeps each job's emitter alive until its answer is delivered."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[_Signals] = set()

    def start(self, path: Path, read: Callable[[Store], Any], done: Callable[[Any], None]) -> None:
        job = _ReadJob(path, read)
        signals = job.signals
        self._pending.add(signals)

        def deliver(result: Any) -> None:
            self._pending.discard(signals)
            done(result)

        signals.done.connect(deliver)
        QThreadPool.globalInstance().start(job)
