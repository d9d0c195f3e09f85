"""Every repository write returns the change value the window refreshes by.

The expectations are written out per write (kinds, members, whether lists may
move), not derived from the code: a field edit that cannot move a member in a
list must not make the window re-read the 200,000-id list.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.store.members import Saved

TODAY = date(2026, 11, 26)
M, S = Kind.MEMBERS, Kind.STEPS


def person(name: str = "Nguyễn Văn Đức", **kw: object) -> Member:
    return Member(name, "KDC01", PartialDate(2000, 5, 10), **kw)  # type: ignore[arg-type]


def test_member_writes(fresh_store: Store) -> None:
    m = person()
    added = fresh_store.members.add(m, TODAY)
    assert isinstance(added, Saved) and added.report.is_valid
    seen = [("add", added.changes)]
    edits: list[tuple[str, dict[str, str]]] = [
        ("notes", {"notes": "ghi chú"}),
        ("phone", {"phone": "0912345678"}),  # in the search text: a search may change
        ("name", {"full_name": "Lê Văn Đức"}),
        ("unchanged", {}),
    ]
    for label, values in edits:
        m = replace(m, **values)  # type: ignore[arg-type]
        seen.append((label, fresh_store.members.update(m, TODAY).changes))
    seen.append(("delete", fresh_store.members.delete(m.uid)))
    seen.append(("delete again", fresh_store.members.delete(m.uid)))
    seen.append(("restore", fresh_store.members.restore(m.uid)))
    one = frozenset({m.uid})
    expected = {
        "add": ({M}, one, True),
        "notes": ({M}, one, False),
        "phone": ({M}, one, True),
        "name": ({M}, one, True),
        "unchanged": (set(), frozenset(), False),
        "delete": ({M}, one, True),
        "delete again": (set(), frozenset(), False),
        "restore": ({M}, one, True),
    }
    for label, changes in seen:
        kinds, uids, reorders = expected[label]
        assert (changes.kinds, changes.member_uids, changes.reorders) == (kinds, uids, reorders), (
            label
        )
        assert bool(changes) == bool(kinds), label
    assert not seen[1][1].reload_list  # a notes edit re-reads only its row


def test_step_writes_say_whether_the_stage_moved(fresh_store: Store) -> None:
    m = person()
    fresh_store.members.add(m, TODAY)
    moved = fresh_store.steps.record(m.uid, StepRecord("source", StepState.DONE, date(2026, 1, 5)))
    noted = fresh_store.steps.record(
        m.uid, StepRecord("source", StepState.DONE, date(2026, 1, 5), note="đã xác minh")
    )
    for changes, reorders in ((moved, True), (noted, False)):
        assert changes.kinds == {S, M} and changes.member_uids == {m.uid}
        assert changes.reorders is reorders
    many = fresh_store.steps.record_many(
        {m.uid: [StepRecord("course", StepState.DONE, date(2026, 2, 5))]}
    )
    assert many.kinds == {S, M} and many.reload_list
    assert fresh_store.steps.record_many({}) == Changes()


def test_other_writes(fresh_store: Store) -> None:
    day = date(2026, 9, 2)
    assert fresh_store.holidays.set(day, "Quốc khánh").kinds == {Kind.HOLIDAYS}
    assert not fresh_store.holidays.set(day, "Quốc khánh")  # same name: nothing changed
    assert fresh_store.holidays.remove(day).kinds == {Kind.HOLIDAYS}

    settings = fresh_store.settings.get()
    assert fresh_store.settings.save(replace(settings, commune_name="Xã Đông")).kinds == {
        Kind.SETTINGS
    }
    assert not fresh_store.settings.save(fresh_store.settings.get())

    unit = fresh_store.units.add(Unit("KDC02", "Thôn Tây", UnitKind.RESIDENTIAL))
    assert unit.kinds == {Kind.UNITS} and unit.reload_list
    assert unit.details["id"] == fresh_store.units.id_of("KDC02")

    m = person()
    fresh_store.members.add(m, TODAY)
    handed = fresh_store.transfers.record(m.uid, date(2026, 6, 1), "Chi bộ khu phố 3")
    assert handed.kinds == {Kind.TRANSFERS} and handed.member_uids == {m.uid}

    exported = fresh_store.packages.record_export(1, 5, {"file": "x.zip"})
    assert exported.kinds == {Kind.PACKAGES, Kind.SETTINGS}


@pytest.mark.parametrize("n", [0, 1, 3])
def test_bulk_writes_count_what_they_added(fresh_store: Store, n: int) -> None:
    people = [person(f"Trần Văn {name}") for name in ("An", "Bình", "Cường")[:n]]
    added = fresh_store.members.add_many(people, today=TODAY)
    assert added.count == n == fresh_store.members.count()
    assert added.kinds == (frozenset({M}) if n else frozenset())
    assert added.reload_list is bool(n)


def test_an_import_counts_members_and_names_units(fresh_store: Store) -> None:
    changes = fresh_store.imports.add_units_and_members(
        [Unit("KDC09", "Thôn Mới", UnitKind.RESIDENTIAL)],
        [Member("Võ Thị Hoa", "KDC09", PartialDate(2001, 3, 4))],
        today=TODAY,
    )
    assert changes.count == 1 and changes.kinds == {Kind.UNITS, M}
