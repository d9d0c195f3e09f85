"""Members who move between communes: one live record, the history kept, nothing blocked."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.exchange.merge import apply_merge, plan_merge
from dvdesk.exchange.package import Package, read_package, write_package
from dvdesk.store.gateway import Store
from tests import sql

from .conftest import TODAY

A, B = ("00012", "Xã Yên Phú"), ("00013", "Xã Đông Hòa")


def _export(store: Store, path: Path, created_at: str) -> Package:
    write_package(store, path)
    package = read_package(path)
    package.manifest.created_at = created_at  # the order packages were made in
    return package


def _merge(level: Store, *packages: Package):
    plan = plan_merge(level, list(packages), TODAY)
    assert plan.conflicts == 0, plan.lines()
    apply_merge(level, plan, TODAY)
    return plan


def _live(level: Store, uid: str) -> list[tuple[str, str]]:
    return [
        (r["uid"], r["commune_code"])
        for r in sql.rows(
            level,
            "SELECT uid, commune_code FROM members WHERE uid = ? AND deleted_at IS NULL",
            [uid],
        )
    ]


@pytest.fixture
def two(commune, level, tmp_path: Path):
    a, b = commune(*A, 12, 5), commune(*B, 12, 6)
    _merge(
        level,
        _export(a, tmp_path / "a1.zip", "2026-11-01T08:00:00"),
        _export(b, tmp_path / "b1.zip", "2026-11-01T09:00:00"),
    )
    person = next(m for m in a.packages.members() if not m.school_class)
    return a, b, person


def _arrive(b: Store, person, done_on: date = date(2026, 11, 10)):
    """The person registers in commune B (same uid, as a transfer file brings them)."""
    unit = b.units.all()[0]
    b.members.add(replace(person, unit_code=unit.code, school_class="", school_year=""), TODAY)
    b.steps.record(person.uid, StepRecord("source", StepState.DONE, done_on), TODAY)


def test_a_move_is_shown_and_applied_with_steps_and_history(two, level, tmp_path: Path):
    a, b, person = two
    _arrive(b, person)
    plan = _merge(level, _export(b, tmp_path / "b2.zip", "2026-11-12T08:00:00"))
    text = "\n".join(plan.lines())
    assert f"chuyển từ {A[1]} (mã {A[0]}) sang {B[1]} (mã {B[0]})" in text
    assert _live(level, person.uid) == [(person.uid, B[0])]
    assert sql.scalar(level, "SELECT count(*) FROM members WHERE uid = ?", [person.uid]) == 1
    assert level.packages.steps(B[0])[person.uid] == b.packages.steps()[person.uid]
    assert person.uid not in level.packages.steps(A[0])
    moves = [
        json.loads(e["new"])
        for e in level.audit.history(person.uid)
        if e["action"] == "update" and e["entity"] == "member"
    ]
    assert any(m.get("commune_code") == B[0] for m in moves)
    assert level.members.count() == 24  # nobody counted twice
    # Commune A's next package, without the person, merges and leaves them in B.
    a.members.delete(person.uid)
    _merge(level, _export(a, tmp_path / "a2.zip", "2026-11-20T08:00:00"))
    assert _live(level, person.uid) == [(person.uid, B[0])]
    assert level.members.count() == 24


def test_an_older_package_still_holding_the_person_does_not_pull_them_back(
    two, level, tmp_path: Path
):
    a, b, person = two
    _arrive(b, person)
    stale = _export(a, tmp_path / "a2.zip", "2026-11-11T08:00:00")  # made before B's
    _merge(level, _export(b, tmp_path / "b2.zip", "2026-11-12T08:00:00"))
    plan = _merge(level, stale)
    assert _live(level, person.uid) == [(person.uid, B[0])]
    assert plan.packages[0].added == 0 and "chuyển từ" not in "\n".join(plan.lines())
    assert level.members.count() == 24


def test_a_deleted_record_never_blocks_the_new_commune(two, level, tmp_path: Path):
    a, b, person = two
    a.members.delete(person.uid)
    _merge(level, _export(a, tmp_path / "a2.zip", "2026-11-05T08:00:00"))
    assert _live(level, person.uid) == []
    _arrive(b, person)
    plan = _merge(level, _export(b, tmp_path / "b2.zip", "2026-11-12T08:00:00"))
    assert plan.packages[0].conflicts == []
    assert _live(level, person.uid) == [(person.uid, B[0])]
    assert level.packages.steps(B[0])[person.uid] == b.packages.steps()[person.uid]


def test_both_packages_in_one_batch_the_newer_wins(two, level, tmp_path: Path):
    a, b, person = two
    _arrive(b, person)
    plan = _merge(
        level,
        _export(b, tmp_path / "b2.zip", "2026-11-12T08:00:00"),
        _export(a, tmp_path / "a2.zip", "2026-11-11T08:00:00"),  # still lists the person
    )
    assert _live(level, person.uid) == [(person.uid, B[0])]
    assert any("chuyển từ" in line for line in plan.packages[0].moves)
    assert level.members.count() == 24


def test_same_moment_in_one_batch_is_a_conflict(two, level, tmp_path: Path):
    a, b, person = two
    _arrive(b, person)
    plan = plan_merge(
        level,
        [
            _export(b, tmp_path / "b2.zip", "2026-11-12T08:00:00"),
            _export(a, tmp_path / "a2.zip", "2026-11-12T08:00:00"),
        ],
        TODAY,
    )
    assert plan.conflicts == 2
    assert "cần xác định nơi sinh hoạt hiện nay" in "\n".join(plan.lines())


def test_a_move_through_the_cli(two, level, tmp_path: Path, capsys):
    from dvdesk.cli import main

    _a, b, person = two
    _arrive(b, person)
    out = tmp_path / "b2.zip"
    write_package(b, out)
    level.close()
    assert main(["merge", "--db", str(tmp_path / "tong-hop.db"), str(out)]) == 0
    out = capsys.readouterr().out
    assert f"sang {B[1]} (mã {B[0]})" in out
    assert "Đã xử lý gói 1/1." in out  # progress, one line per package
    with Store.open(tmp_path / "tong-hop.db") as again:
        assert _live(again, person.uid) == [(person.uid, B[0])]
