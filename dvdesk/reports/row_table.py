"""A long table drawn row by row on the canvas, streamed page by page.

A platypus `Table` of a unit's thousands of rows is re-measured at every page
split, so a 200,000-member list grew faster than its length (6½ minutes,
1 GB). `RowTable` takes sections (one per unit) whose rows come from an
iterator; each row is broken into lines once, measured once and drawn with
plain canvas calls. It holds at most one page of rows: a page's rows are
pulled from the iterator when the page is laid out and dropped once drawn.

What a list must never do (notes/documents.md) is built in:
- a continuation page of a section starts with the section's name
  ("… (tiếp theo)") and the header row;
- a section heading never sits at the foot of a page without its header and
  first row;
- the tail (total, signature) is drawn with the last rows: when it does not
  fit after them, the last rows move to the next page with it, so a
  signature never stands alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak

from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, ITALIC, REGULAR, nfc, register_fonts
from dvdesk.reports.progress import Tracker
from dvdesk.reports.text_run import TextRun

PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.0, 3.5
NUMBER_WIDTH = 14 * mm  # "TT": six digits at 11 pt with padding
HEADING_SIZE = st.BODY_SIZE
CAPTION_SIZE = 12
NOTE_SIZE = st.NOTE_SIZE
KEEP_WITH_TAIL = 2  # rows that move with the signature when it does not fit
TAIL_GAP = 4 * mm


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    value: Callable[[dict[str, Any]], str]
    center: bool = False


@dataclass(frozen=True)
class Section:
    """A heading and its rows (one unit): `rows` is consumed once, lazily."""

    heading: str
    caption: str  # the section's name on a continuation page
    rows: Iterable[dict[str, Any]]
    note: str = ""  # an explanation under the heading (italic)


@lru_cache(maxsize=8192)
def _lines_cached(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    return _lines(text, font, size, width)


def _lines(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    text = nfc(text)
    if "\n" not in text and stringWidth(text, font, size) <= width:
        return (text,)
    return tuple(simpleSplit(text, font, size, width)) or ("",)


def fit(text: str, font: str, size: float, width: float, cache: bool = True) -> tuple[str, ...]:
    """`text` in lines that fit `width` (cached for values that repeat)."""
    return (_lines_cached if cache else _lines)(text, font, size, width)


@dataclass(frozen=True)
class _Heading:
    lines: tuple[str, ...]
    caption: tuple[str, ...]
    height: float
    note: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Row:
    cells: tuple[tuple[str, ...], ...]
    height: float


_Item = _Heading | _Row


@dataclass(frozen=True)
class _Page:
    """What one page shows: (kind, payload, height) entries and what it consumed."""

    entries: list[tuple[str, Any, float]]
    consumed: int  # items taken from the buffer
    height: float
    complete: bool  # the last rows, with the tail after them
    heading_after: _Heading | None  # the section still open at the page's end


class RowTable(Flowable):
    """Sections of rows with a numbered first column, drawn straight on the canvas."""

    def __init__(
        self,
        columns: Sequence[Column],
        sections: Iterable[Section],
        tail: Sequence[Flowable] = (),
        tracker: Tracker | None = None,
        size: float = st.TABLE_SIZE,
        leading: float = st.TABLE_LEADING,
    ) -> None:
        super().__init__()
        register_fonts()
        self.columns = list(columns)
        self.widths = [NUMBER_WIDTH, *(c.width for c in columns)]
        # Each column's cell text and the width its lines may take, worked out once.
        self._cells = [(c.value, c.width - 2 * PAD_X) for c in self.columns]
        self.size, self.leading = size, leading
        self.tail = list(tail)
        self.tracker = tracker
        self._items: Iterator[_Item] = self._generate(sections)
        self._buffer: deque[_Item] = deque()
        self._exhausted = False
        self._open: _Heading | None = None
        self._page: tuple[float, _Page] | None = None
        self._tail_height: float | None = None
        self._final = _Page([], 0, 0.0, True, None)
        heads = [
            fit(c.title, BOLD, size, w - 2 * PAD_X)
            for c, w in zip([Column("TT", NUMBER_WIDTH, str), *columns], self.widths, strict=True)
        ]
        self._head_cells = tuple(heads)
        self._head_height = max(len(h) for h in heads) * leading + PAD_TOP + PAD_BOTTOM

    # -- the stream of items ------------------------------------------------

    def _generate(self, sections: Iterable[Section]) -> Iterator[_Item]:
        width = sum(self.widths)
        for section in sections:
            lines = fit(section.heading, BOLD, HEADING_SIZE, width, cache=False)
            if not section.heading:
                lines = ()
            note = fit(section.note, ITALIC, NOTE_SIZE, width, cache=False) if section.note else ()
            caption = fit(section.caption, ITALIC, CAPTION_SIZE, width, cache=False)
            height = len(lines) * HEADING_SIZE * 1.2 + (4 if lines else 0)
            height += len(note) * NOTE_SIZE * 1.2 + (3 if note else 0)
            yield _Heading(lines, caption, height, note)
            for number, row in enumerate(section.rows, 1):
                yield self._row(number, row)

    def _row(self, number: int, row: dict[str, Any]) -> _Row:
        cells: list[tuple[str, ...]] = [(str(number),)]
        tallest = 1
        size = self.size
        for value, room in self._cells:
            lines = _lines_cached(value(row), REGULAR, size, room)
            cells.append(lines)
            if len(lines) > tallest:
                tallest = len(lines)
        return _Row(tuple(cells), tallest * self.leading + PAD_TOP + PAD_BOTTOM)

    def _peek(self, index: int) -> _Item | None:
        while len(self._buffer) <= index and not self._exhausted:
            try:
                self._buffer.append(next(self._items))
            except StopIteration:
                self._exhausted = True
        return self._buffer[index] if index < len(self._buffer) else None

    def _caption_height(self, heading: _Heading) -> float:
        return len(heading.caption) * CAPTION_SIZE * 1.2 + 3

    def _tail_h(self, width: float) -> float:
        if self._tail_height is None:
            self._tail_height = sum(f.wrap(width, 10_000)[1] for f in self.tail)
            self._tail_height += TAIL_GAP if self.tail else 0
        return self._tail_height

    # -- laying out one page ------------------------------------------------

    def _layout(self, width: float, avail: float) -> _Page:
        entries: list[tuple[str, Any, float]] = []
        used, index, rows_here = 0.0, 0, 0
        heading = self._open
        first = self._peek(0)
        if heading is not None and isinstance(first, _Row):
            need = self._caption_height(heading) + self._head_height
            if need + first.height > avail:
                return _Page([], 0, 0.0, False, heading)
            entries += [("caption", heading, self._caption_height(heading))]
            entries += [("head", None, self._head_height)]
            used = need
        while (item := self._peek(index)) is not None:
            if isinstance(item, _Heading):
                after = self._peek(index + 1)
                first_row = after.height if isinstance(after, _Row) else 0.0
                need = item.height + self._head_height + first_row
                if used + need > avail:
                    break
                entries += [("heading", item, item.height), ("head", None, self._head_height)]
                used += item.height + self._head_height
                heading = item
            else:
                if used + item.height > avail:
                    break
                entries.append(("row", item, item.height))
                used += item.height
                rows_here += 1
            index += 1
        complete = index == len(self._buffer) and self._exhausted
        if complete and self.tail and used + self._tail_h(width) > avail:
            # The signature would stand alone: the last rows go over with it.
            keep = min(KEEP_WITH_TAIL, rows_here)
            while entries and (keep > 0 or entries[-1][0] != "row"):
                kind, _payload, height = entries.pop()
                used -= height
                if kind in ("row", "heading"):
                    index -= 1
                if kind == "row":
                    keep -= 1
            complete = False
            if not any(kind == "row" for kind, _, _ in entries):
                return _Page([], 0, 0.0, False, self._open)
            # The open section is the last one that started here, else the one before.
            heading = next((p for kind, p, _ in reversed(entries) if kind == "heading"), self._open)
        return _Page(entries, index, used, complete, heading)

    def _page_for(self, width: float, avail: float) -> _Page:
        if self._page is None or self._page[0] != avail:
            self._page = (avail, self._layout(width, avail))
        return self._page[1]

    # -- the platypus protocol ----------------------------------------------

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        page = self._page_for(avail_width, avail_height)
        self.width = sum(self.widths)
        if page.complete:
            self._final = page
            self.height = page.height + self._tail_h(avail_width)
            return self.width, self.height
        return self.width, avail_height + 1  # does not fit: platypus will split

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        page = self._page_for(avail_width, avail_height)
        if not page.entries:
            return []
        for _ in range(page.consumed):
            self._buffer.popleft()
        rows = sum(1 for kind, _, _ in page.entries if kind == "row")
        self._open = page.heading_after
        self._page = None
        self.__dict__.pop("_postponed", None)  # platypus refuses a flowable postponed twice
        # The page is done: what is left starts on the next page. Without the break,
        # the space freed by rows kept back for the signature took a second,
        # captioned piece of the table on the same page.
        return [_PageRows(self, page.entries, page.height, rows), PageBreak(), self]

    def draw(self) -> None:
        # The whole rest fits on this page (wrap said so): rows, then the tail.
        page = self._final
        _draw_entries(self, self.canv, page.entries, self.height)
        y = self.height - page.height - TAIL_GAP
        for flowable in self.tail:
            _, h = flowable.wrap(self.width, 10_000)
            y -= h
            flowable.drawOn(self.canv, 0, y)
        if self.tracker is not None:
            self.tracker.advance(sum(1 for kind, _, _ in page.entries if kind == "row"))


class _PageRows(Flowable):
    """One page's share of a `RowTable`."""

    def __init__(
        self, table: RowTable, entries: list[tuple[str, Any, float]], height: float, rows: int
    ) -> None:
        super().__init__()
        self.table, self.entries, self.rows = table, entries, rows
        self.width, self.height = sum(table.widths), height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        _draw_entries(self.table, self.canv, self.entries, self.height)
        if self.table.tracker is not None:
            self.table.tracker.advance(self.rows)


