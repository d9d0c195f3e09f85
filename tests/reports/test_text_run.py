"""TextRun writes the very operators reportlab's setTextOrigin + textOut write."""

from __future__ import annotations

import io
import random

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from dvdesk.reports import text_run
from dvdesk.reports.fonts import BOLD, REGULAR, register_fonts, vietnamese_letters
from dvdesk.reports.text_run import TextRun


def _strings() -> list[tuple[str, float, str]]:
    """Font, size and text: repeats, and more distinct letters than one font subset
    holds (256 codes), so the subset switches inside strings and between them."""
    rng = random.Random(5)
    letters = vietnamese_letters() + [chr(c) for c in range(0x21, 0x7F)]
    letters += [chr(c) for c in range(0xC0, 0x17F)]  # Latin-1 and Latin Extended-A
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(300)]
    out = []
    for _ in range(2000):
        font = BOLD if rng.random() < 0.2 else REGULAR
        out.append((font, rng.choice((11, 14)), " ".join(rng.sample(words, rng.randint(1, 3)))))
    return out


def test_same_operators_as_text_out():
    register_fonts()
    mine, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    run, plain = TextRun(mine), theirs.beginText()
    current = None
    for i, (font, size, line) in enumerate(_strings()):
        x, y = (i % 7) * 31.5, 800 - (i % 50) * 13.25
        run.font(font, size)
        if current != (font, size):
            plain.setFont(font, size)
            current = (font, size)
        run.at(x, y, line)
        plain.setTextOrigin(x, y)
        plain.textOut(line)
    code = run.text.getCode()
    assert code == plain.getCode()
    assert "+1 " in code  # a second subset of a font was used: the switches were tested


def test_centred_places_by_width():
    register_fonts()
    canvas = Canvas(io.BytesIO())
    run = TextRun(canvas)
    run.font(REGULAR, 11)
    run.centred(10, 100, 50, "Đủ")
    x = 10 + (100 - stringWidth("Đủ", REGULAR, 11)) / 2
    assert abs(run.text._x0 - x) < 1e-9


def test_cache_stays_bounded(monkeypatch):
    register_fonts()
    monkeypatch.setattr(text_run, "CACHE_LIMIT", 10)
    canvas = Canvas(io.BytesIO())
    for page in range(3):
        run = TextRun(canvas)
        run.font(REGULAR, 11)
        for i in range(25):
            run.at(0, i, f"{page}-{i}")
    strings, widths, numbers = canvas.__dict__["_dvdesk_text_ops"]
    # Started again on each page past the limit: only the last page's 25 strings
    # and 25 coordinates (0 to 24) are left, not all 75.
    assert (len(strings), len(widths), len(numbers)) == (25, 0, 25)
