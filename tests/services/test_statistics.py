"""Statistics read from a store: period counts, unit kind at the time, entered totals, CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.services import statistics
from dvdesk.store.gateway import Store

TODAY = date(2026, 6, 1)
R, S = UnitKind.RESIDENTIAL, UnitKind.SCHOOL


def done(store: Store, uid: str, **steps: str) -> None:
    """Record just the steps the figures count (the bulk path: a dossier check would
    rightly refuse a 9-KNĐ without its prerequisites; statistics are what is tested)."""
    records = [StepRecord(c, StepState.DONE, date.fromisoformat(d)) for c, d in steps.items()]
    store.steps.record_many({uid: records})


def commune(store: Store) -> Store:
    """Hand-made: each member's steps and where they were at the time."""
    a = Member("Nguyễn Văn An", "KDC01", PartialDate(1999, 1, 1), uid="a")
    b = Member(
        "Trần Thị Bình", "THPT1", PartialDate(2002, 1, 1), school_class="12A1",
        graduation_year=2020, uid="b",
    )  # fmt: skip
    c = replace(b, full_name="Lê Văn Cường", uid="c")
    d = Member("Phạm Văn Dũng", "KDC01", PartialDate(1998, 1, 1), uid="d")
    for m in (a, b, c, d):
        store.members.add(m, today=TODAY)
    done(store, "a", course="2019-03-01", union_resolution="2019-05-01", decision="2020-02-01")
    done(store, "b", course="2019-09-01", union_resolution="2019-10-01")  # a student then
    # b graduates (31/05/2020) and moves home; admitted there in 2021.
    store.members.update(replace(b, unit_code="KDC01", school_class=""), today=TODAY)
    done(store, "b", decision="2021-03-01")
    # c moved home first; the 4-KNĐ of 01/03/2020 is recorded afterwards: still a student's.
    store.members.update(replace(c, unit_code="KDC01", school_class=""), today=TODAY)
    done(store, "c", union_resolution="2020-03-01")
    done(store, "d", decision="2019-06-01")
    store.members.delete("d")  # deleted: not counted
    store.steps.record_many({"a": [StepRecord("ceremony", StepState.NOT_STARTED)]})
    return store


# (year, kind, introduced, course, admitted)
EXPECTED = [
    (2019, R, 1, 1, 0),
    (2019, S, 1, 1, 0),
    (2020, R, 0, 0, 1),
    (2020, S, 1, 0, 0),
    (2021, R, 0, 0, 1),
    (2021, S, 0, 0, 0),
    (2021, None, 0, 0, 1),
]


def test_figures_per_year_and_kind_at_the_time(fresh_store):
    stats = statistics.figures(commune(fresh_store), 2019, 2021)
    for year, kind, introduced, course, admitted in EXPECTED:
        r = stats.row(year, kind)
        assert (r.introduced, r.course, r.admitted) == (introduced, course, admitted), (year, kind)
    total = stats.span(None)
    assert (total.introduced, total.course, total.admitted) == (3, 2, 2)
    assert total.admitted_per_introduced == pytest.approx(2 / 3)
    assert total.admitted_per_course == 1.0
    students = stats.students
    assert (students.introduced, students.course, students.admitted) == (2, 1, 0)
    assert students.admitted_per_introduced == 0.0


def test_a_year_prints_the_same_after_people_move(fresh_store):
    store = commune(fresh_store)
    before = statistics.figures(store, 2019, 2019)
    a = store.members.get("a")
    store.members.update(replace(a, unit_code="THPT1", school_class="12A3"), today=TODAY)
    done(store, "c", course="2024-09-01")  # new data of a later year
    assert statistics.figures(store, 2019, 2019) == before


# The plain definition, as the bench's baseline writes it: each step joined to its member.
ORACLE = (
    "SELECT CAST(substr(s.done_on, 1, 4) AS INTEGER), s.code, coalesce(s.unit_kind, u.kind), "
    "count(*) FROM steps s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
    "WHERE s.state = 'done' AND s.done_on IS NOT NULL "
    "AND s.code IN ('union_resolution', 'course', 'decision') "
    "AND s.done_on >= ? AND s.done_on < ? AND m.deleted_at IS NULL GROUP BY 1, 2, 3"
)


