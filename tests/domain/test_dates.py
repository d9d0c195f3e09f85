"""Reading dates as clerks type them: full, month/year, year only; impossible days refused."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvdesk.domain.dates import DateError, PartialDate, Precision, parse_date, parse_full_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008-03-25", PartialDate(2008, 3, 25)),
        ("2008-3-5", PartialDate(2008, 3, 5)),
        ("2008-03", PartialDate(2008, 3)),
        ("2008", PartialDate(2008)),
        ("25/03/2008", PartialDate(2008, 3, 25)),
        ("25-03-2008", PartialDate(2008, 3, 25)),
        ("25.03.2008", PartialDate(2008, 3, 25)),
        ("5/3/08", PartialDate(2008, 3, 5)),
        ("5/3/2008", PartialDate(2008, 3, 5)),
        ("31/12/99", PartialDate(1999, 12, 31)),  # two-digit year past the pivot: 19xx
        ("1/1/30", PartialDate(2030, 1, 1)),  # at the pivot: 20xx
        ("1/1/31", PartialDate(1931, 1, 1)),
        ("25032008", PartialDate(2008, 3, 25)),
        ("03/2008", PartialDate(2008, 3)),
        ("3/2008", PartialDate(2008, 3)),
        ("29/02/2008", PartialDate(2008, 2, 29)),  # leap year
        ("29/02/2000", PartialDate(2000, 2, 29)),  # divisible by 400: leap
        ("  25/03/2008 \t", PartialDate(2008, 3, 25)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_empty_text_is_no_date(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30/02/2026", "Ngày 30/02/2026 không tồn tại."),
        ("31/04/2026", "Ngày 31/04/2026 không tồn tại."),
        ("29/02/2025", "Năm 2025 không nhuận, không có ngày 29/02."),
        ("29/02/1900", "Năm 1900 không nhuận, không có ngày 29/02."),  # century, not leap
        ("2025-02-29", "Năm 2025 không nhuận, không có ngày 29/02."),
        ("29022025", "Năm 2025 không nhuận, không có ngày 29/02."),
        ("00/01/2008", "Ngày 00/01/2008 không tồn tại."),
        ("2008-13", "Tháng 13 không hợp lệ."),
        ("15/13/2008", "Tháng 13 không hợp lệ."),
        ("0/2008", "Tháng 0 không hợp lệ."),
        ("0000", "Năm 0 không hợp lệ."),
    ],
)
def test_impossible_days_are_refused_in_vietnamese(text, message):
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "ngày mai",
        "12/2008/1",
        "2008/03/25",
        "25/03",
        "03/08",
        "1.2.3.4",
        "2503200",
        "25/03/20081",
        "--",
        "25 03 2008",
    ],
)
def test_garbage_is_refused_with_a_hint(text):
    with pytest.raises(DateError, match=r"Không đọc được ngày .*dd/mm/yyyy"):
        parse_date(text)


@pytest.mark.parametrize(
    ("pd", "precision", "earliest", "latest", "vi", "iso"),
    [
        (
            PartialDate(2008, 3, 25),
            Precision.DAY,
            "2008-03-25",
            "2008-03-25",
            "25/03/2008",
            "2008-03-25",
        ),
        (PartialDate(2008, 2), Precision.MONTH, "2008-02-01", "2008-02-29", "02/2008", "2008-02"),
        (PartialDate(2009, 2), Precision.MONTH, "2009-02-01", "2009-02-28", "02/2009", "2009-02"),
        (PartialDate(2008), Precision.YEAR, "2008-01-01", "2008-12-31", "2008", "2008"),
    ],
)
def test_partial_date_range_and_text(pd, precision, earliest, latest, vi, iso):
    assert pd.precision is precision
    assert (pd.earliest(), pd.latest()) == (
        date.fromisoformat(earliest),
        date.fromisoformat(latest),
    )
    assert (pd.vi(), pd.iso(), str(pd)) == (vi, iso, vi)


def test_day_without_month_is_refused():
    with pytest.raises(DateError, match="Có ngày mà không có tháng"):
        PartialDate(2008, None, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập ngày."),
        ("03/2008", "Cần ngày đầy đủ dd/mm/yyyy, không chỉ “03/2008”."),
        ("2008", "Cần ngày đầy đủ dd/mm/yyyy, không chỉ “2008”."),
    ],
)
def test_full_date_needs_the_day(text, message):
    with pytest.raises(DateError) as info:
        parse_full_date(text)
    assert str(info.value) == message


def test_full_date_and_partial_as_date():
    assert parse_full_date("26/11/2026") == date(2026, 11, 26)
    with pytest.raises(DateError, match="chưa đầy đủ"):
        PartialDate(2008, 3).as_date()


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    precision = draw(st.sampled_from(list(Precision)))
    if precision is Precision.DAY:
        return PartialDate.of(day)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year)


@given(partial_dates())
def test_iso_round_trip(pd):
    assert parse_date(pd.iso()) == pd


@given(partial_dates().filter(lambda pd: pd.year >= 1000))
def test_vietnamese_text_round_trip(pd):
    assert parse_date(pd.vi()) == pd
