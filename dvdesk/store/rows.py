"""Conversion between domain objects and table rows (no SQL here).

Derived columns are computed once, on write: the Vietnamese sort key, the
folded search text, and the first eligible / first over-age days under both
month-counting methods, so that lists and filters are index scans.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import MIN_MONTHS, Method, first_day_with, possible_window
from dvdesk.domain.member import Member
from dvdesk.domain.names import fold, sort_key
from dvdesk.domain.procedure import StepRecord

# The user-meaningful member columns, in the registry's order (domain/fields.py).
MEMBER_FIELDS = tuple(f.name for f in registry.stored_fields())


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def eligibility_columns(dob: PartialDate | None) -> dict[str, str | None]:
    """First day eligible is possible and first day over-age is certain, by method A and B.

    Plus, for a partial date of birth, the last day the 18th birthday may fall
    on (`elig_to_*`; NULL for a full date, whose elig_from is that day).

    For a full date of birth these are the first eligible and the first
    over-age day; for a partial one they span every possible birthday, so a
    view "eligible on D" (elig_from <= D < over_from) never drops someone who
    may be of age. None without a date of birth.
    """
    return dict(_eligibility_columns(dob))


@lru_cache(maxsize=1 << 16)
def _eligibility_columns(dob: PartialDate | None) -> tuple[tuple[str, str | None], ...]:
    # A commune has a few thousand distinct birthdays: cache per date of birth.
    cols: dict[str, str | None] = {}
    partial = dob is not None and not dob.is_full
    for method, suffix in ((Method.COMPLETED, "a"), (Method.CALENDAR, "b")):
        start, end = possible_window(dob, method) if dob else (None, None)
        cols[f"elig_from_{suffix}"] = _iso(start)
        cols[f"over_from_{suffix}"] = _iso(end)
        # The latest day they may turn 18, for a partial date only (NULL: elig_from is
        # the one day), so "of age within N months" keeps every possible birthday.
        latest = first_day_with(method, dob.latest(), MIN_MONTHS) if dob and partial else None
        cols[f"elig_to_{suffix}"] = _iso(latest)
    return tuple(cols.items())


def member_row(member: Member) -> dict[str, Any]:
    """The stored columns of a normalized member (unit and timestamps added by the store)."""
    m = member
    row: dict[str, Any] = registry.cell_values(m)
    row["name_sort"] = sort_key(m.full_name)
    row["search_text"] = " ".join(x for x in (fold(m.full_name), m.cccd, m.phone) if x)
    row["dob_precision"] = m.dob.precision.value if m.dob else None
    row.update(eligibility_columns(m.dob))
    return row


# The keys of `member_row`, in order (fixed by the registry).
MEMBER_ROW_COLUMNS = tuple(member_row(Member("", "")))


def member_row_values(member: Member) -> tuple[Any, ...]:
    """`member_row` as a tuple in MEMBER_ROW_COLUMNS order, without the dict (imports)."""
    m = member
    return (
        *registry.cell_tuple(m),
        sort_key(m.full_name),
        " ".join(x for x in (fold(m.full_name), m.cccd, m.phone) if x),
        m.dob.precision.value if m.dob else None,
        *[v for _, v in _eligibility_columns(m.dob)],
    )


def member_from_row(row: dict[str, Any], unit_code: str) -> Member:
    return Member(unit_code=unit_code, **registry.from_cells(row))


_AUDITED = (*MEMBER_FIELDS, "unit_id", "deleted_at")


def audit_view(row: dict[str, Any]) -> dict[str, Any]:
    """The user-meaningful columns of a member row, as the audit log records them."""
    return {k: row[k] for k in _AUDITED if k in row}


_AUDIT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def audit_json(value: Any) -> str:
    """How the audit log stores old and new values (stable key order, Vietnamese kept).

    One encoder for every call: json.dumps with options builds a new one each
    time, a tenth of a 200,000-member merge.
    """
    return _AUDIT_JSON.encode(value)


def audit_json_rows(names: Sequence[str]) -> Callable[[Sequence[Any]], str]:
    """`audit_json(audit_view(dict(zip(names, values))))` for many rows of the same
    columns (a bulk insert's audit): the same text, one small dict per row."""
    keys = tuple(n for n in names if n in _AUDITED)
    pick = itemgetter(*(list(names).index(k) for k in keys))
    encode = _AUDIT_JSON.encode
    return lambda values: encode(dict(zip(keys, pick(values), strict=True)))


def step_values(member_id: int, r: StepRecord, stamp: str) -> tuple[object, ...]:
    """A `steps` row as written: (member_id, code, state, done_on, doc_number, note, updated_at)."""
    return (
        member_id,
        r.code,
        r.state.value,
        r.done_on.isoformat() if r.done_on else None,
        r.doc_number,
        r.note,
        stamp,
    )


def step_view(r: StepRecord) -> dict[str, str | None]:
    """A procedure step as the audit log and the merge comparison see it."""
    return {
        "code": r.code,
        "state": r.state.value,
        "done_on": r.done_on.isoformat() if r.done_on else None,
        "doc_number": r.doc_number,
        "note": r.note,
    }
