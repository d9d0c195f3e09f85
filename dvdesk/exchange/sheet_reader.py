"""Reading a spreadsheet into a plain grid of cell values (đọc bảng tính).

XLSX through openpyxl (cached values, never formulas; merged cells filled with
their top-left value so a unit name merged down a block applies to each row)
and CSV in UTF-8 (with or without BOM) or the old Windows-1258 code page,
separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from dvdesk.errors import KnownError
from dvdesk.exchange.headers import find_header

MAX_ROWS = 250_000


@dataclass
class Grid:
    rows: list[list[object]]
    sheet: str  # sheet name, "" for CSV
    merged_rows: set[int]  # rows with a cell merged across several columns (0-based)
    # merged ranges as (first row, first column, last row, last column), 0-based, inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # rows hidden in the sheet (0-based)
    hidden: bool = False  # the whole sheet is hidden

    def span(self, row: int, column: int) -> tuple[int, int]:
        """The columns a cell covers (itself unless merged across)."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= column <= c1:
                return c0, c1
        return column, column


def read_grid(path: Path) -> Grid:
    """The sheet whose header names most known columns (the first sheet if none does)."""
    grids = read_grids(path)
    scored = [
        (len(h.fields) if (h := find_header(g.rows)) else 0, -i, g) for i, g in enumerate(grids)
    ]
    return max(scored, key=lambda t: (t[0], t[1]))[2]


def read_grids(path: Path) -> list[Grid]:
    """Every sheet of a workbook (one grid for a CSV), in the workbook's order."""
    if not path.is_file():
        raise KnownError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path)]
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


MAX_UNPACKED = 2 << 30  # a 250,000-row list unpacks to about 100 MB of XML
MAX_RATIO = 300  # sheet XML compresses 5–20:1; a "zip bomb" 1000:1 and more


def _check_unpacked_size(path: Path) -> None:
    """Refuse a workbook that would unpack to gigabytes before openpyxl reads any of it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise KnownError(f"Tệp “{path.name}” không phải tệp Excel .xlsx đọc được.") from exc
    total = sum(i.file_size for i in infos)
    swollen = any(
        i.file_size > (16 << 20) and i.file_size / max(i.compress_size, 1) > MAX_RATIO
        for i in infos
    )
    if total > MAX_UNPACKED or swollen:
        raise KnownError(
            f"Tệp “{path.name}” giải nén ra quá lớn ({total // (1 << 20):,} MB): không phải một "
            "danh sách bình thường, không đọc."
        )


def _read_xlsx(path: Path) -> list[Grid]:
    """Every sheet, streamed (openpyxl's read-only mode: about 40% less CPU and a fraction
    of the memory), merged cells filled with their top-left value."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    _check_unpacked_size(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise KnownError(f"Tệp “{path.name}” không phải tệp Excel .xlsx đọc được.") from exc
    grids = []
    try:
        for sheet in book.worksheets:
            rows: list[list[object]] = []
            for r in sheet.iter_rows(values_only=True):
                rows.append(list(r))
                if len(rows) > MAX_ROWS:
                    raise KnownError(f"Trang “{sheet.title}” có quá nhiều dòng (hơn {MAX_ROWS:,}).")
            while rows and not any(v not in (None, "") for v in rows[-1]):
                rows.pop()  # trailing empty rows of a formatted sheet
            try:
                with sheet._get_source() as source:
                    merged, hidden_rows = _sheet_layout(source)
            except (KeyError, OSError, AttributeError):
                merged, hidden_rows = [], set()
            width = max((len(r) for r in rows), default=0)
            width = max([width, *(c1 + 1 for _, _, r1, c1 in merged if r1 < len(rows))])
            for r in rows:
                if len(r) < width:
                    r.extend([None] * (width - len(r)))
            merged_rows: set[int] = set()
            kept = []
            for r0, c0, r1, c1 in merged:
                if r0 >= len(rows):
                    continue
                kept.append((r0, c0, r1, c1))
                top_left = rows[r0][c0]
                if c1 > c0:
                    merged_rows.update(range(r0, min(r1 + 1, len(rows))))
                for r in range(r0, min(r1 + 1, len(rows))):
                    for c in range(c0, c1 + 1):
                        rows[r][c] = top_left
            state = getattr(sheet, "sheet_state", "visible")
            hidden_rows = {r for r in hidden_rows if r < len(rows)}
            grids.append(
                Grid(rows, sheet.title, merged_rows, kept, hidden_rows, state != "visible")
            )
    finally:
        book.close()
    return grids


def _read_csv(path: Path) -> Grid:
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
