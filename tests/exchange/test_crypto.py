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
    return crypto.encrypt(b"payload " * 100, SECRET)


def test_round_trip(sealed: bytes):
    assert crypto.is_encrypted(sealed)
    assert b"payload" not in sealed
    assert crypto.decrypt(sealed, SECRET, "x") == b"payload " * 100


@pytest.mark.parametrize(("position", "passphrase", "message"), [
    (None, "mật khẩu sai!!", "sai mật khẩu hoặc tệp đã bị sửa đổi"),
    (-1, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the tag
    (40, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the nonce / body
    (len(crypto.MAGIC) + 2, SECRET, "sai mật khẩu hoặc tệp đã bị sửa đổi"),  # the salt
    (None, None, "được mã hóa"),
])
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


def test_sealed_package_reads_back(commune, tmp_path: Path):
    out = tmp_path / "goi.zip"
    manifest = write_package(commune(n=5), out, SECRET)
    assert crypto.is_encrypted(out.read_bytes())
    assert read_package(out, SECRET).manifest.sequence == manifest.sequence
    with pytest.raises(PackageError, match="sai mật khẩu"):
        read_package(out, "không phải mật khẩu")
