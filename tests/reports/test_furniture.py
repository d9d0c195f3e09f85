"""Letterheads, date lines and the all-or-nothing PDF write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports.styles import styles
from dvdesk.store.settings import Settings
from tests.reports.conftest import pdf_pages


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_words(day: date, expected: str):
    assert f.date_words(day) == expected


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("Xã Đông Hòa", "Đông Hòa, ngày 01 tháng 6 năm 2026"),
        ("Phường Bến Nghé", "Bến Nghé, ngày 01 tháng 6 năm 2026"),
        ("Đặc khu Phú Quốc", "Phú Quốc, ngày 01 tháng 6 năm 2026"),
        ("", "Ngày 01 tháng 6 năm 2026"),
    ],
)
def test_place_date(commune: str, expected: str):
    assert f.place_date(Settings(commune_name=commune), date(2026, 6, 1)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ĐẢNG ỦY XÃ ĐÔNG HÒA", "Đảng ủy xã Đông Hòa"),
        ("ĐOÀN PHƯỜNG BẾN NGHÉ", "Đoàn phường Bến Nghé"),
        ("Đảng ủy xã An Hòa", "Đảng ủy xã An Hòa"),
        ("ĐẢNG ỦY  THỊ TRẤN  ĐÌNH LẬP", "Đảng ủy thị trấn Đình Lập"),
    ],
)
def test_in_sentence(name: str, expected: str):
    assert f.in_sentence(name) == expected


@pytest.mark.parametrize(
    ("kind", "party", "union", "expected"),
    [
        (f.Letterhead.UNION, "ĐẢNG ỦY XÃ A", "ĐOÀN XÃ A", f.Letterhead.UNION),
        (f.Letterhead.UNION, "ĐẢNG ỦY XÃ A", "", f.Letterhead.PARTY),
        (f.Letterhead.UNION, "", "", f.Letterhead.STATE),
        (f.Letterhead.PARTY, "", "ĐOÀN XÃ A", f.Letterhead.STATE),
    ],
)
def test_letterhead_falls_back(kind: f.Letterhead, party: str, union: str, expected: f.Letterhead):
    assert f.effective(kind, Settings(party_committee=party, youth_union=union)) is expected


def test_state_letterhead_text(tmp_path: Path):
    settings = Settings(commune_name="Xã Đông Hòa")
    out = tmp_path / "a.pdf"
    f.write_pdf(out, [f.letterhead(f.Letterhead.PARTY, settings, date(2026, 6, 1))], "Thử")
    text = " ".join(pdf_pages(out)[0].split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text and "XÃ ĐÔNG HÒA" in text


def test_page_numbers(tmp_path: Path):
    out = tmp_path / "a.pdf"
    story = [Paragraph(f"Dòng {i}", styles().body) for i in range(130)]
    assert f.write_pdf(out, story, "Thử") == 3
    assert [p.strip().splitlines()[-1] for p in pdf_pages(out)] == [
        "Trang 1/3",
        "Trang 2/3",
        "Trang 3/3",
    ]


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")

    def broken(self, story, **kw):
        Path(self.filename).write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SimpleDocTemplate, "build", broken)
    with pytest.raises(KnownError, match="Ổ đĩa đã đầy"):
        f.write_pdf(out, [], "Thử", overwrite=True)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.parametrize(
    ("name", "message"), [("a.txt", "đuôi .pdf"), ("missing/a.pdf", "Không có thư mục")]
)
def test_bad_output_path(tmp_path: Path, name: str, message: str):
    with pytest.raises(KnownError, match=message):
        f.write_pdf(tmp_path / name, [], "Thử")
