"""Columns of short lines drawn straight on the canvas: letterheads and signatures.

These appear on every page of a 1,000-page batch. As platypus paragraphs
inside a table each line was re-wrapped several times per page; here each
line is split to its column once (in `wrap`) and drawn with one call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from dvdesk.reports.fonts import nfc, register_fonts


@dataclass(frozen=True)
class Line:
    text: str
    font: str
    size: float
    underline: bool = False
    centred: bool = True
    space_before: float = 0.0  # extra room above, e.g. for a signature
    color: colors.Color = colors.black

    @property
    def leading(self) -> float:
        return self.size * 1.25


class LineColumns(Flowable):
    """Side-by-side columns of lines; long lines wrap within their column."""

    def __init__(self, columns: Sequence[Sequence[Line]], widths: Sequence[float]) -> None:
        super().__init__()
        self.columns = [list(c) for c in columns]
        self.widths = list(widths)
        self._split: list[list[tuple[Line, list[str]]]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._split:
            register_fonts()
            self._split = [
                [(line, _split(line.text, line.font, line.size, width)) for line in column]
                for column, width in zip(self.columns, self.widths, strict=True)
            ]
        self.width = sum(self.widths)
        self.height = max(
            (
                sum(line.space_before + line.leading * len(parts) for line, parts in column)
                for column in self._split
            ),
            default=0.0,
        )
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        text = c.beginText()  # one text object for every line: much cheaper than one each
        rules: list[tuple[float, float, float]] = []
        x0 = 0.0
        for column, width in zip(self._split, self.widths, strict=True):
            y = self.height
            for line, parts in column:
                y -= line.space_before
                text.setFont(line.font, line.size)
                text.setFillColor(line.color)
                for part in parts:
                    y -= line.leading
                    base = y + line.leading - line.size  # baseline inside the line box
                    text_width = stringWidth(part, line.font, line.size)
                    x = x0 + (width - text_width) / 2 if line.centred else x0
                    text.setTextOrigin(x, base)
                    text.textOut(part)
                    if line.underline:
                        rules.append((x, base - 1.8, text_width))
            x0 += width
        c.drawText(text)
        if rules:
            c.setLineWidth(0.6)
            for x, y, w in rules:
                c.line(x, y, x + w, y)


@cache
def wrapped(text: str, font: str, size: float, width: float) -> str:
    """`text` broken into lines that fit `width`, joined by newlines.

    For plain-string table cells, which reportlab draws line by line without
    re-wrapping: far cheaper than a Paragraph when a cell is drawn thousands
    of times. Cached, since step titles repeat on every checklist.
    """
    register_fonts()
    return "\n".join(_split(text, font, size, width))


def _split(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` within `width`; a line that fits is kept as typed.

    simpleSplit breaks on every kind of space and rejoins with one, which
    would swallow deliberate runs of no-break spaces ("Số:      -GGT/ĐU").
    """
    text = nfc(text)
    if "\n" not in text and stringWidth(text, font, size) <= width:
        return [text]
    return simpleSplit(text, font, size, width) or [""]


_NUMBER_BREAKS = re.compile(r"(?<=[/\-\s])")


@lru_cache(maxsize=4096)
def wrap_number(text: str, font: str, size: float, width: float) -> str:
    """A document number in lines that fit `width`, broken after "/", "-" or a space.

    Never cut: a typed number is a reference the office looks up, so every
    character is printed ("123/QĐ-ĐU" → "123/" "QĐ-ĐU"). A part with no break
    that is still too wide is broken between characters, from where the line has
    got to, so a 40-character number takes no more lines than it must.
    """
    register_fonts()
    text = nfc(" ".join(text.split()))
    lines: list[str] = []
    line = ""
    for part in _NUMBER_BREAKS.split(text):
        if not part:
            continue
        if stringWidth((line + part).rstrip(), font, size) <= width:
            line += part
            continue
        if stringWidth(part.strip(), font, size) > width:
            # Too wide even alone: it fills the rest of this line ("ĐU-" was left alone
            # on a line before "BTCĐUX.ĐÔNG" / "HÒA/", five lines for 40 characters).
            line += part
        else:
            if line.strip():
                lines.append(line.rstrip())
            line = part.lstrip()
        while stringWidth(line.rstrip(), font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return "\n".join(lines)
