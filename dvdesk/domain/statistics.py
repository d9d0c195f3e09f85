"""Party development statistics (thống kê phát triển đảng viên), pure.

The provincial directive behind dvdesk measured "only 36.7% of the
outstanding members introduced were admitted, 57.1% of those who took the
course" and set a target of 3–4% new Party members a year. These figures are
computed the same way here, per calendar year and per unit kind (khu dân cư /
trường THPT):

- introduced (được giới thiệu) in year Y: the "source" step (danh sách cảm tình
  Đảng, đoàn viên ưu tú được giới thiệu học lớp nhận thức) was done in Y. When
  that step was never recorded but the course was, the course date stands in:
  nobody attends the course without being introduced, so a member is never
  admitted without counting as introduced. The Youth Union resolution 4-KNĐ is
  NOT used: it comes after the course, when the dossier is made, and using it
  would leave out exactly the people the directive says are lost.
- took the course (học lớp nhận thức về Đảng) in Y: step "course" done in Y.
- admitted (kết nạp) in Y: the decision 9-KNĐ date, or the ceremony date when
  no decision date was recorded (party age counts from the decision).
- Ratios follow cohorts, as the directive did: of those introduced in Y, the
  share admitted by now (on any later date); of those who took the course in Y,
  the share admitted by now.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dvdesk.domain.member import UnitKind

TARGET_LOW_PERCENT = 3.0  # chỉ tiêu 3–4% đảng viên mới mỗi năm (Công văn 1237-CV/TU)
TARGET_HIGH_PERCENT = 4.0


@dataclass(frozen=True)
class Milestones:
    """One member's dated milestones in the procedure."""

    kind: UnitKind
    source: date | None = None
    course: date | None = None
    decision: date | None = None
    ceremony: date | None = None

    @property
    def introduced(self) -> date | None:
        return self.source or self.course

    @property
    def admitted(self) -> date | None:
        return self.decision or self.ceremony


@dataclass(frozen=True)
class YearFigures:
    """One year's figures for one unit kind, or all kinds when `kind` is None."""

    year: int
    kind: UnitKind | None
    introduced: int = 0
    course: int = 0
    admitted: int = 0
    introduced_admitted: int = 0  # of those introduced this year, admitted by now
    course_admitted: int = 0  # of those who took the course this year, admitted by now

    @property
    def admitted_per_introduced(self) -> float | None:
        return _ratio(self.introduced_admitted, self.introduced)

    @property
    def admitted_per_course(self) -> float | None:
        return _ratio(self.course_admitted, self.course)


@dataclass(frozen=True)
class TargetProgress:
    """New Party members of a year against the 3–4% target (chỉ tiêu kết nạp)."""

    year: int
    admitted: int
    party_members: int  # đảng viên của đảng bộ, from the settings
    target_percent: float  # the office's own target, from the settings

    @property
    def percent(self) -> float | None:
        return None if self.party_members <= 0 else 100.0 * self.admitted / self.party_members

    def needed(self, percent: float) -> int:
        """New members a year needs to reach `percent` (rounded up)."""
        return math.ceil(round(self.party_members * percent / 100.0, 9))

    @property
    def low(self) -> int:
        return self.needed(TARGET_LOW_PERCENT)

    @property
    def high(self) -> int:
        return self.needed(TARGET_HIGH_PERCENT)

    @property
    def target(self) -> int:
        return self.needed(self.target_percent)

    @property
    def reached(self) -> bool:
        return self.party_members > 0 and self.admitted >= self.target


@dataclass(frozen=True)
class Statistics:
    years: tuple[int, ...]
    rows: tuple[YearFigures, ...]  # per year: one per kind, then the total (kind None)
    targets: tuple[TargetProgress, ...]

    def row(self, year: int, kind: UnitKind | None) -> YearFigures:
        for r in self.rows:
            if r.year == year and r.kind is kind:
                return r
        raise KeyError((year, kind))

    def span(self, kind: UnitKind | None) -> YearFigures:
        """All years together (the directive's "2019–2022" style figure)."""
        rows = [r for r in self.rows if r.kind is kind]
        return YearFigures(
            self.years[-1] if self.years else 0,
            kind,
            *(
                sum(getattr(r, f) for r in rows)
                for f in (
                    "introduced",
                    "course",
                    "admitted",
                    "introduced_admitted",
                    "course_admitted",
                )
            ),
        )


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _year(d: date | None) -> int | None:
    return d.year if d else None


def _figures(people: list[Milestones], year: int, kind: UnitKind | None) -> YearFigures:
    intro = [p for p in people if _year(p.introduced) == year]
    course = [p for p in people if _year(p.course) == year]
    return YearFigures(
        year,
        kind,
        introduced=len(intro),
        course=len(course),
        admitted=sum(1 for p in people if _year(p.admitted) == year),
        introduced_admitted=sum(1 for p in intro if p.admitted),
        course_admitted=sum(1 for p in course if p.admitted),
    )


def active_years(people: Iterable[Milestones]) -> tuple[int, ...]:
    """Every year in which something was introduced, taught or admitted, in order."""
    found = {d.year for p in people for d in (p.introduced, p.course, p.admitted) if d}
    return tuple(sorted(found))


def compute(
    people: Iterable[Milestones],
    years: Iterable[int] | None = None,
    party_members: int = 0,
    target_percent: float = TARGET_LOW_PERCENT,
) -> Statistics:
    """Figures per year and unit kind, and the yearly target progress."""
    people = list(people)
    chosen = tuple(sorted(set(years))) if years is not None else active_years(people)
    rows: list[YearFigures] = []
    targets: list[TargetProgress] = []
    for year in chosen:
        for kind in UnitKind:
            rows.append(_figures([p for p in people if p.kind is kind], year, kind))
        total = _figures(people, year, None)
        rows.append(total)
        targets.append(TargetProgress(year, total.admitted, party_members, target_percent))
    return Statistics(chosen, tuple(rows), tuple(targets))
