"""Recognising the column headers of the Excel lists communes already keep.

Headers are compared folded (no case, no diacritics, đ → d, punctuation and
anything in brackets dropped), so "Ngày, tháng, năm sinh", "NGÀY SINH" and
"Ngày sinh (dd/mm/yyyy)" are the same column. A list usually has title rows
above the header and sometimes a second header row under merged cells
("Ngày sinh" over "Nam" | "Nữ"), then maybe a row of column numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dvdesk.domain import fields as registry
from dvdesk.domain.names import fold

_BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,2}\)?$|^\([a-z]\)$")
SCAN_ROWS = 30
_SUB_FIELDS = ("male", "female", "name_first", "name_last")


def header_key(text: object) -> str:
    """The folded form headers are compared in."""
    s = _BRACKETS.sub(" ", fold(str(text or "")))
    return " ".join(_NOT_WORD.sub(" ", s).split())


_cache: list[tuple[object, dict[str, str]]] = []


def synonyms() -> dict[str, tuple[str, ...]]:
    """Import name → the header texts it is recognised by (from domain/fields.py)."""
    return registry.import_synonyms()


def _lookup() -> dict[str, str]:
    # Built once per registry (a test may swap the registry for a scratch one).
    source = registry.MEMBER_FIELDS
    if not _cache or _cache[0][0] is not source:
        out: dict[str, str] = {}
        for name, texts in synonyms().items():
            for text in texts:
                out.setdefault(header_key(text), name)  # the first field naming a text keeps it
        _cache[:] = [(source, out)]
    return _cache[0][1]


def field_of(text: object) -> str | None:
    return _lookup().get(header_key(text))


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is and what each column holds (0-based indexes)."""

    row: int  # the header row
    data_start: int  # first data row
    fields: dict[int, str]  # column → field
    labels: dict[int, str]  # column → the header text as written in the sheet

    def column_of(self, field: str) -> int | None:
        return next((c for c, f in self.fields.items() if f == field), None)


def _fields(row: Sequence[object]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, value in enumerate(row):
        name = field_of(value)
        if name and name not in found.values():
            found[i] = name
    return found


def _has_name(fields: dict[int, str]) -> bool:
    return bool({"full_name", "name_last"} & set(fields.values()))


def is_header_like(row: Sequence[object]) -> bool:
    """A second header row or a row of column numbers "(1) (2) …"."""
    cells = [str(v).strip() for v in row if v not in (None, "")]
    return bool(cells) and all(field_of(c) or _COLUMN_NUMBER.match(fold(c)) for c in cells)


_DATE_PARTS = ("dob_day", "dob_month", "dob_year")


def _split_date(
    grid: Sequence[Sequence[object]], r: int, fields: dict[int, str], labels: dict[int, str]
) -> bool:
    """A date of birth written in three columns: "Ngày | Tháng | Năm" under a merged
    "Ngày tháng năm sinh", or "Ngày sinh | Tháng sinh | Năm sinh" side by side.
    Marks the three columns; True when the row under the header names them."""
    c = next((k for k, f in fields.items() if f == "dob"), None)
    if c is None or any(k in fields for k in (c + 1, c + 2)):
        return False

    def keys(row: Sequence[object]) -> list[str]:
        return [header_key(row[k]) if k < len(row) else "" for k in (c, c + 1, c + 2)]

    under = r + 1 < len(grid) and keys(grid[r + 1]) == ["ngay", "thang", "nam"]
    if not under and keys(grid[r]) not in (
        ["ngay sinh", "thang sinh", "nam sinh"],
        ["ngay", "thang", "nam sinh"],
    ):
        return False
    base = labels[c]
    for k, name in zip((c, c + 1, c + 2), _DATE_PARTS, strict=True):
        fields[k] = name
        labels[k] = f"{base} {str(grid[r + 1][k]).strip()}" if under else str(grid[r][k]).strip()
    return under


def find_header(grid: Sequence[Sequence[object]]) -> HeaderGuess | None:
    """The header among the first rows: the one naming most known columns, with a name."""
    best: tuple[int, int] | None = None
    for r, row in enumerate(grid[:SCAN_ROWS]):
        fields = _fields(row)
        if _has_name(fields) and len(fields) >= 2 and (best is None or len(fields) > best[1]):
            best = (r, len(fields))
    if best is None:
        return None
    r = best[0]
    fields = _fields(grid[r])
    labels = {c: str(grid[r][c]).strip() for c in fields}
    start = r + 2 if _split_date(grid, r, fields, labels) else r + 1
    while start < len(grid) and is_header_like(grid[start]):
        # A sub-header names the columns under a merged cell more precisely.
        for c, name in _fields(grid[start]).items():
            if any(f == name and k != c for k, f in fields.items()):
                continue
            if c not in fields or name in _SUB_FIELDS:
                fields[c] = name
                labels[c] = f"{labels.get(c, '')} {grid[start][c]}".strip()
        start += 1
    return HeaderGuess(r, start, fields, labels)
