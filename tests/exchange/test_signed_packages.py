"""Signed packages at the receiving level: every hostile package refused, the file unchanged.

Hostile packages are made here the way an attacker or a broken tool would:
edited, re-hashed, re-signed with another key, replayed, with forged sequence
numbers and commune codes (re-signed with the commune's own key, so only the
check under test can catch them).
"""

from __future__ import annotations

import base64
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dvdesk.cli import main
from dvdesk.exchange import crypto, signing
from dvdesk.exchange.manifest import MANIFEST_FILE, sha256
from dvdesk.exchange.package import read_package, write_package
from dvdesk.exchange.signing import SIGNATURE_FILE
from dvdesk.store.gateway import Store

from .conftest import make_commune

SECRET = "mat-khau-thu-nghiem"


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _forge(
    source: Path,
    out: Path,
    *,
    manifest: dict[str, Any] | None = None,
    files: dict[str, bytes] | None = None,
    rehash: bool = False,
    key: bytes | None = None,
    new_key: bool = False,
) -> Path:
    """A copy of `source` with changes; `rehash` recomputes the hashes; `key` re-signs."""
    entries = {**_entries(source), **(files or {})}
    body = json.loads(entries[MANIFEST_FILE])
    body.update(manifest or {})
    if rehash:
        body["files"] = {
            n: sha256(d) for n, d in entries.items() if n not in (MANIFEST_FILE, SIGNATURE_FILE)
        }
    if new_key:
        private = Ed25519PrivateKey.generate().private_bytes_raw()
        body["signing_key"] = base64.b64encode(signing.public_key_of(private)).decode()
        key = private
    if manifest or rehash or new_key:
        entries[MANIFEST_FILE] = json.dumps(body, ensure_ascii=False).encode()
    if key is not None:
        entries[SIGNATURE_FILE] = signing.sign(key, entries[MANIFEST_FILE])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _merge(capsys, db: Path, *packages: Path, extra: tuple[str, ...] = ()) -> tuple[int, str, str]:
    code = main(["merge", "--db", str(db), *map(str, packages), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def setup(commune, tmp_path: Path):
    """Commune 00012 (its key), its first package merged at the level, its second package."""
    store = commune("00012", "Xã Yên Phú", 12, 4)
    first, second = tmp_path / "p1.zip", tmp_path / "p2.zip"
    write_package(store, first)
    write_package(store, second)
    level = tmp_path / "tinh.db"
    assert main(["merge", "--db", str(level), str(first)]) == 0
    return store, level, first, second


def _members_csv_edited(path: Path) -> bytes:
    text = _entries(path)["members.csv"].decode("utf-8-sig")
    head, first_row, rest = text.split("\n", 2)
    return ("\ufeff" + head + "\n" + first_row.replace(",", ",X", 1) + "\n" + rest).encode()


def _steps_twice(path: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    """steps.csv with its first row twice, and the manifest's counts to match."""
    entries = _entries(path)
    text = entries["steps.csv"].decode("utf-8-sig")
    head, first_row, rest = text.split("\n", 2)
    counts = json.loads(entries[MANIFEST_FILE])["counts"]
    counts["steps.csv"] += 1
    twice = "\ufeff" + head + "\n" + first_row + "\n" + first_row + "\n" + rest
    return {"steps.csv": twice.encode()}, {"counts": counts}


def _step_in_the_future(store: Store, p: Path, o: Path) -> Path:
    """steps.csv with its first step done in 2099 (entry refuses a future date)."""
    text = _entries(p)["steps.csv"].decode("utf-8-sig")
    head, first_row, rest = text.split("\n", 2)
    cells = first_row.split(",")
    cells[head.split(",").index("done_on")] = "2099-01-01"
    edited = "\ufeff" + head + "\n" + ",".join(cells) + "\n" + rest
    return _forge(p, o, files={"steps.csv": edited.encode()}, rehash=True, key=_key(store))


def _re_signed(store: Store, p: Path, o: Path, **manifest: Any) -> Path:
    """A package whose manifest the commune itself edited and signed again."""
    return _forge(p, o, manifest=manifest, key=_key(store))


def _steps_doubled(store: Store, p: Path, o: Path) -> Path:
    files, manifest = _steps_twice(p)
    return _forge(p, o, files=files, manifest=manifest, rehash=True, key=_key(store))


HOSTILE = {
    "unsigned": (lambda s, p, o: _forge(p, o, files={SIGNATURE_FILE: b""}), "chữ ký số"),
    "tampered": (
        lambda s, p, o: _forge(p, o, files={"members.csv": _members_csv_edited(p)}),
        "không khớp mã kiểm tra SHA-256",
    ),
    "tampered_rehashed": (
        lambda s, p, o: _forge(p, o, files={"members.csv": _members_csv_edited(p)}, rehash=True),
        "chữ ký số không hợp lệ",
    ),
    "other_key": (
        lambda s, p, o: _forge(p, o, new_key=True),
        "khác khóa đã ghi nhận",
    ),
    "sequence_zero": (
        lambda s, p, o: _re_signed(s, p, o, sequence=0),
        "số thứ tự gói 0 không hợp lệ",
    ),
    "sequence_negative": (
        lambda s, p, o: _re_signed(s, p, o, sequence=-5),
        "số thứ tự gói -5 không hợp lệ",
    ),
    "sequence_huge": (
        lambda s, p, o: _re_signed(s, p, o, sequence=10**15),
        "không hợp lệ",
    ),
    "sequence_text": (
        lambda s, p, o: _re_signed(s, p, o, sequence="3"),
        "không phải số nguyên",
    ),
    "code_empty": (
        lambda s, p, o: _re_signed(s, p, o, commune_code=""),
        "chưa có mã xã",
    ),
    "code_padded": (
        lambda s, p, o: _re_signed(s, p, o, commune_code=" 00012 "),
        "không hợp lệ",
    ),
    "code_short": (
        lambda s, p, o: _re_signed(s, p, o, commune_code="0012"),
        "không hợp lệ",
    ),
    "code_letters": (
        lambda s, p, o: _re_signed(s, p, o, commune_code="0001A"),
        "không hợp lệ",
    ),
    "code_zero": (
        lambda s, p, o: _re_signed(s, p, o, commune_code="00000"),
        "không hợp lệ",
    ),
    "name_empty": (
        lambda s, p, o: _re_signed(s, p, o, commune_name="  "),
        "thiếu tên xã",
    ),
    "bad_signature_text": (
        lambda s, p, o: _forge(p, o, files={SIGNATURE_FILE: b'{"algorithm": "Ed25519"}'}),
        "chữ ký số không hợp lệ",
    ),
    # What a name or code carries must never break the one error line nor reach the file.
    "code_newline": (lambda s, p, o: _re_signed(s, p, o, commune_code="00012\n"), "\\u000a"),
    "name_newline": (
        lambda s, p, o: _re_signed(s, p, o, commune_name="Xã Yên Phú\ndvdesk: đã gộp xong"),
        "tên xã/phường không hợp lệ",
    ),
    "name_bidi_override": (
        lambda s, p, o: _re_signed(s, p, o, commune_name="Xã \u202eúhP nêY"),
        "tên xã/phường không hợp lệ",
    ),
    "name_escape": (
        lambda s, p, o: _re_signed(s, p, o, commune_name="Xã Yên\x1b[31mPhú"),
        "tên xã/phường không hợp lệ",
    ),
    "app_version_newline": (
        lambda s, p, o: _re_signed(s, p, o, app_version="0.1\nLưu ý"),
        "phiên bản chương trình",
    ),
    "party_members_huge": (
        lambda s, p, o: _re_signed(s, p, o, party_members=2**70),
        "số đảng viên",
    ),
    "target_nan": (lambda s, p, o: _re_signed(s, p, o, target_percent=float("nan")), "bị hỏng"),
    "created_in_the_future": (
        lambda s, p, o: _re_signed(s, p, o, created_at="2099-01-01T00:00:00"),
        "ở tương lai",
    ),
    "created_with_offset": (
        lambda s, p, o: _re_signed(s, p, o, created_at="2026-11-20T08:00:00+07:00"),
        "thời điểm tạo",
    ),
    "created_compact": (
        lambda s, p, o: _re_signed(s, p, o, created_at="20261120T080000"),
        "thời điểm tạo",
    ),
    "step_twice": (_steps_doubled, "ghi hai lần"),
    "step_in_the_future": (_step_in_the_future, "sau ngày lập gói"),
    "entry_name_newline": (
        lambda s, p, o: _forge(p, o, files={"notes\n.csv": b"x"}),
        "đường dẫn không an toàn",
    ),
    "entry_name_padded": (
        lambda s, p, o: _forge(p, o, files={"members.csv ": b"x"}),
        "đường dẫn không an toàn",
    ),
    "manifest_without_key": (
        lambda s, p, o: _forge(p, o, manifest={"signing_key": "abc"}),
        "không có chữ ký số",
    ),
}


def _key(store: Store) -> bytes:
    return store.packages.signing_key()[0]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_package_exit_1_one_line_file_unchanged(setup, tmp_path: Path, capsys, case):
    store, level, _, second = setup
    make, message = HOSTILE[case]
    forged = make(store, second, tmp_path / f"{case}.zip")
    before = _dump(level)
    code, _out, err = _merge(capsys, level, forged)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("dvdesk: ")
    assert _dump(level) == before
    # The genuine package still merges afterwards: nothing was locked out.
    assert _merge(capsys, level, second)[0] == 0


def test_replayed_package_is_refused(setup, tmp_path, capsys):
    store, level, first, second = setup
    assert _merge(capsys, level, second)[0] == 0
    before = _dump(level)
    # An old genuine package sent again: refused, the commune's newer data kept.
    code, _, err = _merge(capsys, level, first)
    assert code == 1 and "cũ hơn" in err and "số 2" in err
    assert len(err.strip().splitlines()) == 1
    assert _dump(level) == before
    # Another file under a number already merged (made after a restore): refused too.
    settings = store.settings.get()
    settings.export_sequence = 1
    store.settings.save(settings)
    again = tmp_path / "p2b.zip"
    write_package(store, again)
    code, _, err = _merge(capsys, level, again)
    assert code == 1 and "gói số 2" in err
    assert _dump(level) == before
    # The very file merged last time: nothing to do, nothing changed.
    code, out, _ = _merge(capsys, level, second)
    assert code == 0 and "không thay đổi gì" in out
    assert _dump(level) == before


def test_first_package_shows_the_fingerprint_and_records_the_key(commune, tmp_path, capsys):
    store = commune("00013", "Xã Đông Hòa", 5, 2)
    pkg = tmp_path / "a.zip"
    write_package(store, pkg)
    fingerprint = signing.fingerprint(store.packages.signing_key()[1])
    assert len(fingerprint) == 19 and fingerprint.count("-") == 3
    level = tmp_path / "tinh.db"
    code, out, _ = _merge(capsys, level, pkg, extra=("--dry-run",))
    assert code == 0 and f"mã nhận dạng {fingerprint}" in out and "gọi điện" in out
    with Store.open(level) as lvl:
        assert lvl.received.commune_key("00013") is None  # a dry run records nothing
    assert _merge(capsys, level, pkg)[0] == 0
    with Store.open(level) as lvl:
        recorded = lvl.received.commune_key("00013")
        assert recorded is not None
        assert recorded["public_key"] == store.packages.signing_key()[1]
        assert recorded["fingerprint"] == fingerprint


def test_a_re_keyed_commune_needs_the_officers_confirmation(setup, commune, tmp_path, capsys):
    store, level, _, _second = setup
    # The commune lost its computer and started a new data file (a new key).
    # Its packages count from 1 again: the key, not the number, is what is refused.
    anew = make_commune(tmp_path / "may-moi.db", "00012", "Xã Yên Phú", 12, 4)
    rekeyed = tmp_path / "moi.zip"
    write_package(anew, rekeyed)
    new_fp = signing.fingerprint(anew.packages.signing_key()[1])
    before = _dump(level)
    code, _, err = _merge(capsys, level, rekeyed)
    assert code == 1 and f"--accept-key {new_fp}" in err
    assert _dump(level) == before
    # A wrong fingerprint confirms nothing.
    wrong = "AAAA-BBBB-CCCC-DDDD"
    assert _merge(capsys, level, rekeyed, extra=("--accept-key", wrong))[0] == 1
    assert _dump(level) == before
    # Typed in lower case without dashes, as read on the phone.
    typed = new_fp.replace("-", "").lower()
    code, out, _ = _merge(capsys, level, rekeyed, extra=("--accept-key", typed))
    assert code == 0 and "Khóa ký mới của xã đã được xác nhận" in out
    with Store.open(level) as lvl:
        assert lvl.received.sequence("00012") == 1
        assert lvl.received.commune_key("00012")["fingerprint"] == new_fp
    # From now on the old key is the stranger.
    settings = store.settings.get()
    settings.export_sequence = 9
    store.settings.save(settings)
    old_key_pkg = tmp_path / "cu.zip"
    write_package(store, old_key_pkg)
    code, _, err = _merge(capsys, level, old_key_pkg)
    assert code == 1 and "khác khóa đã ghi nhận" in err
    anew.close()


def test_one_communes_data_under_anothers_code_is_refused(setup, tmp_path, capsys):
    store, level, _, second = setup
    # Commune 00012's package re-labelled as 00014 and re-signed with 00012's own key.
    forged = _forge(second, tmp_path / "f.zip", manifest={"commune_code": "00014"}, key=_key(store))
    before = _dump(level)
    code, _, err = _merge(capsys, level, forged)
    assert code == 1 and "được ký bằng khóa của xã mã 00012" in err
    assert _dump(level) == before


def test_two_communes_signed_by_one_key_in_one_batch_are_refused(commune, tmp_path, capsys):
    store = commune("00012", "Xã Yên Phú", 5, 4)
    pkg = tmp_path / "a.zip"
    write_package(store, pkg)
    forged = _forge(pkg, tmp_path / "b.zip", manifest={"commune_code": "00015"}, key=_key(store))
    level = tmp_path / "tinh.db"
    code, _, err = _merge(capsys, level, pkg, forged)
    assert code == 1 and "giả danh" in err and len(err.strip().splitlines()) == 1
    # A refused first merge leaves no new file behind.
    assert sorted(p.name for p in tmp_path.glob("tinh.db*")) == []


def test_own_communes_package_is_refused(commune, tmp_path, capsys):
    store = commune("00012", "Xã Yên Phú", 5, 4)
    pkg = tmp_path / "a.zip"
    write_package(store, pkg)
    db = Path(str(store.path))
    store.close()
    before = _dump(db)
    code, _, err = _merge(capsys, db, pkg)
    assert code == 1 and "gói của chính xã/phường" in err
    assert _dump(db) == before


def test_a_rename_is_shown_in_the_preview(setup, capsys):
    store, level, _, _ = setup
    settings = store.settings.get()
    settings.commune_name = "Phường Yên Phú"
    store.settings.save(settings)
    renamed = level.with_name("p3.zip")
    write_package(store, renamed)
    code, out, _ = _merge(capsys, level, renamed, extra=("--dry-run",))
    assert code == 0
    assert "Đổi tên: “Xã Yên Phú” → “Phường Yên Phú” (mã 00012)" in out


def test_encrypted_packages_are_signed_too(commune, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(crypto, "LOG2_N", 10)  # fast scrypt for the test
    store = commune("00012", "Xã Yên Phú", 5, 4)
    out = tmp_path / "kin.zip"
    write_package(store, out, SECRET)
    inner = crypto.decrypt(out.read_bytes(), SECRET, out.name)
    plain = tmp_path / "inner.zip"
    plain.write_bytes(inner)
    assert SIGNATURE_FILE in _entries(plain)
    assert read_package(out, SECRET).public_key == store.packages.signing_key()[1]
    # Someone with the passphrase re-seals an edited, re-hashed, unsigned copy.
    forged = _forge(plain, tmp_path / "f.zip", files={"members.csv": _members_csv_edited(plain)})
    forged = _forge(forged, tmp_path / "g.zip", rehash=True)
    sealed = tmp_path / "sealed.zip"
    sealed.write_bytes(crypto.encrypt(forged.read_bytes(), SECRET, log2_n=10))
    secret_file = tmp_path / "pw.txt"
    secret_file.write_text(SECRET)
    level = tmp_path / "tinh.db"
    code, _, err = _merge(capsys, level, sealed, extra=("--passphrase-file", str(secret_file)))
    assert code == 1 and "chữ ký số không hợp lệ" in err


def test_the_signing_key_is_made_with_the_file_and_travels_in_backups(tmp_path):
    from dvdesk.store import backup

    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        private, public = a.packages.signing_key()
        assert len(private) == 32 and signing.public_key_of(private) == public
        assert b.packages.signing_key() != (private, public)
        saved = backup.make_backup(a)
    with Store.open(saved) as copy:
        assert copy.packages.signing_key() == (private, public)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("abcd-efgh-ijkl-mnop", "ABCD-EFGH-IJKL-MNOP"),
        ("ABCDEFGHIJKLMNOP", "ABCD-EFGH-IJKL-MNOP"),
        (" abcd efgh ijkl mnop ", "ABCD-EFGH-IJKL-MNOP"),
        ("ABCD-EFGH-IJKL-MNO", ""),  # too short
        ("ABCD-EFGH-IJKL-MNO1", ""),  # 1 is not in base32
        ("", ""),
    ],
)
def test_fingerprints_typed_by_the_officer(typed: str, canonical: str):
    assert signing.normalize_fingerprint(typed) == canonical


def test_a_forged_package_after_good_ones_leaves_the_file_unchanged(
    setup, commune, tmp_path, capsys
):
    _, level, _, second = setup
    other = commune("00013", "Xã Đông Hòa", 8, 5)
    good = tmp_path / "b1.zip"
    write_package(other, good)
    forged = _forge(second, tmp_path / "f.zip", files={"members.csv": _members_csv_edited(second)})
    before = _dump(level)
    # A forged copy of a package in the same batch (it would be superseded): checked too.
    code, _, err = _merge(capsys, level, good, second, forged)
    assert code == 1 and "SHA-256" in err
    assert _dump(level) == before
    # A forged package of another commune after good ones: those were written inside
    # the merge's transaction before it was reached, and all of it is rolled back.
    third = _forge(good, tmp_path / "g.zip", manifest={"commune_code": "00014"}, new_key=True)
    broken = _forge(third, tmp_path / "h.zip", files={"members.csv": _members_csv_edited(third)})
    code, out, err = _merge(capsys, level, good, second, broken)
    assert code == 1 and "SHA-256" in err and "Đã xử lý gói 2/3." in out
    assert _dump(level) == before


def test_each_member_is_validated_once_per_merge(setup, commune, tmp_path, monkeypatch, capsys):
    from dvdesk.exchange import merge
    from dvdesk.store import received

    _, level, _, second = setup
    calls = {"n": 0}
    real = merge.validate_member

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(merge, "validate_member", counting)
    monkeypatch.setattr(received, "validate_member", counting)
    other = commune("00013", "Xã Đông Hòa", 9, 5)
    pkg = tmp_path / "b1.zip"
    write_package(other, pkg)
    assert _merge(capsys, level, pkg, second)[0] == 0
    assert calls["n"] == 9 + 12


def test_a_name_the_level_would_refuse_is_refused_at_export(commune, tmp_path: Path):
    from dvdesk.exchange.manifest import PackageError

    store = commune("00012", "Xã Yên Phú", 5, 1)
    settings = store.settings.get()
    settings.commune_name = "Xã Yên\u00adPhú"  # a soft hyphen pasted from a document
    store.settings.save(settings)
    with pytest.raises(PackageError, match="ký tự ẩn"):
        write_package(store, tmp_path / "p.zip")
    assert not (tmp_path / "p.zip").exists()
    assert store.settings.get().export_sequence == 0
