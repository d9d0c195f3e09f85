"""The transfer letter and the statistics report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Line
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member, Unit, UnitKind
from dvdesk.domain.procedure import Stage, StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import REGULAR, register_fonts
from dvdesk.reports.statistics_pdf import (
    SERIES,
    FigureRow,
    ShareRow,
    StatisticsReport,
    TargetRow,
    axis_step,
    chart,
    percent,
    report_years,
    write_report,
    write_statistics,
)
from dvdesk.reports.transfer_letter import address_form, write_transfer_letter
from dvdesk.store.gateway import Store
from dvdesk.store.settings import Settings
from tests.reports.conftest import LONG, TODAY, flat, pdf_fragments, pdf_pages

UNIVERSITY = "Chi bộ Sinh viên K68, Đảng bộ Trường Đại học Sư phạm Hà Nội"


def test_transfer_letter(commune: Store, tmp_path: Path):
    out = tmp_path / "gioi-thieu.pdf"
    write_transfer_letter(commune, commune.people["long"].uid, UNIVERSITY, out, TODAY)
    pages = [flat([p]) for p in pdf_pages(out)]
    text = " ".join(pages)
    for expected in (
        "Số",
        "-GGT/ĐU",
        "GIẤY GIỚI THIỆU",
        f"Kính gửi: {UNIVERSITY}",
        "Học sinh lớp 12A1",
        "Đảng ủy xã Đông Hòa trân trọng giới thiệu quần chúng",
        "có giá trị đến hết ngày 19/11/2030",
        "từ ngày 10/09/2026",
        "Bước tiếp theo của quy trình: Đơn xin vào Đảng (1-KNĐ)",
        "xem xét kết nạp quần chúng",
        # One paper: on the heading's line.
        "Hồ sơ gửi kèm theo: Học lớp bồi dưỡng nhận thức về Đảng — giấy chứng nhận "
        "(CN-NTVĐ) số 2-NQ/ĐU.",
        "Nơi nhận: - Như trên; - Trường THPT Nguyễn Trãi; - Lưu.",
        "T/M ĐẢNG ỦY",
        "Nguyễn Văn Bình",
    ):
        assert expected in text, expected
    assert "đồng chí" not in text and "Số:" not in text
    assert all(word in text for word in LONG.split())
    # Two steps and a 79-letter name: one page, the request and the signature on it.
    assert len(pages) == 1
    assert "Nguyễn Văn Bình" in pages[-1] and "Đề nghị" in pages[-1]


LONG_NUMBER = "1234567890-GGT/ĐUBCHĐTNCSHCMXĐHTQNG/2026"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [("17", "Số 17-GGT/ĐU"), ("17-GGT/ĐU", "Số 17-GGT/ĐU"), (LONG_NUMBER, LONG_NUMBER)],
)
def test_transfer_letter_prints_its_number(
    commune: Store, tmp_path: Path, typed: str, printed: str
):
    """The number typed (--letter-number) is on the letter, whole, within the issuer's column."""
    out = tmp_path / "gioi-thieu.pdf"
    write_transfer_letter(commune, commune.people["long"].uid, UNIVERSITY, out, TODAY, number=typed)
    text = flat(pdf_pages(out)[:1])
    assert "".join(text.split()).count("".join(printed.split())) == 1
    column = st.LEFT_MARGIN + st.FRAME_WIDTH * f.LEFT_SHARE
    for piece, x, _, size in pdf_fragments(out)[0]:
        if "GGT" in piece or "ĐUBCH" in piece:
            assert x + stringWidth(piece.strip(), REGULAR, size) <= column + 1, piece


