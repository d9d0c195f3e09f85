"""Realistic fake commune data (dữ liệu mẫu) for trying dvdesk and for tests.

Surnames follow their real frequencies in Vietnam; a commune has 6–12
residential areas and 1–2 high schools with grades 10–12; members are 14–35;
a few dates of birth are partial; some people work away or abroad; some
candidates are at each stage of the admission procedure. The same seed gives
the same data (on the same `today`).

The data respect every rule dvdesk teaches (tests/services/test_demo_rules.py):
members are of Youth Union age (from 15 years + 1 day; over 30 only as Đoàn
officers or extended, at most 35); steps are dated in procedure order; the chi
bộ meets (6-KNĐ) when the candidate is 18 by month under both methods, within
60 months of the course certificate and 12 months of the dossier; the
ceremony, the party biography and the recognition meeting keep their
working-day deadlines; no open deadline has passed today. Document numbers
follow their issuers: "-NQ/ĐTN" (Đoàn), "-NQ/CB" (chi bộ), "-NQ/ĐU" and
"-QĐ/ĐU" (đảng ủy), "-GCN/TTCT" (the course certificate).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from dvdesk.domain.dates import PartialDate, add_months
from dvdesk.domain.member import Gender, Member, Presence, Unit, UnitKind
from dvdesk.domain.procedure import STEP_CODES, StepRecord, StepState
from dvdesk.store.gateway import Store

# Share of the population, in per mille (commonly cited estimates).
SURNAMES = {
    "Nguyễn": 380,
    "Trần": 110,
    "Lê": 95,
    "Phạm": 70,
    "Hoàng": 30,
    "Huỳnh": 20,
    "Phan": 45,
    "Vũ": 25,
    "Võ": 14,
    "Đặng": 21,
    "Bùi": 20,
    "Đỗ": 14,
    "Hồ": 13,
    "Ngô": 13,
    "Dương": 10,
    "Lý": 5,
    "Đinh": 6,
    "Trương": 6,
    "Đoàn": 5,
    "Lương": 4,
    "Mai": 4,
    "Trịnh": 4,
    "Cao": 3,
    "Tạ": 2,
    "Lã": 1,
    "Nông": 2,
    "Kiều": 1,
}
MIDDLE_MALE = [
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Thành",
    "Công",
    "Xuân",
    "Ngọc",
    "Trọng",
    "Quang",
    "Đình",
    "Tiến",
    "Mạnh",
]
MIDDLE_FEMALE = [
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Phương",
    "Hồng",
    "Kim",
    "Bích",
    "Diệu",
    "Khánh",
    "Mỹ",
    "Hải",
]
GIVEN_MALE = [
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Hưng",
    "Lộc",
]
GIVEN_FEMALE = [
    "Anh",
    "Ánh",
    "Chi",
    "Diệp",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Huyền",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trang",
    "Trinh",
    "Uyên",
    "Vân",
    "Yến",
    "Nhi",
    "Nguyệt",
    "Hồng",
    "Thư",
]
AREA_NAMES = [
    "Thôn Đông",
    "Thôn Đoài",
    "Thôn Thượng",
    "Thôn Hạ",
    "Thôn Trung",
    "Thôn Nam",
    "Tổ dân phố Phú Lợi",
    "Tổ dân phố Hòa Bình",
    "Khu dân cư Tân Tiến",
    "Khu dân cư Quyết Thắng",
    "Thôn Yên Phú",
    "Thôn Lạc Thủy",
]
SCHOOL_NAMES = ["Trường THPT Nguyễn Trãi", "Trường THPT Lê Quý Đôn"]
ETHNICITIES = ["Kinh"] * 95 + ["Tày", "Mường", "Thái", "Nùng", "Dao"]
JOBS = [
    "làm nông",
    "công nhân khu công nghiệp",
    "buôn bán",
    "giáo viên",
    "sinh viên",
    "thợ xây",
    "lái xe",
    "nhân viên văn phòng",
]
STAGE_DEPTH = (1, 2, 4, 8, 12, 13, 21)  # steps done for each stage reached

# Days after the previous step (min, max), in procedure order; None: not applicable
# at commune level (no đảng ủy bộ phận). Small gaps keep the dossier (3-, 4-,
# 5-KNĐ) within 12 months of the meeting and the ceremony (≤ 30 days after the
# decision: at most 22 working days) and party biography within their deadlines.
GAPS: dict[str, tuple[int, int] | None] = {
    "source": (0, 0),
    "course": (20, 150),
    "application": (10, 60),
    "biography": (5, 30),
    "verification": (20, 60),
    "introduction": (5, 20),
    "union_resolution": (0, 10),
    "opinions": (3, 15),
    "branch_resolution": (5, 20),
    "appraisal": None,
    "grassroots_resolution": (5, 15),
    "decision": (5, 20),
    "ceremony": (5, 30),
    "party_biography": (5, 25),
    "self_review": None,  # near the end of the 12 months' probation (below)
    "helper_review": (0, 3),
    "recognition_opinions": (0, 3),
    "recognition_branch": None,  # 1–20 days after the probation ends (below)
    "recognition_appraisal": None,
    "recognition_grassroots": (3, 10),
    "recognition_decision": (3, 15),
}
# The issuer's suffix of each numbered document.
NUMBERS = {
    "course": "GCN/TTCT",
    "union_resolution": "NQ/ĐTN",
    "branch_resolution": "NQ/CB",
    "grassroots_resolution": "NQ/ĐU",
    "decision": "QĐ/ĐU",
    "recognition_branch": "NQ/CB",
    "recognition_grassroots": "NQ/ĐU",
    "recognition_decision": "QĐ/ĐU",
}
NOT_APPLICABLE = ("appraisal", "recognition_appraisal")
# How long ago the last step may have been done, by depth, so that nothing open
# is overdue today (a decision awaits its ceremony within 30 working days …).
RECENT_DAYS = {1: 400, 2: 400, 4: 300, 8: 200, 12: 25, 13: 20, 21: 1500}


def make_units(rng: random.Random) -> list[Unit]:
    areas = rng.sample(AREA_NAMES, rng.randint(6, 12))
    units = [Unit(f"KDC{i + 1:02d}", name, UnitKind.RESIDENTIAL) for i, name in enumerate(areas)]
    schools = SCHOOL_NAMES[: rng.randint(1, 2)]
    units += [Unit(f"THPT{i + 1}", name, UnitKind.SCHOOL) for i, name in enumerate(schools)]
    return units


def _name(rng: random.Random, gender: Gender) -> str:
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    male = gender is Gender.MALE
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    if rng.random() < 0.08:  # some people carry two middle names
        middle += " " + rng.choice(MIDDLE_MALE[3:] if male else MIDDLE_FEMALE[3:])
    return f"{surname} {middle} {given}"


def _school_year(today: date) -> tuple[int, str]:
    start = today.year if today.month >= 8 else today.year - 1
    return start, f"{start}-{start + 1}"


def _joined(rng: random.Random, born: date, today: date) -> date | None:
    """A Youth Union join date between the 16th birthday and today, if they are 16 yet."""
    start = add_months(born, 16 * 12)
    if start >= today:
        return None
    return min(start + timedelta(days=rng.randint(0, 900)), today - timedelta(days=1))


def members(n: int, units: list[Unit], rng: random.Random, today: date) -> Iterator[Member]:
    areas = [u for u in units if u.kind is UnitKind.RESIDENTIAL]
    schools = [u for u in units if u.kind is UnitKind.SCHOOL]
    start_year, school_year = _school_year(today)
    used_cccd: set[str] = set()
    for _ in range(n):
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
        student = schools and rng.random() < 0.3
        officer = extended = False
        if student:
            grade = rng.choice((10, 11, 12))
            born_year = start_year - (grade + 5)  # grade 10 starts the year one turns 15
            born = date(born_year, 1, 1) + timedelta(days=rng.randrange(365))
            if today <= add_months(date(born.year, 12, 31), 15 * 12):
                born = born.replace(year=born.year - 1, day=min(born.day, 28))  # Đoàn age
                grade = min(grade + 1, 12)
            unit = rng.choice(schools)
        else:
            born = today - timedelta(days=rng.randint(16 * 365, 30 * 365))
            if rng.random() < 0.06:  # over 30: a Đoàn officer, or extended (≤ 35)
                born = today - timedelta(days=rng.randint(31 * 366, 35 * 365))
                officer = rng.random() < 0.5
                extended = not officer
            unit = rng.choice(areas)
        # Young residents who finished high school here: their steps up to the
        # graduation day count as a student's in the statistics.
        graduated = None
        young = add_months(born, 18 * 12) <= today < add_months(born, 22 * 12)
        if not student and young and rng.random() < 0.6:
            graduated = born.year + 18  # a school cohort is a calendar year of birth
        roll = rng.random()
        dob: PartialDate | None
        if roll < 0.02:
            dob = PartialDate(born.year)
        elif roll < 0.04:
            dob = PartialDate(born.year, born.month)
        else:
            dob = PartialDate.of(born)
        cccd = ""
        if rng.random() < 0.85:
            while not cccd or cccd in used_cccd:
                cccd = (
                    f"0{rng.randint(1, 96):02d}{int(gender is Gender.FEMALE)}"
                    f"{born.year % 100:02d}{rng.randrange(10**6):06d}"
                )
            used_cccd.add(cccd)
        presence = Presence.AT_HOME
        if not student:
            presence = rng.choices(
                [Presence.AT_HOME, Presence.WORKING_AWAY, Presence.ABROAD, Presence.MOVED],
                weights=[70, 20, 7, 3],
            )[0]
        yield Member(
            full_name=_name(rng, gender),
            unit_code=unit.code,
            dob=dob,
            gender=gender,
            cccd=cccd,
            ethnicity=rng.choice(ETHNICITIES),
            religion="Không" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
            hometown=f"{unit.name}, xã Demo",
            address=unit.name,
            school_class=f"{grade}A{rng.randint(1, 8)}" if student else "",
            school_year=school_year if student else "",
            graduation_year=start_year + 1 + (12 - grade) if student else graduated,
            union_joined=_joined(rng, born, today),
            union_officer=officer or (not student and rng.random() < 0.03),
            union_extended=extended,
            presence=presence,
            phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else "",
            notes="" if rng.random() < 0.9 else f"Nghề nghiệp: {rng.choice(JOBS)}",
            uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        )


def _timeline(rng: random.Random) -> dict[str, int]:
    """Every step's day, counted from the source step (day 0), in procedure order."""
    days: dict[str, int] = {}
    day = 0
    for code in STEP_CODES:
        gap = GAPS[code]
        if code == "self_review":
            day = days["ceremony"] + 365 - rng.randint(5, 25)
        elif code == "recognition_branch":
            end = (add_months(date(2000, 1, 1), 12) - date(2000, 1, 1)).days
            day = max(day, days["ceremony"] + end + rng.randint(1, 20))
        elif gap is None:
            continue
        else:
            day += rng.randint(*gap)
        days[code] = day
    return days


