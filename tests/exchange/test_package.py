"""The commune package: contents, dictionary, sequence, and every refusal."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest

from dvdesk.exchange import signing
from dvdesk.exchange.csv_files import dict_rows
from dvdesk.exchange.dictionary import DICTIONARY_FILE, FILES
from dvdesk.exchange.manifest import MANIFEST_FILE, PackageError, sha256
from dvdesk.exchange.package import read_package, write_package
from dvdesk.exchange.signing import SIGNATURE_FILE

DATA_FILES = (*FILES, DICTIONARY_FILE)


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _rezip(
    path: Path, entries: dict[str, bytes], *, fix_manifest: bool = False, key: bytes | None = None
) -> Path:
    """The archive again; with `fix_manifest` the hashes recomputed; with `key` re-signed."""
    if fix_manifest:
        manifest = json.loads(entries[MANIFEST_FILE])
        manifest["files"] = {
            n: sha256(d) for n, d in entries.items() if n not in (MANIFEST_FILE, SIGNATURE_FILE)
        }
        entries = {**entries, MANIFEST_FILE: json.dumps(manifest).encode()}
    if key is not None:
        entries = {**entries, SIGNATURE_FILE: signing.sign(key, entries[MANIFEST_FILE])}
    out = path.with_name("altered.zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out


KEYS: dict[Path, bytes] = {}  # package → the private key of the file that signed it


@pytest.fixture
def package(commune, tmp_path: Path) -> Path:
    out = tmp_path / "goi.zip"
    store = commune()
    write_package(store, out)
    KEYS[out] = store.packages.signing_key()[0]
    return out


def test_manifest_describes_every_file(package: Path):
    entries = _entries(package)
    manifest = json.loads(entries[MANIFEST_FILE])
    assert set(entries) == {MANIFEST_FILE, SIGNATURE_FILE, *DATA_FILES}
    assert len(base64.b64decode(manifest["signing_key"])) == 32
    assert manifest["format"] == "dvdesk-goi-du-lieu-xa"
    assert (manifest["commune_code"], manifest["commune_name"]) == ("00001", "Xã Một")
    assert manifest["sequence"] == 1
    assert manifest["counts"]["members.csv"] == 60
    for name in DATA_FILES:
        assert manifest["files"][name] == sha256(entries[name])
        assert entries[name].startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel


def test_every_exported_column_is_in_the_dictionary(package: Path):
    entries = _entries(package)
    _, described = dict_rows(entries[DICTIONARY_FILE])
    known = {(r["file"], r["name"]) for r in described}
    assert all(r["label"] and r["type"] for r in described)
    for name in FILES:
        header, rows = dict_rows(entries[name])
        # The demo has no documented exceptions and no chi bộ position of its own.
        assert rows or name in ("audit.csv", "dossier_exceptions.csv", "unit_positions.csv")
        assert {(name, column) for column in header} <= known


def test_no_row_ids_and_no_database_leave_the_file(package: Path):
    entries = _entries(package)
    for name in FILES:
        header, rows = dict_rows(entries[name])
        assert "id" not in header and "unit_id" not in header and "member_id" not in header
        assert all('"unit_id"' not in (r.get("old", "") + r.get("new", "")) for r in rows)
    assert not any(data.startswith(b"SQLite format 3") for data in entries.values())


def test_sequence_grows_and_audit_carries_only_what_is_new(commune, tmp_path: Path):
    store = commune(n=10)
    first = write_package(store, tmp_path / "1.zip")
    second = write_package(store, tmp_path / "2.zip")
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.counts["audit.csv"] > 10
    # Only the record of the first export itself is new.
    _, rows = dict_rows(_entries(tmp_path / "2.zip")["audit.csv"])
    assert [r["action"] for r in rows] == ["update", "export"]
    assert store.settings.get().export_sequence == 2


def test_a_package_needs_the_commune_code(fresh_store, tmp_path: Path):
    with pytest.raises(PackageError, match="mã xã"):
        write_package(fresh_store, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def _change_one_byte(entries: dict[str, bytes]) -> dict[str, bytes]:
    data = bytearray(entries["members.csv"])
    data[200] ^= 0x01
    return {**entries, "members.csv": bytes(data)}


def _drop(name: str):
    return lambda e: {k: v for k, v in e.items() if k != name}


def _newer_format(entries: dict[str, bytes]) -> dict[str, bytes]:
    manifest = json.loads(entries[MANIFEST_FILE])
    manifest["format_version"] = "2.0"
    return {**entries, MANIFEST_FILE: json.dumps(manifest).encode()}


def _without_column(entries: dict[str, bytes]) -> dict[str, bytes]:
    text = entries["members.csv"].decode("utf-8-sig").replace("full_name", "ho_ten", 1)
    return {**entries, "members.csv": ("\ufeff" + text).encode()}


def _extra_file(entries: dict[str, bytes]) -> dict[str, bytes]:
    return {**entries, "readme.txt": b"hello"}


@pytest.mark.parametrize(
    ("alter", "fix_manifest", "message"),
    [
        (_change_one_byte, False, "không khớp mã kiểm tra SHA-256"),
        (_drop("steps.csv"), False, "thiếu tệp steps.csv"),
        (_drop(MANIFEST_FILE), False, "thiếu tệp manifest.json"),
        (_newer_format, False, "mới hơn"),
        (_without_column, True, "chữ ký số không hợp lệ"),  # hashes recomputed, not re-signed
        (_extra_file, False, "tệp lạ"),
        (_drop(SIGNATURE_FILE), False, "không có chữ ký số"),
    ],
)
def test_altered_packages_are_refused(package: Path, alter, fix_manifest: bool, message: str):
    altered = _rezip(package, alter(_entries(package)), fix_manifest=fix_manifest)
    with pytest.raises(PackageError, match=message):
        read_package(altered)


@pytest.mark.parametrize(
    ("alter", "message"),
    [
        (_without_column, "thiếu cột full_name"),
        (_drop("steps.csv"), "thiếu tệp steps.csv"),
    ],
)
def test_content_is_checked_even_when_the_signer_signed_it(package: Path, alter, message: str):
    # A commune's own (buggy or hand-edited) export, hashes and signature made anew.
    altered = _rezip(package, alter(_entries(package)), fix_manifest=True, key=KEYS[package])
    with pytest.raises(PackageError, match=message):
        read_package(altered)


@pytest.mark.parametrize(
    "name", ["../members.csv", "/etc/passwd", "sub/units.csv", "C:\\evil.csv", ".hidden"]
)
def test_paths_outside_the_archive_are_refused(package: Path, name: str):
    entries = {**_entries(package), name: b"x"}
    with pytest.raises(PackageError, match="không an toàn"):
        read_package(_rezip(package, entries))


def test_a_zip_bomb_is_refused_before_it_is_inflated(package: Path, tmp_path: Path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST_FILE, _entries(package)[MANIFEST_FILE])
        z.writestr("members.csv", b"\0" * (64 * 1024 * 1024))  # 64 MB → ~64 KB
    assert bomb.stat().st_size < 200_000
    with pytest.raises(PackageError, match="kích thước bất thường"):
        read_package(bomb)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_not_a_zip(tmp_path: Path, content: bytes):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    with pytest.raises(PackageError, match=r"không phải là tệp \.zip"):
        read_package(path)


def test_formula_text_travels_unchanged_but_escaped(commune, tmp_path: Path):
    store = commune(n=3)
    uid = store.packages.members()[0].uid
    member = store.members.get(uid)
    from dataclasses import replace

    for notes in ('=HYPERLINK("http://x")', "'quoted", "+84 note", "@SUM(A1)"):
        store.members.update(replace(member, notes=notes))
        out = tmp_path / "f.zip"
        write_package(store, out, overwrite=True)
        _, rows = dict_rows(_entries(out)["members.csv"])
        raw = next(r["notes"] for r in rows if r["uid"] == uid)
        assert raw.startswith("'")
        read = read_package(out)
        assert next(m.notes for m in read.members if m.uid == uid) == notes
