"""Consistent copies of the data file (sao lưu) and restoring them.

Copies use SQLite's online backup API, so they are consistent even while the
file is open. They go to a `backups` folder beside the data file, named with
the time and the reason; rotation keeps the newest `KEEP` of each reason.
Restoring a backup opens stores, so it lives in restoring.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Protocol

from dvdesk.errors import KnownError
from dvdesk.files import (
    FILE_MODE,
    check_output,
    clean_leftovers,
    pid_alive,
    private_dir,
    temporary_name,
)
from dvdesk.store.errors import translate
from dvdesk.store.uri import sqlite_uri


class OpenFile(Protocol):
    """What a backup needs of an open store: the file's path (None in memory)."""

    @property
    def path(self) -> Path | None: ...


KEEP = 20
DAILY = "hang-ngay"
MANUAL = "thu-cong"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _partial_name(target: Path) -> Path:
    """Where a copy is written before it is whole; the pid tells whose copy it is."""
    return temporary_name(target)


# Partial copies of the versions before dvdesk/files.py: `xa-STAMP-REASON.db.PID.tmp`
# (older still: `xa-STAMP-REASON.tmp`), with the `-journal` SQLite keeps beside it.
_OLD_PARTIAL = r"-\d{8}-\d{6}-\d{6}-[^/]+?(?:\.db\.(?P<pid>\d+))?\.tmp(?:-journal|-wal|-shm)?"


def clean_interrupted(db_path: Path) -> None:
    """Delete partial copies a killed dvdesk left in the backups folder (exact names only)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return
    clean_leftovers(folder)
    pattern = re.compile(re.escape(db_path.stem) + _OLD_PARTIAL)
    for path in folder.iterdir():
        m = pattern.fullmatch(path.name)
        if m and not (m["pid"] and pid_alive(int(m["pid"]))):
            with contextlib.suppress(OSError):
                path.unlink()


def copy_file(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of `source` at `target`, private and whole or not at all."""
    tmp = _partial_name(target)
    tmp.unlink(missing_ok=True)
    # Created private first: SQLite keeps the mode of an existing file (and gives it
    # to the -journal it makes beside it).
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.close()
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        # A copy is only ever seen whole: write it under a temporary name, then rename.
        os.replace(tmp, target)
    except BaseException:
        dest.close()
        for leftover in (tmp, Path(f"{tmp}-journal")):  # a failed copy leaves nothing behind
            leftover.unlink(missing_ok=True)
        raise


def make_backup(
    store: OpenFile, reason: str = MANUAL, target: Path | None = None, *, overwrite: bool = False
) -> Path:
    """Copy the open file; returns the backup's path.

    A `target` chosen by the user goes through the output guard (dvdesk/files.py):
    never over a data file, a backup or its side files; another existing file
    only with `overwrite`. The backups folder is private (0700), copies 0600.
    """
    if store.path is None:
        raise KnownError("Dữ liệu trong bộ nhớ, không có tệp để sao lưu.")
    folder = backup_dir(store.path)
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{store.path.stem}-{stamp}-{reason}.db"
        private_dir(folder, own=True)
    else:
        check_output(target, overwrite=overwrite, protect=[store.path])
    try:
        clean_interrupted(store.path)
        # Copy from a second, read-only connection: it sees the last committed
        # state, and the backup API run on the store's own connection inside a
        # write transaction retries forever (the window would hang).
        source = sqlite3.connect(sqlite_uri(store.path, mode="ro"), uri=True)
        try:
            copy_file(source, target)
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        known = translate(exc, target)
        if known is None:
            raise
        raise KnownError(f"Không sao lưu được: {known}") from exc
    rotate(folder, store.path.stem, reason)
    _tighten(folder, store.path.stem)
    return target


def _named_for(stem: str, reason: str | None = None) -> re.Pattern[str]:
    # Exact names only: a glob "xa-*.db" would also take "xa-2.db"'s backups
    # (stem "xa-2") and rotation would delete them.
    tail = re.escape(reason) if reason else "[^/]+"
    return re.compile(rf"{re.escape(stem)}-\d{{8}}-\d{{6}}-\d{{6}}-{tail}\.db")


def _backups_in(folder: Path, stem: str, reason: str | None = None) -> list[Path]:
    if not folder.is_dir():
        return []
    pattern = _named_for(stem, reason)
    return sorted((p for p in folder.iterdir() if pattern.fullmatch(p.name)), reverse=True)


def backups(db_path: Path) -> list[Path]:
    """Backups of this data file, newest first."""
    return _backups_in(backup_dir(db_path), db_path.stem)


def rotate(folder: Path, stem: str, reason: str, keep: int | None = None) -> None:
    """Delete all but the newest `keep` (default: the module's `KEEP`, read at call time)."""
    keep = KEEP if keep is None else keep
    old = _backups_in(folder, stem, reason)[keep:]
    for path in old:
        with contextlib.suppress(OSError):
            path.unlink()


def _tighten(folder: Path, stem: str) -> None:
    """Backups an older version left readable by others (0644) become 0600."""
    if os.name != "posix":
        return
    for path in _backups_in(folder, stem):
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                os.chmod(path, FILE_MODE)


def daily_backup_due(db_path: Path, today: datetime | None = None) -> bool:
    day = (today or datetime.now()).strftime("%Y%m%d")
    return not any(p.name.startswith(f"{db_path.stem}-{day}") for p in backups(db_path))
