"""The columns of each template export and how each cell is found (cột của các mẫu).

A column is a header, a width and a function of (member, context); the
context holds what the whole file knows (steps, settings, unit names).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.dates import add_months
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Member
from dvdesk.domain.procedure import Stage, StepRecord, StepState, stage_of
from dvdesk.exchange.sheet_columns import ListData

if TYPE_CHECKING:
    from dvdesk.store.settings import Settings

FONT = "Times New Roman"  # TCVN 6909 Unicode; LibreOffice shows it in Liberation Serif
DATE_FORMAT = "DD/MM/YYYY"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
PARTY_STAGES = (Stage.PROBATION, Stage.FULL)
CANDIDATE_STAGES = (Stage.INTRODUCED, Stage.COURSE, Stage.DOSSIER, Stage.ADMISSION)

Value = str | int | date | None


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    value: Callable[[Member, Context], Value]
    text: bool = False  # digits kept as text (CCCD, card numbers)


@dataclass
class Context:
    data: ListData
    settings: Settings
    unit_names: dict[str, str]

    def steps(self, m: Member) -> dict[str, StepRecord]:
        return {r.code: r for r in self.data.steps.get(m.uid, [])}

    def done(self, m: Member, code: str) -> StepRecord | None:
        r = self.steps(m).get(code)
        return r if r is not None and r.state is StepState.DONE else None

    def stage(self, m: Member) -> Stage:
        return stage_of({c for c, r in self.steps(m).items() if r.state is StepState.DONE})


# -- cell values ---------------------------------------------------------------------


def _dob(m: Member, _: Context) -> Value:
    if m.dob is None:
        return None
    return m.dob.as_date() if m.dob.is_full else m.dob.vi()


def _gender(m: Member, _: Context) -> Value:
    return GENDER_LABELS[m.gender] if m.gender else ""


def _old_id(m: Member, _: Context) -> Value:
    for part in m.notes.split(";"):
        part = part.strip()
        if part.startswith("CMND:"):
            return part[len("CMND:") :].strip()
    return ""


def _admitted(m: Member, c: Context) -> Value:
    """Ngày vào Đảng: the date on the admission decision (party age counts from it)."""
    r = c.done(m, "decision") or c.done(m, "ceremony")
    return r.done_on if r else None


def _official(m: Member, c: Context) -> Value:
    """Ngày chính thức: 12 months after the ceremony, once recognised (domain.md rule 13)."""
    ceremony, recognised = c.done(m, "ceremony"), c.done(m, "recognition_decision")
    if recognised is None or ceremony is None or ceremony.done_on is None:
        return None
    return add_months(ceremony.done_on, 12)


def _party(m: Member, c: Context) -> Value:
    admitted = _admitted(m, c)
    return admitted if c.stage(m) in PARTY_STAGES else None


def _step(code: str, part: str) -> Callable[[Member, Context], Value]:
    def value(m: Member, c: Context) -> Value:
        r = c.done(m, code)
        if r is None:
            return None
        return r.done_on if part == "date" else (r.doc_number if part == "number" else r.note)

    return value


def _attr(name: str) -> Callable[[Member, Context], Value]:
    def value(m: Member, _: Context) -> Value:
        v: Value = getattr(m, name)
        return v

    return value


def _const(text: str) -> Callable[[Member, Context], Value]:
    return lambda m, c: text


def _unit(m: Member, c: Context) -> Value:
    return c.unit_names.get(m.unit_code, m.unit_code)


def shown_address(m: Member) -> str:
    """The address as the templates show it: the place, then the commune (xã/phường)."""
    return ", ".join(p for p in (m.address, m.residence_commune) if p)


def _address(m: Member, _: Context) -> Value:
    return shown_address(m)


def _province(m: Member, c: Context) -> Value:
    return m.residence_province or c.settings.province


def _presence(m: Member, _: Context) -> Value:
    return PRESENCE_LABELS[m.presence]


def _blank(m: Member, _: Context) -> Value:
    return None


# -- the layouts ---------------------------------------------------------------------

HD38 = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Tên gọi khác", 12, _blank),
    Column("Giới tính", 8, _gender),
    Column("Sinh ngày", 12, _dob),
    Column("Dân tộc", 9, _attr("ethnicity")),
    Column("Tôn giáo", 9, _attr("religion")),
    Column("Số định danh cá nhân", 15, _attr("cccd"), text=True),
    Column("Số thẻ Đảng", 15, _blank, text=True),
    Column("Nơi cấp thẻ Đảng", 14, _blank),
    Column("Ngày cấp thẻ Đảng", 12, _blank),
    Column("Số thẻ theo Quyết định 85", 14, _blank, text=True),
    Column("Tổ chức Đảng đang sinh hoạt", 22, lambda m, c: c.settings.party_committee),
    Column("Nơi đăng ký khai sinh - Quốc gia", 10, _const("Việt Nam")),
    Column("Nơi đăng ký khai sinh - Tỉnh", 12, _blank),
    Column("Nơi đăng ký khai sinh - Xã, thôn / Địa chỉ chi tiết", 20, _blank),
    Column("Quê quán - Quốc gia", 10, _const("Việt Nam")),
    Column("Quê quán - Tỉnh", 12, _blank),
    Column("Quê quán - Địa chỉ chi tiết", 20, _attr("hometown")),
    Column("Thường trú - Quốc gia", 10, _const("Việt Nam")),
    Column("Thường trú - Tỉnh", 12, _province),
    Column("Thường trú - Địa chỉ chi tiết", 22, _address),
    Column("Ngày vào Đảng", 12, _admitted),
    Column("Ngày vào Đảng chính thức", 12, _official),
    Column("Số CMND cũ (nếu có)", 12, _old_id, text=True),
    Column("Trạng thái hoạt động", 14, _presence),
    Column("Ngày rời khỏi / ngày mất / ngày miễn sinh hoạt", 14, _blank),
    Column("Ghi chú", 18, _attr("notes")),
)
DANH_SACH = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Ngày sinh", 11, _dob),
    Column("Giới tính", 7, _gender),
    Column("Dân tộc", 8, _attr("ethnicity")),
    Column("Tôn giáo", 8, _attr("religion")),
    Column("Số CCCD / định danh", 14, _attr("cccd"), text=True),
    Column("Quê quán", 16, _attr("hometown")),
    Column("Nơi ở hiện nay", 18, _address),
    Column("Trình độ học vấn", 8, _attr("education")),
    Column("Nghề nghiệp / nơi làm việc", 16, _attr("occupation")),
    Column("Ngày vào Đoàn", 11, _attr("union_joined")),
    Column("Nơi vào Đoàn", 14, _attr("union_joined_place")),
    Column("Số thẻ đoàn viên", 12, _attr("union_card_no"), text=True),
    Column("Chức vụ Đoàn", 12, _attr("union_position")),
    Column("Ngày vào Đảng", 11, _party),
    Column("Số điện thoại", 12, _attr("phone"), text=True),
    Column("Ghi chú", 16, _attr("notes")),
)
TRICH_NGANG = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Ngày sinh", 11, _dob),
    Column("Giới tính", 7, _gender),
    Column("Dân tộc", 8, _attr("ethnicity")),
    Column("Tôn giáo", 8, _attr("religion")),
    Column("Số CCCD / định danh", 14, _attr("cccd"), text=True),
    Column("Quê quán", 16, _attr("hometown")),
    Column("Nơi ở hiện nay", 18, _address),
    Column("Trình độ học vấn", 8, _attr("education")),
    Column("Nghề nghiệp / nơi làm việc", 16, _attr("occupation")),
    Column("Ngày vào Đoàn", 11, _attr("union_joined")),
    Column("Chi đoàn", 16, _unit),
    Column("Ngày học lớp bồi dưỡng nhận thức về Đảng", 13, _step("course", "date")),
    Column("Số giấy chứng nhận", 12, _step("course", "number"), text=True),
    Column("Người giới thiệu", 20, _step("introduction", "note")),
    Column("Ghi chú", 16, _attr("notes")),
)


@dataclass(frozen=True)
class Template:
    key: str
    label: str  # for the window's menu
    title: str
    party: bool  # the Party's letterhead (else the Youth Union's)
    landscape: bool


TEMPLATES = {
    "hd38": Template(
        "hd38", "Dữ liệu đảng viên (mẫu HD 38)", "DANH SÁCH ĐẢNG VIÊN", party=True, landscape=True
    ),
    "danh-sach": Template(
        "danh-sach", "Danh sách đoàn viên", "DANH SÁCH ĐOÀN VIÊN", party=False, landscape=True
    ),
    "trich-ngang": Template(
        "trich-ngang",
        "Danh sách trích ngang",
        "DANH SÁCH TRÍCH NGANG ĐOÀN VIÊN ƯU TÚ ĐỀ NGHỊ XEM XÉT KẾT NẠP ĐẢNG",
        party=False,
        landscape=True,
    ),
    "so-luong": Template(
        "so-luong", "Báo cáo số lượng đoàn viên", "BÁO CÁO SỐ LƯỢNG ĐOÀN VIÊN", False, True
    ),
}
