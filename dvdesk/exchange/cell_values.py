"""Cell values as clerks type them, turned into domain values (giá trị ô).

Dates come as real date cells, Excel serial numbers, dd/mm/yyyy text or a
year alone; CCCD and phone numbers typed as numbers have lost their leading
zero; genders are "Nam"/"Nữ" or a mark in a Nam or Nữ column. Each reader
raises `ValueError` with a Vietnamese message.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from dvdesk.domain.dates import DateError, PartialDate, fmt, parse_date
from dvdesk.domain.member import Gender
from dvdesk.domain.names import fold
from dvdesk.exchange.cells import FORMULA_STARTS

EXCEL_EPOCH = date(1899, 12, 30)  # for serials from 61 on (1900-03-01)
# What cells.escape_cell escapes (full-width and small forms too): one list.
_ESCAPED = FORMULA_STARTS
MARKS = {"x", "v", "1", "co", "\u2713", "\u2714", "+"}
# What a clerk types in a cell to say "not known": read as an empty cell.
PLACEHOLDERS = frozenset(("-", "--", "–", "—", "…", "...", "?", "??", "/"))


def text(value: object) -> str:
    """Cell as trimmed text; whole numbers without ".0", dates as dd/mm/yyyy."""
    if type(value) is str:  # most cells (every CSV cell): one test, not six
        if value[:1] == "'" and value[1:2] in _ESCAPED:
            value = value[1:]  # dvdesk's own exports escape formula-looking text
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return fmt(value.date())
    if isinstance(value, date):
        return fmt(value)
    s = str(value)
    if s[:1] == "'" and s[1:2] in _ESCAPED:
        s = s[1:]  # dvdesk's own exports escape formula-looking text (cells.escape_cell)
    return " ".join(s.split())


def _serial(number: float) -> PartialDate:
    """Excel's day number: 1 = 1900-01-01. Excel counts a 29 February 1900 that never
    was (serial 60), so serials 1-59 are one day later than the epoch for the rest."""
    days = int(number)
    if days == 60:
        raise ValueError("Số 60 là ngày 29/02/1900 của Excel, không có thật.")
    if days < 60:
        return PartialDate.of(date(1899, 12, 31) + timedelta(days=days))
    return PartialDate.of(EXCEL_EPOCH + timedelta(days=days))


_SPELLED = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$")
_SPACED = re.compile(r"\s*([/.-])\s*")


def _spelled_date(s: str) -> str:
    """ "Ngày 05 tháng 3 năm 2008", "05 / 03 / 2008", "05/03/2008." as dd/mm/yyyy."""
    if m := _SPELLED.match(fold(s)):
        return "/".join(m.groups())
    s = s.rstrip(".").strip()
    return s if any(ch.isalpha() for ch in s) else _SPACED.sub(r"\1", s)


def read_date(value: object) -> PartialDate | None:
    if value is None or value == "":
        return None
    if type(value) is str:
        return _text_date(value)
    if isinstance(value, datetime):
        return PartialDate.of(value.date())
    if isinstance(value, date):
        return PartialDate.of(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return PartialDate(int(value))  # a year alone
        if 1 <= value < 2958466:
            return _serial(value)
        raise ValueError(f"Số “{value}” không phải là ngày.")
    return _text_date(text(value))


@lru_cache(maxsize=1 << 16)
def _text_date(value: str) -> PartialDate | None:
    # A list has a few thousand distinct dates: each text is read once (PartialDate is frozen).
    s = text(value).lstrip("'‘’")  # "'05/03/2008": the apostrophe that kept it text
    if not s or s in PLACEHOLDERS:
        return None
    if s.isdigit() and len(s) == 5:
        return _serial(int(s))  # a serial number saved as text by a CSV export
    if " " in s or s.endswith("."):
        s = _spelled_date(s)
    # "25/03/2008 00:00:00" from a date column saved as text: keep the date part.
    first = s.split(" ")[0] if " " in s and any(ch in s for ch in "/-.") else s
    try:
        return parse_date(first)
    except DateError as exc:
        raise ValueError(str(exc)) from exc


def read_date_parts(day: object, month: object, year: object) -> PartialDate | None:
    """A date of birth typed in three cells (ngày | tháng | năm); the day or the
    day and month may be empty."""
    d, m, y = (text(v) for v in (day, month, year))
    if not (d or m or y):
        return None
    if not y or (d and not m):
        raise ValueError(f"Ngày sinh “{d}/{m}/{y}” thiếu tháng hoặc năm.")
    if len(y) != 4:
        raise ValueError(f"Năm sinh “{y}” cần đủ 4 chữ số.")
    return _text_date("/".join(p for p in (d, m, y) if p))


_PAIR = re.compile(r"\s*[-–/,;]\s*")


def pair(value: object) -> tuple[str, str]:
    """One cell holding two values: "Kinh - Không" → ("Kinh", "Không")."""
    parts = [p for p in _PAIR.split(text(value), maxsplit=1) if p] + ["", ""]
    return parts[0], parts[1]


def read_gender(value: object) -> Gender | None:
    key = fold(text(value))
    if not key or key in PLACEHOLDERS:
        return None
    if key in ("nam", "m", "male", "trai", "nam gioi"):
        return Gender.MALE
    if key in ("nu", "f", "female", "gai", "nu gioi"):
        return Gender.FEMALE
    raise ValueError(f"Giới tính “{text(value)}” không rõ: cần “Nam” hoặc “Nữ”.")


def is_mark(value: object) -> bool:
    return fold(text(value)) in MARKS


def code(value: object) -> str:
    """A number kept as text (CCCD): without spaces, dots, dashes, or the apostrophe a
    clerk types to keep the leading zero (it stays in the text when pasted or in a CSV)."""
    s = text(value).lstrip("'‘’").replace(" ", "").replace(".", "").replace("-", "")
    return "" if s in PLACEHOLDERS else s


def digits(value: object, length: int) -> str:
    """A number typed as a number: put back the leading zeros Excel dropped."""
    s = code(value)
    if s.isdigit() and isinstance(value, int | float) and len(s) < length:
        return s.zfill(length)
    return s


def phone(value: object) -> str:
    s = text(value).replace(" ", "").replace(".", "")
    if isinstance(value, int | float) and s.isdigit() and len(s) == 9:
        return "0" + s  # 912345678 typed as a number was 0912345678
    return s


def year(value: object) -> int | None:
    s = text(value)
    if not s:
        return None
    if s.isdigit() and len(s) == 4:
        return int(s)
    raise ValueError(f"“{s}” không phải là năm.")


def number(value: object) -> int | None:
    s = text(value).replace(".", "").replace(" ", "")
    if not s:
        return None
    if s.isdigit():
        return int(s)
    raise ValueError(f"“{text(value)}” không phải là số.")
