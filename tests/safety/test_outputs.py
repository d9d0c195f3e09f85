"""Every file dvdesk writes: never over a data file, replaced only when asked, private, whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from dvdesk import files
from dvdesk.store import schema
from tests.safety.killing import ENV, dvdesk
from tests.safety.mounts import tmpfs


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str | Path, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    """A real dvdesk process started with a permissive umask, as a clerk's desktop has."""
    return subprocess.run(
        dvdesk(*args),
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
        preexec_fn=lambda: os.umask(umask),
    )


def one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvdesk: "), result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "xa.db"
    result = run("demo", "--db", path, "--members", "40")
    assert result.returncode == 0, result.stderr
    with_commune(path)
    return path


def with_commune(path: Path) -> None:
    from dvdesk.store.gateway import Store

    with Store.open(path) as store:
        settings = store.settings.get()
        settings.commune_code = "27001"
        settings.commune_name = "Xã Thử"
        store.settings.save(settings)


@pytest.fixture
def db(tmp_path: Path, demo_db: Path) -> Path:
    path = tmp_path / "xa.db"
    shutil.copy(demo_db, path)
    return path


def test_the_application_id_is_the_stores() -> None:
    assert files.APPLICATION_ID == schema.APPLICATION_ID


@pytest.mark.parametrize("name", ["dulieu.zip", "dulieu.csv", "dulieu.xlsx"])
def test_export_never_replaces_the_data_file_itself(tmp_path: Path, demo_db: Path, name: str):
    data = tmp_path / name  # a data file with an export's suffix (the hostile run's case)
    shutil.copy(demo_db, data)
    before = digest(data)
    for extra in ([], ["--overwrite"]):
        one_line(run("export", "--db", data, "--out", data, *extra), "tệp dữ liệu")
        assert digest(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("side", ["-wal", "-shm", "-journal", ".lock"])
def test_export_never_writes_over_the_data_files_side_files(tmp_path: Path, db: Path, side: str):
    side_file = Path(f"{db}{side}")
    side_file.write_bytes(b"x")
    before = digest(db)
    # export takes only .zip/.xlsx/.csv names; backup --out takes any name.
    one_line(run("backup", "--db", db, "--out", side_file, "--overwrite"), "đi kèm")
    assert side_file.read_bytes() == b"x" and digest(db) == before


def test_backup_out_never_overwrites_another_communes_data_file(tmp_path: Path, demo_db: Path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(demo_db, a)
    shutil.copy(demo_db, b)
    with_commune_name(b, "Xã Khác")
    before = digest(b)
    for extra in ([], ["--overwrite"]):
        one_line(run("backup", "--db", a, "--out", b, *extra), "tệp dữ liệu dvdesk")
        assert digest(b) == before


def with_commune_name(path: Path, name: str) -> None:
    from dvdesk.store.gateway import Store

    with Store.open(path) as store:
        settings = store.settings.get()
        settings.commune_name = name
        store.settings.save(settings)


def test_links_to_the_data_file_are_refused(tmp_path: Path, db: Path) -> None:
    soft, hard = tmp_path / "lien-ket.csv", tmp_path / "cung-tep.csv"
    soft.symlink_to(db)
    os.link(db, hard)
    before = digest(db)
    for link in (soft, hard):
        one_line(run("export", "--db", db, "--out", link, "--overwrite"))
    pdf = tmp_path / "danh-sach.pdf"  # the data file under a PDF's name
    os.link(db, pdf)
    one_line(run("print", "--db", db, "eligible", "--out", pdf, "--overwrite"), "dvdesk")
    assert digest(db) == before


def test_a_backup_is_never_overwritten(tmp_path: Path, db: Path) -> None:
    assert run("backup", "--db", db).returncode == 0
    (made,) = (db.parent / "backups").iterdir()
    before = digest(made)
    renamed = tmp_path / "danh-sach.csv"  # a backup renamed by the user is still a backup
    shutil.copy(made, renamed)
    one_line(run("backup", "--db", db, "--out", made, "--overwrite"), "sao lưu")
    one_line(run("export", "--db", db, "--out", renamed, "--overwrite"), "sao lưu")
    assert digest(made) == digest(renamed) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--out", "{out}.csv"],
        ["export", "--out", "{out}.xlsx"],
        ["export", "--out", "{out}.zip"],
        ["backup", "--out", "{out}.db"],
        ["print", "eligible", "--out", "{out}.pdf"],
    ],
    ids=["csv", "xlsx", "zip", "backup", "pdf"],
)
def test_an_existing_file_is_replaced_only_with_overwrite(
    tmp_path: Path, db: Path, argv: list[str]
) -> None:
    out = Path(str(tmp_path / "ket-qua") + Path(argv[-1]).suffix)
    out.write_bytes(b"tep cua nguoi dung")
    cmd = [a.replace("{out}" + out.suffix, str(out)) for a in argv]
    one_line(run(cmd[0], "--db", db, *cmd[1:]), "đã có", "--overwrite")
    assert out.read_bytes() == b"tep cua nguoi dung"
    result = run(cmd[0], "--db", db, *cmd[1:], "--overwrite")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() != b"tep cua nguoi dung"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [out.name, "xa.db", "xa.db-wal", "xa.db-shm"]
    ) or sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, "xa.db"])


def modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*")
        if not p.is_symlink()
    }


def test_everything_dvdesk_creates_is_private(tmp_path: Path) -> None:
    db = tmp_path / "xa.db"
    assert run("demo", "--db", db, "--members", "30").returncode == 0
    with_commune(db)
    os.chmod(db, 0o600)  # with_commune ran in this test process
    for argv in (
        ["backup"],
        ["backup", "--out", tmp_path / "ban-sao.db"],
        ["export", "--out", tmp_path / "goi.zip"],
        ["export", "--out", tmp_path / "ds.xlsx"],
        ["export", "--out", tmp_path / "ds.csv"],
        ["print", "eligible", "--out", tmp_path / "ds.pdf"],
    ):
        result = run(argv[0], "--db", db, *argv[1:])
        assert result.returncode == 0, (argv, result.stderr)
    found = modes(tmp_path)
    assert found["backups"] == 0o700
    readable = {name: oct(mode) for name, mode in found.items() if mode & 0o077}
    assert readable == {}
    assert {"xa.db", "goi.zip", "ds.xlsx", "ds.csv", "ds.pdf", "ban-sao.db"} <= set(found)


def test_the_lock_file_is_private(tmp_path: Path) -> None:
    from dvdesk.store.lock import DataFileLock, lock_path

    old = os.umask(0o022)
    try:
        with DataFileLock.acquire(tmp_path / "xa.db"):
            assert stat.S_IMODE(lock_path(tmp_path / "xa.db").stat().st_mode) == 0o600
    finally:
        os.umask(old)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".pdf"])
def test_export_to_a_full_disk_is_one_line_and_no_partial_file(
    tmp_path: Path, demo_db: Path, suffix: str
) -> None:
    db = tmp_path / "xa.db"
    shutil.copy(demo_db, db)
    with tmpfs(tmp_path / "disk", size_kb=8) as disk:
        out = disk / f"danh-sach{suffix}"
        argv = ["print", "--db", db, "eligible"] if suffix == ".pdf" else ["export", "--db", db]
        one_line(run(*argv, "--out", out), "đầy")
        assert list(disk.iterdir()) == []


def test_a_full_disk_leaves_the_old_file_in_place(tmp_path: Path, demo_db: Path) -> None:
    db = tmp_path / "xa.db"
    shutil.copy(demo_db, db)
    with tmpfs(tmp_path / "disk", size_kb=8) as disk:
        out = disk / "danh-sach.xlsx"
        out.write_bytes(b"ban cu")
        one_line(run("export", "--db", db, "--out", out, "--overwrite"), "đầy")
        assert [p.name for p in disk.iterdir()] == ["danh-sach.xlsx"]
        assert out.read_bytes() == b"ban cu"


def test_leftovers_of_a_killed_write_are_cleaned_by_exact_name(tmp_path: Path, db: Path) -> None:
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".ds.csv.dvdesk-{dead.pid}.tmp"
    stale_journal = db.parent / "backups" / f".xa-1.db.dvdesk-{dead.pid}.tmp-journal"
    live = tmp_path / f".ds.csv.dvdesk-{os.getpid()}.tmp"  # this process is alive
    alike = tmp_path / f"ds.csv.dvdesk-{dead.pid}.tmp"  # not dvdesk's exact name
    stale_journal.parent.mkdir()
    for path in (stale, stale_journal, live, alike):
        path.write_bytes(b"du lieu ca nhan")
    assert run("list", "--db", db).returncode == 0  # any command cleans the data folder
    assert not stale.exists() and not stale_journal.exists()
    assert live.exists() and alike.exists()


def test_check_output_refuses_folders_and_missing_folders(tmp_path: Path) -> None:
    with pytest.raises(files.OutputRefused, match="thư mục"):
        files.check_output(tmp_path)
    with pytest.raises(files.OutputRefused, match="Không có thư mục"):
        files.check_output(tmp_path / "khong-co" / "x.csv")
    fifo = tmp_path / "ong.csv"
    os.mkfifo(fifo)
    with pytest.raises(files.OutputRefused, match="tệp thường"):
        files.check_output(fifo, overwrite=True)


def test_backups_an_older_version_left_readable_become_private(tmp_path: Path, db: Path) -> None:
    old = db.parent / "backups" / "xa-20250101-000000-000000-thu-cong.db"
    old.parent.mkdir(mode=0o755)
    os.chmod(old.parent, 0o755)
    shutil.copy(db, old)
    os.chmod(old, 0o644)
    assert run("backup", "--db", db).returncode == 0
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE(old.parent.stat().st_mode) == 0o700
