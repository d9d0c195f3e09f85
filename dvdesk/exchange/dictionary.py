"""The data dictionary of a commune package (từ điển dữ liệu).

Every column of every CSV file in a package is described here once: its
name, its Vietnamese label, its type and its allowed values. The package
writer ships this table as `data_dictionary.csv`; the merge checks incoming
CSV headers against it, so a file with a missing column is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from dvdesk.domain.member import Presence, UnitKind
from dvdesk.domain.procedure import STEP_CODES, StepState

PARTIAL_DATE = "ngày ISO: YYYY-MM-DD, YYYY-MM hoặc YYYY"
FULL_DATE = "ngày ISO: YYYY-MM-DD"


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # nhãn tiếng Việt
    type: str  # text, uuid, date, partial_date, integer, boolean, datetime, json
    allowed: str = ""  # allowed values or format, for people reading the dictionary


def _choices(values: object) -> str:
    return " | ".join(str(getattr(v, "value", v)) for v in values)  # type: ignore[attr-defined]


UNITS = (
    Column("code", "Mã chi đoàn / đơn vị", "text", "chữ in hoa, duy nhất trong xã"),
    Column("name", "Tên chi đoàn / đơn vị", "text"),
    Column("kind", "Loại đơn vị", "text", _choices(UnitKind)),
)
MEMBERS = (
    Column("uid", "Mã định danh đoàn viên (không đổi)", "uuid", "UUID"),
    Column("unit_code", "Mã chi đoàn / đơn vị", "text", "mã có trong units.csv"),
    Column("full_name", "Họ và tên", "text"),
    Column("gender", "Giới tính", "text", "nam | nu | (trống)"),
    Column("dob", "Ngày sinh", "partial_date", PARTIAL_DATE),
    Column("cccd", "Số CCCD / định danh cá nhân", "text", "12 chữ số hoặc trống"),
    Column("ethnicity", "Dân tộc", "text"),
    Column("religion", "Tôn giáo", "text"),
    Column("hometown", "Quê quán", "text"),
    Column("address", "Nơi ở hiện nay", "text"),
    Column("school_class", "Lớp", "text"),
    Column("school_year", "Năm học", "text", "ví dụ 2026-2027"),
    Column("graduation_year", "Năm tốt nghiệp dự kiến", "integer"),
    Column("union_joined", "Ngày vào Đoàn", "date", FULL_DATE),
    Column("union_officer", "Cán bộ Đoàn", "boolean", "0 | 1"),
    Column("union_extended", "Được kéo dài sinh hoạt Đoàn", "boolean", "0 | 1"),
    Column("presence", "Tình trạng hiện nay", "text", _choices(Presence)),
    Column("phone", "Số điện thoại", "text"),
    Column("notes", "Ghi chú", "text"),
)
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

FILES: dict[str, tuple[Column, ...]] = {
    "units.csv": UNITS,
    "members.csv": MEMBERS,
    "steps.csv": STEPS,
    "audit.csv": AUDIT,
}
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
        for file, columns in FILES.items()
        for c in columns
    ]
    return [*rows, CONVENTION]


def column_names(file: str) -> tuple[str, ...]:
    return tuple(c.name for c in FILES[file])