def _number(rng: random.Random, code: str, day: date) -> str:
    suffix = NUMBERS.get(code)
    if suffix is None:
        return ""
    if code == "course":
        return f"{rng.randint(1, 2500):04d}-{suffix}"
    return f"{rng.randint(1, 120):02d}-{suffix}"


def _procedure(rng: random.Random, depth: int, today: date, born: date) -> list[StepRecord]:
    """`depth` steps done in procedure order, their deadlines kept, none overdue today.

    The chi bộ meets (6-KNĐ) only when the candidate is 18 by month under both
    counting methods (a month past the 18th birthday); a timeline that cannot
    is cut before the meeting.
    """
    days = _timeline(rng)
    codes = STEP_CODES[:depth]
    last = max(days[c] for c in codes if c in days)
    anchor = today - timedelta(days=last + rng.randint(0, RECENT_DAYS.get(depth, 300)))
    meeting = days["branch_resolution"]
    of_age = add_months(born, 18 * 12 + 1)
    if "branch_resolution" in codes and anchor + timedelta(days=meeting) < of_age:
        anchor = of_age - timedelta(days=meeting)
        if anchor + timedelta(days=last) > today:  # too young for a meeting yet:
            return _procedure(rng, 8, today, born)  # the dossier is being made
    out = []
    for code in codes:
        if code in NOT_APPLICABLE:
            out.append(StepRecord(code, StepState.NOT_APPLICABLE))
            continue
        day = anchor + timedelta(days=days[code])
        out.append(StepRecord(code, StepState.DONE, day, _number(rng, code, day)))
    return out


