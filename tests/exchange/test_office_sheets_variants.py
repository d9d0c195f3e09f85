"""More lists as offices make them (issue #15): header spellings, split dates, short unit
names, CCCD typed with an apostrophe, errors that name the person.

Each sheet is built here with openpyxl; the expected values are read off the sheet by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member, Unit, UnitKind
from dvdesk.exchange.sheet_import import RowStatus, plan_import

TODAY = date(2026, 11, 26)


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def people(plan) -> dict[str, Member]:
    return {r.member.full_name: r.member for r in plan.rows if r.member}


def test_a_date_of_birth_in_day_month_year_columns_under_a_merged_header(
    fresh_store, tmp_path: Path
):
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN THÔN ĐÔNG"])
    ws.append(["STT", "HỌ VÀ TÊN ĐOÀN VIÊN", "Ngày tháng năm sinh", None, None, "Giới tính"])
    ws.append([None, None, "Ngày", "Tháng", "Năm", None])
    for cells in ("A2:A3", "B2:B3", "C2:E2", "F2:F3"):
        ws.merge_cells(cells)
    ws.append([1, "Vũ Minh Tuấn", 12, 4, 2005, "Nam"])
    ws.append([2, "Ngô Thị Lan", "01", "11", "2006", "Nữ"])
    ws.append([3, "Đặng Văn Toàn", None, None, 2004, "Nam"])
    ws.append([4, "Đào Thị Yến", None, 7, 2003, "Nữ"])
    ws.append([5, "Lỗi Văn Ngày", 31, 2, 2005, "Nam"])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    got = {n: m.dob for n, m in people(plan).items()}
    assert got["Vũ Minh Tuấn"] == PartialDate(2005, 4, 12)
    assert got["Ngô Thị Lan"] == PartialDate(2006, 11, 1)
    assert got["Đặng Văn Toàn"] == PartialDate(2004)
    assert got["Đào Thị Yến"] == PartialDate(2003, 7)
    bad = next(r for r in plan.rows if r.member.full_name == "Lỗi Văn Ngày")
    assert bad.status is RowStatus.INVALID
    text = "\n".join(plan.lines())
    assert "“Ngày tháng năm sinh Năm” → ngày sinh (cột năm)" in text
    assert "Dòng 8 (Lỗi Văn Ngày), cột “Ngày tháng năm sinh Ngày”:" in text


def test_a_date_of_birth_in_three_headed_columns(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Tháng sinh", "Năm sinh", "Đơn vị"])
    ws.append([1, "Vũ Minh Tuấn", 12, 4, 2005, "Thôn Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ds.xlsx"), today=TODAY)
    assert people(plan)["Vũ Minh Tuấn"].dob == PartialDate(2005, 4, 12)


def test_birth_year_headers_written_per_gender(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN THÔN ĐÔNG"])
    ws.append(["STT", "Họ và tên", "Năm sinh Nam", "Năm sinh Nữ", "Số CCCD"])
    ws.append([1, "Bùi Văn Nam", "12/05/2003", None, "001203000555"])
    ws.append([2, "Lý Thị Hà", None, "2004", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    got = {n: (m.dob, m.gender) for n, m in people(plan).items()}
    assert got == {
        "Bùi Văn Nam": (PartialDate(2003, 5, 12), Gender.MALE),
        "Lý Thị Hà": (PartialDate(2004), Gender.FEMALE),
    }


def test_a_unit_written_with_its_short_kind_word(fresh_store, tmp_path: Path):
    fresh_store.units.add(Unit("KDC02", "Tổ dân phố Phú Lợi", UnitKind.RESIDENTIAL))
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Thôn/Tổ dân phố"])
    ws.append([1, "Trần Thị Công", "21/10/2003", "TDP Phú Lợi"])
    ws.append([2, "Hồ Văn Tùng", "22/10/2003", "TDP HÒA LẠC"])
    ws.append([3, "Lê Văn Khải", "23/10/2003", "KDC Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ds.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Trần Thị Công": "KDC02", "Hồ Văn Tùng": "KDC03", "Lê Văn Khải": "KDC01"}
    assert [u.name for u in plan.units_to_add] == ["Tổ dân phố Hòa Lạc"]


def test_a_cccd_kept_as_text_with_its_apostrophe(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Thôn"])
    ws.append([1, "Lục Văn Sơn", "01/03/2000", "'001200000333", "Thôn Đông"])
    ws.append([2, "Ninh Thị Thu", "02/03/2000", "’001300000444", "Thôn Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ds.xlsx"), today=TODAY)
    got = {n: m.cccd for n, m in people(plan).items()}
    assert got == {"Lục Văn Sơn": "001200000333", "Ninh Thị Thu": "001300000444"}
    assert all(r.status is RowStatus.NEW for r in plan.rows)


@pytest.mark.parametrize("template", ["danh-sach", "hd38"])
def test_reimport_of_a_template_list_changes_nothing_unedited(
    commune, tmp_path: Path, template: str
):
    """The "Danh sách đoàn viên" shows the address with its commune, the HD 38 sheet the
    commune's party committee as "Tổ chức Đảng đang sinh hoạt": reading them back is no
    change; only what the clerk edited is."""
    from dataclasses import replace

    from dvdesk.exchange.templates import export_template

    store = commune(n=30)
    stored = {m.full_name: m for m in store.packages.members(None)}
    for m in stored.values():
        store.members.update(replace(m, address="Xóm 3", residence_commune="Xã Một"), TODAY)
    out = tmp_path / "ds.xlsx"
    export_template(store, template, out, today=TODAY)
    book = load_workbook(out)
    ws = book.worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    assert any(c.value == "Xóm 3, Xã Một" for c in cells)  # as the template shows it
    name = next(c for c in cells if c.value in stored and stored[c.value].cccd)
    someone = stored[name.value]
    name.value = f"{someone.full_name} Anh"
    book.save(out)
    plan = plan_import(store, out, today=TODAY)
    changed = {r.existing: [c.field for c in r.changes] for r in plan.rows if r.changes}
    assert changed == {someone.full_name: ["full_name"]}


def test_a_list_typed_in_the_old_tcvn3_font(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["DANH S¸CH §OµN VI£N TH¤N §«NG"])  # the title's capitals in .VnTimeH codes
    ws.append(["STT", "Hä vµ tªn", "Ngµy sinh", "Giíi tÝnh", "Ghi chó"])
    ws.append([1, "NguyÔn V¨n An", "01/01/2001", "Nam", "§i lµm ¨n xa"])
    ws.append([2, "TrÇn ThÞ B×nh", "02/01/2001", "N÷", None])
    for n in range(3, 301):  # past the rows held for the header: the rest is streamed
        ws.append([n, f"Lª V¨n {chr(65 + n % 26)}{chr(97 + n // 26)}", "01/01/2001", "Nam", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "cu.xlsx"), today=TODAY)
    got = {n: (m.gender, m.unit_code) for n, m in people(plan).items() if "Lê" not in n}
    assert got == {
        "Nguyễn Văn An": (Gender.MALE, "KDC01"),
        "Trần Thị Bình": (Gender.FEMALE, "KDC01"),
    }
    assert people(plan)["Nguyễn Văn An"].notes == "Đi làm ăn xa"
    assert sum(1 for n in people(plan) if n.startswith("Lê Văn ")) == 298
    assert any("TCVN3" in n for n in plan.sheets[0].notes)


def test_a_unicode_list_with_latin_signs_is_not_taken_for_tcvn3(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Ghi chú", "Thôn"])
    ws.append([1, "Ðặng Văn Ánh", "01/01/2001", "cân nặng 50 kg, chiều cao 1m70 ±", "Thôn Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ds.xlsx"), today=TODAY)
    assert [r.member.full_name for r in plan.rows] == ["Ðặng Văn Ánh"]
    assert not any("TCVN3" in n for n in plan.sheets[0].notes)


def test_ethnicity_and_religion_in_one_column(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Dân tộc - Tôn giáo", "Thôn"])
    ws.append([1, "Ông Văn Chín", "09/09/2009", "Tày - Không", "Thôn Đông"])
    ws.append([2, "Hà Thị Mười", "10/09/2009", "Kinh/Công giáo", "Thôn Đông"])
    ws.append([3, "Lò Văn Một", "11/09/2009", "Thái", "Thôn Đông"])
    plan = plan_import(fresh_store, save(book, tmp_path / "ds.xlsx"), today=TODAY)
    got = {n: (m.ethnicity, m.religion) for n, m in people(plan).items()}
    assert got == {
        "Ông Văn Chín": ("Tày", "Không"),
        "Hà Thị Mười": ("Kinh", "Công Giáo"),  # as entry writes it
        "Lò Văn Một": ("Thái", "Không"),
    }
    assert plan.sheets[0].ignored == []


def test_group_rows_numbered_in_the_stt_column(fresh_store, tmp_path: Path):
    fresh_store.units.add(Unit("KDC02", "Tổ dân phố số 3", UnitKind.RESIDENTIAL))
    book = Workbook()
    ws = book.active
    ws.append(["DANH SÁCH ĐOÀN VIÊN XÃ DEMO"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính"])
    ws.append(["1", "Thôn 1"])
    ws.append([1, "Tô Văn Một", "01/01/2001", "Nam"])  # "Tô" is a family name, not "Tổ"
    ws.append(["2", "Thôn Đông (3 đoàn viên)"])
    ws.append([1, "Bàn Văn Hai", "02/01/2001", "Nam"])
    ws.append(["3", "TDP số 3"])
    ws.append([1, "Số Văn Ba", "03/01/2001", "Nam"])
    plan = plan_import(fresh_store, save(book, tmp_path / "xa.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Tô Văn Một": "KDC03", "Bàn Văn Hai": "KDC01", "Số Văn Ba": "KDC02"}
    assert [u.name for u in plan.units_to_add] == ["Thôn 1"]
    assert all(r.status is RowStatus.NEW for r in plan.rows)


def test_sheet_names_shortened_th_and_tdp(fresh_store, tmp_path: Path):
    fresh_store.units.add(Unit("KDC02", "Tổ dân phố Hòa Bình", UnitKind.RESIDENTIAL))
    book = Workbook()
    for i, title in enumerate(("Th. Đông", "TDP Hòa Bình", "Th.Nam"), 1):
        ws = book.active if i == 1 else book.create_sheet()
        ws.title = title
        ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính"])
        ws.append([1, f"Tăng Văn {'ABC'[i - 1]}", f"0{i}/01/2001", "Nam"])
    plan = plan_import(fresh_store, save(book, tmp_path / "xa.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {"Tăng Văn A": "KDC01", "Tăng Văn B": "KDC02", "Tăng Văn C": "KDC03"}
    assert [u.name for u in plan.units_to_add] == ["Thôn Nam"]


def test_a_move_written_in_the_unit_name_column_of_an_export(commune, tmp_path: Path):
    """dvdesk's list has "Mã chi đoàn" and "Chi đoàn": a secretary moving someone edits
    the name; the code left as it was does not undo the move."""
    from dvdesk.exchange.xlsx_export import export_xlsx

    store = commune(n=20)
    units = {u.code: u.name for u in store.units.all()}
    out = tmp_path / "ds.xlsx"
    export_xlsx(store, out)
    book = load_workbook(out)
    ws = book["Đoàn viên"]
    head = [c.value for c in ws[1]]
    code_col, name_col = head.index("Mã chi đoàn"), head.index("Chi đoàn")
    row = next(r for r in ws.iter_rows(min_row=2) if r[code_col].value != "KDC02")
    moved, old = row[head.index("Họ và tên")].value, row[code_col].value
    row[name_col].value = units["KDC02"]
    book.save(out)
    plan = plan_import(store, out, today=TODAY)
    changed = {r.existing: [(c.field, c.new) for c in r.changes] for r in plan.rows if r.changes}
    assert changed == {moved: [("unit_code", f"{units['KDC02']} (KDC02)")]}
    block = next(b for s in plan.sheets for b in s.blocks if "ghi mã" in b.reason)
    assert f"ghi mã {old} của {units[old]}" in block.reason


def test_a_remark_written_after_a_name(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.title = "Thôn Đông"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Ghi chú"])
    ws.append([1, "Lê Văn Cả (Bí thư)", "03/01/2001", None])
    ws.append([2, "Võ Thị Dự (chuyển đến 2025)", "04/01/2001", "Đoàn viên mới"])
    ws.append([3, "Hà Văn Sao *", "05/01/2001", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    got = {n: (m.union_position, m.notes) for n, m in people(plan).items()}
    assert got == {
        "Lê Văn Cả": ("Bí thư", ""),
        "Võ Thị Dự": ("", "Đoàn viên mới; Ghi kèm họ tên: chuyển đến 2025"),
        "Hà Văn Sao": ("", "Ghi kèm họ tên: *"),
    }
    assert all(r.status is RowStatus.NEW for r in plan.rows)
    assert "Họ và tên có ghi kèm “Bí thư”: đã tách ra, ghi vào chức vụ Đoàn." in "\n".join(
        plan.lines()
    )


def test_excel_unicode_text_export_is_read(fresh_store, tmp_path: Path):
    """Excel's "Unicode Text (*.txt)": UTF-16 with a byte-order mark, tab-separated."""
    rows = [
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thôn"],
        ["1", "Nguyễn Thị Ánh", "01/01/2001", "Nữ", "Thôn Đông"],
    ]
    path = tmp_path / "ds.txt"
    path.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    plan = plan_import(fresh_store, path, today=TODAY)
    m = people(plan)["Nguyễn Thị Ánh"]
    assert (m.dob, m.gender, m.unit_code) == (PartialDate(2001, 1, 1), Gender.FEMALE, "KDC01")