def test_event_counts_agree_with_joining_each_step_to_its_member(fresh_store):
    # event_counts subtracts the deleted members' steps instead of joining every step:
    # deleted members with steps in and out of the period, and steps recorded before
    # the unit kind was (NULL: the member's unit's kind now), must count the same.
    from tests import sql

    store = commune(fresh_store)
    e = Member("Võ Thị Em", "THPT1", PartialDate(2003, 1, 1), school_class="11A1", uid="e")
    f = Member("Đỗ Văn Phúc", "KDC01", PartialDate(1997, 1, 1), uid="f")
    for m in (e, f):
        store.members.add(m, today=TODAY)
    done(store, "e", course="2019-04-01", union_resolution="2020-05-01", decision="2021-05-01")
    done(store, "f", course="2018-04-01", union_resolution="2019-06-01", decision="2022-01-01")
    store.members.delete("e")
    sql.execute(
        store,
        "UPDATE steps SET unit_kind = NULL WHERE code <> 'decision' AND member_id IN "
        "(SELECT id FROM members WHERE uid IN ('a', 'e', 'f'))",
    )
    for first, last in ((2019, 2021), (2018, 2022), (2020, 2020), (1990, 2030)):
        rows = sql.raw(store).execute(ORACLE, [f"{first:04d}", f"{last + 1:04d}"]).fetchall()
        expected = {(y, code, UnitKind(kind)): n for y, code, kind, n in rows}
        assert store.statistics.event_counts(first, last) == expected, (first, last)
    everything = sql.raw(store).execute(ORACLE, ["0000", "9999"]).fetchall()
    assert store.statistics.event_counts() == {(y, c, UnitKind(k)): n for y, c, k, n in everything}
    assert sum(store.statistics.event_counts(2019, 2021).values()) == 7 + 1  # f's 4-KNĐ of 2019


def test_entered_totals_make_the_target(fresh_store):
    store = commune(fresh_store)
    statistics.enter_year_totals(store, 2020, 40, 1, "  Báo cáo  năm 2020 ")
    statistics.enter_year_totals(store, 2021, 42, None)
    t2019, t2020, t2021 = statistics.figures(store, 2019, 2021).targets
    assert t2019.percent is None and t2019.reached is None  # nothing entered for 2019
    # 2020: a (tracked) + 1 outside = 2 of 40 = 5%: target 3% (2 needed) reached
    assert (t2020.new_members, t2020.percent, t2020.target, t2020.reached) == (2, 5.0, 2, True)
    assert t2020.source == "Báo cáo năm 2020"
    assert (t2021.new_members, t2021.percent, t2021.low) == (None, None, 2)
    history = [h for h in store.audit.history("2020") if h["entity"] == "party_totals"]
    assert history and "40" in history[-1]["new"]


@pytest.fixture
def db(tmp_path: Path, fresh_store) -> Path:
    path = tmp_path / "xa.db"
    with Store.open(path) as store:
        from tests.conftest import _with_units

        commune(_with_units(store))
    return path


