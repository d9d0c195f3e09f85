"""Eligible and upcoming lists: who is on them, grouping by unit, page numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member
from dvdesk.errors import KnownError
from dvdesk.reports.member_lists import write_eligible_list, write_upcoming_list
from dvdesk.store.gateway import Store
from tests.reports.conftest import CAPITALS, LONG, TODAY, TONES, pdf_pages


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_eligible_list(commune: Store, tmp_path: Path):
    out = tmp_path / "du-tuoi.pdf"
    assert write_eligible_list(commune, date(2026, 9, 10), out, today=TODAY) == 1
    text = flat(pdf_pages(out))
    # Đặng Thị Ngọc Hưởng: eligible; Lưu … Ỵ: already admitted (probation) — left out.
    assert TONES in text and CAPITALS not in text
    assert "Trần Thị Hương" in text  # the Youth Union secretary signs
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in text and "TỈNH ĐOÀN QUẢNG NGÃI" in text
    # The long-named student turns 18 on 10/09/2026 exactly: on the list, name wrapped.
    assert all(word in text for word in LONG.split())
    assert "Võ Thị Ánh" in text  # 18 on 20/08/2026
    assert "Phạm Minh Đức" not in text
    # Grouped by unit, residential first (the units' order).
    assert text.index("1. Thôn Đông (KDC01) — 2 đoàn viên") < text.index(
        "2. Trường THPT Nguyễn Trãi (THPT1) — 1 đoàn viên"
    )
    assert "Tổng cộng: 3 đoàn viên." in text


def test_eligible_list_one_unit(commune: Store, tmp_path: Path):
    out = tmp_path / "du-tuoi.pdf"
    write_eligible_list(commune, date(2026, 9, 10), out, "thpt1", today=TODAY)
    text = flat(pdf_pages(out))
    assert "Trường THPT Nguyễn Trãi (THPT1)" in text and TONES not in text


def test_unknown_unit_is_refused(commune: Store, tmp_path: Path):
    with pytest.raises(KnownError, match="Không có đơn vị mã"):
        write_eligible_list(commune, TODAY, tmp_path / "x.pdf", "KDC99")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("months", "expected", "absent"),
    [
        (3, ["Võ Thị Ánh 20/08/2008"], ["Phạm Minh Đức", TONES]),
        (4, ["Võ Thị Ánh", "Tôn Nữ"], ["Phạm Minh Đức"]),
        (48, ["Phạm Minh Đức", "03/2028"], [TONES]),
    ],
)
def test_upcoming_list(
    commune: Store, tmp_path: Path, months: int, expected: list[str], absent: list[str]
):
    out = tmp_path / "sap-du-tuoi.pdf"
    write_upcoming_list(commune, months, out, on=TODAY, today=TODAY)
    text = flat(pdf_pages(out))
    assert f"SẼ ĐỦ 18 TUỔI TRONG {months} THÁNG TỚI" in text
    assert all(e in text for e in expected), text
    assert not any(a in text for a in absent)


def test_upcoming_month_and_transfer_note(commune: Store, tmp_path: Path):
    out = tmp_path / "sap-du-tuoi.pdf"
    write_upcoming_list(commune, 4, out, on=TODAY, today=TODAY)
    text = flat(pdf_pages(out))
    assert "08/2026" in text and "09/2026" in text  # the month each turns 18
    # The 12th-grader graduates (31/05/2026) before turning 18 (10/09/2026).
    assert "chuyển nguồn" in text
    assert "Tổng hợp theo tháng" in text


def test_long_list_runs_over_pages(commune: Store, tmp_path: Path):
    extra = [
        Member(
            f"Nguyễn Văn {given}", "KDC01", PartialDate(1990 + i % 10, 1 + i % 12, 5), Gender.MALE
        )
        for i, given in enumerate(["An", "Bình", "Cường", "Dũng", "Đạt", "Giang"] * 12)
    ]
    commune.members.add_many(extra, today=TODAY)
    out = tmp_path / "du-tuoi.pdf"
    pages = write_eligible_list(commune, date(2026, 9, 10), out, today=TODAY)
    texts = pdf_pages(out)
    assert pages == len(texts) >= 2
    assert f"Trang 1/{pages}" in texts[0] and f"Trang {pages}/{pages}" in texts[-1]
    assert "Họ và tên" in texts[1]  # the header row repeats on the next page
