"""Working days (ngày làm việc) for procedure deadlines.

The ceremony (lễ kết nạp) and the recognition meeting (13-KNĐ) each have a
deadline of 30 working days (Quy định 294-QĐ/TW Điều 5 4.1 and 4.2). No text
defines the holidays, so a working day is Monday–Friday minus the holiday list
the office keeps (notes/domain.md "Rules to implement" 15). Days swapped to a
Saturday by a government notice (làm bù) are out of scope: the office adds the
weekday off to the list and the Saturday is simply not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

Holidays = frozenset[date]
NO_HOLIDAYS: Holidays = frozenset()
_ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Holidays = NO_HOLIDAYS) -> bool:
    """Monday–Friday and not on the office's holiday list."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, n: int, holidays: Holidays = NO_HOLIDAYS) -> date:
    """The `n`-th working day after `start` (before it for negative `n`).

    `start` itself is never counted ("trong 30 ngày làm việc kể từ ngày nhận
    quyết định": the day of receipt is day 0), so a decision received on a
    Saturday still has its first working day on Monday. `n == 0` returns
    `start` unchanged.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, holidays: Holidays = NO_HOLIDAYS) -> int:
    """Working days in (start, end]; negative when `end` is before `start`.

    The inverse of `add_working_days` on working days:
    working_days_between(s, add_working_days(s, n)) == n.
    """
    if end < start:
        return -working_days_between(end, start, holidays)
    # Counted by whole weeks (five working days each), then the days left over, then
    # the holidays on a weekday inside: a checklist judges deadlines years apart.
    weeks, extra = divmod((end - start).days, 7)
    first = start.weekday()
    count = weeks * 5 + sum(1 for i in range(1, extra + 1) if (first + i) % 7 < 5)
    return count - sum(1 for h in holidays if start < h <= end and h.weekday() < 5)


def next_working_day(day: date, holidays: Holidays = NO_HOLIDAYS) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += _ONE_DAY
    return day


def holiday_set(days: Iterable[date]) -> Holidays:
    return frozenset(days)
