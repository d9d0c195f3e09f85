"""The data dictionary of a commune package (từ điển dữ liệu).

Every column of every CSV file in a package is described here once: its
name, its Vietnamese label, its type and its allowed values. The package
writer ships this table as `data_dictionary.csv`; the merge checks incoming
CSV headers against it, so a file with a missing column is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dvdesk.domain import fields as registry
from dvdesk.domain.fields import FieldType, MemberField
from dvdesk.domain.member import UnitKind
from dvdesk.domain.procedure import STEP_CODES, StepState
from dvdesk.exchange import dossier_tables

FULL_DATE = "ngày ISO: YYYY-MM-DD"
PARTY_TOTALS_FILE = "party_totals.csv"


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # nhãn tiếng Việt
    type: str  # text, uuid, date, partial_date, integer, boolean, datetime, json
    allowed: str = ""  # allowed values or format, for people reading the dictionary


def _choices(values: Iterable[object]) -> str:
    return " | ".join(str(getattr(v, "value", v)) for v in values)


UNITS = (
    Column("code", "Mã chi đoàn / đơn vị", "text", "chữ in hoa, duy nhất trong xã"),
    Column("name", "Tên chi đoàn / đơn vị", "text"),
    Column("kind", "Loại đơn vị", "text", _choices(UnitKind)),
)
_TYPES = {
    FieldType.TEXT: "text",
    FieldType.CODE: "text",
    FieldType.UNIT: "text",
    FieldType.ENUM: "text",
    FieldType.DATE: "date",
    FieldType.PARTIAL_DATE: "partial_date",
    FieldType.NUMBER: "integer",
    FieldType.FLAG: "boolean",
}


def _member_column(f: MemberField) -> Column:
    if f.type is FieldType.ENUM:
        assert f.enum is not None, f.name  # an ENUM field names its values
        allowed = _choices(f.enum) if f.required or f.default else f"{_choices(f.enum)} | (trống)"
    elif f.type is FieldType.FLAG:
        allowed = "0 | 1"
    else:
        allowed = f.allowed
    label = "Mã chi đoàn / đơn vị" if f.type is FieldType.UNIT else f.label
    if f.name == "uid":
        label = "Mã định danh đoàn viên (không đổi)"
    return Column(f.name, label, "uuid" if f.name == "uid" else _TYPES[f.type], allowed)


def member_columns() -> tuple[Column, ...]:
    """members.csv: uid and unit first, then every member field in the registry's order."""
    first = ("uid", "unit_code")
    ordered = [registry.member_field(n) for n in first]
    ordered += [f for f in registry.MEMBER_FIELDS if f.name not in first]
    return tuple(_member_column(f) for f in ordered)


STEPS = (
    Column("member_uid", "Mã định danh đoàn viên", "uuid", "uid có trong members.csv"),
    Column("code", "Bước của quy trình kết nạp", "text", _choices(STEP_CODES)),
    Column("state", "Trạng thái", "text", _choices(StepState)),
    Column("done_on", "Ngày hoàn thành", "date", FULL_DATE),
    Column("doc_number", "Số văn bản", "text"),
    Column("note", "Ghi chú", "text"),
)
AUDIT = (
    Column("at", "Thời điểm", "datetime", "ISO YYYY-MM-DDTHH:MM:SS"),
    Column("actor", "Người thực hiện", "text"),
    Column("action", "Thao tác", "text", "insert | update | delete | restore | export | …"),
    Column("entity", "Đối tượng", "text", "member | unit | step | settings | …"),
    Column("entity_uid", "Mã đối tượng", "text"),
    Column("old", "Giá trị cũ", "json"),
    Column("new", "Giá trị mới", "json"),
)
# The đảng bộ's figures per year as the officer entered them (store/party_totals.py).
PARTY_TOTALS = (
    Column("year", "Năm", "integer", "1900–2200"),
    Column("members_at_start", "Số đảng viên của đảng bộ đầu năm", "integer", "≥ 0 | (trống)"),
    Column("outside_admitted", "Số kết nạp ngoài danh sách theo dõi", "integer", "≥ 0 | (trống)"),
    Column("source", "Nguồn số liệu", "text"),
)


def files() -> dict[str, tuple[Column, ...]]:
    """Every data file of a package and its columns (members.csv read from the registry);
    the dossier's files (format 1.2, dossier_tables.py), then party_totals.csv (1.3)."""
    out = {
        "units.csv": UNITS,
        "members.csv": member_columns(),
        "steps.csv": STEPS,
        "audit.csv": AUDIT,
    }
    for name, columns in dossier_tables.COLUMNS.items():
        out[name] = tuple(Column(*c) for c in columns)
    out[PARTY_TOTALS_FILE] = PARTY_TOTALS
    return out


FILES = files()  # the file names (and, for a fixed registry, their columns)
# Every package has these; the dossier's files since format 1.2 (DOSSIER_SINCE).
CORE_FILES = ("units.csv", "members.csv", "steps.csv", "audit.csv")
DOSSIER_FILES = dossier_tables.DOSSIER_FILES
DOSSIER_SINCE = (1, 2)
PARTY_TOTALS_SINCE = (1, 3)
DICTIONARY_FILE = "data_dictionary.csv"
DICTIONARY_HEADER = ("file", "name", "label", "type", "allowed")


# How package CSVs keep a spreadsheet from running a value (cells.py), for whoever
# opens them by hand at the receiving level.
CONVENTION = {
    "file": "*",
    "name": "*",
    "label": "Quy ước chung",
    "type": "text",
    "allowed": "Giá trị bắt đầu bằng = + - @, tab, xuống dòng (CR) hoặc ' được ghi thêm một "
    "dấu ' ở đầu; khi đọc bỏ đúng một dấu ' đó. Ngày theo ISO, mã hóa UTF-8 có BOM.",
}


def dictionary_rows() -> list[dict[str, str]]:
    """The rows of data_dictionary.csv: one per column of every data file, then the convention."""
    rows = [
        {"file": file, "name": c.name, "label": c.label, "type": c.type, "allowed": c.allowed}
        for file, columns in files().items()
        for c in columns
    ]
    return [*rows, CONVENTION]


def column_names(file: str) -> tuple[str, ...]:
    return tuple(c.name for c in files()[file])


def required_column_names(file: str) -> tuple[str, ...]:
    """The columns a package must have: those of format 1.0 (later ones may be missing)."""
    if file != "members.csv":
        return column_names(file)
    return tuple(
        c.name
        for c in member_columns()
        if c.name in ("uid", "unit_code") or registry.member_field(c.name).since == "1.0"
    )
