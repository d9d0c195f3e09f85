"""Statistics read from the store (số liệu thống kê); the arithmetic is in domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.member import UnitKind
from dvdesk.domain.statistics import Milestones, Statistics, compute

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

MILESTONE_STEPS = ("source", "course", "decision", "ceremony")


class StatisticsMixin:
    """Statistics queries of `Store` (see gateway.py)."""

    def milestones(self: Store, unit_kind: UnitKind | None = None) -> list[Milestones]:
        """Dated milestones of every live member who has done at least one of them."""
        marks = ",".join("?" * len(MILESTONE_STEPS))
        params: list[object] = [*MILESTONE_STEPS]
        kind_clause = ""
        if unit_kind is not None:
            kind_clause = "AND u.kind = ?"
            params.append(unit_kind.value)
        rows = self.db.execute(
            "SELECT m.id, u.kind, s.code, s.done_on FROM steps s "
            "JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
            f"WHERE s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN ({marks}) "
            f"AND m.deleted_at IS NULL {kind_clause} ORDER BY m.id",
            params,
        ).fetchall()
        people: dict[int, dict[str, object]] = {}
        for member_id, kind, code, done_on in rows:
            person = people.setdefault(member_id, {"kind": UnitKind(kind)})
            person[code] = date.fromisoformat(done_on)
        return [Milestones(**p) for p in people.values()]  # type: ignore[arg-type]

    def statistics(self: Store, years: Iterable[int] | None = None) -> Statistics:
        """Figures per year and unit kind with the 3–4% target from the settings."""
        settings = self.settings()
        return compute(self.milestones(), years, settings.party_members, settings.target_percent)
