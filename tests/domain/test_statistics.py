"""Statistics against figures computed by hand for six candidates."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.member import UnitKind
from dvdesk.domain.statistics import Milestones, TargetProgress, active_years, compute

R, S = UnitKind.RESIDENTIAL, UnitKind.SCHOOL
D = date.fromisoformat
PEOPLE = [
    # A: introduced and taught in 2023, admitted 2024.
    Milestones(R, source=D("2023-03-01"), course=D("2023-06-01"), decision=D("2024-05-01")),
    # B: introduced 2023, course 2024, not admitted.
    Milestones(R, source=D("2023-04-01"), course=D("2024-01-10")),
    # C: a student introduced 2023 who never took the course.
    Milestones(S, source=D("2023-09-01")),
    # D: no source recorded: the course (2024) stands in; admitted by ceremony date.
    Milestones(S, course=D("2024-02-01"), ceremony=D("2024-12-20")),
    # E: decision 2024, ceremony 2025: admitted counts in 2024.
    Milestones(
        R,
        source=D("2024-01-05"),
        course=D("2024-03-01"),
        decision=D("2024-11-01"),
        ceremony=D("2025-01-10"),
    ),
    # F: only a decision, 2025.
    Milestones(R, decision=D("2025-02-01")),
]

# (year, kind, introduced, course, admitted, introduced_admitted, course_admitted)
EXPECTED = [
    (2023, R, 2, 1, 0, 1, 1),
    (2023, S, 1, 0, 0, 0, 0),
    (2023, None, 3, 1, 0, 1, 1),
    (2024, R, 1, 2, 2, 1, 1),
    (2024, S, 1, 1, 1, 1, 1),
    (2024, None, 2, 3, 3, 2, 2),
    (2025, R, 0, 0, 1, 0, 0),
    (2025, S, 0, 0, 0, 0, 0),
    (2025, None, 0, 0, 1, 0, 0),
]


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e[0]}-{e[1]}")
def test_year_rows(expected: tuple):
    year, kind, *counts = expected
    row = compute(PEOPLE).row(year, kind)
    assert [
        row.introduced,
        row.course,
        row.admitted,
        row.introduced_admitted,
        row.course_admitted,
    ] == counts


@pytest.mark.parametrize(
    ("year", "kind", "per_introduced", "per_course"),
    [
        (2023, None, 1 / 3, 1.0),
        (2023, S, 0.0, None),
        (2024, None, 1.0, 2 / 3),
        (2025, None, None, None),
    ],
)
def test_ratios(
    year: int, kind: UnitKind | None, per_introduced: float | None, per_course: float | None
):
    row = compute(PEOPLE).row(year, kind)
    assert row.admitted_per_introduced == pytest.approx(per_introduced)
    assert row.admitted_per_course == pytest.approx(per_course)


def test_span_and_years():
    stats = compute(PEOPLE)
    assert stats.years == active_years(PEOPLE) == (2023, 2024, 2025)
    span = stats.span(R)
    assert (
        span.introduced,
        span.course,
        span.admitted,
        span.introduced_admitted,
        span.course_admitted,
    ) == (3, 3, 3, 2, 2)


def test_chosen_years_include_empty_ones():
    stats = compute(PEOPLE, years=[2022, 2024])
    assert stats.years == (2022, 2024)
    assert stats.row(2022, None).introduced == 0
    with pytest.raises(KeyError):
        stats.row(2023, None)


@pytest.mark.parametrize(
    ("admitted", "party_members", "target", "percent", "low", "high", "need", "reached"),
    [
        (3, 80, 3.0, 3.75, 3, 4, 3, True),
        (3, 100, 3.0, 3.0, 3, 4, 3, True),  # exactly 3% of 100 needs 3, not 4
        (3, 100, 4.0, 3.0, 3, 4, 4, False),
        (1, 34, 3.0, 100 / 34, 2, 2, 2, False),
        (0, 0, 3.0, None, 0, 0, 0, False),
    ],
)
def test_target(
    admitted: int,
    party_members: int,
    target: float,
    percent: float | None,
    low: int,
    high: int,
    need: int,
    reached: bool,
):
    t = TargetProgress(2024, admitted, party_members, target)
    assert t.percent == pytest.approx(percent)
    assert (t.low, t.high, t.target, t.reached) == (low, high, need, reached)


def test_targets_follow_total_admitted():
    stats = compute(PEOPLE, party_members=80, target_percent=3.5)
    assert [(t.year, t.admitted, t.target) for t in stats.targets] == [
        (2023, 0, 3),
        (2024, 3, 3),
        (2025, 1, 3),
    ]
