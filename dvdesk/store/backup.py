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
from dvdesk.store.errors import translate
from dvdesk.store.lock import pid_alive


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
    return target.with_name(f"{target.name}.{os.getpid()}.tmp")


def _clean_interrupted(folder: Path, stem: str) -> None:
    """Delete partial copies left by a process that was killed mid-copy."""
    for path in folder.glob(f"{stem}-*.tmp"):
        pid = path.name.rsplit(".", 2)[-2] if path.name.count(".") >= 2 else ""
        if not pid.isdigit() or not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def copy_file(source: sqlite3.Connection, target: Path) -> None:
    tmp = _partial_name(target)
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        dest.close()
        tmp.unlink(missing_ok=True)  # a failed copy (disk full) leaves nothing behind
        raise
    dest.close()
    # A copy is only ever seen whole: write it under a temporary name, then rename.
    os.replace(tmp, target)


def make_backup(store: OpenFile, reason: str = MANUAL, target: Path | None = None) -> Path:
    """Copy the open file; returns the backup's path."""
    if store.path is None:
        raise KnownError("Dữ liệu trong bộ nhớ, không có tệp để sao lưu.")
    folder = backup_dir(store.path)
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{store.path.stem}-{stamp}-{reason}.db"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_interrupted(folder, store.path.stem)
        # Copy from a second, read-only connection: it sees the last committed
        # state, and the backup API run on the store's own connection inside a
        # write transaction retries forever (the window would hang).
        source = sqlite3.connect(f"{store.path.resolve().as_uri()}?mode=ro", uri=True)
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


def daily_backup_due(db_path: Path, today: datetime | None = None) -> bool:
    day = (today or datetime.now()).strftime("%Y%m%d")
    return not any(p.name.startswith(f"{db_path.stem}-{day}") for p in backups(db_path))
