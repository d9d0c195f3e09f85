"""Domain objects as package CSV rows and back (bản ghi trong gói dữ liệu).

A row is a dict of strings keyed by the names in dictionary.py: ISO dates,
"0"/"1" booleans, empty text for nothing. Reading a row back raises
`RecordError` with a Vietnamese message naming the column.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

from dvdesk.domain.dates import DateError, parse_date
from dvdesk.domain.member import Gender, Member, Presence, Unit, UnitKind
from dvdesk.domain.procedure import STEP_BY_CODE, StepRecord, StepState


class RecordError(ValueError):
    """A CSV value that cannot be read; `str()` is Vietnamese."""


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def unit_to_row(unit: Unit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind.value}


def unit_from_row(row: dict[str, str]) -> Unit:
    try:
        kind = UnitKind(row["kind"])
    except ValueError as exc:
        raise RecordError(f"cột kind: loại đơn vị “{row['kind']}” không hợp lệ") from exc
    if not row["code"].strip() or not row["name"].strip():
        raise RecordError("đơn vị thiếu mã hoặc tên")
    return Unit(row["code"].strip().upper(), " ".join(row["name"].split()), kind)


def member_to_row(m: Member) -> dict[str, str]:
    return {
        "uid": m.uid,
        "unit_code": m.unit_code,
        "full_name": m.full_name,
        "gender": m.gender.value if m.gender else "",
        "dob": m.dob.iso() if m.dob else "",
        "cccd": m.cccd,
        "ethnicity": m.ethnicity,
        "religion": m.religion,
        "hometown": m.hometown,
        "address": m.address,
        "school_class": m.school_class,
        "school_year": m.school_year,
        "graduation_year": "" if m.graduation_year is None else str(m.graduation_year),
        "union_joined": _iso(m.union_joined),
        "union_officer": str(int(m.union_officer)),
        "union_extended": str(int(m.union_extended)),
        "presence": m.presence.value,
        "phone": m.phone,
        "notes": m.notes,
    }


def _date(row: dict[str, str], column: str, *, full: bool):
    try:
        value = parse_date(row[column])
    except DateError as exc:
        raise RecordError(f"cột {column}: {exc}") from exc
    if value is not None and full:
        if not value.is_full:
            raise RecordError(f"cột {column}: cần ngày đầy đủ, không chỉ “{value.vi()}”")
        return value.as_date()
    return value


def _bool(row: dict[str, str], column: str) -> bool:
    if row[column] not in ("0", "1", ""):
        raise RecordError(f"cột {column}: cần 0 hoặc 1, không phải “{row[column]}”")
    return row[column] == "1"


def member_from_row(row: dict[str, str]) -> Member:
    try:
        gender = Gender(row["gender"]) if row["gender"] else None
        presence = Presence(row["presence"] or Presence.AT_HOME.value)
    except ValueError as exc:
        raise RecordError(f"giá trị không hợp lệ: {exc}") from exc
    year = row["graduation_year"].strip()
    if year and not year.isdigit():
        raise RecordError(f"cột graduation_year: “{year}” không phải là năm")
    if not row["uid"].strip():
        raise RecordError("thiếu mã định danh (uid)")
    return Member(
        uid=row["uid"].strip(),
        full_name=row["full_name"],
        unit_code=row["unit_code"].strip().upper(),
        dob=_date(row, "dob", full=False),
        gender=gender,
        cccd=row["cccd"],
        ethnicity=row["ethnicity"],
        religion=row["religion"],
        hometown=row["hometown"],
        address=row["address"],
        school_class=row["school_class"],
        school_year=row["school_year"],
        graduation_year=int(year) if year else None,
        union_joined=_date(row, "union_joined", full=True),
        union_officer=_bool(row, "union_officer"),
        union_extended=_bool(row, "union_extended"),
        presence=presence,
        phone=row["phone"],
        notes=row["notes"],
    )


def step_to_row(uid: str, r: StepRecord) -> dict[str, str]:
    return {
        "member_uid": uid,
        "code": r.code,
        "state": r.state.value,
        "done_on": _iso(r.done_on),
        "doc_number": r.doc_number,
        "note": r.note,
    }


def step_from_row(row: dict[str, str]) -> tuple[str, StepRecord]:
    if row["code"] not in STEP_BY_CODE:
        raise RecordError(f"cột code: không có bước “{row['code']}” trong quy trình")
    try:
        state = StepState(row["state"])
    except ValueError as exc:
        raise RecordError(f"cột state: trạng thái “{row['state']}” không hợp lệ") from exc
    record = StepRecord(
        row["code"], state, _date(row, "done_on", full=True), row["doc_number"], row["note"]
    )
    return row["member_uid"].strip(), record


def member_key(m: Member) -> tuple:
    """What a merge compares to tell "unchanged" from "updated" (uid excluded)."""
    return astuple(m.normalized())[:-1]


def steps_key(records: list[StepRecord]) -> tuple:
    return tuple(sorted(astuple(r) for r in records))
