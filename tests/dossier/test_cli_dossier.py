"""`dvdesk step` and `dvdesk dossier`: the window's checks; a refusal exits 1, writes nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.dossier import StepRefused
from dvdesk.store.gateway import Store

TODAY = "01/06/2026"


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "xa.db"
    with Store.open(path) as store:
        store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
        m = Member("Trần Thị Mai", "KDC01", dob=PartialDate(2001, 4, 2))
        store.members.add(m, date(2026, 6, 1))
    return path, m.uid


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("steps", "audit", "introducers", "votes", "dossiers")
        )


def step(capsys, path: Path, uid: str, form: str, day: str, *extra: str):
    return run(
        capsys,
        "step",
        "--db",
        str(path),
        "--uid",
        uid,
        "--form",
        form,
        "--date",
        day,
        "--today",
        TODAY,
        *extra,
    )


def test_a_refused_step_exits_1_with_rule_and_source_and_writes_nothing(capsys, db):
    path, uid = db
    assert step(capsys, path, uid, "1-KNĐ", "01/02/2026")[0] == 0
    before = counts(path)
    code, out, err = step(capsys, path, uid, "le-ket-nap", "01/03/2026")
    assert code == 1 and out == ""
    assert "order_ceremony" in err and "294-QĐ/TW" in err and "9-KNĐ" in err
    assert counts(path) == before


def test_the_cli_refuses_exactly_what_the_store_refuses(capsys, db):
    path, uid = db
    step(capsys, path, uid, "1-KND", "01/02/2026")
    code, _, err = step(capsys, path, uid, "6-KND", "01/01/2026")
    assert code == 1
    with Store.open(path) as store, pytest.raises(StepRefused) as caught:
        store.dossier.record_step(
            uid,
            StepRecord("branch_resolution", StepState.DONE, date(2026, 1, 1)),
            date(2026, 6, 1),
        )
    assert err.splitlines()[0] == f"dvdesk: {str(caught.value).splitlines()[0]}"


def test_not_applicable_and_unknown_forms(capsys, db):
    path, uid = db
    code, _, err = run(
        capsys, "step", "--db", str(path), "--uid", uid, "--form", "9-KNĐ", "--not-applicable"
    )
    assert code == 1 and "step_required" in err
    code, _, _ = run(
        capsys, "step", "--db", str(path), "--uid", uid, "--form", "4-KNĐ", "--not-applicable"
    )
    assert code == 0
    code, _, err = run(
        capsys, "step", "--db", str(path), "--uid", uid, "--form", "17-KNĐ", "--date", "01/01/2026"
    )
    assert code == 1 and "Không có bước" in err
    code, _, err = run(capsys, "step", "--db", str(path), "--uid", uid, "--form", "1-KNĐ")
    assert code == 1 and "--date" in err


def test_dossier_json_lists_steps_and_every_check(capsys, db):
    path, uid = db
    for form, day in [
        ("nguon", "01/09/2025"),
        ("CN-NTVĐ", "20/09/2025"),
        ("1-KNĐ", "01/10/2025"),
        ("2-KNĐ", "05/10/2025"),
        ("tham-tra", "01/11/2025"),
        ("3-KNĐ", "05/11/2025"),
        ("4-KNĐ", "06/11/2025"),
        ("5-KNĐ", "10/11/2025"),
        ("6-KNĐ", "01/12/2025"),
    ]:
        assert step(capsys, path, uid, form, day)[0] == 0, form
    code, out, err = run(
        capsys,
        "dossier",
        "--db",
        str(path),
        "--uid",
        uid,
        "--today",
        TODAY,
        "--json",
        "--introducer",
        "Lê Văn Tám;du-bi;01/06/2025",
        "--vote",
        "6-KNĐ:7/12:12",
        "--education",
        "12/12",
        "--helper",
        "Lê Văn Tám",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["definition"]["version"] == "2025.1"
    assert [s["code"] for s in data["steps"]][:3] == ["nguon", "CN-NTVĐ", "1-KNĐ"]
    checks = {(c["code"], c["severity"]) for c in data["checks"]}
    assert ("introducers", "violation") in checks  # probationary, and 5 months together
    assert ("branch_vote", "violation") in checks  # 7 of 12 is short of 2/3
    assert all(set(c) >= {"code", "severity", "message", "rule", "source"} for c in data["checks"])
    assert data["checks"][0]["severity"] == "violation"
    assert data["counts"]["violation"] == 3
    # Fixed, the same dossier passes with no flag.
    code, out, _ = run(
        capsys,
        "dossier",
        "--db",
        str(path),
        "--uid",
        uid,
        "--today",
        TODAY,
        "--json",
        "--introducer",
        "Lê Văn Tám;chinh-thuc;01/06/2020",
        "--vote",
        "6-KNĐ:8/12:12",
    )
    assert code == 0 and json.loads(out)["checks"] == []


def test_dossier_options_are_all_or_nothing(capsys, db):
    path, uid = db
    before = counts(path)
    code, _, err = run(
        capsys,
        "dossier",
        "--db",
        str(path),
        "--uid",
        uid,
        "--introducer",
        "Lê Văn Tám;chinh-thuc;01/06/2020",
        "--vote",
        "6-KNĐ:13/12",
    )
    assert code == 1 and "13" in err
    assert counts(path) == before
    code, _, err = run(capsys, "dossier", "--db", str(path), "--uid", uid, "--vote", "6-KNĐ:x")
    assert code == 1 and "--vote" in err


def test_dossier_text_names_the_version_and_position(capsys, db):
    path, uid = db
    code, out, _ = run(
        capsys, "dossier", "--db", str(path), "--uid", uid, "--unit-position", "dang_uy_co_so"
    )
    assert code == 0
    assert "2025.1" in out and "đảng ủy cơ sở" in out and "8-KNĐ" in out


def test_exceptions_are_recorded_and_withdrawn(capsys, db):
    path, uid = db
    rec = "ceremony_deadline;Bão lũ;Công văn 45-CV/ĐU ngày 02/3/2026;le-ket-nap"
    code, out, _ = run(
        capsys, "dossier", "--db", str(path), "--uid", uid, "--json", "--exception", rec
    )
    assert code == 0
    assert json.loads(out)["exceptions"] == [
        {
            "rule": "ceremony_deadline",
            "step": "ceremony",
            "note": "Bão lũ",
            "document": "Công văn 45-CV/ĐU ngày 02/3/2026",
        }
    ]
    code, _, err = run(
        capsys, "dossier", "--db", str(path), "--uid", uid, "--exception", "order_ceremony;x;y"
    )
    assert code == 1 and "không cho phép ngoại lệ" in err
    code, out, _ = run(
        capsys,
        "dossier",
        "--db",
        str(path),
        "--uid",
        uid,
        "--json",
        "--remove-exception",
        "ceremony_deadline;le-ket-nap",
    )
    assert code == 0 and json.loads(out)["exceptions"] == []
