"""The member fields, described once (các trường thông tin của đoàn viên).

Every place that shows, stores, exchanges or reads a member field reads this
registry: the member form (label, widget by type, tab order = registry order),
the table row mapping (store/rows.py), the package CSV columns and the data
dictionary (exchange/records.py, exchange/dictionary.py), the XLSX/CSV lists,
the `list --json` keys and the header recognition of a spreadsheet import.
Adding a field is one `MemberField` here, the attribute on `Member`, and a
schema migration adding its column.

Synonyms are written as offices write headers; they are compared folded (no
case, no diacritics, đ → d, punctuation and brackets dropped), so "Ngày,
tháng, năm sinh" and "NGÀY SINH (dd/mm/yyyy)" are one header.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from dvdesk.domain.field_types import (
    FieldType,
    MemberField,
    Writer,
    cell_reader,
    cell_writer,
)
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Gender, Member, Presence

__all__ = [
    "BY_NAME",
    "MEMBER_FIELDS",
    "SHEET_COLUMNS",
    "FieldType",
    "MemberField",
    "SheetColumn",
]


def _f(name: str, label: str, type: FieldType = FieldType.TEXT, **kw: Any) -> MemberField:
    return MemberField(name, label, type, **kw)


T = FieldType
# The order is the form's reading (and tab) order and the column order of lists and packages.
MEMBER_FIELDS: tuple[MemberField, ...] = (
    _f(
        "full_name",
        "Họ và tên",
        required=True,
        width=28,
        placeholder="Ví dụ: Nguyễn Văn An",
        default="",
        list_key="full_name",
        synonyms=(
            "Họ tên",
            "Họ và tên đoàn viên",
            "Họ tên đoàn viên",
            "Tên đoàn viên",
            "Họ và tên học sinh",
            "Họ tên học sinh",
            "Họ và tên khai sinh",
            "Họ tên khai sinh",
            "Họ và tên (khai sinh)",
        ),
    ),
    _f(
        "dob",
        "Ngày sinh",
        T.PARTIAL_DATE,
        width=12,
        placeholder="dd/mm/yyyy, mm/yyyy hoặc năm",
        allowed="ngày ISO: YYYY-MM-DD, YYYY-MM hoặc YYYY",
        list_key="dob",
        synonyms=(
            "Ngày, tháng, năm sinh",
            "Sinh ngày",
            "Năm sinh",
            "Sinh năm",
            "Ngày tháng năm sinh Nam Nữ",
        ),
    ),
    _f(
        "gender",
        "Giới tính",
        T.ENUM,
        enum=Gender,
        labels=GENDER_LABELS,
        width=9,
        list_key="gender",
        synonyms=("Nam/Nữ", "Giới"),
    ),
    _f(
        "unit_code",
        "Chi đoàn / đơn vị",
        T.UNIT,
        required=True,
        header="Mã chi đoàn",
        width=11,
        default="",
        stored=False,
        sticky=True,
        allowed="mã có trong units.csv",
        list_key="unit",
        synonyms=("Mã đơn vị",),
    ),
    _f(
        "cccd",
        "Số CCCD / định danh",
        T.CODE,
        header="Số CCCD",
        width=15,
        placeholder="12 chữ số",
        max_length=14,
        default="",
        allowed="12 chữ số hoặc trống",
        synonyms=(
            "CCCD",
            "Số định danh",
            "Số định danh cá nhân",
            "Số CCCD/Định danh",
            "Số CCCD/Số định danh",
            "CCCD/CMND",
            "Số CCCD/CMND",
            "CMND/CCCD",
            "Số CMND/CCCD",
            "Số CMND",
            "CMND",
            "Căn cước công dân",
            "Số căn cước",
            "Số căn cước công dân",
            "Mã định danh",
            "Mã số định danh cá nhân",
        ),
    ),
    _f(
        "school_class",
        "Lớp",
        width=7,
        default="",
        form_row="Học sinh",
        list_key="school_class",
        synonyms=("Lớp học",),
    ),
    _f(
        "school_year",
        "Niên khóa",
        width=11,
        default="",
        placeholder="2026-2027",
        form_row="Học sinh",
        sticky=True,
        allowed="ví dụ 2026-2027",
        synonyms=("Năm học", "Niên khoá"),
    ),
    _f(
        "graduation_year",
        "Năm tốt nghiệp",
        T.NUMBER,
        width=9,
        placeholder="năm tốt nghiệp THPT",
        minimum=1950,
        maximum=2100,
        form_row="Học sinh",
        short="Tốt nghiệp",
        allowed="năm, ví dụ 2027",
        synonyms=("Năm tốt nghiệp dự kiến",),
    ),
    _f(
        "union_joined",
        "Ngày vào Đoàn",
        T.DATE,
        width=12,
        placeholder="dd/mm/yyyy",
        form_row="Vào Đoàn",
        short="Ngày",
        allowed="ngày ISO: YYYY-MM-DD",
        synonyms=("Ngày kết nạp Đoàn", "Vào Đoàn", "Ngày kết nạp vào Đoàn", "Năm vào Đoàn"),
    ),
    _f(
        "union_joined_place",
        "Nơi vào Đoàn",
        width=20,
        default="",
        form_row="Vào Đoàn",
        short="Nơi",
        since="1.1",
        synonyms=("Nơi kết nạp Đoàn", "Nơi kết nạp vào Đoàn", "Nơi kết nạp"),
    ),
    _f(
        "union_card_no",
        "Số thẻ đoàn viên",
        T.CODE,
        width=14,
        default="",
        form_row="Thẻ, chức vụ",
        short="Số thẻ",
        since="1.1",
        synonyms=("Số thẻ Đoàn", "Số thẻ", "Thẻ đoàn viên", "Số thẻ ĐV"),
    ),
    _f(
        "union_position",
        "Chức vụ Đoàn",
        width=16,
        default="",
        form_row="Thẻ, chức vụ",
        short="Chức vụ",
        since="1.1",
        synonyms=(
            "Chức vụ",
            "Chức vụ trong Đoàn",
            "Chức vụ trong chi đoàn",
            "Chức vụ Đoàn hiện nay",
        ),
    ),
    _f(
        "presence",
        "Tình trạng",
        T.ENUM,
        enum=Presence,
        labels=PRESENCE_LABELS,
        default=Presence.AT_HOME,
        width=18,
        list_key="presence",
        synonyms=("Tình trạng hiện nay",),
    ),
    _f(
        "phone",
        "Số điện thoại",
        T.CODE,
        width=13,
        default="",
        synonyms=("Điện thoại", "SĐT", "Số ĐT", "ĐT"),
    ),
    _f("ethnicity", "Dân tộc", width=10, default="Kinh", sticky=True),
    _f("religion", "Tôn giáo", width=11, default="Không", sticky=True),
    _f("hometown", "Quê quán", width=24, default="", synonyms=("Nguyên quán",)),
    _f(
        "address",
        "Nơi ở hiện nay",
        width=24,
        default="",
        synonyms=(
            "Chỗ ở hiện nay",
            "Địa chỉ",
            "Nơi cư trú",
            "Nơi ở",
            "Thường trú",
            "Địa chỉ thường trú",
            "Nơi ở hiện tại",
        ),
    ),
    _f(
        "residence_commune",
        "Xã / phường",
        width=16,
        default="",
        form_row="Địa chỉ hành chính",
        short="Xã / phường",
        since="1.1",
        synonyms=("Xã", "Xã/Phường", "Phường/Xã", "Xã, phường", "Xã/Phường/Đặc khu", "Phường"),
    ),
    _f(
        "residence_province",
        "Tỉnh / thành phố",
        width=16,
        default="",
        form_row="Địa chỉ hành chính",
        short="Tỉnh / TP",
        since="1.1",
        synonyms=("Tỉnh", "Tỉnh/Thành phố", "Tỉnh, thành phố", "Tỉnh/TP", "Thành phố"),
    ),
    _f(
        "education",
        "Trình độ học vấn",
        width=10,
        default="",
        form_row="Học vấn, việc làm",
        short="Học vấn",
        placeholder="ví dụ 12/12",
        since="1.1",
        synonyms=("Trình độ văn hóa", "Học vấn", "Văn hóa", "TĐHV", "Trình độ", "Trình độ GDPT"),
    ),
    _f(
        "occupation",
        "Nghề nghiệp / nơi làm việc",
        width=24,
        default="",
        form_row="Học vấn, việc làm",
        short="Nghề nghiệp",
        since="1.1",
        synonyms=(
            "Nghề nghiệp",
            "Nơi làm việc",
            "Nghề nghiệp, nơi làm việc",
            "Nghề nghiệp/Nơi học tập, làm việc",
            "Nghề nghiệp, nơi học tập, làm việc",
            "Nơi học tập, làm việc",
            "Nơi học tập/làm việc",
            "Công việc hiện nay",
            "Việc làm",
        ),
    ),
    _f(
        "union_officer",
        "Cán bộ Đoàn",
        T.FLAG,
        default=False,
        form_row="-",
        exported=False,
        imported=False,
    ),
    _f(
        "union_extended",
        "Được kéo dài sinh hoạt Đoàn (đến 35 tuổi)",
        T.FLAG,
        default=False,
        form_row="-",
        exported=False,
        imported=False,
    ),
    _f("notes", "Ghi chú", width=30, default="", multiline=True),
    _f(
        "uid",
        "Mã dvdesk",
        T.CODE,
        width=38,
        in_form=False,
        allowed="UUID",
        list_key="uid",
    ),
)
BY_NAME: dict[str, MemberField] = {f.name: f for f in MEMBER_FIELDS}


def member_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that are attributes of `Member` (a registry entry whose attribute is not
    written yet, as in a scratch registry, is shown and exchanged at its default)."""
    attributes = _member_attributes()
    return {k: v for k, v in values.items() if k in attributes}


