"""Every read the printed documents make from the store, in one place.

The documents themselves take plain data; these functions fetch it. When the
store's API changes (issue #10) or the services layer takes over a query
(members with partial dates of birth, statistics figures), only this module
changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain.checklist import Checklist
from dvdesk.domain.member import Member, Presence, Unit
from dvdesk.domain.procedure import Stage
from dvdesk.domain.statistics import Statistics
from dvdesk.errors import KnownError
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

CHUNK = 2000  # rows fetched at a time: bounded memory at 200,000 members


# Who a list is for (the same rule as the preset views on the `views` branch,
# store/views.py: not yet admitted, still reachable here).
PARTY_MEMBERS = (Stage.PROBATION.value, Stage.FULL.value)
GONE = (Presence.MOVED.value, Presence.LEFT_UNION.value)
NOT_ADMITTED = tuple(s.value for s in Stage if s.value not in PARTY_MEMBERS)
REACHABLE = tuple(p.value for p in Presence if p.value not in GONE)


def eligible_query(on: date, settings: Settings, unit_code: str = "") -> MemberQuery:
    """Members who may be considered for admission on `on`."""
    return MemberQuery(
        unit_code=unit_code,
        eligible_on=on,
        method=settings.method,
        stages=NOT_ADMITTED,
        presences=REACHABLE,
    )


def upcoming_query(on: date, months: int, settings: Settings, unit_code: str = "") -> MemberQuery:
    """Too young on `on`, of age within `months` months: the sources to prepare."""
    return MemberQuery(
        unit_code=unit_code,
        upcoming_months=months,
        reference=on,
        method=settings.method,
        stages=NOT_ADMITTED,
        presences=REACHABLE,
    )


def settings_of(store: Store) -> Settings:
    return store.settings.get()


def units_of(store: Store, unit_code: str = "") -> list[Unit]:
    """The units a list covers, in the store's order; one unit when `unit_code` is given."""
    units = store.units.all()
    if not unit_code:
        return units
    code = unit_code.strip().upper()
    chosen = [u for u in units if u.code == code]
    if not chosen:
        raise KnownError(f"Không có đơn vị mã “{unit_code}”.")
    return chosen


def unit_names(store: Store) -> dict[str, str]:
    return {u.code: u.name for u in store.units.all()}


@dataclass(frozen=True)
class UnitIds:
    """One unit's matching members as row ids, in Vietnamese name order."""

    unit: Unit
    ids: list[int]


def unit_ids(store: Store, query: MemberQuery, units: Sequence[Unit]) -> list[UnitIds]:
    """Per unit, the ids matching `query` (an index scan on (unit, name) each)."""
    out = []
    for unit in units:
        ids = store.members.ids(replace(query, unit_code=unit.code))
        if ids:
            out.append(UnitIds(unit, ids))
    return out


def rows_of(store: Store, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    """Display rows for `ids`, in that order, fetched `CHUNK` at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = store.members.rows(chunk)
        for row_id in chunk:
            if row_id in found:
                yield found[row_id]


def partial_dob_rows(store: Store, query: MemberQuery) -> list[dict[str, Any]]:
    """Members matching `query` apart from its age filter whose date of birth is
    missing or partial (year, or month and year), in Vietnamese name order.

    Such members carry a `dob.partial` / `dob.missing` warning, so the records
    with warnings are read and filtered here.
    """
    base = MemberQuery(
        unit_code=query.unit_code,
        stages=query.stages,
        presences=query.presences,
        method=query.method,
        commune_code=query.commune_code,
        has_issues=True,
    )
    return [
        row for row in store.members.list(base) if not row["dob"] or row["dob_precision"] != "day"
    ]


def member_of(store: Store, uid: str) -> Member:
    return store.members.get(uid)


def checklist_of(store: Store, uid: str, meeting: date | None, today: date) -> Checklist:
    return store.steps.checklist(uid, meeting, today)


def statistics_of(store: Store, years: Sequence[int] | None) -> Statistics:
    """The figures per year and unit kind (every active year when `years` is None)."""
    return store.statistics.compute(years)
