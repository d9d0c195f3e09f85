"""Replacing the data file by a backup (khôi phục), safely."""

from __future__ import annotations

import os
from pathlib import Path

from dvdesk.errors import NotFound
from dvdesk.store.backup import make_backup
from dvdesk.store.errors import NotDvdeskFile
from dvdesk.store.gateway import Store


def restore(db_path: Path, source: Path) -> Path:
    """Replace the data file by a backup; the current file is backed up first.

    Returns the backup made of the current state, so a restore can be undone.
    """
    if not source.is_file():
        raise NotFound(f"Không tìm thấy bản sao lưu “{source}”.")
    # Refuse a file that is not a sound dvdesk file before touching anything.
    with Store.open(source, create=False, read_only=True) as probe:
        if probe.integrity_problems():
            raise NotDvdeskFile(f"Bản sao lưu “{source}” bị hỏng, không khôi phục.")
        safety = None
        if db_path.exists():
            with Store.open(db_path, create=False, migrate=False) as current:
                safety = make_backup(current, reason="truoc-khoi-phuc")
        tmp = db_path.with_suffix(".restore.tmp")
        probe.copy_to(tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db_path)
    return safety or source