@cache
def _member_attributes() -> frozenset[str]:
    from dataclasses import fields

    return frozenset(f.name for f in fields(Member))


def member_field(name: str) -> MemberField:
    return BY_NAME[name]


def stored_fields() -> tuple[MemberField, ...]:
    return _compiled().stored


@dataclass(frozen=True)
class _Compiled:
    """What a bulk read or write needs, worked out once per registry."""

    source: tuple[MemberField, ...]
    stored: tuple[MemberField, ...]
    writers: tuple[tuple[str, Any, Writer], ...]  # (name, default, to cell)
    readers: tuple[tuple[str, Writer], ...]  # (name, from cell) of the Member attributes


_compiled_cache: list[_Compiled] = []


def _compiled() -> _Compiled:
    source = MEMBER_FIELDS
    if not _compiled_cache or _compiled_cache[0].source is not source:
        stored = tuple(f for f in source if f.stored)
        writers = tuple((f.name, f.default, cell_writer(f)) for f in stored)
        attributes = _member_attributes()
        readers = tuple((f.name, cell_reader(f)) for f in stored if f.name in attributes)
        _compiled_cache[:] = [_Compiled(source, stored, writers, readers)]
    return _compiled_cache[0]


def from_cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """The Member attributes of a table row (the fast form of `from_cell`)."""
    return {
        name: row[name] if read is None else read(row[name])
        for name, read in _compiled().readers
        if name in row
    }


