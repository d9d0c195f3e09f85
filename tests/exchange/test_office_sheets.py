"""Lists made the way commune offices make them (issue #15): each sheet built here with openpyxl.

Every person arrives with the right unit, name, date, gender and CCCD, or is
named in the preview with the reason; nothing is lost silently.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member, Presence, UnitKind
from dvdesk.exchange.headers import find_header
from dvdesk.exchange.sheet_import import RowStatus, apply_import, plan_import
from dvdesk.exchange.xlsx_export import export_xlsx
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)
HEAD = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"]


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def people(plan) -> dict[str, Member]:
    return {r.member.full_name: r.member for r in plan.rows if r.member}


# -- 1, 2: every sheet; the unit from the sheet name or the title ---------------------


def test_every_sheet_of_a_workbook_is_read_with_its_unit(fresh_store, tmp_path: Path):
    book = Workbook()
    east = book.active
    east.title = "Thôn Đông"
    east.append(HEAD)
    east.append([1, "Nguyễn Văn An", "25/03/2005", "Nam", "001205000001"])
    east.append([2, "Lê Thị Hoa", "02/01/2006", "Nữ", None])
    south = book.create_sheet("Thôn Nam")
    south.append(["DANH SÁCH ĐOÀN VIÊN"])
    south.append(HEAD)
    south.append([1, "Trần Văn Bình", "12/12/2004", "Nam", None])
    notes = book.create_sheet("Ghi chú")
    notes.append(["Danh sách cập nhật tháng 11"])
    plan = plan_import(fresh_store, save(book, tmp_path / "xa.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Nguyễn Văn An": "KDC01", "Lê Thị Hoa": "KDC01", "Trần Văn Bình": "KDC02"}
    assert [(u.code, u.name) for u in plan.units_to_add] == [("KDC02", "Thôn Nam")]
    text = "\n".join(plan.lines())
    assert "Trang “Thôn Nam”: dòng tiêu đề số 2." in text
    assert "→ Thôn Đông (KDC01), theo tên trang “Thôn Đông”" in text
    assert "Trang “Ghi chú”: bỏ qua — không có dòng tiêu đề" in text


def test_the_unit_of_a_one_unit_list_comes_from_its_title(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["BCH ĐOÀN XÃ DEMO", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["DANH SÁCH ĐOÀN VIÊN THÔN BẮC NĂM 2026"])
    ws.append(HEAD)
    ws.append([1, "Phạm Văn Dũng", "01/02/2003", "Nam", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "bac.xlsx"), today=TODAY)
    assert plan.to_add[0].unit_code == "KDC02"
    assert [u.name for u in plan.units_to_add] == ["Thôn Bắc"]
    block = plan.sheets[0].blocks[0]
    assert "tiêu đề “DANH SÁCH ĐOÀN VIÊN THÔN BẮC NĂM 2026”" in block.reason


def test_cli_unit_creates_the_unit_the_rows_go_to(tmp_path: Path, capsys):
    book = Workbook()
    ws = book.active
    ws.append(HEAD)
    ws.append([1, "Phạm Văn Dũng", "01/02/2003", "Nam", None])
    sheet = save(book, tmp_path / "ds.xlsx")
    db = tmp_path / "xa.db"
    Store.open(db).close()
    assert main(["import", "--db", str(db), str(sheet), "--unit", "Xóm Mới"]) == 0
    assert "tạo 1 đơn vị mới" in capsys.readouterr().out
    with Store.open(db) as store:
        assert [(u.code, u.name, u.kind) for u in store.units.all()] == [
            ("KDC01", "Xóm Mới", UnitKind.RESIDENTIAL)
        ]
        assert store.members.count() == 1


# -- 3: "Họ và tên" over two columns ----------------------------------------------------


def test_a_name_merged_over_two_columns_is_whole(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", None, "Ngày sinh", "Chi đoàn"])
    ws.merge_cells("B1:C1")
    ws.append([1, "Nguyễn Thị Thu", "Hà", "05/05/2005", "Thôn Đông"])
    ws.append([2, "Lê Văn", "Tám", "06/06/2006", "Thôn Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ten.xlsx"), today=TODAY)
    assert sorted(people(plan)) == ["Lê Văn Tám", "Nguyễn Thị Thu Hà"]
    assert any("gồm 2 cột (B–C)" in n for n in plan.sheets[0].notes)


def test_a_csv_name_with_an_unlabelled_second_column_is_whole(fresh_store, tmp_path: Path):
    path = tmp_path / "ten.csv"
    path.write_text(
        "STT,Họ và tên,,Ngày sinh\n1,Nguyễn Thị Thu,Hà,05/05/2005\n2,Lê Văn,Tám,06/06/2006\n",
        encoding="utf-8",
    )
    plan = plan_import(fresh_store, path, default_unit="KDC01", today=TODAY)
    assert sorted(people(plan)) == ["Lê Văn Tám", "Nguyễn Thị Thu Hà"]


# -- 5: numbered group rows and class rows ----------------------------------------------


def test_numbered_group_rows_and_class_rows(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(HEAD)
    ws.append(["I", "CHI ĐOÀN THÔN ĐÔNG"])
    ws.append([1, "Nguyễn Văn An", "25/03/2005", "Nam", None])
    ws.append(["1. Thôn Nam"])
    ws.merge_cells("A4:E4")
    ws.append([1, "Trần Văn Bình", "12/12/2004", "Nam", None])
    ws.append(["II. TRƯỜNG THPT NGUYỄN TRÃI"])
    ws.append(["Chi đoàn 12A1"])
    ws.append([1, "Đinh Thị Giang", "01/09/2008", "Nữ", None])
    ws.append(["Chi đoàn 11B"])
    ws.append([1, "Võ Văn Khải", "03/03/2009", "Nam", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "nhom.xlsx"), today=TODAY)
    got = {n: (m.unit_code, m.school_class) for n, m in people(plan).items()}
    assert got == {
        "Nguyễn Văn An": ("KDC01", ""),
        "Trần Văn Bình": ("KDC02", ""),
        "Đinh Thị Giang": ("THPT1", "12A1"),
        "Võ Văn Khải": ("THPT1", "11B"),
    }
    assert [u.name for u in plan.units_to_add] == ["Thôn Nam"]  # no unit named "12A1"


def test_a_class_list_titled_with_its_school(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN CHI ĐOÀN 12A2 - TRƯỜNG THPT LÊ LỢI"])
    ws.append(HEAD)
    ws.append([1, "Đinh Thị Giang", "01/09/2008", "Nữ", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "lop.xlsx"), today=TODAY)
    m = plan.to_add[0]
    assert (m.school_class, plan.units_to_add[0].name) == ("12A2", "Trường THPT Lê Lợi")
    assert plan.units_to_add[0].kind is UnitKind.SCHOOL and m.unit_code == "THPT2"


# -- 6: header variants -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["TT", "Họ và tên khai sinh", "Sinh năm"], ["stt", "full_name", "dob"]),
        (["Họ và tên", "Số CCCD/Định danh", "Thôn/Tổ dân phố"], ["full_name", "cccd", "unit"]),
        (["Họ và tên", "Khu phố/Ấp/Bản", "Năm vào Đoàn"], ["full_name", "unit", "union_joined"]),
        (["HỌ VÀ TÊN (KHAI SINH)", "NGÀY, THÁNG, NĂM SINH", "SỐ ĐỊNH DANH CÁ NHÂN"], None),
    ],
)
def test_header_variants_of_office_lists(header, expected):
    guess = find_header([["DANH SÁCH"], header, ["1", "Nguyễn Văn An", "2005"]])
    assert guess is not None and guess.row == 1
    want = expected or ["full_name", "dob", "cccd"]
    assert [guess.fields.get(i) for i in range(len(header))] == want


# -- 7: totals, footers, signatures -----------------------------------------------------


def test_totals_and_signatures_are_not_people(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append([*HEAD, "Chi đoàn"])
    ws.append([1, "Nguyễn Văn An", "25/03/2005", "Nam", None, "Thôn Đông"])
    ws.append([2, "Lê Thị Hoa", "02/01/2006", "Nữ", None, "Thôn Đông"])
    ws.append([None, "Cộng", None, None, None, 2])
    ws.append([None, "Tổng cộng: 2 đoàn viên"])
    ws.append([])
    ws.append([None, None, None, "Đông Hòa, ngày 20 tháng 11 năm 2026"])
    ws.append([None, "Người lập biểu", None, "TM. BAN CHẤP HÀNH"])
    ws.append([None, None, None, "BÍ THƯ"])
    ws.append([None, "Trần Văn Ký", None, "Nguyễn Thị Lan"])
    plan = plan_import(fresh_store, save(book, tmp_path / "cuoi.xlsx"), today=TODAY)
    assert sorted(people(plan)) == ["Lê Thị Hoa", "Nguyễn Văn An"]
    assert plan.summary()["invalid"] == 0
    skipped = {s.row: s.reason for s in plan.sheets[0].skipped}
    assert skipped == {
        4: "dòng tổng cộng",
        5: "dòng tổng cộng",
        7: "phần ký tên cuối danh sách",
        8: "phần ký tên cuối danh sách",
        9: "phần ký tên cuối danh sách",
        10: "phần ký tên cuối danh sách",
    }
    text = "\n".join(plan.lines())
    assert "Bỏ qua dòng 10 (phần ký tên cuối danh sách): “Trần Văn Ký Nguyễn Thị Lan”." in text


def test_a_family_name_like_tong_is_a_person(fresh_store, tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_text(
        "STT,Họ đệm,Tên,Ngày sinh\n1,Tống Văn,Công,01/01/2004\n,Tống Thị,Cúc,02/02/2004\n",
        encoding="utf-8",
    )
    plan = plan_import(fresh_store, path, default_unit="KDC01", today=TODAY)
    assert sorted(people(plan)) == ["Tống Thị Cúc", "Tống Văn Công"]


# -- 8: gender from a lone mark, presence from notes, year of joining, old CMND ---------


def test_a_lone_nu_column_notes_years_and_old_id_numbers(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Nữ", "Ngày sinh", "Năm vào Đoàn", "CMND/CCCD", "Ghi chú"])
    ws.append([1, "Nguyễn Văn An", None, "25/03/2005", 2020, 12345678, "Đi làm ăn xa"])
    ws.append([2, "Lê Thị Hoa", "x", "02/01/2006", None, 1206000002, "XKLĐ Nhật Bản"])
    ws.append([3, "Trần Văn Bình", None, "12/12/2004", "26/03/2019", None, "đã chuyển đi"])
    ws.append([4, "Võ Thị Mai", "x", "03/03/2003", None, None, None])
    ws.row_dimensions[5].hidden = True
    plan = plan_import(fresh_store, save(book, tmp_path / "nu.xlsx"), default_unit="KDC01")
    got = people(plan)
    assert [got[n].gender for n in ("Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình")] == [
        Gender.MALE,
        Gender.FEMALE,
        Gender.MALE,
    ]
    assert [got[n].presence for n in ("Nguyễn Văn An", "Lê Thị Hoa", "Trần Văn Bình")] == [
        Presence.WORKING_AWAY,
        Presence.ABROAD,
        Presence.MOVED,
    ]
    an = got["Nguyễn Văn An"]
    assert an.union_joined is None and "Vào Đoàn: 2020" in an.notes
    assert an.cccd == "" and "CMND: 012345678" in an.notes  # never "000012345678"
    assert got["Lê Thị Hoa"].cccd == "001206000002"  # a CCCD that lost its zeros
    assert got["Trần Văn Bình"].union_joined == date(2019, 3, 26)
    assert plan.summary()["invalid"] == 0
    codes = {(r.member.full_name, i.code) for r in plan.rows for i in r.issues}
    assert ("Nguyễn Văn An", "read.cmnd") in codes
    assert ("Nguyễn Văn An", "read.joined_partial") in codes
    assert ("Võ Thị Mai", "read.hidden_row") in codes
    assert any("dòng không đánh dấu là nam" in n for n in plan.sheets[0].notes)
    assert "1 dòng bị ẩn trong bảng tính: vẫn đọc, có cảnh báo." in plan.sheets[0].notes


# -- 4: re-import updates the people it finds ----------------------------------------------


@pytest.fixture
def commune(disk_store: Store) -> Store:
    disk_store.members.add(
        Member(
            "Nguyễn Văn An",
            "KDC01",
            PartialDate(2005, 3, 25),
            gender=Gender.MALE,
            cccd="001205000001",
            phone="0912345678",
            hometown="Nghệ An",
            uid="00000000-0000-4000-8000-000000000001",
        ),
        TODAY,
    )
    disk_store.members.add(
        Member(
            "Lê Thị Hoa",
            "KDC01",
            PartialDate(2006, 1, 2),
            gender=Gender.FEMALE,
            uid="00000000-0000-4000-8000-000000000002",
        ),
        TODAY,
    )
    return disk_store


def _edit(path: Path, edits: dict[tuple[str, str], object]) -> None:
    book = load_workbook(path)
    ws = book["Đoàn viên"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        name = row[header.index("Họ và tên")].value
        for (who, column), value in edits.items():
            if who == name:
                row[header.index(column)].value = value
    book.save(path)


def test_reimport_of_an_edited_export_applies_exactly_the_edits(commune: Store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    export_xlsx(commune, out)
    _edit(
        out,
        {
            ("Nguyễn Văn An", "Số điện thoại"): "0987654321",
            ("Nguyễn Văn An", "Quê quán"): None,  # emptied: keeps "Nghệ An"
            ("Lê Thị Hoa", "Ngày vào Đoàn"): datetime(2021, 3, 26),
        },
    )
    plan = plan_import(commune, out, today=TODAY)
    s = plan.summary()
    assert (s["new"], s["update"], s["existing"], s["conflict"]) == (0, 2, 0, 0)
    text = "\n".join(plan.lines())
    assert "Số điện thoại: “0912345678” → “0987654321”" in text
    assert "Ngày vào Đoàn: “” → “26/03/2021”" in text
    before = commune.members.get("00000000-0000-4000-8000-000000000001")
    count, _ = apply_import(commune, plan, today=TODAY)
    assert count == 2
    an = commune.members.get(before.uid)
    assert an.phone == "0987654321" and an.hometown == "Nghệ An"
    from dataclasses import replace

    assert replace(an, phone=before.phone) == before  # nothing else moved
    assert commune.members.get("00000000-0000-4000-8000-000000000002").union_joined == date(
        2021, 3, 26
    )
    updates = [h for h in commune.audit.history(before.uid) if h["action"] == "update"]
    assert len(updates) == 1  # audited, once
    again = plan_import(commune, out, today=TODAY)
    assert again.summary()["existing"] == 2 and again.summary()["update"] == 0


def test_emptied_cells_erase_only_when_asked(commune: Store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    export_xlsx(commune, out)
    _edit(out, {("Nguyễn Văn An", "Quê quán"): None})
    assert plan_import(commune, out, today=TODAY).summary()["update"] == 0
    plan = plan_import(commune, out, today=TODAY, erase_empty=True)
    assert [(c.field, c.old, c.new) for r in plan.rows for c in r.changes] == [
        ("hometown", "Nghệ An", "")
    ]


def test_a_match_by_cccd_updates_and_a_probable_match_is_asked(commune: Store, tmp_path: Path):
    path = tmp_path / "sua.csv"
    path.write_text(
        "Họ và tên,Ngày sinh,Chi đoàn,Số CCCD,Số điện thoại\n"
        "Nguyễn Văn An,25/03/2005,Thôn Đông,001205000001,0911111111\n"
        "Lê Thị Hoa,02/01/2006,Thôn Đông,,0922222222\n",
        encoding="utf-8",
    )
    plan = plan_import(commune, path, today=TODAY)
    statuses = {r.member.full_name: (r.status, r.matched_by) for r in plan.rows}
    assert statuses == {
        "Nguyễn Văn An": (RowStatus.UPDATE, "cccd"),
        "Lê Thị Hoa": (RowStatus.CONFLICT, "probable"),
    }
    assert "CÓ THỂ LÀ “Lê Thị Hoa” đã có" in "\n".join(plan.lines())
    apply_import(commune, plan, today=TODAY)
    assert commune.members.get("00000000-0000-4000-8000-000000000002").phone == ""
    plan = plan_import(commune, path, today=TODAY, confirm_probable=True)
    apply_import(commune, plan, today=TODAY)
    assert commune.members.get("00000000-0000-4000-8000-000000000002").phone == "0922222222"
    assert commune.members.count() == 2


def test_updates_are_one_transaction(commune: Store, tmp_path: Path, monkeypatch):
    out = tmp_path / "ds.xlsx"
    export_xlsx(commune, out)
    _edit(
        out,
        {("Nguyễn Văn An", "Số điện thoại"): "0987654321", ("Lê Thị Hoa", "Lớp"): "12A1"},
    )
    plan = plan_import(commune, out, today=TODAY)
    from dvdesk.store.members import MembersRepo

    real = MembersRepo.update
    calls = []

    def failing(self, member, today=None):
        calls.append(member.uid)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(self, member, today)

    monkeypatch.setattr(MembersRepo, "update", failing)
    with pytest.raises(RuntimeError):
        apply_import(commune, plan, today=TODAY)
    monkeypatch.undo()
    assert commune.members.get("00000000-0000-4000-8000-000000000001").phone == "0912345678"


def test_one_sheet_per_thon_named_bare_with_a_summary_sheet(fresh_store, tmp_path: Path):
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append([*HEAD, "Thôn"])
    summary.append([1, "Nguyễn Văn An", "25/03/2005", "Nam", None, "Thôn Đông"])
    summary.append([2, "Trần Văn Bình", "12/12/2004", "Nam", None, "Thôn Bắc"])
    for title, person in (
        ("Đông", [1, "Nguyễn Văn An", "25/03/2005", "Nam", None]),
        ("Bắc", [1, "Trần Văn Bình", "12/12/2004", "Nam", None]),
        ("Hạ", [1, "Võ Thị Mai", "03/03/2003", "Nữ", None]),
    ):
        ws = book.create_sheet(title)
        ws.append(HEAD)
        ws.append(person)
        ws.append([None, "Danh sách có 1 đoàn viên"])
    plan = plan_import(fresh_store, save(book, tmp_path / "thon.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Nguyễn Văn An": "KDC01", "Trần Văn Bình": "KDC02", "Võ Thị Mai": "KDC03"}
    assert plan.summary()["new"] == 3 and plan.summary()["invalid"] == 0
    assert [u.name for u in plan.units_to_add] == ["Thôn Bắc", "Hạ"]
    east = next(s for s in plan.sheets if s.sheet == "Đông")
    assert [(s.row, s.reason) for s in east.skipped] == [
        (2, "cùng người ở trang “Tổng hợp” dòng 2"),
        (3, "dòng chữ không có họ tên"),
    ]


def test_a_group_title_with_its_count(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(HEAD)
    ws.append(["II. CHI ĐOÀN THÔN NAM (2 đoàn viên)"])
    ws.append([1, "Trần Văn Bình", "12/12/2004", "Nam", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "g.xlsx"), today=TODAY)
    assert [u.name for u in plan.units_to_add] == ["Thôn Nam"]


def test_the_unit_for_a_sheet_is_the_users_choice(tmp_path: Path, capsys):
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(HEAD)
    ws.append([1, "Phạm Văn Dũng", "01/02/2003", "Nam", None])
    sheet = save(book, tmp_path / "ds.xlsx")
    db = tmp_path / "xa.db"
    Store.open(db).close()
    with Store.open(db) as store:
        plan = plan_import(store, sheet, today=TODAY)
        assert plan.sheets_without_unit() == ["Sheet1"]
        text = "\n".join(plan.lines())
        assert "CHƯA RÕ ĐƠN VỊ" in text
        assert "1 người chưa rõ đơn vị: chọn đơn vị cho trang này" in text
        assert '--sheet-unit "Sheet1=TÊN"' in text
    args = ["import", "--db", str(db), str(sheet), "--sheet-unit", "Sheet1=Thôn Tây"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "→ Thôn Tây (KDC01), theo đơn vị đã chọn" in out
    assert main(args) == 0
    with Store.open(db) as store:
        assert [u.name for u in store.units.all()] == ["Thôn Tây"]


def _libreoffice_save(path: Path, out_dir: Path) -> Path:
    """Open and save the workbook in LibreOffice (headless), as an office clerk's edit would."""
    import subprocess

    out_dir.mkdir(exist_ok=True)
    convert = ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir)]
    subprocess.run(
        ["soffice", "--headless", *convert, str(path)],
        capture_output=True,
        timeout=180,
        check=True,
        env={"HOME": str(out_dir), "PATH": "/usr/bin:/bin"},
    )
    return out_dir / path.name


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None, reason="LibreOffice is not installed"
)
def test_export_saved_by_libreoffice_then_edited_applies_exactly_the_edits(
    commune: Store, tmp_path: Path
):
    out = tmp_path / "ds.xlsx"
    export_xlsx(commune, out)
    saved = _libreoffice_save(out, tmp_path / "lo1")
    assert plan_import(commune, saved, today=TODAY).summary()["existing"] == 2
    _edit(saved, {("Lê Thị Hoa", "Số điện thoại"): "0933333333"})
    again = _libreoffice_save(saved, tmp_path / "lo2")
    plan = plan_import(commune, again, today=TODAY)
    changes = [(r.member.full_name, c.field, c.new) for r in plan.rows for c in r.changes]
    assert changes == [("Lê Thị Hoa", "phone", "0933333333")]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("A. KHU DÂN CƯ SỐ 1", "Khu dân cư số 1"),
        ("II - TỔ DÂN PHỐ 3", "Tổ dân phố 3"),
        ("1. Thôn Nam", "Thôn Nam"),
        ("CHI ĐOÀN XÓM MỚI", "Xóm Mới"),
        ("Trường THPT Lê Lợi", "Trường THPT Lê Lợi"),
    ],
)
def test_new_units_are_named_as_written_in_a_list(written, name):
    from dvdesk.exchange.units_in_sheet import UnitResolver

    assert UnitResolver([]).resolve(written).name == name