def test_transfer_letter_lists_only_papers_that_exist(commune: Store, tmp_path: Path):
    uid = commune.people["young"].uid
    commune.steps.record(
        uid, StepRecord("source", StepState.DONE, date(2026, 3, 1), "9-NQ/ĐTN"), today=TODAY
    )
    out = tmp_path / "gioi-thieu.pdf"
    write_transfer_letter(commune, uid, UNIVERSITY, out, TODAY)
    text = flat(pdf_pages(out))
    assert "Chưa học lớp bồi dưỡng nhận thức về Đảng." in text
    assert "CN-NTVĐ" not in text.replace("(CN-NTVĐ).", "")  # only as the next step
    assert "Hồ sơ gửi kèm theo" not in text
    assert "Bước tiếp theo của quy trình: Học lớp bồi dưỡng nhận thức về Đảng" in text


# The extremes a letter must still lay out (issue 17): a 60-character name, a
# 110-character school and 40-character document numbers.
NAME_60 = "Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Linh Đoan Trang Hà"
SCHOOL_110 = (
    "Trường Trung học phổ thông chuyên Lê Khiết thuộc Sở Giáo dục và Đào tạo tỉnh "
    "Quảng Ngãi, cơ sở hai xã Đông Hòa"
)
NUMBER_40 = "1234567890-NQ/ĐUBCHĐTNCSHCMXĐHTQNG/20{:02d}"
ALL_STEPS = (
    "source",
    "course",
    "application",
    "biography",
    "verification",
    "introduction",
    "union_resolution",
    "opinions",
)


def _student(
    store: Store, uid: str, cccd: str, steps: tuple[str, ...], number: str = NUMBER_40
) -> str:
    """A graduating student of the long-named school with every record field filled;
    step i's document number is `number` formatted with i."""
    if store.units.id_of("THPT9") is None:
        store.units.add(Unit("THPT9", SCHOOL_110, UnitKind.SCHOOL))
    member = Member(
        NAME_60,
        "THPT9",
        PartialDate(2007, 9, 10),
        Gender.FEMALE,
        school_class="12A1",
        school_year="2025-2026",
        graduation_year=2026,
        cccd=cccd,
        phone="0905123456",
        union_joined=date(2022, 3, 26),
        hometown="Thôn Tân Hòa, xã Đông Hòa, tỉnh Quảng Ngãi",
        address="Thôn Tân Hòa, xã Đông Hòa, tỉnh Quảng Ngãi",
        uid=uid,
    )
    store.members.add(member, today=TODAY)
    records = [
        StepRecord(code, StepState.DONE, date(2024, i, 10), number.format(i))
        for i, code in enumerate(steps, 1)
    ]
    store.steps.record_many({uid: records})
    return uid


def _page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def test_short_letter_fits_one_page(commune: Store, tmp_path: Path):
    """One step, the longest name and school, every field: one page, signature included.
    (A student with the course done too is `test_transfer_letter`'s, on one page.)"""
    assert len(NAME_60) == 60 and len(SCHOOL_110) == 110
    uid = "00000000-0000-4000-8000-0000000000a1"
    _student(commune, uid, "051207001234", ALL_STEPS[:1], "{}2-NQ/ĐTN")
    out = tmp_path / "ngan.pdf"
    pages = write_transfer_letter(commune, uid, UNIVERSITY, out, TODAY)
    assert pages == _page_count(out) == 1
    text = flat(pdf_pages(out))
    for expected in (
        NAME_60,
        "Số định danh cá nhân: 051207001234",
        "Điện thoại: 0905123456",
        f"Học sinh lớp 12A1, {SCHOOL_110}, năm học 2025-2026",
        "12-NQ/ĐTN",
    ):
        assert expected in text, expected
    assert "vào Đảng khi đủ điều kiện." in text and "Nguyễn Văn Bình" in text


