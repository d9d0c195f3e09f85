"""The streamed list table: bounded memory, progress, cancel, page breaks by rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from dvdesk.reports import furniture as f
from dvdesk.reports.progress import Cancelled, Tracker, stderr_progress
from dvdesk.reports.row_table import Column, RowTable, Section
from dvdesk.reports.styles import styles
from tests.reports.conftest import flat, pdf_pages

COLUMNS = (
    Column("Họ và tên", 80 * mm, lambda r: r["name"]),
    Column("Ghi chú", 71 * mm, lambda r: r["note"], center=True),
)


class Counted:
    """Rows handed out one at a time, remembering how many were taken."""

    def __init__(self, n: int, prefix: str = "Người") -> None:
        self.n, self.prefix, self.taken = n, prefix, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(self.n):
            self.taken += 1
            yield {"name": f"{self.prefix} số {i + 1}", "note": "Đi làm ăn xa" * (i % 7 == 0)}


def test_rows_are_pulled_a_page_at_a_time(tmp_path: Path):
    rows = Counted(3000)
    drawn: list[int] = []
    tracker = Tracker(3000, lambda done, total: drawn.append(done), every=0)
    table = RowTable(COLUMNS, [Section("1. Thôn Đông", "1. Thôn Đông (tiếp theo)", rows)])
    table.tracker = tracker
    # Each time a page has been drawn, fewer than two pages of rows have been read.
    ahead: list[int] = []
    original = tracker.advance

    def advance(n: int = 1) -> None:
        original(n)
        ahead.append(rows.taken - tracker.done)

    tracker.advance = advance  # type: ignore[method-assign]
    pages = f.write_pdf(tmp_path / "a.pdf", [table], "Thử", tracker=tracker)
    assert pages > 50 and rows.taken == 3000
    assert max(ahead) < 2 * 3000 / pages + 5
    assert drawn[-1] == 3000 and drawn == sorted(drawn)


def test_numbers_names_and_captions(tmp_path: Path):
    sections = [
        Section("1. Thôn Đông — 45", "1. Thôn Đông (tiếp theo)", Counted(45, "Đông")),
        Section("2. Thôn Tây — 1", "2. Thôn Tây (tiếp theo)", Counted(1, "Tây")),
        Section("3. Thôn Nam — 46", "3. Thôn Nam (tiếp theo)", Counted(46, "Nam")),
    ]
    tail = [Paragraph("Tổng cộng: 92 đoàn viên.", styles().body)]
    out = tmp_path / "a.pdf"
    f.write_pdf(out, [RowTable(COLUMNS, sections, tail)], "Thử")
    pages = [flat([p]) for p in pdf_pages(out)]
    text = " ".join(pages)
    for prefix, n in (("Đông", 45), ("Tây", 1), ("Nam", 46)):
        for i in range(1, n + 1):
            assert f"{i} {prefix} số {i} " in text + " ", (prefix, i)
    for page in pages[1:]:
        # A page that does not open with a new section opens with the open one's name.
        assert page.split(" TT ")[0].endswith("(tiếp theo)") or page.startswith(
            ("2. Thôn Tây — 1", "3. Thôn Nam — 46")
        )
    assert "Tổng cộng: 92 đoàn viên." in pages[-1] and "Nam số 46" in pages[-1]


def test_cancel_stops_and_leaves_no_file(tmp_path: Path):
    pages_seen = 0

    def cancel() -> bool:
        nonlocal pages_seen
        pages_seen += 1
        return pages_seen > 3

    tracker = Tracker(3000, cancel=cancel)
    table = RowTable(COLUMNS, [Section("1", "1 (tiếp theo)", Counted(3000))], tracker=tracker)
    out = tmp_path / "a.pdf"
    with pytest.raises(Cancelled, match="Đã dừng in"):
        f.write_pdf(out, [table], "Thử", tracker=tracker)
    assert list(tmp_path.iterdir()) == []


def test_stderr_progress_line(capsys: pytest.CaptureFixture[str]):
    report = stderr_progress()
    report(1200, 20000)
    report(20000, 20000)
    err = capsys.readouterr().err
    assert err == "\rĐang in: 1.200/20.000 (6%)\rĐang in: 20.000/20.000 (100%)\n"
