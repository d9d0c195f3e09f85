"""Printed checklists: exact Vietnamese names, one candidate per page, page numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.procedure import STEP_CODES, StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.reports.checklist_pdf import write_checklists
from dvdesk.store.gateway import Store
from tests.reports.conftest import CAPITALS, LONG, MEETING, TODAY, TONES, pdf_pages


def test_one_checklist(commune: Store, tmp_path: Path):
    out = tmp_path / "phieu.pdf"
    uid = commune.people["tones"].uid
    assert write_checklists(commune, [uid], out, MEETING, TODAY) == 1
    [text] = pdf_pages(out)
    for expected in (
        TONES,
        "PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN",
        "ĐẢNG ỦY XÃ ĐÔNG HÒA",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đông Hòa, ngày 01 tháng 6 năm 2026",
        "Trang 1/1",
        "CN-NTVĐ",
        "1-KNĐ",
        "16-KNĐ",
        "02/03/2024",
        "Số: 2-NQ/ĐU",
        "Nguyễn Văn Bình",
        "Cần làm tiếp:",
        "Nghị quyết chi bộ đề nghị kết nạp",
        "15/07/2026",
    ):
        assert expected in text, expected
    # The dossier (earliest 4-KNĐ on 01/06/2025) is stale after 01/06/2026.
    assert "Hồ sơ lập ngày 01/06/2025 sẽ quá 12 tháng" in text
    assert "SẮP HẾT HẠN" in text


def test_overdue_ceremony_is_marked(commune: Store, tmp_path: Path):
    out = tmp_path / "phieu.pdf"
    write_checklists(commune, [commune.people["capitals"].uid], out, None, TODAY)
    [text] = pdf_pages(out)
    assert CAPITALS in text
    assert "QUÁ HẠN" in text and "Quá hạn khai lý lịch đảng viên" in text


@pytest.mark.parametrize("count", [1, 2, 3])
def test_batch_is_one_candidate_per_page(commune: Store, tmp_path: Path, count: int):
    keys = ["tones", "capitals", "long"][:count]
    uids = [commune.people[k].uid for k in keys]
    out = tmp_path / "lo.pdf"
    assert write_checklists(commune, uids, out, MEETING, TODAY) == count
    pages = pdf_pages(out)
    assert len(pages) == count
    names = {"tones": TONES, "capitals": CAPITALS, "long": LONG}
    for number, (key, text) in enumerate(zip(keys, pages, strict=True), 1):
        assert f"Trang {number}/{count}" in text
        others = [names[k] for k in keys if k != key]
        assert not any(o in text for o in others)
        # A long name wraps inside its cell: every word is there, in order.
        words = names[key].split()
        flat = " ".join(text.split())
        assert names[key] in flat or all(w in flat for w in words)


def test_no_selection_is_refused(commune: Store, tmp_path: Path):
    with pytest.raises(KnownError, match="Chưa chọn đoàn viên"):
        write_checklists(commune, [], tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())


def test_an_overlong_sheet_still_fits_one_page(commune: Store, tmp_path: Path):
    # Every step done with a long document number, and a name that wraps: the
    # page is shrunk to fit rather than spilling onto a second one.
    uid = commune.people["long"].uid
    number = "Số 123/QĐ-ĐU ngày ký, kèm theo biên bản họp và danh sách đính kèm của chi bộ"
    # Written unchecked, as an import would: all steps on one day breaks the order rules,
    # which only adds lines to the sheet.
    commune.steps.record_many(
        {uid: [StepRecord(code, StepState.DONE, date(2026, 5, 4), number) for code in STEP_CODES]}
    )
    out = tmp_path / "dai.pdf"
    assert write_checklists(commune, [uid, commune.people["tones"].uid], out, MEETING, TODAY) == 2
    first, second = pdf_pages(out)
    assert "Phương Thảo Nguyên" in first and TONES in second