def test_a_header_repeated_above_each_block_is_not_a_person(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    for unit, person in (
        ("Thôn Đông", [1, "Nguyễn Văn An", "25/03/2005", "Nam", None]),
        ("Thôn Nam", [1, "Trần Văn Bình", "12/12/2004", "Nam", None]),
    ):
        ws.append([f"CHI ĐOÀN {unit.upper()}"])
        ws.append(HEAD)
        ws.append(["(1)", "(2)", "(3)", "(4)", "(5)"])
        ws.append(person)
    plan = plan_import(fresh_store, save(book, tmp_path / "khoi.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Nguyễn Văn An": "KDC01", "Trần Văn Bình": "KDC02"}
    reasons = [(s.row, s.reason) for s in plan.sheets[0].skipped]
    assert reasons == [(6, "dòng tiêu đề cột lặp lại"), (7, "dòng tiêu đề cột lặp lại")]


def test_a_move_to_another_unit_is_an_update_named_by_unit(commune: Store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    export_xlsx(commune, out)
    _edit(out, {("Lê Thị Hoa", "Mã chi đoàn"): "THPT1", ("Lê Thị Hoa", "Lớp"): "12A1"})
    plan = plan_import(commune, out, today=TODAY)
    [row] = [r for r in plan.rows if r.changes]
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Chi đoàn / đơn vị", "Thôn Đông (KDC01)", "Trường THPT Nguyễn Trãi (THPT1)"),
        ("Lớp", "", "12A1"),
    ]
    apply_import(commune, plan, today=TODAY)
    moved = commune.members.get("00000000-0000-4000-8000-000000000002")
    assert (moved.unit_code, moved.school_class) == ("THPT1", "12A1")


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_unread(fresh_store, tmp_path: Path):
    import zipfile

    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            chunk = b"A" * (1 << 20)
            for _ in range(64):  # 64 MB of one letter: a ratio near 1000:1
                f.write(chunk)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(Exception, match="giải nén ra quá lớn"):
        plan_import(fresh_store, path, today=TODAY)


def test_a_class_in_the_unit_column_is_a_class_of_the_school(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN TRƯỜNG THPT NGUYỄN TRÃI"])
    ws.append([*HEAD, "Chi đoàn"])
    ws.append([1, "Đinh Thị Giang", "01/09/2008", "Nữ", None, "Chi đoàn 12A1"])
    ws.append([2, "Võ Văn Khải", "03/03/2009", "Nam", None, "11B2"])
    plan = plan_import(fresh_store, save(book, tmp_path / "lop.xlsx"), today=TODAY)
    got = {n: (m.unit_code, m.school_class) for n, m in people(plan).items()}
    assert got == {"Đinh Thị Giang": ("THPT1", "12A1"), "Võ Văn Khải": ("THPT1", "11B2")}
    assert plan.units_to_add == []
