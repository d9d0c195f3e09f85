"""The transfer file: a graduate's introduction from a school file into a commune file,
followed to the receiver's confirmation; conflicts and forgeries refused."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.procedure import Stage, StepState
from dvdesk.exchange import crypto, signing
from dvdesk.exchange.manifest import MANIFEST_FILE, sha256
from dvdesk.exchange.transfer_file import read_transfer_file, write_transfer_file
from dvdesk.store.gateway import Store
from tests import sql

from .conftest import TODAY, make_commune

RECEIVER = "Chi bộ Khu dân cư Quyết Thắng, Xã Đông Hòa"


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _candidate(store: Store) -> str:
    for m in store.packages.members():
        stage = store.steps.checklist(m.uid, today=TODAY).stage
        if stage not in (Stage.MEMBER, Stage.PROBATION, Stage.FULL):
            return m.uid
    raise AssertionError("the demo has no candidate")


@pytest.fixture
def school(tmp_path: Path):
    store = make_commune(tmp_path / "truong.db", "00021", "Trường THPT Yên Phú", 80, 9)
    yield store
    store.close()


@pytest.fixture
def commune_b(tmp_path: Path):
    store = make_commune(tmp_path / "xa-b.db", "00013", "Xã Đông Hòa", 20, 3)
    path = store.path
    store.close()
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_graduate_travels_to_the_commune_and_is_confirmed(
    school: Store, commune_b: Path, tmp_path: Path, capsys
):
    uid = _candidate(school)
    # The letter was printed first (services record the handover then).
    school.transfers.record(uid, TODAY, RECEIVER, "Giấy chuyển (giay.pdf)")
    out = tmp_path / "chuyen.zip"
    info = write_transfer_file(school, uid, RECEIVER, out, "15-GGT/ĐU", today=TODAY)
    again = write_transfer_file(school, uid, RECEIVER, tmp_path / "lai.zip", today=TODAY)
    # Writing the file (twice) recorded no second transfer.
    assert sql.scalar(school, "SELECT count(*) FROM transfers") == 1
    assert again["transfer_id"] == info["transfer_id"]
    assert again["letter_number"] == "15-GGT/ĐU"
    assert [r["uid"] for r in school.transfers.pending()] == [uid]
    sent_steps = {
        c: r for c, r in school.steps.of(uid).items() if r.state is not StepState.NOT_STARTED
    }
    school.close()

    receipt = tmp_path / "xac-nhan.zip"
    code, text, err = _run(
        capsys,
        "receive-transfer",
        "--db",
        str(commune_b),
        str(out),
        "--unit",
        "KDC01",
        "--receipt",
        str(receipt),
    )
    assert code == 0, err
    assert "gửi từ Trường THPT Yên Phú (mã 00021)" in text
    assert "giấy chuyển số 15-GGT/ĐU" in text
    with Store.open(commune_b) as b:
        arrived = b.members.get(uid)
        assert arrived.unit_code == "KDC01"
        got = {c: r for c, r in b.steps.of(uid).items() if r.state is not StepState.NOT_STARTED}
        assert got == sent_steps
        (mark,) = b.transfers.arrivals()
        assert (mark["uid"], mark["from_name"], mark["letter_number"]) == (
            uid,
            "Trường THPT Yên Phú",
            "15-GGT/ĐU",
        )
        assert any(e["entity"] == "transfer_in" for e in b.audit.history(uid))
    # The same file again is refused and changes nothing.
    before = _dump(commune_b)
    code, _, err = _run(capsys, "receive-transfer", "--db", str(commune_b), str(out))
    assert code == 1 and "đã được nhận trước đây" in err and len(err.splitlines()) == 1
    assert _dump(commune_b) == before

    school_db = tmp_path / "truong.db"
    code, text, err = _run(capsys, "transfers", "--db", str(school_db))
    assert "chờ nơi nhận xác nhận: 1 người" in text
    code, text, err = _run(capsys, "receive-transfer", "--db", str(school_db), str(receipt))
    assert code == 0, err
    assert "đã xác nhận" in text
    with Store.open(school_db) as s:
        assert s.transfers.pending() == []
    code, _, err = _run(capsys, "receive-transfer", "--db", str(school_db), str(receipt))
    assert code == 1 and "đã được xác nhận trước đây" in err


def test_a_person_already_present_with_another_dossier_is_a_conflict(
    school: Store, tmp_path: Path, capsys
):
    uid = _candidate(school)
    person = school.members.get(uid)
    out = tmp_path / "chuyen.zip"
    write_transfer_file(school, uid, RECEIVER, out, today=TODAY)
    cases = {
        "same_cccd": replace(person, uid="5b0f7a4e-5a55-4d0e-9f44-2d8f8f9a0c01", phone=""),
        "same_uid": replace(person, full_name="Tên Khác Hẳn", cccd=""),
        "same_name_dob": replace(person, uid="5b0f7a4e-5a55-4d0e-9f44-2d8f8f9a0c02", cccd=""),
    }
    tried = 0
    for name, twin in cases.items():
        if name == "same_name_dob" and not (person.dob and person.dob.is_full):
            continue
        if name == "same_cccd" and not person.cccd:
            continue
        tried += 1
        target = make_commune(tmp_path / f"{name}.db", "00013", "Xã Đông Hòa", 5, 3)
        target.members.add(replace(twin, unit_code="KDC01", school_class="", school_year=""), TODAY)
        target.close()
        before = _dump(tmp_path / f"{name}.db")
        code, _, err = _run(
            capsys,
            "receive-transfer",
            "--db",
            str(tmp_path / f"{name}.db"),
            str(out),
            "--unit",
            "KDC01",
        )
        assert code == 1, name
        assert "Xung đột" in err and "hồ sơ khác" in err, err
        assert len(err.strip().splitlines()) == 1
        assert _dump(tmp_path / f"{name}.db") == before
    assert tried >= 2


def _forge(source: Path, out: Path, *, rehash: bool, key: bytes | None = None) -> Path:
    with zipfile.ZipFile(source) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    entries["member.csv"] = entries["member.csv"].replace(b"KDC", b"XYZ", 1) + b""
    text = entries["member.csv"].decode("utf-8-sig")
    entries["member.csv"] = ("\ufeff" + text.replace(",Kinh,", ",Tày,", 1)).encode()
    if rehash:
        manifest = json.loads(entries[MANIFEST_FILE])
        manifest["files"]["member.csv"] = sha256(entries["member.csv"])
        entries[MANIFEST_FILE] = json.dumps(manifest, ensure_ascii=False).encode()
    if key is not None:
        entries[signing.SIGNATURE_FILE] = signing.sign(key, entries[MANIFEST_FILE])
    with zipfile.ZipFile(out, "w") as z:
        for n, d in entries.items():
            z.writestr(n, d)
    return out


@pytest.mark.parametrize(
    ("rehash", "message"),
    [(False, "không khớp mã kiểm tra SHA-256"), (True, "chữ ký số không hợp lệ")],
)
def test_a_tampered_transfer_file_is_refused(
    school: Store, commune_b: Path, tmp_path: Path, capsys, rehash: bool, message: str
):
    uid = _candidate(school)
    out = tmp_path / "chuyen.zip"
    write_transfer_file(school, uid, RECEIVER, out, today=TODAY)
    forged = _forge(out, tmp_path / "gia.zip", rehash=rehash)
    before = _dump(commune_b)
    code, _, err = _run(
        capsys, "receive-transfer", "--db", str(commune_b), str(forged), "--unit", "KDC01"
    )
    assert code == 1 and message in err
    assert _dump(commune_b) == before


def test_an_encrypted_transfer_file_is_signed_and_opens_with_the_passphrase(
    school: Store, tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(crypto, "LOG2_N", 10)
    uid = _candidate(school)
    out = tmp_path / "kin.zip"
    write_transfer_file(school, uid, RECEIVER, out, passphrase="mat-khau-dai", today=TODAY)
    assert crypto.is_encrypted(out.read_bytes())
    read = read_transfer_file(out, "mat-khau-dai")
    assert read.member is not None and read.member.uid == uid
    assert read.public_key == school.packages.signing_key()[1]


def test_a_member_without_steps_has_no_transfer_file(school: Store, tmp_path: Path):
    from dvdesk.errors import KnownError

    plain = next(
        m.uid
        for m in school.packages.members()
        if school.steps.checklist(m.uid, today=TODAY).stage is Stage.MEMBER
    )
    with pytest.raises(KnownError, match="chưa có bước nào"):
        write_transfer_file(school, plain, RECEIVER, tmp_path / "x.zip", today=date(2026, 11, 26))
    assert not (tmp_path / "x.zip").exists()
    assert school.transfers.of(plain) == []


def test_printing_the_letter_writes_the_transfer_file_once(school: Store, tmp_path: Path, capsys):
    uid = _candidate(school)
    db = str(school.path)
    school.close()
    letter, package = tmp_path / "giay.pdf", tmp_path / "chuyen.zip"
    argv = ["print", "transfer", "--db", db, "--uid", uid, "--to", RECEIVER, "--out", str(letter)]
    extra = ["--transfer-file", str(package), "--letter-number", "7-GGT/ĐU"]
    code, text, err = _run(capsys, *argv, *extra)
    assert code == 0, err
    assert "Đã ghi tệp chuyển nguồn" in text and letter.exists() and package.exists()
    # A reprint, file and all: still one handover, the same transfer id.
    first = read_transfer_file(package).info["transfer_id"]
    code, text, err = _run(capsys, *argv, *extra, "--overwrite")
    assert code == 0, err
    assert "không ghi thêm" in text
    with Store.open(Path(db)) as again:
        assert sql.scalar(again, "SELECT count(*) FROM transfers") == 1
        assert [r["letter_number"] for r in again.transfers.pending()] == ["7-GGT/ĐU"]
    assert read_transfer_file(package).info["transfer_id"] == first


def _re_signed(store: Store, source: Path, out: Path, **changes: object) -> Path:
    """The transfer file with its manifest edited and signed again with the sender's key."""
    with zipfile.ZipFile(source) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(entries[MANIFEST_FILE])
    manifest.update(changes)
    entries[MANIFEST_FILE] = json.dumps(manifest, ensure_ascii=False).encode()
    entries[signing.SIGNATURE_FILE] = signing.sign(
        store.packages.signing_key()[0], entries[MANIFEST_FILE]
    )
    with zipfile.ZipFile(out, "w") as z:
        for n, d in entries.items():
            z.writestr(n, d)
    return out


