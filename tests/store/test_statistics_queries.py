"""Statistics and checklists read from a store, against hand-computed figures."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.checklist import FlagKind
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store

TODAY = date(2026, 6, 1)


def add(store: Store, name: str, unit: str, **done: str) -> str:
    m = Member(name, unit, PartialDate(2000, 1, 1))
    store.members.add(m, today=TODAY)
    for code, day in done.items():
        store.steps.record(
            m.uid, StepRecord(code, StepState.DONE, date.fromisoformat(day)), today=TODAY
        )
    return m.uid


def test_statistics_from_steps(fresh_store: Store):
    add(
        fresh_store,
        "Nguyễn Văn An",
        "KDC01",
        source="2024-02-01",
        course="2024-05-01",
        decision="2025-03-01",
    )
    add(fresh_store, "Trần Thị Bình", "KDC01", source="2024-03-01")
    add(fresh_store, "Lê Văn Cường", "THPT1", course="2025-04-01")
    gone = add(fresh_store, "Phạm Văn Dũng", "THPT1", source="2024-01-01")
    fresh_store.members.delete(gone)
    # A step that is not done does not count.
    add(fresh_store, "Đỗ Thị Em", "THPT1")
    settings = fresh_store.settings.get()
    settings.party_members = 40
    fresh_store.settings.save(settings)

    stats = fresh_store.statistics.compute()
    assert stats.years == (2024, 2025)
    r24 = stats.row(2024, UnitKind.RESIDENTIAL)
    assert (r24.introduced, r24.course, r24.admitted, r24.introduced_admitted) == (2, 1, 0, 1)
    assert stats.row(2024, UnitKind.SCHOOL).introduced == 0  # the deleted one is gone
    s25 = stats.row(2025, UnitKind.SCHOOL)
    assert (s25.introduced, s25.course, s25.admitted) == (1, 1, 0)
    assert [(t.year, t.admitted, t.target) for t in stats.targets] == [(2024, 0, 2), (2025, 1, 2)]
    assert len(fresh_store.statistics.milestones(UnitKind.SCHOOL)) == 1


def test_holidays_round_trip_audited(fresh_store: Store):
    fresh_store.holidays.set(date(2026, 4, 30), "  Ngày Giải phóng  miền Nam ")
    fresh_store.holidays.set(date(2026, 5, 1), "Quốc tế Lao động")
    fresh_store.holidays.set(date(2026, 5, 1), "Quốc tế Lao động")  # unchanged: no audit
    assert fresh_store.holidays.get() == {date(2026, 4, 30), date(2026, 5, 1)}
    assert fresh_store.holidays.rows()[0]["name"] == "Ngày Giải phóng miền Nam"
    fresh_store.holidays.remove(date(2026, 5, 1))
    assert fresh_store.holidays.get() == {date(2026, 4, 30)}
    assert [a["action"] for a in fresh_store.audit.history("2026-05-01")] == ["insert", "delete"]
    with pytest.raises(KnownError, match="không có trong danh sách"):
        fresh_store.holidays.remove(date(2026, 5, 1))


def test_checklist_uses_holidays_and_settings(fresh_store: Store):
    uid = add(fresh_store, "Nguyễn Văn An", "KDC01", decision="2026-04-15")
    assert fresh_store.steps.checklist(uid, today=TODAY).line("ceremony").due == date(2026, 5, 27)
    fresh_store.holidays.set(date(2026, 4, 30))
    fresh_store.holidays.set(date(2026, 5, 1))
    cl = fresh_store.steps.checklist(uid, today=TODAY)
    assert cl.line("ceremony").due == date(2026, 5, 29)
    assert [f.kind for f in cl.flags] == [FlagKind.OVERDUE]
    settings = fresh_store.settings.get()
    settings.consideration_date = "2026-07-01"
    fresh_store.settings.save(settings)
    assert fresh_store.steps.checklist(uid, today=TODAY).reference == date(2026, 7, 1)
    assert fresh_store.steps.checklist(uid, date(2026, 8, 1), TODAY).reference == date(2026, 8, 1)
