"""The command-line contract (DESIGN.md): JSON shapes, exit codes, nothing written on refusal."""

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.names import sort_key
from dvdesk.store.schema import FORMAT_MAJOR, FORMAT_MINOR

FORMAT = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"

LIST_KEYS = {"uid", "full_name", "dob", "unit", "status", "eligible_from"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "150", "--seed", "7"]) == 0
    return path


# -- age ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "status", "age_months", "eligible_from"),
    [
        (["25/03/2008", "--on", "2026-03-25"], "eligible", 216, None),
        (["2008-03-25", "--on", "24/03/2026"], "too_young", 215, "2026-03-25"),
        (["25/03/2008", "--on", "01/03/2026", "--method", "B"], "eligible", 216, None),
        (["25/03/2008", "--on", "28/02/2026", "--method", "B"], "too_young", 215, "2026-03-01"),
        (["26/11/1966", "--on", "26/12/2026"], "over_age", 721, None),
        (["29/02/2008", "--on", "28/02/2026"], "eligible", 216, None),
    ],
)
def test_age_json_contract(capsys, argv, status, age_months, eligible_from):
    code, out, err = run(capsys, "age", *argv, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"status", "age_months", "eligible_from", "warnings", "reason"}
    assert (data["status"], data["age_months"], data["eligible_from"]) == (
        status,
        age_months,
        eligible_from,
    )
    assert isinstance(data["warnings"], list) and data["reason"]
    if eligible_from:
        assert date.fromisoformat(data["eligible_from"])


def test_age_near_the_limit_warns(capsys):
    _, out, _ = run(capsys, "age", "25/03/2008", "--on", "24/03/2026", "--json")
    assert any("Sát ngưỡng tuổi" in w for w in json.loads(out)["warnings"])


@pytest.mark.parametrize(
    ("dob", "possible"),
    [("2008", ["too_young", "eligible"]), ("02/2008", ["too_young", "eligible"])],
)
def test_age_partial_dates_give_the_range(capsys, dob, possible):
    code, out, _ = run(capsys, "age", dob, "--on", "2026-02-15", "--json")
    data = json.loads(out)
    assert code == 0 and data["status"] == "unknown" and data["age_months"] is None
    assert data["possible_statuses"] == possible
    assert date.fromisoformat(data["eligible_from_earliest"]) <= date.fromisoformat(
        data["eligible_from_latest"]
    )
    assert dob in data["reason"]


def test_age_text_output_is_vietnamese(capsys):
    code, out, _ = run(capsys, "age", "25/03/2008", "--on", "24/03/2026")
    assert code == 0 and out.startswith("Chưa đủ 18 tuổi.") and "25/03/2026" in out
    assert "Lưu ý: Sát ngưỡng tuổi" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["age", "01/01/2008", "--on", "30/02/2026"], "--on: Ngày 30/02/2026 không tồn tại."),
        (["age", "01/01/2008", "--on", "2026"], "--on: Cần ngày đầy đủ"),
        (["age", "29/02/2007", "--on", "2026-01-01"], "Ngày sinh: Năm 2007 không nhuận"),
        (["age", "hôm qua", "--on", "2026-01-01"], "Ngày sinh: Không đọc được ngày"),
    ],
)
def test_bad_dates_are_exit_1_with_one_vietnamese_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("dvdesk: ") and message in err


@pytest.mark.parametrize(
    "argv",
    [
        ["age", "01/01/2008"],
        ["age", "01/01/2008", "--on", "2026-01-01", "--method", "C"],
        ["list", "--json", "--csv"],
        ["demo", "--db", "x.db", "--members", "nhiều"],
        ["khong-co"],
    ],
)
def test_usage_errors_are_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "lỗi cú pháp lệnh" in capsys.readouterr().err


# -- demo and list ------------------------------------------------------------------------


