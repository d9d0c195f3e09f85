"""Merging packages at the receiving level: identity, replacement, refusals, duplicates."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from dvdesk.cli import main
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.exchange.manifest import PackageError
from dvdesk.exchange.merge import APPLY, SAME, SUPERSEDED, apply_merge, plan_merge
from dvdesk.exchange.package import read_package, write_package
from dvdesk.store import backup
from dvdesk.store.gateway import Store
from tests import sql

from .conftest import TODAY

COMMUNES = (("00001", "Xã Một", 40, 1), ("00002", "Phường Hai", 30, 2), ("00003", "Xã Ba", 20, 3))


def _export(store, path: Path):
    write_package(store, path)
    return read_package(path)


def _merge(level, packages):
    plan = plan_merge(level, packages, TODAY)
    apply_merge(level, plan, TODAY)
    return plan


@pytest.fixture
def three(commune, tmp_path: Path):
    stores = [commune(code, name, n, seed) for code, name, n, seed in COMMUNES]
    return stores, [_export(s, tmp_path / f"{s.settings.get().commune_code}.zip") for s in stores]


def _audit_count(store) -> int:
    return sql.scalar(store, "SELECT count(*) FROM audit")


def test_export_then_merge_is_identity(level, three):
    stores, packages = three
    plan = _merge(level, packages)
    assert [p.added for p in plan.packages] == [40, 30, 20]
    for store in stores:
        code = store.settings.get().commune_code
        assert level.packages.members(code) == store.packages.members()
        assert level.packages.steps(code) == store.packages.steps()
        assert [(u.code, u.name, u.kind) for u in level.packages.units(code)] == [
            (u.code, u.name, u.kind) for u in store.packages.units()
        ]
    assert level.members.count() == 90
    assert [r["sequence"] for r in level.received.all()] == [1, 1, 1]
    assert any("truoc-gop" in p.name for p in backup.backups(level.path))


def _list(argv: list[str], capsys, communes: dict[str, str] | None = None) -> list[dict]:
    """The rows of `list --json`; at the level (`communes`: code → name) each row names its
    commune, checked against the member's commune file and then left out."""
    assert main([*argv, "--json", "--on", "2026-11-26"]) == 0
    rows = json.loads(capsys.readouterr().out)
    if communes is not None:
        for r in rows:
            code, name = r.pop("commune_code"), r.pop("commune_name")
            assert communes[r["uid"]] == code and communes[code] == name
    return sorted(rows, key=lambda r: r["uid"])


def test_consolidated_list_answers_like_each_commune(level, three, capsys):
    stores, packages = three
    _merge(level, packages)
    total = []
    home: dict[str, str] = {}
    for store in stores:
        s = store.settings.get()
        home[s.commune_code] = s.commune_name
        home |= {m.uid: s.commune_code for m in store.packages.members()}
    for store in stores:
        own = _list(["list", "--db", str(store.path)], capsys)
        code = store.settings.get().commune_code
        assert _list(["list", "--db", str(level.path), "--commune", code], capsys, home) == own
        eligible = ["--eligible-on", "2026-11-26"]
        assert _list(
            ["list", "--db", str(level.path), "--commune", code, *eligible], capsys, home
        ) == _list(["list", "--db", str(store.path), *eligible], capsys)
        total += own
    assert _list(["list", "--db", str(level.path)], capsys, home) == sorted(
        total, key=lambda r: r["uid"]
    )


def test_the_same_file_again_changes_nothing_an_older_one_is_refused(
    commune, level, tmp_path: Path
):
    store = commune()
    first = _export(store, tmp_path / "1.zip")
    second = _export(store, tmp_path / "2.zip")
    _merge(level, [second])
    before = _audit_count(level)
    plan = plan_merge(level, [second], TODAY)
    assert [p.action for p in plan.packages] == [SAME]
    assert "đã được gộp trước đây" in "\n".join(plan.lines())
    assert apply_merge(level, plan, TODAY) is None
    with pytest.raises(PackageError, match=r"số 1, cũ hơn .*số 2"):
        plan_merge(level, [first], TODAY)
    assert _audit_count(level) == before


def test_in_one_batch_the_newest_package_of_a_commune_wins(commune, level, tmp_path: Path):
    store = commune()
    first = _export(store, tmp_path / "1.zip")
    second = _export(store, tmp_path / "2.zip")
    plan = _merge(level, [second, first])
    assert [p.action for p in plan.packages] == [APPLY, SUPERSEDED]
    assert level.received.sequence("00001") == 2


def test_a_newer_package_replaces_the_communes_rows(commune, level, tmp_path: Path):
    store = commune()
    _merge(level, [_export(store, tmp_path / "1.zip")])
    members = store.packages.members()
    gone, changed = members[0], members[1]
    store.members.delete(gone.uid)
    store.members.update(replace(changed, phone="0912345678", notes="chuyển chỗ ở"), TODAY)
    store.members.add(
        replace(
            members[2], uid="6f1c5a8e-2f4b-4f7e-9a51-0c3e2d1b7a90", full_name="Lò Thị Mới", cccd=""
        ),
        TODAY,
    )
    store.steps.record(changed.uid, StepRecord("source", StepState.DONE, date(2026, 10, 1)), TODAY)
    plan = _merge(level, [_export(store, tmp_path / "2.zip")])
    (p,) = plan.packages
    assert (p.added, p.updated, p.removed) == (1, 1, 1)
    assert p.unchanged == len(members) - 2
    assert level.packages.members("00001") == store.packages.members()
    assert level.packages.steps("00001") == store.packages.steps()
    assert level.members.get(changed.uid).phone == "0912345678"
    # Soft deletion at the receiving level too: the row is marked, not lost.
    assert sql.scalar(level, "SELECT deleted_at IS NOT NULL FROM members WHERE uid = ?", [gone.uid])


