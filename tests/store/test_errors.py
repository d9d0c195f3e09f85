"""SQLite failures become the known problem they are, told apart by result code.

Each case provokes the real error where it can (a full file, a read-only
connection, a lock held by another connection, garbage, a dropped table) and
checks the Vietnamese `KnownError` the user sees; the rest inject an error
carrying SQLite's code into a read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.errors import KnownError
from dvdesk.store.errors import (
    DamagedFile,
    DiskError,
    DiskFull,
    FileLocked,
    NotDvdeskFile,
    ReadOnlyFile,
    primary_code,
    translate,
)
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from tests import sql


def _people(n: int) -> list[Member]:
    letters = "ABCDEGHKLMNPQRSTUVXY"
    names = (f"Nguyễn {letters[i % 20]}{letters[i // 20 % 20].lower()}" for i in range(n))
    return [Member(name, "KDC01", PartialDate(2000, 1, 1 + i % 28)) for i, name in enumerate(names)]


def coded(code: int, text: str = "lỗi") -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    exc.sqlite_errorname = "SQLITE_TEST"  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (sqlite3.SQLITE_BUSY, FileLocked),
        (sqlite3.SQLITE_BUSY_SNAPSHOT, FileLocked),
        (sqlite3.SQLITE_LOCKED, FileLocked),
        (sqlite3.SQLITE_READONLY, ReadOnlyFile),
        (sqlite3.SQLITE_READONLY_DBMOVED, ReadOnlyFile),
        (sqlite3.SQLITE_PERM, ReadOnlyFile),
        (sqlite3.SQLITE_FULL, DiskFull),
        (sqlite3.SQLITE_IOERR, DiskError),
        (sqlite3.SQLITE_IOERR_READ, DiskError),
        (sqlite3.SQLITE_IOERR_SHORT_READ, DiskError),
        (sqlite3.SQLITE_CORRUPT, DamagedFile),
        (sqlite3.SQLITE_NOTADB, NotDvdeskFile),
        (sqlite3.SQLITE_CANTOPEN, KnownError),
        (sqlite3.SQLITE_ERROR, None),  # a generic error on a sound schema is a bug
        (sqlite3.SQLITE_CONSTRAINT, None),
        (sqlite3.SQLITE_MISMATCH, None),
    ],
)
def test_translation_by_code(code: int, kind: type[KnownError] | None) -> None:
    # The message says "locked" on purpose: the text must not decide.
    known = translate(coded(code, "database is locked"), "xa.db")
    if kind is None:
        assert known is None
    else:
        assert type(known) is kind if kind is not KnownError else isinstance(known, KnownError)
        assert "xa.db" in str(known)


def test_primary_code_is_the_low_byte() -> None:
    assert primary_code(coded(sqlite3.SQLITE_IOERR_WRITE)) == sqlite3.SQLITE_IOERR
    assert primary_code(ValueError()) is None


def test_io_error_is_a_known_disk_problem_not_a_bug() -> None:
    known = translate(coded(sqlite3.SQLITE_IOERR_WRITE, "disk I/O error"), "xa.db")
    assert isinstance(known, DiskError)
    assert "lỗi đọc/ghi ổ đĩa" in str(known).lower()


def test_a_full_file_is_disk_full(fresh_store: Store) -> None:
    pages = sql.scalar(fresh_store, "PRAGMA page_count")
    sql.execute(fresh_store, f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(DiskFull, match="đầy") as caught:
        fresh_store.members.add_many(_people(2000))
    assert primary_code(caught.value.__cause__) == sqlite3.SQLITE_FULL
    sql.execute(fresh_store, "PRAGMA max_page_count = 1073741823")
    assert fresh_store.members.count() == 0  # all or nothing


def test_writing_a_read_only_open_file_is_read_only(disk_store: Store) -> None:
    path = disk_store.path
    assert path is not None
    disk_store.close()
    with Store.open(path, create=False, read_only=True) as store, pytest.raises(ReadOnlyFile):
        store.members.add(_people(1)[0])


def test_a_file_locked_by_another_connection(disk_store: Store) -> None:
    assert disk_store.path is not None
    other = sqlite3.connect(disk_store.path)
    other.execute("BEGIN IMMEDIATE")  # another window holds the write lock
    try:
        disk_store._conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(FileLocked, match="đang được"):
            disk_store.members.add(_people(1)[0])
        with pytest.raises(FileLocked, match="đang được"):
            disk_store.settings.save(replace(disk_store.settings.get(), commune_name="Xã Mới"))
    finally:
        other.rollback()
        other.close()


def test_garbage_after_a_sqlite_header(tmp_path: Path) -> None:
    path = tmp_path / "rac.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    with pytest.raises((NotDvdeskFile, DamagedFile)):
        Store.open(path, create=False)


def test_a_missing_table_is_a_damaged_file_not_a_lock(disk_store: Store) -> None:
    sql.execute(disk_store, "DROP TABLE holidays")
    with pytest.raises(DamagedFile, match="bị hỏng"):
        disk_store.holidays.get()


def test_a_programming_error_stays_a_bug(fresh_store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError):
        fresh_store._conn.rows("SELECT no_such_column FROM members")


class _FailingReads:
    """A connection whose reads fail as a dying disk makes them fail."""

    def __init__(self, real: sqlite3.Connection, error: sqlite3.Error) -> None:
        self._real, self._error = real, error

    def execute(self, sql_text: str, params: object = ()) -> sqlite3.Cursor:
        if sql_text.lstrip().upper().startswith("SELECT"):
            raise self._error
        return self._real.execute(sql_text, params)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (sqlite3.SQLITE_IOERR_READ, DiskError, "ổ đĩa"),
        (sqlite3.SQLITE_BUSY, FileLocked, "đang được"),
        (sqlite3.SQLITE_CORRUPT, DamagedFile, "bị hỏng"),
    ],
)
def test_an_error_injected_into_a_read_is_a_vietnamese_known_error(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch, code: int, kind: type, words: str
) -> None:
    conn = fresh_store._conn
    monkeypatch.setattr(conn, "_raw", _FailingReads(conn.sqlite, coded(code, "disk I/O error")))
    reads = (
        lambda: fresh_store.members.ids(MemberQuery(search="an")),
        lambda: fresh_store.members.count(),
        lambda: fresh_store.settings.get(),
        lambda: fresh_store.units.all(),
        lambda: fresh_store.audit.history("x"),
        lambda: fresh_store.statistics.compute(),
        lambda: fresh_store.received.all(),
    )
    for read in reads:
        with pytest.raises(kind, match=words) as caught:
            read()
        assert isinstance(caught.value, KnownError)
        assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
