"""Reading a spreadsheet into a plain grid of cell values (đọc bảng tính).

XLSX through openpyxl (cached values, never formulas; merged cells filled with
their top-left value so a unit name merged down a block applies to each row)
and CSV in UTF-8 (with or without BOM) or the old Windows-1258 code page,
separated by commas, semicolons or tabs.

A spreadsheet comes from elsewhere and is read with bounded memory and time:
before openpyxl sees an .xlsx, its zip directory is checked (number of parts,
each part's and the total uncompressed size, the compression ratio) and each
sheet part is scanned once, streaming, for over-long text, the row count and
a cut-off end; then openpyxl reads it in read-only mode, row by row, with the
row, column and cell limits applied as it streams. A damaged file (cut short,
a missing sheet part, broken XML) is one Vietnamese message.

Hidden and very hidden sheets are never read unless named: every grid lists
every sheet of its workbook with its state, for the preview.

`open_grids` streams: each grid holds its first `HEAD_ROWS` rows (the header,
the titles above it and the rows that tell a split name column) and gives
the rest one row at a time, so an import's memory does not grow with the
sheet. `read_grids` reads every row into the grid (small uses).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import zipfile
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import IO, Any

from dvdesk.errors import KnownError
from dvdesk.exchange.headers import SCAN_ROWS, find_header

MAX_ROWS = 250_000  # rows with a value
MAX_SHEET_ROWS = 1_048_576  # Excel's own last row
MAX_COLUMNS = 256
MAX_GRID_CELLS = 8_000_000  # row width summed over the rows: ~64 MB of references
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_CSV_BYTES = 256 * 1024 * 1024
# The .xlsx archive, checked before parsing.
MAX_PARTS = 10_000
MAX_PART_BYTES = 512 * 1024 * 1024  # a 250,000-row sheet is ~100-200 MB of XML
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_SHARED_BYTES = 128 * 1024 * 1024  # the shared strings, which openpyxl keeps in memory
MAX_OTHER_PART_BYTES = 64 * 1024 * 1024  # styles, workbook, relations: parsed whole
MAX_RATIO = 100  # sheet XML compresses ~5-30:1; a bomb 1000:1
RATIO_FROM = 8 * 1024 * 1024  # small parts may compress as they like
_CHUNK = 1 << 20
# Rows a streamed grid holds: the header is within SCAN_ROWS, a split name column is
# judged on the 200 rows under it.
HEAD_ROWS = SCAN_ROWS + 250
# Text between two tags longer than this cannot be one legal cell (UTF-8, entities).
_MAX_TEXT_RUN = MAX_CELL_CHARS * 8
_ROW = re.compile(rb"<(?:\w+:)?row\b")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_END = re.compile(rb"</(?:\w+:)?worksheet>\s*$")


class SheetState(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"
    VERY_HIDDEN = "veryHidden"


STATE_LABELS = {
    SheetState.VISIBLE: "hiện",
    SheetState.HIDDEN: "ẩn",
    SheetState.VERY_HIDDEN: "ẩn hẳn, chỉ mở được bằng VBA",
}


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: SheetState

    @property
    def label(self) -> str:
        return f"“{self.name}” ({STATE_LABELS[self.state]})"


class RowSpans:
    """Row numbers as inclusive ranges: membership without a set of every row."""

    def __init__(self, spans: Sequence[tuple[int, int]] = ()) -> None:
        self.spans = sorted(spans)

    def __contains__(self, row: object) -> bool:
        return any(a <= row <= b for a, b in self.spans)  # type: ignore[operator]


@dataclass
class Grid:
    rows: list[list[object]]  # every row; for a streamed grid the first HEAD_ROWS
    sheet: str  # sheet name, "" for CSV
    merged_rows: Container[int]  # rows with a cell merged across several columns (0-based)
    # merged ranges as (first row, first column, last row, last column), 0-based, inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # rows hidden in the sheet (0-based)
    hidden: bool = False  # the whole sheet is hidden
    sheets: list[SheetInfo] = field(default_factory=list)  # every sheet of the workbook
    more: Iterator[list[object]] | None = None  # a streamed grid: the rows after `rows`
    size: int = 0  # rows expected in all (for progress; exact once read)

    def all_rows(self) -> Iterator[list[object]]:
        """Every row, streamed once: the held ones, then the rest."""
        yield from self.rows
        if self.more is not None:
            more, self.more = self.more, None
            yield from more

    def sheet_lines(self, read: Sequence[str] = ()) -> list[str]:
        """For the preview: every sheet with its state, which are read, which are not."""
        names = set(read) or {self.sheet}
        if len(self.sheets) < 2 and all(s.state is SheetState.VISIBLE for s in self.sheets):
            return []
        listed = "; ".join(
            s.label + (" — đang đọc" if s.name in names else " — không đọc") for s in self.sheets
        )
        out = [f"Các trang tính: {listed}."]
        if any(s.state is not SheetState.VISIBLE and s.name not in names for s in self.sheets):
            out.append(
                "Trang ẩn không được đọc; muốn đọc, hãy chọn trang đó (dòng lệnh: --sheet TÊN)."
            )
        return out

    def span(self, row: int, column: int) -> tuple[int, int]:
        """The columns a cell covers (itself unless merged across)."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= column <= c1:
                return c0, c1
        return column, column


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """`sheet`, or the visible sheet whose header names most known columns (the first
    visible sheet if none does)."""
    grids = read_grids(path, [sheet] if sheet else None)
    scored = [
        (len(h.fields) if (h := find_header(g.rows)) else 0, -i, g) for i, g in enumerate(grids)
    ]
    return max(scored, key=lambda t: (t[0], t[1]))[2]