def test_cli_stats_json_contract(capsys, db):
    assert main(["stats", "--db", str(db), "--set-year", "2020", "--members-at-start", "40",
                 "--outside-admitted", "1", "--source", "Báo cáo"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--from", "2019", "--to", "2021", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    keys = {"introduced", "course", "admitted", "admitted_per_introduced", "admitted_per_course"}
    assert (data["from"], data["to"], data["unit_kind"]) == (2019, 2021, None)
    assert {k: data[k] for k in keys} == {
        "introduced": 3,
        "course": 2,
        "admitted": 2,
        "admitted_per_introduced": pytest.approx(2 / 3),
        "admitted_per_course": 1.0,
    }
    assert data["by_unit_kind"]["thpt"] == data["students"]
    assert data["students"] == {
        "introduced": 2,
        "course": 1,
        "admitted": 0,
        "admitted_per_introduced": 0.0,
        "admitted_per_course": 0.0,
    }
    # residential: a introduced 2019; a (2020) and b, back home (2021), admitted
    assert data["by_unit_kind"]["kdc"] == {
        "introduced": 1,
        "course": 1,
        "admitted": 2,
        "admitted_per_introduced": 2.0,
        "admitted_per_course": 2.0,
    }
    assert [y["year"] for y in data["years"]] == [2019, 2020, 2021]
    assert data["years"][2]["admitted_per_introduced"] is None  # 0 introduced in 2021
    target = {t["year"]: t for t in data["target"]}
    assert target[2019]["percent"] is None and target[2019]["party_members_at_start"] is None
    assert (target[2020]["new_members"], target[2020]["percent"]) == (2, 5.0)


def test_cli_stats_one_unit_kind_and_text(capsys, db):
    assert main(["stats", "--db", str(db), "--from", "2019", "--to", "2021", "--unit-kind",
                 "thpt", "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert (data["unit_kind"], data["introduced"], data["admitted"]) == ("thpt", 2, 0)
    assert set(data["by_unit_kind"]) == {"thpt"}
    assert main(["stats", "--db", str(db), "--from", "2019", "--to", "2021"]) == 0
    text = capsys.readouterr().out
    assert "4-KNĐ" in text and "9-KNĐ" in text and "chưa nhập" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2022", "--to", "2019"], "Năm cuối (2019) trước năm đầu (2022)."),
        (["--from", "1800", "--to", "2019"], "Năm phải trong khoảng 1900–2200."),
        (["--set-year", "2020", "--members-at-start", "-3"], "phải là số không âm"),
    ],
)
def test_cli_stats_refusals(capsys, db, argv, message):
    assert main(["stats", "--db", str(db), *argv]) == 1
    assert message in capsys.readouterr().err


# -- source plans from the command line ------------------------------------------------


def test_cli_plan_json_text_and_pdf(capsys, tmp_path):
    from tests.reports.conftest import pdf_pages

    path = tmp_path / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "400", "--seed", "3"]) == 0
    capsys.readouterr()
    year = date.today().year
    start = year - 1 if date.today().month >= 8 else year - 2
    course = f"{start}-{start + 3}"
    assert main(["plan", "--db", str(path), "--school", "THPT1", "--course", course, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    members = [m for g in data["groups"] for m in g["members"]]
    assert members and data["course"] == course
    assert all(m["graduation"] == f"{start + 3}-05-31" for m in members)
    assert {m["before_graduation"] for m in members} <= {True, False, None}
    out = tmp_path / "ke-hoach.pdf"
    assert main(["plan", "--db", str(path), "--school", "thpt1", "--course", course,
                 "--out", str(out)]) == 0  # fmt: skip
    text = " ".join(" ".join(pdf_pages(out)).split())
    assert f"Tổng cộng: {len(members)} người." in text
    assert main(["plan", "--db", str(path), "--year", str(year + 1)]) == 0
    assert "KẾ HOẠCH TẠO NGUỒN" in capsys.readouterr().out
    assert main(["plan", "--db", str(path), "--year", "2027", "--school", "THPT1"]) == 1
    assert main(["plan", "--db", str(path), "--school", "KDC01", "--course", course]) == 1
    assert "không phải trường THPT" in capsys.readouterr().err


def test_the_plan_names_each_candidates_helping_party_member(capsys, tmp_path):
    """Issue #12 item 4: the helping Party member is on the plan (JSON and paper)."""
    from tests.reports.conftest import pdf_pages

    path = tmp_path / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "400", "--seed", "3"]) == 0
    year = date.today().year + 1
    capsys.readouterr()
    assert main(["plan", "--db", str(path), "--year", str(year), "--json"]) == 0
    members = [m for g in json.loads(capsys.readouterr().out)["groups"] for m in g["members"]]
    assert members
    uid = members[0]["uid"]
    argv = ["dossier", "--db", str(path), "--uid", uid, "--helper", "Trần Văn Giúp"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["plan", "--db", str(path), "--year", str(year), "--json"]) == 0
    again = {
        m["uid"]: m for g in json.loads(capsys.readouterr().out)["groups"] for m in g["members"]
    }
    assert again[uid]["helper"] == "Trần Văn Giúp"
    out = tmp_path / "ke-hoach.pdf"
    assert main(["plan", "--db", str(path), "--year", str(year), "--out", str(out)]) == 0
    assert "Đảng viên giúp đỡ: Trần Văn Giúp" in " ".join(" ".join(pdf_pages(out)).split())
