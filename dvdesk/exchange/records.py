"""Domain objects as package CSV rows and back (bản ghi trong gói dữ liệu).

A row is a dict of strings keyed by the names in dictionary.py: ISO dates,
"0"/"1" booleans, empty text for nothing. Reading a row back raises
`RecordError` with a Vietnamese message naming the column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, fields
from datetime import date
from functools import lru_cache
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import DateError, parse_date
from dvdesk.domain.fields import FieldType
from dvdesk.domain.member import STORAGE_FORMS, Member, Unit, UnitKind
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


def member_from_row(row: dict[str, str], *, normalized: bool = False) -> Member:
    """A member from its package row; a column a package of an older format lacks is left
    at its default. `normalized`: in storage form, as `Member.normalized()` makes it, in
    the same pass (a package's rows are read that way)."""
    uid = row.get("uid", "").strip()
    if not uid:
        raise RecordError("thiếu mã định danh (uid)")
    values: dict[str, Any] = {}
    for name, since_first, read in _readers()[normalized]:
        text = row.get(name)
        if text is None:
            if since_first:
                raise RecordError(f"thiếu cột {name}")
            continue
        try:
            values[name] = text if read is None else read(text)
        except (ValueError, DateError) as exc:
            raise RecordError(f"cột {name}: {exc}") from exc
    values["uid"] = uid
    values["unit_code"] = row["unit_code"].strip().upper()
    return Member(**values)


Reader = Callable[[str], Any] | None  # None: the text as it is


Readers = tuple[tuple[str, bool, Reader], ...]
_compiled: list[tuple[Any, tuple[Readers, Readers]]] = []


def _readers() -> tuple[Readers, Readers]:
    """(column, required since format 1.0, reader) of every Member attribute: as read,
    and in storage form.

    The fast form of `MemberField.from_cell` (and `Member.normalized`) for
    package text, worked out once per registry (a test may swap it): a package
    has 2,000 to 200,000 rows of ~27 columns each.
    """
    source = registry.MEMBER_FIELDS
    if not _compiled or _compiled[0][0] is not source:
        attributes = {f.name for f in fields(Member)}
        plain = tuple(
            (f.name, f.since == "1.0", _reader(f)) for f in source if f.name in attributes
        )
        stored = tuple((name, first, _stored(name, read)) for name, first, read in plain)
        _compiled[:] = [(source, (plain, stored))]
    return _compiled[0][1]


def _stored(name: str, read: Reader) -> Reader:
    form = STORAGE_FORMS.get(name)
    if form is None:
        return read
    if read is None:
        return form
    return lambda text: form(read(text))


def _reader(f: registry.MemberField) -> Reader:
    t = f.type
    if t is FieldType.TEXT:
        return None
    if t in (FieldType.CODE, FieldType.UNIT):
        return str.strip
    # Enums, flags, numbers and dates: a few values (a few thousand birthdays) repeat
    # over every row, and each is immutable, so the conversion is remembered per text.
    return lru_cache(maxsize=1 << 16)(lambda text: f.from_cell(text.strip()))


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