def test_long_letter_keeps_its_signature_with_the_last_lines(commune: Store, tmp_path: Path):
    """Every step, long numbers: several pages, and the signer's page ends the request."""
    uid = _student(commune, "00000000-0000-4000-8000-0000000000a2", "051207005678", ALL_STEPS)
    out = tmp_path / "dai.pdf"
    pages = write_transfer_letter(commune, uid, UNIVERSITY, out, TODAY)
    assert pages == _page_count(out) >= 2
    texts = [flat([p]) for p in pdf_pages(out)]
    signer = [i for i, text in enumerate(texts) if "Nguyễn Văn Bình" in text]
    last_line = [i for i, text in enumerate(texts) if "vào Đảng khi đủ điều kiện." in text]
    assert signer == last_line == [len(texts) - 1]
    # The last page is more than the signature: the request's lines came with it.
    assert "Đề nghị" in texts[-1]
    # Every step's 40-character number is printed whole (wrapped, never cut).
    compact = "".join(texts).replace(" ", "")
    assert all(NUMBER_40.format(i) in compact for i in range(1, len(ALL_STEPS) + 1))


@pytest.mark.parametrize(
    ("stage", "word"),
    [
        (Stage.INTRODUCED, "quần chúng"),
        (Stage.COURSE, "quần chúng"),
        (Stage.ADMISSION, "quần chúng"),
        (Stage.PROBATION, "đồng chí"),
        (Stage.FULL, "đồng chí"),
    ],
)
def test_address_form(stage: Stage, word: str):
    assert address_form(stage) == word


@pytest.mark.parametrize(
    ("key", "to", "message"),
    [
        ("young", UNIVERSITY, "chưa có trong danh sách cảm tình Đảng"),
        ("capitals", UNIVERSITY, "đã là đảng viên"),
        ("long", "   ", "Cần ghi tên tổ chức tiếp nhận"),
    ],
)
def test_transfer_refused(commune: Store, tmp_path: Path, key: str, to: str, message: str):
    with pytest.raises(KnownError, match=message):
        write_transfer_letter(commune, commune.people[key].uid, to, tmp_path / "x.pdf", TODAY)
    assert not list(tmp_path.iterdir())


def test_statistics_report(commune: Store, tmp_path: Path):
    out = tmp_path / "thong-ke.pdf"
    commune.statistics.totals.set(2025, 60, 0, "Báo cáo năm")  # the officer's figures
    write_statistics(commune, out, today=TODAY, number="08")
    pages = [flat([p]) for p in pdf_pages(out)]
    text = " ".join(pages)
    assert "Số 08-BC/ĐU" in text and "BÁO CÁO" in text
    assert "kết quả phát triển đảng viên từ nguồn đoàn viên ưu tú, từ năm 2021 đến năm 2025" in text
    # The domain's definitions are printed with the figures (period counts).
    assert "Cách tính các số liệu trong báo cáo:" in text
    assert "4-KNĐ" in text and "ngày trong kỳ" in text
    # 2025: Đặng … introduced (4-KNĐ), Lưu … admitted (9-KNĐ); the student took the course.
    assert "2025 Khu dân cư 1 0 1 100,0% — Trường THPT 0 1 0 — 0,0%" in text
    # 2025: 1 + 0 admitted of 60 party members = 1,67%; 3% needs 2, 4% needs 3; no
    # duplicated "chỉ tiêu" column when the office's target is 3%.
    assert "2025 60 1 + 0 1,67% 2 3 Chưa đạt" in text
    assert "Chỉ tiêu (3%)" not in text
    # The years whose đảng bộ figures were never entered: missing, not "Chưa đạt".
    assert "2024 chưa nhập 0 + chưa nhập — — — Chưa đủ số liệu" in text
    assert "Nơi nhận:" in pages[-1] and "Nguyễn Văn Bình" in pages[-1]
    assert "Được giới thiệu" in text and "Số người" in text  # legend and axis


def test_statistics_one_year(commune: Store, tmp_path: Path):
    out = tmp_path / "thong-ke.pdf"
    write_statistics(commune, out, year=2024, today=TODAY)
    text = flat(pdf_pages(out))
    assert "từ nguồn đoàn viên ưu tú, năm 2024" in text
    assert "2024 Khu dân cư 0 1 0 — 0,0%" in text
    assert "2025 Khu dân cư" not in text


