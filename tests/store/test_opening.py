"""Opening data files: format checks, migrations after a backup, and files dvdesk must refuse."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from dvdesk.errors import KnownError, NotFound
from dvdesk.store import backup, schema
from dvdesk.store.errors import FileLocked, NewerFormat, NotDvdeskFile, ReadOnlyFile, translate
from dvdesk.store.gateway import Store
from tests import sql

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dvdesk-v1.0.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the shape of a current file --------------------------------------------------------


@pytest.mark.parametrize("kind", ["fresh_store", "disk_store"])
def test_tables_are_strict_and_foreign_keys_on(request, kind):
    store = request.getfixturevalue(kind)
    tables = sql.rows(store, "PRAGMA table_list")
    ours = {
        t["name"]: t["strict"]
        for t in tables
        if t["schema"] == "main"
        and t["type"] == "table"
        and not t["name"].startswith(("sqlite_", "members_fts", "_sqlite_migrations"))
    }
    assert set(ours) == {
        "settings",
        "units",
        "members",
        "steps",
        "audit",
        "holidays",
        "transfers",
        "received_packages",
        "received_audit",
        "party_totals",
        "received_party_totals",
        "dossiers",
        "introducers",
        "votes",
        "dossier_exceptions",
        "unit_positions",
        "signing_key",
        "commune_keys",
        "transfers_in",
    }
    assert all(ours.values()), ours
    assert sql.scalar(store, "PRAGMA foreign_keys") == 1
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        sql.execute(
            store,
            "INSERT INTO steps (member_id, code, state, updated_at) "
            "VALUES (999, 'source', 'done', 'x')",
        )
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: no text in an integer column
        sql.execute(
            store, "INSERT INTO units (id, code, name, kind) VALUES ('x', 'A', 'B', 'school')"
        )


def test_disk_files_use_wal_and_carry_the_dvdesk_marks(disk_store):
    assert sql.scalar(disk_store, "PRAGMA journal_mode") == "wal"
    assert sql.scalar(disk_store, "PRAGMA application_id") == schema.APPLICATION_ID
    assert disk_store.format_version() == (schema.FORMAT_MAJOR, schema.FORMAT_MINOR)
    assert disk_store.pending_migrations() == []
    assert disk_store.integrity_problems() == []


def test_open_without_create_needs_the_file(tmp_path):
    with pytest.raises(NotFound, match="Không tìm thấy tệp dữ liệu"):
        Store.open(tmp_path / "none.db", create=False)
    assert listing(tmp_path) == []


def test_a_folder_is_not_a_data_file(tmp_path):
    with pytest.raises(NotDvdeskFile, match="thư mục"):
        Store.open(tmp_path)


def test_missing_folder_is_a_known_error(tmp_path):
    with pytest.raises(KnownError, match="Không mở được"):
        Store.open(tmp_path / "no" / "such" / "xa.db")


# -- migrations -------------------------------------------------------------------------


def test_fixture_is_format_1_0():
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1000
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 5
    finally:
        conn.close()


# Columns dvdesk derives and a migration may recompute (the roster key, the
# eligibility days, the unit kind kept on a step): what was entered must not change.
DERIVED = {"name_sort", "elig_from_a", "over_from_a", "elig_from_b", "over_from_b", "unit_kind"}


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        out = {}
        for t in ("settings", "units", "members", "steps", "audit"):
            names = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            kept = ", ".join(n for n in names if n not in DERIVED)
            out[t] = conn.execute(f"SELECT {kept} FROM {t} ORDER BY rowid").fetchall()
        return out
    finally:
        conn.close()


def test_an_older_file_is_backed_up_then_migrated_with_nothing_lost(tmp_path):
    path = tmp_path / "xa.db"
    shutil.copy(FIXTURE, path)
    before = _dump(path)
    with Store.open(path) as store:
        assert store.format_version() == (schema.FORMAT_MAJOR, schema.FORMAT_MINOR)
        assert store.pending_migrations() == []
        assert sql.scalar(store, "SELECT count(*) FROM holidays") == 0  # the 1.1 tables exist
        names = [r["full_name"] for r in store.members.list()]
        assert names == ["Phạm Ngọc An", "Lê Anh", "Trần Thị Ánh", "Nguyễn Văn Đức"]
        assert (
            store.steps.of("00000000-0000-4000-8000-000000000001")["source"].doc_number
            == "12-NQ/ĐTN"
        )
    after = _dump(path)
    # Later formats add member columns (1.3: dossier_issues) after the old ones.
    width = len(before["members"][0])
    assert [row[:width] for row in after["members"]] == before["members"]
    assert after["steps"] == before["steps"]
    assert after["units"] == before["units"] and after["settings"] == before["settings"]
    assert after["audit"] == before["audit"]
    [copy] = backup.backups(path)
    assert "truoc-nang-cap" in copy.name
    assert _dump(copy) == before
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1000
    conn.close()


def test_a_failed_migration_leaves_the_older_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "xa.db"
    shutil.copy(FIXTURE, path)
    before = _dump(path)

    def broken(db):
        # A real SQLITE_FULL: the file may not grow past its current size.
        db.execute("CREATE TABLE half_done (x BLOB) STRICT")
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        db.execute("INSERT INTO half_done VALUES (zeroblob(1000000))")

    step = next(m for m in schema.migrations._migrations if m.name == "1.1_holidays_transfers")
    monkeypatch.setattr(step, "fn", broken)
    with pytest.raises(KnownError, match="đầy"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1000
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "half_done" not in tables and "holidays" not in tables
    assert _dump(path) == before


def _newer_file(path: Path) -> None:
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2000")
    conn.commit()
    conn.close()


def test_a_newer_major_is_refused_and_left_byte_identical(tmp_path):
    path = tmp_path / "xa.db"
    _newer_file(path)
    original = digest(path)
    with pytest.raises(NewerFormat, match=r"phiên bản dvdesk mới hơn .*2\.0"):
        Store.open(path)
    assert digest(path) == original
    assert listing(tmp_path) == ["xa.db"]  # no -wal, -shm or backups left behind


def test_a_newer_minor_opens(tmp_path):
    path = tmp_path / "xa.db"
    with Store.open(path) as store:
        sql.execute(store, f"PRAGMA user_version = {schema.encode_version(1, 99)}")
    with Store.open(path) as store:
        assert store.format_version() == (1, 99)


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "khac.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('x')")
    conn.commit()
    conn.close()
    original = digest(path)
    with pytest.raises(NotDvdeskFile, match="không phải tệp dữ liệu dvdesk"):
        Store.open(path)
    assert digest(path) == original
    assert listing(tmp_path) == ["khac.db"]


@pytest.mark.parametrize(
    "content",
    [
        b"Ho va ten,Ngay sinh\nNguyen Van A,01/01/2000\n" * 50,
        b"x",  # shorter than a header: SQLite alone would format it as a new database
        b"\x00" * 4096,
    ],
)
def test_a_text_or_junk_file_named_db_is_refused(tmp_path, content):
    path = tmp_path / "danh-sach.db"
    path.write_bytes(content)
    with pytest.raises(NotDvdeskFile, match="không phải là tệp dữ liệu dvdesk"):
        Store.open(path)
    assert path.read_bytes() == content


# -- files another program holds, or that cannot be written ------------------------------


def _make_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits; the immutable attribute still refuses writes
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("chattr +i is not available here")
    else:
        path.chmod(0o444)


def _undo_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        path.chmod(0o644)


def test_a_read_only_file_opens_for_reading_and_refuses_writes_clearly(tmp_path):
    path = tmp_path / "xa.db"
    with Store.open(path) as store:
        store.settings.save(store.settings.get())
    from dvdesk.domain.member import Unit, UnitKind

    _make_read_only(path)
    try:
        with Store.open(path) as store:
            assert store.units.all() == []
            with pytest.raises(ReadOnlyFile, match="chỉ cho phép đọc"):
                store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
    finally:
        _undo_read_only(path)


def test_a_read_only_older_file_is_a_known_error(tmp_path):
    path = tmp_path / "xa.db"
    shutil.copy(FIXTURE, path)
    _make_read_only(path)
    try:
        with pytest.raises(ReadOnlyFile):
            Store.open(path)
    finally:
        _undo_read_only(path)
    assert _dump(path) == _dump(FIXTURE)


def test_a_file_locked_by_another_writer_is_a_known_error(tmp_path):
    from dvdesk.domain.member import Unit, UnitKind

    path = tmp_path / "xa.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window is in the middle of a save
    try:
        with Store.open(path, timeout=0.1) as store:
            with pytest.raises(FileLocked, match="đang được một cửa sổ hoặc chương trình khác"):
                store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
            assert store.units.all() == []
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_file_locked_exclusively_cannot_even_be_opened(tmp_path):
    path = tmp_path / "xa.db"
    shutil.copy(FIXTURE, path)  # rollback-journal mode: an exclusive lock blocks readers
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(FileLocked):
            Store.open(path, timeout=0.1)
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        # Told by code, not text (tests/store/test_errors.py): a message alone is a bug.
        (sqlite3.OperationalError("database is locked"), None),
        (OSError(28, "No space left on device"), KnownError),
        (PermissionError(13, "Permission denied"), ReadOnlyFile),
        (sqlite3.IntegrityError("NOT NULL constraint failed: members.full_name"), None),
        (ValueError("bug"), None),
    ],
)
def test_translate(exc, kind):
    known = translate(exc, "xa.db")
    if kind is None:
        assert known is None
    else:
        assert isinstance(known, kind) and "xa.db" in str(known)
