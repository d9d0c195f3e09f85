"""CSV files as packages and spreadsheets carry them: UTF-8 with BOM, CRLF lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM so Excel on Windows shows Vietnamese letters correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def dict_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a UTF-8 CSV (BOM optional).

    Raises:
        UnicodeDecodeError: not UTF-8.
        ValueError: a row with another number of cells than the header (its line number).
    """
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = []
    for r in reader:
        if not any(r):
            continue
        if len(r) != len(header):
            raise ValueError(reader.line_num)
        rows.append(dict(zip(header, r, strict=True)))
    return header, rows
