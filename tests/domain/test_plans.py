"""Source plans: one candidate of each kind, read by hand."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import Method
from dvdesk.domain.plans import course_years, plan_entry, tet_window

D = date.fromisoformat
START = D("2026-12-01")
GRADUATION = D("2027-05-31")


def plan(dob, done=None, presence="at_home", graduation=GRADUATION, method=Method.COMPLETED):
    return plan_entry(
        uid="x",
        full_name="Nguyễn Văn A",
        dob=dob,
        unit="THPT1",
        school_class="12A1",
        stage="member",
        presence=presence,
        done={k: D(v) for k, v in (done or {}).items()},
        start=START,
        method=method,
        graduation=graduation,
    )


def by_code(entry):
    return {s.code: s for s in entry.steps}


def test_a_student_of_age_with_nothing_done():
    e = plan(PartialDate(2008, 3, 10))
    # 18 since 10/03/2026; course (30 days) + application (60 days) from 01/12/2026
    assert e.earliest == D("2027-03-01") and e.before_graduation is True
    steps = by_code(e)
    assert steps["course"].before == D("2027-01-30")
    assert steps["application"].before == D("2026-12-31")
    assert steps["verification"].before == D("2027-01-30")
    assert steps["union_resolution"].before == D("2027-02-14")
    assert steps["union_resolution"].not_before is None  # 12 months back (01/03/2026) passed
    assert steps["complete"].before == D("2027-02-22")
    assert steps["meeting"].not_before == D("2027-03-01")


def test_a_student_who_turns_18_after_graduation():
    e = plan(PartialDate(2009, 7, 25))
    assert e.earliest == D("2027-07-25") and e.before_graduation is False
    assert any("25/07/2027" in r for r in e.reasons)


def test_a_student_with_everything_done_can_be_considered_now():
    done = {
        "course": "2026-10-01",
        "application": "2026-10-10",
        "biography": "2026-10-20",
        "verification": "2026-11-10",
        "introduction": "2026-11-15",
        "union_resolution": "2026-11-15",
        "opinions": "2026-11-20",
    }
    e = plan(PartialDate(2008, 1, 5), done)
    assert e.earliest == START and e.reasons == ("đủ điều kiện xét ngay",)
    assert by_code(e)["course"].done_on == D("2026-10-01")


def test_a_partial_date_of_birth_waits_for_the_last_possible_birthday():
    e = plan(PartialDate(2009))  # 18 for certain on 31/12/2027
    assert e.earliest == D("2027-12-31") and e.before_graduation is False


def test_an_expired_certificate_means_the_course_again():
    e = plan(PartialDate(1998, 5, 5), {"course": "2021-12-15"}, graduation=None)
    # application 60 days → 30/01/2027, after the certificate expired (15/12/2026)
    assert e.earliest == D("2027-01-30")
    assert any("phải học lại" in r for r in e.reasons)
    assert by_code(e)["course"].done_on is None and by_code(e)["course"].before


def test_a_stale_dossier_is_made_again():
    done = {
        "course": "2025-01-01",
        "application": "2025-02-01",
        "biography": "2025-02-01",
        "verification": "2025-05-01",
        "introduction": "2025-06-01",
        "union_resolution": "2025-06-01",
        "opinions": "2025-06-01",
    }
    e = plan(PartialDate(1998, 5, 5), done, graduation=None)
    assert e.earliest == D("2026-12-16")  # 15 days to make 3-, 4-, 5-KNĐ again
    assert "làm lại" in by_code(e)["union_resolution"].title


@pytest.mark.parametrize(
    ("done", "earliest", "window"),
    [
        # 60 days → 30/01/2027, inside the Tết 2027 window (27/01–16/02/2027)
        ({"course": "2025-06-01"}, "2027-01-30", ("2027-01-27", "2027-02-16")),
        # 90 days → 01/03/2027, after Tết 2027: the next window, Tết 2028 (26/01/2028)
        ({}, "2028-01-16", ("2028-01-16", "2028-02-05")),
    ],
)
def test_working_away_gets_the_tet_window(done, earliest, window):
    e = plan(PartialDate(1998, 5, 5), done, presence="working_away", graduation=None)
    assert e.away and e.earliest == D(earliest)
    assert e.tet_window == (D(window[0]), D(window[1]))
    assert "Tết" in by_code(e)["application"].note


def test_over_60_and_no_date_cannot_be_planned():
    assert plan(PartialDate(1960, 1, 1), graduation=None).earliest is None
    assert plan(None).earliest is None


def test_tet_window_and_course_years():
    assert tet_window(D("2026-12-01")) == (D("2027-01-27"), D("2027-02-16"))
    assert course_years("2024-2027") == (2024, 2027)
    with pytest.raises(ValueError, match="2024-2027"):
        course_years("2024")
