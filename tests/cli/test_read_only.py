"""Read-only commands never migrate (DESIGN.md); `dvdesk upgrade` does, after a backup."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.store.schema import FORMAT_MAJOR, FORMAT_MINOR
from dvdesk.store.uri import sqlite_uri

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dvdesk-v1.0.db"
CURRENT = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"


def dump(path: Path) -> tuple[int, list[str]]:
    conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0], list(conn.iterdump())
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    folder = tmp_path / "Dữ liệu xã #1"
    folder.mkdir()
    path = folder / "xã cũ.db"
    shutil.copy(FIXTURE, path)
    return path


def listing(folder: Path) -> list[str]:
    """Files beside the data file; a reader of a WAL file may leave SQLite's -wal/-shm."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.endswith(("-wal", "-shm"))
    )


READERS = [
    ["list"],
    ["list", "--json"],
    ["export", "--out", "{tmp}/ds.csv"],
    ["export", "--out", "{tmp}/ds.xlsx"],
    ["print", "eligible", "--out", "{tmp}/ds.pdf"],
    ["print", "stats", "--out", "{tmp}/tk.pdf"],
]


@pytest.mark.parametrize("argv", READERS, ids=lambda a: " ".join(a[:2]))
def test_a_reading_command_leaves_an_older_file_untouched(capsys, old_file, tmp_path, argv):
    before, files = digest(old_file), listing(old_file.parent)
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    argv = [a.format(tmp=out_dir) for a in argv]
    code = main([argv[0], "--db", str(old_file), *argv[1:]])
    _, err = capsys.readouterr()
    assert code == 1
    assert "định dạng cũ (1.0)" in err
    assert f"dvdesk upgrade --db {old_file}" in err
    assert "cửa sổ dvdesk" in err
    assert digest(old_file) == before
    assert listing(old_file.parent) == files  # no WAL, no backups folder
    assert listing(out_dir) == []


def test_check_reads_an_older_file_as_it_is(capsys, old_file):
    before = digest(old_file)
    assert main(["check", "--db", str(old_file)]) == 0
    assert "định dạng 1.0" in capsys.readouterr().out
    assert digest(old_file) == before


def test_upgrade_backs_up_then_migrates(capsys, old_file):
    assert main(["upgrade", "--db", str(old_file)]) == 0
    out = capsys.readouterr().out
    assert f"từ định dạng 1.0 lên {CURRENT}" in out
    saved = sorted((old_file.parent / "backups").glob("*-truoc-nang-cap.db"))
    assert len(saved) == 1 and str(saved[0]) in out
    assert dump(saved[0]) == dump(FIXTURE)  # the file as it was, format 1.0
    assert main(["list", "--db", str(old_file), "--json"]) == 0
    capsys.readouterr()
    assert main(["upgrade", "--db", str(old_file)]) == 0
    assert f"đã ở định dạng mới nhất ({CURRENT})" in capsys.readouterr().out
    assert len(list((old_file.parent / "backups").glob("*-truoc-nang-cap.db"))) == 1


def test_upgrade_of_a_missing_file_creates_nothing(capsys, tmp_path):
    path = tmp_path / "khong-co.db"
    assert main(["upgrade", "--db", str(path)]) == 1
    assert "Không tìm thấy" in capsys.readouterr().err
    assert not path.exists()


def test_a_current_file_lists_without_being_written(capsys, tmp_path):
    path = tmp_path / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "5"]) == 0
    capsys.readouterr()
    before, files = digest(path), listing(tmp_path)
    assert main(["list", "--db", str(path), "--json"]) == 0
    assert capsys.readouterr().out.count('"uid"') == 5
    assert (digest(path), listing(tmp_path)) == (before, files)


def test_an_index_only_upgrade_does_not_claim_a_new_format(capsys, tmp_path):
    """A migration that adds an index keeps the format number: the message says so."""
    import sqlite3

    from dvdesk.store.gateway import Store

    path = tmp_path / "xa.db"
    Store.open(path).close()
    with sqlite3.connect(path) as raw:  # as a file from before the index was added
        raw.execute("DROP INDEX members_search")
        raw.execute("DELETE FROM _sqlite_migrations WHERE name = '1.10_exact_name_index'")
    raw.close()
    assert main(["upgrade", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"định dạng vẫn là {CURRENT}" in out and "lên" not in out
    with sqlite3.connect(path) as raw:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    raw.close()
    assert "members_search" in names
