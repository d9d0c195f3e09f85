"""One lock for every writer: with a real window open, the CLI's writing commands
refuse (saying who holds the file) and leave it byte-identical; reading commands work."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dvdesk.exchange.package import write_package
from dvdesk.store import backup
from dvdesk.store.gateway import Store
from dvdesk.store.lock import read_holder, this_host
from tests.exchange.conftest import make_commune
from tests.safety.killing import ENV, dvdesk, run
from tests.safety.test_hostile_files import assert_one_clear_line, digest


@pytest.fixture(scope="module")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xa")
    db = folder / "xa.db"
    make_commune(db, "00021", "Xã Đích", 20, 3).close()
    return db


@pytest.fixture
def window(tmp_path: Path, commune: Path) -> Iterator[Path]:
    """A real dvdesk window (offscreen) with its data file open."""
    db = tmp_path / "xa.db"
    shutil.copy(commune, db)
    with Store.open(db) as store:
        backup.make_backup(store)  # a backup to restore, made before the window opens
    with open_window(db):
        yield db


@contextlib.contextmanager
def open_window(db: Path) -> Iterator[None]:
    proc = subprocess.Popen(
        dvdesk("--db", db),
        env={**ENV, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while (holder := read_holder(db)) is None or holder.pid != proc.pid:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the window did not open"
        time.sleep(0.1)
    time.sleep(0.5)  # the window has opened its store (and made its daily backup)
    try:
        yield
    finally:
        proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    out = tmp_path / "goi-xa-khac.zip"
    with make_commune(tmp_path / "khac.db", "00022", "Xã Khác", 10, 4) as store:
        write_package(store, out)
    return out


def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,01/02/2005\n", encoding="utf-8")
    return path


def first_uid(db: Path) -> str:
    with Store.open(db, read_only=True) as store:
        return store.members.list()[0]["uid"]


def test_writing_commands_refuse_while_a_window_holds_the_file(
    tmp_path: Path, window: Path, package: Path
) -> None:
    db = window
    before = digest(db)
    made = backup.backups(db)
    writers = [
        ["import", sheet(tmp_path), "--unit", "KDC01"],
        ["merge", package],
        ["restore", made[-1]],
        ["export", "--out", tmp_path / "goi.zip"],
        [
            "print",
            "transfer",
            "--uid",
            first_uid(db),
            "--to",
            "Chi bộ",
            "--out",
            tmp_path / "g.pdf",
        ],
    ]
    for argv in writers:
        result = run(argv[0], "--db", db, *argv[1:])
        assert result.returncode == 1, (argv, result.stdout)
        assert_one_clear_line(result.stderr, "đang được mở ở một cửa sổ khác")
        assert f"máy {this_host()}" in result.stderr
        assert digest(db) == before, argv
    assert not (tmp_path / "goi.zip").exists() and not (tmp_path / "g.pdf").exists()


def test_reading_commands_still_work_under_the_window(tmp_path: Path, window: Path) -> None:
    db = window
    for argv in (
        ["list", "--json"],
        ["check"],
        ["export", "--out", tmp_path / "ra.csv"],
        ["export", "--out", tmp_path / "ra.xlsx"],
        ["print", "eligible", "--out", tmp_path / "ra.pdf"],
        ["backup"],
        ["import", sheet(tmp_path), "--unit", "KDC01", "--dry-run"],
    ):
        result = run(argv[0], "--db", db, *argv[1:])
        assert result.returncode == 0, (argv, result.stderr)


def test_demo_into_an_empty_file_open_in_a_window_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "moi.db"
    Store.open(db).close()
    with open_window(db):
        before = digest(db)
        result = run("demo", "--db", db, "--members", "5")
        assert result.returncode == 1
        assert_one_clear_line(result.stderr, "đang được mở ở một cửa sổ khác")
        assert digest(db) == before


def test_the_lock_is_free_again_after_a_cli_write(tmp_path: Path, commune: Path) -> None:
    db = tmp_path / "xa.db"
    shutil.copy(commune, db)
    result = run("import", "--db", db, sheet(tmp_path), "--unit", "KDC01")
    assert result.returncode == 0, result.stderr
    assert not Path(f"{db}.lock").exists()
    assert os.path.exists(db)
