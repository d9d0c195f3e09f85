"""Statistics as the window, `dvdesk stats` and the printed report use them.

Definitions in domain/statistics.py (notes/domain.md §8): period counts of
4-KNĐ, CN-NTVĐ and 9-KNĐ, per unit kind as it was at the time, the two
ratios, the students' figures, and the 3–4% target per year from the
figures the officer entered (missing stays missing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dvdesk.domain.kinds import UnitKind
from dvdesk.domain.statistics import DEFINITIONS, Figures, Statistics, YearTotals
from dvdesk.errors import KnownError
from dvdesk.store.party_totals import PartyTotalsRepo

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

# The CLI's short names for unit kinds.
KIND_CODES = {"kdc": UnitKind.RESIDENTIAL, "thpt": UnitKind.SCHOOL}
CODE_OF = {kind: code for code, kind in KIND_CODES.items()}
MAX_YEARS = 50


def figures(store: Store, first: int, last: int) -> Statistics:
    """The period `first`–`last` (inclusive), per year and unit kind, with the targets."""
    if not 1900 <= first <= 2200 or not 1900 <= last <= 2200:
        raise KnownError("Năm phải trong khoảng 1900–2200.")
    if last < first:
        raise KnownError(f"Năm cuối ({last}) trước năm đầu ({first}).")
    if last - first >= MAX_YEARS:
        raise KnownError(f"Chọn tối đa {MAX_YEARS} năm.")
    return store.statistics.compute(range(first, last + 1))


def party_totals(store: Store) -> PartyTotalsRepo:
    return store.statistics.totals


def enter_year_totals(
    store: Store,
    year: int,
    members_at_start: int | None,
    outside_admitted: int | None,
    source: str = "",
) -> YearTotals | None:
    """The officer enters a year's đảng bộ figures; returns them as stored."""
    totals = store.statistics.totals
    totals.set(year, members_at_start, outside_admitted, source)
    return totals.get(year)


def _kinds(unit_kind: UnitKind | None) -> tuple[UnitKind, ...]:
    return (unit_kind,) if unit_kind else tuple(UnitKind)


def _block(stats: Statistics, year: int | None, unit_kind: UnitKind | None) -> dict[str, object]:
    def of(kind: UnitKind | None) -> Figures:
        return stats.span(kind) if year is None else stats.row(year, kind)

    main = of(unit_kind)
    return {
        **main.as_json(),
        "by_unit_kind": {CODE_OF[k]: of(k).as_json() for k in _kinds(unit_kind)},
        "students": of(UnitKind.SCHOOL).as_json(),
    }


def as_json(stats: Statistics, unit_kind: UnitKind | None = None) -> dict[str, object]:
    """The `dvdesk stats --json` object (README, CLI contract).

    Top level: the period's figures in total (or of `unit_kind`), per unit kind
    (`by_unit_kind`: kdc, thpt) and the students' (THPT); `years`: the same per
    year; `target`: the 3–4% figures per year (null where not entered).
    Ratios are fractions, or null when the divisor is 0.
    """
    return {
        "from": stats.first,
        "to": stats.last,
        "unit_kind": CODE_OF[unit_kind] if unit_kind else None,
        **_block(stats, None, unit_kind),
        "years": [{"year": y, **_block(stats, y, unit_kind)} for y in stats.years],
        "target": [t.as_json() for t in stats.targets],
        "definitions": DEFINITIONS,
    }


def recent(store: Store, years: int = 6) -> Statistics:
    """The window's figures: the last `years` years up to the latest with data."""
    everything = store.statistics.compute()
    if not everything.years:
        return everything
    last = everything.last
    return store.statistics.compute(range(max(everything.first, last - years + 1), last + 1))
