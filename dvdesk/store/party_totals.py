"""The đảng bộ's own figures per year (số đảng viên đầu năm, kết nạp ngoài danh sách).

dvdesk tracks only the commune's Youth Union candidates; the 3–4% target
divides all new Party members of a year by the đảng bộ's members at the start
of the year, so the officer enters those two figures per year, with their
source. Writes are audited; a year never entered reads as missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dvdesk.domain.statistics import YearTotals
from dvdesk.store.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class PartyTotals:
    """`party_totals` rows of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self) -> dict[int, YearTotals]:
        rows = self._store.db.execute(
            "SELECT year, members_at_start, outside_admitted, source FROM party_totals "
            "ORDER BY year"
        ).fetchall()
        return {r[0]: YearTotals(r[0], r[1], r[2], r[3]) for r in rows}

    def get(self, year: int) -> YearTotals | None:
        return self.all().get(year)

    def set(
        self,
        year: int,
        members_at_start: int | None,
        outside_admitted: int | None,
        source: str = "",
    ) -> None:
        """Enter (or correct) one year's figures; None leaves a figure not entered."""
        from dvdesk.store.gateway import now_iso

        if not 1900 <= year <= 2200:
            raise KnownError(f"Năm {year} không hợp lệ.")
        for label, value in (
            ("Số đảng viên đầu năm", members_at_start),
            ("Số kết nạp ngoài danh sách", outside_admitted),
        ):
            if value is not None and value < 0:
                raise KnownError(f"{label} phải là số không âm.")
        source = " ".join(source.split())
        new = {
            "members_at_start": members_at_start,
            "outside_admitted": outside_admitted,
            "source": source,
        }
        with self._store.transaction():
            old = self.get(year)
            self._store.db.execute(
                "INSERT INTO party_totals (year, members_at_start, outside_admitted, source, "
                "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET "
                "members_at_start = excluded.members_at_start, "
                "outside_admitted = excluded.outside_admitted, source = excluded.source, "
                "updated_at = excluded.updated_at",
                (year, members_at_start, outside_admitted, source, now_iso()),
            )
            self._store.audit(
                "update" if old else "insert",
                "party_totals",
                str(year),
                None
                if old is None
                else {
                    "members_at_start": old.members_at_start,
                    "outside_admitted": old.outside_admitted,
                    "source": old.source,
                },
                new,
            )

    def remove(self, year: int) -> None:
        with self._store.transaction():
            old = self.get(year)
            if old is None:
                return
            self._store.db.execute("DELETE FROM party_totals WHERE year = ?", (year,))
            self._store.audit(
                "delete",
                "party_totals",
                str(year),
                {
                    "members_at_start": old.members_at_start,
                    "outside_admitted": old.outside_admitted,
                },
                None,
            )
