"""Every file dvdesk writes (tệp kết quả): checked first, private, replaced atomically.

One policy for PDFs, spreadsheets, CSVs, packages, backups and transfer letters:

- The output path is checked before a byte is written. It is never a data file
  that is open (passed as `protect`), its -wal/-shm/-journal or lock file, nor
  any existing dvdesk data file (a backup included): those are recognised by
  the SQLite header and dvdesk's application id, whatever the file is called.
- An existing file is replaced only when the caller says the user agreed
  (`overwrite=True`: the window's save dialog asked, or the CLI's `--overwrite`).
- The content goes to a temporary file beside the target (created 0600),
  which is flushed to disk and then renamed over the target; a failure
  (full disk, kill) never leaves a partial file under the real name, and the
  exact temporary names let a later run delete what a killed one left.
- Folders dvdesk creates for its own files are 0700, files 0600 (POSIX); on
  Windows the per-user folders are already private.

This module knows nothing of members or SQLite connections: store, exchange
and reports all use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from dvdesk.errors import KnownError, OutputRefused

SQLITE_HEADER = b"SQLite format 3\x00"
# The same value as dvdesk.store.schema.APPLICATION_ID (a test keeps them equal):
# this module sits below the store and reads the header bytes itself.
APPLICATION_ID = 0x64766B31
_APP_ID_OFFSET = 68
SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
FILE_MODE = 0o600
DIR_MODE = 0o700
_TMP_TAG = "dvdesk"
# `.NAME.dvdesk-PID.tmp`, plus the journal SQLite may leave beside it.
_LEFTOVER = re.compile(rf"\.(?P<name>.+)\.{_TMP_TAG}-(?P<pid>\d+)\.tmp(?:-journal|-wal|-shm)?")


__all__ = ["OutputRefused", "atomic_output", "check_output", "write_private"]


def private_umask() -> None:
    """Make every file and folder this process creates private to its user (POSIX)."""
    if os.name == "posix":
        os.umask(0o077)


def private_dir(path: Path, *, own: bool = False) -> Path:
    """Create `path` (and parents) as 0700.

    `own=True` is for dvdesk's own folders (backups): an existing one made
    readable by an older version is tightened too. A folder the user chose
    (the Desktop) is never changed.
    """
    existed = path.is_dir()
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if os.name == "posix" and (own or not existed):
            os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise os_problem(exc, path) from exc
    return path


def is_sqlite_file(path: Path) -> bool:
    return _head(path)[: len(SQLITE_HEADER)] == SQLITE_HEADER


def is_dvdesk_file(path: Path) -> bool:
    """True for a dvdesk data file or backup: SQLite's header and dvdesk's application id."""
    head = _head(path)
    return (
        head[: len(SQLITE_HEADER)] == SQLITE_HEADER
        and int.from_bytes(head[_APP_ID_OFFSET : _APP_ID_OFFSET + 4], "big") == APPLICATION_ID
    )


def _head(path: Path) -> bytes:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return b""  # never open a pipe or a device: reading it could block forever
        with open(path, "rb") as f:
            return f.read(_APP_ID_OFFSET + 4)
    except OSError:
        return b""


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _side_of(path: Path) -> Path | None:
    """`xa.db-wal` → `xa.db`; None for a name without a side-file suffix."""
    for suffix in SIDE_SUFFIXES:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            return path.with_name(path.name[: -len(suffix)])
    return None


def check_output(
    path: str | Path, *, overwrite: bool = False, protect: Iterable[Path | None] = ()
) -> Path:
    """The output path if dvdesk may write there; `OutputRefused` (Vietnamese) if not."""
    out = Path(path)
    shown = f"“{out}”"
    if out.is_dir():
        raise OutputRefused(f"{shown} là một thư mục; hãy chọn tên tệp để lưu.")
    if not out.parent.is_dir():
        raise OutputRefused(f"Không có thư mục “{out.parent}” để lưu {shown}.")
    base = _side_of(out)
    for data_file in protect:
        if data_file is None:
            continue
        if _same(out, data_file) or (base is not None and _same(base, data_file)):
            raise OutputRefused(
                f"{shown} là tệp dữ liệu đang mở (hoặc tệp đi kèm của nó); không ghi đè. "
                "Hãy chọn tên tệp khác."
            )
    if base is not None and is_sqlite_file(base):
        raise OutputRefused(
            f"{shown} là tệp đi kèm của tệp dữ liệu “{base.name}”; không ghi đè. "
            "Hãy chọn tên tệp khác."
        )
    if out.exists() or out.is_symlink():
        if is_dvdesk_file(out):
            raise OutputRefused(
                f"{shown} là một tệp dữ liệu dvdesk (hoặc bản sao lưu); không bao giờ ghi đè "
                "lên nó. Hãy chọn tên tệp khác."
            )
        try:
            regular = stat.S_ISREG(out.stat().st_mode)
        except OSError:
            regular = False  # a dangling link: nothing of the user's behind it
        if out.exists() and not regular:
            raise OutputRefused(f"{shown} không phải là tệp thường; hãy chọn tên tệp khác.")
        if not overwrite:
            raise OutputRefused(
                f"Tệp {shown} đã có; chưa ghi đè. Hãy chọn tên khác, hoặc xác nhận ghi đè "
                "(dòng lệnh: thêm --overwrite)."
            )
    return out


def temporary_name(out: Path) -> Path:
    """Where `out` is written before it is whole; the pid tells whose it is."""
    return out.with_name(f".{out.name}.{_TMP_TAG}-{os.getpid()}.tmp")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def clean_leftovers(folder: Path, name: str | None = None) -> list[Path]:
    """Delete temporary files a killed dvdesk left in `folder` (only for `name` if given).

    Exact names only (`.NAME.dvdesk-PID.tmp` and its SQLite journal), and only
    when that process is gone. Returns what was deleted.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        m = _LEFTOVER.fullmatch(path.name)
        if m is None or (name is not None and m["name"] != name):
            continue
        pid = int(m["pid"])
        if pid != os.getpid() and pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, overwrite: bool = False, protect: Iterable[Path | None] = ()
) -> Iterator[Path]:
    """Check `path`, then yield a private temporary path to write the whole content to.

    When the block ends without error the temporary file is flushed to disk
    and renamed over `path`; on any error (or a kill) it is deleted and `path`
    is left as it was. OS failures become `KnownError` (disk full, no right).
    """
    protect = tuple(protect)
    out = check_output(path, overwrite=overwrite, protect=protect)
    clean_leftovers(out.parent, out.name)
    tmp = temporary_name(out)
    try:
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except OSError as exc:
        raise os_problem(exc, out) from exc
    try:
        yield tmp
        _fsync_file(tmp)
        if os.name == "posix":
            os.chmod(tmp, FILE_MODE)  # a writer that re-created the file keeps it private
        # Looked at again just before the rename: the target may have appeared meanwhile.
        check_output(out, overwrite=overwrite, protect=protect)
        try:
            os.replace(tmp, out)
        except PermissionError as exc:
            # Windows refuses to replace a file another program holds open (a PDF
            # in its viewer, a sheet in Excel): WinError 5 or 32.
            raise KnownError(
                f"Không ghi đè được “{out}”: tệp đang mở trong chương trình khác (trình xem "
                "PDF, Excel) hoặc chỉ cho phép đọc. Hãy đóng tệp trong chương trình đó rồi "
                "làm lại, hoặc lưu với tên khác."
            ) from exc
        _fsync_dir(out.parent)
    except OSError as exc:
        raise os_problem(exc, out) from exc
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-journal", "-wal", "-shm"))):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_private(
    path: str | Path,
    data: bytes | Iterable[bytes],
    *,
    overwrite: bool = False,
    protect: Iterable[Path | None] = (),
) -> Path:
    """Write `data` (bytes or chunks) to `path` under the policy above; returns the path."""
    with atomic_output(path, overwrite=overwrite, protect=protect) as tmp:
        try:
            with open(tmp, "wb") as f:
                if isinstance(data, bytes | bytearray):
                    f.write(data)
                else:
                    for chunk in data:
                        f.write(chunk)
        except OSError as exc:
            raise os_problem(exc, Path(path)) from exc
    return Path(path)


def os_problem(exc: OSError, path: Path) -> KnownError:
    """A Vietnamese message for an OS failure while writing `path`."""
    shown = f"“{path}”"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return KnownError(
            f"Ổ đĩa đã đầy khi ghi {shown}; chưa ghi được tệp. Hãy giải phóng dung lượng "
            "rồi thử lại."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return KnownError(f"Không có quyền ghi {shown}; hãy chọn thư mục khác.")
    if exc.errno == errno.ENOENT:
        return KnownError(f"Không có thư mục để lưu {shown}.")
    if exc.errno == errno.ENAMETOOLONG:
        return KnownError(f"Tên tệp {shown} quá dài; hãy chọn tên ngắn hơn.")
    return KnownError(f"Không ghi được {shown} ({exc.strerror or exc}).")
