"""The holiday list (ngày nghỉ lễ) for working-day deadlines: `store.holidays`."""

from __future__ import annotations

from datetime import date
from typing import Any

from dvdesk.domain.dates import fmt
from dvdesk.domain.workdays import Holidays
from dvdesk.errors import NotFound
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection


class HolidaysRepo:
    """`store.holidays`: the office's holidays, audited."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self) -> Holidays:
        return frozenset(
            date.fromisoformat(r[0]) for r in self._conn.tuples("SELECT day FROM holidays")
        )

    def rows(self) -> list[dict[str, Any]]:
        return self._conn.rows("SELECT day, name FROM holidays ORDER BY day")

    def set(self, day: date, name: str = "") -> Changes:
        """Add a holiday or rename one."""
        name = " ".join(name.split())
        with self._conn.transaction():
            old = self._conn.one("SELECT day, name FROM holidays WHERE day = ?", [day.isoformat()])
            if old and old["name"] == name:
                return Changes()
            self._conn.execute(
                "INSERT INTO holidays (day, name) VALUES (?, ?) "
                "ON CONFLICT(day) DO UPDATE SET name = excluded.name",
                (day.isoformat(), name),
            )
            self._conn.audit(
                "update" if old else "insert",
                "holiday",
                day.isoformat(),
                old,
                {"day": day.isoformat(), "name": name},
            )
        return Changes.of(Kind.HOLIDAYS)

    def remove(self, day: date) -> Changes:
        with self._conn.transaction():
            old = self._conn.one("SELECT day, name FROM holidays WHERE day = ?", [day.isoformat()])
            if not old:
                raise NotFound(f"Ngày {fmt(day)} không có trong danh sách ngày nghỉ.")
            self._conn.execute("DELETE FROM holidays WHERE day = ?", [day.isoformat()])
            self._conn.audit("delete", "holiday", day.isoformat(), old, None)
        return Changes.of(Kind.HOLIDAYS)