def _draw_entries(
    t: RowTable, c: Any, entries: list[tuple[str, Any, float]], height: float
) -> None:
    width = sum(t.widths)
    xs = [0.0]
    for w in t.widths:
        xs.append(xs[-1] + w)
    # Per column: (left, width, centred); a left-aligned cell's text starts at left + PAD_X.
    centred = [True, *(col.center for col in t.columns)]
    cols = list(zip(xs, t.widths, centred, strict=False))
    size, leading = t.size, t.leading
    rules = c.beginPath()
    block_top: float | None = None
    top = height

    def close_block(bottom: float) -> None:
        if block_top is not None:
            for x in xs:
                rules.moveTo(x, block_top)
                rules.lineTo(x, bottom)

    text = TextRun(c)  # all the page's text in one object, drawn over the fills
    for kind, payload, h in entries:
        if kind == "row":
            text.font(REGULAR, size)
            baseline = top - PAD_TOP - size
            for (x, w, centre), cell in zip(cols, payload.cells, strict=False):
                y = baseline
                for line in cell:
                    if centre:
                        text.centred(x, w, y, line)
                    else:
                        text.at(x + PAD_X, y, line)
                    y -= leading
            rules.moveTo(0, top - h)
            rules.lineTo(width, top - h)
        elif kind in ("heading", "caption"):
            close_block(top)
            block_top = None
            lines = payload.lines if kind == "heading" else payload.caption
            font, fsize = (BOLD, HEADING_SIZE) if kind == "heading" else (ITALIC, CAPTION_SIZE)
            text.font(font, fsize)
            y = top - (4 if kind == "heading" and lines else 0) - fsize
            for line in lines:
                text.at(0, y, line)
                y -= fsize * 1.2
            if kind == "heading" and payload.note:
                text.font(ITALIC, NOTE_SIZE)
                y = top - len(lines) * HEADING_SIZE * 1.2 - (4 if lines else 0) - NOTE_SIZE
                for line in payload.note:
                    text.at(0, y, line)
                    y -= NOTE_SIZE * 1.2
        else:  # the header row
            block_top = top
            c.setFillColor(st.HEADER_FILL)
            c.rect(0, top - h, width, h, stroke=0, fill=1)
            text.font(BOLD, size)
            rules.moveTo(0, top)
            rules.lineTo(width, top)
            lines_h = max(len(cell) for cell in t._head_cells) * leading
            for (x, w, _), cell in zip(cols, t._head_cells, strict=False):
                # Header text centred both ways in its cell.
                y = top - PAD_TOP - (lines_h - len(cell) * leading) / 2 - size
                for line in cell:
                    text.centred(x, w, y, line)
                    y -= leading
            rules.moveTo(0, top - h)
            rules.lineTo(width, top - h)
        top -= h
    c.setFillColorRGB(0, 0, 0)
    text.draw()
    close_block(top)
    c.setLineWidth(0.5)
    c.setStrokeColor(st.GRID)
    c.drawPath(rules, stroke=1, fill=0)
