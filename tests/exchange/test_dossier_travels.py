"""The admission dossier travels: in the commune package (format 1.2) to the receiving
level, replaced per commune and member, and in a graduate's transfer file."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.procedure import Stage, StepState
from dvdesk.domain.procedure_dossier import DossierException, Introducer, PartyStatus, Vote
from dvdesk.exchange import dossier_tables, signing
from dvdesk.exchange.manifest import MANIFEST_FILE, Manifest, PackageError, sha256
from dvdesk.exchange.package import read_package, write_package
from dvdesk.exchange.records import RecordError
from dvdesk.exchange.transfer_file import write_transfer_file
from dvdesk.store.gateway import Store
from tests import sql

from .conftest import TODAY, make_commune

PEOPLE = (
    Introducer("Nguyễn Văn Tư", PartyStatus.OFFICIAL, date(2023, 1, 5), date(2026, 3, 2)),
    Introducer("Lê Thị Năm", PartyStatus.OFFICIAL, date(2024, 6, 1), None, "bí thư chi bộ"),
)


def _candidate(store: Store) -> str:
    for m in store.packages.members():
        if store.steps.checklist(m.uid, today=TODAY).stage not in (
            Stage.MEMBER,
            Stage.PROBATION,
            Stage.FULL,
        ):
            return m.uid
    raise AssertionError("the demo has no candidate")


def _fill(store: Store, uid: str) -> None:
    store.dossier.set_introducers(uid, PEOPLE)
    store.dossier.set_vote(uid, "branch_resolution", Vote("branch_resolution", 10, 12, 11))
    store.dossier.set_details(
        uid, education="12/12", union_member=True, helper="Trần Văn Sáu", helper_since=TODAY
    )
    store.dossier.add_exception(
        uid, DossierException("age_over_60", "Được Tỉnh ủy đồng ý", "Công văn 12-CV/TU")
    )


def _dossier_json(capsys, db: Path, uid: str) -> dict:
    code = main(["dossier", "--db", str(db), "--uid", uid, "--json", "--today", "26/11/2026"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _travelling(d: dict) -> dict:
    keys = ("introducers", "votes", "education", "union_member", "helper", "helper_since")
    return {k: d[k] for k in (*keys, "exceptions")}


def _merge(capsys, level: Path, *packages: Path) -> str:
    code = main(["merge", "--db", str(level), *map(str, packages)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_the_dossier_reaches_the_receiving_level_and_is_replaced(commune, tmp_path, capsys):
    a = commune("00012", "Xã Yên Phú", n=40, seed=4)
    uid = _candidate(a)
    _fill(a, uid)
    a.dossier.set_unit_position(a.members.get(uid).unit_code, "dang_uy_bo_phan")
    expected = _travelling(_dossier_json(capsys, a.path, uid))
    assert len(expected["introducers"]) == 2 and expected["votes"]
    assert expected["exceptions"]
    level = tmp_path / "tinh.db"
    _merge(capsys, level, write_package(a, tmp_path / "1.zip") and tmp_path / "1.zip")
    got = _dossier_json(capsys, level, uid)
    assert _travelling(got) == expected
    assert got["position"] == "dang_uy_bo_phan"

    # The commune corrects the dossier: the receiving level holds its rows, no others.
    a.dossier.set_introducers(uid, PEOPLE[:1])
    a.dossier.set_vote(uid, "branch_resolution", None)
    a.dossier.remove_exception(uid, "age_over_60")
    write_package(a, tmp_path / "2.zip")
    text = _merge(capsys, level, tmp_path / "2.zip")
    assert "cập nhật 1" in text
    got = _travelling(_dossier_json(capsys, level, uid))
    assert got == _travelling(_dossier_json(capsys, a.path, uid))
    assert [p["name"] for p in got["introducers"]] == ["Nguyễn Văn Tư"]
    assert got["votes"] == [] and got["exceptions"] == []
    with Store.open(level) as lv:
        assert any(e["entity"] == "dossier" for e in lv.audit.history(uid))


def test_every_commune_keeps_its_own_dossiers(commune, tmp_path, capsys):
    a = commune("00012", "Xã Yên Phú", n=30, seed=4)
    b = commune("00013", "Xã Đông Hòa", n=30, seed=5)
    ua, ub = _candidate(a), _candidate(b)
    _fill(a, ua)
    b.dossier.set_introducers(ub, PEOPLE[1:])
    write_package(a, tmp_path / "a1.zip")
    write_package(b, tmp_path / "b1.zip")
    level = tmp_path / "tinh.db"
    _merge(capsys, level, tmp_path / "a1.zip", tmp_path / "b1.zip")
    # B sends again with no introducers at all: A's dossier is untouched.
    b.dossier.set_introducers(ub, [])
    write_package(b, tmp_path / "b2.zip")
    _merge(capsys, level, tmp_path / "b2.zip")
    assert _travelling(_dossier_json(capsys, level, ua)) == _travelling(
        _dossier_json(capsys, a.path, ua)
    )
    assert _dossier_json(capsys, level, ub)["introducers"] == []
    with Store.open(level) as lv:
        counts = {
            r["code"]: r["n"]
            for r in sql.rows(
                lv,
                "SELECT m.commune_code AS code, count(*) AS n FROM introducers i "
                "JOIN members m ON m.id = i.member_id GROUP BY 1",
            )
        }
    # Each commune's count at the level is its own file's (the demo introduces others too).
    own = {
        c: sql.scalar(x, "SELECT count(*) FROM introducers")
        for c, x in (("00012", a), ("00013", b))
    }
    assert counts == {c: n for c, n in own.items() if n}


def _rewrite(store: Store, src: Path, out: Path, change) -> None:
    """Re-sign a package after `change(entries)`: what a newer or older dvdesk might write."""
    with zipfile.ZipFile(src) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    manifest = Manifest.from_json(entries.pop(MANIFEST_FILE), src.name)
    entries.pop(signing.SIGNATURE_FILE)
    manifest = change(entries, manifest)
    manifest.files = {n: sha256(d) for n, d in entries.items()}
    body = manifest.to_json()
    private, _ = store.packages.signing_key()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(MANIFEST_FILE, body)
        z.writestr(signing.SIGNATURE_FILE, signing.sign(private, body))
        for n, d in entries.items():
            z.writestr(n, d)
    out.write_bytes(buf.getvalue())


def test_a_package_without_dossier_files_keeps_the_levels_dossiers(commune, tmp_path, capsys):
    a = commune("00012", "Xã Yên Phú", n=30, seed=4)
    uid = _candidate(a)
    _fill(a, uid)
    write_package(a, tmp_path / "1.zip")
    level = tmp_path / "tinh.db"
    _merge(capsys, level, tmp_path / "1.zip")
    before = _travelling(_dossier_json(capsys, level, uid))
    write_package(a, tmp_path / "2.zip")

    def as_1_1(entries, manifest):
        for name in dossier_tables.DOSSIER_FILES:
            del entries[name]
            del manifest.counts[name]
        manifest.format_version = "1.1"
        return manifest

    _rewrite(a, tmp_path / "2.zip", tmp_path / "old.zip", as_1_1)
    assert read_package(tmp_path / "old.zip").dossier is None
    _merge(capsys, level, tmp_path / "old.zip")
    assert _travelling(_dossier_json(capsys, level, uid)) == before


def test_a_1_2_package_missing_a_dossier_file_is_refused(commune, tmp_path):
    a = commune("00012", "Xã Yên Phú", n=20, seed=4)
    write_package(a, tmp_path / "1.zip")

    def drop_votes(entries, manifest):
        del entries["votes.csv"]
        del manifest.counts["votes.csv"]
        return manifest

    _rewrite(a, tmp_path / "1.zip", tmp_path / "bad.zip", drop_votes)
    with pytest.raises(PackageError, match=r"thiếu tệp votes\.csv"):
        read_package(tmp_path / "bad.zip")


UID = "5f0c7c1e-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        (
            "introducers.csv",
            {"seq": "1", "name": "A", "status": "dang-vien", "together_since": "", "note": ""},
            "status",
        ),
        (
            "introducers.csv",
            {"seq": "0", "name": "A", "status": "official", "together_since": "", "note": ""},
            "seq",
        ),
        (
            "introducers.csv",
            {"seq": "1", "name": " ", "status": "official", "together_since": "", "note": ""},
            "họ và tên",
        ),
        (
            "introducers.csv",
            {"seq": "1", "name": "A", "status": "official", "together_since": "5/1/2023"},
            "together_since",
        ),
        ("votes.csv", {"step_code": "6-KNĐ", "in_favour": "1", "total": "2"}, "step_code"),
        (
            "votes.csv",
            {"step_code": "branch_resolution", "in_favour": "13", "total": "12"},
            "lớn hơn",
        ),
        ("votes.csv", {"step_code": "branch_resolution", "in_favour": "-1", "total": "2"}, "âm"),
        ("votes.csv", {"step_code": "branch_resolution", "in_favour": "1", "total": "0"}, "0"),
        ("dossiers.csv", {"union_member": "co"}, "union_member"),
        ("dossier_exceptions.csv", {"rule_code": "education", "document": ""}, "văn bản"),
    ],
)
def test_bad_dossier_values_are_refused_with_line_and_column(file, row, message):
    blank = {c[0]: "" for c in dossier_tables.COLUMNS[file]}
    full = {**blank, "member_uid": UID, "introduced_on": "", "present": "", **row}
    if file == "dossier_exceptions.csv":
        full.setdefault("note", "x")
        full["note"] = full["note"] or "x"
    with pytest.raises(RecordError, match=f"{file} dòng 2") as info:
        dossier_tables.from_rows(file, [full], {UID}, set())
    assert message in str(info.value)


def test_dossier_rows_must_name_a_member_or_unit_of_the_package():
    row = {"member_uid": "other", "seq": "1", "name": "A", "status": "official"}
    row |= {"together_since": "", "introduced_on": "", "note": ""}
    with pytest.raises(RecordError, match="không có đoàn viên"):
        dossier_tables.from_rows("introducers.csv", [row], {UID}, set())
    with pytest.raises(RecordError, match=r"không có trong units\.csv"):
        dossier_tables.from_rows(
            "unit_positions.csv", [{"unit_code": "KDC09", "position": "chi_bo_co_so"}], set(), {"X"}
        )
    twice = {**row, "member_uid": UID}
    with pytest.raises(RecordError, match="hai lần"):
        dossier_tables.from_rows("introducers.csv", [twice, twice], {UID}, set())


def test_the_transfer_file_carries_the_whole_dossier(tmp_path, capsys):
    school = make_commune(tmp_path / "truong.db", "00021", "Trường THPT Yên Phú", 60, 9)
    uid = _candidate(school)
    _fill(school, uid)
    expected = _travelling(_dossier_json(capsys, school.path, uid))
    sent_stage = school.steps.checklist(uid, today=TODAY).stage
    out = tmp_path / "chuyen.zip"
    write_transfer_file(school, uid, "Chi bộ Khu dân cư Quyết Thắng", out, "15-GGT", today=TODAY)
    with zipfile.ZipFile(out) as z:
        assert set(dossier_tables.MEMBER_FILES) <= set(z.namelist())
    school.close()
    b = make_commune(tmp_path / "xa-b.db", "00013", "Xã Đông Hòa", 20, 3)
    b.close()
    code = main(
        ["receive-transfer", "--db", str(tmp_path / "xa-b.db"), str(out), "--unit", "KDC01"]
    )
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    got = _dossier_json(capsys, tmp_path / "xa-b.db", uid)
    assert _travelling(got) == expected
    with Store.open(tmp_path / "xa-b.db") as lv:
        assert lv.steps.checklist(uid, today=TODAY).stage == sent_stage
        done = [r for r in lv.steps.of(uid).values() if r.state is StepState.DONE]
        assert done


def test_each_communes_chi_bo_position_stays_with_its_units(commune, tmp_path, capsys):
    a = commune("00012", "Xã Yên Phú", n=30, seed=4)
    b = commune("00013", "Xã Đông Hòa", n=30, seed=5)
    ub = _candidate(b)
    unit_b = b.members.get(ub).unit_code
    shared = [m.uid for m in a.packages.members() if m.unit_code == unit_b]
    assert shared, "the demo communes share unit codes"
    # Only Xã Đông Hòa's unit stands under a partial committee.
    b.dossier.set_unit_position(unit_b, "dang_uy_bo_phan")
    write_package(a, tmp_path / "a.zip")
    write_package(b, tmp_path / "b.zip")
    level = tmp_path / "tinh.db"
    _merge(capsys, level, tmp_path / "a.zip", tmp_path / "b.zip")
    assert _dossier_json(capsys, level, ub)["position"] == "dang_uy_bo_phan"
    own_a = _dossier_json(capsys, a.path, shared[0])["position"]
    assert own_a != "dang_uy_bo_phan"
    assert _dossier_json(capsys, level, shared[0])["position"] == own_a
