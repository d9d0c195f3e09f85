"""Failures of the data file, as a clerk can act on them.

SQLite errors are told apart by their result code (`sqlite_errorcode`, the
primary code is its low byte), never by their message text. Each data-file
error is a `dvdesk.errors.KnownError`; the program-wide kinds (`NotFound`,
`BadInput`, `ValidationFailed`, …) are re-exported here for older imports.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from dvdesk.errors import (
    BadInput,
    KnownError,
    NotFound,
    OutputRefused,
    Refused,
    ValidationFailed,
)

__all__ = [
    "BadInput",
    "DamagedFile",
    "DiskError",
    "DiskFull",
    "FileLocked",
    "KnownError",
    "NewerFormat",
    "NotDvdeskFile",
    "NotFound",
    "OutputRefused",
    "ReadOnlyFile",
    "Refused",
    "ValidationFailed",
    "primary_code",
    "translate",
]


class FileLocked(KnownError):
    pass


class ReadOnlyFile(KnownError):
    pass


class DiskFull(KnownError):
    pass


class DiskError(KnownError):
    """The disk failed to read or write (SQLITE_IOERR): a failing drive, a pulled USB stick."""


class NotDvdeskFile(KnownError):
    pass


class DamagedFile(KnownError):
    pass


class NewerFormat(KnownError):
    pass


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of `exc` (extended code & 0xFF), or None."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def translate(
    exc: BaseException,
    path: Path | str | None,
    schema_damaged: Callable[[], bool] | None = None,
) -> KnownError | None:
    """The known problem behind an SQLite or OS error, or None if it is a bug.

    `schema_damaged` answers, for a generic SQLITE_ERROR, whether the open file
    lacks tables it must have (a damaged or foreign file); without it, or when
    the schema is whole, a generic SQLite error is a bug in the program.
    """
    if isinstance(exc, KnownError):
        return exc
    where = f"“{path}”" if path else "tệp dữ liệu"
    if isinstance(exc, sqlite3.Error):
        return _by_code(exc, where, path, schema_damaged)
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(f"Ổ đĩa đã đầy khi ghi {where}. Hãy giải phóng dung lượng.")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyFile(f"Không có quyền ghi {where}.")
        if exc.errno == errno.ENOENT:
            return NotFound(f"Không tìm thấy {where}.")
        if exc.errno == errno.EIO:
            return DiskError(_disk_error(where))
    return None


def _disk_error(where: str) -> str:
    return (
        f"Lỗi đọc/ghi ổ đĩa khi dùng {where}. Hãy kiểm tra ổ đĩa hoặc thẻ nhớ USB "
        "(còn cắm, không hỏng), rồi mở lại tệp."
    )


def _by_code(
    exc: sqlite3.Error,
    where: str,
    path: Path | str | None,
    schema_damaged: Callable[[], bool] | None,
) -> KnownError | None:
    code = primary_code(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return FileLocked(
            f"Tệp dữ liệu {where} đang được một cửa sổ hoặc chương trình khác ghi. "
            "Hãy đóng cửa sổ đó rồi thử lại."
        )
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyFile(
            f"Tệp dữ liệu {where} chỉ cho phép đọc, không ghi được. "
            "Hãy chép tệp sang thư mục của bạn hoặc bỏ thuộc tính chỉ đọc."
        )
    if code == sqlite3.SQLITE_PERM:
        return ReadOnlyFile(f"Không có quyền ghi {where}.")
    if code == sqlite3.SQLITE_FULL:
        return DiskFull(
            f"Ổ đĩa chứa {where} đã đầy, chưa ghi được gì. Hãy giải phóng dung lượng rồi thử lại."
        )
    if code == sqlite3.SQLITE_IOERR:
        # SQLite reports a full disk while it makes the -shm/-wal of a WAL file as an
        # I/O error (SQLITE_IOERR_SHMSIZE, _WRITE, _TRUNCATE): tell it by the free space.
        if _nearly_full(path):
            return DiskFull(
                f"Ổ đĩa chứa {where} đã đầy, chưa đọc hay ghi được gì. Hãy giải phóng "
                "dung lượng rồi thử lại."
            )
        return DiskError(_disk_error(where))
    if code == sqlite3.SQLITE_NOTADB:
        return NotDvdeskFile(f"{where} không phải là tệp dữ liệu dvdesk.")
    if code == sqlite3.SQLITE_CORRUPT:
        return DamagedFile(_damaged(where))
    if code == sqlite3.SQLITE_CANTOPEN:
        folder = Path(path).parent if path else None
        if folder is not None and folder.is_dir() and not os.access(folder, os.W_OK):
            # A WAL file needs its -shm/-wal beside it even to read: a read-only
            # folder (write-protected USB stick, read-only share) cannot host it.
            return ReadOnlyFile(
                f"Tệp dữ liệu {where} nằm trong thư mục chỉ cho phép đọc. "
                "Hãy chép tệp sang thư mục của bạn rồi mở bản chép."
            )
        return KnownError(f"Không mở được {where}: thư mục không tồn tại hoặc không có quyền.")
    if code == sqlite3.SQLITE_ERROR and schema_damaged is not None and schema_damaged():
        return DamagedFile(_damaged(where))
    return None


FULL_BELOW = 1024 * 1024  # bytes free under which an I/O error is taken for a full disk


def _nearly_full(path: Path | str | None) -> bool:
    if not path:
        return False
    try:
        return shutil.disk_usage(Path(path).parent).free < FULL_BELOW
    except OSError:
        return False


def _damaged(where: str) -> str:
    return (
        f"Tệp dữ liệu {where} bị hỏng. Hãy khôi phục từ bản sao lưu "
        "(menu Tệp → Khôi phục, hoặc lệnh dvdesk restore)."
    )
