"""Validation rules as data (quy tắc kiểm tra dữ liệu).

Each rule has a code, the field it concerns, a severity (an error blocks the
write, a warning informs) and a Vietnamese message. The same `validate_member`
runs on entry in the window, on import and at the receiving level, so a record
is judged the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dvdesk.domain.eligibility import YOUTH_FLAG_LABELS, YouthFlag, youth_flag
from dvdesk.domain.member import Member, UnitKind


class Severity(StrEnum):
    ERROR = "error"  # lỗi: không lưu được
    WARNING = "warning"  # cảnh báo: lưu được, cần xem lại


@dataclass(frozen=True)
class Rule:
    code: str
    field: str
    severity: Severity
    message: str  # str.format template


_E, _W = Severity.ERROR, Severity.WARNING
RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("name.required", "full_name", _E, "Chưa nhập họ và tên."),
        Rule("name.digits", "full_name", _E, "Họ và tên không được có chữ số."),
        Rule("name.symbols", "full_name", _E, "Họ và tên có ký tự không hợp lệ: “{chars}”."),
        Rule("name.single_word", "full_name", _W, "Họ và tên chỉ có một từ — kiểm tra lại."),
        Rule("name.too_long", "full_name", _E, "Họ và tên dài quá 100 ký tự."),
        Rule("dob.missing", "dob", _W, "Chưa có ngày sinh: không xét được tuổi vào Đảng."),
        Rule(
            "dob.partial",
            "dob",
            _W,
            "Ngày sinh chỉ có “{dob}”: cần bổ sung ngày sinh đầy đủ để xét tuổi.",
        ),
        Rule("dob.future", "dob", _E, "Ngày sinh {dob} ở tương lai."),
        Rule("dob.too_old", "dob", _E, "Ngày sinh {dob} quá xa (trên 100 tuổi) — kiểm tra lại."),
        Rule(
            "cccd.format",
            "cccd",
            _E,
            "Số CCCD/định danh phải gồm đúng 12 chữ số (đang có “{cccd}”).",
        ),
        Rule("cccd.duplicate", "cccd", _E, "Số CCCD {cccd} đã có ở đoàn viên {other}."),
        Rule("unit.required", "unit_code", _E, "Chưa chọn chi đoàn / đơn vị."),
        Rule("unit.unknown", "unit_code", _E, "Không có đơn vị mã “{unit}” trong danh mục."),
        Rule("class.missing", "school_class", _W, "Học sinh chưa có lớp."),
        Rule("joined.before_birth", "union_joined", _E, "Ngày vào Đoàn trước ngày sinh."),
        Rule("joined.future", "union_joined", _E, "Ngày vào Đoàn ở tương lai."),
        Rule("phone.format", "phone", _W, "Số điện thoại “{phone}” không đúng dạng (10 chữ số)."),
        Rule("youth.under_16", "dob", _W, YOUTH_FLAG_LABELS[YouthFlag.UNDER_16] + "."),
        Rule("youth.past_30", "dob", _W, YOUTH_FLAG_LABELS[YouthFlag.PAST_30] + "."),
        Rule("youth.past_35", "dob", _W, YOUTH_FLAG_LABELS[YouthFlag.PAST_35] + "."),
    )
}


@dataclass(frozen=True)
class Issue:
    """One broken rule on one record."""

    code: str
    field: str
    severity: Severity
    message: str


def issue(code: str, **values: object) -> Issue:
    rule = RULES[code]
    return Issue(code, rule.field, rule.severity, rule.message.format(**values))


@dataclass(frozen=True)
class Report:
    issues: tuple[Issue, ...] = ()

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def for_field(self, name: str) -> list[Issue]:
        return [i for i in self.issues if i.field == name]

    def summary(self) -> str:
        return " ".join(i.message for i in self.issues)


_CCCD = re.compile(r"^[0-9]{12}$")  # ASCII only: \d also matches ٠١٢ and full-width digits
_PHONE = re.compile(r"^(\+84|0)\d{9}$")
# Letters of any script, combining marks, spaces and the apostrophe/hyphen of
# minority names (H'Hen, Ê-đê) are allowed in a name.
_NAME_BAD = re.compile(r"[^\w\s'’\-.]|_")

# Who else holds a CCCD: returns a display name or None. The store answers it.
CccdOwner = Callable[[str, str], "str | None"]


def validate_member(
    member: Member,
    *,
    today: date,
    unit_kinds: dict[str, UnitKind] | None = None,
    cccd_owner: CccdOwner | None = None,
    normalized: bool = False,
) -> Report:
    """All rules on one (normalized) member.

    Args:
        today: the day of entry, for "not in the future" and Đoàn age flags.
        unit_kinds: known unit codes and kinds; None skips the catalogue check.
        cccd_owner: (cccd, own uid) → name of another member holding it.
        normalized: the caller already ran `member.normalized()` (bulk imports).
    """
    m = member if normalized else member.normalized()
    found: list[Issue] = []
    name = m.full_name
    if not name:
        found.append(issue("name.required"))
    elif not name.replace(" ", "").isalpha() and any(  # letters only: no digit (fast path)
        unicodedata.category(c)[0] == "N" for c in name
    ):  # 5, ٥, ², Ⅻ
        found.append(issue("name.digits"))
    elif bad := sorted(set(_NAME_BAD.findall(name))):
        found.append(issue("name.symbols", chars="".join(bad)))
    elif len(name) > 100:
        found.append(issue("name.too_long"))
    elif " " not in name:
        found.append(issue("name.single_word"))

    if m.dob is None:
        found.append(issue("dob.missing"))
    elif m.dob.earliest() > today:
        found.append(issue("dob.future", dob=m.dob.vi()))
    elif m.dob.year < today.year - 100:
        found.append(issue("dob.too_old", dob=m.dob.vi()))
    else:
        if not m.dob.is_full:
            found.append(issue("dob.partial", dob=m.dob.vi()))
        flag = youth_flag(m.dob, today, union_officer=m.union_officer, extended=m.union_extended)
        if flag is not None:
            found.append(issue(f"youth.{flag.value}"))

    if m.cccd:
        if not _CCCD.match(m.cccd):
            found.append(issue("cccd.format", cccd=m.cccd))
        elif cccd_owner and (other := cccd_owner(m.cccd, m.uid)):
            found.append(issue("cccd.duplicate", cccd=m.cccd, other=other))

    if not m.unit_code:
        found.append(issue("unit.required"))
    elif unit_kinds is not None:
        kind = unit_kinds.get(m.unit_code)
        if kind is None:
            found.append(issue("unit.unknown", unit=m.unit_code))
        elif kind is UnitKind.SCHOOL and not m.school_class:
            found.append(issue("class.missing"))

    if m.union_joined:
        if m.dob and m.union_joined < m.dob.earliest():
            found.append(issue("joined.before_birth"))
        if m.union_joined > today:
            found.append(issue("joined.future"))

    if m.phone and not _PHONE.match(m.phone.replace(" ", "").replace(".", "")):
        found.append(issue("phone.format", phone=m.phone))
    return Report(tuple(found))
