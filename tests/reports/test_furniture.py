"""Letterheads, date lines and the all-or-nothing PDF write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, PageBreak, Paragraph

from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, REGULAR
from dvdesk.reports.styles import styles
from dvdesk.store.settings import Settings
from tests.reports.conftest import pdf_fragments, pdf_pages


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
    settings = Settings(party_committee=party, youth_union=union, commune_name="Xã A")
    assert f.effective(kind, settings) is expected


def test_without_any_body_name_the_party_letterhead_leaves_it_blank(tmp_path: Path):
    """A receiving level's file has no commune: not "ỦY BAN NHÂN DÂN" over nothing."""
    assert f.effective(f.Letterhead.PARTY, Settings()) is f.Letterhead.PARTY
    out = tmp_path / "a.pdf"
    f.write_pdf(out, [f.letterhead(f.Letterhead.PARTY, Settings(), date(2026, 6, 1), "BC")], "x")
    text = " ".join(pdf_pages(out)[0].split())
    assert "ỦY BAN NHÂN DÂN" not in text and f.BLANK_BODY in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "-BC/ĐU" in text


def test_state_letterhead_text(tmp_path: Path):
    settings = Settings(commune_name="Xã Đông Hòa")
    out = tmp_path / "a.pdf"
    f.write_pdf(out, [f.letterhead(f.Letterhead.PARTY, settings, date(2026, 6, 1))], "Thử")
    text = " ".join(pdf_pages(out)[0].split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text and "XÃ ĐÔNG HÒA" in text
    # The quốc hiệu on one line (at 13 pt it broke before "NAM").
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in t for t, *_ in pdf_fragments(out)[0])


def test_page_numbers_from_page_two_at_the_top(tmp_path: Path):
    out = tmp_path / "a.pdf"
    story = [Paragraph(f"Dòng {i}", styles().body) for i in range(80)]
    assert f.write_pdf(out, story, "Thử") == 3
    pages = pdf_fragments(out)
    numbers = [
        [t.strip() for t, _, y, _ in page if y > st.PAGE_HEIGHT - st.TOP_MARGIN] for page in pages
    ]
    assert numbers == [[], ["2"], ["3"]]
    for page, expected in zip(pages[1:], ("2", "3"), strict=True):
        [(x, size)] = [(x, size) for t, x, y, size in page if t.strip() == expected]
        width = stringWidth(expected, REGULAR, size)
        assert abs(x + width / 2 - st.PAGE_WIDTH / 2) < 1  # centred
    assert not any("Trang" in t for page in pages for t, *_ in page)


def test_each_document_of_a_batch_is_numbered_on_its_own(tmp_path: Path):
    out = tmp_path / "a.pdf"
    body = styles().body
    story: list = []
    for name, lines in (("An", 40), ("Bình", 20), ("Chi", 40)):
        if story:
            story.append(PageBreak())
        story.append(f.DocumentStart(f"Phiếu của {name} (tiếp theo)"))
        story += [Paragraph(f"{name} dòng {i}", body) for i in range(lines)]
    assert f.write_pdf(out, story, "Thử") == 5
    tops = [
        sorted(t.strip() for t, _, y, _ in page if y > st.PAGE_HEIGHT - st.TOP_MARGIN)
        for page in pdf_fragments(out)
    ]
    assert tops == [
        [],
        ["2", "Phiếu của An (tiếp theo)"],
        [],
        [],
        ["2", "Phiếu của Chi (tiếp theo)"],
    ]


@pytest.mark.parametrize(
    ("kind", "code", "number", "expected"),
    [
        (f.Letterhead.PARTY, "BC", "12", "Số 12-BC/ĐU"),
        (f.Letterhead.PARTY, "GGT", "", "Số " + f.BLANK_NUMBER + "-GGT/ĐU"),
        (f.Letterhead.UNION, "DS", "05", "Số 05-DS/ĐTN"),
        (f.Letterhead.UNION, "DS", "  7 ", "Số 7-DS/ĐTN"),
        # The whole number as typed: not given the type code a second time.
        (f.Letterhead.PARTY, "GGT", "12-GGT/ĐU", "Số 12-GGT/ĐU"),
        (f.Letterhead.PARTY, "GGT", "Số 12-GGT/ĐU", "Số 12-GGT/ĐU"),
        (f.Letterhead.PARTY, "BC", "45/BC-ĐU", "Số 45/BC-ĐU"),
    ],
)
def test_number_line_has_no_colon(kind: f.Letterhead, code: str, number: str, expected: str):
    settings = Settings(party_committee="ĐẢNG ỦY XÃ A", youth_union="ĐOÀN XÃ A")
    assert f.number_line(kind, settings, code, number) == expected


