"""Passphrase-sealed packages: round trip, wrong passphrase, modified file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvdesk.exchange import crypto
from dvdesk.exchange.manifest import PackageError
from dvdesk.exchange.package import read_package, write_package

SECRET = "mật khẩu xã 2026"


@pytest.fixture(scope="module")
def sealed() -> bytes:
    # A lighter work factor keeps these tests fast; it travels in the header.
    return crypto.encrypt(b"payload " * 100, SECRET, log2_n=12)


def test_round_trip(sealed: bytes):
    assert crypto.is_encrypted(sealed)
    assert b"payload" not in sealed
    assert crypto.decrypt(sealed, SECRET, "x") == b"payload " * 100


@pytest.mark.parametrize(
    ("position", "passphrase", "message"),
    [
        (None, "mật khẩu sai!!", "sai mật khẩu hoặc tệp đã bị sửa đổi"),
        (-1, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the tag
        (40, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the nonce / body
        (len(crypto.MAGIC) + 5, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the salt
        (len(crypto.MAGIC) + 1, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # scrypt r
        (len(crypto.MAGIC), SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # scrypt log2 n
        (None, None, "được mã hóa"),
    ],
)
def test_refusals(sealed: bytes, position: int | None, passphrase: str | None, message: str):
    data = bytearray(sealed)
    if position is not None:
        data[position] ^= 0x01
    with pytest.raises(PackageError, match=message):
        crypto.decrypt(bytes(data), passphrase, "x")


def test_truncated_file_is_refused(sealed: bytes):
    with pytest.raises(PackageError, match="cắt cụt"):
        crypto.decrypt(sealed[: len(crypto.MAGIC) + 20], SECRET, "x")


def test_short_passphrase_is_refused():
    with pytest.raises(PackageError, match="ít nhất 8"):
        crypto.encrypt(b"x", "1234")


def test_absurd_work_factor_is_refused_before_deriving(sealed: bytes):
    data = bytearray(sealed)
    data[len(crypto.MAGIC)] = 30  # 2**30 * 8 * 128 bytes would be 1 TB of memory
    with pytest.raises(PackageError, match="tham số lạ"):
        crypto.decrypt(bytes(data), SECRET, "x")


def test_default_work_factor_is_high():
    assert (crypto.LOG2_N, crypto.SCRYPT_R) == (17, 8)  # 128 MB per try (OWASP: ≥ 2**17)


def test_sealed_package_reads_back(commune, tmp_path: Path):
    out = tmp_path / "goi.zip"
    manifest = write_package(commune(n=5), out, SECRET)
    assert crypto.is_encrypted(out.read_bytes())
    assert read_package(out, SECRET).manifest.sequence == manifest.sequence
    with pytest.raises(PackageError, match="sai mật khẩu"):
        read_package(out, "không phải mật khẩu")


def test_cli_takes_the_passphrase_from_a_file_or_the_environment(
    commune, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    from dvdesk.cli import main

    monkeypatch.setattr(crypto, "LOG2_N", 12)
    store = commune(n=5)
    secret_file = tmp_path / "matkhau.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    out = tmp_path / "goi.zip"
    assert (
        main(
            [
                "export",
                "--db",
                str(store.path),
                "--out",
                str(out),
                "--passphrase-file",
                str(secret_file),
            ]
        )
        == 0
    )
    assert "đã mã hóa bằng mật khẩu" in capsys.readouterr().out
    level = tmp_path / "huyen.db"
    assert main(["merge", "--db", str(level), str(out)]) == 1
    assert "được mã hóa" in capsys.readouterr().err
    monkeypatch.setenv("DVDESK_PASSPHRASE", "sai mật khẩu rồi")
    assert main(["merge", "--db", str(level), str(out)]) == 1
    assert "sai mật khẩu" in capsys.readouterr().err
    assert not level.exists()
    monkeypatch.setenv("DVDESK_PASSPHRASE", SECRET)
    assert main(["merge", "--db", str(level), str(out)]) == 0
    assert "Thêm mới 5" in capsys.readouterr().out
