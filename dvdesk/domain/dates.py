"""Dates as commune records hold them: full, month/year, or year only.

A date of birth (ngày sinh) in old Youth Union books is often only a year
("2008") or a month and year ("03/2008"). `PartialDate` keeps what is known and
never invents the rest; the eligibility rule turns it into a range.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Precision(StrEnum):
    """How much of a date is known (độ chính xác của ngày)."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateError(ValueError):
    """A date that cannot be read or does not exist; `str()` is Vietnamese."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, to the month, or to the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise DateError(f"Năm {self.year} không hợp lệ.")
        if self.month is None and self.day is not None:
            raise DateError("Có ngày mà không có tháng.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(f"Tháng {self.month} không hợp lệ.")
        if self.day is not None:
            assert self.month is not None
            if not 1 <= self.day <= days_in_month(self.year, self.month):
                if self.month == 2 and self.day == 29:
                    raise DateError(f"Năm {self.year} không nhuận, không có ngày 29/02.")
                raise DateError(f"Ngày {self.day:02d}/{self.month:02d}/{self.year} không tồn tại.")

    @classmethod
    def of(cls, d: date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def earliest(self) -> date:
        """First day the date could be."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Last day the date could be."""
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return date(self.year, month, day)

    def as_date(self) -> date:
        if not self.is_full:
            raise DateError("Ngày chưa đầy đủ.")
        return self.earliest()

    def iso(self) -> str:
        """ISO text as stored and exported: YYYY-MM-DD, YYYY-MM or YYYY."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def vi(self) -> str:
        """Vietnamese display: dd/mm/yyyy, mm/yyyy or yyyy."""
        if self.day is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.vi()


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """28–31; a table, not `calendar.monthrange`, because imports call this millions of times."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, the day clamped to the target month's last day.

    31/05 + 1 month = 30/06; 29/02/2008 + 216 months = 28/02/2026 (the civil
    code's rule for a term counted in months that ends on a missing day).
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(d.day, days_in_month(year, month0 + 1)))


def fmt(d: date | None) -> str:
    """dd/mm/yyyy, or an empty string for no date."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_SLASHED = re.compile(r"^(?:(\d{1,2})[/.\-])?(\d{1,2})[/.\-](\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")


def _year(text: str, pivot: int) -> int:
    """Four-digit year; a two-digit one belongs to the century that keeps it <= pivot."""
    y = int(text)
    if len(text) == 2:
        y += 2000 if 2000 + y <= pivot else 1900
    return y


def parse_date(text: str | None, *, pivot_year: int = 2030) -> PartialDate | None:
    """Read a date as a clerk types it; None for empty text.

    Accepted: 2008-03-25, 2008-03, 2008, 25/03/2008, 25-03-2008, 25.03.2008,
    5/3/08, 25032008, 03/2008 (a month needs a four-digit year). Two-digit
    years fall in the century that keeps
    them at or before `pivot_year`.

    Raises:
        DateError: unreadable text or a day that does not exist (30/02,
            29/02 of a non-leap year), with a Vietnamese message.
    """
    if text is None:
        return None
    s = text.strip()
    if not s:
        return None
    if m := _ISO.match(s):
        y, mo, d = m.groups()
        return PartialDate(int(y), int(mo) if mo else None, int(d) if d else None)
    if m := _COMPACT.match(s):
        d, mo, y = m.groups()
        return PartialDate(int(y), int(mo), int(d))
    if (m := _SLASHED.match(s)) and (m[1] or len(m[3]) == 4):
        # "05/08" is refused rather than read as 05/2008: a clerk may mean 5 August.
        d, mo, y = m.groups()
        return PartialDate(_year(y, pivot_year), int(mo), int(d) if d else None)
    raise DateError(f"Không đọc được ngày “{s}”: hãy gõ dd/mm/yyyy, ví dụ 25/03/2008.")


def parse_full_date(text: str, *, pivot_year: int = 2030) -> date:
    """A date that must be known to the day (a consideration date, a document date)."""
    pd = parse_date(text, pivot_year=pivot_year)
    if pd is None:
        raise DateError("Chưa nhập ngày.")
    if not pd.is_full:
        raise DateError(f"Cần ngày đầy đủ dd/mm/yyyy, không chỉ “{pd.vi()}”.")
    return pd.as_date()


def parse_option_date(text: str | None, option: str) -> date | None:
    """A full date given for a command-line option; the message names the option."""
    if text is None:
        return None
    try:
        return parse_full_date(text)
    except DateError as exc:
        raise DateError(f"{option}: {exc}") from exc
