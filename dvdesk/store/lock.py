"""One window per data file (khóa tệp dữ liệu), with recovery from stale locks.

SQLite alone lets two windows open the same file and overwrite each other's
edits. The window therefore takes a lock file beside the data file
(`xa.db.lock`) that records who holds it: process id, machine name and time.

Ownership is an exclusive OS byte lock on that file (`flock` on POSIX,
`msvcrt.locking` on Windows), which the kernel drops when the process dies,
even by SIGKILL or power loss. A lock file left behind by a dead process (a
stale lock) is therefore free to take over, and the text inside only serves the
message shown to the second window; `Holder.is_stale` tells whether a recorded
holder is a process of this machine that no longer exists.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dvdesk.files import FILE_MODE, pid_alive
from dvdesk.store.errors import FileLocked, KnownError

__all__ = ["DataFileLock", "Holder", "lock_path", "pid_alive", "read_holder", "this_host"]

# The byte that is locked lies past the text, so on Windows (where a locked
# region cannot be read) the holder's details stay readable.
_LOCK_OFFSET = 4096
_READ_TRIES = 5  # the holder writes its details just after locking


@dataclass(frozen=True)
class Holder:
    """Who holds a data file open (người đang mở tệp)."""

    pid: int
    host: str
    since: datetime

    def to_json(self) -> str:
        return json.dumps(
            {"pid": self.pid, "host": self.host, "since": self.since.isoformat("T", "seconds")}
        )

    @classmethod
    def from_text(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return cls(int(data["pid"]), str(data["host"]), datetime.fromisoformat(data["since"]))
        except (ValueError, KeyError, TypeError):
            return None

    def is_stale(self) -> bool:
        """True when the holder ran on this machine and its process is gone."""
        return self.host == this_host() and not pid_alive(self.pid)


def this_host() -> str:
    return socket.gethostname()


def lock_path(db_path: Path) -> Path:
    """The lock file of a data file: `xa.db` → `xa.db.lock`."""
    return db_path.with_name(db_path.name + ".lock")


def read_holder(db_path: Path) -> Holder | None:
    """The recorded holder of a data file's lock, if any (may be stale)."""
    try:
        text = lock_path(db_path).read_text(encoding="utf-8")
    except OSError:
        return None
    return Holder.from_text(text.strip("\0 \n"))


def _try_byte_lock(fd: int) -> bool:
    """Take the exclusive byte lock without waiting; False when another holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            # flock belongs to this open file, not the process: a second open in
            # the same process is refused too, and closing another fd keeps it.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


def _busy_message(holder: Holder | None) -> str:
    if holder is None:
        return "Tệp dữ liệu đang được mở ở một cửa sổ khác. Hãy đóng cửa sổ đó rồi mở lại."
    since = holder.since.strftime("%H:%M")
    if holder.since.date() != datetime.now().date():
        since += holder.since.strftime(" ngày %d/%m/%Y")
    return (
        f"Tệp dữ liệu đang được mở ở một cửa sổ khác (máy {holder.host}, từ {since}). "
        "Hãy đóng cửa sổ đó rồi mở lại."
    )


class DataFileLock:
    """The lock this process holds on one data file; release it on close.

    Use `DataFileLock.acquire(db_path)` (or `with DataFileLock.acquire(...)`).
    """

    def __init__(self, db_path: Path, fd: int, holder: Holder, took_over: Holder | None) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.holder = holder
        self.took_over = took_over  # the stale holder replaced, for the log
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: str | Path) -> DataFileLock:
        """Lock `db_path` for this process.

        Raises:
            FileLocked: another live window (here or on another machine) holds it.
            KnownError: the folder cannot hold a lock file (read-only, missing).
        """
        db_path = Path(db_path).absolute()
        path = lock_path(db_path)
        for _ in range(3):  # retry when the file was replaced under us
            try:
                # Never through a link planted at the lock's name: the holder's details
                # would truncate whatever file it points to.
                flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                fd = os.open(path, flags, FILE_MODE)
            except OSError as exc:
                raise KnownError(
                    f"Không tạo được tệp khóa “{path}” ({exc.strerror}). "
                    "Hãy mở tệp dữ liệu từ một thư mục có quyền ghi."
                ) from exc
            try:
                lock = cls._lock_open_file(db_path, fd)
            except BaseException:
                os.close(fd)
                raise
            if lock is not None:
                return lock
            os.close(fd)
        raise FileLocked(_busy_message(read_holder(db_path)))

    @classmethod
    def _lock_open_file(cls, db_path: Path, fd: int) -> DataFileLock | None:
        path = lock_path(db_path)
        if not _try_byte_lock(fd):
            holder = None
            for _ in range(_READ_TRIES):
                holder = read_holder(db_path)
                if holder is not None:
                    break
                time.sleep(0.02)
            raise FileLocked(_busy_message(holder))
        # An earlier holder may have deleted the file between our open and lock:
        # then we locked an orphan and must start again on the new file.
        try:
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                return None
        except FileNotFoundError:
            return None
        previous = read_holder(db_path)
        me = Holder(os.getpid(), this_host(), datetime.now().replace(microsecond=0))
        data = me.to_json().encode("utf-8")
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
            os.fsync(fd)
        except OSError:
            # A full disk: the byte lock is held all the same; only the holder's
            # details, shown to a second window, are missing.
            pass
        return cls(db_path, fd, me, previous)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the lock file and drop the byte lock; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        # Delete while still locked, so nobody takes a file that is about to vanish.
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(fd)

    def __enter__(self) -> DataFileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()