def read_grids(path: Path, sheets: Sequence[str] | None = None) -> list[Grid]:
    """The sheets of a workbook (one grid for a CSV), in the workbook's order: the
    named `sheets` (hidden ones too), or else every visible sheet; every row read,
    each padded to the sheet's width."""
    with open_grids(path, sheets) as grids:
        for g in grids:
            g.rows = list(g.all_rows())
            width = max((len(r) for r in g.rows), default=0)
            g.rows = [r + [None] * (width - len(r)) if len(r) < width else r for r in g.rows]
            g.hidden_rows = {r for r in g.hidden_rows if r < len(g.rows)}
            g.size = len(g.rows)
    return grids


@contextlib.contextmanager
def open_grids(path: Path, sheets: Sequence[str] | None = None) -> Iterator[list[Grid]]:
    """As `read_grids`, streamed: each grid's rows past its first HEAD_ROWS are read as
    `all_rows()` asks for them, while the context is open (limits applied as they come)."""
    if not path.is_file():
        raise KnownError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        with _open_xlsx(path, list(sheets) if sheets else None) as grids:
            yield grids
        return
    if sheets:
        raise KnownError(f"Tệp “{path.name}” không có trang tính: chỉ chọn trang cho tệp .xlsx.")
    if suffix in (".csv", ".txt"):
        with _open_csv(path) as grid:
            yield [grid]
        return
    if suffix == ".xls":
        raise KnownError(
            "Tệp .xls (Excel 97–2003) chưa đọc được: hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    raise KnownError(f"Không đọc được loại tệp “{path.suffix}”: hãy dùng .xlsx hoặc .csv.")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?hidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_layout(source: IO[bytes]) -> tuple[list[tuple[int, int, int, int]], set[int]]:
    """Merged ranges and hidden rows of a worksheet, read from its XML in one pass
    (openpyxl's streaming reader gives neither)."""
    merged: list[tuple[int, int, int, int]] = []
    hidden: set[int] = set()
    tail = b""
    while chunk := source.read(1 << 20):
        data = tail + chunk
        # Keep the last partial tag for the next chunk.
        cut = data.rfind(b"<")
        data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        for m in _MERGE.finditer(data):
            c0, r0 = _column_index(m.group(1)), int(m.group(2)) - 1
            c1 = _column_index(m.group(3)) if m.group(3) else c0
            r1 = int(m.group(4)) - 1 if m.group(4) else r0
            merged.append((r0, c0, r1, c1))
        for m in _HIDDEN_ROW.finditer(data):
            if number := _ROW_NUMBER.search(m.group(0)):
                hidden.add(int(number.group(1)) - 1)
    return merged, hidden


def _damaged(path: Path) -> KnownError:
    return KnownError(
        f"Tệp “{path.name}” bị hỏng hoặc không phải tệp Excel .xlsx đọc được "
        "(bị cắt cụt, thiếu trang tính hoặc sai cấu trúc). Hãy mở bằng Excel, lưu lại rồi thử lại."
    )


def _too_big(path: Path, what: str) -> KnownError:
    return KnownError(
        f"Tệp “{path.name}” {what}, không đọc (nghi là tệp nén độc hại hoặc quá lớn). "
        "Hãy chỉ giữ danh sách đoàn viên rồi lưu lại."
    )


@dataclass
class _Scan:
    rows: int = 0


def _check_archive(archive: zipfile.ZipFile, path: Path) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _too_big(path, f"có quá nhiều phần ({len(infos)})")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        sheet_like = _SHEET_PART.fullmatch(info.filename) or info.filename.lower().endswith(
            "sharedstrings.xml"
        )
        if (
            info.file_size > (MAX_PART_BYTES if sheet_like else MAX_OTHER_PART_BYTES)
            or total > MAX_TOTAL_BYTES
            or (info.file_size > RATIO_FROM and ratio > MAX_RATIO)
        ):
            raise _too_big(path, "có phần giải nén ra quá lớn")


def _scan_part(archive: zipfile.ZipFile, name: str, path: Path, sheet: bool) -> _Scan:
    """One streaming pass over a part: sizes honest, no over-long text, rows, whole."""
    info = archive.getinfo(name)
    scan = _Scan()
    seen = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            if seen > info.file_size:  # the declared size lied
                raise _damaged(path)
            data = tail + chunk
            # Keep an unfinished tag for the next round so no match is cut in two.
            cut = data.rfind(b"<")
            if cut < 0 or len(data) - cut > 4096:
                cut = len(data)
            body, tail = data[:cut], data[cut:]
            if max(map(len, body.split(b"<")), default=0) > _MAX_TEXT_RUN:
                raise _too_big(path, "có ô chứa văn bản quá dài")
            if sheet:
                scan.rows += len(_ROW.findall(body))
                if scan.rows > MAX_ROWS + SCAN_ROWS:
                    raise KnownError(
                        f"Tệp “{path.name}” có quá nhiều dòng (hơn {MAX_ROWS:,}); hãy chia nhỏ."
                    )
    if len(tail) > _MAX_TEXT_RUN:
        raise _too_big(path, "có ô chứa văn bản quá dài")
    if sheet and not _END.search(tail[-64:] if tail else b""):
        raise _damaged(path)  # cut short: the closing tag is missing
    return scan


def _states(book: Any) -> list[SheetInfo]:
    out = []
    for ws in book.worksheets:
        try:
            state = SheetState(getattr(ws, "sheet_state", "visible") or "visible")
        except ValueError:
            state = SheetState.HIDDEN  # an unknown state is not shown to the user either
        out.append(SheetInfo(ws.title, state))
    return out


def _rows(ws: Any, path: Path, spent: list[int]) -> Iterator[list[object]]:
    """Stream a read-only sheet as lists, applying the limits as rows arrive; empty
    rows at the end (formatting only) are not given.

    `spent` counts the cells of the whole workbook so far (one bound for all sheets).
    """
    ws.reset_dimensions()  # a lying <dimension> must not pad every row to 16,384 cells
    seen = filled = blanks = 0  # blanks: empty rows not given yet (they may be the end)
    for row in ws.iter_rows(values_only=True):
        seen += 1
        if seen > MAX_SHEET_ROWS:
            raise _too_big(path, "có quá nhiều dòng")
        if not row:
            blanks += 1
            continue
        if len(row) > MAX_COLUMNS:
            if any(v is not None for v in row[MAX_COLUMNS:]):
                raise KnownError(
                    f"Tệp “{path.name}” có dữ liệu quá cột thứ {MAX_COLUMNS}; "
                    "hãy chỉ giữ danh sách đoàn viên."
                )
            row = row[:MAX_COLUMNS]
        spent[0] += len(row)
        if spent[0] > MAX_GRID_CELLS:
            raise _too_big(path, "có quá nhiều ô")
        values = list(row)
        for v in values:
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise _too_big(path, "có ô chứa văn bản quá dài")
        if not any(v is not None and v != "" for v in values):
            blanks += 1
            continue
        filled += 1
        if filled > MAX_ROWS:
            raise KnownError(
                f"Tệp “{path.name}” có quá nhiều dòng (hơn {MAX_ROWS:,}); hãy chia nhỏ."
            )
        for _ in range(blanks):
            yield []
        blanks = 0
        yield values


def _filled(
    rows: Iterator[list[object]], merged: list[tuple[int, int, int, int]]
) -> Iterator[list[object]]:
    """Rows with each merged range's cells holding its top-left value."""
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in merged:
        starts.setdefault(m[0], []).append(m)
    active: list[tuple[int, int, int, object]] = []  # (last row, first col, last col, value)
    for r, row in enumerate(rows):
        for _, c0, r1, c1 in starts.get(r, ()):
            active.append((r1, c0, c1, row[c0] if c0 < len(row) else None))
        if active:
            active = [a for a in active if a[0] >= r]
            for _, c0, c1, value in active:
                if len(row) <= c1:
                    row = row + [None] * (c1 + 1 - len(row))
                row[c0 : c1 + 1] = [value] * (c1 + 1 - c0)
        yield row


@contextlib.contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Hostile or broken XML, a CRC error, a missing part: one Vietnamese message
    (openpyxl raises ParseError, KeyError, ValueError, TypeError, zlib.error, …)."""
    try:
        yield
    except KnownError:
        raise
    except Exception as exc:
        raise _damaged(path) from exc


def _guarded(path: Path, rows: Iterator[list[object]]) -> Iterator[list[object]]:
    with _translated(path):
        yield from rows


@contextlib.contextmanager
def _open_xlsx(path: Path, wanted: list[str] | None) -> Iterator[list[Grid]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path) from exc
    with archive:
        _check_archive(archive, path)
        with _translated(path):
            book, sizes = _open_book(archive, path)
        try:
            with _translated(path):
                grids = _grids(book, sizes, path, wanted)
            yield grids
        finally:
            book.close()


def _open_book(archive: zipfile.ZipFile, path: Path) -> tuple[Any, dict[str, int]]:
    """The workbook in openpyxl's read-only mode, every part bounded first; and the
    rows each sheet part holds."""
    from openpyxl import load_workbook

    sizes: dict[str, int] = {}
    for name in archive.namelist():
        # openpyxl loads the shared strings whole, even in read-only mode, and parses a
        # whole sheet that has no <dimension> just to size it: bound every part first.
        if name.lower().endswith("sharedstrings.xml"):
            if archive.getinfo(name).file_size > MAX_SHARED_BYTES:
                raise _too_big(path, "có bảng chữ dùng chung quá lớn")
            _scan_part(archive, name, path, sheet=False)
        elif _SHEET_PART.fullmatch(name):
            sizes[name] = _scan_part(archive, name, path, sheet=True).rows
    listed = len(_SHEET.findall(archive.read("xl/workbook.xml")))
    book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    if len(book.sheetnames) < listed:
        book.close()
        raise _damaged(path)  # a sheet named in the workbook has no part
    return book, sizes


def _grids(book: Any, sizes: dict[str, int], path: Path, wanted: list[str] | None) -> list[Grid]:
    """The chosen sheets, each holding its first rows and streaming the rest."""
    infos = _states(book)
    if not infos:
        raise _damaged(path)
    if wanted is not None:
        known = {i.name for i in infos}
        for name in wanted:
            if name not in known:
                names = ", ".join(i.label for i in infos)
                raise KnownError(
                    f"Tệp “{path.name}” không có trang tính “{name}”. Các trang: {names}."
                )
        chosen = [i.name for i in infos if i.name in wanted]
    else:
        chosen = [i.name for i in infos if i.state is SheetState.VISIBLE]
        if not chosen:
            raise KnownError(
                f"Tệp “{path.name}” không có trang tính nào đang hiện; hãy chọn trang "
                "cần đọc (dòng lệnh: --sheet TÊN)."
            )
    by_name = {ws.title: ws for ws in book.worksheets}
    states = {i.name: i.state for i in infos}
    spent = [0]
    grids = []
    for title in chosen:
        sheet = by_name[title]
        with sheet._get_source() as source:
            found, hidden_rows = _sheet_layout(source)
        merged = [
            (r0, c0, r1, min(c1, MAX_COLUMNS - 1)) for r0, c0, r1, c1 in found if c0 < MAX_COLUMNS
        ]
        across = RowSpans([(r0, r1) for r0, c0, r1, c1 in merged if c1 > c0])
        rows = _guarded(path, _filled(_rows(sheet, path, spent), merged))
        head = list(islice(rows, HEAD_ROWS))
        hidden = states[title] is not SheetState.VISIBLE
        size = max(sizes.get(getattr(sheet, "_worksheet_path", ""), 0), len(head))
        grids.append(Grid(head, title, across, merged, hidden_rows, hidden, infos, rows, size))
    return grids


def _encoding(path: Path) -> tuple[str, int]:
    """The file's text encoding (UTF-8 with or without BOM, else Windows-1258) and its
    line count, in one pass that keeps nothing."""
    for encoding in ("utf-8-sig", "cp1258"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines + 1
    raise KnownError(f"Tệp “{path.name}” không phải văn bản UTF-8: hãy lưu lại dạng CSV UTF-8.")


@contextlib.contextmanager
def _open_csv(path: Path) -> Iterator[Grid]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _too_big(path, f"lớn hơn {MAX_CSV_BYTES // (1024 * 1024)} MB")
    encoding, lines = _encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                f.read(8192), delimiters=",;\t"
            )
        except csv.Error:
            dialect = csv.excel
        f.seek(0)
        reader = csv.reader(f, dialect)

        def rows() -> Iterator[list[object]]:
            count = 0
            try:
                for r in reader:
                    count += 1
                    if count > MAX_ROWS:
                        raise KnownError(f"Tệp “{path.name}” có quá nhiều dòng (hơn {MAX_ROWS:,}).")
                    yield r  # type: ignore[misc]
            except csv.Error as exc:
                # e.g. a cell over the csv module's field limit (131,072 characters)
                raise KnownError(
                    f"Tệp “{path.name}” có ô quá dài hoặc sai định dạng CSV ở dòng "
                    f"{reader.line_num}: hãy mở bằng Excel, kiểm tra dòng đó rồi lưu lại."
                ) from exc

        stream = rows()
        head = list(islice(stream, HEAD_ROWS))
        yield Grid(head, "", set(), more=stream, size=max(lines, len(head)))
