"""Party development statistics (thống kê phát triển đảng viên), pure.

The provincial directive behind dvdesk (Công văn 1237-CV/TU) measured, over
2019–2022, "only 36.7% of the outstanding members introduced were admitted,
57.1% of those who took the course, 21.4% of the students introduced" and
set a target of 3–4% new Party members a year (NQ 21-NQ/TW). These are
*period counts* (notes/domain.md §8), computed the same way here for any
period (a year or a range of years) and per unit kind (khu dân cư / trường
THPT) as it was at the time of each step:

- introduced (được giới thiệu): the Youth Union's resolution introducing the
  member to the Party (4-KNĐ) is dated in the period;
- took the course (học lớp nhận thức về Đảng): the certificate CN-NTVĐ is
  dated in the period;
- admitted (được kết nạp): the admission decision 9-KNĐ is dated in the period;
- admitted / introduced and admitted / course: the two counts of the same
  period divided, None (shown "—") when the divisor is 0.

Each count depends only on steps dated in the period, so a year's figures do
not change when printed again later unless that year's data change. The
students' figures are those of the THPT unit kind.

The 3–4% target of a year: new Party members of the year (admitted from the
tracked lists + admitted from outside them, entered by the officer) divided
by the đảng bộ's Party members at the start of the year (entered by the
officer). dvdesk knows only its own candidates, so a year without those
figures is shown as missing, never guessed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dvdesk.domain.kinds import UnitKind

TARGET_LOW_PERCENT = 3.0  # chỉ tiêu 3–4% đảng viên mới mỗi năm (NQ 21-NQ/TW, 1237-CV/TU)
TARGET_HIGH_PERCENT = 4.0

INTRODUCED_STEP = "union_resolution"  # 4-KNĐ
COURSE_STEP = "course"  # CN-NTVĐ
ADMITTED_STEP = "decision"  # 9-KNĐ
EVENT_STEPS = (INTRODUCED_STEP, COURSE_STEP, ADMITTED_STEP)

# How each figure is defined: printed beside it in the window and on paper.
DEFINITIONS = {
    "introduced": (
        "Được giới thiệu: số đoàn viên ưu tú có nghị quyết giới thiệu của BCH Đoàn cơ sở "
        "(mẫu 4-KNĐ) ghi ngày trong kỳ."
    ),
    "course": (
        "Học lớp nhận thức về Đảng: số người có giấy chứng nhận (CN-NTVĐ) ghi ngày trong kỳ."
    ),
    "admitted": "Được kết nạp: số người có quyết định kết nạp (mẫu 9-KNĐ) ghi ngày trong kỳ.",
    "admitted_per_introduced": (
        "Tỷ lệ kết nạp trên giới thiệu = số được kết nạp trong kỳ ÷ số được giới thiệu "
        "(4-KNĐ) trong cùng kỳ."
    ),
    "admitted_per_course": (
        "Tỷ lệ kết nạp trên số học lớp nhận thức = số được kết nạp trong kỳ ÷ số học lớp "
        "nhận thức về Đảng trong cùng kỳ."
    ),
    "students": (
        "Học sinh: các số trên của đoàn viên thuộc trường THPT tại thời điểm của từng bước."
    ),
    "target": (
        "Tỷ lệ đảng viên mới của năm = (số kết nạp trong năm từ danh sách đoàn viên + số kết "
        "nạp ngoài danh sách) ÷ số đảng viên của đảng bộ đầu năm; chỉ tiêu 3–4% mỗi năm. "
        "Năm chưa nhập số đảng viên đầu năm hoặc số kết nạp ngoài danh sách: để trống."
    ),
}

# (year, step code, unit kind at the time) -> members with that step dated in that year
Counts = Mapping[tuple[int, str, UnitKind], int]


@dataclass(frozen=True)
class Figures:
    """One period's figures for one unit kind, or all kinds when `kind` is None.

    `year` is the year for a yearly row; None for a whole period (`first`–`last`).
    """

    first: int
    last: int
    kind: UnitKind | None
    introduced: int = 0
    course: int = 0
    admitted: int = 0

    @property
    def year(self) -> int | None:
        return self.first if self.first == self.last else None

    @property
    def admitted_per_introduced(self) -> float | None:
        return _ratio(self.admitted, self.introduced)

    @property
    def admitted_per_course(self) -> float | None:
        return _ratio(self.admitted, self.course)

    def as_json(self) -> dict[str, object]:
        return {
            "introduced": self.introduced,
            "course": self.course,
            "admitted": self.admitted,
            "admitted_per_introduced": self.admitted_per_introduced,
            "admitted_per_course": self.admitted_per_course,
        }


YearFigures = Figures  # the name the window and the report used


@dataclass(frozen=True)
class YearTotals:
    """What the officer entered for one year (số liệu đảng bộ do cán bộ nhập)."""

    year: int
    members_at_start: int | None  # đảng viên của đảng bộ đầu năm
    outside_admitted: int | None  # kết nạp ngoài danh sách đoàn viên được theo dõi
    source: str = ""  # nguồn số liệu (báo cáo, sổ đảng viên …)


@dataclass(frozen=True)
class TargetProgress:
    """New Party members of a year against the 3–4% target (chỉ tiêu kết nạp)."""

    year: int
    admitted: int  # admitted in the year from the tracked lists (9-KNĐ dated in the year)
    outside_admitted: int | None  # entered by the officer; None = not entered
    party_members: int | None  # at the start of the year, entered; None = not entered
    target_percent: float  # the office's own target, from the settings
    source: str = ""

    @property
    def new_members(self) -> int | None:
        if self.outside_admitted is None:
            return None
        return self.admitted + self.outside_admitted

    @property
    def percent(self) -> float | None:
        new = self.new_members
        if new is None or not self.party_members:
            return None
        return 100.0 * new / self.party_members

    def needed(self, percent: float) -> int | None:
        """New members the year needs to reach `percent` (rounded up); None if unknown."""
        if not self.party_members:
            return None
        return math.ceil(round(self.party_members * percent / 100.0, 9))

    @property
    def low(self) -> int | None:
        return self.needed(TARGET_LOW_PERCENT)

    @property
    def high(self) -> int | None:
        return self.needed(TARGET_HIGH_PERCENT)

    @property
    def target(self) -> int | None:
        return self.needed(self.target_percent)

    @property
    def reached(self) -> bool | None:
        """True or False against the office's target; None while a figure is missing."""
        target, new = self.target, self.new_members
        if target is None or new is None:
            return None
        return new >= target

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "party_members_at_start": self.party_members,
            "admitted_tracked": self.admitted,
            "admitted_outside": self.outside_admitted,
            "new_members": self.new_members,
            "percent": self.percent,
            "target_percent": self.target_percent,
            "needed_low": self.low,
            "needed_high": self.high,
            "needed_target": self.target,
            "reached": self.reached,
            "source": self.source,
        }


