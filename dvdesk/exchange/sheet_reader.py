"""Reading a spreadsheet into a plain grid of cell values (đọc bảng tính).

XLSX through openpyxl (cached values, never formulas; merged cells filled with
their top-left value so a unit name merged down a block applies to each row)
and CSV in UTF-8 (with or without BOM) or the old Windows-1258 code page,
separated by commas, semicolons or tabs.

A spreadsheet comes from elsewhere and is read with bounded memory and time:
before openpyxl sees an .xlsx, its zip directory is checked (number of parts,
each part's and the total uncompressed size, the compression ratio) and each
sheet part is scanned once, streaming, for over-long text, the row count and
the merged ranges; then openpyxl reads it in read-only mode, row by row, with
the row, column and cell limits applied as it streams. A damaged file (cut
short, a missing sheet part, broken XML) is one Vietnamese message.

Hidden and very hidden sheets are never chosen by themselves: the grid lists
every sheet with its state, and a caller may name the sheet it wants.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Any

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
MAX_RATIO = 100  # sheet XML compresses ~10-30:1; a bomb 1000:1
RATIO_FROM = 8 * 1024 * 1024  # small parts may compress as they like
_CHUNK = 1 << 20
# Text between two tags longer than this cannot be one legal cell (UTF-8, entities).
_MAX_TEXT_RUN = MAX_CELL_CHARS * 8
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")
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
    SheetState.VERY_HIDDEN: "ẩn hẳn (chỉ mở được bằng VBA)",
}


@dataclass(frozen=True)
class SheetInfo:
    name: str
    state: SheetState

    @property
    def label(self) -> str:
        return f"“{self.name}” ({STATE_LABELS[self.state]})"


@dataclass
class Grid:
    rows: list[list[object]]
    sheet: str  # sheet name, "" for CSV
    merged_rows: set[int]  # rows with a cell merged across several columns (0-based)
    sheets: list[SheetInfo] = field(default_factory=list)  # every sheet of the workbook

    def sheet_lines(self) -> list[str]:
        """For the preview: every sheet with its state, and which one is read."""
        if len(self.sheets) < 2 and all(s.state is SheetState.VISIBLE for s in self.sheets):
            return []
        listed = "; ".join(
            s.label + (" — đang đọc" if s.name == self.sheet else "") for s in self.sheets
        )
        return [f"Các trang tính: {listed}."]


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """The grid of `path`; for a workbook, of `sheet` or else the best visible sheet."""
    if not path.is_file():
        raise KnownError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if sheet:
        raise KnownError(f"Tệp “{path.name}” không có trang tính: chỉ chọn trang cho tệp .xlsx.")
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise KnownError(
            "Tệp .xls (Excel 97–2003) chưa đọc được: hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    raise KnownError(f"Không đọc được loại tệp “{path.suffix}”: hãy dùng .xlsx hoặc .csv.")


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
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based, inclusive


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


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
    """One streaming pass over a part: sizes honest, no over-long text, rows, merges."""
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
                for m in _MERGE.finditer(body):
                    c1, r1, c2, r2 = _column(m[1]), int(m[2]), _column(m[3]), int(m[4])
                    if r1 <= r2 <= MAX_SHEET_ROWS and c1 <= c2:
                        scan.merges.append((r1, c1, r2, min(c2, MAX_COLUMNS)))
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


def _rows(ws: Any, path: Path, limit: int | None) -> list[list[object]]:
    """Stream a read-only sheet into lists, applying the limits as rows arrive."""
    ws.reset_dimensions()  # a lying <dimension> must not pad every row to 16,384 cells
    rows: list[list[object]] = []
    filled = cells = 0
    empty: list[object] = []
    for row in ws.iter_rows(values_only=True):
        if len(rows) >= MAX_SHEET_ROWS:
            raise _too_big(path, "có quá nhiều dòng")
        if not row:
            rows.append(empty)
            continue
        if len(row) > MAX_COLUMNS:
            if any(v is not None for v in row[MAX_COLUMNS:]):
                raise KnownError(
                    f"Tệp “{path.name}” có dữ liệu quá cột thứ {MAX_COLUMNS}; "
                    "hãy chỉ giữ danh sách đoàn viên."
                )
            row = row[:MAX_COLUMNS]
        cells += len(row)
        if cells > MAX_GRID_CELLS:
            raise _too_big(path, "có quá nhiều ô")
        values = list(row)
        for v in values:
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                raise _too_big(path, "có ô chứa văn bản quá dài")
        if any(v is not None and v != "" for v in values):
            filled += 1
            if filled > MAX_ROWS:
                raise KnownError(
                    f"Tệp “{path.name}” có quá nhiều dòng (hơn {MAX_ROWS:,}); hãy chia nhỏ."
                )
        rows.append(values)
        if limit is not None and len(rows) >= limit:
            break
    while rows and not any(v is not None and v != "" for v in rows[-1]):
        rows.pop()  # trailing empty rows (formatting only)
    return rows


def _fill_merged(rows: list[list[object]], merges: list[tuple[int, int, int, int]]) -> set[int]:
    merged_rows: set[int] = set()
    for r1, c1, r2, c2 in merges:
        if r1 > len(rows):
            continue
        top = rows[r1 - 1]
        top_left = top[c1 - 1] if c1 - 1 < len(top) else None
        if c2 > c1:
            merged_rows.update(range(r1 - 1, min(r2, len(rows))))
        for r in range(r1 - 1, min(r2, len(rows))):
            if len(rows[r]) < c2:
                rows[r] = rows[r] + [None] * (c2 - len(rows[r]))
            for c in range(c1 - 1, c2):
                rows[r][c] = top_left
    return merged_rows


def _read_xlsx(path: Path, wanted: str | None) -> Grid:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(path) from exc
    with archive:
        _check_archive(archive, path)
        try:
            return _read_book(archive, path, wanted)
        except KnownError:
            raise
        except Exception as exc:
            # Hostile or broken XML, a CRC error, a missing part: openpyxl raises
            # ParseError, KeyError, ValueError, TypeError, zlib.error, EOFError, …
            raise _damaged(path) from exc


def _read_book(archive: zipfile.ZipFile, path: Path, wanted: str | None) -> Grid:
    from openpyxl import load_workbook

    listed = len(_SHEET.findall(archive.read("xl/workbook.xml")))
    scans: dict[str, _Scan] = {}
    for name in archive.namelist():
        # openpyxl loads the shared strings whole, even in read-only mode, and parses a
        # whole sheet that has no <dimension> just to size it: bound every part first.
        if name.lower().endswith("sharedstrings.xml"):
            if archive.getinfo(name).file_size > MAX_SHARED_BYTES:
                raise _too_big(path, "có bảng chữ dùng chung quá lớn")
            _scan_part(archive, name, path, sheet=False)
        elif _SHEET_PART.fullmatch(name):
            scans[name] = _scan_part(archive, name, path, sheet=True)
    book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheets = _states(book)
        if not sheets or len(book.sheetnames) < listed:
            raise _damaged(path)  # a sheet named in the workbook has no part
        by_name = {ws.title: ws for ws in book.worksheets}
        parts = {ws.title: ws._worksheet_path for ws in book.worksheets}
        if wanted is not None:
            if wanted not in by_name:
                names = ", ".join(s.label for s in sheets)
                raise KnownError(
                    f"Tệp “{path.name}” không có trang tính “{wanted}”. Các trang: {names}."
                )
            chosen = wanted
        else:
            visible = [s.name for s in sheets if s.state is SheetState.VISIBLE]
            if not visible:
                raise KnownError(
                    f"Tệp “{path.name}” không có trang tính nào đang hiện; hãy chọn trang "
                    "cần đọc (dòng lệnh: --sheet TÊN)."
                )
            chosen = _best(visible, by_name, path)
        scan = scans.get(parts[chosen]) or _scan_part(archive, parts[chosen], path, sheet=True)
        rows = _rows(by_name[chosen], path, None)
        merged_rows = _fill_merged(rows, scan.merges)
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return Grid(rows, chosen, merged_rows, sheets)


def _best(names: list[str], by_name: dict[str, Any], path: Path) -> str:
    """The visible sheet whose header names most known columns; the first if none does."""
    if len(names) == 1:
        return names[0]
    scored = []
    for i, name in enumerate(names):
        head = _rows(by_name[name], path, SCAN_ROWS + 5)
        width = max((len(r) for r in head), default=0)
        guess = find_header([r + [None] * (width - len(r)) for r in head])
        scored.append((len(guess.fields) if guess else 0, -i, name))
    return max(scored)[2]


def _read_csv(path: Path) -> Grid:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _too_big(path, f"lớn hơn {MAX_CSV_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise KnownError(f"Tệp “{path.name}” không phải văn bản UTF-8: hãy lưu lại dạng CSV UTF-8.")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    # Stop one row past the limit: a million-row file must not become a million lists.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = [list(r) for r in islice(reader, MAX_ROWS + 1)]
    except csv.Error as exc:
        # e.g. a cell over the csv module's field limit (131,072 characters)
        raise KnownError(
            f"Tệp “{path.name}” có ô quá dài hoặc sai định dạng CSV ở dòng {reader.line_num}: "
            "hãy mở bằng Excel, kiểm tra dòng đó rồi lưu lại."
        ) from exc
    if len(rows) > MAX_ROWS:
        raise KnownError(f"Tệp “{path.name}” có quá nhiều dòng (hơn {MAX_ROWS:,}).")
    width = max((len(r) for r in rows), default=0)
    return Grid([r + [None] * (width - len(r)) for r in rows], "", set())