def _report(target_percent: float = 3.5) -> StatisticsReport:
    return StatisticsReport(
        years=(2024, 2025),
        definitions=(("Được giới thiệu", "định nghĩa mới của dịch vụ thống kê."),),
        figures=(
            FigureRow("2024", "Cộng", 40, 30, 12, 0.3, 0.4, total=True),
            FigureRow("2025", "Cộng", 50, 45, 21, 0.42, None, total=True),
        ),
        chart=((2024, 40, 30, 12), (2025, 50, 45, 21)),
        targets=(
            TargetRow(2024, 500, 12, 15, 20, 18, False, outside_admitted=0),
            TargetRow(2025, 520, 21, 16, 21, 19, True, outside_admitted=2),
        ),
        target_percent=target_percent,
        notes=("Số đảng viên theo từng năm.",),
        shares=(ShareRow("2024", 0.25, 0.5), ShareRow("2025", None, 0.1)),
    )


def test_a_report_built_by_hand_prints_as_given(tmp_path: Path):
    out = tmp_path / "bc.pdf"
    settings = Settings(party_committee="ĐẢNG ỦY XÃ A", party_secretary="Lê Văn Hai")
    write_report(_report(), settings, out, TODAY)
    text = flat(pdf_pages(out))
    assert "Được giới thiệu: định nghĩa mới của dịch vụ thống kê." in text
    assert "2024 Cộng 40 30 12 30,0% 40,0%" in text and "2025 Cộng 50 45 21 42,0% —" in text
    # Its own 3,5% target gets its column, besides 3% and 4%.
    assert "2024 500 12 + 0 2,40% 15 20 18 Chưa đạt" in text
    assert "2025 520 21 + 2 4,42% 16 21 19 Đạt" in text  # with those from other sources
    # Every section numbered in turn, the students' share too.
    headings = ["1. Kết quả theo năm", "2. Tỷ lệ học sinh trường THPT", "3. Biểu đồ", "4. Kết nạp"]
    assert all(h in text for h in headings)
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert "2024 25,0% 50,0%" in text and "2025 — 10,0%" in text
    assert "Số đảng viên theo từng năm." in text


def test_chart_reads_in_grey():
    greys = [0.299 * c.red + 0.587 * c.green + 0.114 * c.blue for _, _, c in SERIES]
    assert all(abs(a - b) >= 0.3 for i, a in enumerate(greys) for b in greys[i + 1 :])
    drawing = chart(_report())
    dashed = [s for s in drawing.contents if isinstance(s, Line) and s.strokeDashArray]
    assert len(dashed) == 3  # one target line per year, and the legend's
    bars = drawing.contents[0]
    assert bars.barLabelFormat == "%d"  # every bar carries its value
    assert bars.valueAxis.valueStep in (1, 2, 5, 10, 20, 50)
    assert bars.valueAxis.valueMax % bars.valueAxis.valueStep == 0


@pytest.mark.parametrize(
    ("top", "step"),
    [(0, 1), (1, 1), (5, 1), (6, 2), (7, 2), (10, 2), (12, 5), (25, 5), (26, 10), (50, 10),
     (51, 20), (385, 100), (1200, 500), (2600, 1000)],
)  # fmt: skip
def test_axis_step_is_round(top: float, step: int):
    assert axis_step(top) == step
    assert top / step <= 5


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(None, 1, "—"), (0.367, 1, "36,7%"), (1 / 3, 2, "33,33%"), (0, 1, "0,0%")],
)
def test_percent(value: float | None, digits: int, text: str):
    assert percent(value, digits) == text


@pytest.mark.parametrize(
    ("years", "year", "expected"),
    [
        ((), None, (2026,)),
        ((2019, 2020), None, (2019, 2020)),
        ((2020, 2025), None, tuple(range(2020, 2026))),
        (tuple(range(2015, 2026)), None, tuple(range(2020, 2026))),
        ((2019,), 2024, (2024,)),
    ],
)
def test_report_years(years: tuple[int, ...], year: int | None, expected: tuple[int, ...]):
    assert report_years(years, year, TODAY) == expected


