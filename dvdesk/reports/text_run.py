"""Many short strings placed in one PDF text object, each string encoded once per document.

A long list draws about eight strings per row, most of them repeated (dates,
ages, class names, row numbers, common names). reportlab's `textOut` measures
every string (to move its cursor, which a placed string never uses) and maps
it, character by character, to the font subset's codes; that was two thirds
of a 200,000-member list's drawing time. `TextRun` keeps the operators reportlab
made for a string and reuses them for the same string in the same font, size
and current subset: a string's characters keep their codes for the whole
document once assigned, so the bytes written are exactly those `textOut`
would write (tests/reports/test_text_run.py compares them, so a reportlab
release that changes the text object's internals used here fails there).

The cache lives on the canvas (one document), so two documents built at the
same time never share codes; it starts again past `CACHE_LIMIT` entries (names
rarely repeat), so memory does not grow with the list.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth

_Key = tuple[str, float, float, int, str]
CACHE_LIMIT = 20_000  # strings (or numbers) remembered per document; then it starts again


class TextRun:
    """One text object of a page: `font`, then `at` / `centred` per string; `draw` once."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.text = canvas.beginText()
        cache = canvas.__dict__.setdefault("_dvdesk_text_ops", ({}, {}, {}))
        for table in cache:  # memory stays bounded however long the document
            if len(table) > CACHE_LIMIT:
                table.clear()
        self._ops: dict[_Key, tuple[str, int]] = cache[0]
        self._widths: dict[tuple[str, str, float], float] = cache[1]
        self._numbers: dict[float, str] = cache[2]  # coordinates as PDF writes them
        self._font: tuple[str, float] = ("", 0.0)

    def font(self, name: str, size: float) -> None:
        """Switch font (a no-op when it is already the current one)."""
        if self._font != (name, size):
            self.text.setFont(name, size)
            self._font = (name, size)

    def width(self, line: str) -> float:
        """The width of `line` in the current font (measured once per document)."""
        name, size = self._font
        key = (line, name, size)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = stringWidth(line, name, size)
        return w

    def at(self, x: float, y: float, line: str) -> None:
        """`line` with its baseline starting at (x, y), as setTextOrigin + textOut."""
        t = self.text
        code = t._code
        numbers = self._numbers
        xs = numbers.get(x)
        if xs is None:
            xs = numbers[x] = fp_str(x)
        ys = numbers.get(y)
        if ys is None:
            ys = numbers[y] = fp_str(y)
        code.append(f"1 0 0 1 {xs} {ys} Tm")
        t._x0 = t._x = x
        t._y0 = t._y = y
        key = (t._fontname, t._fontsize, t._leading, t._curSubset, line)
        hit = self._ops.get(key)
        if hit is None:
            hit = self._ops[key] = (t._formatText(line), t._curSubset)
        code.append(hit[0])
        t._curSubset = hit[1]

    def centred(self, left: float, width: float, y: float, line: str) -> None:
        """`line` centred in the span [left, left + width]."""
        self.at(left + (width - self.width(line)) / 2, y, line)

    def draw(self) -> None:
        self.canvas.drawText(self.text)