def test_dates_and_genders_spelled_out(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.title = "Thôn Đông"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính"])
    ws.append([1, "Kỳ Văn Một", "05 / 03 / 2008", "Nam giới"])
    ws.append([2, "Kỳ Thị Hai", "Ngày 05 tháng 3 năm 2008", "Nữ giới"])
    ws.append([3, "Kỳ Văn Ba", "05/03/2008.", "Nam"])
    ws.append([4, "Kỳ Văn Bốn", "3 / 2008", "Nam"])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    got = {n: (m.dob, m.gender) for n, m in people(plan).items()}
    assert got == {
        "Kỳ Văn Một": (PartialDate(2008, 3, 5), Gender.MALE),
        "Kỳ Thị Hai": (PartialDate(2008, 3, 5), Gender.FEMALE),
        "Kỳ Văn Ba": (PartialDate(2008, 3, 5), Gender.MALE),
        "Kỳ Văn Bốn": (PartialDate(2008, 3), Gender.MALE),
    }
    assert all(r.status is RowStatus.NEW for r in plan.rows)


def test_a_unit_column_filled_once_per_block(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Thôn"])
    ws.append([1, "Khối Văn Một", "01/01/2001", "Thôn Đông"])
    ws.append([2, "Khối Văn Hai", "02/01/2001", None])
    ws.append([3, "Khối Văn Ba", "03/01/2001", "Thôn Nam"])
    ws.append([4, "Khối Văn Bốn", "04/01/2001", None])
    plan = plan_import(fresh_store, save(book, tmp_path / "xa.xlsx"), today=TODAY)
    got = {n: m.unit_code for n, m in people(plan).items()}
    assert got == {
        "Khối Văn Một": "KDC01",
        "Khối Văn Hai": "KDC01",
        "Khối Văn Ba": "KDC02",
        "Khối Văn Bốn": "KDC02",
    }
    reasons = [b.reason for b in plan.sheets[0].blocks]
    assert reasons[1] == "theo cột “Thôn” (ô trống: như dòng trên)"


def test_a_dash_or_question_mark_is_an_unknown_value(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.title = "Thôn Đông"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đoàn"])
    ws.append([1, "Gạch Văn Một", "-", "Nam", "-", "-"])
    ws.append([2, "Gạch Thị Hai", "01/01/2001", "-", "…", "?"])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    got = {n: (m.dob, m.gender, m.cccd, m.union_joined) for n, m in people(plan).items()}
    assert got == {
        "Gạch Văn Một": (None, Gender.MALE, "", None),
        "Gạch Thị Hai": (PartialDate(2001, 1, 1), None, "", None),
    }
    assert all(r.status is RowStatus.NEW for r in plan.rows)


def test_a_party_data_sheet_names_the_chi_bo(fresh_store, tmp_path: Path):
    """An HD 38 data sheet from elsewhere: starred headers, "Tổ chức Đảng đang sinh hoạt",
    a date kept as text with its apostrophe."""
    book = Workbook()
    ws = book.active
    ws.append(["BIỂU MẪU THU THẬP THÔNG TIN ĐẢNG VIÊN"])
    header = ["STT", "Họ và tên*", "Giới tính*", "Sinh ngày*", "Số định danh cá nhân*"]
    ws.append([*header, "Tổ chức Đảng đang sinh hoạt*"])
    ws.append([1, "Đảng Văn Một", "Nam", "'05/03/1990", "001090000001", "Chi bộ Thôn Đông"])
    ws.append([2, "Đảng Thị Hai", "Nữ", "06/03/1991", "001191000002", "Chi bộ thôn Bắc"])
    plan = plan_import(fresh_store, save(book, tmp_path / "dv.xlsx"), today=TODAY)
    got = {n: (m.unit_code, m.dob) for n, m in people(plan).items()}
    assert got == {
        "Đảng Văn Một": ("KDC01", PartialDate(1990, 3, 5)),
        "Đảng Thị Hai": ("KDC02", PartialDate(1991, 3, 6)),
    }
    assert [u.name for u in plan.units_to_add] == ["Thôn Bắc"]


def test_names_numbered_in_a_list_without_stt(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.title = "Thôn Đông"
    ws.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    ws.append(["1. Số Văn Một", "01/01/2001", "Nam"])
    ws.append(["2) Số Thị Hai", "02/01/2001", "Nữ"])
    plan = plan_import(fresh_store, save(book, tmp_path / "dong.xlsx"), today=TODAY)
    assert sorted(people(plan)) == ["Số Thị Hai", "Số Văn Một"]
    assert all(r.status is RowStatus.NEW for r in plan.rows)
