"""Statistics read from the store (số liệu thống kê), `store.statistics`; arithmetic in domain.

One grouped count over the steps table: per year, step (4-KNĐ, CN-NTVĐ,
9-KNĐ) and the unit kind recorded on the step (schema 1.4_step_unit_kind),
plus the đảng bộ's yearly figures the officer entered (`totals`).
"""

from __future__ import annotations

from collections.abc import Iterable

from dvdesk.domain.statistics import EVENT_STEPS, Counts, Statistics, active_years, compute
from dvdesk.domain.unit_kind import UnitKind
from dvdesk.store.connection import Connection
from dvdesk.store.party_totals import PartyTotalsRepo
from dvdesk.store.settings import SettingsRepo


class StatisticsRepo:
    """`store.statistics`: period figures and the yearly target progress."""

    def __init__(self, conn: Connection, settings: SettingsRepo) -> None:
        self._conn = conn
        self._settings = settings
        self.totals = PartyTotalsRepo(conn)

    def event_counts(self, first: int | None = None, last: int | None = None) -> Counts:
        """Members per (year, step, unit kind at the time) for the event steps, live members."""
        marks = ",".join("?" * len(EVENT_STEPS))
        params: list[object] = list(EVENT_STEPS)
        span = ""
        if first is not None and last is not None:
            span = "AND s.done_on >= ? AND s.done_on < ?"
            params += [f"{first:04d}", f"{last + 1:04d}"]
        rows = self._conn.tuples(
            "SELECT CAST(substr(s.done_on, 1, 4) AS INTEGER), s.code, "
            "coalesce(s.unit_kind, u.kind), count(*) FROM steps s "
            "JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
            f"WHERE s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN ({marks}) {span} "
            "AND m.deleted_at IS NULL GROUP BY 1, 2, 3",
            params,
        )
        return {(year, code, UnitKind(kind)): n for year, code, kind, n in rows}

    def compute(self, years: Iterable[int] | None = None) -> Statistics:
        """Period figures per year and unit kind over the years' span (default: active years)."""
        chosen = sorted(set(years)) if years is not None else None
        if chosen:
            first, last = chosen[0], chosen[-1]
        else:
            found = active_years(self.event_counts())
            if found is None:
                return Statistics(0, -1, (), ())
            first, last = found
        return compute(
            self.event_counts(first, last),
            first,
            last,
            self.totals.all(),
            self._settings.get().target_percent,
        )
