"""SIGKILL `dvdesk import` and `dvdesk merge` mid-write: the file holds all of it or none."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from dvdesk.exchange.package import write_package
from dvdesk.store import backup
from dvdesk.store.gateway import Store
from tests.exchange.conftest import make_commune
from tests.safety.killing import assert_audit_matches, contents, dvdesk, kill_after, run
from tests.safety.sheets import write_members_csv


def empty_file(path: Path) -> Path:
    Store.open(path).close()
    return path


def import_all_or_nothing(db: Path, rows: int) -> bool:
    c = contents(db)
    assert_audit_matches(c)
    assert c.members in (0, rows), f"{c.members} of {rows} rows imported"
    if c.members:
        # The import made its safety copy before writing (it held no members then).
        assert any("truoc-nhap" in p.name for p in backup.backups(db))
    return bool(c.members)


def kill_import_loop(tmp_path: Path, rows: int, rounds: int, window: float, seed: int) -> None:
    sheet = tmp_path / "danh-sach.csv"
    assert write_members_csv(sheet, rows) == rows
    template = empty_file(tmp_path / "mau.db")
    rng = random.Random(seed)
    for i in range(rounds):
        db = tmp_path / f"run{i}" / "xa.db"
        db.parent.mkdir()
        shutil.copy(template, db)
        killed = kill_after(dvdesk("import", "--db", db, sheet), rng.uniform(0.3, window))
        committed = import_all_or_nothing(db, rows)
        assert killed is None or committed
        if i == rounds - 1:
            # Whatever happened, importing again completes and never duplicates anyone.
            assert run("import", "--db", db, sheet).returncode == 0
            assert import_all_or_nothing(db, rows)


def test_killed_small_import_is_all_or_nothing(tmp_path: Path) -> None:
    kill_import_loop(tmp_path, rows=800, rounds=3, window=2.5, seed=21)


@pytest.mark.slow
def test_killed_50k_import_is_all_or_nothing(tmp_path: Path) -> None:
    kill_import_loop(tmp_path, rows=50_000, rounds=3, window=20.0, seed=50)


@pytest.fixture
def packages(tmp_path: Path) -> list[Path]:
    out = []
    for code, name, seed in (("00011", "Xã Một", 1), ("00012", "Xã Hai", 2)):
        with make_commune(tmp_path / f"{code}.db", code, name, 300, seed) as store:
            path = tmp_path / f"goi-{code}.zip"
            write_package(store, path)
            out.append(path)
    return out


def test_killed_merge_is_all_or_nothing(tmp_path: Path, packages: list[Path]) -> None:
    template = empty_file(tmp_path / "tong-hop-mau.db")
    probe = tmp_path / "probe" / "tong-hop.db"
    probe.parent.mkdir()
    shutil.copy(template, probe)
    assert run("merge", "--db", probe, *packages).returncode == 0
    full = contents(probe)
    assert full.members == 600
    rng = random.Random(31)
    for i in range(3):
        db = tmp_path / f"run{i}" / "tong-hop.db"
        db.parent.mkdir()
        shutil.copy(template, db)
        killed = kill_after(dvdesk("merge", "--db", db, *packages), rng.uniform(0.3, 2.0))
        c = contents(db)
        assert c.integrity == []
        assert c.digest in (contents(template).digest, full.digest)
        assert killed is None or c.digest == full.digest
        # A second merge of the same packages finishes or changes nothing.
        assert run("merge", "--db", db, *packages).returncode == 0
        assert contents(db).digest == full.digest
        # The merge that wrote made its safety copy of the file as it was before.
        saved = [p for p in backup.backups(db) if "truoc-gop" in p.name]
        assert saved
        assert {contents(p).digest for p in saved} == {contents(template).digest}
