"""Every read the printed documents make from the store, in one place.

The documents themselves take plain data; these functions fetch it. Who is
on a list is the preset views' definition (store/views.py): the same query
and the same rows as the window's counts and `dvdesk list`, so the paper
never disagrees with the screen. When the store's API changes, only this
module changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.checklist import Checklist
from dvdesk.domain.listing import ListRow
from dvdesk.domain.member import Member, Unit
from dvdesk.domain.statistics import Statistics
from dvdesk.errors import KnownError
from dvdesk.store import views as preset
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

# Who a list is for: the preset views' own queries (store/views.py), so a printed
# list has the members the window counts and `dvdesk list --eligible-on/--view` prints.
PARTY_MEMBERS = preset.PARTY_MEMBERS
GONE = preset.GONE
eligible_query = preset.eligible_query
upcoming_query = preset.upcoming_query


def settings_of(store: Store) -> Settings:
    return store.settings.get()


def units_of(store: Store, unit_code: str = "", commune_code: str | None = None) -> list[Unit]:
    """The units a list covers, in the store's order; one unit when `unit_code` is given.

    At the receiving level `commune_code` keeps one commune's units. Without it,
    units that share a code across communes are listed once (their members are
    grouped under that code), so no member is counted twice.
    """
    if commune_code is not None:
        units = [u for u in store.units.all() if u.id in _unit_ids(store, commune_code)]
    else:
        first: dict[str, Unit] = {}  # each code's first unit, in the store's order
        for u in store.units.all():
            first.setdefault(u.code, u)
        units = list(first.values())
    if not unit_code:
        return units
    code = unit_code.strip().upper()
    chosen = [u for u in units if u.code == code]
    if not chosen:
        raise KnownError(f"Không có đơn vị mã “{unit_code}”.")
    return chosen


def _unit_ids(store: Store, commune_code: str) -> set[int | None]:
    return {u.id for u in store.packages.units(commune_code)}


def unit_names(store: Store) -> dict[str, str]:
    return {u.code: u.name for u in store.units.all()}


@dataclass
class Survey:
    """What a list needs before its first page: who is on it, per unit, and how many.

    `units`: the units with members in their tables, each with that count;
    `partial`: the members whose date of birth is partial, when the list is
    chosen by age (they get their own section); `months`: the months the
    members in the tables turn 18 (the upcoming list's summary).
    """

    by_age: bool
    units: list[tuple[Unit, int]] = field(default_factory=list)
    partial: list[ListRow] = field(default_factory=list)
    months: Counter[tuple[int, int]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Everyone on the list: the view's count."""
        return sum(n for _, n in self.units) + len(self.partial)


def survey(
    store: Store,
    query: MemberQuery,
    on: date,
    units: Sequence[Unit],
    by_age: bool,
    graduation: date | None = None,
) -> Survey:
    """One streamed pass over the view's rows (store/views.py, the rows `dvdesk list`
    prints): per-unit counts, the partial dates of birth and the months of age.

    Only the few partial rows are kept, so memory does not grow with the list.
    """
    per_unit: Counter[str] = Counter()
    out = Survey(by_age)
    for row in preset.view_rows(store, query, on, graduation):
        if by_age and row.partial:
            out.partial.append(row)
            continue
        per_unit[row.unit] += 1
        if row.eligible_from:
            out.months[(int(row.eligible_from[:4]), int(row.eligible_from[5:7]))] += 1
    out.units = [(u, per_unit[u.code]) for u in units if per_unit[u.code]]
    order = {u.code: i for i, u in enumerate(units)}
    out.partial.sort(key=lambda r: order.get(r.unit, len(order)))  # by unit, names within
    return out


def unit_rows(
    store: Store, query: MemberQuery, unit: Unit, on: date, graduation: date | None = None
) -> Iterator[ListRow]:
    """The view's rows of one unit, in roster order, streamed (one cursor)."""
    return preset.view_rows(store, replace(query, unit_code=unit.code), on, graduation)


def member_of(store: Store, uid: str) -> Member:
    return store.members.get(uid)


def checklist_of(store: Store, uid: str, meeting: date | None, today: date) -> Checklist:
    return store.steps.checklist(uid, meeting, today)


def statistics_of(store: Store, years: Sequence[int] | None) -> Statistics:
    """The figures per year and unit kind (every active year when `years` is None)."""
    return store.statistics.compute(years)
