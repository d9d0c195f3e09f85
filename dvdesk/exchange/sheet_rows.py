"""One spreadsheet row read into a member (đọc một dòng danh sách).

Each recognised column is read with its own reader; a value that cannot be
read becomes a problem tied to the column's header as written in the sheet,
and the rest of the row is still read so every problem shows at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType, import_labels
from dvdesk.domain.member import PRESENCE_LABELS, Gender, Member
from dvdesk.domain.names import fold
from dvdesk.domain.validation import Severity
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess

# Import name → what the preview calls it (domain/fields.py).
FIELD_LABELS = import_labels()
# Member attribute (as validation names it) → the sheet fields it comes from.
_SOURCES = {
    "full_name": ("full_name", "name_last", "name_first"),
    "dob": ("dob", "male", "female"),
    "unit_code": ("unit_code", "unit"),
}
# Fields read by their own code below; every other registry field is read by its type.
_SPECIAL = {
    "full_name",
    "dob",
    "gender",
    "cccd",
    "phone",
    "presence",
    "unit_code",
    "uid",
    "union_joined",
}
_PRESENCE = {fold(label): p for p, label in PRESENCE_LABELS.items()}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_E, _W = Severity.ERROR, Severity.WARNING


@dataclass
class ReadRow:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str, Severity, str]] = field(default_factory=list)
    unit: str = ""
    unit_code: str = ""
    uid: str = ""

    def member(self, unit_code: str, uid: str) -> Member:
        return Member(unit_code=unit_code, uid=uid, **self.values)


class RowReader:
    def __init__(self, guess: HeaderGuess) -> None:
        self.columns = {f: c for c, f in guess.fields.items()}
        self.labels = guess.labels

    def label(self, name: str) -> str:
        c = self.columns.get(name)
        return self.labels.get(c, "") if c is not None else ""

    def label_for_member_field(self, attribute: str) -> str:
        for name in _SOURCES.get(attribute, (attribute,)):
            if name in self.columns:
                return self.label(name)
        return ""

    def _get(self, cells: list[object], name: str) -> object:
        c = self.columns.get(name)
        return cells[c] if c is not None and c < len(cells) else None

    def name(self, cells: list[object]) -> str:
        whole = cv.text(self._get(cells, "full_name"))
        if whole:
            return whole
        parts = (cv.text(self._get(cells, "name_first")), cv.text(self._get(cells, "name_last")))
        return " ".join(p for p in parts if p)

    def stt(self, cells: list[object]) -> str:
        return cv.text(self._get(cells, "stt"))

    def read(self, cells: list[object]) -> ReadRow:
        out = ReadRow()
        v = out.values
        v["full_name"] = self.name(cells)
        for f in registry.MEMBER_FIELDS:
            if f.name in self.columns and f.name not in _SPECIAL:
                self._generic(cells, out, f)
        v["phone"] = cv.phone(self._get(cells, "phone"))
        out.unit = cv.text(self._get(cells, "unit"))
        out.unit_code = cv.text(self._get(cells, "unit_code")).upper()
        uid = cv.text(self._get(cells, "uid")).lower()
        out.uid = uid if _UUID.match(uid) else ""
        self._dob_and_gender(cells, out)
        self._cccd(cells, out)
        self._try(out, "union_joined", lambda x: _full(cv.read_date(x)), cells)
        presence = cv.text(self._get(cells, "presence"))
        if presence:
            if fold(presence) in _PRESENCE:
                v["presence"] = _PRESENCE[fold(presence)]
            else:
                out.problems.append(
                    (
                        self.label("presence"),
                        f"Tình trạng “{presence}” không rõ: để “Đang ở địa phương”.",
                        _W,
                        "read.presence",
                    )
                )
        return out

    def _generic(self, cells: list[object], out: ReadRow, f: registry.MemberField) -> None:
        """A field with no reader of its own, read by its type."""
        t = f.type
        if t in (FieldType.TEXT, FieldType.CODE):
            if text := cv.text(self._get(cells, f.name)):
                out.values[f.name] = text
        elif t is FieldType.NUMBER:
            self._try(out, f.name, cv.year if "year" in f.name else cv.number, cells)
        elif t is FieldType.PARTIAL_DATE:
            self._try(out, f.name, cv.read_date, cells)
        elif t is FieldType.DATE:
            self._try(out, f.name, lambda x: _full(cv.read_date(x)), cells)
        elif t is FieldType.FLAG:
            if cv.text(self._get(cells, f.name)):
                out.values[f.name] = cv.is_mark(self._get(cells, f.name))
        elif t is FieldType.ENUM:
            self._try(out, f.name, lambda x: _choice(f, x), cells)

    def _try(self, out: ReadRow, name: str, reader, cells: list[object]) -> None:
        if name not in self.columns:
            return
        try:
            value = reader(self._get(cells, name))
        except ValueError as exc:
            out.problems.append((self.label(name), str(exc), _E, f"read.{name}"))
            return
        if value is not None:
            out.values[name] = value

    def _dob_and_gender(self, cells: list[object], out: ReadRow) -> None:
        self._try(out, "dob", cv.read_date, cells)
        self._try(out, "gender", cv.read_gender, cells)
        marked = [
            (name, gender)
            for name, gender in (("male", Gender.MALE), ("female", Gender.FEMALE))
            if cv.text(self._get(cells, name))
        ]
        if len(marked) > 1:
            out.problems.append(
                (self.label("male"), "Cả cột Nam và cột Nữ đều có giá trị.", _E, "read.gender")
            )
            return
        for name, gender in marked:
            out.values["gender"] = gender
            value = self._get(cells, name)
            if not cv.is_mark(value):
                self._try(out, name, cv.read_date, cells)
                if name in out.values:
                    out.values["dob"] = out.values.pop(name)

    def _cccd(self, cells: list[object], out: ReadRow) -> None:
        raw = self._get(cells, "cccd")
        text = cv.text(raw).replace(" ", "").replace(".", "")
        if text.isdigit() and len(text) == 9:
            # An old 9-digit ID card (CMND) is not a CCCD: keep it in the notes.
            note = f"CMND: {text}"
            out.values["notes"] = f"{out.values.get('notes', '')}; {note}".lstrip("; ")
            out.problems.append(
                (
                    self.label("cccd"),
                    f"“{text}” là số CMND cũ (9 số), đã ghi vào ghi chú; "
                    "cần bổ sung số CCCD 12 số.",
                    _W,
                    "read.cmnd",
                )
            )
            return
        out.values["cccd"] = cv.digits(raw, 12)


def _full(value: PartialDate | None):
    if value is None:
        return None
    if not value.is_full:
        raise ValueError(f"Cần ngày đầy đủ dd/mm/yyyy, không chỉ “{value.vi()}”.")
    return value.as_date()


def _choice(f: registry.MemberField, value: object) -> object:
    text = cv.text(value)
    if not text:
        return None
    for stored, label in f.choices():
        if fold(text) in (fold(stored), fold(label)):
            return f.parse_enum(stored)
    raise ValueError(f"{f.label} “{text}” không rõ.")
