"""The transfer letter and the statistics report."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvdesk.errors import KnownError
from dvdesk.reports.statistics_pdf import percent, report_years, write_statistics
from dvdesk.reports.transfer_letter import write_transfer_letter
from dvdesk.store.gateway import Store
from tests.reports.conftest import LONG, TODAY, pdf_pages

UNIVERSITY = "Chi bộ Sinh viên K68, Đảng bộ Trường Đại học Sư phạm Hà Nội"


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_transfer_letter(commune: Store, tmp_path: Path):
    out = tmp_path / "gioi-thieu.pdf"
    assert write_transfer_letter(commune, commune.people["long"].uid, UNIVERSITY, out, TODAY) == 1
    text = flat(pdf_pages(out))
    for expected in (
        "GIẤY GIỚI THIỆU",
        f"Kính gửi: {UNIVERSITY}",
        "Học sinh lớp 12A1",
        "Đảng ủy xã Đông Hòa trân trọng giới thiệu",
        "CN-NTVĐ",
        "có giá trị đến hết ngày 19/11/2030",
        "từ ngày 10/09/2026",
        "Bước tiếp theo của quy trình: Đơn xin vào Đảng (1-KNĐ)",
        "T/M ĐẢNG ỦY",
        "Nguyễn Văn Bình",
        "Trang 1/1",
    ):
        assert expected in text, expected
    assert all(word in text for word in LONG.split())


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
    assert write_statistics(commune, out, today=TODAY) >= 1
    text = flat(pdf_pages(out))
    assert "BÁO CÁO KẾT QUẢ PHÁT TRIỂN ĐẢNG VIÊN" in text
    assert "từ năm 2020 đến năm 2025" in text
    # 2020: one introduced (Lưu …), admitted in 2025 → 100,0% by cohort.
    assert "2020 Khu dân cư 1 0 0 100,0% —" in text
    # 2025: 1 admitted of 60 party members = 1,67%; 3% needs 2, 4% needs 3.
    assert "2025 60 1 1,67% 2 3 2 Chưa đạt" in text
    assert "Được giới thiệu" in text and "Số người" in text  # the chart's legend and axis


def test_statistics_one_year(commune: Store, tmp_path: Path):
    out = tmp_path / "thong-ke.pdf"
    write_statistics(commune, out, year=2024, today=TODAY)
    text = flat(pdf_pages(out))
    assert "Từ nguồn đoàn viên ưu tú, năm 2024" in text
    assert "2024 Khu dân cư 1 1 0 0,0% 0,0%" in text
    assert "2025 Khu dân cư" not in text


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
