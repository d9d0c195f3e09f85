"""Youth Union age flags are judged on the consideration date, not when the record was saved."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import youth_flag
from dvdesk.domain.member import Member
from dvdesk.services import views as preset_views
from dvdesk.store.member_query import YOUTH_FLAGGED


def test_someone_saved_young_is_flagged_past_30_years_later(disk_store):
    born_1990 = Member("Lê Văn Năm", "KDC01", PartialDate(1990, 3, 10), cccd="")
    disk_store.members.add(born_1990, today=date(2020, 1, 1))  # 29 then: no flag saved
    child = Member("Lê Thị Nhỏ", "KDC01", PartialDate(2011, 6, 1))
    disk_store.members.add(child, today=date(2026, 1, 1))  # 14 then: "under 16" saved
    problems = {
        on: {
            r.uid
            for r in preset_views.rows(
                disk_store, preset_views.view_of(disk_store, "problems", on), on
            )
        }
        for on in (date(2020, 1, 1), date(2026, 12, 1))
    }
    assert born_1990.uid not in problems[date(2020, 1, 1)]
    assert born_1990.uid in problems[date(2026, 12, 1)]  # 36 now
    assert child.uid in problems[date(2020, 1, 1)]
    assert child.uid not in problems[date(2026, 12, 1)]  # 15 years and 6 months: of Đoàn age
    row = next(
        r
        for r in preset_views.rows(
            disk_store,
            preset_views.view_of(disk_store, "all", date(2026, 12, 1)),
            date(2026, 12, 1),
        )
        if r.uid == born_1990.uid
    )
    assert row.youth_flag == "past_30"


def test_the_sql_flag_is_the_domain_rule(disk_store):
    """YOUTH_FLAGGED (SQL, on any date) against domain youth_flag, on random dates and births."""
    rng = random.Random(5)
    people = []
    for i in range(400):
        born = date(1985, 1, 1) + timedelta(days=rng.randrange(9500))
        roll = rng.random()
        dob = (
            PartialDate(born.year)
            if roll < 0.15
            else PartialDate(born.year, born.month)
            if roll < 0.3
            else PartialDate.of(born)
        )
        if i < 6:  # leap-day births, the clamped edge
            dob = PartialDate(1996 if i % 2 else 2000, 2, 29)
        people.append(
            Member(
                f"Người Thứ {chr(0x41 + i % 26)}",
                "KDC01",
                dob,
                union_officer=rng.random() < 0.1,
                union_extended=rng.random() < 0.2,
                uid=f"u{i}",
            )
        )
    disk_store.members.add_many(people, today=date(2026, 12, 1))
    days = [date(2010, 1, 1) + timedelta(days=rng.randrange(7000)) for _ in range(40)]
    days += [date(2027, 2, 28), date(2031, 2, 28), date(2016, 2, 28), date(2015, 2, 28)]
    conn = sqlite3.connect(disk_store.path)
    try:
        for on in days:
            day = on.isoformat()
            flagged = {
                r[0]
                for r in conn.execute(
                    f"SELECT m.uid FROM members m WHERE {YOUTH_FLAGGED}", [day, day, day]
                )
            }
            expected = {
                p.uid
                for p in people
                if youth_flag(p.dob, on, union_officer=p.union_officer, extended=p.union_extended)
                is not None
            }
            assert flagged == expected, on
    finally:
        conn.close()
