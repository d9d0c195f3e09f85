"""Statistics read from the store (số liệu thống kê), `store.statistics`; arithmetic in domain.

One grouped count over the steps table (`event_counts`): per year, step
(4-KNĐ, CN-NTVĐ, 9-KNĐ) and the unit kind recorded on the step (schema
1.4_step_unit_kind), plus the đảng bộ's yearly figures the officer entered
(`totals`).
"""

from __future__ import annotations

from collections.abc import Iterable

from dvdesk.domain.kinds import UnitKind
from dvdesk.domain.statistics import EVENT_STEPS, Counts, Statistics, active_years, compute
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
        """Members per (year, step, unit kind at the time) for the event steps, live members.

        One grouped pass over the steps' statistics index (code, done_on) and
        their rows, less the steps of deleted members (few: found from the
        members' deleted_at indexes). Joining every step to its member to test
        deleted_at instead reads a member row per step, twice the cost at
        200,000 members. A step without the unit kind recorded on it takes its
        member's unit's kind (read only for those).
        """
        marks = ",".join("?" * len(EVENT_STEPS))
        params: list[object] = list(EVENT_STEPS)
        span = ""
        if first is not None and last is not None:
            span = "AND s.done_on >= ? AND s.done_on < ?"
            params += [f"{first:04d}", f"{last + 1:04d}"]
        steps = (
            f"s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN ({marks}) {span} "
            "GROUP BY 1, 2, 3"
        )
        key = (
            "CAST(substr(s.done_on, 1, 4) AS INTEGER) AS year, s.code AS code, "
            "coalesce(s.unit_kind, (SELECT u.kind FROM members m JOIN units u "
            "ON u.id = m.unit_id WHERE m.id = s.member_id)) AS kind"
        )
        rows = self._conn.tuples(
            "SELECT year, code, kind, sum(n) FROM ("
            f"SELECT {key}, count(*) AS n FROM steps s WHERE {steps} UNION ALL "
            # CROSS JOIN: from the deleted members to their steps, never the other way.
            f"SELECT {key}, -count(*) FROM members d CROSS JOIN steps s ON s.member_id = d.id "
            f"WHERE d.deleted_at IS NOT NULL AND {steps}"
            ") GROUP BY 1, 2, 3 HAVING sum(n) <> 0",
            params + params,
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
