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
    # Period counts (domain/statistics.py): 4-KNĐ, CN-NTVĐ, 9-KNĐ dated in the year.
    assert "từ năm 2021 đến năm 2025" in text
    # 2025: Đặng … introduced (4-KNĐ), Lưu … admitted (9-KNĐ); the student took the course.
    assert "2025 Khu dân cư 1 0 1 100,0% — Trường THPT 0 1 0 — 0,0%" in text
    # The đảng bộ's figures for 2025 were never entered: missing, not "Chưa đạt".
    assert "2025 chưa nhập 1 + chưa nhập — — — — Chưa đủ số liệu" in text
    assert "4-KNĐ" in text and "ngày trong kỳ" in text  # each figure with its definition
    assert "Được giới thiệu" in text and "Số người" in text  # the chart's legend and axis


def test_statistics_one_year(commune: Store, tmp_path: Path):
    out = tmp_path / "thong-ke.pdf"
    write_statistics(commune, out, year=2024, today=TODAY)
    text = flat(pdf_pages(out))
    assert "Từ nguồn đoàn viên ưu tú, năm 2024" in text
    assert "2024 Khu dân cư 0 1 0 — 0,0%" in text
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
