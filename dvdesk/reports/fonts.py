"""The vendored TTF fonts, registered with reportlab once.

Party documents are set in Times New Roman (Hướng dẫn 36-HD/VPTW, TCVN
6909:2001), which cannot be shipped; Liberation Serif is metric-compatible with
it, covers all 146 precomposed Vietnamese letters and is under the SIL OFL 1.1
(resources/fonts/LICENSE-LiberationSerif.txt). Every document uses this one
face: tables too, at 11–12 pt. reportlab's built-in Helvetica/Times silently
drop letters such as ễ ị ồ Đ ư ờ, so no built-in font is ever used.

reportlab does no text shaping, so every string is NFC-normalised before it
is drawn (`nfc`).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from dvdesk.resources import resource

REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"
FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
LICENCE = ("fonts", "LICENSE-LiberationSerif.txt")
# Older names still used by the benchmark scripts: one face for everything now.
SERIF, SERIF_BOLD, SANS, SANS_BOLD = REGULAR, BOLD, REGULAR, BOLD

_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng


def vietnamese_letters() -> list[str]:
    """The 146 precomposed letters of Vietnamese: 12 vowels × 6 tones × 2 cases, đ, Đ."""
    small = [unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES]
    return [*small, *(c.upper() for c in small), "đ", "Đ"]


@cache
def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
    # <b> and <i> in Paragraph markup pick the matching face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)


def missing_glyphs(text: str, font: str = REGULAR) -> list[str]:
    """Characters of `text` (NFC) the registered `font` has no glyph for."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(font).face
    return [ch for ch in dict.fromkeys(nfc(text)) if ord(ch) not in face.charToGlyph]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
