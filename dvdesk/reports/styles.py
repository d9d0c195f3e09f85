"""Page geometry and paragraph styles shared by every printed document.

Sizes and margins follow Hướng dẫn 36-HD/VPTW on the format of Party documents
(notes/documents.md; third-party copies, MED confidence): one Times-metric face
(Liberation Serif), 14 pt running text, 13 pt notes, 11 pt tables, A4 with
margins top 20, bottom 20, left 30, right 15 mm (a Party handbook gives
25/25/35/15; Nghị định 30/2020 gives the ranges top/bottom 20–25, left 30–35,
right 15–20 — these sit at the low end of each to keep lists short). Built
once, after the fonts are registered; import inside functions so the CLI and
the GUI start without reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from dvdesk.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
# platypus frames pad their content by 6 pt on each side; the document margins
# are set that much smaller so text and tables start exactly at the margins above.
FRAME_PADDING = 6
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN  # 165 mm
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
# The page number (from page 2) sits centred in the top margin: its baseline here.
PAGE_NUMBER_Y = PAGE_HEIGHT - 11 * mm

BODY_SIZE = 14  # letters and reports: 13–14 pt
NOTE_SIZE = 13
TABLE_SIZE = 11  # tables: 11–12 pt
TABLE_LEADING = 13
LETTERHEAD_SIZE = 14
MOTTO_SIZE = 15

GRID = colors.black
HEADER_FILL = colors.HexColor("#E6E6E6")
OVERDUE = colors.HexColor("#B00020")  # red for quá hạn
EXPIRING = colors.HexColor("#B36200")  # amber for sắp hết hạn


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    record: ParagraphStyle  # a person's record in a letter: 13 pt lines, no space after
    body_justified: ParagraphStyle
    note: ParagraphStyle
    centred_note: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle

    @property
    def small(self) -> ParagraphStyle:
        """Explanations under a title or a table: the note style (13 pt, HD 36's floor)."""
        return self.note


@cache
def styles() -> Styles:
    register_fonts()

    def ps(
        name: str,
        font: str = REGULAR,
        size: float = BODY_SIZE,
        leading: float | None = None,
        align: int = TA_LEFT,
        **kw: object,
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.2,
            alignment=align,
            **kw,
        )

    return Styles(
        body=ps("body", spaceAfter=3),
        record=ps("record", REGULAR, NOTE_SIZE),
        body_justified=ps("body_j", align=TA_JUSTIFY, spaceAfter=4, firstLineIndent=10 * mm),
        note=ps("note", ITALIC, NOTE_SIZE, align=TA_JUSTIFY, spaceAfter=3),
        centred_note=ps("cnote", ITALIC, NOTE_SIZE, align=TA_CENTER, spaceAfter=6),
        title=ps("title", BOLD, 15, align=TA_CENTER, spaceBefore=6, spaceAfter=2),
        subtitle=ps("subtitle", BOLD, BODY_SIZE, align=TA_CENTER, spaceAfter=8),
        heading=ps("heading", BOLD, BODY_SIZE, spaceBefore=8, spaceAfter=4),
        cell=ps("cell", REGULAR, TABLE_SIZE, TABLE_LEADING),
        cell_bold=ps("cellb", BOLD, TABLE_SIZE, TABLE_LEADING),
        cell_center=ps("cellc", REGULAR, TABLE_SIZE, TABLE_LEADING, align=TA_CENTER),
        cell_right=ps("cellr", REGULAR, TABLE_SIZE, TABLE_LEADING, align=TA_RIGHT),
        head_cell=ps("headc", BOLD, TABLE_SIZE, TABLE_LEADING, align=TA_CENTER),
    )


def grid_style(header_rows: int = 1) -> list[tuple]:
    """Table commands: thin black grid, grey header, top-aligned cells."""
    return [
        # Every cell, headers too: reportlab's default cell font is Helvetica.
        ("FONT", (0, 0), (-1, -1), REGULAR, TABLE_SIZE, TABLE_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def plain_cells() -> list[tuple]:
    """Font and alignment for cells holding plain strings rather than paragraphs."""
    return [
        ("FONT", (0, 1), (-1, -1), REGULAR, TABLE_SIZE, TABLE_LEADING),
        ("ALIGN", (0, 1), (-1, -1), "CENTER"),
    ]
