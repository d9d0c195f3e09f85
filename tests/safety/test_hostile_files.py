"""Malformed or hostile data files: one clear Vietnamese line, exit 1, the file untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.store import backup
from dvdesk.store.gateway import Store
from tests.safety.killing import run
from tests.safety.mounts import remount_read_only, tmpfs

VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "xa.db"
    assert run("demo", "--db", path, "--members", "300").returncode == 0
    return path


def other_sqlite(path: Path, good: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE khach_hang (ten TEXT)")
        conn.execute("INSERT INTO khach_hang VALUES ('x')")
    conn.close()


def text_renamed(path: Path, good: Path) -> None:
    path.write_text("Danh sách đoàn viên\nNguyễn Văn An,2008\n", encoding="utf-8")


def binary_garbage(path: Path, good: Path) -> None:
    path.write_bytes(bytes(range(256)) * 256)


def truncated(size: int) -> Callable[[Path, Path], None]:
    def make(path: Path, good: Path) -> None:
        path.write_bytes(good.read_bytes()[:size])

    make.__name__ = f"truncated_at_{size}"
    return make


def page_overwritten(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    data[8192:16384] = b"\xde\xad\xbe\xef" * 2048  # the third page: a table's b-tree
    path.write_bytes(bytes(data))


def newer_format(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 2000")
    conn.close()


HOSTILE = {
    "other_sqlite": (other_sqlite, "không phải tệp dữ liệu dvdesk"),
    "text_renamed": (text_renamed, "không phải là tệp dữ liệu dvdesk"),
    "binary_garbage": (binary_garbage, "không phải là tệp dữ liệu dvdesk"),
    "truncated_header": (truncated(60), "bị hỏng"),
    "truncated_page": (truncated(4096 + 100), "bị hỏng"),
    "truncated_half": (truncated(200_000), "bị hỏng"),
    "page_overwritten": (page_overwritten, "bị hỏng"),
    "newer_format": (newer_format, "phiên bản dvdesk mới hơn"),
}
COMMANDS = {
    "list": ["list", "--json"],
    "check": ["check"],
    "backup": ["backup"],
    "demo": ["demo", "--members", "5"],
    "print": ["print", "eligible", "--out", "{out}"],
}


def assert_one_clear_line(err: str, expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dvdesk: ") and expected in lines[0]
    assert VIETNAMESE & set(lines[0].lower())
    assert "Traceback" not in err


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_file_is_refused_clearly_and_left_byte_identical(
    tmp_path: Path, good_db: Path, kind: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = HOSTILE[kind]
    db = tmp_path / "xa.db"
    make(db, good_db)
    before = digest(db)
    out = tmp_path / "in.pdf"
    argv = [a.replace("{out}", str(out)) for a in COMMANDS[command]]
    code = main([argv[0], "--db", str(db), *argv[1:]])
    assert code == 1
    assert_one_clear_line(capsys.readouterr().err, expected)
    assert digest(db) == before
    assert not out.exists()
    assert not backup.backups(db)  # nothing half-copied either


@pytest.mark.parametrize("kind", ["other_sqlite", "truncated_half", "page_overwritten"])
def test_restore_refuses_a_hostile_backup_and_keeps_the_data(
    tmp_path: Path, good_db: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "xa.db"
    shutil.copy(good_db, db)
    hostile = tmp_path / "sao-luu.db"
    HOSTILE[kind][0](hostile, good_db)
    before, hostile_before = digest(db), digest(hostile)
    assert main(["restore", "--db", str(db), str(hostile)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "")
    assert (digest(db), digest(hostile)) == (before, hostile_before)


def test_a_real_process_gives_the_same_single_line(tmp_path: Path, good_db: Path) -> None:
    db = tmp_path / "xa.db"
    page_overwritten(db, good_db)
    before = digest(db)
    result = run("list", "--db", db)
    assert result.returncode == 1 and result.stdout == ""
    assert_one_clear_line(result.stderr, "bị hỏng")
    assert digest(db) == before


def test_full_disk_refuses_the_write_and_keeps_the_file(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kb=1024) as disk:
        db = disk / "xa.db"
        Store.open(db).close()
        before = digest(db)
        result = run("demo", "--db", db, "--members", "3000")
        assert result.returncode == 1
        assert_one_clear_line(result.stderr, "đã đầy")
        assert digest(db) == before
        with Store.open(db) as store:
            assert store.integrity_problems() == [] and store.members.count() == 0


def test_full_disk_during_backup_is_a_clear_message(tmp_path: Path, good_db: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kb=2 * good_db.stat().st_size // 1024 - 64) as disk:
        db = disk / "xa.db"
        shutil.copy(good_db, db)
        before = digest(db)
        result = run("backup", "--db", db)
        assert result.returncode == 1
        assert_one_clear_line(result.stderr, "đầy")
        assert digest(db) == before
        assert list(backup.backup_dir(db).iterdir()) == []  # no half copy left behind


def test_read_only_folder_is_a_clear_message(tmp_path: Path, good_db: Path) -> None:
    # Root ignores chmod 444, so the read-only case is a read-only mount.
    with tmpfs(tmp_path / "ro", size_kb=4096) as disk:
        db = disk / "xa.db"
        shutil.copy(good_db, db)
        before = digest(db)
        remount_read_only(disk)
        for argv in (["list"], ["demo", "--members", "5"], ["backup"]):
            result = run(argv[0], "--db", db, *argv[1:])
            assert result.returncode == 1
            assert_one_clear_line(result.stderr, "chỉ cho phép đọc")
        assert digest(db) == before


def test_pdf_to_a_full_disk_is_one_line_and_no_partial_file(tmp_path: Path, good_db: Path) -> None:
    with tmpfs(tmp_path / "disk", size_kb=64) as disk:
        out = disk / "danh-sach.pdf"
        result = run("print", "--db", good_db, "eligible", "--out", out)
        assert result.returncode == 1
        assert_one_clear_line(result.stderr, "")
        assert list(disk.iterdir()) == []


def test_pdf_into_a_missing_folder_is_one_line(
    tmp_path: Path, good_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "khong-co" / "danh-sach.pdf"
    assert main(["print", "--db", str(good_db), "eligible", "--out", str(out)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "")