def cell_values(member: Any) -> dict[str, Any]:
    """The table cells of every stored field of a member (the fast form of `to_cell`)."""
    return {
        name: getattr(member, name, default)
        if write is None
        else write(getattr(member, name, default))
        for name, default, write in _compiled().writers
    }


def cell_tuple(member: Any) -> tuple[Any, ...]:
    """`cell_values` as a tuple, in the stored fields' order (bulk inserts)."""
    return tuple(
        [
            getattr(member, name, default)
            if write is None
            else write(getattr(member, name, default))
            for name, default, write in _compiled().writers
        ]
    )


def form_fields() -> tuple[MemberField, ...]:
    return tuple(f for f in MEMBER_FIELDS if f.in_form)


def exported_fields() -> tuple[MemberField, ...]:
    return tuple(f for f in MEMBER_FIELDS if f.exported)


def listed_fields() -> tuple[MemberField, ...]:
    return tuple(f for f in MEMBER_FIELDS if f.list_key)


@dataclass(frozen=True)
class SheetColumn:
    """A column an imported sheet may have that is not one member field."""

    name: str
    label: str  # in the preview, inside a sentence
    synonyms: tuple[str, ...]


# Read by the import only: they make up a member field (a name in two parts,
# a birth date under Nam or Nữ) or tell where a row goes.
SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("stt", "số thứ tự", ("STT", "Số TT", "TT", "Số thứ tự")),
    SheetColumn(
        "name_first",
        "họ và tên đệm",
        ("Họ và tên đệm", "Họ đệm", "Họ và đệm", "Họ và chữ đệm", "Họ"),
    ),
    SheetColumn("name_last", "tên", ("Tên",)),
    SheetColumn("male", "ngày sinh / đánh dấu nam", ("Nam",)),
    SheetColumn("female", "ngày sinh / đánh dấu nữ", ("Nữ",)),
    SheetColumn(
        "unit",
        "chi đoàn / đơn vị",
        (
            "Chi đoàn",
            "Khu dân cư",
            "Thôn",
            "Thôn/Tổ",
            "Tổ dân phố",
            "Thôn/Xóm",
            "Xóm",
            "Đơn vị",
            "Trường",
            "Thôn/Khu dân cư",
            "Chi đoàn sinh hoạt",
            "Tên chi đoàn",
            "Thôn/Tổ dân phố",
            "Thôn, tổ dân phố",
            "Khu phố/Ấp/Bản",
            "Khu phố",
            "Ấp",
            "Bản",
            "Thôn/Bản",
            "Thôn/Ấp",
            "Tổ dân phố/Thôn",
        ),
    ),
    SheetColumn("stage", "giai đoạn (không nhập)", ("Giai đoạn",)),
    # The admission columns of a "danh sách trích ngang": recorded as procedure steps.
    SheetColumn(
        "course_date",
        "ngày học lớp nhận thức về Đảng (bước CN-NTVĐ)",
        (
            "Ngày học lớp bồi dưỡng nhận thức về Đảng",
            "Ngày học lớp cảm tình Đảng",
            "Học lớp cảm tình Đảng",
            "Ngày học lớp nhận thức về Đảng",
            "Ngày cấp giấy chứng nhận",
            "Ngày cấp GCN",
            "Ngày cấp giấy CN",
            "Học lớp NTVĐ",
        ),
    ),
    SheetColumn(
        "course_number",
        "số giấy chứng nhận (bước CN-NTVĐ)",
        ("Số giấy chứng nhận", "Số GCN", "Số giấy CN", "Số giấy chứng nhận NTVĐ"),
    ),
    SheetColumn(
        "introducers",
        "người giới thiệu (ghi chú bước 3-KNĐ)",
        ("Người giới thiệu", "Đảng viên giới thiệu", "Người giới thiệu vào Đảng"),
    ),
)


def import_synonyms() -> dict[str, tuple[str, ...]]:
    """Import name → every header text it is recognised by (export header first)."""
    out: dict[str, tuple[str, ...]] = {}
    for f in MEMBER_FIELDS:
        if f.imported:
            out[f.name] = (f.export_header, *f.synonyms)
    for c in SHEET_COLUMNS:
        out[c.name] = c.synonyms
    return out


def import_labels() -> dict[str, str]:
    """Import name → what the preview calls it."""
    out = {f.name: f.preview_label for f in MEMBER_FIELDS if f.imported}
    out["unit_code"] = "mã chi đoàn"
    out.update({c.name: c.label for c in SHEET_COLUMNS})
    return out
