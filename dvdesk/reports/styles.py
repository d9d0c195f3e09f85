"""Page geometry and paragraph styles shared by every printed document.

Serif for the letterhead and running text (official documents are set in a
Times-like face), sans for dense tables. Built once, after the fonts are
registered; import inside functions so the CLI and GUI start without reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from dvdesk.reports.fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Margins as in official documents (Nghị định 30/2020 / Hướng dẫn 36-HD/VPTW):
# left 30 mm for binding, right 15–20 mm, top and bottom 20 mm.
LEFT_MARGIN = 25 * mm
RIGHT_MARGIN = 15 * mm
TOP_MARGIN = 15 * mm
BOTTOM_MARGIN = 18 * mm
# platypus frames pad their content by 6 pt on each side; the document margins
# are set that much smaller so text and tables start exactly at the margins above.
FRAME_PADDING = 6
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN

GRID = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#E6E6E6")
OVERDUE = colors.HexColor("#B00020")  # red for quá hạn
EXPIRING = colors.HexColor("#B36200")  # amber for sắp hết hạn
MUTED = colors.HexColor("#555555")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_justified: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    letterhead: ParagraphStyle
    letterhead_bold: ParagraphStyle
    place_date: ParagraphStyle
    sign: ParagraphStyle
    sign_bold: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle
    flag: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()

    def ps(
        name: str,
        font: str = SERIF,
        size: float = 11,
        leading: float | None = None,
        align: int = TA_LEFT,
        **kw: object,
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.25,
            alignment=align,
            **kw,
        )

    return Styles(
        body=ps("body", size=11, spaceAfter=2),
        body_justified=ps(
            "body_j", size=11, align=TA_JUSTIFY, spaceAfter=3, firstLineIndent=8 * mm
        ),
        small=ps("small", size=9, textColor=MUTED),
        title=ps("title", SERIF_BOLD, 13, align=TA_CENTER, spaceBefore=6, spaceAfter=2),
        subtitle=ps("subtitle", SERIF, 11, align=TA_CENTER, spaceAfter=6),
        heading=ps("heading", SERIF_BOLD, 11.5, spaceBefore=6, spaceAfter=3),
        letterhead=ps("lh", SERIF, 10.5, align=TA_CENTER, leading=13),
        letterhead_bold=ps("lhb", SERIF_BOLD, 10.5, align=TA_CENTER, leading=13),
        place_date=ps("pd", SERIF, 10.5, align=TA_CENTER, leading=13),
        sign=ps("sign", SERIF, 11, align=TA_CENTER, leading=14),
        sign_bold=ps("signb", SERIF_BOLD, 11, align=TA_CENTER, leading=14),
        cell=ps("cell", SANS, 8.5, leading=10.2),
        cell_bold=ps("cellb", SANS_BOLD, 8.5, leading=10.2),
        cell_center=ps("cellc", SANS, 8.5, leading=10.2, align=TA_CENTER),
        cell_right=ps("cellr", SANS, 8.5, leading=10.2, align=TA_RIGHT),
        head_cell=ps("headc", SANS_BOLD, 8.5, leading=10.2, align=TA_CENTER),
        flag=ps(
            "flag",
            SANS,
            8.5,
            leading=10.5,
            leftIndent=4 * mm,
            firstLineIndent=-4 * mm,
            spaceAfter=1,
        ),
    )


def grid_style(header_rows: int = 1) -> list[tuple]:
    """Table commands: thin grid, grey header, top-aligned cells."""
    return [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
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
        ("FONT", (0, 1), (-1, -1), SANS, 8.5, 10.2),
        ("ALIGN", (0, 1), (-1, -1), "CENTER"),
    ]
