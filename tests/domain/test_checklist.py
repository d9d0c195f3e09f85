"""The procedure checklist: validity, staleness, working-day deadlines, age, next step."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain import deadline_rules
from dvdesk.domain.checklist import Checklist, Flag, FlagKind, build_checklist
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import Method, Status
from dvdesk.domain.procedure import Stage, StepRecord, StepState
from dvdesk.domain.procedure_dossier import EMPTY, Dossier, Introducer, PartyStatus, Vote

ADULT = PartialDate(1998, 6, 1)
MAY_DAY = frozenset({date(2026, 4, 30), date(2026, 5, 1)})


def steps(**done: str) -> dict[str, StepRecord]:
    """Records with the given codes done on ISO dates."""
    return {
        c: StepRecord(c, StepState.DONE, date.fromisoformat(d), f"{i}-NQ/CB")
        for i, (c, d) in enumerate(done.items(), 1)
    }


def check(
    records: dict[str, StepRecord],
    today: str,
    meeting: str | None = None,
    dob: PartialDate | None = ADULT,
    holidays: frozenset[date] = frozenset(),
    method: Method = Method.COMPLETED,
    dossier: Dossier = EMPTY,
) -> Checklist:
    return build_checklist(
        records,
        dob,
        date.fromisoformat(meeting) if meeting else None,
        date.fromisoformat(today),
        method,
        holidays,
        dossier,
    )


# The deadline rules these tests are about; order and dossier-data checks have
# their own tests (test_procedure_order.py, test_procedure_checks.py).
DEADLINE_RULES = {
    "certificate_validity",
    "dossier_stale",
    "ceremony_deadline",
    "party_biography_deadline",
    "recognition_deadline",
    "recognition_too_early",
    "age_at_meeting",
    "age_over_60",
}


def deadline_flags(cl: Checklist) -> list[Flag]:
    return [f for f in cl.flags if f.rule.code in DEADLINE_RULES]


def kinds(cl: Checklist, step: str) -> list[FlagKind]:
    return [f.kind for f in deadline_flags(cl) if f.step == step]


# -- certificate CN-NTVĐ: valid strictly before issue + 60 months -------------


@pytest.mark.parametrize(
    ("issued", "today", "meeting", "expected", "valid_until"),
    [
        # The quiz example: issued 15/01/2020, expired on 15/01/2025.
        ("2020-01-15", "2025-01-10", "2025-02-03", [FlagKind.EXPIRING], "2025-01-14"),
        ("2020-01-15", "2025-01-15", None, [FlagKind.OVERDUE], "2025-01-14"),
        ("2020-01-15", "2025-01-14", "2025-01-14", [FlagKind.EXPIRING], "2025-01-14"),
        ("2020-01-15", "2024-10-17", None, [FlagKind.EXPIRING], "2025-01-14"),  # day -90
        ("2020-01-15", "2024-10-16", None, [], "2025-01-14"),  # day -91
        ("2020-01-15", "2024-06-01", "2025-01-14", [], "2025-01-14"),  # meeting in time
        ("2020-01-15", "2024-06-01", "2025-01-15", [FlagKind.EXPIRING], "2025-01-14"),
        # Month ends clamp: 29/02/2020 + 60 months = 28/02/2025.
        ("2020-02-29", "2024-01-01", "2025-02-27", [], "2025-02-27"),
        ("2020-02-29", "2024-01-01", "2025-02-28", [FlagKind.EXPIRING], "2025-02-27"),
        ("2019-08-31", "2024-08-31", None, [FlagKind.OVERDUE], "2024-08-30"),
        ("2019-08-31", "2024-08-30", None, [FlagKind.EXPIRING], "2024-08-30"),
    ],
)
def test_certificate(
    issued: str, today: str, meeting: str | None, expected: list[FlagKind], valid_until: str
):
    cl = check(steps(source="2019-01-02", course=issued), today, meeting)
    assert kinds(cl, "course") == expected
    assert cl.line("course").valid_until == date.fromisoformat(valid_until)
    assert all(
        f.rule is deadline_rules.CERTIFICATE for f in deadline_flags(cl) if f.step == "course"
    )


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        ("2025-01-14", []),
        ("2025-01-15", [FlagKind.VIOLATION]),
        ("2025-02-03", [FlagKind.VIOLATION]),
    ],
)
def test_certificate_at_a_held_meeting(held: str, expected: list[FlagKind]):
    cl = check(steps(course="2020-01-15", branch_resolution=held), "2025-06-01")
    assert kinds(cl, "course") == expected
    assert cl.meeting_held and cl.reference == date.fromisoformat(held)


def test_no_certificate_no_flag():
    assert kinds(check(steps(source="2024-01-02"), "2030-01-01"), "course") == []


# -- dossier: stale when the meeting is after the earliest 3/4/5-KNĐ + 12 months ---

DOSSIER = {"introduction": "2024-03-10", "union_resolution": "2024-03-05", "opinions": "2024-04-01"}


@pytest.mark.parametrize(
    ("dossier", "today", "meeting", "expected", "last_valid"),
    [
        (DOSSIER, "2024-10-01", "2025-03-05", [], "2025-03-05"),  # the last valid day
        (DOSSIER, "2024-10-01", "2025-03-06", [FlagKind.EXPIRING], "2025-03-05"),
        (DOSSIER, "2025-03-06", None, [FlagKind.OVERDUE], "2025-03-05"),
        (DOSSIER, "2025-03-05", None, [FlagKind.EXPIRING], "2025-03-05"),
        (DOSSIER, "2024-12-05", None, [FlagKind.EXPIRING], "2025-03-05"),  # 90 days before
        (DOSSIER, "2024-12-04", None, [], "2025-03-05"),
        ({"opinions": "2024-02-29"}, "2024-06-01", "2025-03-01", [FlagKind.EXPIRING], "2025-02-28"),
        ({"introduction": "2023-01-31"}, "2024-02-01", None, [FlagKind.OVERDUE], "2024-01-31"),
    ],
)
def test_dossier(
    dossier: dict[str, str],
    today: str,
    meeting: str | None,
    expected: list[FlagKind],
    last_valid: str,
):
    cl = check(steps(**dossier), today, meeting)
    first = min(dossier, key=lambda c: dossier[c])
    assert kinds(cl, first) == expected
    for code in dossier:
        assert cl.line(code).valid_until == date.fromisoformat(last_valid)
    assert all(f.rule is deadline_rules.DOSSIER for f in deadline_flags(cl) if f.step in dossier)


@pytest.mark.parametrize(
    ("held", "expected"), [("2025-03-05", []), ("2025-03-06", [FlagKind.VIOLATION])]
)
def test_dossier_at_a_held_meeting(held: str, expected: list[FlagKind]):
    cl = check(steps(**DOSSIER, branch_resolution=held), "2026-01-01")
    assert kinds(cl, "union_resolution") == expected


# -- ceremony: 30 working days from the decision -------------------------------


@pytest.mark.parametrize(
    ("ceremony", "today", "holidays", "expected", "due"),
    [
        (None, "2026-05-14", MAY_DAY, [], "2026-05-29"),  # 11 working days left
        (None, "2026-05-15", MAY_DAY, [FlagKind.EXPIRING], "2026-05-29"),  # 10 left
        (None, "2026-05-29", MAY_DAY, [FlagKind.EXPIRING], "2026-05-29"),  # last day
        (None, "2026-06-01", MAY_DAY, [FlagKind.OVERDUE], "2026-05-29"),
        (None, "2026-05-28", frozenset(), [FlagKind.OVERDUE], "2026-05-27"),
        ("2026-05-29", "2026-06-10", MAY_DAY, [], "2026-05-29"),
        ("2026-06-01", "2026-06-10", MAY_DAY, [FlagKind.WARNING], "2026-05-29"),
    ],
)
def test_ceremony(
    ceremony: str | None, today: str, holidays: frozenset[date], expected: list[FlagKind], due: str
):
    done = {"decision": "2026-04-15"} | ({"ceremony": ceremony} if ceremony else {})
    cl = check(steps(**done), today, holidays=holidays)
    assert kinds(cl, "ceremony") == expected
    assert cl.line("ceremony").due == date.fromisoformat(due)


def test_deadline_ignored_once_a_later_step_is_done():
    cl = check(steps(decision="2026-04-15", party_biography="2026-06-20"), "2026-07-01")
    assert kinds(cl, "ceremony") == []
    assert cl.line("ceremony").missing  # still a gap to fill in


def test_last_day_message():
    cl = check(steps(decision="2026-04-15"), "2026-05-29", holidays=MAY_DAY)
    assert "hôm nay là ngày cuối" in cl.line("ceremony").flags[0].message


# -- probation: 12 months from the ceremony, then 30 working days ----------------


@pytest.mark.parametrize(
    ("ceremony", "recognition", "today", "expected", "end", "due"),
    [
        ("2025-02-28", None, "2026-01-28", [], "2026-02-28", "2026-04-10"),
        ("2025-02-28", None, "2026-01-29", [FlagKind.EXPIRING], "2026-02-28", "2026-04-10"),
        ("2025-02-28", None, "2026-03-02", [FlagKind.EXPIRING], "2026-02-28", "2026-04-10"),
        ("2025-02-28", None, "2026-04-10", [FlagKind.EXPIRING], "2026-02-28", "2026-04-10"),
        ("2025-02-28", None, "2026-04-13", [FlagKind.OVERDUE], "2026-02-28", "2026-04-10"),
        ("2025-02-28", "2026-04-10", "2026-05-01", [], "2026-02-28", "2026-04-10"),
        ("2025-02-28", "2026-04-13", "2026-05-01", [FlagKind.WARNING], "2026-02-28", "2026-04-10"),
        (
            "2025-02-28",
            "2026-02-20",
            "2026-05-01",
            [FlagKind.VIOLATION],
            "2026-02-28",
            "2026-04-10",
        ),  # before the probation ended
        ("2024-02-29", None, "2024-12-01", [], "2025-02-28", "2025-04-11"),
    ],
)
def test_probation(
    ceremony: str, recognition: str | None, today: str, expected: list[FlagKind], end: str, due: str
):
    done = {"decision": "2000-01-01", "ceremony": ceremony, "party_biography": ceremony}
    if recognition:
        done["recognition_branch"] = recognition
    cl = check(steps(**done), today)
    assert kinds(cl, "recognition_branch") == expected
    assert cl.probation_end == date.fromisoformat(end)
    assert cl.line("recognition_branch").due == date.fromisoformat(due)


def test_party_biography_deadline():
    cl = check(steps(decision="2026-04-15", ceremony="2026-05-04"), "2026-07-01", holidays=MAY_DAY)
    assert kinds(cl, "party_biography") == [FlagKind.OVERDUE]
    assert cl.line("party_biography").due == date(2026, 6, 15)


# -- age at the meeting -------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "meeting", "method", "status", "warnings"),
    [
        (PartialDate(2008, 3, 25), "2026-02-24", Method.COMPLETED, Status.TOO_YOUNG, 1),
        (PartialDate(2008, 3, 25), "2026-03-24", Method.COMPLETED, Status.TOO_YOUNG, 2),
        (PartialDate(2008, 3, 25), "2026-03-25", Method.COMPLETED, Status.ELIGIBLE, 0),
        # Method B counts the birth month: eligible, but the methods disagree.
        (PartialDate(2008, 3, 25), "2026-03-01", Method.CALENDAR, Status.ELIGIBLE, 1),
        (PartialDate(2008, 3, 25), "2026-03-01", Method.COMPLETED, Status.TOO_YOUNG, 2),
        (PartialDate(2008), "2026-03-01", Method.COMPLETED, Status.UNKNOWN, 1),
        (None, "2026-03-01", Method.COMPLETED, Status.UNKNOWN, 1),
        (PartialDate(1960, 1, 1), "2026-03-01", Method.COMPLETED, Status.OVER_AGE, 1),
    ],
)
def test_age_at_planned_meeting(
    dob: PartialDate | None, meeting: str, method: Method, status: Status, warnings: int
):
    cl = check(steps(course="2025-06-01"), "2025-07-01", meeting, dob=dob, method=method)
    assert cl.age.status is status
    assert cl.reference == date.fromisoformat(meeting) and not cl.meeting_held
    assert len(kinds(cl, "branch_resolution")) == warnings
    assert all(f.rule in (deadline_rules.AGE, deadline_rules.AGE_OVER_60) for f in cl.warnings)


def test_age_without_a_meeting_is_judged_today():
    cl = check({}, "2026-03-25", dob=PartialDate(2008, 3, 25))
    assert cl.reference == date(2026, 3, 25) and cl.age.status is Status.ELIGIBLE


def test_age_at_a_held_meeting():
    cl = check(
        steps(branch_resolution="2026-03-20"),
        "2026-04-01",
        "2026-06-01",
        dob=PartialDate(2008, 3, 25),
    )
    assert cl.reference == date(2026, 3, 20)
    assert cl.age.status is Status.TOO_YOUNG
    (age,) = [f for f in cl.violations if f.rule is deadline_rules.AGE]
    assert age.message.startswith("Chi bộ họp xét ngày 20/03/2026")


# -- what is missing next ----------------------------------------------------


@pytest.mark.parametrize(
    ("done", "next_code", "missing"),
    [
        ({}, "source", ["source"]),
        (
            {"source": "2024-01-02", "course": "2024-03-01", "biography": "2024-05-01"},
            "verification",
            ["application", "verification"],
        ),
        (
            {"course": "2024-03-01", "biography": "2024-05-01"},
            "verification",
            ["source", "application", "verification"],
        ),
        (
            {
                c: "2024-05-01"
                for c in (
                    "source",
                    "course",
                    "application",
                    "biography",
                    "verification",
                    "introduction",
                    "union_resolution",
                    "opinions",
                    "branch_resolution",
                    "grassroots_resolution",
                )
            },
            "decision",
            ["decision"],
        ),
    ],
)
def test_next_step(done: dict[str, str], next_code: str, missing: list[str]):
    cl = check(steps(**done), "2024-06-01")
    assert cl.next_step is not None and cl.next_step.code == next_code
    assert [s.code for s in cl.missing] == missing


def test_forms_that_do_not_apply_are_not_listed():
    # A chi bộ cơ sở (the definition's default) has no 7-KNĐ/8-KNĐ/14-KNĐ/15-KNĐ.
    records = steps(**{c: "2024-05-01" for c in ("source", "course", "application")})
    cl = check(records, "2024-06-01")
    assert cl.next_step is not None and cl.next_step.code == "biography"
    forms = {line.step.form for line in cl.lines}
    assert not forms & {"7-KNĐ", "8-KNĐ", "14-KNĐ", "15-KNĐ"}
    assert {"6-KNĐ", "9-KNĐ", "13-KNĐ", "16-KNĐ"} <= forms


FULL = {
    "source": "2023-01-05",
    "course": "2023-01-10",
    "application": "2023-01-20",
    "biography": "2023-01-25",
    "verification": "2023-02-01",
    "introduction": "2023-02-03",
    "union_resolution": "2023-02-03",
    "opinions": "2023-02-05",
    "branch_resolution": "2023-02-10",
    "decision": "2023-03-01",
    "ceremony": "2023-03-10",
    "party_biography": "2023-03-20",
    "new_member_course": "2023-06-01",
    "self_review": "2024-03-12",
    "helper_review": "2024-03-12",
    "recognition_opinions": "2024-03-13",
    "recognition_branch": "2024-03-20",
    "recognition_decision": "2024-04-02",
}
GOOD = Dossier(
    introducers=(Introducer("Lê Văn Tám", PartyStatus.OFFICIAL, date(2020, 1, 1)),),
    votes={
        "branch_resolution": Vote("branch_resolution", 9, 12, 11),
        "decision": Vote("decision", 5, 7),
        "recognition_branch": Vote("recognition_branch", 10, 12, 12),
        "recognition_decision": Vote("recognition_decision", 7, 7),
    },
    education="12/12",
    helper="Lê Văn Tám",
    helper_since=date(2023, 1, 5),
)


def test_full_member_has_nothing_next():
    cl = check(steps(**FULL), "2024-06-01", dossier=GOOD)
    assert cl.next_step is None and cl.stage is Stage.FULL
    assert cl.flags == ()
    assert cl.party_since == date(2023, 3, 1)  # tuổi đảng: the admission decision
    assert cl.probation_end == date(2024, 3, 10)  # official from the end of probation


def test_flags_sorted_overdue_first():
    # A stale dossier (step 6) is overdue; the certificate (step 2) only expiring.
    cl = check(steps(course="2021-08-01", introduction="2025-01-10"), "2026-05-15")
    assert [(f.kind, f.step) for f in deadline_flags(cl)] == [
        (FlagKind.OVERDUE, "introduction"),
        (FlagKind.EXPIRING, "course"),
    ]


def test_meeting_passed_but_not_recorded_judges_nothing():
    # Ceremony recorded, 6-KNĐ not: an old certificate is no longer a problem.
    cl = check(
        steps(course="2019-01-10", decision="2025-05-04", ceremony="2025-05-20"), "2026-06-01"
    )
    assert kinds(cl, "course") == [] and kinds(cl, "branch_resolution") == []
    assert cl.next_step is not None and cl.next_step.code == "party_biography"
    assert {"source", "application", "branch_resolution"} <= {s.code for s in cl.missing}


# -- probation to full membership -------------------------------------------------

PROBATION = dict(list(FULL.items())[: list(FULL).index("party_biography") + 1])


@pytest.mark.parametrize(
    ("extra", "today", "step", "expected"),
    [
        # the new-member course is due by the end of probation (10/03/2024)
        ({}, "2024-02-22", "new_member_course", []),  # 11 working days left
        ({}, "2024-02-23", "new_member_course", [FlagKind.EXPIRING]),  # 10 left
        ({}, "2024-03-11", "new_member_course", [FlagKind.OVERDUE]),
        ({"new_member_course": "2023-06-01"}, "2024-03-11", "new_member_course", []),
        # 10-KNĐ is due with the chi bộ's recognition meeting (30 working days after)
        ({"new_member_course": "2023-06-01"}, "2024-01-01", "self_review", []),
        ({"new_member_course": "2023-06-01"}, "2024-04-25", "self_review", [FlagKind.OVERDUE]),
    ],
)
def test_probation_steps_have_deadlines(
    extra: dict[str, str], today: str, step: str, expected: list[FlagKind]
):
    cl = check(steps(**PROBATION, **extra), today, dossier=GOOD)
    got = [f.kind for f in cl.flags if f.step == step]
    assert got == expected
    assert cl.stage is Stage.PROBATION


def test_not_recognised_removes_the_name():
    done = {k: v for k, v in FULL.items() if k != "recognition_decision"}
    cl = check(steps(**done, not_recognised="2024-04-02"), "2024-06-01", dossier=GOOD)
    assert cl.stage is Stage.REMOVED and cl.next_step is None
    assert cl.flags == ()
