"""SIGKILL `dvdesk export` of a package: never a recorded export without its file, never
an unencrypted temporary file when a passphrase was given, and the debris cleaned."""

from __future__ import annotations

import errno
import random
import subprocess
from pathlib import Path

import pytest

from dvdesk.errors import KnownError
from dvdesk.exchange import crypto
from dvdesk.exchange.package import read_package, write_package
from dvdesk.store.gateway import Store
from tests.exchange.conftest import make_commune
from tests.safety.killing import ENV, dvdesk, run

SECRET = "mật khẩu của xã 2026"


def sequence(db: Path) -> int:
    with Store.open(db, read_only=True) as store:
        return store.settings.get().export_sequence


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".dvdesk-" in p.name]


def test_a_killed_export_never_records_a_package_it_did_not_write(tmp_path: Path) -> None:
    template = tmp_path / "mau.db"
    make_commune(template, "00021", "Xã Đích", 1500, 3).close()
    rng = random.Random(14)
    env = {**ENV, "DVDESK_PASSPHRASE": SECRET}
    for i in range(8):
        folder = tmp_path / f"lan{i}"
        folder.mkdir()
        db = folder / "xa.db"
        db.write_bytes(template.read_bytes())
        out = folder / "goi.zip"
        proc = subprocess.Popen(
            dvdesk("export", "--db", db, "--out", out),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=rng.uniform(0.4, 2.5))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        recorded = sequence(db)
        assert recorded in (0, 1)
        if recorded:
            assert out.exists(), "the export was recorded but its file is missing"
        if out.exists():
            assert crypto.is_encrypted(out.read_bytes())
            assert read_package(out, SECRET).manifest.sequence == 1
        for partial in leftovers(folder):
            # Sealed in memory first: a temporary file holds ciphertext or nothing.
            data = partial.read_bytes()
            assert data == b"" or crypto.is_encrypted(data), partial.name
        # The next command cleans what the killed one left, by exact name.
        assert run("list", "--db", db).returncode == 0
        assert leftovers(folder) == []


def test_a_failed_rename_records_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "xa.db"
    out = tmp_path / "goi.zip"
    with make_commune(db, "00021", "Xã Đích", 20, 3) as store:
        import dvdesk.files as files

        def full(*args: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(files.os, "replace", full)
        with pytest.raises(KnownError, match="đầy"):
            write_package(store, out, SECRET)
        monkeypatch.undo()
        assert store.settings.get().export_sequence == 0
        assert not out.exists() and leftovers(tmp_path) == []
        assert write_package(store, out, SECRET).sequence == 1  # and it works again
        assert store.settings.get().export_sequence == 1