def test_list_json_keys_order_and_iso_dates(capsys, demo_db):
    code, out, err = run(capsys, "list", "--db", str(demo_db), "--json", "--on", "2026-11-26")
    rows = json.loads(out)
    assert code == 0 and err == "" and len(rows) == 150
    assert all(set(r) >= LIST_KEYS for r in rows)
    names = [r["full_name"] for r in rows]
    assert names == sorted(names, key=sort_key)
    for r in rows:
        if r["dob"]:
            assert len(r["dob"]) in (4, 7, 10)
            date.fromisoformat(r["dob"] + "-01-01"[len(r["dob"]) - 4 :])
        if r["eligible_from"]:
            date.fromisoformat(r["eligible_from"])
        assert r["status"] in ("eligible", "too_young", "over_age", "unknown")
    assert {r["status"] for r in rows if r["dob"] and len(r["dob"]) < 10} <= {"unknown"}


def test_list_eligible_on_agrees_with_age(capsys, demo_db):
    _, out, _ = run(capsys, "list", "--db", str(demo_db), "--eligible-on", "26/11/2026", "--json")
    rows = json.loads(out)
    assert rows and all(r["status"] == "eligible" for r in rows)
    for r in rows[:10]:
        _, age_out, _ = run(capsys, "age", r["dob"], "--on", "2026-11-26", "--json")
        assert json.loads(age_out)["status"] == "eligible"


def test_list_upcoming_and_unit_filters(capsys, demo_db):
    _, out, _ = run(
        capsys,
        "list",
        "--db",
        str(demo_db),
        "--upcoming-months",
        "12",
        "--on",
        "2026-11-26",
        "--json",
    )
    for r in json.loads(out):
        assert r["status"] == "too_young"
        assert "2026-11-26" < r["eligible_from"] <= "2027-11-26"
    _, out, _ = run(capsys, "list", "--db", str(demo_db), "--unit", "thpt1", "--json")
    assert {r["unit"] for r in json.loads(out)} == {"THPT1"}


def test_list_csv_has_the_same_rows(capsys, demo_db):
    _, as_json, _ = run(capsys, "list", "--db", str(demo_db), "--json", "--on", "2026-11-26")
    code, as_csv, _ = run(capsys, "list", "--db", str(demo_db), "--csv", "--on", "2026-11-26")
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert code == 0
    assert [r["uid"] for r in rows] == [r["uid"] for r in json.loads(as_json)]
    assert set(rows[0]) >= LIST_KEYS


def test_list_text_counts_on_stderr(capsys, demo_db):
    code, out, err = run(capsys, "list", "--db", str(demo_db), "--unit", "KDC01")
    assert code == 0 and err.startswith("Tổng cộng: ")
    assert len(out.splitlines()) == int(err.split()[2])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--unit", "KHONGCO"], "Không có đơn vị mã “KHONGCO”."),
        (["--eligible-on", "30/02/2026"], "--eligible-on: Ngày 30/02/2026 không tồn tại."),
        (["--on", "31/04/2026"], "--on: Ngày 31/04/2026 không tồn tại."),
        (["--upcoming-months", "-1"], "Số tháng phải là số không âm."),
    ],
)
def test_list_refusals_are_exit_1_and_leave_the_file_alone(capsys, demo_db, argv, message):
    before = digest(demo_db)
    code, out, err = run(capsys, "list", "--db", str(demo_db), *argv)
    assert (code, out) == (1, "")
    assert err == f"dvdesk: {message}\n"
    assert digest(demo_db) == before


def test_demo_refuses_a_file_with_members_and_writes_nothing(capsys, demo_db):
    before = digest(demo_db)
    code, out, err = run(capsys, "demo", "--db", str(demo_db), "--members", "5")
    assert (code, out) == (1, "") and "đã có dữ liệu" in err and err.count("\n") == 1
    assert digest(demo_db) == before


@pytest.mark.parametrize("content", [b"not a database\n" * 10, b"x"])
def test_demo_refuses_a_foreign_file(capsys, tmp_path, content):
    path = tmp_path / "la.db"
    path.write_bytes(content)
    code, _, err = run(capsys, "demo", "--db", str(path), "--members", "5")
    assert code == 1 and "không phải là tệp dữ liệu dvdesk" in err
    assert path.read_bytes() == content
    assert sorted(os.listdir(tmp_path)) == ["la.db"]


def test_same_seed_gives_the_same_data(capsys, tmp_path):
    lists = []
    for name, seed in (("a.db", "3"), ("b.db", "3"), ("c.db", "4")):
        assert (
            run(capsys, "demo", "--db", str(tmp_path / name), "--members", "40", "--seed", seed)[0]
            == 0
        )
        _, out, _ = run(
            capsys, "list", "--db", str(tmp_path / name), "--json", "--on", "2026-11-26"
        )
        lists.append(json.loads(out))
    assert lists[0] == lists[1]
    assert lists[0] != lists[2]


