"""Conversion between domain objects and table rows (no SQL here).

Derived columns are computed once, on write: the Vietnamese sort key, the
folded search text, and the first eligible / first over-age days under both
month-counting methods, so that lists and filters are index scans.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import Method, possible_window
from dvdesk.domain.member import Member
from dvdesk.domain.names import fold, sort_key
from dvdesk.domain.procedure import StepRecord

# The user-meaningful member columns, in the registry's order (domain/fields.py).
MEMBER_FIELDS = tuple(f.name for f in registry.stored_fields())


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def eligibility_columns(dob: PartialDate | None) -> dict[str, str | None]:
    """First day eligible is possible and first day over-age is certain, by method A and B.

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
    for method, suffix in ((Method.COMPLETED, "a"), (Method.CALENDAR, "b")):
        start, end = possible_window(dob, method) if dob else (None, None)
        cols[f"elig_from_{suffix}"] = _iso(start)
        cols[f"over_from_{suffix}"] = _iso(end)
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
