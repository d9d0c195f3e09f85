"""Held-out dossiers via the store API: refused with the rule or flagged; nothing half-written."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import Stage, StepRecord, StepState
from dvdesk.domain.procedure_dossier import DossierException, Introducer, PartyStatus, Vote
from dvdesk.store.dossier import BadDossierInput, StepRefused
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from tests import sql

TODAY = date(2026, 6, 1)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# A correct dossier (Đoàn route, chi bộ cơ sở), in the order it is made.
STEPS = [
    ("source", "2025-09-01"),
    ("course", "2025-09-20"),
    ("application", "2025-10-01"),
    ("biography", "2025-10-05"),
    ("verification", "2025-11-01"),
    ("introduction", "2025-11-05"),
    ("union_resolution", "2025-11-06"),
    ("opinions", "2025-11-10"),
    ("branch_resolution", "2025-12-01"),
    ("decision", "2026-01-05"),
    ("ceremony", "2026-01-20"),
    ("party_biography", "2026-02-10"),
]
TAM = Introducer("Lê Văn Tám", PartyStatus.OFFICIAL, date(2020, 1, 1))


def day(text: str) -> date:
    return date.fromisoformat(text)


def done(code: str, on: str, number: str = "") -> StepRecord:
    return StepRecord(code, StepState.DONE, day(on), number)


@pytest.fixture
def uid(fresh_store: Store) -> str:
    m = Member("Trần Thị Mai", "KDC01", dob=PartialDate(2001, 4, 2))
    fresh_store.members.add(m, TODAY)
    return m.uid


def fill(store: Store, uid: str, upto: str = "", vote: Vote | None = None) -> None:
    store.dossier.set_details(
        uid, education="12/12", helper="Lê Văn Tám", helper_since=day("2025-09-01")
    )
    store.dossier.set_introducers(uid, [TAM])
    for code, on in STEPS:
        store.steps.record(uid, done(code, on), TODAY)
        if code == "branch_resolution":
            store.dossier.set_vote(uid, code, vote or Vote(code, 9, 12, 11))
        if code == upto:
            break


def stage(store: Store, uid: str) -> Stage:
    return Stage(sql.scalar(store, "SELECT stage FROM members WHERE uid = ?", [uid]))


def issues(store: Store, uid: str) -> str:
    return str(sql.scalar(store, "SELECT dossier_issues FROM members WHERE uid = ?", [uid]))


def written(store: Store) -> tuple[int, int]:
    return (
        sql.scalar(store, "SELECT count(*) FROM steps"),
        sql.scalar(store, "SELECT count(*) FROM audit"),
    )


def test_a_correct_dossier_passes_with_no_flag(fresh_store: Store, uid: str):
    fill(fresh_store, uid)
    cl = fresh_store.steps.checklist(uid, today=TODAY)
    assert cl.flags == ()
    assert cl.stage is Stage.PROBATION
    assert stage(fresh_store, uid) is Stage.PROBATION
    assert fresh_store.dossier.get(uid).checked_version == cl.definition.version
    assert sql.scalar(fresh_store, "SELECT dossier_issues FROM members WHERE uid = ?", [uid]) == ""


@pytest.mark.parametrize(
    ("upto", "record", "rule"),
    [
        ("application", done("branch_resolution", "2025-09-25"), "order_branch"),  # before 1-KNĐ
        ("branch_resolution", done("ceremony", "2026-01-20"), "order_ceremony"),  # no 9-KNĐ
        ("opinions", done("decision", "2026-01-05"), "order_decision"),  # no 6-KNĐ
        ("branch_resolution", StepRecord("decision", StepState.NOT_APPLICABLE), "step_required"),
        ("ceremony", StepRecord("application", StepState.NOT_STARTED), "order_application"),
        ("branch_resolution", done("grassroots_resolution", "2025-12-10"), "step_not_applicable"),
    ],
)
def test_a_step_that_breaks_the_order_is_refused_and_nothing_written(
    fresh_store: Store, uid: str, upto: str, record: StepRecord, rule: str
):
    fill(fresh_store, uid, upto)
    before, was = written(fresh_store), stage(fresh_store, uid)
    with pytest.raises(StepRefused) as caught:
        fresh_store.steps.record(uid, record, TODAY)
    assert rule in {p.rule.code for p in caught.value.problems}
    assert "Căn cứ:" in str(caught.value)
    assert written(fresh_store) == before
    assert stage(fresh_store, uid) is was


def test_decision_needs_the_introducers(fresh_store: Store, uid: str):
    fill(fresh_store, uid, "branch_resolution")
    fresh_store.dossier.set_introducers(uid, [])
    with pytest.raises(StepRefused, match="người giới thiệu"):
        fresh_store.steps.record(uid, done("decision", "2026-01-05"), TODAY)


def test_forms_follow_the_unit_setting(fresh_store: Store, uid: str):
    fill(fresh_store, uid, "branch_resolution")
    fresh_store.dossier.set_unit_position("KDC01", "dang_uy_co_so")
    cl = fresh_store.steps.checklist(uid, today=TODAY)
    assert cl.has_line("grassroots_resolution") and not cl.has_line("appraisal")
    with pytest.raises(StepRefused, match="8-KNĐ"):
        fresh_store.steps.record(uid, done("decision", "2026-01-05"), TODAY)
    fresh_store.steps.record(uid, done("grassroots_resolution", "2025-12-10"), TODAY)
    fresh_store.dossier.set_vote(uid, "grassroots_resolution", Vote("grassroots_resolution", 5, 7))
    fresh_store.steps.record(uid, done("decision", "2026-01-05"), TODAY)
    assert stage(fresh_store, uid) is Stage.ADMISSION
    fresh_store.dossier.set_unit_position("KDC01", None)
    assert fresh_store.dossier.unit_position("KDC01") == "chi_bo_co_so"


def _in_problem_view(store: Store, uid: str) -> bool:
    return store.members.row_id(uid) in store.members.ids(MemberQuery(has_issues=True))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (
            lambda s, u: s.dossier.set_vote(
                u, "branch_resolution", Vote("branch_resolution", 7, 12, 12)
            ),
            "branch_vote",
        ),
        (
            lambda s, u: s.dossier.set_introducers(
                u, [Introducer("Hoa", PartyStatus.PROBATIONARY, date(2020, 1, 1))]
            ),
            "introducers",
        ),
        (
            lambda s, u: s.dossier.set_introducers(
                u, [Introducer("Hoa", PartyStatus.OFFICIAL, date(2025, 6, 1))]
            ),
            "introducers",
        ),
    ],
)
def test_a_violation_is_flagged_counted_and_listed_for_checking(
    fresh_store: Store, uid: str, change, rule
):
    fill(fresh_store, uid, "branch_resolution")
    assert not _in_problem_view(fresh_store, uid)
    change(fresh_store, uid)
    cl = fresh_store.steps.checklist(uid, today=TODAY)
    assert cl.flags[0].kind.value == "violation" and cl.flags[0].rule.code == rule
    assert rule in sql.scalar(
        fresh_store, "SELECT dossier_issues FROM members WHERE uid = ?", [uid]
    )
    assert _in_problem_view(fresh_store, uid)


def test_meeting_before_18_and_expired_certificate(fresh_store: Store):
    young = Member("Lò Văn Pá", "KDC01", dob=PartialDate(2008, 3, 1))
    fresh_store.members.add(young, TODAY)
    fresh_store.dossier.set_details(young.uid, education="12/12", helper="Lê Văn Tám")
    fresh_store.dossier.set_introducers(young.uid, [TAM])
    for code, on in STEPS[:9]:
        on = "2020-01-10" if code == "course" else on
        fresh_store.steps.record(young.uid, done(code, on), TODAY)
    fresh_store.dossier.set_vote(young.uid, "branch_resolution", Vote("branch_resolution", 9, 12))
    cl = fresh_store.steps.checklist(young.uid, today=TODAY)
    assert {f.rule.code for f in cl.violations} == {"age_at_meeting", "certificate_validity"}
    assert _in_problem_view(fresh_store, young.uid)


def test_exceptions_only_where_allowed_and_documented(fresh_store: Store, uid: str):
    with pytest.raises(BadDossierInput, match="không cho phép ngoại lệ"):
        fresh_store.dossier.add_exception(uid, DossierException("order_ceremony", "x", "y"))
    with pytest.raises(BadDossierInput, match="văn bản"):
        fresh_store.dossier.add_exception(uid, DossierException("ceremony_deadline", "x", " "))
    fresh_store.dossier.add_exception(
        uid,
        DossierException(
            "ceremony_deadline", "Bão lũ", "Công văn 45-CV/ĐU ngày 02/3/2026", "ceremony"
        ),
    )
    assert fresh_store.dossier.get(uid).exception_for("ceremony_deadline", "ceremony")
    fresh_store.dossier.remove_exception(uid, "ceremony_deadline", "ceremony")
    assert fresh_store.dossier.get(uid).exceptions == ()
    with pytest.raises(BadDossierInput, match="Không có ngoại lệ"):
        fresh_store.dossier.remove_exception(uid, "ceremony_deadline", "ceremony")


@pytest.mark.parametrize(
    "vote",
    [
        Vote("branch_resolution", 9, 8),
        Vote("branch_resolution", 9, 12, 8),
        Vote("branch_resolution", 1, 0),
    ],
)
def test_impossible_votes_are_refused(fresh_store: Store, uid: str, vote: Vote):
    with pytest.raises(BadDossierInput):
        fresh_store.dossier.set_vote(uid, "branch_resolution", vote)
    with pytest.raises(BadDossierInput, match="biểu quyết"):
        fresh_store.dossier.set_vote(uid, "application", Vote("application", 1, 1))


def test_dossier_data_round_trips_and_is_audited(fresh_store: Store, uid: str):
    people = [
        TAM,
        Introducer("Phạm Hoa", PartyStatus.OFFICIAL, date(2019, 2, 3), date(2025, 11, 5), "GV"),
    ]
    fresh_store.dossier.set_introducers(uid, people)
    fresh_store.dossier.set_details(uid, education="9/12", union_member=False, helper="Lê Tám")
    d = fresh_store.dossier.get(uid)
    assert d.introducers == tuple(people)
    assert (d.education, d.union_member, d.helper) == ("9/12", False, "Lê Tám")
    entities = [
        r["entity"]
        for r in sql.rows(fresh_store, "SELECT entity FROM audit WHERE entity_uid = ?", [uid])
    ]
    assert "introducers" in entities and "dossier" in entities


def test_migration_keeps_out_of_order_steps_and_flags_them(tmp_path: Path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "dvdesk-v1.0.db", path)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO steps (member_id, code, state, done_on, doc_number, updated_at) "
            "VALUES (2, ?, 'done', ?, '', '2025-01-01T00:00:00')",
            [("ceremony", "2025-05-20"), ("application", "2025-03-01")],
        )
        conn.execute("UPDATE members SET stage = 'probation' WHERE id = 2")
        before = conn.execute("SELECT count(*) FROM steps").fetchone()[0]
    store = Store.open(path)
    try:
        uid = store.members.uid_of(2)
        assert sql.scalar(store, "SELECT count(*) FROM steps") == before
        assert store.steps.of(uid)["ceremony"].done_on == date(2025, 5, 20)
        assert "order_ceremony" in sql.scalar(
            store, "SELECT dossier_issues FROM members WHERE id = 2"
        )
        assert stage(store, uid) is Stage.DOSSIER  # no decision: not a Party member
        assert 2 in store.members.ids(MemberQuery(has_issues=True))
        # The record can still be corrected step by step.
        store.steps.record(uid, done("biography", "2025-03-05"), TODAY)
    finally:
        store.close()


def _pdf_text(store: Store, uid: str, out: Path) -> str:
    from pypdf import PdfReader

    from dvdesk.reports.checklist_pdf import write_checklists

    # One sheet; at full size (issue #17: never shrunk) it may run onto a second page.
    pages = write_checklists(store, [uid], out, None, TODAY)
    reader = PdfReader(str(out))
    assert 1 <= pages == len(reader.pages) <= 2
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_the_printed_checklist_shows_violations_with_their_source(
    fresh_store: Store, uid: str, tmp_path: Path
):
    fill(fresh_store, uid)
    clean = _pdf_text(fresh_store, uid, tmp_path / "ok.pdf")
    assert "VI PHẠM" not in clean and "Vi phạm" not in clean
    assert "Lê Văn Tám" in clean and "12/12" in clean and "6-KNĐ: 9/12 tán thành" in clean
    fresh_store.dossier.set_vote(uid, "branch_resolution", Vote("branch_resolution", 7, 12, 12))
    text = _pdf_text(fresh_store, uid, tmp_path / "vp.pdf")
    assert "VI PHẠM" in text and "Hồ sơ có 1 vi phạm" in text
    assert "7/12 đảng viên chính thức tán thành, chưa đủ 2/3" in text
    assert "06-HD/TW" in text
