"""Source plans (kế hoạch tạo nguồn phát triển đảng viên), pure.

The directive asks for "kế hoạch tạo nguồn … cho cả khóa học và theo từng
năm": for each candidate, the earliest day the chi bộ may consider them, and
what must be done before, dated backwards from that day.

The earliest consideration day is the latest of:
- the plan's start (nobody is considered in the past);
- 18 by month (method A or B; for a partial date of birth the day every
  possible birthday is 18 — the plan never counts on a guess);
- enough time to do the steps not done yet (lead times below, a proposal:
  local practice, not a rule);
- when the certificate CN-NTVĐ would have expired by then (60 months,
  06-HD/TW 5.4), the course again first.
The dossier documents 3-, 4- and 5-KNĐ must be made within the 12 months
before the meeting (stale otherwise, 01-HD/TW mục 5): the schedule says
"not before" as well as "before". Students: whether that day comes before
graduation (the school-year end of the graduation year). Members working
away (the directive's first cause of lost sources) get the Tết return window
proposed for the steps they must attend in person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dvdesk.domain.dates import PartialDate, add_months, fmt
from dvdesk.domain.deadline_checks import DOSSIER_STEPS
from dvdesk.domain.eligibility import MAX_MONTHS, MIN_MONTHS, Method, first_day_with
from dvdesk.domain.procedure import DEFINITION

# The procedure definition's numbers (resources/procedure/*.json), read once.
CERTIFICATE_MONTHS = DEFINITION.param("certificate_months")  # CN-NTVĐ valid 60 months
DOSSIER_MONTHS = DEFINITION.param("dossier_months")  # 3-, 4-, 5-KNĐ stale after 12 months

# Proposed lead times before the chi bộ meeting (đề xuất, not a rule).
COURSE_LEAD_DAYS = 30  # học lớp nhận thức xong trước ngày họp ít nhất 1 tháng
APPLICATION_LEAD_DAYS = 60  # đơn 1-KNĐ, lý lịch 2-KNĐ trước 2 tháng
VERIFICATION_LEAD_DAYS = 30  # thẩm tra lý lịch xong trước 1 tháng
DOSSIER_LEAD_DAYS = 15  # 3-, 4-, 5-KNĐ xong trước nửa tháng
COMPLETE_LEAD_DAYS = 7  # hoàn thiện hồ sơ trước 1 tuần
TET_BEFORE_DAYS = 10  # người đi làm ăn xa thường về trước Tết khoảng 10 ngày …
TET_AFTER_DAYS = 10  # … và ở lại đến khoảng mùng 10

# Mùng 1 Tết Nguyên đán (lunar new year's day), Vietnam.
TET = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}
AWAY = ("working_away", "abroad")
IN_PERSON = ("course", "application", "biography", "branch_resolution")


@dataclass(frozen=True)
class PlanStep:
    code: str  # a procedure step code, or "complete" / "meeting"
    title: str
    not_before: date | None = None
    before: date | None = None  # to be done before this day (or on it, for the meeting)
    done_on: date | None = None  # already done
    note: str = ""

    def text(self) -> str:
        if self.done_on:
            return f"{self.title}: đã xong ngày {fmt(self.done_on)}."
        when = []
        if self.not_before:
            when.append(f"không sớm hơn {fmt(self.not_before)}")
        if self.before:
            when.append(f"trước {fmt(self.before)}")
        return f"{self.title} {', '.join(when)}.{' ' + self.note if self.note else ''}"


@dataclass(frozen=True)
class PlanEntry:
    uid: str
    full_name: str
    dob: str | None
    unit: str
    school_class: str
    stage: str
    presence: str
    earliest: date | None  # the earliest day the chi bộ may consider them; None: cannot
    reasons: tuple[str, ...]  # what sets that day
    graduation: date | None  # students: graduation day
    steps: tuple[PlanStep, ...]
    tet_window: tuple[date, date] | None = None  # working away: proposed return window
    helper: str = ""  # the helping Party member (đảng viên giúp đỡ), from the dossier

    @property
    def away(self) -> bool:
        return self.presence in AWAY

    @property
    def before_graduation(self) -> bool | None:
        if self.graduation is None or self.earliest is None:
            return None
        return self.earliest <= self.graduation

    def as_json(self) -> dict[str, object]:
        return {
            "uid": self.uid,
            "full_name": self.full_name,
            "dob": self.dob,
            "unit": self.unit,
            "school_class": self.school_class,
            "stage": self.stage,
            "presence": self.presence,
            "working_away": self.away,
            "earliest_consideration": self.earliest.isoformat() if self.earliest else None,
            "reasons": list(self.reasons),
            "graduation": self.graduation.isoformat() if self.graduation else None,
            "before_graduation": self.before_graduation,
            "tet_window": [d.isoformat() for d in self.tet_window] if self.tet_window else None,
            "helper": self.helper,
            "steps": [
                {
                    "code": s.code,
                    "title": s.title,
                    "not_before": s.not_before.isoformat() if s.not_before else None,
                    "before": s.before.isoformat() if s.before else None,
                    "done_on": s.done_on.isoformat() if s.done_on else None,
                    "text": s.text(),
                }
                for s in self.steps
            ],
        }


def tet_window(after: date) -> tuple[date, date] | None:
    """The first Tết return window that ends on or after `after` (None past the table)."""
    for year in sorted(TET):
        start = TET[year] - timedelta(days=TET_BEFORE_DAYS)
        end = TET[year] + timedelta(days=TET_AFTER_DAYS)
        if end >= after:
            return start, end
    return None


def plan_entry(
    *,
    uid: str,
    full_name: str,
    dob: PartialDate | None,
    unit: str,
    school_class: str,
    stage: str,
    presence: str,
    done: Mapping[str, date],
    start: date,
    method: Method,
    graduation: date | None = None,
) -> PlanEntry:
    """One candidate's earliest consideration day and backward schedule."""

    def entry(
        earliest: date | None,
        reasons: list[str],
        steps: Sequence[PlanStep] = (),
        window: tuple[date, date] | None = None,
    ) -> PlanEntry:
        return PlanEntry(
            uid,
            full_name,
            dob.iso() if dob else None,
            unit,
            school_class,
            stage,
            presence,
            earliest,
            tuple(reasons),
            graduation,
            tuple(steps),
            window,
        )

    if dob is None:
        return entry(None, ["Chưa có ngày sinh: chưa lập được kế hoạch, cần bổ sung."])
    of_age = first_day_with(method, dob.latest(), MIN_MONTHS)
    last_day = first_day_with(method, dob.earliest(), MAX_MONTHS + 1) - timedelta(days=1)
    reasons: list[str] = []
    earliest = start
    if of_age > earliest:
        earliest = of_age
        reasons.append(f"đủ 18 tuổi (tính theo tháng) từ {fmt(of_age)}")
    # Time for the steps not done yet.
    lead = 0
    if "course" not in done:
        lead = COURSE_LEAD_DAYS + APPLICATION_LEAD_DAYS
    elif "application" not in done or "biography" not in done:
        lead = APPLICATION_LEAD_DAYS
    elif not all(c in done for c in (*DOSSIER_STEPS, "verification")):
        lead = VERIFICATION_LEAD_DAYS
    if lead and start + timedelta(days=lead) > earliest:
        earliest = start + timedelta(days=lead)
        reasons.append(f"cần khoảng {lead} ngày cho các bước chưa làm")
    # The certificate must still be valid on the day.
    course = done.get("course")
    renew_course = False
    if course is not None and earliest >= add_months(course, CERTIFICATE_MONTHS):
        renew_course = True
        needed = start + timedelta(days=COURSE_LEAD_DAYS)
        if needed > earliest:
            earliest = needed
        reasons.append(
            f"giấy chứng nhận CN-NTVĐ ngày {fmt(course)} hết hạn "
            f"{fmt(add_months(course, CERTIFICATE_MONTHS))}: phải học lại"
        )
    stale = [
        c for c in DOSSIER_STEPS if c in done and done[c] < add_months(earliest, -DOSSIER_MONTHS)
    ]
    if stale and start + timedelta(days=DOSSIER_LEAD_DAYS) > earliest:
        earliest = start + timedelta(days=DOSSIER_LEAD_DAYS)
    if stale:
        reasons.append("hồ sơ 3-, 4-, 5-KNĐ quá 12 tháng: phải làm lại")
    window = None
    if presence in AWAY:
        window = tet_window(earliest)
        if window is not None and window[0] > earliest:
            earliest = window[0]
            reasons.append(f"đi làm ăn xa: đề nghị họp xét trong dịp về Tết từ {fmt(window[0])}")
    if earliest > last_day:
        return entry(
            None,
            [f"Quá tuổi xét kết nạp thông thường từ {fmt(last_day + timedelta(days=1))}."],
        )
    if not reasons:
        reasons.append("đủ điều kiện xét ngay")
    m = earliest
    steps: list[PlanStep] = []
    away_note = (
        f"Bố trí khi về Tết ({fmt(window[0])}–{fmt(window[1])})." if window is not None else ""
    )

    def step(code: str, title: str, before: date, not_before: date | None = None) -> None:
        if code in done and not (code == "course" and renew_course):
            steps.append(PlanStep(code, title, done_on=done[code]))
            return
        note = away_note if code in IN_PERSON else ""
        if not_before is not None and not_before <= start:
            not_before = None  # a bound already passed says nothing
        steps.append(PlanStep(code, title, not_before, max(before, start), note=note))

    step(
        "course",
        "Học lớp bồi dưỡng nhận thức về Đảng (giấy chứng nhận CN-NTVĐ)",
        m - timedelta(days=COURSE_LEAD_DAYS),
        add_months(m, -CERTIFICATE_MONTHS) + timedelta(days=1),
    )
    step("application", "Viết đơn xin vào Đảng (1-KNĐ)", m - timedelta(days=APPLICATION_LEAD_DAYS))
    step(
        "biography",
        "Khai lý lịch người xin vào Đảng (2-KNĐ)",
        m - timedelta(days=APPLICATION_LEAD_DAYS),
    )
    step("verification", "Thẩm tra, xác minh lý lịch", m - timedelta(days=VERIFICATION_LEAD_DAYS))
    stale_from = add_months(m, -DOSSIER_MONTHS)
    for code, title in (
        ("introduction", "Giấy giới thiệu của đảng viên chính thức (3-KNĐ)"),
        ("union_resolution", "Nghị quyết giới thiệu đoàn viên ưu tú của BCH Đoàn cơ sở (4-KNĐ)"),
        ("opinions", "Tổng hợp ý kiến nhận xét của đoàn thể, chi ủy nơi cư trú (5-KNĐ)"),
    ):
        if code in done and done[code] < stale_from:
            steps.append(
                PlanStep(
                    code,
                    title + " — làm lại (quá 12 tháng)",
                    stale_from if stale_from > start else None,
                    max(m - timedelta(days=DOSSIER_LEAD_DAYS), start),
                )
            )
        else:
            step(code, title, m - timedelta(days=DOSSIER_LEAD_DAYS), stale_from)
    steps.append(
        PlanStep(
            "complete",
            "Hoàn thiện hồ sơ",
            before=max(m - timedelta(days=COMPLETE_LEAD_DAYS), start),
        )
    )
    steps.append(
        PlanStep(
            "meeting",
            "Chi bộ họp xét, nghị quyết đề nghị kết nạp (6-KNĐ)",
            not_before=m,
            note=away_note,
        )
    )
    return entry(m, reasons, steps, window)


def course_years(course: str) -> tuple[int, int]:
    """ "2024-2027" → (2024, 2027): the khóa from grade 10 to graduation."""
    parts = course.replace("–", "-").split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() and len(p.strip()) == 4 for p in parts):
        raise ValueError(f"Khóa học phải có dạng 2024-2027, không phải “{course}”.")
    first, last = (int(p) for p in parts)
    if not 1 <= last - first <= 4:
        raise ValueError(f"Khóa học “{course}”: năm cuối phải sau năm đầu 1–4 năm.")
    return first, last
