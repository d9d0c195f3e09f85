"""What the Party checks in a dossier besides the dated steps (notes/domain.md rules 8–11).

Introducers (người giới thiệu), the helping Party member (đảng viên giúp đỡ),
the votes at the chi bộ and the committee, the education level (trình độ học
vấn), Youth Union membership, where the chi bộ stands (which forms apply) and
the documented exceptions the officer recorded. Pure data; the checks are in
procedure_checks.py, the order rules in procedure_order.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum


class Keep(Enum):
    """Leave a value as it is (where None is a value of its own: unknown, not recorded)."""

    KEEP = "keep"


KEEP = Keep.KEEP


class PartyStatus(StrEnum):
    """An introducer's Party status on the day of the introduction."""

    OFFICIAL = "official"  # đảng viên chính thức
    PROBATIONARY = "probationary"  # đảng viên dự bị
    NONE = "none"  # không phải đảng viên


PARTY_STATUS_LABELS = {
    PartyStatus.OFFICIAL: "Đảng viên chính thức",
    PartyStatus.PROBATIONARY: "Đảng viên dự bị",
    PartyStatus.NONE: "Không phải đảng viên",
}


@dataclass(frozen=True)
class Introducer:
    """One Party member who introduces the applicant (3-KNĐ)."""

    name: str
    status: PartyStatus  # on the day of the introduction
    together_since: date | None  # cùng công tác/học tập/sinh hoạt từ ngày
    introduced_on: date | None = None  # ngày giới thiệu; default: the 3-KNĐ date
    note: str = ""


@dataclass(frozen=True)
class Vote:
    """A vote on a resolution or decision.

    For a chi bộ (6-KNĐ, 13-KNĐ): official members present, in favour, and the
    chi bộ's total official members. For a committee (8-, 9-, 15-, 16-KNĐ):
    committee members in favour and the committee's total.
    """

    step: str
    in_favour: int
    total: int
    present: int | None = None

    def problem(self) -> str:
        """Why the figures cannot be right ("" when they can)."""
        if self.total <= 0:
            return "Tổng số phải lớn hơn 0."
        if self.in_favour < 0 or (self.present is not None and self.present < 0):
            return "Số phiếu không được âm."
        if self.present is not None and self.present > self.total:
            return f"Số có mặt ({self.present}) lớn hơn tổng số ({self.total})."
        limit = self.present if self.present is not None else self.total
        if self.in_favour > limit:
            what = "số có mặt" if self.present is not None else "tổng số"
            return f"Số tán thành ({self.in_favour}) lớn hơn {what} ({limit})."
        return ""

    def passes(self, numerator: int = 2, denominator: int = 3) -> bool:
        """At least numerator/denominator of the total in favour (exact integers)."""
        return self.in_favour * denominator >= self.total * numerator


@dataclass(frozen=True)
class DossierException:
    """A documented exception (ngoại lệ): a note and the document that allows it."""

    rule: str  # the rule code it relaxes
    note: str
    document: str  # số, ngày, cơ quan ban hành
    step: str = ""  # the step it is about, "" for the dossier as a whole


@dataclass(frozen=True)
class Dossier:
    introducers: tuple[Introducer, ...] = ()
    votes: Mapping[str, Vote] = field(default_factory=dict)
    education: str = ""  # e.g. "12/12", "9/12", "Đại học"
    union_member: bool | None = None  # None: đoàn viên (dvdesk lists đoàn viên)
    helper: str = ""  # đảng viên giúp đỡ
    helper_since: date | None = None
    exceptions: tuple[DossierException, ...] = ()
    position: str | None = None  # where the chi bộ stands; None: the definition's default
    difficult_area: bool = False  # setting: vùng khó khăn (education minimum: tiểu học)
    checked_version: str = ""  # the definition version it was last checked against

    def exception_for(self, rule: str, step: str = "") -> DossierException | None:
        for e in self.exceptions:
            if e.rule == rule and (not e.step or not step or e.step == step):
                return e
        return None


EMPTY = Dossier()

# -- education ---------------------------------------------------------------

_WORDS = (
    ("tien si", 12),
    ("thac si", 12),
    ("dai hoc", 12),
    ("cao dang", 12),
    ("trung cap", 12),
    ("thpt", 12),
    ("trung hoc pho thong", 12),
    ("thcs", 9),
    ("trung hoc co so", 9),
    ("tieu hoc", 5),
)
_GRADES = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def education_grade(text: str) -> int | None:
    """Grades completed on today's 12-year scale, or None when unreadable.

    "9/12" → 9; the old 10-year system (hệ 10 năm) "7/10" → 9 (THCS was 7
    years there, tiểu học 4); words such as "THCS", "Đại học" are read too.
    """
    m = _GRADES.match(text)
    if m:
        done, system = int(m.group(1)), int(m.group(2))
        if system == 12 and 0 <= done <= 12:
            return done
        if system == 10 and 0 <= done <= 10:
            return done + 1 if done <= 4 else done + 2
        return None
    folded = _fold(text)
    for word, grade in _WORDS:
        if word in folded:
            return grade
    return None


def education_minimum(difficult_area: bool) -> int:
    """THCS (9/12); in difficult areas tiểu học (5/12) — 294-QĐ/TW 1.2, 06-HD/TW 1.2."""
    return 5 if difficult_area else 9
