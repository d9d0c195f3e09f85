"""Reading a spreadsheet into a plain grid of cell values (đọc bảng tính).

XLSX through openpyxl (cached values, never formulas; merged cells filled with
their top-left value so a unit name merged down a block applies to each row)
and CSV in UTF-8 (with or without BOM) or the old Windows-1258 code page,
separated by commas, semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from dvdesk.errors import KnownError
from dvdesk.exchange.headers import find_header

MAX_ROWS = 250_000


@dataclass
class Grid:
    rows: list[list[object]]
    sheet: str  # sheet name, "" for CSV
    merged_rows: set[int]  # rows with a cell merged across several columns (0-based)


def read_grid(path: Path) -> Grid:
    if not path.is_file():
        raise KnownError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise KnownError(
            "Tệp .xls (Excel 97–2003) chưa đọc được: hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    raise KnownError(f"Không đọc được loại tệp “{path.suffix}”: hãy dùng .xlsx hoặc .csv.")


def _read_xlsx(path: Path) -> Grid:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise KnownError(f"Tệp “{path.name}” không phải tệp Excel .xlsx đọc được.") from exc
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS:
            raise KnownError(f"Trang “{sheet.title}” có quá nhiều dòng ({sheet.max_row}).")
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        merged_rows: set[int] = set()
        for rng in sheet.merged_cells.ranges:
            top_left = rows[rng.min_row - 1][rng.min_col - 1]
            if rng.max_col > rng.min_col:
                merged_rows.update(range(rng.min_row - 1, rng.max_row))
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                for c in range(rng.min_col - 1, rng.max_col):
                    rows[r][c] = top_left
        grids.append(Grid(rows, sheet.title, merged_rows))
    book.close()
    # The sheet whose header names most known columns; the first one if none does.
    scored = [
        (len(h.fields) if (h := find_header(g.rows)) else 0, -i, g) for i, g in enumerate(grids)
    ]
    return max(scored, key=lambda t: (t[0], t[1]))[2]


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
