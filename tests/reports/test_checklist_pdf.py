"""Printed checklists: exact Vietnamese names, numbered per candidate, grouped by unit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.procedure import STEP_CODES, StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.reports import styles as st
from dvdesk.reports.checklist_pdf import write_checklists
from dvdesk.store.gateway import Store
from tests.reports.conftest import (
    CAPITALS,
    LONG,
    MEETING,
    TODAY,
    TONES,
    flat,
    pdf_fragments,
    pdf_pages,
)

NUMBER_40 = "123/QĐ-ĐU-BTC/2026/KN-CBTHPT-NGUYENTRAI1"  # 40 characters, no space


def _tops(path: Path) -> list[list[str]]:
    """Per page, what is drawn in the top margin (page number, continuation label)."""
    return [
        sorted(t.strip() for t, _, y, _ in page if y > st.PAGE_HEIGHT - st.TOP_MARGIN)
        for page in pdf_fragments(path)
    ]


def test_one_checklist(commune: Store, tmp_path: Path):
    out = tmp_path / "phieu.pdf"
    uid = commune.people["tones"].uid
    pages = write_checklists(commune, [uid], out, MEETING, TODAY)
    text = flat(pdf_pages(out))
    for expected in (
        TONES,
        "PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN",
        "ĐẢNG ỦY XÃ ĐÔNG HÒA",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đông Hòa, ngày 01 tháng 6 năm 2026",
        "CN-NTVĐ",
        "1-KNĐ",
        "16-KNĐ",
        "02/03/2024",
        "Số 2-NQ/ĐU",
        "Số định danh cá nhân",
        "T/M ĐẢNG ỦY",
        "Nguyễn Văn Bình",
        "Cần làm tiếp:",
        "Nghị quyết chi bộ đề nghị kết nạp",
        "15/07/2026",
    ):
        assert expected in text, expected
    assert "CCCD" not in text and "Trang 1/" not in text
    # The dossier (earliest 4-KNĐ on 01/06/2025) is stale after 01/06/2026.
    assert "Hồ sơ lập ngày 01/06/2025 sẽ quá 12 tháng" in text
    assert "SẮP HẾT HẠN" in text
    tops = _tops(out)
    assert len(tops) == pages and tops[0] == []
    for number, top in enumerate(tops[1:], 2):
        assert top == sorted([str(number), f"Phiếu theo dõi hồ sơ: {TONES} (tiếp theo)"])


def test_overdue_ceremony_is_marked(commune: Store, tmp_path: Path):
    out = tmp_path / "phieu.pdf"
    write_checklists(commune, [commune.people["capitals"].uid], out, None, TODAY)
    text = flat(pdf_pages(out))
    assert CAPITALS in text
    assert "QUÁ HẠN" in text and "Quá hạn khai lý lịch đảng viên" in text


def _sheets(path: Path) -> list[list[int]]:
    """Pages grouped by sheet: a sheet starts on a page with nothing in the top margin."""
    groups: list[list[int]] = []
    for index, top in enumerate(_tops(path)):
        if not top:
            groups.append([index])
        else:
            groups[-1].append(index)
            assert top[0] == str(len(groups[-1]))  # numbered within its sheet
    return groups


@pytest.mark.parametrize("count", [1, 2, 3])
def test_batch_is_numbered_per_candidate(commune: Store, tmp_path: Path, count: int):
    keys = ["tones", "capitals", "long"][:count]
    uids = [commune.people[k].uid for k in keys]
    out = tmp_path / "lo.pdf"
    pages = write_checklists(commune, uids, out, MEETING, TODAY)
    texts = [flat([p]) for p in pdf_pages(out)]
    sheets = _sheets(out)
    assert len(sheets) == count and sum(len(s) for s in sheets) == pages
    names = {"tones": TONES, "capitals": CAPITALS, "long": LONG}
    for key, sheet in zip(keys, sheets, strict=True):  # all in KDC01 or the one THPT1 last
        first = texts[sheet[0]]
        assert names[key] in first or all(w in first for w in names[key].split())
        others = [names[k] for k in keys if k != key]
        assert not any(o in texts[i] for i in sheet for o in others)


def test_batch_is_grouped_by_unit(commune: Store, tmp_path: Path):
    p = commune.people
    # Given THPT1, KDC01, THPT1... order: the residential unit comes first (units' order).
    uids = [p["long"].uid, p["tones"].uid, p["capitals"].uid]
    out = tmp_path / "lo.pdf"
    write_checklists(commune, uids, out, MEETING, TODAY)
    texts = [flat([t]) for t in pdf_pages(out)]
    firsts = [texts[s[0]] for s in _sheets(out)]
    assert TONES in firsts[0] and CAPITALS in firsts[1] and "Phương Thảo" in firsts[2]


def test_no_selection_is_refused(commune: Store, tmp_path: Path):
    with pytest.raises(KnownError, match="Chưa chọn đoàn viên"):
        write_checklists(commune, [], tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())


def _sizes(path: Path, texts: tuple[str, ...]) -> set[float]:
    return {
        round(size, 2)
        for page in pdf_fragments(path)
        for t, _, _, size in page
        if any(x in t for x in texts)
    }


def test_an_overlong_sheet_runs_over_at_full_size(commune: Store, tmp_path: Path):
    # Every step done with a 40-character number, and a name that wraps: the sheet
    # continues on another page at the same text size; every number is printed whole.
    uid = commune.people["long"].uid
    # Written unchecked, as an import would: all steps on one day breaks the order rules,
    # which only adds lines to the sheet.
    commune.steps.record_many(
        {
            uid: [
                StepRecord(code, StepState.DONE, date(2026, 5, 4), NUMBER_40) for code in STEP_CODES
            ]
        }
    )
    out = tmp_path / "dai.pdf"
    write_checklists(commune, [uid, commune.people["tones"].uid], out, MEETING, TODAY)
    sheets = _sheets(out)
    assert len(sheets) == 2 and len(sheets[1]) >= 2
    texts = pdf_pages(out)
    long_sheet = "".join("".join(texts[i].split()) for i in sheets[1])
    # Every step of the candidate's procedure (their chi bộ's position), number whole.
    lines = commune.steps.checklist(uid, MEETING, TODAY).lines
    assert 0 < len(lines) <= len(STEP_CODES)
    assert long_sheet.count(NUMBER_40) == len(lines)
    assert "…" not in "".join(texts)
    # The step titles print at 11 pt on both sheets and every page (no shrink to fit).
    steps = ("Đơn xin vào Đảng", "Lễ kết nạp", "Quyết định công nhận đảng viên")
    assert _sizes(out, steps) == {st.TABLE_SIZE}
    assert TONES in flat([texts[sheets[0][0]]])


def test_batch_progress_and_cancel(commune: Store, tmp_path: Path):
    from dvdesk.reports.progress import Cancelled

    uids = [commune.people[k].uid for k in ("tones", "capitals", "long")]
    seen: list[tuple[int, int]] = []
    write_checklists(
        commune, uids, tmp_path / "a.pdf", MEETING, TODAY, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (3, 3) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    with pytest.raises(Cancelled):
        write_checklists(commune, uids, tmp_path / "b.pdf", MEETING, TODAY, cancel=lambda: True)
    assert not (tmp_path / "b.pdf").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.parametrize(
    "number",
    [
        NUMBER_40,
        "1234567-QĐ/ĐU-BTCĐUX.ĐÔNGHÒA/2026-KN/ABC",  # a run of 15 without a break
        "12345-NQ/ĐU-CB/THPTNGUYENTRAI/2026/KNDV",
    ],
)
def test_a_40_character_number_takes_at_most_three_lines(
    commune: Store, tmp_path: Path, number: str
):
    """notes/documents.md: a typed number wraps at "/" and "-", up to 3 lines, never cut.
    It took five in a 32 mm column ("ĐU-" alone on a line before "BTCĐUX.ĐÔNG")."""

    from dvdesk.reports.checklist_pdf import COLUMNS

    uid = commune.people["long"].uid
    commune.steps.record_many(
        {uid: [StepRecord("source", StepState.DONE, date(2025, 9, 15), number)]}
    )
    out = tmp_path / "so.pdf"
    write_checklists(commune, [uid], out, MEETING, TODAY)
    left = st.LEFT_MARGIN + sum(COLUMNS[:3])
    column = sorted(
        ((y, t.strip()) for t, x, y, _ in pdf_fragments(out)[0] if left <= x < left + COLUMNS[3]),
        key=lambda p: -p[0],
    )
    whole = f"Số {number}"
    start = next(i for i, (_, t) in enumerate(column) if t.startswith("Số " + number[:5]))
    lines, text = 0, ""
    for _, t in column[start:]:
        text, lines = text + t, lines + 1
        if len(text.replace(" ", "")) >= len(whole.replace(" ", "")):
            break
    assert text.replace(" ", "") == whole.replace(" ", "")  # every character, none cut
    assert lines <= 3, column[start : start + lines]


def test_a_finished_dossier_still_closes_with_text(commune: Store, tmp_path: Path):
    """With nothing to do next, no gap and no flag the sheet's closing had no line of text:
    when the steps table filled a page the signature stood alone on the next (HD 36)."""
    from dataclasses import replace

    from dvdesk.reports import checklist_pdf as cp
    from dvdesk.reports import furniture as f

    sheet = cp.candidate_sheet(commune, commune.people["capitals"].uid, MEETING, TODAY)
    cl = sheet.checklist
    done = replace(
        cl,
        next_step=None,
        flags=(),
        lines=tuple(replace(line, missing=False, flags=()) for line in cl.lines),
    )
    out = tmp_path / "xong.pdf"
    story = cp.sheet_story(replace(sheet, checklist=done), commune.settings.get(), TODAY)
    f.write_pdf(out, story, "x")
    text = flat(pdf_pages(out))
    before, _, _ = text.partition("NGƯỜI LẬP PHIẾU")
    assert before.rstrip().endswith("Hồ sơ đã có đủ các bước của quy trình, không có lưu ý."), text
