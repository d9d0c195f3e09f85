"""Working days: Mon–Fri minus the office's holidays (dates checked on a 2026 calendar)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dvdesk.domain.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)

TET_2026 = frozenset(date(2026, 2, d) for d in range(14, 23))  # Sat 14/2 … Sun 22/2
MAY_DAY = frozenset({date(2026, 4, 30), date(2026, 5, 1)})
NEW_YEAR = frozenset({date(2026, 1, 1)})


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        (date(2026, 1, 2), 1, frozenset(), date(2026, 1, 5)),  # Fri → Mon
        (date(2026, 1, 3), 1, frozenset(), date(2026, 1, 5)),  # Sat → Mon
        (date(2026, 1, 4), 0, frozenset(), date(2026, 1, 4)),  # n = 0: unchanged, even Sun
        (date(2026, 1, 5), 5, frozenset(), date(2026, 1, 12)),  # a full week
        (date(2026, 3, 2), 30, frozenset(), date(2026, 4, 13)),  # six weeks
        (date(2026, 4, 15), 30, frozenset(), date(2026, 5, 27)),
        (date(2026, 4, 15), 30, MAY_DAY, date(2026, 5, 29)),  # 30/4 and 1/5 skipped
        (date(2026, 2, 13), 1, TET_2026, date(2026, 2, 23)),  # the whole Tết week skipped
        (date(2025, 12, 31), 1, NEW_YEAR, date(2026, 1, 2)),  # across the year end
        (date(2026, 1, 5), -1, frozenset(), date(2026, 1, 2)),  # backwards over a weekend
        (date(2026, 1, 5), -2, NEW_YEAR, date(2025, 12, 31)),
        (date(2026, 2, 28), 30, TET_2026, date(2026, 4, 10)),  # from a Saturday month end
    ],
)
def test_add_working_days(start: date, n: int, holidays: frozenset[date], expected: date):
    assert add_working_days(start, n, holidays) == expected


@pytest.mark.parametrize(
    ("start", "end", "holidays", "expected"),
    [
        (date(2026, 1, 5), date(2026, 1, 5), frozenset(), 0),
        (date(2026, 1, 2), date(2026, 1, 5), frozenset(), 1),  # Fri → Mon
        (date(2026, 1, 3), date(2026, 1, 4), frozenset(), 0),  # a weekend
        (date(2026, 5, 14), date(2026, 5, 29), MAY_DAY, 11),
        (date(2026, 2, 13), date(2026, 2, 23), TET_2026, 1),
        (date(2026, 1, 12), date(2026, 1, 5), frozenset(), -5),
    ],
)
def test_working_days_between(start: date, end: date, holidays: frozenset[date], expected: int):
    assert working_days_between(start, end, holidays) == expected


@pytest.mark.parametrize("n", [0, 1, 4, 5, 23, 30, 61])
@pytest.mark.parametrize("start", [date(2026, 2, 12), date(2026, 4, 29), date(2026, 12, 31)])
def test_between_inverts_add(start: date, n: int):
    holidays = TET_2026 | MAY_DAY
    assert working_days_between(start, add_working_days(start, n, holidays), holidays) == n


@pytest.mark.parametrize(
    ("day", "holidays", "working", "next_day"),
    [
        (date(2026, 1, 1), NEW_YEAR, False, date(2026, 1, 2)),
        (date(2026, 1, 1), frozenset(), True, date(2026, 1, 1)),
        (date(2026, 1, 3), frozenset(), False, date(2026, 1, 5)),
        (date(2026, 2, 16), TET_2026, False, date(2026, 2, 23)),
    ],
)
def test_is_working_day(day: date, holidays: frozenset[date], working: bool, next_day: date):
    assert is_working_day(day, holidays) is working
    assert next_working_day(day, holidays) == next_day


def test_between_counts_as_walking_day_by_day():
    """The week arithmetic against the plain count of each day in (start, end]."""
    import random

    from dvdesk.domain.workdays import is_working_day

    rng = random.Random(7)
    base = date(2024, 1, 1)
    for _ in range(2000):
        start = base + timedelta(days=rng.randrange(0, 1500))
        end = start + timedelta(days=rng.randrange(-800, 800))
        holidays = frozenset(base + timedelta(days=rng.randrange(0, 2400)) for _ in range(40))
        low, high = min(start, end), max(start, end)
        walked = sum(
            is_working_day(low + timedelta(days=i), holidays)
            for i in range(1, (high - low).days + 1)
        )
        assert working_days_between(start, end, holidays) == (walked if end >= start else -walked)
