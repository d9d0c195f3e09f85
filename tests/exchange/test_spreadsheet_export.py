"""XLSX and CSV lists: real dates, header, filters, widths, and no formula ever runs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.exchange.cells import escape_cell
from dvdesk.exchange.csv_export import export_csv
from dvdesk.exchange.xlsx_export import export_xlsx

TODAY = date(2026, 11, 26)
NASTY = ["=1+1", "+84 912", "-2", "@SUM(A1:A2)", "\t=cmd", "\r=cmd"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *((t, "'" + t) for t in NASTY),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("", ""),
        ("a=b", "a=b"),
        ("'x", "'x"),
    ],
)
def test_escape_cell(text: str, expected: str):
    assert escape_cell(text) == expected


@pytest.fixture
def store(fresh_store):
    people = [
        Member(
            "Nguyễn Văn An",
            "KDC01",
            PartialDate(2005, 3, 25),
            cccd="001205000001",
            union_joined=date(2021, 3, 26),
            uid="00000000-0000-4000-8000-000000000001",
        ),
        Member(
            "Trần Thị Bình",
            "THPT1",
            PartialDate(2009),
            school_class="11A2",
            uid="00000000-0000-4000-8000-000000000002",
        ),
        Member(
            "Lê Văn Cường",
            "KDC01",
            PartialDate(2003, 7),
            notes=NASTY[0],
            address=NASTY[3],
            uid="00000000-0000-4000-8000-000000000003",
        ),
    ]
    for m in people:
        fresh_store.members.add(m, TODAY)
    fresh_store.steps.record(
        people[0].uid, StepRecord("source", StepState.DONE, date(2026, 1, 5)), TODAY
    )
    return fresh_store


def test_xlsx_has_real_dates_frozen_bold_header_filters_and_widths(store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    counts = export_xlsx(store, out)
    assert counts == {"Đoàn viên": 3, "Chi đoàn": 2, "Quy trình kết nạp": 1}
    book = load_workbook(out)
    assert book.sheetnames == ["Đoàn viên", "Chi đoàn", "Quy trình kết nạp"]
    sheet = book["Đoàn viên"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["STT", "Họ và tên", "Ngày sinh"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    assert sheet.column_dimensions["B"].width > 20
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(2, values_only=True)}
    an = rows["Nguyễn Văn An"]
    assert isinstance(an["Ngày sinh"], datetime) and an["Ngày sinh"].date() == date(2005, 3, 25)
    assert an["Ngày vào Đoàn"].date() == date(2021, 3, 26)
    assert sheet.cell(2, 3).number_format == "DD/MM/YYYY"
    assert an["Số CCCD"] == "001205000001"  # text: the leading zeros stay
    # Partial dates stay as the clerk knows them, not a made-up day.
    assert rows["Trần Thị Bình"]["Ngày sinh"] == "2009"
    assert rows["Lê Văn Cường"]["Ngày sinh"] == "07/2003"
    steps = book["Quy trình kết nạp"]
    assert steps.cell(2, 2).value == "Nguyễn Văn An"
    assert steps.cell(2, 6).value.date() == date(2026, 1, 5)


def test_xlsx_never_contains_a_formula(store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    export_xlsx(store, out)
    book = load_workbook(out)  # not data_only: a formula would show as "=…" with type "f"
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'=1+1" in values and "'@SUM(A1:A2)" in values


def test_csv_is_bom_utf8_with_vietnamese_dates_and_escaped(store, tmp_path: Path):
    out = tmp_path / "ds.csv"
    assert export_csv(store, out) == 3
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    an = next(r for r in rows if r["Họ và tên"] == "Nguyễn Văn An")
    assert (an["Ngày sinh"], an["Ngày vào Đoàn"]) == ("25/03/2005", "26/03/2021")
    cuong = next(r for r in rows if r["Họ và tên"] == "Lê Văn Cường")
    assert (cuong["Ghi chú"], cuong["Nơi ở hiện nay"]) == ("'=1+1", "'@SUM(A1:A2)")
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_exported_list_imports_back_as_the_same_people(store, tmp_path: Path):
    from dvdesk.exchange.sheet_import import RowStatus, plan_import
    from dvdesk.store.gateway import Store

    out = tmp_path / "ds.xlsx"
    export_xlsx(store, out)
    assert {r.status for r in plan_import(store, out, today=TODAY).rows} == {RowStatus.EXISTING}
    other = Store.open(":memory:")
    plan = plan_import(other, out, today=TODAY)
    assert [r.issues for r in plan.rows if r.status is not RowStatus.NEW] == []
    back = {m.uid: m for m in plan.to_add}
    for m in store.packages.members():
        assert back[m.uid] == m  # escaped formula-looking text comes back as it was
    other.close()
