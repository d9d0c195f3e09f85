"""Importing the Excel lists communes keep: messy layout, preview, apply, re-import."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, UnitKind
from dvdesk.domain.validation import Severity
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import find_header
from dvdesk.exchange.sheet_import import RowStatus, apply_import, plan_import
from dvdesk.store import backup
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày, tháng, năm sinh",
    None,
    "Số CCCD/CMND",
    "Chi đoàn",
    "Lớp",
    "Dân tộc",
    "Ngày vào Đoàn",
    "Số điện thoại",
    "Ghi chú",
]
# Row 9 on: (STT, name, Nam column, Nữ column, CCCD, unit, class, ethnicity, joined, phone)
PEOPLE = [
    (
        1,
        "Nguyễn Văn An",
        "25/03/2005",
        None,
        1205000001,
        None,
        None,
        "Kinh",
        datetime(2021, 3, 26),
        912345678,
    ),
    (2, "trần thị bình", None, 38000, "001304000002", None, None, "Tày", None, None),
    (3, "Lê Văn Cường", 2003, None, None, "Xóm Mới", None, None, None, None),
    (4, "Phạm Thị Dung", None, "15/08/2009", None, None, None, None, None, "0987 654 321"),
]
SCHOOL = [(5, "Đinh Văn Giang", datetime(2010, 5, 1), None, None, None, "10A1")]
BAD = [
    (6, "Bùi Văn Hải", "31/02/2005", None),  # no such day
    (7, "Hoàng Văn 3", "01/01/2004", None),  # digit in a name
    (8, "Vũ Văn Khoa", "x", "x"),  # both Nam and Nữ
]
CMND = (9, "Đỗ Văn Phúc", "12/12/2004", None, 123456789)


def messy_workbook(path: Path) -> Path:
    """A list as communes keep it: title rows, merged headers, groups, mixed dates."""
    book = Workbook()
    ws = book.active
    ws.title = "DS đoàn viên"
    ws["A1"] = "ĐOÀN TNCS HỒ CHÍ MINH"
    ws.merge_cells("A1:D1")
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("E1:K1")
    ws["A2"] = "BCH ĐOÀN XÃ DEMO"
    ws["A3"] = "DANH SÁCH ĐOÀN VIÊN NĂM 2026"
    ws.merge_cells("A3:K3")
    ws.append([])
    ws.append(HEADER)  # row 5
    ws.merge_cells("C5:D5")
    ws.append([None, None, "Nam", "Nữ"])  # row 6
    ws.append([f"({i})" for i in range(1, 12)])  # row 7: column numbers
    ws["A8"] = "Chi đoàn Thôn Đông"
    ws.merge_cells("A8:K8")
    for p in PEOPLE:
        ws.append([p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]])
    ws.merge_cells("F11:F12")  # Xóm Mới covers Cường and Dung
    ws["A13"] = "Trường THPT Lê Lợi"
    ws.merge_cells("A13:K13")
    for p in SCHOOL:
        ws.append(list(p))
    for p in BAD:
        ws.append(list(p))
    ws.append([*CMND[:4], CMND[4], "KDC01"])
    ws.append([])
    ws["I21"] = "Người lập biểu"
    ws["I24"] = "Trần Văn Ký"
    book.save(path)
    return path


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return messy_workbook(tmp_path / "danh-sach.xlsx")


def _by_name(plan):
    return {r.member.full_name: r for r in plan.rows}


def test_preview_reads_the_messy_list(fresh_store, sheet: Path):
    plan = plan_import(fresh_store, sheet, today=TODAY)
    assert plan.header.row == 4 and plan.header.data_start == 7
    assert plan.summary() == {
        "rows": 9,
        "new": 6,
        "update": 0,
        "existing": 0,
        "conflict": 0,
        "invalid": 3,
        "warnings": 2,
        "new_units": 2,
    }
    rows = _by_name(plan)
    an = rows["Nguyễn Văn An"].member
    assert (an.dob, an.gender, an.cccd, an.unit_code) == (
        PartialDate(2005, 3, 25),
        Gender.MALE,
        "001205000001",
        "KDC01",
    )
    assert (an.union_joined, an.phone) == (date(2021, 3, 26), "0912345678")
    binh = rows["Trần Thị Bình"].member  # name recased, serial date in the Nữ column
    assert (binh.dob, binh.gender, binh.ethnicity) == (
        PartialDate(2004, 1, 14),
        Gender.FEMALE,
        "Tày",
    )
    cuong, dung = rows["Lê Văn Cường"], rows["Phạm Thị Dung"]
    assert cuong.member.dob == PartialDate(2003)
    assert [i.code for i in cuong.issues] == ["dob.partial"]
    assert cuong.member.unit_code == dung.member.unit_code == "KDC02"  # merged down
    assert dung.member.phone == "0987654321"
    giang = rows["Đinh Văn Giang"].member
    assert (giang.unit_code, giang.school_class, giang.dob) == (
        "THPT2",
        "10A1",
        PartialDate(2010, 5, 1),
    )
    assert [(u.code, u.name, u.kind) for u in plan.units_to_add] == [
        ("KDC02", "Xóm Mới", UnitKind.RESIDENTIAL),
        ("THPT2", "Trường THPT Lê Lợi", UnitKind.SCHOOL),
    ]
    phuc = rows["Đỗ Văn Phúc"]
    assert phuc.status is RowStatus.NEW and phuc.member.cccd == ""
    assert "CMND: 123456789" in phuc.member.notes
    errors = {(i.row, i.column, i.code) for i in plan.issues if i.severity is Severity.ERROR}
    assert errors == {
        (15, "Ngày, tháng, năm sinh Nam", "read.male"),
        (16, "Họ và tên", "name.digits"),
        (17, "Ngày, tháng, năm sinh Nam", "read.gender"),
    }
    text = "\n".join(plan.lines())
    assert (
        "Dòng 15 (Bùi Văn Hải), cột “Ngày, tháng, năm sinh Nam”: Ngày 31/02/2005 không tồn tại."
        in text
    )
    assert "Sẽ tạo đơn vị mới: Trường THPT Lê Lợi (mã THPT2, trường THPT)." in text
    assert "Chưa có ngày sinh" not in text
    assert fresh_store.members.count() == 0  # a plan writes nothing


def test_apply_then_reimport_adds_nothing_twice(disk_store: Store, sheet: Path):
    plan = plan_import(disk_store, sheet, today=TODAY)
    count, saved = apply_import(disk_store, plan, today=TODAY)
    assert count == 6 and disk_store.members.count() == 6
    assert saved in backup.backups(disk_store.path)
    assert {u.code for u in disk_store.units.all()} == {"KDC01", "KDC02", "THPT1", "THPT2"}
    again = plan_import(disk_store, sheet, today=TODAY)
    assert again.summary()["new"] == 0 and again.summary()["existing"] == 6
    assert again.units_to_add == []
    assert apply_import(disk_store, again, today=TODAY) == (0, None)
    assert disk_store.members.count() == 6


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["STT", "Họ tên", "Ngày sinh", "Giới tính", "Số định danh", "Khu dân cư"],
            ["stt", "full_name", "dob", "gender", "cccd", "unit"],
        ),
        (
            ["TT", "HỌ VÀ TÊN", "NGÀY SINH (dd/mm/yyyy)", "Nam/Nữ", "CCCD/CMND", "Thôn"],
            ["stt", "full_name", "dob", "gender", "cccd", "unit"],
        ),
        (
            ["Số TT", "Họ và tên đệm", "Tên", "Ngày\ntháng\nnăm sinh", "Lớp", "Dân tộc"],
            ["stt", "name_first", "name_last", "dob", "school_class", "ethnicity"],
        ),
        (
            ["Họ và tên", "Tôn giáo", "Quê quán", "Nơi ở hiện nay", "Số điện thoại", "Ghi chú"],
            ["full_name", "religion", "hometown", "address", "phone", "notes"],
        ),
        (
            ["Họ và tên", "Ngày vào Đoàn", "Số CCCD", "Chi đoàn", "Xếp loại"],
            ["full_name", "union_joined", "cccd", "unit", None],
        ),
    ],
)
def test_header_variants(header: list[str], expected: list[str | None]):
    guess = find_header([["DANH SÁCH"], [], header, ["1", "Nguyễn Văn An"]])
    assert guess is not None and guess.row == 2
    assert [guess.fields.get(i) for i in range(len(header))] == expected


def test_no_header_is_a_clear_refusal(fresh_store, tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(Exception, match="Không tìm thấy dòng tiêu đề"):
        plan_import(fresh_store, path, today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("25/03/2008", PartialDate(2008, 3, 25)),
        ("25-03-2008", PartialDate(2008, 3, 25)),
        ("25/03/2008 00:00:00", PartialDate(2008, 3, 25)),
        ("03/2008", PartialDate(2008, 3)),
        ("2008", PartialDate(2008)),
        (2008, PartialDate(2008)),
        (2008.0, PartialDate(2008)),
        (39532, PartialDate(2008, 3, 25)),
        ("39532", PartialDate(2008, 3, 25)),
        (datetime(2008, 3, 25, 0, 0), PartialDate(2008, 3, 25)),
        (date(2008, 2, 29), PartialDate(2008, 2, 29)),
        (None, None),
        ("", None),
    ],
)
def test_dates_as_cells_hold_them(value, expected):
    assert cv.read_date(value) == expected


@pytest.mark.parametrize("value", ["29/02/2007", "32/01/2008", "abc", -5, 3e7])
def test_unreadable_dates(value):
    with pytest.raises(ValueError, match=r"\S"):
        cv.read_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nam", Gender.MALE),
        ("NỮ", Gender.FEMALE),
        ("nu", Gender.FEMALE),
        ("", None),
        (None, None),
    ],
)
def test_genders(value, expected):
    assert cv.read_gender(value) == expected


def test_semicolon_csv_with_a_default_unit(fresh_store, tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_text(
        "Họ và tên;Ngày sinh;Giới tính\nNguyễn Văn An;25/03/2005;Nam\n"
        "Lê Thị Hoa;=cmd|' /C calc'!A0;Nữ\n",
        encoding="utf-8-sig",
    )
    plan = plan_import(fresh_store, path, default_unit="KDC01", today=TODAY)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.INVALID]
    assert plan.to_add[0].unit_code == "KDC01"
    # A unit the catalogue lacks is created under the name given (issue #15 point 2).
    plan = plan_import(fresh_store, path, default_unit="Thôn Mới", today=TODAY)
    assert [(u.code, u.name) for u in plan.units_to_add] == [("KDC02", "Thôn Mới")]
    assert plan.to_add[0].unit_code == "KDC02"
    with pytest.raises(Exception, match="Không có đơn vị mã “XX9”"):
        plan_import(fresh_store, path, default_unit="XX9", today=TODAY)


def test_cli_refuses_errors_unless_skip_invalid(tmp_path: Path, sheet: Path, capsys):
    db = tmp_path / "xa.db"
    with Store.open(db) as store:
        from dvdesk.domain.member import Unit

        store.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
    assert main(["import", "--db", str(db), str(sheet)]) == 1
    captured = capsys.readouterr()
    assert "Không nhập: 3 dòng có lỗi" in captured.err
    assert "Tổng: 9 dòng dữ liệu — thêm mới 6" in captured.out
    assert main(["import", "--db", str(db), str(sheet), "--dry-run", "--skip-invalid"]) == 0
    assert "chưa ghi gì" in capsys.readouterr().out
    with Store.open(db) as store:
        assert store.members.count() == 0
    assert main(["import", "--db", str(db), str(sheet), "--skip-invalid"]) == 0
    assert "Đã nhập 6 đoàn viên, tạo 2 đơn vị mới" in capsys.readouterr().out
    assert main(["import", "--db", str(db), str(sheet), "--skip-invalid"]) == 0
    assert "không đổi 6" in capsys.readouterr().out
    with Store.open(db) as store:
        assert store.members.count() == 6


def test_gender_marked_with_an_x_under_merged_header(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["TT", "Họ tên", "Giới tính", None, "Ngày sinh", "Khu dân cư"])
    ws.merge_cells("C1:D1")
    ws.append([None, None, "Nam", "Nữ"])
    ws.append([1, "Nguyễn Văn An", "x", None, "25/03/2005", "Thôn Đông"])
    ws.append([2, "Lê Thị Hoa", None, "X", "2006", "thôn đông"])
    path = tmp_path / "gt.xlsx"
    book.save(path)
    plan = plan_import(fresh_store, path, today=TODAY)
    assert [(m.gender, m.dob, m.unit_code) for m in plan.to_add] == [
        (Gender.MALE, PartialDate(2005, 3, 25), "KDC01"),
        (Gender.FEMALE, PartialDate(2006), "KDC01"),
    ]
    assert plan.units_to_add == []


@pytest.mark.parametrize(
    ("first", "second", "statuses"),
    [
        (("", ""), ("", ""), [RowStatus.NEW, RowStatus.INVALID]),  # a row typed twice
        (("001205000001", ""), ("", ""), [RowStatus.NEW, RowStatus.INVALID]),
        (("001205000001", ""), ("001205000002", ""), [RowStatus.NEW, RowStatus.NEW]),  # namesakes
        (
            ("", "00000000-0000-4000-8000-000000000001"),
            ("", "00000000-0000-4000-8000-000000000002"),
            [RowStatus.NEW, RowStatus.NEW],
        ),
    ],
)
def test_same_name_birth_and_unit_in_one_sheet(
    fresh_store, tmp_path: Path, first, second, statuses
):
    path = tmp_path / "ds.csv"
    lines = ["Họ và tên,Ngày sinh,Khu dân cư,Số CCCD,Mã dvdesk"]
    lines += [f"Nguyễn Văn An,25/03/2005,Thôn Đông,{c},{u}" for c, u in (first, second)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [r.status for r in plan_import(fresh_store, path, today=TODAY).rows] == statuses


def test_a_namesake_with_another_cccd_is_not_already_there(fresh_store, tmp_path: Path):
    from dvdesk.domain.member import Member

    fresh_store.members.add(
        Member("Nguyễn Văn An", "KDC01", PartialDate(2005, 3, 25), cccd="001205000001"), TODAY
    )
    path = tmp_path / "ds.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Khu dân cư,Số CCCD\n"
        "Nguyễn Văn An,25/03/2005,Thôn Đông,001205000009\n"
        "NGUYEN VAN AN,25/03/2005,Thôn Đông,\n",
        encoding="utf-8",
    )
    plan = plan_import(fresh_store, path, today=TODAY)
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.EXISTING]
