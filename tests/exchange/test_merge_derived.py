"""After a merge the receiving level derives each candidate's stage and violation codes
again, as the commune's own file does after a step or dossier write: per member and per
commune they equal the commune's own (raw SQL on both files), and so do the overdue and
expiring counts of the summary and the commune's own checklists."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.domain.procedure_dossier import Introducer, PartyStatus
from dvdesk.store.gateway import Store
from dvdesk.store.received import IN_PROCEDURE
from tests import sql

TODAY = date.today()  # the communes' files derive on the day of each write, as the merge does
COMMUNES = (
    ("00021", "Xã Bình An", 150, 11),
    ("00022", "Xã Tân Lập", 120, 12),
    ("00023", "Phường Một", 100, 13),
)


def _derived(db: Path, code: str | None = None) -> dict[str, tuple[str, str]]:
    """uid → (stage, dossier_issues) of the live members (of one commune), read raw."""
    with Store.open(db, read_only=True) as s:
        where, params = ("AND commune_code = ?", [code]) if code else ("", [])
        return {
            r["uid"]: (r["stage"], r["dossier_issues"])
            for r in sql.rows(
                s,
                f"SELECT uid, stage, dossier_issues FROM members WHERE deleted_at IS NULL {where}",
                params,
            )
        }


def _own_flags(db: Path) -> tuple[int, int]:
    """Candidates with an overdue / an expiring step, by the commune's own checklists."""
    overdue = expiring = 0
    with Store.open(db, read_only=True) as s:
        for r in sql.rows(
            s,
            "SELECT DISTINCT m.uid FROM members m JOIN steps st ON st.member_id = m.id "
            f"WHERE m.deleted_at IS NULL AND m.stage IN ({','.join('?' * len(IN_PROCEDURE))})",
            [x.value for x in IN_PROCEDURE],
        ):
            checklist = s.steps.checklist(r["uid"], today=TODAY)
            overdue += bool(checklist.overdue)
            expiring += bool(checklist.expiring)
    return overdue, expiring


def _candidate(store: Store, stage: str) -> str:
    return str(
        sql.scalar(
            store,
            "SELECT uid FROM members WHERE stage = ? AND deleted_at IS NULL ORDER BY uid",
            [stage],
        )
    )


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tinh")
    files = {}
    for code, name, n, seed in COMMUNES:
        db = folder / f"{code}.db"
        argv = ["demo", "--db", str(db), "--members", str(n), "--seed", str(seed)]
        assert main([*argv, "--commune-code", code, "--commune-name", name]) == 0
        files[code] = db
    # A candidate introduced by someone who is not a Party member (a violation), and a
    # member whose admission decision was recorded by a bulk write with every earlier
    # step missing, then checked again as any later write in the window does.
    with Store.open(files["00021"]) as s:
        uid = _candidate(s, "dossier")
        s.dossier.set_introducers(
            uid, [Introducer("Lê Văn Giới", PartyStatus.NONE, date(2024, 1, 5))]
        )
    with Store.open(files["00022"]) as s:
        uid = _candidate(s, "member")
        s.steps.record_many({uid: [StepRecord("decision", StepState.DONE, date(2026, 3, 2))]})
        with s.transaction():
            s.dossier.refresh(uid)
    level = folder / "tong-hop.db"
    packages = []
    for code, *_ in COMMUNES:
        pkg = folder / f"{code}-1.zip"
        assert main(["export", "--db", str(files[code]), "--out", str(pkg)]) == 0
        packages.append(str(pkg))
    assert main(["merge", "--db", str(level), *packages]) == 0
    return folder, files, level


def test_each_member_is_derived_as_in_the_communes_own_file(province):
    _, files, level = province
    merged = _derived(level)
    for code, *_ in COMMUNES:
        own = _derived(files[code])
        assert {u: merged[u] for u in own} == own
        with Store.open(level, read_only=True) as s:
            assert _derived(level, code) == own
            stages = {f.commune_code: f.stages for f in s.received.summary(TODAY)}[code]
        assert stages == dict(Counter(stage for stage, _ in own.values()))
    issues = {
        code: sum(bool(i) for _, i in _derived(files[code]).values()) for code, *_ in COMMUNES
    }
    assert issues["00021"] >= 1 and issues["00022"] >= 1


def test_overdue_and_expiring_counts_match_the_communes_checklists(province):
    _, files, level = province
    with Store.open(level, read_only=True) as s:
        figures = {f.commune_code: f for f in s.received.summary(TODAY)}
    for code, *_ in COMMUNES:
        assert (figures[code].overdue, figures[code].expiring) == _own_flags(files[code])


def test_a_newer_package_derives_again(province):
    folder, files, level = province
    db = files["00023"]
    with Store.open(db) as s:
        uid = _candidate(s, "dossier")
        s.dossier.set_introducers(
            uid, [Introducer("Trần Thị Dự Bị", PartyStatus.PROBATIONARY, date(2024, 1, 5))]
        )
        before = _derived(level)[uid]
    assert _derived(db)[uid] != before  # the new write changed what is derived
    pkg = folder / "00023-2.zip"
    assert main(["export", "--db", str(db), "--out", str(pkg)]) == 0
    assert main(["merge", "--db", str(level), str(pkg)]) == 0
    assert _derived(level, "00023") == _derived(db)


def test_bulk_checklists_are_the_ones_built_one_by_one(province):
    """store.dossier.bulk_checks reads in a few queries what checklist() reads per member."""
    _, files, _ = province
    with Store.open(files["00021"], read_only=True) as s:
        checks = s.dossier.bulk_checks(TODAY)
        ids = checks.candidates()
        assert len(ids) > 5
        for member, bulk in checks.checklists(ids, TODAY):
            one = s.steps.checklist(member["uid"], today=TODAY)
            assert bulk == one
