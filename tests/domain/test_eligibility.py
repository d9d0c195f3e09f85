"""Age by month for Party admission: tables of cases at every edge."""

from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate, add_months, parse_date
from dvdesk.domain.eligibility import (
    NEAR_LIMIT_WARNING,
    Method,
    Status,
    YouthFlag,
    eligible_window,
    evaluate,
    months_calendar,
    months_completed,
    youth_flag,
)

A, B = Method.COMPLETED, Method.CALENDAR
D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2008-05-31", 1, "2008-06-30"),
        ("2008-01-31", 1, "2008-02-29"),
        ("2009-01-31", 1, "2009-02-28"),
        ("2008-02-29", 216, "2026-02-28"),
        ("2008-02-29", 12, "2009-02-28"),
        ("2008-02-29", 48, "2012-02-29"),
        ("2008-03-15", -3, "2007-12-15"),
        ("2008-12-31", 2, "2009-02-28"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("dob", "on", "k_a", "k_b"),
    [
        ("2008-03-25", "2026-03-25", 216, 216),  # exactly 18 years 0 months
        ("2008-03-25", "2026-03-24", 215, 216),  # the day before: A says 17y11m
        ("2008-03-25", "2026-03-01", 215, 216),  # B counts the birth month
        ("2008-03-25", "2026-02-28", 215, 215),
        ("2008-03-01", "2026-03-01", 216, 216),  # born on the 1st
        ("2008-03-01", "2026-02-28", 215, 215),
        ("2008-01-31", "2026-01-31", 216, 216),  # born on the 31st
        ("2008-01-31", "2026-01-30", 215, 216),
        ("2008-05-31", "2008-06-30", 1, 1),  # 31/05 completes a month on 30/06
        ("2008-05-31", "2008-06-29", 0, 1),
        ("2008-02-29", "2026-02-28", 216, 216),  # 29/02 in a non-leap 18th year
        ("2008-02-29", "2026-02-27", 215, 216),
        ("2008-02-29", "2028-02-28", 239, 240),  # 2028 is leap: 29/02 exists
        ("2008-02-29", "2028-02-29", 240, 240),
        ("1966-11-26", "2026-11-26", 720, 720),  # exactly 60 years
        ("1966-11-26", "2026-12-25", 720, 721),
        ("1966-11-26", "2026-12-26", 721, 721),  # 60 years 1 month: over
    ],
)
def test_month_counts(dob, on, k_a, k_b):
    assert months_completed(D(dob), D(on)) == k_a
    assert months_calendar(D(dob), D(on)) == k_b


@pytest.mark.parametrize(
    ("dob", "on", "method", "status", "eligible_from", "warned"),
    [
        ("25/03/2008", "2026-03-25", A, Status.ELIGIBLE, None, False),
        ("25/03/2008", "2026-03-24", A, Status.TOO_YOUNG, "2026-03-25", True),
        ("25/03/2008", "2026-03-01", B, Status.ELIGIBLE, None, True),
        ("25/03/2008", "2026-02-28", B, Status.TOO_YOUNG, "2026-03-01", False),
        ("25/03/2008", "2026-02-28", A, Status.TOO_YOUNG, "2026-03-25", False),
        ("29/02/2008", "2026-02-28", A, Status.ELIGIBLE, None, False),
        ("29/02/2008", "2026-02-27", A, Status.TOO_YOUNG, "2026-02-28", True),
        ("31/01/2008", "2026-01-30", A, Status.TOO_YOUNG, "2026-01-31", True),
        ("01/06/2008", "2026-05-31", A, Status.TOO_YOUNG, "2026-06-01", False),
        ("26/11/1966", "2026-11-26", A, Status.ELIGIBLE, None, False),
        ("26/11/1966", "2026-12-25", A, Status.ELIGIBLE, None, True),
        ("26/11/1966", "2026-12-26", A, Status.OVER_AGE, None, False),
        ("15/05/1965", "2026-11-26", A, Status.OVER_AGE, None, False),  # 61 years
        ("10/06/1966", "2026-11-26", A, Status.OVER_AGE, None, False),  # 60 years 5 months
        ("01/01/2000", "2026-11-26", A, Status.ELIGIBLE, None, False),
        ("26/11/2030", "2026-11-26", A, Status.TOO_YOUNG, "2048-11-26", False),  # not yet born
    ],
)
def test_evaluate_full_dates(dob, on, method, status, eligible_from, warned):
    result = evaluate(parse_date(dob), D(on), method)
    assert result.status is status
    assert result.eligible_from == (D(eligible_from) if eligible_from else None)
    assert (NEAR_LIMIT_WARNING in result.warnings) is warned
    assert result.reason


