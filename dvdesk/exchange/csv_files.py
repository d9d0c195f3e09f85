"""CSV files as packages and spreadsheets carry them: UTF-8 with BOM, CRLF lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM so Excel on Windows shows Vietnamese letters correctly.

    Encoded as it is written, so a large table is held once, as bytes.
    """
    buf = io.BytesIO()
    with io.TextIOWrapper(buf, encoding="utf-8", newline="", write_through=True) as text:
        text.write(BOM)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        text.flush()
        return buf.getvalue()


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
