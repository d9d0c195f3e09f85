"""Period statistics (notes/domain.md §8) against figures computed by hand."""

from __future__ import annotations

import pytest

from dvdesk.domain.member import UnitKind
from dvdesk.domain.statistics import (
    ADMITTED_STEP,
    COURSE_STEP,
    INTRODUCED_STEP,
    TargetProgress,
    YearTotals,
    active_years,
    compute,
)

R, S = UnitKind.RESIDENTIAL, UnitKind.SCHOOL
IN, C, A = INTRODUCED_STEP, COURSE_STEP, ADMITTED_STEP
COUNTS = {
    (2019, IN, R): 4, (2019, C, R): 3, (2019, A, R): 1,
    (2019, IN, S): 2, (2019, C, S): 1,
    (2020, IN, R): 3, (2020, C, R): 4, (2020, A, R): 2,
    (2020, IN, S): 1, (2020, C, S): 2, (2020, A, S): 1,
    (2021, A, R): 1,
    (2018, IN, R): 9, (2023, A, S): 7,  # outside the period: never counted in it
}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "kind", "introduced", "course", "admitted", "per_introduced", "per_course"),
    [
        (2019, R, 4, 3, 1, 1 / 4, 1 / 3),
        (2019, S, 2, 1, 0, 0.0, 0.0),
        (2019, None, 6, 4, 1, 1 / 6, 1 / 4),
        (2020, R, 3, 4, 2, 2 / 3, 2 / 4),
        (2020, S, 1, 2, 1, 1.0, 0.5),
        (2020, None, 4, 6, 3, 3 / 4, 3 / 6),
        (2021, R, 0, 0, 1, None, None),  # admitted with nobody introduced that year: no ratio
        (2021, None, 0, 0, 1, None, None),
        (2022, None, 0, 0, 0, None, None),
    ],
)
def test_year_rows_are_period_counts(
    year, kind, introduced, course, admitted, per_introduced, per_course
):
    r = compute(COUNTS, 2019, 2022).row(year, kind)
    assert (r.introduced, r.course, r.admitted) == (introduced, course, admitted)
    assert r.admitted_per_introduced == pytest.approx(per_introduced)
    assert r.admitted_per_course == pytest.approx(per_course)


def test_the_period_and_the_students():
    stats = compute(COUNTS, 2019, 2022)
    assert stats.years == (2019, 2020, 2021, 2022)
    total = stats.span(None)
    # 2019–2022: introduced 6 + 4 = 10, course 4 + 6 = 10, admitted 1 + 3 + 1 = 5
    assert (total.introduced, total.course, total.admitted) == (10, 10, 5)
    assert (total.admitted_per_introduced, total.admitted_per_course) == (0.5, 0.5)
    students = stats.students
    assert (students.introduced, students.course, students.admitted) == (3, 3, 1)
    assert students.admitted_per_introduced == pytest.approx(1 / 3)


def test_a_year_does_not_change_when_later_years_are_added():
    alone = compute(COUNTS, 2019, 2019).row(2019, None)
    later = {**COUNTS, (2024, A, R): 5, (2025, IN, S): 3}
    assert compute(later, 2019, 2025).row(2019, None) == alone


def test_the_directive_figures_come_out():
    # 1237-CV/TU: 2019–2022, 36.7% of those introduced, 57.1% of those who took the course
    counts = {(2019, IN, R): 30, (2019, C, R): 21, (2022, A, R): 11, (2021, IN, R): 0}
    total = compute(counts, 2019, 2022).span(None)
    assert round(100 * total.admitted_per_introduced, 1) == 36.7
    assert round(100 * total.admitted_per_course, 1) == 52.4


def test_active_years():
    assert active_years(COUNTS) == (2018, 2023)
    assert active_years({}) is None


TOTALS = {
    2019: YearTotals(2019, 100, 2, "Báo cáo tổng kết năm 2019"),
    2020: YearTotals(2020, 104, None),
    2022: YearTotals(2022, 0, 0),
}


@pytest.mark.parametrize(
    ("year", "tracked", "new", "percent", "low", "high", "reached"),
    [
        # 2019: 1 tracked + 2 outside = 3 of 100 at the start: 3.0%, target 3% reached
        (2019, 1, 3, 3.0, 3, 4, True),
        # 2020: outside admissions not entered: no percentage, the needed counts are known
        (2020, 3, None, None, 4, 5, None),
        # 2021: nothing entered: missing, never "not reached"
        (2021, 1, None, None, None, None, None),
        (2022, 0, 0, None, None, None, None),  # a total of 0 cannot be divided
    ],
)
def test_target_per_year_from_entered_figures(year, tracked, new, percent, low, high, reached):
    t = next(t for t in compute(COUNTS, 2019, 2022, TOTALS, 3.0).targets if t.year == year)
    assert (t.admitted, t.new_members, t.low, t.high, t.reached) == (
        tracked,
        new,
        low,
        high,
        reached,
    )
    assert t.percent == (None if percent is None else pytest.approx(percent))


@pytest.mark.parametrize(
    ("members", "percent", "needed"), [(100, 3.0, 3), (101, 3.0, 4), (50, 4.0, 2), (33, 3.0, 1)]
)
def test_needed_rounds_up(members, percent, needed):
    assert TargetProgress(2024, 0, 0, members, percent).target == needed


def test_source_and_json():
    t = compute(COUNTS, 2019, 2019, TOTALS).targets[0]
    assert t.as_json() == {
        "year": 2019,
        "party_members_at_start": 100,
        "admitted_tracked": 1,
        "admitted_outside": 2,
        "new_members": 3,
        "percent": 3.0,
        "target_percent": 3.0,
        "needed_low": 3,
        "needed_high": 4,
        "needed_target": 3,
        "reached": True,
        "source": "Báo cáo tổng kết năm 2019",
    }
