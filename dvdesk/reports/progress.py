"""Progress and cancellation for long prints (a 200,000-member list is ~2,500 pages).

A print function takes `progress(done, total)` and `cancel() -> bool`; the
window passes its progress bar and its Cancel button, the CLI a line on
stderr. Both are optional and cheap: progress is reported at most a few
times a second and cancel is polled once per page.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from dvdesk.errors import KnownError

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Cancelled(KnownError):
    """The user stopped the print; no file was written."""

    def __init__(self) -> None:
        super().__init__("Đã dừng in theo yêu cầu; không tạo tệp PDF.")


class Tracker:
    """Counts work done out of `total`, reports it, and raises `Cancelled` when asked."""

    def __init__(
        self,
        total: int,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
        every: float = 0.2,
    ) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancel = cancel
        self._every = every
        self._last = 0.0
        self._reported = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._progress is not None:
            now = time.monotonic()
            if now - self._last >= self._every or self.done >= self.total:
                self._last = now
                self._report(min(self.done, self.total))

    def check(self) -> None:
        """Raise `Cancelled` if the user asked to stop."""
        if self._cancel is not None and self._cancel():
            raise Cancelled()

    def finish(self) -> None:
        """Report the end once (a list that was all drawn already said so)."""
        self._report(self.total)

    def _report(self, done: int) -> None:
        if self._progress is not None and done != self._reported:
            self._reported = done
            self._progress(done, self.total)


def stderr_progress(stream: TextIO | None = None, label: str = "Đang in") -> Progress:
    """A progress callback writing one updating line ("Đang in: 1.200/20.000 (6%)")."""
    out = stream or sys.stderr

    def report(done: int, total: int) -> None:
        pct = 100 * done // total if total else 100
        line = f"{label}: {done:_}/{total:_} ({pct}%)".replace("_", ".")
        end = "\n" if done >= total else ""
        out.write(f"\r{line}{end}")
        out.flush()

    return report
