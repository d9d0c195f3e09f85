"""Eligible and upcoming lists: who is on them, grouping by unit, page numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import Status, evaluate
from dvdesk.domain.member import PRESENCE_LABELS, Gender, Member, Presence
from dvdesk.errors import KnownError
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import REGULAR, missing_glyphs, register_fonts
from dvdesk.reports.member_lists import (
    ELIGIBLE_COLUMNS,
    PARTIAL_COLUMNS,
    UPCOMING_COLUMNS,
    write_eligible_list,
    write_upcoming_list,
    write_view_list,
)
from dvdesk.reports.row_table import NUMBER_WIDTH, PAD_X
from dvdesk.reports.sources import eligible_query
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.views import View, preset_views
from tests.reports.conftest import CAPITALS, LONG, TODAY, TONES, flat, pdf_pages


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
    assert "Trang 1/" not in " ".join(texts)
    # A continuation page names its unit and repeats the header row.
    assert "1. Thôn Đông (KDC01) (tiếp theo)" in flat(texts[1:2])
    assert "Họ và tên" in texts[1]
    assert "1. Thôn Đông (KDC01) — 74 đoàn viên" in flat(texts[:1])


def _names_in(text: str, names: list[str]) -> list[str]:
    return [n for n in names if n in text]


@pytest.mark.parametrize("count", [1, 20, 30, 31, 32, 33, 34, 35, 36, 45, 46, 60, 61, 62, 63])
def test_signature_never_alone(fresh_store: Store, tmp_path: Path, count: int):
    populate_settings(fresh_store)
    middles = ["Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công", "Xuân"]
    givens = ["Bảo", "Cường", "Dũng", "Đạt", "Giang", "Hùng", "Khoa", "Lâm"]
    people = [
        Member(f"Trần {m} {g}", "KDC01", PartialDate(1995, 1, 1 + i % 28), Gender.MALE)
        for i, (m, g) in enumerate((m, g) for m in middles for g in givens)
        if i < count
    ]
    fresh_store.members.add_many(people, today=TODAY)
    out = tmp_path / "ds.pdf"
    write_eligible_list(fresh_store, TODAY, out, today=TODAY)
    pages = [flat([p]) for p in pdf_pages(out)]
    names = [m.full_name for m in people]
    # Everyone once, and the last page has rows above the signature.
    printed = [n for p in pages for n in _names_in(p, names)]
    assert sorted(printed) == sorted(names)
    assert "Trần Thị Hương" in pages[-1] and _names_in(pages[-1], names)
    assert f"Tổng cộng: {count} đoàn viên." in pages[-1]
    for number, page in enumerate(pages[1:], 2):
        assert page.startswith("1. Thôn Đông (KDC01) (tiếp theo) TT Họ và tên")
        assert page.count("(tiếp theo)") == 1  # one piece of the table per page
        assert page.endswith(f" {number}")  # the page number (drawn last, at the top)


def populate_settings(store: Store) -> None:
    s = store.settings.get()
    s.commune_name, s.province = "Xã Đông Hòa", "Tỉnh Quảng Ngãi"
    s.party_committee, s.youth_union = "ĐẢNG ỦY XÃ ĐÔNG HÒA", "ĐOÀN XÃ ĐÔNG HÒA"
    s.union_secretary = "Trần Thị Hương"
    store.settings.save(s)


PARTIAL = {
    "Hà Văn Năm": PartialDate(2000),  # certainly of age: still not a full date
    "Hà Thị Tháng": PartialDate(2008, 9),  # 18 during 09/2008 + 18 years: maybe
    "Hà Văn Già": PartialDate(1950),  # over 60 whatever the day
    "Hà Thị Nhỏ": PartialDate(2012),  # too young whatever the day
    "Hà Văn Trống": None,  # no date at all
}


@pytest.fixture
def with_partial(commune: Store) -> Store:
    commune.members.add_many(
        [Member(name, "KDC01", dob, Gender.MALE) for name, dob in PARTIAL.items()], today=TODAY
    )
    return commune


def test_partial_dates_get_their_own_section(with_partial: Store, tmp_path: Path):
    on = date(2026, 9, 15)
    out = tmp_path / "du-tuoi.pdf"
    write_eligible_list(with_partial, on, out, today=TODAY)
    text = flat(pdf_pages(out))
    head, _, section = text.partition("II. Đoàn viên chưa rõ ngày sinh đầy đủ")
    assert section, text
    # Oracle: eligibility's own answer for each partial date.
    for name, dob in PARTIAL.items():
        # The eligible view's rule: a partial date some birthday of which is of age.
        result = evaluate(dob, on)
        could = dob is not None and (
            result.status is Status.ELIGIBLE or Status.ELIGIBLE in result.possible
        )
        assert (name in section) is could, name
        assert name not in head
        if could and result.eligible_from_range:
            lo, hi = result.eligible_from_range
            assert f"từ {lo:%d/%m/%Y} đến {hi:%d/%m/%Y}" in section
    assert "Đủ tuổi; Trên 60 tuổi" not in section  # Già is not listed at all
    assert "Chưa đủ 18 tuổi hoặc đủ tuổi" in section  # Tháng could be either
    # The total is the view's count: three with full dates, two partial (Năm, Tháng).
    assert "Tổng cộng: 5 đoàn viên. Trong đó 2 đoàn viên chưa rõ ngày sinh đầy đủ (mục II)." in text
    assert "Hồ sơ thiếu hoặc cần kiểm tra" in section  # where the undated are


def test_partial_dates_on_the_upcoming_list(with_partial: Store, tmp_path: Path):
    out = tmp_path / "sap.pdf"
    write_upcoming_list(with_partial, 6, out, on=date(2026, 6, 1), today=TODAY)
    section = flat(pdf_pages(out)).partition("II. Đoàn viên chưa rõ ngày sinh đầy đủ")[2]
    # 09/2008 turns 18 in 09/2026, inside the six months; 2000 and 2012 do not.
    assert "Hà Thị Tháng" in section
    assert "Hà Văn Năm" not in section and "Hà Thị Nhỏ" not in section
    assert "Hà Văn Trống" not in section  # no date at all: the "problems" view, not here


def test_empty_list_says_why(commune: Store, tmp_path: Path):
    out = tmp_path / "rong.pdf"
    write_eligible_list(commune, date(2010, 1, 1), out, "KDC01", today=TODAY)
    text = flat(pdf_pages(out))
    assert (
        "Không có đoàn viên nào đủ 18 tuổi đến đủ 60 tuổi, tính theo tháng (tháng tròn, "
        "tính cả ngày) tại ngày 01/01/2010 trong số đoàn viên chưa vào Đảng, chưa chuyển đi "
        "hay ra khỏi Đoàn của Thôn Đông (KDC01)." in text
    )
    assert "Tổng cộng: 0 đoàn viên." in text and "Trần Thị Hương" in text


def test_number_column_holds_six_digits():
    register_fonts()
    assert stringWidth("200000", REGULAR, st.TABLE_SIZE) <= NUMBER_WIDTH - 2 * PAD_X
    for columns in (ELIGIBLE_COLUMNS, UPCOMING_COLUMNS, PARTIAL_COLUMNS):
        assert abs(NUMBER_WIDTH + sum(c.width for c in columns) - st.FRAME_WIDTH) < 0.01


def test_union_layout(commune: Store, tmp_path: Path):
    out = tmp_path / "du-tuoi.pdf"
    write_eligible_list(commune, date(2026, 9, 10), out, today=TODAY, number="05")
    text = flat(pdf_pages(out))
    assert "BCH ĐOÀN XÃ ĐÔNG HÒA ***" in text and "Số 05-DS/ĐTN" in text
    assert "TM. BAN CHẤP HÀNH" in text and "ĐOÀN XÃ ĐÔNG HÒA BÍ THƯ" in text
    assert "NGƯỜI LẬP BIỂU" in text


@pytest.mark.parametrize(
    ("presence", "listed"),
    [
        (Presence.AT_HOME, True),
        (Presence.WORKING_AWAY, True),
        (Presence.ABROAD, True),
        (Presence.GRADUATED, True),
        (Presence.MOVED, False),
        (Presence.LEFT_UNION, False),
    ],
)
def test_who_is_reachable(commune: Store, tmp_path: Path, presence: Presence, listed: bool):
    name = "Lý Thị Vắng"
    member = Member(name, "KDC01", PartialDate(2001, 4, 4), Gender.FEMALE, presence=presence)
    commune.members.add(member, today=TODAY)
    out = tmp_path / "ds.pdf"
    write_eligible_list(commune, date(2026, 9, 10), out, today=TODAY)
    text = flat(pdf_pages(out))
    assert (name in text) is listed
    if listed and presence is not Presence.AT_HOME:
        assert PRESENCE_LABELS[presence] in text  # said in the notes column


def test_a_view_prints_through_the_same_layout(commune: Store, tmp_path: Path):
    on = date(2026, 9, 10)
    view = View(
        "eligible",
        "Đủ tuổi xem xét",
        "Đoàn viên đủ tuổi, chưa vào Đảng.",
        eligible_query(on, commune.settings.get()),
    )
    out = tmp_path / "view.pdf"
    write_view_list(commune, view, on, out, today=TODAY)
    text = flat(pdf_pages(out))
    assert "DANH SÁCH ĐOÀN VIÊN ĐỦ TUỔI XEM XÉT" in text and "Tại ngày 10/09/2026." in text
    assert TONES in text and CAPITALS not in text and "Tổng cộng: 3 đoàn viên." in text
    everyone = View("all", "Tất cả", "Mọi đoàn viên.", MemberQuery())
    write_view_list(commune, everyone, on, out, "KDC01", today=TODAY, overwrite=True)
    text = flat(pdf_pages(out))
    assert CAPITALS in text and "II. Đoàn viên chưa rõ" not in text


def test_view_lists_are_titled_and_described_for_paper(commune: Store, tmp_path: Path):
    """The window's labels and signs do not go to paper: no "DANH SÁCH: …", no "chọn để
    khôi phục", no ⛔ (the face has no glyph for it: it printed as "( )")."""
    on = date(2026, 9, 10)
    views = {v.key: v for v in preset_views(commune.settings.get(), on)}
    out = tmp_path / "view.pdf"
    for key, title in [
        ("deleted", "DANH SÁCH ĐOÀN VIÊN ĐÃ XÓA KHỎI SỔ THEO DÕI"),
        ("problems", "DANH SÁCH ĐOÀN VIÊN CÓ HỒ SƠ THIẾU HOẶC CẦN KIỂM TRA"),
        ("in_procedure", "DANH SÁCH ĐOÀN VIÊN ĐANG TRONG QUY TRÌNH KẾT NẠP"),
        ("graduating", "DANH SÁCH HỌC SINH"),
    ]:
        write_view_list(commune, views[key], on, out, today=TODAY, overwrite=True)
        text = flat(pdf_pages(out))
        assert title in text, key
        assert "DANH SÁCH:" not in text and "chọn để" not in text and "( )" not in text
        assert not missing_glyphs(text.replace("\n", " ")), key


