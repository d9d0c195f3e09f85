"""The holiday list for working-day deadlines and each candidate's checklist."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain.checklist import Checklist
from dvdesk.domain.dates import fmt
from dvdesk.domain.workdays import Holidays
from dvdesk.store.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class DeadlinesMixin:
    """Holidays (ngày nghỉ lễ) and checklists of `Store` (see gateway.py)."""

    def holidays(self: Store) -> Holidays:
        return frozenset(
            date.fromisoformat(r[0]) for r in self.db.execute("SELECT day FROM holidays").fetchall()
        )

    def holiday_rows(self: Store) -> list[dict[str, Any]]:
        return self.query("SELECT day, name FROM holidays ORDER BY day")

    def set_holiday(self: Store, day: date, name: str = "") -> None:
        """Add a holiday or rename one."""
        name = " ".join(name.split())
        with self.transaction():
            old = self.query("SELECT day, name FROM holidays WHERE day = ?", [day.isoformat()])
            if old and old[0]["name"] == name:
                return
            self.db.execute(
                "INSERT INTO holidays (day, name) VALUES (?, ?) "
                "ON CONFLICT(day) DO UPDATE SET name = excluded.name",
                (day.isoformat(), name),
            )
            self.audit(
                "update" if old else "insert",
                "holiday",
                day.isoformat(),
                old[0] if old else None,
                {"day": day.isoformat(), "name": name},
            )

    def remove_holiday(self: Store, day: date) -> None:
        with self.transaction():
            old = self.query("SELECT day, name FROM holidays WHERE day = ?", [day.isoformat()])
            if not old:
                raise KnownError(f"Ngày {fmt(day)} không có trong danh sách ngày nghỉ.")
            self.db.execute("DELETE FROM holidays WHERE day = ?", [day.isoformat()])
            self.audit("delete", "holiday", day.isoformat(), old[0], None)

    def checklist_of(
        self: Store, uid: str, meeting: date | None = None, today: date | None = None
    ) -> Checklist:
        """One candidate's checklist (store.dossier.checklist: the dossier data included).

        `meeting` is the planned branch meeting; without one, the consideration
        date from the settings (when set) stands in.
        """
        return self.dossier.checklist(uid, meeting, today)