def test_statistics_without_party_members_says_so(commune: Store, tmp_path: Path):
    # The đảng bộ's figures of 2025 were never entered (store.statistics.totals).
    out = tmp_path / "thong-ke.pdf"
    write_statistics(commune, out, year=2025, today=TODAY)
    text = flat(pdf_pages(out))
    # members, admitted (tracked + outside), ratio, 3%, 4%, verdict
    assert "2025 chưa nhập 1 + chưa nhập — — — Chưa đủ số liệu" in text
    assert "Năm 2025: chưa nhập số đảng viên của đảng bộ đầu năm" in text
    # Members entered, outside admissions not: still no ratio, never guessed.
    commune.statistics.totals.set(2025, 60, None)
    write_statistics(commune, out, year=2025, today=TODAY, overwrite=True)
    text = flat(pdf_pages(out))
    assert "2025 60 1 + chưa nhập — 2 3 Chưa đủ số liệu" in text


def _drawn_bars(drawing) -> list:
    from reportlab.graphics.shapes import Group, Rect

    def walk(node):
        for item in getattr(node, "contents", []):
            yield from walk(item) if isinstance(item, Group) else [item]

    register_fonts()
    fills = {fill for _, _, fill in SERIES}
    bars = drawing.contents[0]
    return [r for r in walk(bars.draw()) if isinstance(r, Rect) and r.fillColor in fills]


def test_one_year_chart_keeps_bars_narrow():
    """A one-year report drew its three bars across the whole chart (a 4 cm wide black
    block for "Được kết nạp"); a year's group stays as wide as with a few years."""
    report = _report()
    one = replace(report, years=(2025,), chart=report.chart[1:], targets=report.targets[1:])
    widths = [r.width for r in _drawn_bars(chart(one))]
    assert len(widths) == 3 and max(widths) <= 14 * mm, widths
    dashed = [s for s in chart(one).contents if isinstance(s, Line) and s.strokeDashArray]
    x_bars = [r.x for r in _drawn_bars(chart(one))]
    target = dashed[0]  # the year's target spans its own bars, not the empty width
    assert target.x1 <= min(x_bars) + 1 and target.x2 >= max(x_bars) + max(widths) - 1
    assert target.x2 - target.x1 <= 45 * mm


def test_report_subtitle_is_balanced(tmp_path: Path):
    """ "… từ năm 2020 đến năm" / "2025": the subtitle breaks between phrases."""
    out = tmp_path / "bc.pdf"
    report = replace(_report(), years=(2020, 2021, 2022, 2023, 2024, 2025))
    write_report(report, Settings(party_committee="ĐẢNG ỦY XÃ A"), out, TODAY)
    lines: dict[int, str] = {}
    for text, _, y, size in pdf_fragments(out)[0]:
        if abs(size - st.BODY_SIZE) < 0.01 and text.strip():
            lines[round(y)] = (lines.get(round(y), "") + " " + text).strip()
    ordered = [lines[y] for y in sorted(lines, reverse=True)]
    start = next(i for i, t in enumerate(ordered) if t.startswith("kết quả phát triển"))
    assert ordered[start : start + 2] == [
        "kết quả phát triển đảng viên",
        "từ nguồn đoàn viên ưu tú, từ năm 2020 đến năm 2025",
    ]


def test_chart_says_why_no_target_is_drawn(commune: Store, tmp_path: Path):
    """Without the đảng bộ's members the chart had no target line and said nothing: a
    reader looked for the 3–4% target in vain."""
    out = tmp_path / "thong-ke.pdf"
    note = "Chưa vẽ chỉ tiêu kết nạp: chưa nhập số đảng viên của đảng bộ đầu năm."
    write_statistics(commune, out, year=2025, today=TODAY)
    assert note in flat(pdf_pages(out))
    commune.statistics.totals.set(2025, 60, 0)
    write_statistics(commune, out, year=2025, today=TODAY, overwrite=True)
    text = flat(pdf_pages(out))
    assert note not in text and "Chỉ tiêu kết nạp (3%)" in text
