"""Pre-split lines and the drawn grid: wrapping, kept spacing, row heights."""

from __future__ import annotations

import pytest

from dvdesk.reports.fonts import SANS, SERIF, register_fonts
from dvdesk.reports.grid import Cell, Grid
from dvdesk.reports.line_blocks import Line, LineColumns, wrapped
from dvdesk.reports.shapes import CheckBox


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Số:" + "\u00a0" * 12 + "-GGT/ĐU", 200, 1),  # fits: kept exactly as typed
        ("Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức", 150, 2),
        ("Tôn Nữ Hoàng Thị Phương Thảo Nguyên Khánh Linh Đoan Trang Diễm Kiều Hạnh Dung", 100, 4),
        ("", 100, 1),
    ],
)
def test_wrapped(text: str, width: float, lines: int):
    out = wrapped(text, SANS, 8.5, width)
    assert len(out.split("\n")) == lines
    assert " ".join(out.split()) == " ".join(text.split())
    if lines == 1 and text:
        assert out == text


def test_line_columns_height_is_the_taller_column():
    block = LineColumns(
        [[Line("MỘT", SERIF, 10)], [Line("HAI", SERIF, 10), Line("BA", SERIF, 10, space_before=4)]],
        [100, 100],
    )
    assert block.wrap(500, 500) == (200, 10 * 1.25 * 2 + 4)


def test_grid_row_heights():
    rows = [["a", "b\nc"], [Cell("x"), CheckBox()], ["", ""]]
    grid = Grid(rows, [50, 50], font=SANS, size=8, leading=10, pad_top=2, pad_bottom=3)
    assert grid.wrap(500, 500) == (100, (20 + 5) + (max(10, CheckBox().height) + 5) + 15)
