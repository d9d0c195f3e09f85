"""Backups: bounded rotation, exact restores, daily and pre-upgrade copies, no partial files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.store import backup, restoring
from dvdesk.store.gateway import Store
from tests.safety.killing import ENV, contents, run
from tests.safety.test_concurrency import HOLD_WRITE


def test_rotation_keeps_the_newest_of_each_reason(disk_store: Store) -> None:
    keep = 4
    made = [backup.make_backup(disk_store, reason="thu-cong") for _ in range(keep + 3)]
    daily = backup.make_backup(disk_store, reason=backup.DAILY)
    backup.rotate(backup.backup_dir(disk_store.path), disk_store.path.stem, "thu-cong", keep=keep)
    left = backup.backups(disk_store.path)
    assert set(left) == set(made[-keep:]) | {daily}  # other reasons are not rotated away


def test_rotation_is_bounded_by_default(disk_store: Store) -> None:
    for _ in range(backup.KEEP + 2):
        backup.make_backup(disk_store)
    assert len(backup.backups(disk_store.path)) == backup.KEEP


def test_restore_gives_back_exactly_the_backup_and_can_be_undone(disk_store: Store) -> None:
    disk_store.members.add(Member("Nguyễn Văn An", "KDC01", PartialDate(2000, 5, 1)))
    path = disk_store.path
    saved = backup.make_backup(disk_store)
    at_backup = contents(saved)
    disk_store.members.add(Member("Lê Thị Hoa", "KDC01", PartialDate(2001, 6, 2)))
    disk_store.close()
    edited = contents(path)
    assert edited.digest != at_backup.digest

    undo = restoring.restore(path, saved)
    assert contents(path) == at_backup
    assert contents(undo) == edited  # the state before the restore was kept
    restoring.restore(path, undo)
    assert contents(path) == edited


def test_restore_over_a_file_with_a_pending_wal(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "50").returncode == 0
    with Store.open(db) as store:
        saved = backup.make_backup(store)
    at_backup = contents(saved)
    # A killed writer leaves its committed changes in xa.db-wal only.
    killer = (
        "import os, signal, sys\n"
        "from dvdesk.store.gateway import Store\n"
        "s = Store.open(sys.argv[1])\n"
        "with s.transaction():\n"
        "    s._conn.sqlite.execute(\"UPDATE members SET notes = 'sau sao lưu'\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", killer, str(db)], env=ENV, check=False)
    assert Path(f"{db}-wal").stat().st_size > 0
    restoring.restore(db, saved)
    assert contents(db) == at_backup


@pytest.mark.parametrize(
    ("existing", "today", "due"),
    [
        ([], datetime(2026, 11, 26, 8), True),
        (["xa-20261126-070000-000001-hang-ngay.db"], datetime(2026, 11, 26, 23), False),
        (["xa-20261126-070000-000001-thu-cong.db"], datetime(2026, 11, 26, 8), False),
        (["xa-20261125-235959-999999-hang-ngay.db"], datetime(2026, 11, 26, 0), True),
        (["khac-20261126-070000-000001-hang-ngay.db"], datetime(2026, 11, 26, 8), True),
    ],
)
def test_daily_backup_due(tmp_path: Path, existing: list[str], today: datetime, due: bool) -> None:
    folder = backup.backup_dir(tmp_path / "xa.db")
    folder.mkdir()
    for name in existing:
        (folder / name).write_bytes(b"")
    assert backup.daily_backup_due(tmp_path / "xa.db", today) is due


def test_backup_during_another_process_write_is_the_last_commit(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "80").returncode == 0
    before = contents(db)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(db), "30"],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        out = tmp_path / "copy.db"
        result = run("backup", "--db", db, "--out", out)
        assert result.returncode == 0, result.stderr
        assert contents(out) == before
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def test_partial_copies_of_dead_processes_are_cleaned(disk_store: Store) -> None:
    folder = backup.backup_dir(disk_store.path)
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f"xa-20260101-000000-000000-thu-cong.db.{dead.pid}.tmp"
    legacy = folder / "xa-20260101-000000-000000-thu-cong.tmp"
    live = folder / f"xa-20260101-000000-000001-thu-cong.db.{os.getppid()}.tmp"
    for path in (stale, legacy, live):
        path.write_bytes(b"half a copy")
    backup.make_backup(disk_store)
    assert not stale.exists() and not legacy.exists()
    assert live.exists()  # another running process may still be writing it


def test_restore_is_refused_while_a_window_holds_the_file(tmp_path: Path) -> None:
    from tests.store.test_lock import HOLD

    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "30").returncode == 0
    with Store.open(db) as store:
        saved = backup.make_backup(store)
    before = db.read_bytes()
    window = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "held"
        result = run("restore", "--db", db, saved)
        assert result.returncode == 1
        assert "đang được mở ở một cửa sổ khác" in result.stderr
        assert db.read_bytes() == before
    finally:
        window.kill()
        window.wait()
        window.stdout.close()
    assert run("restore", "--db", db, saved).returncode == 0  # free once the window closed
