"""Backups: consistent copies, rotation, and restore with a safety copy first."""

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.errors import KnownError
from dvdesk.store import backup, restoring
from dvdesk.store.errors import NotDvdeskFile
from dvdesk.store.gateway import Store
from tests import sql

TODAY = date(2026, 11, 26)


def add(store, name):
    m = Member(name, "KDC01", dob=PartialDate(2000, 1, 1))
    store.members.add(m, TODAY)
    return m


def names(path: Path) -> list[str]:
    with Store.open(path, create=False, read_only=True) as store:
        return [r["full_name"] for r in store.members.list()]


def test_backup_is_a_consistent_copy_of_the_open_file(disk_store):
    add(disk_store, "Nguyễn Văn An")
    with disk_store.transaction():  # an open write must not leak into the copy
        sql.execute(disk_store, "UPDATE members SET full_name = 'Chưa lưu'")
        copy = backup.make_backup(disk_store)
        sql.execute(disk_store, "UPDATE members SET full_name = 'Nguyễn Văn An'")
    assert copy.parent == disk_store.path.parent / "backups"
    assert copy.name.startswith("xa-") and copy.name.endswith("-thu-cong.db")
    assert names(copy) == ["Nguyễn Văn An"]
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not list(copy.parent.glob("*.tmp"))


def test_an_in_memory_store_has_nothing_to_back_up(fresh_store):
    with pytest.raises(KnownError, match="trong bộ nhớ"):
        backup.make_backup(fresh_store)


def test_rotation_keeps_the_newest_of_each_reason(disk_store, monkeypatch):
    monkeypatch.setattr(backup, "KEEP", 3)
    made = [backup.make_backup(disk_store) for _ in range(5)]
    other = backup.make_backup(disk_store, reason="hang-ngay")
    kept = backup.backups(disk_store.path)
    assert other in kept
    assert sorted(p for p in kept if p != other) == made[-3:]


def test_rotation_uses_the_module_setting(disk_store, monkeypatch):
    monkeypatch.setattr(backup, "KEEP", 2)
    for _ in range(4):
        backup.make_backup(disk_store)
    assert len(backup.backups(disk_store.path)) == 2


def test_backups_of_a_file_with_a_similar_name_are_left_alone(disk_store, monkeypatch):
    monkeypatch.setattr(backup, "KEEP", 1)
    with Store.open(disk_store.path.with_name("xa-2.db")) as neighbour:
        theirs = [backup.make_backup(neighbour) for _ in range(2)][-1]
    ours = [backup.make_backup(disk_store) for _ in range(3)][-1]
    assert backup.backups(disk_store.path) == [ours]
    assert theirs.exists()


def test_daily_backup_is_due_once_a_day(disk_store):
    day = datetime(2026, 11, 26, 8, 0)
    assert backup.daily_backup_due(disk_store.path, day)
    backup.make_backup(disk_store, reason=backup.DAILY)
    assert not backup.daily_backup_due(disk_store.path, datetime.now())
    assert backup.daily_backup_due(disk_store.path, datetime(2099, 1, 1))


def test_restore_brings_back_exactly_the_backed_up_data_after_a_safety_copy(disk_store):
    path = disk_store.path
    add(disk_store, "Nguyễn Văn An")
    copy = backup.make_backup(disk_store)
    later = add(disk_store, "Trần Thị Bình")
    disk_store.close()
    safety = restoring.restore(path, copy)
    assert names(path) == ["Nguyễn Văn An"]
    assert "truoc-khoi-phuc" in safety.name and names(safety) == ["Nguyễn Văn An", "Trần Thị Bình"]
    with Store.open(path) as store:
        assert sql.scalar(store, "SELECT count(*) FROM members WHERE uid = ?", [later.uid]) == 0
        assert store.integrity_problems() == []
    # and the restore can be undone from the safety copy
    restoring.restore(path, safety)
    assert names(path) == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_restore_onto_a_missing_file_creates_it(tmp_path, disk_store):
    add(disk_store, "Nguyễn Văn An")
    copy = backup.make_backup(disk_store)
    target = tmp_path / "moi" / "xa.db"
    target.parent.mkdir()
    assert restoring.restore(target, copy) == copy
    assert names(target) == ["Nguyễn Văn An"]


@pytest.mark.parametrize("kind", ["text", "other-sqlite", "missing"])
def test_restore_refuses_a_file_that_is_not_a_dvdesk_backup(disk_store, tmp_path, kind):
    add(disk_store, "Nguyễn Văn An")
    path = disk_store.path
    disk_store.close()
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("không phải cơ sở dữ liệu\n" * 20, encoding="utf-8")
    elif kind == "other-sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    original = path.read_bytes()
    with pytest.raises(KnownError):
        restoring.restore(path, bad)
    assert path.read_bytes() == original
    assert backup.backups(path) == []  # refused before any safety copy
    assert names(path) == ["Nguyễn Văn An"]


def test_restore_refuses_a_damaged_backup(disk_store, tmp_path):
    for i in range(300):
        add(disk_store, f"Nguyễn Văn An {chr(0x41 + i % 26)}a".replace(" A", " Ba"))
    copy = backup.make_backup(disk_store)
    data = bytearray(copy.read_bytes())
    # keep the header and the schema page, scribble over a data page
    data[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000
    copy.write_bytes(bytes(data))
    path = disk_store.path
    disk_store.close()
    original = path.read_bytes()
    with pytest.raises(KnownError):
        restoring.restore(path, copy)
    assert path.read_bytes() == original


def test_not_dvdesk_is_a_known_error_subclass():
    assert issubclass(NotDvdeskFile, KnownError)