@dataclass(frozen=True)
class Statistics:
    first: int
    last: int
    rows: tuple[Figures, ...]  # per year: one per kind, then the total (kind None)
    targets: tuple[TargetProgress, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.last + 1)) if self.rows else ()

    def row(self, year: int, kind: UnitKind | None) -> Figures:
        for r in self.rows:
            if r.first == year and r.kind is kind:
                return r
        raise KeyError((year, kind))

    def span(self, kind: UnitKind | None) -> Figures:
        """The whole period (the directive's "2019–2022" figure): counts add up over years."""
        rows = [r for r in self.rows if r.kind is kind]
        return Figures(
            self.first,
            self.last,
            kind,
            sum(r.introduced for r in rows),
            sum(r.course for r in rows),
            sum(r.admitted for r in rows),
        )

    @property
    def students(self) -> Figures:
        """The students' figures over the period (THPT at the time of each step)."""
        return self.span(UnitKind.SCHOOL)


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _figures(
    counts: Counts, year: int, kinds: Iterable[UnitKind], kind: UnitKind | None
) -> Figures:
    def n(code: str) -> int:
        return sum(counts.get((year, code, k), 0) for k in kinds)

    return Figures(year, year, kind, n(INTRODUCED_STEP), n(COURSE_STEP), n(ADMITTED_STEP))


def active_years(counts: Counts) -> tuple[int, int] | None:
    """(first, last) year in which anything was introduced, taught or admitted."""
    years = [y for (y, _, _), n in counts.items() if n]
    return (min(years), max(years)) if years else None


def compute(
    counts: Counts,
    first: int,
    last: int,
    totals: Mapping[int, YearTotals] | None = None,
    target_percent: float = TARGET_LOW_PERCENT,
) -> Statistics:
    """Figures per year and unit kind for `first`–`last`, and each year's target progress."""
    if last < first:
        raise ValueError("last < first")
    totals = totals or {}
    rows: list[Figures] = []
    targets: list[TargetProgress] = []
    for year in range(first, last + 1):
        for kind in UnitKind:
            rows.append(_figures(counts, year, (kind,), kind))
        total = _figures(counts, year, tuple(UnitKind), None)
        rows.append(total)
        entered = totals.get(year)
        targets.append(
            TargetProgress(
                year,
                total.admitted,
                entered.outside_admitted if entered else None,
                entered.members_at_start if entered else None,
                target_percent,
                entered.source if entered else "",
            )
        )
    return Statistics(first, last, tuple(rows), tuple(targets))
