"""The đảng bộ's own figures per year (số đảng viên đầu năm, kết nạp ngoài danh sách).

dvdesk tracks only the commune's Youth Union candidates; the 3–4% target
divides all new Party members of a year by the đảng bộ's members at the start
of the year, so the officer enters those two figures per year, with their
source. `store.statistics.totals`; writes are audited; a year never entered
reads as missing.
"""

from __future__ import annotations

from dvdesk.domain.statistics import YearTotals
from dvdesk.errors import BadInput
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection, now_iso


def _view(t: YearTotals) -> dict[str, object]:
    return {
        "members_at_start": t.members_at_start,
        "outside_admitted": t.outside_admitted,
        "source": t.source,
    }


class PartyTotalsRepo:
    """`party_totals` rows: one per year the officer entered."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def all(self) -> dict[int, YearTotals]:
        rows = self._conn.tuples(
            "SELECT year, members_at_start, outside_admitted, source FROM party_totals "
            "ORDER BY year"
        )
        return {r[0]: YearTotals(r[0], r[1], r[2], r[3]) for r in rows}

    def get(self, year: int) -> YearTotals | None:
        return self.all().get(year)

    def set(
        self,
        year: int,
        members_at_start: int | None,
        outside_admitted: int | None,
        source: str = "",
    ) -> Changes:
        """Enter (or correct) one year's figures; None leaves a figure not entered."""
        if not 1900 <= year <= 2200:
            raise BadInput(f"Năm {year} không hợp lệ.")
        for label, value in (
            ("Số đảng viên đầu năm", members_at_start),
            ("Số kết nạp ngoài danh sách", outside_admitted),
        ):
            if value is not None and value < 0:
                raise BadInput(f"{label} phải là số không âm.")
        new = YearTotals(year, members_at_start, outside_admitted, " ".join(source.split()))
        with self._conn.transaction():
            old = self.get(year)
            self._conn.execute(
                "INSERT INTO party_totals (year, members_at_start, outside_admitted, source, "
                "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET "
                "members_at_start = excluded.members_at_start, "
                "outside_admitted = excluded.outside_admitted, source = excluded.source, "
                "updated_at = excluded.updated_at",
                (year, members_at_start, outside_admitted, new.source, now_iso()),
            )
            self._conn.audit(
                "update" if old else "insert",
                "party_totals",
                str(year),
                None if old is None else _view(old),
                _view(new),
            )
        return Changes.of(Kind.SETTINGS, year=year)

    def remove(self, year: int) -> Changes:
        with self._conn.transaction():
            old = self.get(year)
            if old is None:
                return Changes()
            self._conn.execute("DELETE FROM party_totals WHERE year = ?", (year,))
            self._conn.audit("delete", "party_totals", str(year), _view(old), None)
        return Changes.of(Kind.SETTINGS, year=year)
