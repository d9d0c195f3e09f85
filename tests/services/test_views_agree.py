"""One definition per view: the window's count, `dvdesk list --view` and the printed
list give the same members on a demo file, and raw SQL plus the age rule agree."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.dates import parse_date
from dvdesk.domain.eligibility import Method, Status, evaluate
from dvdesk.domain.listing import VIEW_KEYS
from dvdesk.services import printing
from dvdesk.services import views as preset_views
from dvdesk.store.gateway import Store
from tests.reports.conftest import pdf_pages

ON = date.today()  # the demo is built around today


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("views") / "xa.db"
    assert main(["demo", "--db", str(path), "--members", "600", "--seed", "11"]) == 0
    # A few members the demo does not make: deleted, and a partial date far from 18.
    with Store.open(path) as store:
        some = [r["uid"] for r in store.members.list()][:3]
        store.members.delete(some[0])
    return path


def cli_rows(capsys, db: Path, *argv: str) -> list[dict]:
    code = main(["list", "--db", str(db), *argv, "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return json.loads(out)


def flat(path: Path) -> str:
    return " ".join(" ".join(pdf_pages(path)).split())


@pytest.mark.parametrize("key", VIEW_KEYS)
def test_window_count_cli_list_and_printed_list_agree(capsys, demo_db, tmp_path, key):
    with Store.open(demo_db) as store:
        counted = preset_views.counts(store, ON)[key]  # what the window's view list shows
        out = tmp_path / f"{key}.pdf"
        printing.print_view(store, key, ON, out, today=ON)
    listed = cli_rows(capsys, demo_db, "--view", key, "--on", ON.isoformat())
    text = flat(out)
    assert len(listed) == counted
    assert f"Tổng cộng: {counted} đoàn viên." in text
    for row in listed:
        assert row["full_name"] in text, (key, row["full_name"])


def test_the_eligible_lists_agree_with_the_view(capsys, demo_db, tmp_path):
    with Store.open(demo_db) as store:
        counted = preset_views.counts(store, ON)["eligible"]
        out = tmp_path / "du-tuoi.pdf"
        printing.print_eligible(store, ON, out, today=ON)
    listed = cli_rows(capsys, demo_db, "--eligible-on", ON.isoformat())
    assert len(listed) == counted > 0
    assert f"Tổng cộng: {counted} đoàn viên." in flat(out)
    assert any(len(r["dob"]) < 10 for r in listed), "the demo has partial dates of age"


def test_the_upcoming_lists_agree_with_the_view(capsys, demo_db, tmp_path):
    with Store.open(demo_db) as store:
        counted = preset_views.counts(store, ON)["upcoming"]  # 6 months
        out = tmp_path / "sap-du-tuoi.pdf"
        printing.print_upcoming(store, 6, out, ON, today=ON)
    listed = cli_rows(capsys, demo_db, "--upcoming-months", "6", "--on", ON.isoformat())
    assert len(listed) == counted > 0
    assert f"Tổng cộng: {counted} đoàn viên." in flat(out)


# -- raw SQL and the age rule as the oracle ------------------------------------------


def raw_members(db: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "SELECT m.uid, m.dob, m.stage, m.presence, m.graduation_year, u.kind FROM members m "
        "JOIN units u ON u.id = m.unit_id WHERE m.deleted_at IS NULL"
    ).fetchall()
    conn.close()
    return rows


def may_be(dob: str | None, on: date, status: Status) -> bool:
    result = evaluate(parse_date(dob), on, Method.COMPLETED)
    return result.status is status or status in result.possible


def test_eligible_view_is_the_definition(capsys, demo_db):
    """Of age by month on the date (maybe, for a partial date), not a Party member, not gone."""
    expected = {
        r["uid"]
        for r in raw_members(demo_db)
        if r["dob"]
        and r["stage"] not in ("probation", "full")
        and r["presence"] not in ("moved", "left_union")
        and may_be(r["dob"], ON, Status.ELIGIBLE)
    }
    listed = cli_rows(capsys, demo_db, "--view", "eligible", "--on", ON.isoformat())
    assert {r["uid"] for r in listed} == expected


def test_graduating_view_is_the_definition(capsys, demo_db):
    """The graduating class of the school year, introduced and not admitted, not gone."""
    end = date(ON.year, 5, 31)
    end = end if end >= ON else date(ON.year + 1, 5, 31)
    expected = {
        r["uid"]
        for r in raw_members(demo_db)
        if r["kind"] == "school"
        and r["graduation_year"] == end.year
        and r["stage"] in ("introduced", "course", "dossier", "admission")
        and r["presence"] not in ("moved", "left_union")
    }
    listed = cli_rows(capsys, demo_db, "--view", "graduating", "--on", ON.isoformat())
    assert {r["uid"] for r in listed} == expected
    for r in listed:
        assert r["note"].startswith(("Tốt nghiệp", "Đủ tuổi nhưng", "Chưa rõ")), r["note"]
        assert "chuyển" in r["note"]
        under_18 = evaluate(parse_date(r["dob"]), end).status is Status.TOO_YOUNG
        assert r["note"].startswith("Tốt nghiệp") == under_18


def test_counts_are_raw_sql_counts(demo_db):
    conn = sqlite3.connect(demo_db)
    live = conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NULL").fetchone()[0]
    deleted = conn.execute("SELECT count(*) FROM members WHERE deleted_at IS NOT NULL").fetchone()
    away = conn.execute(
        "SELECT count(*) FROM members WHERE deleted_at IS NULL "
        "AND presence IN ('working_away', 'abroad')"
    ).fetchone()[0]
    in_procedure = conn.execute(
        "SELECT count(*) FROM members WHERE deleted_at IS NULL "
        "AND stage IN ('introduced', 'course', 'dossier', 'admission')"
    ).fetchone()[0]
    conn.close()
    with Store.open(demo_db) as store:
        counts = preset_views.counts(store, ON)
    assert (counts["all"], counts["deleted"]) == (live, deleted[0])
    assert (counts["away"], counts["in_procedure"]) == (away, in_procedure)


@pytest.mark.parametrize("method", [Method.COMPLETED, Method.CALENDAR])
@pytest.mark.parametrize(
    "on", [ON, date(2027, 2, 28), date(2028, 2, 29), date(2031, 3, 1), date(2019, 6, 15)]
)
def test_the_sqlite_json_is_the_python_row(demo_db, method, on):
    """view_json (SQLite writes the objects) against json_object(RowMaker) for every member."""
    from dataclasses import replace

    from dvdesk.domain.listing import json_object
    from dvdesk.store import views as preset
    from dvdesk.store.member_query import MemberQuery

    with Store.open(demo_db) as store:
        for query in (
            MemberQuery(method=method),
            replace(preset.eligible_query(on, store.settings.get()), method=method),
        ):
            fast = [json.loads(t) for t in preset.view_json(store, query, on)]
            slow = [json.loads(json_object(r)) for r in preset.view_rows(store, query, on)]
            assert fast == slow and fast


def test_the_command_line_names_every_view(demo_db):
    with Store.open(demo_db) as store:
        assert tuple(v.key for v in preset_views.preset_views(store, ON)) == VIEW_KEYS
