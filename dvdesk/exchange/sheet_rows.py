"""One spreadsheet row read into a member (đọc một dòng danh sách).

Each recognised column is read with its own reader; a value that cannot be
read becomes a problem tied to the column's header as written in the sheet,
and the rest of the row is still read so every problem shows at once.

The readers are chosen once per sheet (`RowReader.__init__`): a row costs one
pass over the recognised columns, not one over every field of the registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType, import_labels
from dvdesk.domain.member import PRESENCE_ALIASES, PRESENCE_LABELS, Gender, Member, Presence
from dvdesk.domain.names import fold
from dvdesk.domain.procedure import StepRecord, StepState
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
_PRESENCE = {fold(label): p for p, label in PRESENCE_LABELS.items()} | {
    fold(label): p for label, p in PRESENCE_ALIASES.items()
}
# Words in "Ghi chú" that say where the member is (folded; the first match wins).
PRESENCE_WORDS: tuple[tuple[str, Presence], ...] = (
    ("xuat khau lao dong", Presence.ABROAD),
    ("xkld", Presence.ABROAD),
    ("di nuoc ngoai", Presence.ABROAD),
    ("o nuoc ngoai", Presence.ABROAD),
    ("lao dong nuoc ngoai", Presence.ABROAD),
    ("di lam an xa", Presence.WORKING_AWAY),
    ("lam an xa", Presence.WORKING_AWAY),
    ("di lam xa", Presence.WORKING_AWAY),
    ("lam an o xa", Presence.WORKING_AWAY),
    ("da chuyen di", Presence.MOVED),
    ("chuyen di", Presence.MOVED),
    ("chuyen sinh hoat", Presence.MOVED),
    ("chuyen khau", Presence.MOVED),
    ("da tot nghiep", Presence.GRADUATED),
    ("truong thanh doan", Presence.LEFT_UNION),
    ("ra khoi doan", Presence.LEFT_UNION),
)
_WORDS = re.compile(r"[^0-9a-z]+")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_E, _W = Severity.ERROR, Severity.WARNING


def presence_in_notes(notes: str) -> tuple[Presence, str] | None:
    """The presence a note states ("đi làm ăn xa", "XKLĐ", "đã chuyển đi"), and the words."""
    key = f" {' '.join(_WORDS.sub(' ', fold(notes)).split())} "
    for words, presence in PRESENCE_WORDS:
        if f" {words} " in key:
            return presence, words
    return None


@dataclass
class ReadRow:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str, Severity, str]] = field(default_factory=list)
    unit: str = ""
    unit_code: str = ""
    uid: str = ""
    present: set[str] = field(default_factory=set)  # member fields with a value in the sheet
    empty: set[str] = field(default_factory=set)  # member fields whose column is empty here
    steps: dict[str, StepRecord] = field(default_factory=dict)  # admission columns read

    def member(self, unit_code: str, uid: str) -> Member:
        return Member(unit_code=unit_code, uid=uid, **registry.member_values(self.values))


Reader = Callable[[object], Any]


class RowReader:
    def __init__(self, guess: HeaderGuess, name_columns: tuple[int, ...] = ()) -> None:
        self.columns = {f: c for c, f in guess.fields.items()}
        self.labels = guess.labels
        # "Họ và tên" merged over two columns: the name is both cells joined.
        self.name_columns = name_columns
        self.lone_mark: tuple[str, Gender] | None = None
        has = set(self.columns)
        if "gender" not in has and ("male" in has) != ("female" in has):
            # One "Nữ" (or "Nam") mark column: an unmarked row is the other gender.
            self.lone_mark = ("female", Gender.MALE) if "female" in has else ("male", Gender.FEMALE)
        self.has_steps = bool({"course_date", "course_number", "introducers"} & has)
        # What every row asks of the special columns, decided once for the sheet.
        self._marks = tuple(
            (name, gender)
            for name, gender in (("male", Gender.MALE), ("female", Gender.FEMALE))
            if name in has
        )
        self._checked = tuple(
            (name, name in has or (name == "dob" and bool(self._marks)))
            for name in ("full_name", "phone", "cccd", "dob", "gender", "union_joined", "presence")
        )
        self._text_of = {
            name: self.columns[name] for name in ("unit", "unit_code", "uid") if name in has
        }
        self._generic: list[tuple[str, int, Reader, bool]] = []
        for f in registry.MEMBER_FIELDS:
            if f.name in self.columns and f.name not in _SPECIAL and f.imported:
                self._generic.append(
                    (f.name, self.columns[f.name], _reader(f), f.type is FieldType.TEXT)
                )

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
        if self.name_columns:
            parts = [cv.text(cells[c]) for c in self.name_columns if c < len(cells)]
            # A merged name cell repeats its value in both columns: count it once.
            return " ".join(dict.fromkeys(p for p in parts if p))
        whole = cv.text(self._get(cells, "full_name"))
        if whole:
            return whole
        parts = [cv.text(self._get(cells, "name_first")), cv.text(self._get(cells, "name_last"))]
        return " ".join(p for p in parts if p)

    def stt(self, cells: list[object]) -> str:
        return cv.text(self._get(cells, "stt"))

    def read(self, cells: list[object], name: str | None = None) -> ReadRow:
        """One row; `name`: the row's name when the caller has already read it."""
        out = ReadRow()
        v = out.values
        v["full_name"] = self.name(cells) if name is None else name
        width = len(cells)
        for name, column, reader, is_text in self._generic:
            raw = cells[column] if column < width else None
            if raw is None or raw == "":
                out.empty.add(name)
                continue
            if is_text:
                # cv.text inline for the usual cell, a plain string (every CSV cell)
                if type(raw) is str and raw[:1] != "'":
                    text = " ".join(raw.split())
                else:
                    text = cv.text(raw)
                if text:
                    v[name] = text
                    out.present.add(name)
                else:
                    out.empty.add(name)
                continue
            try:
                value = reader(raw)
            except ValueError as exc:
                out.problems.append((self.labels.get(column, ""), str(exc), _E, f"read.{name}"))
                continue
            if value is not None:
                v[name] = value
                out.present.add(name)
        if "phone" in self.columns:
            v["phone"] = cv.phone(self._get(cells, "phone"))
        if self._text_of:
            out.unit = cv.text(self._get(cells, "unit"))
            out.unit_code = cv.text(self._get(cells, "unit_code")).upper()
            uid = cv.text(self._get(cells, "uid")).lower()
            out.uid = uid if _UUID.match(uid) else ""
        self._dob_and_gender(cells, out)
        self._cccd(cells, out)
        self._joined(cells, out)
        self._presence(cells, out)
        if self.has_steps:
            self._steps(cells, out)
        for name, has_column in self._checked:
            if v.get(name) not in (None, ""):
                out.present.add(name)
            elif has_column:
                out.empty.add(name)
        return out

    def _try(self, out: ReadRow, name: str, reader: Reader, cells: list[object]) -> None:
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
        marked = [(name, gender) for name, gender in self._marks if cv.text(self._get(cells, name))]
        if len(marked) > 1:
            out.problems.append(
                (self.label("male"), "Cả cột Nam và cột Nữ đều có giá trị.", _E, "read.gender")
            )
            return
        if not marked and self.lone_mark and out.values.get("full_name"):
            out.values["gender"] = self.lone_mark[1]
        for name, gender in marked:
            out.values["gender"] = gender
            value = self._get(cells, name)
            if not cv.is_mark(value):
                self._try(out, name, cv.read_date, cells)
                if name in out.values:
                    out.values["dob"] = out.values.pop(name)

    def _cccd(self, cells: list[object], out: ReadRow) -> None:
        if "cccd" not in self.columns:
            return
        raw = self._get(cells, "cccd")
        text = cv.text(raw).replace(" ", "").replace(".", "")
        number = isinstance(raw, int | float) and not isinstance(raw, bool)
        if text.isdigit() and (len(text) == 9 or (number and len(text) < 9)):
            # An old 9-digit ID card (CMND) is not a CCCD — typed as a number it may have
            # lost its leading zero: keep it in the notes, never pad it into a CCCD.
            cmnd = text.zfill(9)
            note = f"CMND: {cmnd}"
            out.values["notes"] = f"{out.values.get('notes', '')}; {note}".lstrip("; ")
            lost = " (đã thêm số 0 đầu bị mất)" if cmnd != text else ""
            out.problems.append(
                (
                    self.label("cccd"),
                    f"“{text}” là số CMND cũ (9 số){lost}, đã ghi vào ghi chú; "
                    "cần bổ sung số CCCD 12 số.",
                    _W,
                    "read.cmnd",
                )
            )
            return
        out.values["cccd"] = cv.digits(raw, 12)

    def _joined(self, cells: list[object], out: ReadRow) -> None:
        if "union_joined" not in self.columns:
            return
        try:
            value = cv.read_date(self._get(cells, "union_joined"))
        except ValueError as exc:
            out.problems.append((self.label("union_joined"), str(exc), _E, "read.union_joined"))
            return
        if value is None:
            return
        if value.is_full:
            out.values["union_joined"] = value.as_date()
            return
        # "Năm vào Đoàn" holds a year (or month/year): kept in the notes, the person is read.
        note = f"Vào Đoàn: {value.vi()}"
        out.values["notes"] = f"{out.values.get('notes', '')}; {note}".lstrip("; ")
        out.problems.append(
            (
                self.label("union_joined"),
                f"Ngày vào Đoàn chỉ có “{value.vi()}”: đã ghi vào ghi chú; cần ngày đầy đủ.",
                _W,
                "read.joined_partial",
            )
        )

    def _steps(self, cells: list[object], out: ReadRow) -> None:
        """The admission columns of a "danh sách trích ngang", as procedure steps."""
        try:
            day = _full(cv.read_date(self._get(cells, "course_date")))
        except ValueError as exc:
            out.problems.append((self.label("course_date"), str(exc), _E, "read.course_date"))
            day = None
        number = cv.text(self._get(cells, "course_number"))
        if day is not None:
            out.steps["course"] = StepRecord("course", StepState.DONE, day, number)
        elif number:
            out.problems.append(
                (
                    self.label("course_number"),
                    f"Có số giấy chứng nhận “{number}” mà không có ngày: chưa ghi bước CN-NTVĐ.",
                    _W,
                    "read.course_number",
                )
            )
        if names := cv.text(self._get(cells, "introducers")):
            out.steps["introduction"] = StepRecord(
                "introduction", StepState.NOT_STARTED, note=f"Người giới thiệu: {names}"
            )

    def _presence(self, cells: list[object], out: ReadRow) -> None:
        presence = cv.text(self._get(cells, "presence")) if "presence" in self.columns else ""
        if presence:
            if fold(presence) in _PRESENCE:
                out.values["presence"] = _PRESENCE[fold(presence)]
                return
            found = presence_in_notes(presence)
            if found:
                out.values["presence"] = found[0]
                return
            out.problems.append(
                (
                    self.label("presence"),
                    f"Tình trạng “{presence}” không rõ: để “Đang ở địa phương”.",
                    _W,
                    "read.presence",
                )
            )
            return
        notes = out.values.get("notes", "")
        if notes and (found := presence_in_notes(notes)):
            out.values["presence"] = found[0]
            out.present.add("presence")
            out.problems.append(
                (
                    self.label("notes"),
                    f"Tình trạng lấy theo ghi chú: {PRESENCE_LABELS[found[0]]}.",
                    _W,
                    "read.presence_note",
                )
            )


def _reader(f: registry.MemberField) -> Reader:
    t = f.type
    if t is FieldType.NUMBER:
        return cv.year if "year" in f.name else cv.number
    if t is FieldType.PARTIAL_DATE:
        return cv.read_date
    if t is FieldType.DATE:
        return lambda x: _full(cv.read_date(x))
    if t is FieldType.FLAG:
        return lambda x: cv.is_mark(x) if cv.text(x) else None
    if t is FieldType.ENUM:
        return lambda x: _choice(f, x)
    return cv.text


def _choice(f: registry.MemberField, value: object) -> object:
    text = cv.text(value)
    if not text:
        return None
    for stored, label in f.choices():
        if fold(text) in (fold(stored), fold(label)):
            return f.parse_enum(stored)
    raise ValueError(f"{f.label} “{text}” không rõ.")


def _full(value: PartialDate | None) -> date | None:
    if value is None:
        return None
    if not value.is_full:
        raise ValueError(f"Cần ngày đầy đủ dd/mm/yyyy, không chỉ “{value.vi()}”.")
    return value.as_date()
