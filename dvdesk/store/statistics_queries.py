"""Statistics read from the store (số liệu thống kê), `store.statistics`; arithmetic in domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dvdesk.domain.member import UnitKind
from dvdesk.domain.statistics import Milestones, Statistics, compute
from dvdesk.store.connection import Connection
from dvdesk.store.settings import SettingsRepo

MILESTONE_STEPS = ("source", "course", "decision", "ceremony")


class StatisticsRepo:
    """`store.statistics`: dated milestones and the yearly figures."""

    def __init__(self, conn: Connection, settings: SettingsRepo) -> None:
        self._conn = conn
        self._settings = settings

    def milestones(self, unit_kind: UnitKind | None = None) -> list[Milestones]:
        """Dated milestones of every live member who has done at least one of them."""
        marks = ",".join("?" * len(MILESTONE_STEPS))
        params: list[object] = [*MILESTONE_STEPS]
        kind_clause = ""
        if unit_kind is not None:
            kind_clause = "AND u.kind = ?"
            params.append(unit_kind.value)
        rows = self._conn.tuples(
            "SELECT m.id, u.kind, s.code, s.done_on FROM steps s "
            "JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
            f"WHERE s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN ({marks}) "
            f"AND m.deleted_at IS NULL {kind_clause} ORDER BY m.id",
            params,
        )
        people: dict[int, dict[str, object]] = {}
        for member_id, kind, code, done_on in rows:
            person = people.setdefault(member_id, {"kind": UnitKind(kind)})
            person[code] = date.fromisoformat(done_on)
        return [Milestones(**p) for p in people.values()]  # type: ignore[arg-type]

    def compute(self, years: Iterable[int] | None = None) -> Statistics:
        """Figures per year and unit kind with the 3–4% target from the settings."""
        settings = self._settings.get()
        return compute(self.milestones(), years, settings.party_members, settings.target_percent)
