"""What a member field is: its type and how its values are written and read
(kiểu trường). The registry of the fields themselves is domain/fields.py.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from dvdesk.domain.dates import PartialDate, parse_date

Writer = Callable[[Any], Any] | None  # None: the value is stored as it is


class FieldType(StrEnum):
    TEXT = "text"  # free text
    DATE = "date"  # a full date
    PARTIAL_DATE = "partial_date"  # a full date, a month and year, or a year
    ENUM = "enum"  # one of a domain enum's values
    CODE = "code"  # an identifier kept as text, often digits (CCCD, phone, uid)
    NUMBER = "number"  # a whole number
    FLAG = "flag"  # yes / no
    UNIT = "unit"  # the code of a unit of the catalogue


@dataclass(frozen=True)
class MemberField:
    """One member attribute and everything each layer needs to know about it."""

    name: str  # Member attribute, table column, package CSV column
    label: str  # Vietnamese label: form, data dictionary, preview
    type: FieldType
    enum: builtins.type[StrEnum] | None = None  # allowed values of an ENUM
    labels: Mapping[Any, str] = field(default_factory=dict)  # ENUM value → Vietnamese label
    required: bool = False
    header: str = ""  # export header (the label when empty)
    synonyms: tuple[str, ...] = ()  # other headers an import accepts
    width: int = 14  # export column width, characters
    placeholder: str = ""  # form hint
    default: Any = None  # value of a new member (the Member default)
    minimum: int | None = None  # NUMBER range
    maximum: int | None = None
    max_length: int = 0  # form input limit (0: none)
    allowed: str = ""  # format note for the data dictionary
    form_row: str = ""  # fields sharing a form row: that row's label ("-": no label)
    short: str = ""  # the label beside the input in a shared form row (the label if empty)
    multiline: bool = False  # TEXT typed over several lines
    sticky: bool = False  # "Lưu và thêm tiếp" keeps it for the next person
    in_form: bool = True
    exported: bool = True  # a column of the XLSX/CSV lists
    imported: bool = True  # recognised in a spreadsheet header
    stored: bool = True  # a column of the members table (unit_code is unit_id there)
    list_key: str = ""  # key in `dvdesk list --json` ("" : not listed)
    since: str = "1.0"  # package format that introduced the column (older packages lack it)

    @property
    def export_header(self) -> str:
        return self.header or self.label

    @property
    def preview_label(self) -> str:
        """The label inside a sentence ("cột “NS” → ngày sinh")."""
        return self.label[:1].lower() + self.label[1:] if self.label[1:2].islower() else self.label

    def choices(self) -> list[tuple[str, str]]:
        """(stored value, Vietnamese label) of an ENUM, in the enum's order."""
        assert self.enum is not None
        return [(v.value, self.labels.get(v, v.value)) for v in self.enum]

    def parse_enum(self, value: str | None) -> Any:
        """The enum member of a stored value; None for empty; ValueError when unknown."""
        assert self.enum is not None
        if not value:
            return self.default
        try:
            return self.enum(value)
        except ValueError:
            allowed = " | ".join(v.value for v in self.enum)
            raise ValueError(f"giá trị “{value}” không hợp lệ (cần {allowed})") from None

    # -- one value as text (package CSV) and as a table cell ---------------

    def to_text(self, value: Any) -> str:
        """The package CSV form: ISO dates, "0"/"1", enum values, "" for nothing."""
        if value is None:
            return ""
        if self.type is FieldType.FLAG:
            return str(int(bool(value)))
        if isinstance(value, PartialDate | date):
            return value.isoformat() if isinstance(value, date) else value.iso()
        if isinstance(value, StrEnum):
            return value.value
        return str(value)

    def to_cell(self, value: Any) -> Any:
        """The table cell (SQLite): text, ISO date, int, or NULL."""
        if self.type is FieldType.FLAG:
            return int(bool(value))
        if self.type is FieldType.NUMBER:
            return value
        if self.type in (FieldType.TEXT, FieldType.CODE, FieldType.UNIT):
            return value if value is not None else ""
        return self.to_text(value) or None

    def from_cell(self, value: Any) -> Any:
        """A table cell or a package CSV text back to the domain value (ValueError if bad)."""
        t = self.type
        if t is FieldType.FLAG:
            if value in (0, 1, None, "0", "1", ""):
                return value in (1, "1")
            raise ValueError(f"cần 0 hoặc 1, không phải “{value}”")
        if t is FieldType.NUMBER:
            if value is None or value == "":
                return None
            text = str(value).strip()
            if not text.lstrip("-").isdigit():
                raise ValueError(f"“{text}” không phải là số")
            return int(text)
        if t is FieldType.ENUM:
            return self.parse_enum(value or None)
        if t is FieldType.PARTIAL_DATE:
            return parse_date(value or None)
        if t is FieldType.DATE:
            d = parse_date(value or None)
            if d is not None and not d.is_full:
                raise ValueError(f"cần ngày đầy đủ, không chỉ “{d.vi()}”")
            return d.as_date() if d else None
        return "" if value is None else value


def cell_writer(f: MemberField) -> Writer:
    t = f.type
    if t in (FieldType.TEXT, FieldType.CODE, FieldType.UNIT, FieldType.NUMBER):
        return None
    if t is FieldType.FLAG:
        return int
    if t is FieldType.ENUM:
        return lambda v: v.value if v else None
    if t is FieldType.PARTIAL_DATE:
        return lambda v: v.iso() if v else None
    return lambda v: v.isoformat() if v else None


def cell_reader(f: MemberField) -> Writer:
    t = f.type
    if t in (FieldType.TEXT, FieldType.CODE, FieldType.UNIT, FieldType.NUMBER):
        return None
    if t is FieldType.FLAG:
        return bool
    return f.from_cell