# -- check, backup, restore -----------------------------------------------------------


def test_check_backup_restore_round_trip(capsys, tmp_path):
    db = tmp_path / "xa.db"
    assert main(["demo", "--db", str(db), "--members", "20", "--seed", "2"]) == 0
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert code == 0 and f"Tệp dữ liệu tốt (định dạng {FORMAT}, 20 đoàn viên)" in out
    _, listed, _ = run(capsys, "list", "--db", str(db), "--json", "--on", "2026-11-26")
    copy = tmp_path / "sao-luu.db"
    code, out, _ = run(capsys, "backup", "--db", str(db), "--out", str(copy))
    assert code == 0 and str(copy) in out
    # change the data, then restore
    from dvdesk.store.gateway import Store

    with Store.open(db) as store:
        store.members.delete(json.loads(listed)[0]["uid"])
    assert len(json.loads(run(capsys, "list", "--db", str(db), "--json")[1])) == 19
    code, out, _ = run(capsys, "restore", "--db", str(db), str(copy))
    assert code == 0 and "Đã khôi phục" in out and "truoc-khoi-phuc" in out
    _, after, _ = run(capsys, "list", "--db", str(db), "--json", "--on", "2026-11-26")
    assert after == listed
    assert run(capsys, "check", "--db", str(db))[0] == 0


def test_backup_without_out_goes_to_the_backups_folder(capsys, tmp_path):
    db = tmp_path / "xa.db"
    run(capsys, "demo", "--db", str(db), "--members", "3")
    code, out, _ = run(capsys, "backup", "--db", str(db))
    assert "backups" in out
    assert code == 0 and len(list((tmp_path / "backups").glob("xa-*-thu-cong.db"))) == 1


@pytest.mark.parametrize("command", ["check", "backup", "list"])
def test_a_missing_file_is_exit_1(capsys, tmp_path, command):
    code, _, err = run(capsys, command, "--db", str(tmp_path / "none.db"))
    assert code == 1 and "Không tìm thấy tệp dữ liệu" in err
    assert not (tmp_path / "none.db").exists()


def test_restore_refuses_a_non_dvdesk_file_and_leaves_the_db(capsys, tmp_path):
    db = tmp_path / "xa.db"
    run(capsys, "demo", "--db", str(db), "--members", "3")
    bad = tmp_path / "bad.db"
    bad.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    before = digest(db)
    code, out, err = run(capsys, "restore", "--db", str(db), str(bad))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert digest(db) == before and not (tmp_path / "backups").exists()


def test_check_reports_a_newer_format_without_touching_it(capsys, tmp_path):
    import sqlite3

    db = tmp_path / "xa.db"
    run(capsys, "demo", "--db", str(db), "--members", "3")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 2000")
    conn.commit()
    conn.close()
    before = digest(db)
    for argv in (["check"], ["list"], ["backup"], ["demo", "--members", "1"]):
        code, _, err = run(capsys, *argv, "--db", str(db))
        assert code == 1 and "phiên bản dvdesk mới hơn" in err, argv
        assert digest(db) == before, argv


# -- real processes -------------------------------------------------------------------


def _dvdesk(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dvdesk", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_subprocess_age_json():
    p = _dvdesk("age", "26/12/2008", "--on", "2026-11-26", "--json")
    assert p.returncode == 0 and p.stderr == ""
    assert json.loads(p.stdout)["eligible_from"] == "2026-12-26"


def test_subprocess_exit_codes(tmp_path):
    assert _dvdesk("age", "01/01/2008", "--on", "30/02/2026").returncode == 1
    usage = _dvdesk("age", "01/01/2008")
    assert usage.returncode == 2 and "lỗi cú pháp lệnh" in usage.stderr


def test_subprocess_demo_then_list(tmp_path):
    db = tmp_path / "xa.db"
    assert _dvdesk("demo", "--db", str(db), "--members", "30").returncode == 0
    p = _dvdesk("list", "--db", str(db), "--json")
    assert p.returncode == 0 and len(json.loads(p.stdout)) == 30
