"""Order and prerequisites: held-out dossiers refused or accepted, the stage derived."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.procedure import DEFINITION, Stage, StepRecord, StepState, stage_of
from dvdesk.domain.procedure_dossier import Dossier, DossierException, Introducer, PartyStatus
from dvdesk.domain.procedure_order import effective_steps, problems, refusal_text, refusals

D = DEFINITION
OFFICIAL = Introducer("Lê Văn Tám", PartyStatus.OFFICIAL, date(2020, 1, 1))
OTHER = Introducer("Phạm Thị Hoa", PartyStatus.OFFICIAL, date(2019, 5, 1))
UNION_ROUTE = Dossier(introducers=(OFFICIAL,))
TWO = Dossier(introducers=(OFFICIAL, OTHER))

# A correct dossier up to the ceremony, Đoàn route, chi bộ cơ sở.
BEFORE_DECISION = {
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


def recs(done: dict[str, str], **states: StepState) -> dict[str, StepRecord]:
    out = {c: StepRecord(c, StepState.DONE, date.fromisoformat(d)) for c, d in done.items()}
    out |= {c: StepRecord(c, s) for c, s in states.items()}
    return out


def refuse(
    done: dict[str, str],
    new: StepRecord,
    dossier: Dossier = UNION_ROUTE,
    position: str = "chi_bo_co_so",
) -> list[str]:
    return [p.rule.code for p in refusals(D, recs(done), new, dossier, position)]


def done(code: str, day: str) -> StepRecord:
    return StepRecord(code, StepState.DONE, date.fromisoformat(day))


@pytest.mark.parametrize(
    ("have", "new", "dossier", "position", "expected"),
    [
        # 6-KNĐ dated before the application (1-KNĐ)
        (
            {k: v for k, v in BEFORE_DECISION.items() if k != "branch_resolution"},
            done("branch_resolution", "2024-01-25"),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["order_branch"] * 5,  # before 1-, 2-KNĐ, verification, 3-, 5-KNĐ
        ),
        # ceremony without the admission decision (9-KNĐ)
        (
            BEFORE_DECISION,
            done("ceremony", "2024-05-01"),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["order_ceremony"],
        ),
        # decision at a chi bộ cơ sở: no 8-KNĐ needed
        (BEFORE_DECISION, done("decision", "2024-04-10"), UNION_ROUTE, "chi_bo_co_so", []),
        # decision under a đảng ủy cơ sở without its 8-KNĐ
        (
            BEFORE_DECISION,
            done("decision", "2024-04-10"),
            UNION_ROUTE,
            "dang_uy_co_so",
            ["order_decision"],
        ),
        # decision with no introducer recorded
        (
            BEFORE_DECISION,
            done("decision", "2024-04-10"),
            Dossier(),
            "chi_bo_co_so",
            ["order_decision"],
        ),
        # decision without the Đoàn resolution needs two introducers
        (
            {k: v for k, v in BEFORE_DECISION.items() if k != "union_resolution"},
            done("decision", "2024-04-10"),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["order_decision"],
        ),
        (
            {k: v for k, v in BEFORE_DECISION.items() if k != "union_resolution"},
            done("decision", "2024-04-10"),
            TWO,
            "chi_bo_co_so",
            [],
        ),
        # decision the same day as the chi bộ meeting: allowed (not before)
        (BEFORE_DECISION, done("decision", "2024-03-20"), UNION_ROUTE, "chi_bo_co_so", []),
        # 9-KNĐ cannot be "không áp dụng"; 4-KNĐ can
        (
            BEFORE_DECISION,
            StepRecord("decision", StepState.NOT_APPLICABLE),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["step_required"],
        ),
        (
            {},
            StepRecord("union_resolution", StepState.NOT_APPLICABLE),
            UNION_ROUTE,
            "chi_bo_co_so",
            [],
        ),
        # 8-KNĐ recorded where it does not apply is refused
        (
            BEFORE_DECISION,
            done("grassroots_resolution", "2024-04-01"),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["step_not_applicable"],
        ),
        (
            BEFORE_DECISION,
            done("grassroots_resolution", "2024-04-01"),
            UNION_ROUTE,
            "dang_uy_co_so",
            [],
        ),
        # under a đảng ủy bộ phận, 8-KNĐ needs the 7-KNĐ appraisal
        (
            BEFORE_DECISION,
            done("grassroots_resolution", "2024-04-01"),
            UNION_ROUTE,
            "dang_uy_bo_phan",
            ["order_grassroots"],
        ),
        # un-marking or re-dating a step a later one needs
        (
            BEFORE_DECISION,
            StepRecord("application", StepState.NOT_STARTED),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["order_application", "order_branch"],
        ),
        (
            BEFORE_DECISION,
            done("application", "2024-02-11"),
            UNION_ROUTE,
            "chi_bo_co_so",
            ["order_application"],
        ),
        (BEFORE_DECISION, done("application", "2024-02-10"), UNION_ROUTE, "chi_bo_co_so", []),
    ],
)
def test_refusals(
    have: dict[str, str], new: StepRecord, dossier: Dossier, position: str, expected: list[str]
):
    assert sorted(refuse(have, new, dossier, position)) == sorted(expected)


def test_branch_meeting_before_application_names_every_step_it_precedes():
    have = {k: v for k, v in BEFORE_DECISION.items() if k != "branch_resolution"}
    found = refusals(D, recs(have), done("branch_resolution", "2024-01-25"), UNION_ROUTE, None)
    about = {p.about for p in found}
    # dated 25/01: after the certificate (10/01), before 1-, 2-KNĐ, verification, 3-, 5-KNĐ
    assert about == {"application", "biography", "verification", "introduction", "opinions"}
    text = refusal_text(found[0])
    assert "Căn cứ:" in text and "294-QĐ/TW" in text


PROBATION = BEFORE_DECISION | {
    "decision": "2024-04-10",
    "ceremony": "2024-04-20",
    "party_biography": "2024-05-10",
    "self_review": "2025-04-21",
    "helper_review": "2025-04-21",
    "recognition_opinions": "2025-04-22",
}


def test_recognition_needs_the_new_member_course_unless_excepted():
    new = done("recognition_branch", "2025-04-25")
    assert refuse(PROBATION, new) == ["new_member_course"]
    excepted = Dossier(
        introducers=(OFFICIAL,),
        exceptions=(
            DossierException(
                "new_member_course",
                "Ốm dài ngày",
                "Công văn 12-CV/ĐU ngày 01/4/2025",
                "recognition_branch",
            ),
        ),
    )
    assert refuse(PROBATION, new, excepted) == []
    assert refuse(PROBATION | {"new_member_course": "2024-09-01"}, new) == []


def test_an_exception_only_where_the_rule_allows_one():
    # The ceremony needs the decision; no document can waive that.
    dossier = Dossier(
        introducers=(OFFICIAL,),
        exceptions=(DossierException("order_ceremony", "x", "y", "ceremony"),),
    )
    assert refuse(BEFORE_DECISION, done("ceremony", "2024-05-01"), dossier) == ["order_ceremony"]


def test_recognised_and_removed_exclude_each_other():
    full = PROBATION | {"new_member_course": "2024-09-01", "recognition_branch": "2025-04-25"}
    assert refuse(
        full | {"recognition_decision": "2025-05-05"}, done("not_recognised", "2025-05-06")
    ) == ["recognition_outcome"]
    assert refuse(full, done("not_recognised", "2025-05-06")) == []


def test_old_out_of_order_records_are_flagged_but_do_not_block_other_steps():
    legacy = {
        "ceremony": "2024-05-01",
        "branch_resolution": "2024-01-02",
        "application": "2024-02-01",
    }
    found = problems(D, recs(legacy), UNION_ROUTE, "chi_bo_co_so")
    assert {(p.step, p.rule.code) for p in found} >= {
        ("ceremony", "order_ceremony"),
        ("branch_resolution", "order_branch"),
    }
    # Recording the certificate is not refused because of the old breaches.
    assert refuse(legacy, done("course", "2023-12-01")) == []


@pytest.mark.parametrize(
    ("done_steps", "dossier", "stage"),
    [
        ({}, UNION_ROUTE, Stage.MEMBER),
        ({"ceremony": "2024-05-01"}, UNION_ROUTE, Stage.MEMBER),  # no decision: not admitted
        ({"source": "2024-01-05", "ceremony": "2024-05-01"}, UNION_ROUTE, Stage.INTRODUCED),
        (BEFORE_DECISION, UNION_ROUTE, Stage.ADMISSION),
        (
            BEFORE_DECISION | {"decision": "2024-04-10"},
            Dossier(),
            Stage.ADMISSION,
        ),  # 9 lacks introducers
        (
            BEFORE_DECISION | {"decision": "2024-04-10", "ceremony": "2024-04-20"},
            UNION_ROUTE,
            Stage.PROBATION,
        ),
        (
            BEFORE_DECISION | {"decision": "2024-04-10", "ceremony": "2024-04-09"},
            UNION_ROUTE,
            Stage.ADMISSION,
        ),  # ceremony dated before its decision does not count
        (
            PROBATION
            | {
                "new_member_course": "2024-09-01",
                "recognition_branch": "2025-04-25",
                "not_recognised": "2025-05-06",
            },
            UNION_ROUTE,
            Stage.REMOVED,
        ),
        (
            PROBATION
            | {
                "new_member_course": "2024-09-01",
                "recognition_branch": "2025-04-25",
                "recognition_decision": "2025-05-06",
            },
            UNION_ROUTE,
            Stage.FULL,
        ),
    ],
)
def test_stage_is_derived_from_steps_that_count(
    done_steps: dict[str, str], dossier: Dossier, stage: Stage
):
    records = recs(done_steps)
    counted = effective_steps(D, records, "chi_bo_co_so")
    assert stage_of({c: records[c] for c in counted}, D, "chi_bo_co_so") is stage


def test_stage_from_codes_alone_ignores_what_it_cannot_know():
    # A sheet gives only the codes done: no dates, no introducers, no position.
    assert stage_of({"source", "course"}) is Stage.COURSE
    assert stage_of(set(BEFORE_DECISION) | {"decision", "ceremony"}) is Stage.PROBATION
    assert stage_of({"ceremony"}) is Stage.MEMBER


def test_a_recorded_decision_without_introducer_data_is_a_reminder_not_a_violation():
    # Files from before the dossier format have no introducers; the decision is there.
    records = recs(BEFORE_DECISION | {"decision": "2024-04-10"})
    (found,) = problems(D, records, Dossier(), "chi_bo_co_so")
    assert found.rule.code == "order_decision" and not found.severe


def test_filling_an_old_gap_with_a_wrong_date_is_refused():
    # An older file has the chi bộ meeting without the application; recording the
    # application now must not date it after the meeting it preceded.
    legacy = {"course": "2024-01-10", "branch_resolution": "2024-03-20"}
    assert refuse(legacy, done("application", "2024-04-01")) == ["order_branch"]
    assert refuse(legacy, done("application", "2024-02-01")) == []
