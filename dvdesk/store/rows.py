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

from dvdesk.domain.dates import PartialDate, parse_date
from dvdesk.domain.eligibility import Method, possible_window
from dvdesk.domain.member import Gender, Member, Presence
from dvdesk.domain.names import fold, sort_key
from dvdesk.domain.procedure import StepRecord

MEMBER_FIELDS = (
    "uid",
    "full_name",
    "gender",
    "dob",
    "cccd",
    "ethnicity",
    "religion",
    "hometown",
    "address",
    "school_class",
    "school_year",
    "graduation_year",
    "union_joined",
    "union_officer",
    "union_extended",
    "presence",
    "phone",
    "notes",
)


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
    row: dict[str, Any] = {
        "uid": m.uid,
        "full_name": m.full_name,
        "name_sort": sort_key(m.full_name),
        "search_text": " ".join(x for x in (fold(m.full_name), m.cccd, m.phone) if x),
        "gender": m.gender.value if m.gender else None,
        "dob": m.dob.iso() if m.dob else None,
        "dob_precision": m.dob.precision.value if m.dob else None,
        "cccd": m.cccd,
        "ethnicity": m.ethnicity,
        "religion": m.religion,
        "hometown": m.hometown,
        "address": m.address,
        "school_class": m.school_class,
        "school_year": m.school_year,
        "graduation_year": m.graduation_year,
        "union_joined": _iso(m.union_joined),
        "union_officer": int(m.union_officer),
        "union_extended": int(m.union_extended),
        "presence": m.presence.value,
        "phone": m.phone,
        "notes": m.notes,
    }
    row.update(eligibility_columns(m.dob))
    return row


def member_from_row(row: dict[str, Any], unit_code: str) -> Member:
    joined = parse_date(row["union_joined"])
    return Member(
        uid=row["uid"],
        full_name=row["full_name"],
        unit_code=unit_code,
        dob=parse_date(row["dob"]),
        gender=Gender(row["gender"]) if row["gender"] else None,
        cccd=row["cccd"],
        ethnicity=row["ethnicity"],
        religion=row["religion"],
        hometown=row["hometown"],
        address=row["address"],
        school_class=row["school_class"],
        school_year=row["school_year"],
        graduation_year=row["graduation_year"],
        union_joined=joined.as_date() if joined else None,
        union_officer=bool(row["union_officer"]),
        union_extended=bool(row["union_extended"]),
        presence=Presence(row["presence"]),
        phone=row["phone"],
        notes=row["notes"],
    )


def audit_view(row: dict[str, Any]) -> dict[str, Any]:
    """The user-meaningful columns of a member row, as the audit log records them."""
    return {k: row[k] for k in (*MEMBER_FIELDS, "unit_id", "deleted_at") if k in row}


_AUDIT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def audit_json(value: Any) -> str:
    """How the audit log stores old and new values (stable key order, Vietnamese kept).

    One encoder for every call: json.dumps with options builds a new one each
    time, a tenth of a 200,000-member merge.
    """
    return _AUDIT_JSON.encode(value)


def step_view(r: StepRecord) -> dict[str, str | None]:
    """A procedure step as the audit log and the merge comparison see it."""
    return {
        "code": r.code,
        "state": r.state.value,
        "done_on": r.done_on.isoformat() if r.done_on else None,
        "doc_number": r.doc_number,
        "note": r.note,
    }
