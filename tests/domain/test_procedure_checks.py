"""Introducers, votes, education, Youth Union, age at the meeting: held-out dossiers."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.checklist import Checklist, FlagKind, build_checklist
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.domain.procedure_dossier import (
    Dossier,
    DossierException,
    Introducer,
    PartyStatus,
    Vote,
    education_grade,
)

# A correct dossier up to the chi bộ meeting, Đoàn route, chi bộ cơ sở.
DONE = {
    "source": "2024-01-05",
    "course": "2024-01-10",
    "application": "2024-02-01",
    "biography": "2024-02-10",
    "verification": "2024-03-01",
    "introduction": "2024-03-05",
    "union_resolution": "2024-03-05",
    "opinions": "2024-03-10",
    "branch_resolution": "2024-03-20",
}
ADULT = PartialDate(2000, 6, 1)
TAM = Introducer("Lê Văn Tám", PartyStatus.OFFICIAL, date(2020, 1, 1))
GOOD = Dossier(
    introducers=(TAM,),
    votes={"branch_resolution": Vote("branch_resolution", 8, 12, 11)},
    education="12/12",
    helper="Lê Văn Tám",
)


def check(
    dossier: Dossier = GOOD,
    done: dict[str, str] | None = None,
    dob: PartialDate | None = ADULT,
    today: str = "2024-03-25",
) -> Checklist:
    records = {
        c: StepRecord(c, StepState.DONE, date.fromisoformat(d)) for c, d in (done or DONE).items()
    }
    return build_checklist(records, dob, None, date.fromisoformat(today), dossier=dossier)


def found(cl: Checklist) -> list[tuple[FlagKind, str]]:
    return [(f.kind, f.rule.code) for f in cl.flags]


def test_a_correct_dossier_passes_with_no_flag():
    cl = check()
    assert cl.flags == ()
    assert cl.next_step is not None and cl.next_step.code == "decision"


@pytest.mark.parametrize(
    ("introducer", "expected"),
    [
        (TAM, []),
        (
            Introducer("Dự Bị", PartyStatus.PROBATIONARY, date(2020, 1, 1)),
            [(FlagKind.VIOLATION, "introducers")],
        ),
        (
            Introducer("Quần Chúng", PartyStatus.NONE, date(2020, 1, 1)),
            [(FlagKind.VIOLATION, "introducers")],
        ),
        # 3-KNĐ on 05/03/2024: together since 05/03/2023 is 12 months, since 06/03/2023 is 11
        (Introducer("Đủ", PartyStatus.OFFICIAL, date(2023, 3, 5)), []),
        (
            Introducer("Thiếu", PartyStatus.OFFICIAL, date(2023, 3, 6)),
            [(FlagKind.VIOLATION, "introducers")],
        ),
        # the introduction's own date counts when given
        (Introducer("Riêng", PartyStatus.OFFICIAL, date(2023, 3, 6), date(2024, 3, 6)), []),
        (Introducer("Chưa rõ", PartyStatus.OFFICIAL, None), [(FlagKind.WARNING, "introducers")]),
    ],
)
def test_introducer(introducer: Introducer, expected: list[tuple[FlagKind, str]]):
    dossier = Dossier(introducers=(introducer,), votes=GOOD.votes, education="12/12", helper="x")
    assert found(check(dossier)) == expected


def test_introducer_violation_names_rule_and_source():
    dossier = Dossier(
        introducers=(Introducer("An", PartyStatus.PROBATIONARY, date(2020, 1, 1)),),
        votes=GOOD.votes,
        education="12/12",
        helper="x",
    )
    (flag,) = check(dossier).violations
    assert "chính thức" in flag.message and "An" in flag.message
    assert "294-QĐ/TW" in flag.rule.source and flag.step == "introduction"


def test_two_introducers_needed_without_the_union_resolution():
    done = {k: v for k, v in DONE.items() if k != "union_resolution"}
    dob = PartialDate(1980, 1, 1)  # past youth age: no Đoàn route expected
    cl = check(done=done, dob=dob)
    assert found(cl) == [(FlagKind.VIOLATION, "introducers")]
    two = Dossier(
        introducers=(TAM, Introducer("Hoa", PartyStatus.OFFICIAL, date(2019, 1, 1))),
        votes=GOOD.votes,
        education="12/12",
        helper="x",
    )
    assert check(two, done=done, dob=dob).flags == ()
    # Before the chi bộ meeting the missing introducer is a reminder only.
    early = {k: v for k, v in done.items() if k != "branch_resolution"}
    assert found(check(done=early, dob=dob)) == [(FlagKind.WARNING, "introducers")]


@pytest.mark.parametrize(
    ("in_favour", "total", "present", "expected"),
    [
        (8, 12, 11, []),  # exactly 2/3
        (7, 12, 12, [(FlagKind.VIOLATION, "branch_vote")]),
        (7, 10, 9, []),
        (6, 10, 10, [(FlagKind.VIOLATION, "branch_vote")]),  # 60%: short
        (2, 3, 3, []),
        (1, 2, 2, [(FlagKind.VIOLATION, "branch_vote")]),
        (9, 12, 13, [(FlagKind.WARNING, "branch_vote")]),  # more present than members
        (10, 12, 9, [(FlagKind.WARNING, "branch_vote")]),  # more in favour than present
    ],
)
def test_branch_vote(in_favour: int, total: int, present: int, expected: list):
    vote = Vote("branch_resolution", in_favour, total, present)
    dossier = Dossier(
        introducers=(TAM,), votes={"branch_resolution": vote}, education="12/12", helper="x"
    )
    assert found(check(dossier)) == expected


def test_committee_vote_on_the_decision():
    done = DONE | {"decision": "2024-04-10"}
    for in_favour, total, expected in [
        (5, 7, []),
        (4, 7, [(FlagKind.VIOLATION, "committee_vote")]),
    ]:
        votes = {**GOOD.votes, "decision": Vote("decision", in_favour, total)}
        dossier = Dossier(introducers=(TAM,), votes=votes, education="12/12", helper="x")
        assert found(check(dossier, done=done, today="2024-04-12")) == expected


def test_vote_not_recorded_is_a_reminder():
    dossier = Dossier(introducers=(TAM,), education="12/12", helper="x")
    assert found(check(dossier)) == [(FlagKind.WARNING, "branch_vote")]


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("12/12", 12),
        ("9/12", 9),
        (" 9 / 12 ", 9),
        ("8/12", 8),
        ("7/10", 9),
        ("10/10", 12),
        ("4/10", 5),
        ("THPT", 12),
        ("Đại học", 12),
        ("Trung học cơ sở", 9),
        ("tiểu học", 5),
        ("13/12", None),
        ("abc", None),
    ],
)
def test_education_grade(text: str, grade: int | None):
    assert education_grade(text) == grade


@pytest.mark.parametrize(
    ("education", "difficult", "expected"),
    [
        ("9/12", False, []),
        ("8/12", False, [(FlagKind.WARNING, "education")]),
        ("6/10", False, [(FlagKind.WARNING, "education")]),
        ("5/12", True, []),  # the difficult-area setting: tiểu học is enough
        ("4/12", True, [(FlagKind.WARNING, "education")]),
        ("", False, [(FlagKind.WARNING, "education")]),
        ("lớp chín", False, [(FlagKind.WARNING, "education")]),
    ],
)
def test_education(education: str, difficult: bool, expected: list):
    dossier = Dossier(
        introducers=(TAM,),
        votes=GOOD.votes,
        education=education,
        helper="x",
        difficult_area=difficult,
    )
    assert found(check(dossier)) == expected


def test_education_exception_with_a_document():
    dossier = Dossier(
        introducers=(TAM,),
        votes=GOOD.votes,
        education="7/12",
        helper="x",
        exceptions=(DossierException("education", "Người có uy tín", "Văn bản 5-CV/TU"),),
    )
    assert check(dossier).flags == ()


@pytest.mark.parametrize(
    ("dob", "union_member", "union_resolution", "expected"),
    [
        (PartialDate(2000, 6, 1), None, True, []),
        (PartialDate(2000, 6, 1), False, True, [(FlagKind.WARNING, "youth_union")]),
        (PartialDate(2000, 6, 1), None, False, [(FlagKind.WARNING, "youth_union")]),
        (PartialDate(1990, 6, 1), None, False, []),  # 33: past youth age
    ],
)
def test_youth_union(dob: PartialDate, union_member: bool | None, union_resolution: bool, expected):
    done = (
        dict(DONE)
        if union_resolution
        else {k: v for k, v in DONE.items() if k != "union_resolution"}
    )
    people = (
        (TAM,)
        if union_resolution
        else (TAM, Introducer("Hoa", PartyStatus.OFFICIAL, date(2019, 1, 1)))
    )
    dossier = Dossier(
        introducers=people,
        votes=GOOD.votes,
        education="12/12",
        helper="x",
        union_member=union_member,
    )
    assert found(check(dossier, done=done, dob=dob)) == expected


@pytest.mark.parametrize(
    ("dob", "exceptions", "expected"),
    [
        (PartialDate(2006, 6, 1), (), [(FlagKind.VIOLATION, "age_at_meeting")]),  # 17 at 20/03/2024
        (PartialDate(2006, 3, 20), (), []),  # 18 that day
        (PartialDate(1963, 2, 19), (), [(FlagKind.VIOLATION, "age_over_60")]),  # 61 months over
        (
            PartialDate(1963, 2, 19),
            (DossierException("age_over_60", "Yêu cầu đặc biệt", "Văn bản 120-CV/TU"),),
            [],
        ),
        # No document can admit someone under 18.
        (
            PartialDate(2006, 6, 1),
            (DossierException("age_at_meeting", "x", "y"),),
            [(FlagKind.VIOLATION, "age_at_meeting")],
        ),
    ],
)
def test_age_at_the_meeting(dob: PartialDate, exceptions: tuple, expected: list):
    done = DONE if dob.year > 1990 else {k: v for k, v in DONE.items() if k != "union_resolution"}
    people = (
        (TAM,)
        if dob.year > 1990
        else (TAM, Introducer("Hoa", PartyStatus.OFFICIAL, date(2019, 1, 1)))
    )
    dossier = Dossier(
        introducers=people, votes=GOOD.votes, education="12/12", helper="x", exceptions=exceptions
    )
    assert found(check(dossier, done=done, dob=dob)) == expected


def test_violations_come_first_and_are_counted():
    dossier = Dossier(
        introducers=(Introducer("An", PartyStatus.PROBATIONARY, date(2023, 12, 1)),),
        votes={"branch_resolution": Vote("branch_resolution", 5, 12, 10)},
        education="",
        helper="",
    )
    cl = check(dossier, done=DONE | {"course": "2019-01-10"}, today="2024-03-25")
    kinds = [f.kind for f in cl.flags]
    assert kinds == sorted(kinds, key=list(FlagKind).index)
    assert len(cl.violations) == 4  # not official, 3 months together, short vote, old certificate
    assert {f.rule.code for f in cl.violations} == {
        "introducers",
        "branch_vote",
        "certificate_validity",
    }
    assert {f.rule.code for f in cl.warnings} == {"education", "helper"}


def test_helper_recorded_from_the_first_step():
    dossier = Dossier(introducers=(TAM,), votes=GOOD.votes, education="12/12")
    assert found(check(dossier)) == [(FlagKind.WARNING, "helper")]
