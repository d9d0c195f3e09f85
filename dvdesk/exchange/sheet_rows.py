"""One spreadsheet row read into a member (đọc một dòng danh sách).

Each recognised column is read with its own reader; a value that cannot be
read becomes a problem tied to the column's header as written in the sheet,
and the rest of the row is still read so every problem shows at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import PRESENCE_ALIASES, PRESENCE_LABELS, Gender, Member
from dvdesk.domain.names import fold
from dvdesk.domain.validation import Severity
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess

FIELD_LABELS = {
    "stt": "số thứ tự",
    "full_name": "họ và tên",
    "name_first": "họ và tên đệm",
    "name_last": "tên",
    "dob": "ngày sinh",
    "gender": "giới tính",
    "male": "ngày sinh / đánh dấu nam",
    "female": "ngày sinh / đánh dấu nữ",
    "cccd": "số CCCD",
    "unit": "chi đoàn / đơn vị",
    "unit_code": "mã chi đoàn",
    "school_class": "lớp",
    "union_joined": "ngày vào Đoàn",
    "ethnicity": "dân tộc",
    "religion": "tôn giáo",
    "hometown": "quê quán",
    "address": "nơi ở hiện nay",
    "phone": "số điện thoại",
    "notes": "ghi chú",
    "school_year": "năm học",
    "graduation_year": "năm tốt nghiệp",
    "presence": "tình trạng",
    "stage": "giai đoạn (không nhập)",
    "uid": "mã dvdesk",
}
# Member attribute (as validation names it) → the sheet fields it comes from.
_SOURCES = {
    "full_name": ("full_name", "name_last", "name_first"),
    "dob": ("dob", "male", "female"),
    "unit_code": ("unit_code", "unit"),
}
_PRESENCE = {fold(label): p for p, label in PRESENCE_LABELS.items()} | {
    fold(label): p for label, p in PRESENCE_ALIASES.items()
}
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
        for name in (
            "ethnicity",
            "religion",
            "hometown",
            "address",
            "school_class",
            "school_year",
            "notes",
        ):
            if name in self.columns and (text := cv.text(self._get(cells, name))):
                v[name] = text
        v["phone"] = cv.phone(self._get(cells, "phone"))
        out.unit = cv.text(self._get(cells, "unit"))
        out.unit_code = cv.text(self._get(cells, "unit_code")).upper()
        uid = cv.text(self._get(cells, "uid")).lower()
        out.uid = uid if _UUID.match(uid) else ""
        self._dob_and_gender(cells, out)
        self._cccd(cells, out)
        self._try(out, "union_joined", lambda x: _full(cv.read_date(x)), cells)
        self._try(out, "graduation_year", cv.year, cells)
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