def test_problems_list_says_what_to_check(commune: Store, tmp_path: Path):
    """Each member of "Hồ sơ thiếu hoặc cần kiểm tra" with what their record lacks."""
    commune.members.add(
        Member("Hà Thị Năm", "KDC01", PartialDate(2007), Gender.FEMALE, uid="p-1"), today=TODAY
    )
    on = date(2026, 9, 10)
    views = {v.key: v for v in preset_views(commune.settings.get(), on)}
    out = tmp_path / "view.pdf"
    write_view_list(commune, views["problems"], on, out, today=TODAY)
    text = flat(pdf_pages(out))
    assert "Cần bổ sung, kiểm tra" in text
    row = text.split("Hà Thị Năm", 1)[1].split("Tổng cộng")[0]
    expected = commune.members.validate(commune.members.get("p-1"), on).issues[0].message
    assert " ".join(expected.split()) in row


def test_problems_list_reads_as_finished_sentences(commune: Store, tmp_path: Path):
    """The window's hint ends "vi phạm (⛔)…": on paper the trailing "…" read as text cut
    off, and two notes joined as "… xét tuổi.; Chưa đến tuổi …"."""
    commune.members.add(
        Member("Hà Thị Nhỏ", "KDC01", PartialDate(2013), Gender.FEMALE, uid="p-2"), today=TODAY
    )
    on = date(2026, 9, 10)
    views = {v.key: v for v in preset_views(commune.settings.get(), on)}
    out = tmp_path / "view.pdf"
    write_view_list(commune, views["problems"], on, out, today=TODAY)
    text = flat(pdf_pages(out))
    assert "…" not in text
    assert ".;" not in text
    messages = [i.message for i in commune.members.validate(commune.members.get("p-2"), on).issues]
    assert len(messages) >= 2  # a partial date and under the Youth Union's age
    row = text.split("Hà Thị Nhỏ", 1)[1].split("Tổng cộng")[0]
    assert " ".join(messages[0].rstrip(".").split()) + ";" in row