def test_seventeen_years_eleven_months_is_too_young_with_the_start_date():
    result = evaluate(PartialDate(2008, 12, 26), D("2026-11-26"))
    assert (result.status, result.age_months) == (Status.TOO_YOUNG, 215)
    assert result.eligible_from == D("2026-12-26")
    assert "26/12/2026" in result.reason


# Partial dates of birth, worked by hand: the birthday can be any day of the
# month (or year); the status is certain when every one of them gives the same.
@pytest.mark.parametrize(
    ("dob", "on", "method", "status", "possible", "earliest", "latest", "k"),
    [
        (
            "2008",
            "2026-02-28",
            A,
            "unknown",
            ["too_young", "eligible"],
            "2026-01-01",
            "2026-12-31",
            None,
        ),
        ("2008", "2027-01-01", A, "eligible", ["eligible"], "2026-01-01", "2026-12-31", None),
        # 31/12/2008 + 216 months = 31/12/2026: even the last possible birthday is 18.
        ("2008", "2026-12-31", A, "eligible", ["eligible"], "2026-01-01", "2026-12-31", None),
        (
            "2008",
            "2026-12-30",
            A,
            "unknown",
            ["too_young", "eligible"],
            "2026-01-01",
            "2026-12-31",
            None,
        ),
        ("2008", "2025-12-31", A, "too_young", ["too_young"], "2026-01-01", "2026-12-31", None),
        (
            "02/2008",
            "2026-02-15",
            A,
            "unknown",
            ["too_young", "eligible"],
            "2026-02-01",
            "2026-02-28",
            None,
        ),
        # 31/03/2008 + 216 months = 31/03/2026 < 01/04/2026
        ("03/2008", "2026-04-01", A, "eligible", ["eligible"], "2026-03-01", "2026-03-31", None),
        ("03/2008", "2026-03-31", A, "eligible", ["eligible"], "2026-03-01", "2026-03-31", 216),
        (
            "03/2008",
            "2026-03-30",
            A,
            "unknown",
            ["too_young", "eligible"],
            "2026-03-01",
            "2026-03-31",
            None,
        ),
        # method B ignores the day: a month and year is exact
        ("03/2008", "2026-03-01", B, "eligible", ["eligible"], "2026-03-01", "2026-03-01", 216),
        ("03/2008", "2026-02-28", B, "too_young", ["too_young"], "2026-03-01", "2026-03-01", 215),
        ("11/1966", "2026-11-30", B, "eligible", ["eligible"], "1984-11-01", "1984-11-01", 720),
        ("11/1966", "2026-12-01", B, "over_age", ["over_age"], "1984-11-01", "1984-11-01", 721),
        # the 60-year bound by method A: 01/11/1966 + 721 months = 01/12/2026,
        # 30/11/1966 + 721 months = 30/12/2026
        ("11/1966", "2026-11-30", A, "eligible", ["eligible"], "1984-11-01", "1984-11-30", 720),
        (
            "11/1966",
            "2026-12-01",
            A,
            "unknown",
            ["eligible", "over_age"],
            "1984-11-01",
            "1984-11-30",
            None,
        ),
        (
            "11/1966",
            "2026-12-29",
            A,
            "unknown",
            ["eligible", "over_age"],
            "1984-11-01",
            "1984-11-30",
            None,
        ),
        ("11/1966", "2026-12-30", A, "over_age", ["over_age"], "1984-11-01", "1984-11-30", 721),
        (
            "1966",
            "2026-11-26",
            A,
            "unknown",
            ["eligible", "over_age"],
            "1984-01-01",
            "1984-12-31",
            None,
        ),
        ("1993", "2026-12-01", A, "eligible", ["eligible"], "2011-01-01", "2011-12-31", None),
        ("1960", "2026-12-01", A, "over_age", ["over_age"], "1978-01-01", "1978-12-31", None),
        ("2010", "2026-06-01", A, "too_young", ["too_young"], "2028-01-01", "2028-12-31", None),
    ],
)
def test_partial_dates_give_the_certain_status_or_the_range(
    dob, on, method, status, possible, earliest, latest, k
):
    result = evaluate(parse_date(dob), D(on), method)
    data = result.as_json()
    assert data["status"] == status
    assert data["age_months"] == k
    assert data["possible_statuses"] == possible
    assert (data["eligible_from_earliest"], data["eligible_from_latest"]) == (earliest, latest)
    assert dob in result.reason


