"""Template exports (issue #15 point 10): the layouts the level above asks for.

Checked by reading the workbook back with openpyxl (title rows, office header,
date and signature rows, A4 print setup, font, CCCD as text, dates dd/mm/yyyy)
and, where LibreOffice is installed, by a headless conversion.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member, Presence
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.exchange.sheet_import import RowStatus, apply_import, plan_import
from dvdesk.exchange.templates import FONT, TEMPLATES, export_template
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)


@pytest.fixture
def store(disk_store: Store) -> Store:
    settings = disk_store.settings.get()
    settings.commune_name, settings.province = "Xã Đông Hòa", "Nghệ An"
    settings.youth_union, settings.union_secretary = "Đoàn xã Đông Hòa", "Nguyễn Thị Lan"
    settings.party_committee, settings.party_secretary = "Đảng ủy xã Đông Hòa", "Lê Văn Hùng"
    disk_store.settings.save(settings)
    people = [
        Member(
            "Nguyễn Văn An",
            "KDC01",
            PartialDate(2000, 3, 25),
            gender=Gender.MALE,
            cccd="001200000001",
            union_card_no="012345678",
            education="12/12",
            uid="00000000-0000-4000-8000-000000000001",
        ),
        Member(
            "Lê Thị Hoa",
            "KDC01",
            PartialDate(2005, 1, 2),
            gender=Gender.FEMALE,
            ethnicity="Tày",
            religion="Phật giáo",
            presence=Presence.WORKING_AWAY,
            uid="00000000-0000-4000-8000-000000000002",
        ),
        Member(
            "Đinh Văn Giang",
            "THPT1",
            PartialDate(2008, 9),
            gender=Gender.MALE,
            school_class="12A1",
            uid="00000000-0000-4000-8000-000000000003",
        ),
    ]
    for m in people:
        disk_store.members.add(m, TODAY)
    an, hoa = people[0].uid, people[1].uid
    # Set-based, as an import records them (no order check: only the dates matter here).
    disk_store.steps.record_many(
        {
            an: [
                StepRecord("decision", StepState.DONE, date(2025, 5, 10)),
                StepRecord("ceremony", StepState.DONE, date(2025, 6, 1)),
                StepRecord("recognition_decision", StepState.DONE, date(2026, 6, 15)),
            ],
            hoa: [StepRecord("course", StepState.DONE, date(2026, 3, 2), "CN-123/2026")],
        }
    )
    return disk_store


def _cells(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _find(rows: list[list[object]], text: str) -> int:
    return next(i for i, r in enumerate(rows) if text in r)


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_every_template_has_the_furniture_and_print_setup(store: Store, tmp_path: Path, key):
    out = tmp_path / f"{key}.xlsx"
    export_template(store, key, out, today=TODAY)
    ws = load_workbook(out).active
    rows = _cells(ws)
    flat = [v for r in rows for v in r if v is not None]
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM" if key == "hd38" else "ĐOÀN TNCS HỒ CHÍ MINH"
    assert motto in flat
    assert "Đông Hòa, ngày 26 tháng 11 năm 2026" in flat
    assert TEMPLATES[key].title in flat
    assert "NGƯỜI LẬP BIỂU" in flat
    signer = "Lê Văn Hùng" if key == "hd38" else "Nguyễn Thị Lan"
    assert flat.index(signer) > flat.index("NGƯỜI LẬP BIỂU")  # signature last
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    header = _find(rows, "STT") + 1
    assert ws.print_title_rows == f"${header}:${header + 1}"
    fonts = {c.font.name for r in ws.iter_rows() for c in r if c.value is not None}
    assert fonts == {FONT}


def test_danh_sach_groups_by_chi_doan_with_text_cccd_and_real_dates(store: Store, tmp_path):
    out = tmp_path / "ds.xlsx"
    assert export_template(store, "danh-sach", out, today=TODAY) == 3
    ws = load_workbook(out).active
    rows = _cells(ws)
    assert [v for v in rows[_find(rows, "I. CHI ĐOÀN THÔN ĐÔNG")] if v] == ["I. CHI ĐOÀN THÔN ĐÔNG"]
    an = _find(rows, "Nguyễn Văn An") + 1
    header = rows[_find(rows, "STT")]
    cccd = ws.cell(an, header.index("Số CCCD / định danh") + 1)
    assert (cccd.value, cccd.number_format) == ("001200000001", "@")
    born = ws.cell(an, header.index("Ngày sinh") + 1)
    assert born.value == datetime(2000, 3, 25) and born.number_format == "DD/MM/YYYY"
    assert ws.cell(an, header.index("Ngày vào Đảng") + 1).value == datetime(2025, 5, 10)
    giang = rows[_find(rows, "Đinh Văn Giang")]
    assert giang[header.index("Ngày sinh")] == "09/2008"  # a partial date stays as known


def test_danh_sach_reads_back_as_the_same_people(store: Store, tmp_path: Path):
    out = tmp_path / "ds.xlsx"
    export_template(store, "danh-sach", out, today=TODAY)
    plan = plan_import(store, out, today=TODAY)
    s = plan.summary()
    assert (s["rows"], s["new"], s["invalid"]) == (3, 0, 0)
    assert {r.member.unit_code for r in plan.rows} == {"KDC01", "THPT1"}
    reasons = {s.reason for s in plan.sheets[0].skipped}
    assert reasons == {"phần ký tên cuối danh sách"}


def test_hd38_lists_party_members_with_their_dates(store: Store, tmp_path: Path):
    out = tmp_path / "hd38.xlsx"
    assert export_template(store, "hd38", out, today=TODAY) == 1
    ws = load_workbook(out).active
    rows = _cells(ws)
    header = rows[_find(rows, "STT")]
    an = rows[_find(rows, "Nguyễn Văn An")]
    assert an[header.index("Số định danh cá nhân")] == "001200000001"
    assert an[header.index("Ngày vào Đảng")] == datetime(2025, 5, 10)
    assert an[header.index("Ngày vào Đảng chính thức")] == datetime(2026, 6, 1)
    assert an[header.index("Tổ chức Đảng đang sinh hoạt")] == "Đảng ủy xã Đông Hòa"
    assert an[header.index("Thường trú - Tỉnh")] == "Nghệ An"


def test_trich_ngang_has_the_course_and_certificate(store: Store, tmp_path: Path):
    out = tmp_path / "tn.xlsx"
    assert export_template(store, "trich-ngang", out, today=TODAY) == 1
    rows = _cells(load_workbook(out).active)
    header = rows[_find(rows, "STT")]
    hoa = rows[_find(rows, "Lê Thị Hoa")]
    assert hoa[header.index("Ngày học lớp bồi dưỡng nhận thức về Đảng")] == datetime(2026, 3, 2)
    assert hoa[header.index("Số giấy chứng nhận")] == "CN-123/2026"


def test_so_luong_counts_by_unit(store: Store, tmp_path: Path):
    out = tmp_path / "sl.xlsx"
    export_template(store, "so-luong", out, today=TODAY)
    rows = _cells(load_workbook(out).active)
    header = rows[_find(rows, "STT")]
    east = dict(zip(header, rows[_find(rows, "Thôn Đông")], strict=True))
    assert (east["Tổng số đoàn viên"], east["Nam"], east["Nữ"]) == (2, 1, 1)
    assert (east["Dân tộc thiểu số"], east["Có tôn giáo"], east["Đi làm ăn xa"]) == (1, 1, 1)
    assert east["Là đảng viên"] == 1
    total = dict(zip(header, rows[_find(rows, "Tổng cộng")], strict=True))
    assert total["Tổng số đoàn viên"] == 3 and total["Nam"] == 2


def test_cli_exports_a_template_for_one_unit(store: Store, tmp_path: Path, capsys):
    out = tmp_path / "ds.xlsx"
    db = str(store.path)
    store.close()
    assert (
        main(
            ["export", "--db", db, "--template", "danh-sach", "--unit", "THPT1", "--out", str(out)]
        )
        == 0
    )
    assert "1 dòng" in capsys.readouterr().out
    rows = _cells(load_workbook(out).active)
    assert _find(rows, "Đinh Văn Giang") and not any("Nguyễn Văn An" in r for r in rows)
    assert (
        main(["export", "--db", db, "--template", "so-luong", "--out", str(tmp_path / "x.csv")])
        == 1
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("key", list(TEMPLATES))
def test_libreoffice_opens_each_template(store: Store, tmp_path: Path, key):
    out = tmp_path / f"{key}.xlsx"
    export_template(store, key, out, today=TODAY)
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True,
        timeout=180,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf = tmp_path / f"{key}.pdf"
    assert done.returncode == 0 and pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"


def test_trich_ngang_admission_columns_become_steps(store: Store, tmp_path: Path):
    out = tmp_path / "tn.xlsx"
    export_template(store, "trich-ngang", out, today=TODAY)
    other = Store.open(tmp_path / "cap-tren.db")
    plan = plan_import(other, out, today=TODAY)
    assert plan.summary()["new"] == 1
    apply_import(other, plan, today=TODAY)
    [hoa] = other.packages.members()
    course = other.steps.of(hoa.uid)["course"]
    assert (course.state, course.done_on, course.doc_number) == (
        StepState.DONE,
        date(2026, 3, 2),
        "CN-123/2026",
    )
    # The certificate number corrected in the sheet updates the step, shown first.
    book = load_workbook(out)
    ws = book.active
    rows = _cells(ws)
    header = rows[_find(rows, "STT")]
    r = _find(rows, "Lê Thị Hoa") + 1
    ws.cell(r, header.index("Số giấy chứng nhận") + 1).value = "CN-124/2026"
    ws.cell(r, header.index("Người giới thiệu") + 1).value = "Lê Văn Hùng, Trần Thị Mai"
    book.save(out)
    plan = plan_import(other, out, today=TODAY)
    [row] = plan.rows
    # No CCCD and no dvdesk code in this layout: the same name, birth date and unit is asked.
    assert row.status is RowStatus.CONFLICT
    plan.confirm([row])
    assert row.status is RowStatus.UPDATE
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Số giấy chứng nhận", "CN-123/2026", "CN-124/2026"),
        ("Người giới thiệu", "", "Người giới thiệu: Lê Văn Hùng, Trần Thị Mai"),
    ]
    apply_import(other, plan, today=TODAY)
    steps = other.steps.of(hoa.uid)
    assert steps["course"].doc_number == "CN-124/2026"
    assert steps["course"].done_on == date(2026, 3, 2)
    assert steps["introduction"].note == "Người giới thiệu: Lê Văn Hùng, Trần Thị Mai"
    other.close()


def test_a_template_never_replaces_a_file_unasked_nor_the_data_file(store: Store, tmp_path):
    out = tmp_path / "ds.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(Exception, match="đã có"):
        export_template(store, "so-luong", out, today=TODAY)
    assert out.read_bytes() == b"old"
    export_template(store, "so-luong", out, today=TODAY, overwrite=True)
    assert load_workbook(out).active.title
    with pytest.raises(Exception, match="tệp dữ liệu đang mở"):
        export_template(store, "so-luong", Path(store.path), today=TODAY, overwrite=True)
    assert not list(tmp_path.glob(".*.tmp"))