def build(
    store: Store,
    n: int,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Fill an empty store with a demo commune; returns the member count.

    One transaction (nested writes become savepoints): a crash or kill leaves
    the file as it was before, never a commune without its members.
    """
    today = today or date.today()
    rng = random.Random(seed)
    with store.transaction():
        settings = store.settings.get()
        settings.commune_name = settings.commune_name or "Xã Demo"
        settings.commune_code = settings.commune_code or "99999"
        settings.province = settings.province or "Tỉnh Demo"
        settings.party_committee = settings.party_committee or "ĐẢNG ỦY XÃ DEMO"
        settings.youth_union = settings.youth_union or "ĐOÀN XÃ DEMO"
        settings.party_secretary = settings.party_secretary or "Nguyễn Văn Bình"
        settings.union_secretary = settings.union_secretary or "Trần Thị Hương"
        settings.party_members = settings.party_members or max(30, n // 6)
        store.settings.save(settings)
        for unit in make_units(rng):
            if store.units.id_of(unit.code) is None:
                store.units.add(unit)
        units = store.units.all()
        people = list(members(n, units, rng, today))
        count = store.members.add_many(people, today=today, progress=progress, total=n).count
        # A few percent of members of 17 and over are candidates at some stage;
        # 17-year-olds (the graduating class) only on the source list or the course.
        older = [
            m
            for m in people
            if m.dob and m.dob.is_full and m.dob.as_date() <= add_months(today, -17 * 12)
        ]
        chosen = rng.sample(older, min(len(older), max(3, n // 25)))
        plans = {}
        for m in chosen:
            assert m.dob is not None
            born = m.dob.as_date()
            adult = born <= add_months(today, -(18 * 12 + 1))
            near = born <= add_months(today, -(17 * 12 + 6))  # a dossier may be started
            depth = rng.choice(STAGE_DEPTH if adult else STAGE_DEPTH[:4] if near else (1, 2))
            plans[m.uid] = _procedure(rng, depth, today, born)
        store.steps.record_many(plans)
        # The đảng bộ's own figures of the last years, as the officer enters them
        # (the 3–4% target); the current year's outside admissions are not in yet.
        members_now = max(20, settings.party_members - 10)
        for year in range(today.year - 3, today.year + 1):
            members_now += rng.randint(1, 4)
            outside = None if year == today.year else rng.randint(0, 2)
            store.statistics.totals.set(
                year, members_now, outside, f"Báo cáo tổng kết công tác đảng năm {year - 1}"
            )
    return count