def _braced(tid: str) -> str:
    return "{" + tid.upper() + "}"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # One transfer under another spelling of its id: a second arrival, no receipt match.
        ("transfer_id", _braced, "mã tệp chuyển"),
        ("transfer_id", lambda tid: f"urn:uuid:{tid}", "mã tệp chuyển"),
        ("from_name", "Trường A\ndvdesk: đã nhận", "tên nơi gửi không hợp lệ"),
        ("from_name", ["Trường A"], "tên nơi gửi không hợp lệ"),
        ("member_name", "Trần \u202eHằng", "tên người được chuyển không hợp lệ"),
        ("letter_number", "1" * 100_000, "số giấy chuyển không hợp lệ"),
        ("member_uid", 5, "mã đoàn viên"),
    ],
)
def test_a_transfer_file_with_odd_manifest_values_is_refused(
    school: Store, commune_b: Path, tmp_path: Path, capsys, field: str, value, message: str
):
    uid = _candidate(school)
    out = tmp_path / "chuyen.zip"
    info = write_transfer_file(school, uid, RECEIVER, out, today=TODAY)
    new = value(info[field]) if callable(value) else value
    forged = _re_signed(school, out, tmp_path / "sua.zip", **{field: new})
    before = _dump(commune_b)
    code, _, err = _run(
        capsys, "receive-transfer", "--db", str(commune_b), str(forged), "--unit", "KDC01"
    )
    assert code == 1 and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert _dump(commune_b) == before
    # The genuine file still loads afterwards.
    assert (
        _run(capsys, "receive-transfer", "--db", str(commune_b), str(out), "--unit", "KDC01")[0]
        == 0
    )


def test_a_sender_name_the_receiver_would_refuse_is_refused_when_writing(
    school: Store, tmp_path: Path
):
    from dvdesk.errors import KnownError

    uid = _candidate(school)
    settings = school.settings.get()
    settings.commune_name = "Trường THPT\u200bYên Phú"  # a zero-width space pasted in
    school.settings.save(settings)
    with pytest.raises(KnownError, match="ký tự ẩn"):
        write_transfer_file(school, uid, RECEIVER, tmp_path / "x.zip", today=TODAY)
    assert not (tmp_path / "x.zip").exists()
    assert school.transfers.of(uid) == []  # no handover recorded for a file not written


def test_a_receiver_or_letter_number_the_receiver_would_refuse_is_refused(
    school: Store, tmp_path: Path
):
    from dvdesk.errors import KnownError

    uid = _candidate(school)
    for to, number in (("Chi bộ " * 60, ""), (RECEIVER, "12\u202e-GGT")):
        with pytest.raises(KnownError, match=r"quá dài|ký tự ẩn"):
            write_transfer_file(school, uid, to, tmp_path / "x.zip", number, today=TODAY)
    assert not (tmp_path / "x.zip").exists()
    assert school.transfers.of(uid) == []
