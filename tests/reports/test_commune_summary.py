"""The receiving level's summary per commune on paper: it fits, nothing breaks inside a word."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from dvdesk.reports import commune_summary as cs
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, REGULAR, register_fonts


def test_columns_fill_the_frame_and_no_word_breaks_inside():
    register_fonts()
    assert sum(w for *_, w in cs.PDF_COLUMNS) * mm <= st.FRAME_WIDTH + 0.01
    for _, label, width in cs.PDF_COLUMNS:
        room = width * mm - 2 * cs.PAD
        for word in label.split():
            assert stringWidth(word, BOLD, cs.HEAD_SIZE) <= room, (label, word)
    # The widest figures each column holds: a commune code, a percentage, a date.
    samples = {
        0: "99999",
        2: "01/12/2026",
        5: "120000",
        6: "120000",
        12: "100%",
        13: "100%",
        18: "999",
    }
    widths = {column: width for column, _, width in cs.PDF_COLUMNS}
    for column, text in samples.items():
        assert stringWidth(text, REGULAR, cs.CELL_SIZE) <= widths[column] * mm - 2 * cs.PAD, text
