"""Age for Party admission, counted by month (tuổi vào Đảng, tính theo tháng).

The rule (Quy định 294-QĐ/TW ngày 26/5/2025, Điều 1 khoản 2, 1.1.1, unchanged
since 29-QĐ/TW 2016):

    "Tại thời điểm chi bộ xét kết nạp, người vào Đảng phải đủ 18 tuổi đến đủ
    60 tuổi (tính theo tháng)."
    1.1.2: "Việc kết nạp vào Đảng những người trên 60 tuổi do cấp ủy trực thuộc
    Trung ương xem xét, quyết định."

The reference date is the day the branch (chi bộ) meets to consider the person
(the date of resolution 6-KNĐ); callers always pass it, the rule never looks at
the clock.

No official formula for "tính theo tháng" exists (notes/domain.md §1, LOW), so:
- Method A (default): completed months, day-aware: the largest k with
  DOB + k months <= reference date, days clamped to the month's end.
- Method B (a setting): calendar-month difference, day ignored:
  k = (Y2-Y1)*12 + (M2-M1).
Eligible when 216 <= k <= 720; k >= 721 is "trên 60 tuổi", admitted only with
the written consent of the province-level standing committee (ban thường vụ
tỉnh ủy/thành ủy, 06-HD/TW §1.1). When A and B classify differently the result
carries the "sát ngưỡng tuổi" warning so the officer checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from dvdesk.domain.dates import PartialDate, add_months, fmt

MIN_MONTHS = 18 * 12  # đủ 18 tuổi
MAX_MONTHS = 60 * 12  # đủ 60 tuổi; 721 months and more is "trên 60 tuổi"

RULE_TEXT = (
    "Tại thời điểm chi bộ xét kết nạp, người vào Đảng phải đủ 18 tuổi đến đủ 60 tuổi "
    "(tính theo tháng)."
)
RULE_SOURCE = "Quy định 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương, Điều 1, 1.1.1"
NEAR_LIMIT_WARNING = (
    "Sát ngưỡng tuổi — hai cách tính tháng cho kết quả khác nhau, "
    "đề nghị kiểm tra lại theo hướng dẫn của cấp ủy."
)


class Method(StrEnum):
    """How months are counted (cách tính tháng)."""

    COMPLETED = "A"  # tháng tròn, tính cả ngày
    CALENDAR = "B"  # hiệu số tháng, bỏ qua ngày


class Status(StrEnum):
    """Eligibility on the consideration date."""

    ELIGIBLE = "eligible"  # đủ tuổi
    TOO_YOUNG = "too_young"  # chưa đủ 18 tuổi
    OVER_AGE = "over_age"  # trên 60 tuổi
    UNKNOWN = "unknown"  # ngày sinh không đầy đủ


STATUS_LABELS = {
    Status.ELIGIBLE: "Đủ tuổi",
    Status.TOO_YOUNG: "Chưa đủ 18 tuổi",
    Status.OVER_AGE: "Trên 60 tuổi",
    Status.UNKNOWN: "Chưa rõ ngày sinh",
}


@dataclass(frozen=True)
class Eligibility:
    """The answer for one date of birth on one consideration date."""

    status: Status
    age_months: int | None
    eligible_from: date | None  # first eligible day, when too young
    reason: str
    warnings: tuple[str, ...] = ()
    possible: tuple[Status, ...] = field(default=())  # for partial dates
    eligible_from_range: tuple[date, date] | None = None  # for partial dates
    age_months_range: tuple[int, int] | None = None  # for partial dates

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, object]:
        """The stable `dvdesk age --json` object (DESIGN.md, CLI contract)."""
        out: dict[str, object] = {
            "status": self.status.value,
            "age_months": self.age_months,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "warnings": list(self.warnings),
            "reason": self.reason,
        }
        if self.eligible_from_range:
            lo, hi = self.eligible_from_range
            out["possible_statuses"] = [s.value for s in self.possible]
            out["eligible_from_earliest"] = lo.isoformat()
            out["eligible_from_latest"] = hi.isoformat()
            assert self.age_months_range is not None
            out["age_months_min"], out["age_months_max"] = self.age_months_range
        return out


def months_completed(dob: date, on: date) -> int:
    """Method A: largest k with add_months(dob, k) <= on (negative before birth)."""
    k = (on.year - dob.year) * 12 + (on.month - dob.month)
    # The estimate is exact or one too many; add_months is monotone in k.
    if add_months(dob, k) > on:
        k -= 1
    return k


def months_calendar(dob: date, on: date) -> int:
    """Method B: month difference, the day of the month ignored."""
    return (on.year - dob.year) * 12 + (on.month - dob.month)


def months_by(method: Method, dob: date, on: date) -> int:
    if method is Method.CALENDAR:
        return months_calendar(dob, on)
    return months_completed(dob, on)


def first_day_with(method: Method, dob: date, months: int) -> date:
    """First date on which the age under `method` reaches `months`."""
    reached = add_months(dob, months)
    if method is Method.CALENDAR:
        return reached.replace(day=1)
    return reached


def eligible_window(dob: date, method: Method = Method.COMPLETED) -> tuple[date, date]:
    """(first eligible day, last eligible day) for a full date of birth."""
    start = first_day_with(method, dob, MIN_MONTHS)
    end = first_day_with(method, dob, MAX_MONTHS + 1) - timedelta(days=1)
    return start, end


def _classify(k: int) -> Status:
    if k < MIN_MONTHS:
        return Status.TOO_YOUNG
    if k > MAX_MONTHS:
        return Status.OVER_AGE
    return Status.ELIGIBLE


def _years_months(k: int) -> str:
    return f"{k // 12} tuổi {k % 12} tháng"


def _evaluate_full(dob: date, on: date, method: Method) -> Eligibility:
    k = months_by(method, dob, on)
    other = Method.CALENDAR if method is Method.COMPLETED else Method.COMPLETED
    status = _classify(k)
    warnings: tuple[str, ...] = ()
    if _classify(months_by(other, dob, on)) is not status:
        warnings = (NEAR_LIMIT_WARNING,)
    when = fmt(on)
    if k < 0:
        return Eligibility(
            Status.TOO_YOUNG,
            k,
            first_day_with(method, dob, MIN_MONTHS),
            f"Ngày sinh {fmt(dob)} sau ngày xét {when}.",
            warnings,
        )
    if status is Status.TOO_YOUNG:
        start = first_day_with(method, dob, MIN_MONTHS)
        reason = (
            f"Đến ngày {when} mới {_years_months(k)}; đủ 18 tuổi (tính theo tháng) "
            f"từ ngày {fmt(start)}."
        )
        return Eligibility(status, k, start, reason, warnings)
    if status is Status.OVER_AGE:
        reason = (
            f"Đến ngày {when} đã {_years_months(k)}, trên 60 tuổi: chỉ xem xét kết nạp "
            "khi được ban thường vụ tỉnh ủy, thành ủy đồng ý bằng văn bản (06-HD/TW, mục 1.1)."
        )
        return Eligibility(status, k, None, reason, warnings)
    reason = f"Đến ngày {when} được {_years_months(k)}, trong khoảng đủ 18 đến đủ 60 tuổi."
    return Eligibility(status, k, None, reason, warnings)


def possible_window(dob: PartialDate, method: Method = Method.COMPLETED) -> tuple[date, date]:
    """(first day eligible is possible, first day over-age is certain) for any date of birth.

    For a full date this is `eligible_window` with its end as the next day. For
    a partial one it spans every day the person could have been born on: a
    consideration date in [start, end) may find them eligible. Stored per
    member so "may be eligible on D" is one range condition in SQL.
    """
    start = first_day_with(method, dob.earliest(), MIN_MONTHS)
    end = first_day_with(method, dob.latest(), MAX_MONTHS + 1)
    return start, end


_ORDER = (Status.TOO_YOUNG, Status.ELIGIBLE, Status.OVER_AGE)


def _age_span(k_min: int, k_max: int) -> str:
    if k_min == k_max:
        return _years_months(k_min)
    lo, hi = max(k_min, 0) // 12, k_max // 12
    return f"{lo} tuổi" if lo == hi else f"từ {lo} đến {hi} tuổi"


def _between(lo: date, hi: date) -> str:
    return f"ngày {fmt(lo)}" if lo == hi else f"khoảng từ {fmt(lo)} đến {fmt(hi)}"


def _evaluate_partial(dob: PartialDate, on: date, method: Method) -> Eligibility:
    lo, hi = dob.earliest(), dob.latest()
    # The oldest possible person is born first: most months, earliest start.
    k_max, k_min = months_by(method, lo, on), months_by(method, hi, on)
    first, last = _ORDER.index(_classify(k_min)), _ORDER.index(_classify(k_max))
    possible = _ORDER[first : last + 1]
    start_lo = first_day_with(method, lo, MIN_MONTHS)
    start_hi = first_day_with(method, hi, MIN_MONTHS)
    over_lo = first_day_with(method, lo, MAX_MONTHS + 1)
    over_hi = first_day_with(method, hi, MAX_MONTHS + 1)
    known = f"Ngày sinh chỉ biết “{dob.vi()}”"
    when = fmt(on)
    if len(possible) == 1:
        # Whatever the missing day or month, the answer is the same: say it.
        status = possible[0]
        k = k_min if k_min == k_max else None
        reason = (
            f"{known}; dù sinh vào ngày nào trong khoảng đó, đến ngày {when} vẫn "
            f"{STATUS_LABELS[status].lower()} ({_age_span(k_min, k_max)})."
        )
        if status is Status.TOO_YOUNG:
            reason += f" Đủ 18 tuổi (tính theo tháng) vào {_between(start_lo, start_hi)}."
        elif status is Status.OVER_AGE:
            reason += (
                " Chỉ xem xét kết nạp khi được ban thường vụ tỉnh ủy, thành ủy đồng ý "
                "bằng văn bản (06-HD/TW, mục 1.1)."
            )
        return Eligibility(
            status,
            k,
            start_lo if status is Status.TOO_YOUNG and start_lo == start_hi else None,
            reason,
            possible=possible,
            eligible_from_range=(start_lo, start_hi),
            age_months_range=(k_min, k_max),
        )
    labels = ", ".join(STATUS_LABELS[s].lower() for s in possible)
    parts = []
    if Status.TOO_YOUNG in possible:
        parts.append(f"đủ 18 tuổi (tính theo tháng) vào {_between(start_lo, start_hi)}")
    if Status.OVER_AGE in possible:
        parts.append(f"trên 60 tuổi từ {_between(over_lo, over_hi)}")
    reason = (
        f"{known}: {'; '.join(parts)}; đến ngày {when} có thể là: {labels}. "
        "Cần bổ sung ngày sinh đầy đủ."
    )
    return Eligibility(
        Status.UNKNOWN,
        None,
        None,
        reason,
        possible=possible,
        eligible_from_range=(start_lo, start_hi),
        age_months_range=(k_min, k_max),
    )


def evaluate(dob: PartialDate | None, on: date, method: Method = Method.COMPLETED) -> Eligibility:
    """Eligibility of a date of birth on the consideration date `on`.

    A partial date of birth gives the status every possible birthday agrees
    on, or `unknown` with the possible statuses and ranges (never a guess);
    its `possible` statuses and ranges are always filled in. A month and year
    under method B is exact: B ignores the day.
    """
    if dob is None:
        return Eligibility(Status.UNKNOWN, None, None, "Chưa có ngày sinh.")
    if dob.is_full:
        return _evaluate_full(dob.as_date(), on, method)
    return _evaluate_partial(dob, on, method)


def born_after(dob: PartialDate, on: date) -> bool:
    """The date of birth is certainly after the consideration date (refused by `age`)."""
    return dob.earliest() > on


class YouthFlag(StrEnum):
    """Youth Union age flags (Điều lệ Đoàn, Điều 1 and Điều 4)."""

    UNDER_16 = "under_16"  # chưa đủ tuổi Đoàn
    PAST_30 = "past_30"  # quá 30 tuổi: trưởng thành đoàn
    PAST_35 = "past_35"  # quá 35 tuổi, kể cả khi được kéo dài


YOUTH_FLAG_LABELS = {
    YouthFlag.UNDER_16: "Chưa đến tuổi Đoàn (tuổi Đoàn từ đủ 15 tuổi + 1 ngày)",
    YouthFlag.PAST_30: "Quá 30 tuổi — làm lễ trưởng thành Đoàn",
    YouthFlag.PAST_35: "Quá 35 tuổi — hết thời hạn sinh hoạt Đoàn kéo dài",
}


def completed_years(dob: date, on: date) -> int:
    return months_completed(dob, on) // 12


@lru_cache(maxsize=1 << 14)  # an import asks it of every row: a few thousand birthdays
def youth_flag(
    dob: PartialDate | None, on: date, *, union_officer: bool = False, extended: bool = False
) -> YouthFlag | None:
    """The Youth Union age flag on `on`, if any.

    Đoàn age is 16–30 ("từ đủ 15 tuổi + 1 ngày", Hướng dẫn 22-HD/TWĐTN); a
    member whose age in completed years is over 30 "trưởng thành đoàn" unless a
    Đoàn officer (cán bộ đoàn, no limit) or extended by the chi đoàn (at most
    35) — notes/domain.md §4. Partial dates are flagged only when every
    possible birthday gives the flag: nobody is flagged on a guess. Callers
    pass the consideration date (or today), never the day the record was saved.
    """
    if dob is None:
        return None
    if on <= add_months(dob.earliest(), 15 * 12):
        return YouthFlag.UNDER_16
    years = completed_years(dob.latest(), on)
    if union_officer or years <= 30:
        return None
    if extended:
        return YouthFlag.PAST_35 if years > 35 else None
    return YouthFlag.PAST_30
