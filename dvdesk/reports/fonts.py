"""The vendored TTF fonts, registered with reportlab once.

reportlab's built-in Helvetica/Times silently drop Vietnamese letters such as
ễ ị ồ Đ ư ờ; DejaVu covers all 146 precomposed ones (licence in
resources/fonts/LICENSE-DejaVu.txt). reportlab does no text shaping, so every
string is NFC-normalised before it is drawn (`nfc`).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from dvdesk.resources import FONT_BOLD, FONT_REGULAR, FONT_SERIF, FONT_SERIF_BOLD, resource

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, parts in (
        (SANS, FONT_REGULAR),
        (SANS_BOLD, FONT_BOLD),
        (SERIF, FONT_SERIF),
        (SERIF_BOLD, FONT_SERIF_BOLD),
    ):
        pdfmetrics.registerFont(TTFont(name, str(resource(*parts))))
    # <b> in Paragraph markup picks the bold face.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
