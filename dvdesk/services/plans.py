"""Source plans for a school course or a year (kế hoạch tạo nguồn), for the CLI and the window.

- A school and course (khóa, e.g. 2024–2027): every student of that school
  graduating at the end of the course, not yet a Party member, not gone;
  grouped by the school year in which they can first be considered.
- A year: the residential areas' candidates (on the source list, not yet
  admitted) who can be considered in or before that year, members working
  away marked with the Tết window proposed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import UnitKind
from dvdesk.domain.plans import PlanEntry, course_years, plan_entry
from dvdesk.domain.procedure import StepState
from dvdesk.errors import KnownError
from dvdesk.store import views as preset
from dvdesk.store.member_query import MemberQuery

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


@dataclass(frozen=True)
class Plan:
    title: str
    subtitle: str
    start: date
    entries: tuple[PlanEntry, ...]
    school: str = ""
    course: str = ""
    year: int | None = None

    def groups(self) -> list[tuple[str, list[PlanEntry]]]:
        """Entries by the (school) year they can first be considered; the rest last."""
        out: dict[str, list[PlanEntry]] = {}
        for e in self.entries:
            out.setdefault(self._group(e), []).append(e)
        return sorted(out.items(), key=lambda kv: (kv[0].startswith("Chưa"), kv[0]))

    def _group(self, e: PlanEntry) -> str:
        if e.earliest is None:
            return "Chưa lập được kế hoạch"
        if self.school:
            y = e.earliest.year if e.earliest.month >= 8 else e.earliest.year - 1
            return f"Năm học {y}–{y + 1}"
        return f"Năm {e.earliest.year}"

    def as_json(self) -> dict[str, object]:
        return {
            "school": self.school or None,
            "course": self.course or None,
            "year": self.year,
            "start": self.start.isoformat(),
            "title": self.title,
            "groups": [
                {"group": name, "members": [e.as_json() for e in entries]}
                for name, entries in self.groups()
            ],
        }


def _entries(
    store: Store, query: MemberQuery, start: date, graduation_of: dict[int, date] | None
) -> list[PlanEntry]:
    settings = store.settings.get()
    dossiers = store.dossier.has_tables()
    out = []
    for row in preset.view_rows(store, query, start):
        done = {
            code: r.done_on
            for code, r in store.steps.of(row.uid).items()
            if r.state is StepState.DONE and r.done_on is not None
        }
        graduation = None
        if graduation_of is not None and row.graduation_year:
            graduation = graduation_of.get(row.graduation_year)
        entry = plan_entry(
            uid=row.uid,
            full_name=row.full_name,
            dob=parse_date(row.dob),
            unit=row.unit,
            school_class=row.school_class,
            stage=row.stage,
            presence=row.presence,
            done=done,
            start=start,
            method=settings.method,
            graduation=graduation,
        )
        # The helping Party member follows the candidate from the source list on.
        helper = store.dossier.get(row.uid).helper if dossiers else ""
        out.append(replace(entry, helper=helper) if helper else entry)
    return out


def school_plan(store: Store, school: str, course: str, today: date | None = None) -> Plan:
    """Every student of `school` in the course `course` (e.g. "2024-2027")."""
    today = today or date.today()
    try:
        first, last = course_years(course)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    code = school.strip().upper()
    units = {u.code: u for u in store.units.all()}
    unit = units.get(code)
    if unit is None:
        raise KnownError(f"Không có đơn vị mã “{school}”.")
    if unit.kind is not UnitKind.SCHOOL:
        raise KnownError(f"Đơn vị “{code}” không phải trường THPT.")
    settings = store.settings.get()
    month, day = (int(x) for x in settings.school_year_end.split("-"))
    graduation = date(last, month, day)
    query = MemberQuery(
        unit_code=code,
        graduation_year=last,
        not_stages=preset.PARTY_MEMBERS,
        not_presences=preset.GONE,
        method=settings.method,
    )
    entries = _entries(store, query, today, {last: graduation})
    return Plan(
        f"KẾ HOẠCH TẠO NGUỒN PHÁT TRIỂN ĐẢNG VIÊN KHÓA {first}–{last}",
        f"{unit.name}: học sinh tốt nghiệp ngày {graduation:%d/%m/%Y}; lập ngày {today:%d/%m/%Y}",
        today,
        tuple(entries),
        school=code,
        course=f"{first}-{last}",
    )


def year_plan(store: Store, year: int, today: date | None = None) -> Plan:
    """The residential areas' candidates who can be considered in `year` (or already)."""
    today = today or date.today()
    if not 1900 <= year <= 2200:
        raise KnownError(f"Năm {year} không hợp lệ.")
    start = max(today, date(year, 1, 1))
    settings = store.settings.get()
    query = MemberQuery(
        unit_kind=UnitKind.RESIDENTIAL.value,
        stages=tuple(s.value for s in preset.IN_PROCEDURE),
        not_presences=preset.GONE,
        method=settings.method,
    )
    entries = [
        e
        for e in _entries(store, query, start, None)
        if e.earliest is None or e.earliest <= date(year, 12, 31)
    ]
    return Plan(
        f"KẾ HOẠCH TẠO NGUỒN PHÁT TRIỂN ĐẢNG VIÊN NĂM {year}",
        f"Các khu dân cư: đoàn viên ưu tú trong danh sách cảm tình Đảng có thể xét kết nạp "
        f"trong năm {year}; lập ngày {today:%d/%m/%Y}",
        start,
        tuple(entries),
        year=year,
    )
