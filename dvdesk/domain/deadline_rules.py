"""The deadline and validity rules of the admission procedure, with their sources.

Each rule is data: a code, the Vietnamese rule text shown beside a flag, and
the document it comes from (notes/domain.md §3 and "Rules to implement" 6, 7,
12, 13). A `Flag` is one finding of a rule for one candidate. The checks live
in deadline_checks.py, the checklist that gathers them in checklist.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dvdesk.domain import eligibility

CERTIFICATE_MONTHS = 60  # giấy chứng nhận CN-NTVĐ có giá trị 60 tháng
CERTIFICATE_WARN_DAYS = 90  # warn this many days before it expires
DOSSIER_MONTHS = 12  # hồ sơ quá 12 tháng phải làm lại
DOSSIER_WARN_DAYS = 90
DOSSIER_STEPS = ("introduction", "union_resolution", "opinions")  # 3-, 4-, 5-KNĐ
CEREMONY_WORKING_DAYS = 30
PARTY_BIOGRAPHY_WORKING_DAYS = 30
PROBATION_MONTHS = 12
RECOGNITION_WORKING_DAYS = 30
PROBATION_WARN_DAYS = 30  # remind this long before probation ends
DEADLINE_WARN_WORKING_DAYS = 10  # a working-day deadline this close is "sắp đến hạn"


@dataclass(frozen=True)
class Rule:
    """A rule as shown to the officer: what it says and where it comes from."""

    code: str
    text: str
    source: str


CERTIFICATE = Rule(
    "certificate_validity",
    "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng có giá trị 60 tháng kể từ ngày "
    "cấp; đến ngày chi bộ họp xét mà đã hết hạn thì phải học lại.",
    "Hướng dẫn 06-HD/TW ngày 09/6/2025, mục 5.4",
)
DOSSIER = Rule(
    "dossier_stale",
    "Quá 12 tháng kể từ ngày lập hồ sơ mà chi bộ chưa xét kết nạp thì phải làm lại giấy "
    "giới thiệu (3-KNĐ), nghị quyết giới thiệu của Đoàn (4-KNĐ), tổng hợp ý kiến nhận xét "
    "(5-KNĐ) và bổ sung lý lịch.",
    "Hướng dẫn 01-HD/TW (2021), mục 5; Hướng dẫn 06-HD/TW (2025), mục 5.4",
)
CEREMONY = Rule(
    "ceremony_deadline",
    "Trong thời hạn 30 ngày làm việc kể từ ngày nhận quyết định kết nạp, chi bộ phải tổ chức "
    "lễ kết nạp; để quá thời hạn phải được cấp ủy cấp trên trực tiếp đồng ý.",
    "Quy định 294-QĐ/TW ngày 26/5/2025, Điều 5, 4.1",
)
PARTY_BIOGRAPHY = Rule(
    "party_biography_deadline",
    "Đảng viên mới khai lý lịch đảng viên trong 30 ngày làm việc sau lễ kết nạp.",
    "Hướng dẫn 12-HD/BTCTW (2022), 2.2 (áp dụng tiếp theo Hướng dẫn 38-HD/BTCTW)",
)
RECOGNITION = Rule(
    "recognition_deadline",
    "Khi đảng viên hết 12 tháng dự bị (tính từ ngày lễ kết nạp), trong thời hạn 30 ngày làm "
    "việc chi bộ phải xét công nhận đảng viên chính thức (13-KNĐ).",
    "Điều lệ Đảng, Điều 5; Quy định 294-QĐ/TW ngày 26/5/2025, 4.2",
)
AGE = Rule("age_at_meeting", eligibility.RULE_TEXT, eligibility.RULE_SOURCE)


class FlagKind(StrEnum):
    OVERDUE = "overdue"  # quá hạn: act now
    EXPIRING = "expiring"  # sắp hết hạn, or lapses before the planned meeting
    WARNING = "warning"  # lưu ý: age, a step done late, needs checking


FLAG_KIND_LABELS = {
    FlagKind.OVERDUE: "Quá hạn",
    FlagKind.EXPIRING: "Sắp hết hạn",
    FlagKind.WARNING: "Lưu ý",
}


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    step: str  # the step code the flag is about
    message: str  # Vietnamese, names the dates
    rule: Rule
    due: date | None = None
