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

import dataclasses
import random
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from dvdesk.domain.dates import PartialDate, add_months
from dvdesk.domain.member import Gender, Member, Presence, Unit, UnitKind
from dvdesk.domain.procedure import Stage, StepRecord
from dvdesk.domain.procedure_demo import STAGE_STEPS, sample_dossier
from dvdesk.domain.procedure_dossier import Dossier
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
DEMO_STAGES = tuple(STAGE_STEPS)  # one stage drawn per candidate


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
    if rng.random() < 0.08:  # some people carry two middle names, never the same twice
        extra = MIDDLE_MALE[3:] if male else MIDDLE_FEMALE[3:]
        second = rng.choice(extra)
        if second == middle:
            second = extra[(extra.index(second) + 1) % len(extra)]
        middle += " " + second
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


def _place(name: str) -> str:
    """ "Xã Yên Phú" as it reads inside an address: "xã Yên Phú"."""
    return name[:1].lower() + name[1:] if name.startswith(("Xã ", "Phường ", "Thị trấn ")) else name


def members(
    n: int,
    units: list[Unit],
    rng: random.Random,
    today: date,
    commune: str = "Xã Demo",
    province: str = "Tỉnh Demo",
) -> Iterator[Member]:
    """Demo members of `commune` (xã/phường) in `province`, drawn from `rng`.

    Education and occupation come from a second generator seeded by each
    member's uid, so adding them did not change anyone else a seed draws.
    """
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
        member = Member(
            full_name=_name(rng, gender),
            unit_code=unit.code,
            dob=dob,
            gender=gender,
            cccd=cccd,
            ethnicity=rng.choice(ETHNICITIES),
            religion="Không" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
            hometown=f"{unit.name}, {_place(commune)}",
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
        extra = random.Random(member.uid)
        if student:
            education = f"{grade - 1}/12"  # the grades completed (trình độ học vấn)
            occupation = f"Học sinh {unit.name}"
        else:
            education = "12/12" if extra.random() < 0.8 else f"{extra.randint(9, 11)}/12"
            occupation = member.notes.removeprefix("Nghề nghiệp: ") or extra.choice(JOBS)
        # A student lives in one of the commune's residential areas, not at the school.
        home = extra.choice(areas).name if student and areas else unit.name
        yield dataclasses.replace(
            member,
            hometown=f"{home}, {_place(commune)}",
            address=home,
            residence_commune=commune,
            residence_province=province,
            education=education,
            occupation=occupation[:1].upper() + occupation[1:],
            notes="",
        )


def _procedure(
    rng: random.Random, stage: Stage, dob: date, today: date
) -> tuple[list[StepRecord], Dossier]:
    """Steps and dossier data that pass the procedure's rules (procedure_demo.py)."""
    return sample_dossier(rng, stage, dob, today)


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
        people = list(members(n, units, rng, today, settings.commune_name, settings.province))
        count = store.members.add_many(people, today=today, progress=progress, total=n).count
        # A few percent of members of 17 and over are candidates at some stage;
        # 17-year-olds (the graduating class) only on the source list or the course.
        older = [
            m
            for m in people
            if m.dob and m.dob.is_full and m.dob.as_date() <= add_months(today, -17 * 12)
        ]
        chosen = rng.sample(older, min(len(older), max(3, n // 25)))
        samples = {
            m.uid: _procedure(rng, rng.choice(DEMO_STAGES), m.dob.as_date(), today)
            for m in chosen
            if m.dob
        }
        store.steps.record_many({uid: steps for uid, (steps, _) in samples.items()})
        if store.dossier.has_tables():  # not in a file kept at an older format (tests)
            store.dossier.add_many({uid: d for uid, (_, d) in samples.items()})
            # Stage and violation codes derived from steps and dossier together, as
            # recording them one by one in the window would (store/dossier.py refresh).
            store.dossier.refresh_many(list(samples), today)
        # The đảng bộ's own figures of the last years, as the officer enters them
        # (the 3–4% target); the current year's outside admissions are not in yet.
        members_now = max(20, settings.party_members - 10)
        with_totals = store.format_version() >= (1, 5)  # not in a file kept at an older format
        for year in range(today.year - 3, today.year + 1) if with_totals else ():
            members_now += rng.randint(1, 4)
            outside = None if year == today.year else rng.randint(0, 2)
            store.statistics.totals.set(
                year, members_now, outside, f"Báo cáo tổng kết công tác đảng năm {year - 1}"
            )
    return count
