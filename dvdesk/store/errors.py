"""Failures of the data file, as a clerk can act on them.

A `KnownError` carries a Vietnamese message that says what to do (close the
other window, free disk space, choose another file). Anything else is a bug:
logged with its traceback and shown as "lỗi chương trình".
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


class KnownError(Exception):
    """A problem the user can understand and fix; `str()` is Vietnamese."""


class FileLocked(KnownError):
    pass


class ReadOnlyFile(KnownError):
    pass


class DiskFull(KnownError):
    pass


class NotDvdeskFile(KnownError):
    pass


class DamagedFile(KnownError):
    pass


class NewerFormat(KnownError):
    pass


class ValidationFailed(KnownError):
    """A record broke an error rule; `report` lists every issue."""

    def __init__(self, report: object, message: str) -> None:
        super().__init__(message)
        self.report = report


class NotFound(KnownError):
    pass


def translate(exc: BaseException, path: Path | str | None) -> KnownError | None:
    """The known problem behind an SQLite or OS error, or None if it is a bug."""
    where = f"“{path}”" if path else "tệp dữ liệu"
    text = str(exc).lower()
    if isinstance(exc, KnownError):
        return exc
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        if "locked" in text or "busy" in text:
            return FileLocked(
                f"Tệp dữ liệu {where} đang được một cửa sổ hoặc chương trình khác ghi. "
                "Hãy đóng cửa sổ đó rồi thử lại."
            )
        if "readonly" in text or "read-only" in text or "read only" in text:
            return ReadOnlyFile(
                f"Tệp dữ liệu {where} chỉ cho phép đọc, không ghi được. "
                "Hãy chép tệp sang thư mục của bạn hoặc bỏ thuộc tính chỉ đọc."
            )
        # Not just "full": "NOT NULL constraint failed: members.full_name" is a bug.
        if "database or disk is full" in text:
            return DiskFull(
                f"Ổ đĩa chứa {where} đã đầy, chưa ghi được gì. "
                "Hãy giải phóng dung lượng rồi thử lại."
            )
        if "not a database" in text or "file is encrypted" in text:
            return NotDvdeskFile(f"{where} không phải là tệp dữ liệu dvdesk.")
        if "malformed" in text or "corrupt" in text:
            return DamagedFile(
                f"Tệp dữ liệu {where} bị hỏng. Hãy khôi phục từ bản sao lưu "
                "(menu Tệp → Khôi phục, hoặc lệnh dvdesk restore)."
            )
        if "unable to open" in text:
            folder = Path(path).parent if path else None
            if folder is not None and folder.is_dir() and not os.access(folder, os.W_OK):
                # A WAL file needs its -shm/-wal beside it even to read: a read-only
                # folder (write-protected USB stick, read-only share) cannot host it.
                return ReadOnlyFile(
                    f"Tệp dữ liệu {where} nằm trong thư mục chỉ cho phép đọc. "
                    "Hãy chép tệp sang thư mục của bạn rồi mở bản chép."
                )
            return KnownError(f"Không mở được {where}: thư mục không tồn tại hoặc không có quyền.")
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(f"Ổ đĩa đã đầy khi ghi {where}. Hãy giải phóng dung lượng.")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyFile(f"Không có quyền ghi {where}.")
        if exc.errno == errno.ENOENT:
            return KnownError(f"Không tìm thấy {where}.")
    return None
