"""Small drawn marks: checkboxes as shapes, never as glyphs.

DejaVu has ☐ ☑ but Noto Sans does not, and a glyph box prints at the font's
whim; a drawn square is the same size in every viewer and on paper.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


class CheckBox(Flowable):
    """A square to tick by hand, empty, ticked, or struck through (not applicable)."""

    def __init__(
        self,
        size: float = 3.6 * mm,
        ticked: bool = False,
        struck: bool = False,
        line_after: float = 0.0,
        color: colors.Color = colors.black,
    ) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked
        self.struck = struck
        self.line_after = line_after  # a writing line to the right, for a date by hand
        self.color = color
        self.width = size + (line_after + 1.5 * mm if line_after else 0)
        self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.draw_at(self.canv, 0, 0)

    def draw_at(self, c: Canvas, x0: float, y0: float) -> None:
        """Draw with the box's lower left at (x0, y0), without platypus's state push."""
        s = self.size
        c.saveState()
        c.translate(x0, y0)
        c.setStrokeColor(self.color)
        c.setLineWidth(0.8)
        c.rect(0, 0, s, s, stroke=1, fill=0)
        if self.ticked:
            path = c.beginPath()
            path.moveTo(0.2 * s, 0.5 * s)
            path.lineTo(0.42 * s, 0.22 * s)
            path.lineTo(0.82 * s, 0.82 * s)
            c.setLineWidth(1.1)
            c.drawPath(path, stroke=1, fill=0)
        if self.struck:
            c.line(0.15 * s, 0.5 * s, 0.85 * s, 0.5 * s)
        if self.line_after:
            c.setDash(1, 1.5)
            c.setLineWidth(0.4)
            x = s + 1.5 * mm
            c.line(x, 0, x + self.line_after, 0)
        c.restoreState()