def test_three_communes_with_a_cross_commune_duplicate(commune, level, tmp_path: Path):
    one, two, three = (commune(code, name, n, seed) for code, name, n, seed in COMMUNES)
    person = next(m for m in one.packages.members() if m.cccd and m.dob and m.dob.is_full)
    # The same young person is on the list of commune two as well (moved, re-registered).
    twin = replace(
        person,
        uid="0d6c2a52-7a3e-4c55-8f1b-7d2f3b0e9a11",
        unit_code="KDC01",
        school_class="",
        school_year="",
        graduation_year=None,
    )
    two.members.add(twin, TODAY)
    packages = [_export(s, tmp_path / f"{i}.zip") for i, s in enumerate((one, two, three))]
    plan = plan_merge(level, packages, TODAY)
    text = "\n".join(plan.lines())
    assert f"cùng số CCCD {person.cccd} ở các xã khác nhau" in text
    assert f"cùng họ tên và ngày sinh {person.dob.vi()}" in text
    assert plan.packages[2].duplicates == []
    # Possible duplicates inform; they do not block.
    apply_merge(level, plan, TODAY)
    assert level.members.count() == 40 + 31 + 20


def test_a_member_in_two_communes_packages_is_a_conflict(commune, level, tmp_path: Path):
    one, two = commune("00001", "Xã Một", 10, 1), commune("00002", "Phường Hai", 10, 2)
    person = one.packages.members()[0]
    two.members.add(replace(person, unit_code="KDC01", cccd="", school_class=""), TODAY)
    plan = plan_merge(
        level, [_export(one, tmp_path / "1.zip"), _export(two, tmp_path / "2.zip")], TODAY
    )
    assert plan.conflicts == 2  # one line in each package
    assert "có trong gói của cả xã mã 00001 và xã mã 00002" in "\n".join(plan.lines())
    before = _audit_count(level)
    with pytest.raises(KnownError, match="xung đột"):
        apply_merge(level, plan, TODAY)
    assert _audit_count(level) == before
    assert level.members.count() == 0


def test_an_invalid_record_is_a_conflict_at_the_receiving_level(commune, level, tmp_path: Path):
    store = commune(n=5)
    package = _export(store, tmp_path / "1.zip")
    package.members[0] = replace(package.members[0], cccd="12345")
    plan = plan_merge(level, [package], TODAY)
    assert plan.conflicts == 1
    assert "12 chữ số" in plan.packages[0].conflicts[0]


def test_cli_merge_dry_run_and_refusals(commune, tmp_path: Path, capsys):
    store = commune(n=8)
    write_package(store, tmp_path / "goi.zip")
    target = tmp_path / "huyen.db"
    assert main(["merge", "--db", str(target), str(tmp_path / "goi.zip"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Thêm mới 8" in out and "chưa ghi gì" in out
    with Store.open(target) as lvl:
        assert lvl.members.count() == 0
    broken = tmp_path / "hong.zip"
    data = bytearray((tmp_path / "goi.zip").read_bytes())
    broken.write_bytes(bytes(data[: len(data) // 2]))
    other = tmp_path / "khac.db"
    assert main(["merge", "--db", str(other), str(broken)]) == 1
    assert "không phải là tệp .zip hợp lệ" in capsys.readouterr().err
    assert not other.exists()
    assert main(["merge", "--db", str(target), str(tmp_path / "goi.zip")]) == 0
    assert "Đã gộp 1 gói" in capsys.readouterr().out
    assert main(["merge", "--db", str(target), str(tmp_path / "goi.zip")]) == 0
    assert "không thay đổi gì" in capsys.readouterr().out


def test_a_commune_cannot_merge_its_own_package_into_its_own_file(commune, tmp_path: Path):
    store = commune(n=5)
    with pytest.raises(PackageError, match="gói của chính xã/phường của tệp dữ liệu này"):
        plan_merge(store, [_export(store, tmp_path / "1.zip")], TODAY)


def test_the_same_number_exported_again_after_a_restore_is_flagged(commune, level, tmp_path):
    store = commune(n=5)
    _merge(level, [_export(store, tmp_path / "1.zip")])
    settings = store.settings.get()
    settings.export_sequence = 0  # as after restoring a backup taken before the export
    store.settings.save(settings)
    again = _export(store, tmp_path / "1b.zip")
    again.manifest.created_at = datetime(2030, 1, 1).isoformat()
    with pytest.raises(PackageError, match="Có thể xã đã khôi phục dữ liệu từ bản sao lưu"):
        plan_merge(level, [again], TODAY)
