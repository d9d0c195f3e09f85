"""Domain objects as package CSV rows and back (bản ghi trong gói dữ liệu).

A row is a dict of strings keyed by the names in dictionary.py: ISO dates,
"0"/"1" booleans, empty text for nothing. Reading a row back raises
`RecordError` with a Vietnamese message naming the column.
"""

from __future__ import annotations

from dataclasses import astuple, fields
from datetime import date
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import DateError, parse_date
from dvdesk.domain.fields import FieldType
from dvdesk.domain.member import Member, Unit, UnitKind
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
    """Every package column of the member (dictionary.py names them from the registry)."""
    row = {"uid": m.uid, "unit_code": m.unit_code}
    for f in registry.MEMBER_FIELDS:
        row.setdefault(f.name, f.to_text(getattr(m, f.name, f.default)))
    return row


def _date(row: dict[str, str], column: str, *, full: bool) -> Any:
    try:
        value = parse_date(row[column])
    except DateError as exc:
        raise RecordError(f"cột {column}: {exc}") from exc
    if value is not None and full:
        if not value.is_full:
            raise RecordError(f"cột {column}: cần ngày đầy đủ, không chỉ “{value.vi()}”")
        return value.as_date()
    return value


def member_from_row(row: dict[str, str]) -> Member:
    """A member from its package row; a column a package of an older format lacks is left
    at its default."""
    if not row.get("uid", "").strip():
        raise RecordError("thiếu mã định danh (uid)")
    values: dict[str, Any] = {}
    for f in registry.MEMBER_FIELDS:
        if f.name not in row:
            if f.since == "1.0":
                raise RecordError(f"thiếu cột {f.name}")
            continue
        text = row[f.name]
        try:
            value = f.from_cell(text.strip() if f.type is not FieldType.TEXT else text)
        except (ValueError, DateError) as exc:
            raise RecordError(f"cột {f.name}: {exc}") from exc
        values[f.name] = value
    values["uid"] = row["uid"].strip()
    values["unit_code"] = row["unit_code"].strip().upper()
    return Member(**registry.member_values(values))


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
    n = m.normalized()
    return tuple(getattr(n, f.name) for f in fields(Member) if f.name != "uid")


def steps_key(records: list[StepRecord]) -> tuple:
    return tuple(sorted(astuple(r) for r in records))
