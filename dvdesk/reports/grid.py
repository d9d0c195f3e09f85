"""A one-page grid drawn straight on the canvas (the checklist's step table).

platypus `Table` wraps and styles every cell several times per page; for a
1,000-page batch of checklists that was most of the time. This grid takes
cells already broken into lines (line_blocks.wrapped), measures each row once
and draws text, fills, boxes and rules with plain canvas calls. When it does
not fit it splits between rows and repeats its header rows on the next page;
nothing is ever shrunk, so text keeps one size on every page.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from reportlab.lib import colors
from reportlab.platypus import Flowable

from dvdesk.reports.text_run import TextRun

PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.0, 3.0


@dataclass(frozen=True)
class Cell:
    """Text (lines separated by "\\n") in a font and colour, or a drawn mark."""

    text: str = ""
    font: str = ""  # "" = the grid's font
    color: colors.Color = colors.black
    mark: Flowable | None = None  # drawn instead of text (a checkbox)


# reportlab has no type hints: a Flowable is `Any` to the checker.
CellLike: TypeAlias = Cell | str | Any


def _row_widths(widths: Sequence[float] | Sequence[Sequence[float]], n: int) -> list[list[float]]:
    """One list of column widths per row."""
    if widths and isinstance(widths[0], (list, tuple)):
        return [[float(x) for x in w] for w in cast(Sequence[Sequence[float]], widths)]
    return [[float(x) for x in cast(Sequence[float], widths)]] * n


def _cell(value: CellLike) -> Cell:
    if isinstance(value, Cell):
        return value
    if isinstance(value, Flowable):
        return Cell(mark=value)
    return Cell(str(value))


class Grid(Flowable):
    """Rows of cells with optional rules, header fill and row fills.

    `widths` may be one sequence for every row or one per row (a details block
    whose rows pair up differently). `centred` names the columns drawn centred.
    """

    def __init__(
        self,
        rows: Sequence[Sequence[CellLike]],
        widths: Sequence[float] | Sequence[Sequence[float]],
        *,
        font: str,
        size: float,
        leading: float,
        rules: bool = True,
        header_rows: int = 0,
        header_fill: colors.Color | None = None,
        fills: dict[int, colors.Color] | None = None,
        centred: frozenset[int] = frozenset(),
        pad_x: float = PAD_X,
        pad_top: float = PAD_TOP,
        pad_bottom: float = PAD_BOTTOM,
        rule_color: colors.Color = colors.black,
    ) -> None:
        super().__init__()
        self.rows = [[_cell(c) for c in row] for row in rows]
        self.row_widths = _row_widths(widths, len(rows))
        self.font, self.size, self.leading = font, size, leading
        self.rules, self.header_rows, self.header_fill = rules, header_rows, header_fill
        self.fills = fills or {}
        self.centred = centred
        self.pad_x, self.pad_top, self.pad_bottom = pad_x, pad_top, pad_bottom
        self.rule_color = rule_color
        self.heights = [self._row_height(row) for row in self.rows]

    def _row_height(self, row: list[Cell]) -> float:
        tallest = 0.0
        for cell in row:
            if cell.mark is not None:
                tallest = max(tallest, cell.mark.wrap(0, 0)[1])
            else:
                tallest = max(tallest, (cell.text.count("\n") + 1) * self.leading)
        return tallest + self.pad_top + self.pad_bottom

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = max(sum(w) for w in self.row_widths)
        self.height = sum(self.heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Rows that fit, then the rest under a repeat of the header rows."""
        head = self.header_rows
        used = sum(self.heights[:head])
        end = head
        while end < len(self.rows) and used + self.heights[end] <= avail_height:
            used += self.heights[end]
            end += 1
        if end == head:  # not even one row under the header: move to the next page
            return []
        if end == len(self.rows):
            return [self]
        keep = list(range(end))
        rest = [*range(head), *range(end, len(self.rows))]
        return [self._subset(keep), self._subset(rest)]

    def _subset(self, indices: list[int]) -> Grid:
        part = copy.copy(self)
        part.__dict__.pop("_postponed", None)  # a fresh part: platypus may postpone it once
        part.rows = [self.rows[i] for i in indices]
        part.row_widths = [self.row_widths[i] for i in indices]
        part.heights = [self.heights[i] for i in indices]
        part.fills = {new: self.fills[old] for new, old in enumerate(indices) if old in self.fills}
        return part

    def draw(self) -> None:
        c = self.canv
        # All the text goes into one text object, drawn over the fills: one
        # text object per string was a third of a checklist's drawing time.
        self._text = TextRun(c)
        self._color_now: colors.Color | None = None
        top = self.height
        for r, (row, widths, height) in enumerate(
            zip(self.rows, self.row_widths, self.heights, strict=True)
        ):
            fill = self.header_fill if r < self.header_rows else self.fills.get(r)
            if fill is not None:
                c.setFillColor(fill)
                c.rect(0, top - height, sum(widths), height, stroke=0, fill=1)
            x = 0.0
            for col, (cell, width) in enumerate(zip(row, widths, strict=True)):
                self._draw_cell(
                    cell, x, top, width, centred=col in self.centred or r < self.header_rows
                )
                x += width
            top -= height
        self._text.draw()
        if self.rules:
            self._draw_rules()

    def _draw_cell(self, cell: Cell, x: float, top: float, width: float, centred: bool) -> None:
        c = self.canv
        if cell.mark is not None:
            x, y = x + self.pad_x, top - self.pad_top - cell.mark.wrap(0, 0)[1]
            if hasattr(cell.mark, "draw_at"):  # a drawn mark: skip platypus's state push
                cell.mark.draw_at(c, x, y)
            else:
                cell.mark.drawOn(c, x, y)
            return
        if not cell.text:
            return
        t = self._text
        t.font(cell.font or self.font, self.size)  # state changes cost as much as text
        if self._color_now != cell.color:
            t.text.setFillColor(cell.color)
            self._color_now = cell.color
        baseline = top - self.pad_top - self.size
        for line in cell.text.split("\n"):
            if centred:
                t.centred(x, width, baseline, line)
            else:
                t.at(x + self.pad_x, baseline, line)
            baseline -= self.leading

    def _draw_rules(self) -> None:
        c = self.canv
        c.setStrokeColor(self.rule_color)
        c.setLineWidth(0.4)
        path = c.beginPath()
        top = self.height
        path.moveTo(0, top)
        path.lineTo(sum(self.row_widths[0]), top)
        same = all(w == self.row_widths[0] for w in self.row_widths)
        if same:  # one rule per column, top to bottom
            x = 0.0
            for width in (0.0, *self.row_widths[0]):
                x += width
                path.moveTo(x, top)
                path.lineTo(x, 0)
        for widths, height in zip(self.row_widths, self.heights, strict=True):
            if not same:
                x = 0.0
                for width in (0.0, *widths):
                    x += width
                    path.moveTo(x, top)
                    path.lineTo(x, top - height)
            top -= height
            path.moveTo(0, top)
            path.lineTo(sum(widths), top)
        c.drawPath(path, stroke=1, fill=0)
