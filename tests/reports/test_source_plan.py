"""The source plan on paper: continuation pages name their group; one line a step."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from dvdesk.domain.plans import PlanEntry, PlanStep
from dvdesk.reports.source_plan import legend, step_label, write_source_plan
from dvdesk.store.settings import Settings
from tests.reports.conftest import pdf_pages

MEETING = date(2027, 7, 27)
STEPS = (
    PlanStep(
        "course",
        "Học lớp bồi dưỡng nhận thức về Đảng (giấy chứng nhận CN-NTVĐ)",
        before=MEETING - timedelta(days=30),
    ),
    PlanStep("application", "Viết đơn xin vào Đảng (1-KNĐ)", before=MEETING - timedelta(60)),
    PlanStep("verification", "Thẩm tra, xác minh lý lịch", before=MEETING - timedelta(30)),
    PlanStep("complete", "Hoàn thiện hồ sơ", before=MEETING - timedelta(7)),
    PlanStep("meeting", "Chi bộ họp xét, nghị quyết đề nghị kết nạp (6-KNĐ)", not_before=MEETING),
)


def entry(i: int) -> PlanEntry:
    return PlanEntry(
        f"u{i}",
        f"Nguyễn Văn Học Sinh {i}",
        "2009-07-27",
        "THPT1",
        "12A7",
        "member",
        "at_home",
        MEETING,
        ("đủ 18 tuổi (tính theo tháng) từ 27/07/2027",),
        date(2027, 5, 31),
        STEPS,
    )


def test_steps_are_named_by_form_and_the_forms_spelled_out_once():
    assert [step_label(s) for s in STEPS] == [
        "CN-NTVĐ",
        "1-KNĐ",
        "Thẩm tra, xác minh lý lịch",
        "Hoàn thiện hồ sơ",
        "6-KNĐ",
    ]
    text = legend([("Năm học 2026–2027", [entry(1)])])
    assert text.startswith("Mẫu: CN-NTVĐ – ") and "; 1-KNĐ – Đơn xin vào Đảng" in text
    assert "6-KNĐ – " in text and "2-KNĐ" not in text  # only the forms the plan uses


def test_continuation_pages_name_their_group(tmp_path: Path):
    out = tmp_path / "kh.pdf"
    settings = Settings(party_committee="ĐẢNG ỦY XÃ A", commune_name="Xã A")
    people = [entry(i) for i in range(1, 41)]
    pages = write_source_plan(
        settings,
        "KẾ HOẠCH",
        "Trường THPT A",
        [("Năm học 2026–2027", people)],
        out,
        date(2026, 12, 1),
    )
    texts = [" ".join(t.split()) for t in pdf_pages(out)]
    assert len(texts) == pages > 1
    assert "1. Năm học 2026–2027 — 40 người" in texts[0]
    assert "(tiếp theo)" not in texts[0]
    for text in texts[1:]:
        assert text.split("Họ và tên")[0].strip().endswith("1. Năm học 2026–2027 (tiếp theo) TT")
    # One line a step: at least four people a page once past the first.
    assert pages <= 1 + len(people) // 4
    assert all(f"Nguyễn Văn Học Sinh {i}" in " ".join(texts) for i in range(1, 41))


def test_signature_never_alone_on_the_last_page(tmp_path: Path):
    """HD 36: the signature block goes with the last lines of text. A year's plan put
    "Tổng cộng" and the signature alone on its tenth page, the table ending on the ninth."""
    settings = Settings(party_committee="ĐẢNG ỦY XÃ A", commune_name="Xã A", party_secretary="Lê B")
    out = tmp_path / "kh.pdf"
    alone = []
    for n in range(1, 26):
        people = [entry(i) for i in range(1, n + 1)]
        halves = [("Năm học 2026–2027", people[: n // 2]), ("Năm học 2027–2028", people[n // 2 :])]
        groups = [(name, group) for name, group in halves if group]
        write_source_plan(
            settings, "KẾ HOẠCH", "Xã A", groups, out, date(2026, 12, 1), overwrite=True
        )
        last = " ".join(pdf_pages(out)[-1].split())
        assert "T/M ĐẢNG ỦY" in last and f"Tổng cộng: {n} người." in last
        if "Nguyễn Văn Học Sinh" not in last:
            alone.append(n)
    assert not alone
