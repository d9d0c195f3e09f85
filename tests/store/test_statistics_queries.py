"""Statistics and checklists read from a store, against hand-computed figures."""

from __future__ import annotations

from datetime import date

import pytest

from dvdesk.domain.checklist import FlagKind
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store

TODAY = date(2026, 6, 1)


def add(store: Store, name: str, unit: str, **done: str) -> str:
    m = Member(name, unit, PartialDate(2000, 1, 1))
    store.members.add(m, today=TODAY)
    # Written as an import would (unchecked): these dossiers skip steps on purpose.
    store.steps.record_many(
        {
            m.uid: [
                StepRecord(code, StepState.DONE, date.fromisoformat(day))
                for code, day in done.items()
            ]
        }
    )
    return m.uid


# Statistics from steps: tests/services/test_statistics.py (period counts, unit kind
# at the time, the entered totals).


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
    assert [f.kind for f in cl.flags if f.step == "ceremony"] == [FlagKind.OVERDUE]
    settings = fresh_store.settings.get()
    settings.consideration_date = "2026-07-01"
    fresh_store.settings.save(settings)
    assert fresh_store.steps.checklist(uid, today=TODAY).reference == date(2026, 7, 1)
    assert fresh_store.steps.checklist(uid, date(2026, 8, 1), TODAY).reference == date(2026, 8, 1)