def test_a_past_graduation_is_noted_as_past(commune: Store, tmp_path: Path):
    """Printed after the school year's end, the note said "Tốt nghiệp (31/05/2026) khi chưa
    đủ 18 tuổi" under a subtitle naming the next year's end (31/05/2027)."""
    ahead, after = tmp_path / "truoc.pdf", tmp_path / "sau.pdf"
    write_upcoming_list(commune, 6, ahead, on=date(2026, 5, 1), today=TODAY)
    write_upcoming_list(commune, 6, after, on=TODAY, today=TODAY)  # 01/06/2026
    before_text, after_text = flat(pdf_pages(ahead)), flat(pdf_pages(after))
    assert LONG in before_text and LONG in after_text  # 18 on 10/09/2026, 12th grade 2026
    assert "Tốt nghiệp (31/05/2026) khi chưa đủ 18 tuổi: chuyển nguồn" in before_text
    assert "Đã tốt nghiệp (31/05/2026) khi chưa đủ 18 tuổi: chuyển nguồn" in after_text


def _title_lines(path: Path, size: float) -> list[str]:
    """The lines of page 1 drawn at `size` points below the tiêu đề (the title)."""
    from tests.reports.conftest import pdf_fragments

    lines: dict[float, str] = {}
    for text, _, y, s in pdf_fragments(path)[0]:
        if abs(s - size) < 0.01:
            lines[round(y)] = (lines.get(round(y), "") + " " + text).strip()
    ordered = [" ".join(lines[y].split()) for y in sorted(lines, reverse=True)]
    return ordered[1:]  # after the tiêu đề "ĐOÀN TNCS HỒ CHÍ MINH", also 15 pt


@pytest.mark.parametrize(
    ("key", "lines"),
    [
        ("problems", ["DANH SÁCH ĐOÀN VIÊN", "CÓ HỒ SƠ THIẾU HOẶC CẦN KIỂM TRA"]),
        ("graduating", ["DANH SÁCH HỌC SINH LỚP 12 TỐT NGHIỆP", "KHI CHƯA ĐƯỢC KẾT NẠP"]),
        ("transfer_pending", ["DANH SÁCH ĐOÀN VIÊN ĐÃ CHUYỂN ĐI —", "CHỜ NƠI NHẬN XÁC NHẬN"]),
    ],
)
def test_a_title_breaks_between_phrases(commune: Store, tmp_path: Path, key: str, lines):
    """A trích yếu over two lines broke before its last syllable ("… CẦN KIỂM" / "TRA"),
    and balancing by width alone split words ("CÓ HỒ" / "SƠ THIẾU"): it breaks between
    phrases, into lines of even length."""
    on = date(2026, 9, 10)
    view = next(v for v in preset_views(commune.settings.get(), on) if v.key == key)
    out = tmp_path / "view.pdf"
    write_view_list(commune, view, on, out, today=TODAY)
    assert _title_lines(out, 15) == lines