@pytest.mark.parametrize(
    ("dob", "on", "method", "present", "absent"),
    [
        # one possible day: no "từ 01/03/2026 đến 01/03/2026"
        ("03/2008", "2026-02-01", B, ["ngày 01/03/2026"], ["đến 01/03/2026"]),
        ("2010", "2026-06-01", A, ["từ 01/01/2028 đến 31/12/2028"], []),
        # nobody speaks of turning 18 to someone who is 60
        ("1966", "2026-11-26", A, ["trên 60 tuổi"], ["đủ 18"]),
        ("1960", "2026-12-01", A, ["Trên 60 tuổi".lower(), "ban thường vụ"], ["đủ 18"]),
        ("1993", "2026-12-01", A, ["đủ tuổi"], ["đủ 18", "bổ sung"]),
        ("12/2008", "2026-12-01", A, ["bổ sung", "từ 01/12/2026 đến 31/12/2026"], []),
    ],
)
def test_partial_date_reasons_read_right(dob, on, method, present, absent):
    reason = evaluate(parse_date(dob), D(on), method).reason
    assert all(p in reason for p in present), reason
    assert not any(a in reason for a in absent), reason


def test_missing_date_of_birth_is_unknown():
    result = evaluate(None, D("2026-01-01"))
    assert result.status is Status.UNKNOWN and result.reason


def test_json_contract_keys():
    data = evaluate(parse_date("2010-05-05"), D("2026-11-26")).as_json()
    assert set(data) == {"status", "age_months", "eligible_from", "warnings", "reason"}
    assert data["eligible_from"] == "2028-05-05"


@pytest.mark.parametrize("method", [A, B])
def test_window_agrees_with_evaluate(method):
    dob = D("2007-08-31")
    start, end = eligible_window(dob, method)
    pd = PartialDate.of(dob)
    assert evaluate(pd, start, method).status is Status.ELIGIBLE
    assert evaluate(pd, date.fromordinal(start.toordinal() - 1), method).status is Status.TOO_YOUNG
    assert evaluate(pd, end, method).status is Status.ELIGIBLE
    assert evaluate(pd, date.fromordinal(end.toordinal() + 1), method).status is Status.OVER_AGE


@pytest.mark.parametrize(
    ("dob", "on", "officer", "extended", "flag"),
    [
        ("2011-11-26", "2026-11-26", False, False, YouthFlag.UNDER_16),  # exactly 15
        ("2011-11-25", "2026-11-26", False, False, None),  # 15 years + 1 day
        ("1996-01-01", "2026-11-26", False, False, None),  # 30 completed years
        ("1995-11-26", "2026-11-26", False, False, YouthFlag.PAST_30),  # 31
        ("1995-11-26", "2026-11-26", True, False, None),  # Đoàn officer
        ("1993-01-01", "2026-11-26", False, True, None),  # extended, 33
        ("1990-01-01", "2026-11-26", False, True, YouthFlag.PAST_35),  # extended, 36
        ("1995", "2026-11-26", False, False, None),  # partial: latest birth is 31/12/1995
    ],
)
def test_youth_union_flags(dob, on, officer, extended, flag):
    assert youth_flag(parse_date(dob), D(on), union_officer=officer, extended=extended) is flag
