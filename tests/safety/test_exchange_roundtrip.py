"""What dvdesk exports, dvdesk imports back: nothing refused, nothing lost, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from dvdesk.cli import main
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.store.gateway import Store
from tests.safety.killing import contents


def export_then_import(source: Store, tmp_path: Path) -> tuple[int, Path]:
    sheet = tmp_path / "danh-sach.csv"
    assert main(["export", "--db", str(source.path), "--out", str(sheet)]) == 0
    target = tmp_path / "moi.db"
    Store.open(target).close()
    return main(["import", "--db", str(target), str(sheet)]), target


def test_demo_commune_round_trips(disk_store: Store, tmp_path: Path) -> None:
    from dvdesk import demo

    demo.build(disk_store, 300, seed=4)
    disk_store.close()
    code, target = export_then_import(Store.open(disk_store.path), tmp_path)
    assert code == 0
    assert contents(target).members == 300
    # Importing the same sheet again adds no one.
    assert main(["import", "--db", str(target), str(tmp_path / "danh-sach.csv")]) == 0
    assert contents(target).members == 300


def test_namesakes_born_the_same_day_in_one_unit_round_trip(
    disk_store: Store, tmp_path: Path
) -> None:
    for cccd in ("001205000001", "001205000002"):
        disk_store.members.add(Member("Nguyễn Văn An", "KDC01", PartialDate(2005, 3, 1), cccd=cccd))
    code, target = export_then_import(disk_store, tmp_path)
    assert code == 0
    assert contents(target).members == 2