def test_state_number_line_keeps_its_colon():
    settings = Settings(commune_name="Xã A")
    assert f.number_line(f.Letterhead.PARTY, settings, "BC", "3") == "Số: 3-BC/UBND"


@pytest.mark.parametrize(
    ("caps", "expected"),
    [
        (
            "DANH SÁCH ĐOÀN VIÊN ĐỦ TUỔI XEM XÉT KẾT NẠP ĐẢNG",
            "Danh sách đoàn viên đủ tuổi xem xét kết nạp Đảng",
        ),
        ("PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN", "Phiếu theo dõi hồ sơ kết nạp đảng viên"),
        ("CẢM TÌNH ĐẢNG, ĐẢNG ỦY XÃ", "Cảm tình Đảng, đảng ủy xã"),
        ("BÁO CÁO", "Báo cáo"),
    ],
)
def test_document_title_keeps_the_party_capital(caps: str, expected: str):
    assert f.document_title(caps) == expected


def test_pdf_title_metadata(tmp_path: Path):
    from pypdf import PdfReader

    out = tmp_path / "a.pdf"
    f.write_pdf(out, [Paragraph("x", styles().body)], f.document_title("KẾT NẠP ĐẢNG"))
    assert PdfReader(str(out)).metadata.title == "Kết nạp Đảng"


@pytest.mark.parametrize(
    ("union", "title", "body", "signs"),
    [
        ("ĐOÀN XÃ AN", "BÍ THƯ ĐOÀN", "ĐOÀN XÃ AN", "BÍ THƯ"),
        ("Đoàn xã An", "Phó Bí thư", "ĐOÀN XÃ AN", "PHÓ BÍ THƯ"),
        ("ĐOÀN XÃ ĐÔNG HÒA", "BÍ THƯ", "ĐOÀN XÃ ĐÔNG HÒA", "BÍ THƯ"),
        ("ĐOÀN PHƯỜNG NGUYỄN THÁI BÌNH", "BÍ THƯ", "ĐOÀN PHƯỜNG NGUYỄN THÁI BÌNH", "BÍ THƯ"),
    ],
)
def test_union_signer(union: str, title: str, body: str, signs: str):
    signer = f.union_signer(
        Settings(youth_union=union, union_secretary_title=title, union_secretary="Lê Thị Hà")
    )
    # HD 29: "TM. BAN CHẤP HÀNH ĐOÀN XÃ …" / "BÍ THƯ", broken only where the column is full.
    assert " ".join(signer.titles[:-1]) == f"TM. BAN CHẤP HÀNH {body}"
    assert signer.titles[-1] == signs and signer.name == "Lê Thị Hà"
    one_line = stringWidth(f"TM. BAN CHẤP HÀNH {body}", BOLD, 14) <= f.signature_width()
    assert len(signer.titles) == (2 if one_line else 3)


def test_party_signer():
    signer = f.party_signer(Settings(party_secretary="Nguyễn Văn Bình"))
    assert signer.titles == ("T/M ĐẢNG ỦY", "BÍ THƯ")


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (11686, "11.686"), (200000, "200.000")]
)
def test_count(n: int, text: str):
    assert f.count(n) == text


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "a.pdf"
    out.write_bytes(b"old")

    def broken(self, story, **kw):
        Path(self.filename).write_bytes(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BaseDocTemplate, "build", broken)
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


def test_signatures_take_signers_or_pairs():
    settings = Settings(party_secretary="Nguyễn Văn Bình")
    a = f.signatures([f.maker("NGƯỜI LẬP"), f.party_signer(settings)])
    b = f.signatures([(["NGƯỜI LẬP"], ""), f.party_signature(settings)])
    a.wrap(500, 500), b.wrap(500, 500)
    assert [[ln.text for ln in col] for col in a.columns] == [
        [ln.text for ln in col] for col in b.columns
    ]
    assert [ln.text for ln in a.columns[1]] == ["T/M ĐẢNG ỦY", "BÍ THƯ", "Nguyễn Văn Bình"]


def test_blank_number_leaves_room_to_write_by_hand(tmp_path: Path):
    """ "Số ……-BC/ĐU": the blank's no-break spaces survive the letterhead's layout."""
    settings = Settings(party_committee="ĐẢNG ỦY XÃ A", commune_name="Xã A")
    out = tmp_path / "lh.pdf"
    f.write_pdf(out, [f.letterhead(f.Letterhead.PARTY, settings, date(2026, 1, 1), "BC")], "x")
    (line,) = [t for t, *_ in pdf_fragments(out)[0] if "-BC/ĐU" in t]
    gap = line.split("Số", 1)[1].split("-BC/ĐU")[0]
    assert len(gap) >= 8 and not gap.strip(), repr(line)
