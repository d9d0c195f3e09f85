"""Realistic fake commune data (dữ liệu mẫu) for trying dvdesk and for tests.

Surnames follow their real frequencies in Vietnam; a commune has 6–12
residential areas and 1–2 high schools with grades 10–12; members are 14–35;
a few dates of birth are partial; some people work away or abroad; some
candidates are at each stage of the admission procedure. The same seed gives
the same data (on the same `today`).
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
        if student:
            grade = rng.choice((10, 11, 12))
            born_year = start_year - (grade + 5)  # grade 10 starts the year one turns 15
            born = date(born_year, 1, 1) + timedelta(days=rng.randrange(365))
            unit = rng.choice(schools)
        else:
            born = today - timedelta(days=rng.randint(16 * 365, 35 * 365))
            unit = rng.choice(areas)
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
            graduation_year=start_year + 1 + (12 - grade) if student else None,
            union_joined=_joined(rng, born, today),
            union_officer=not student and rng.random() < 0.03,
            presence=presence,
            phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else "",
            notes="" if rng.random() < 0.9 else f"Nghề nghiệp: {rng.choice(JOBS)}",
            uid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        )


def _procedure(rng: random.Random, depth: int, today: date) -> list[StepRecord]:
    """`depth` steps done, spread over the last years, in procedure order."""
    day = today - timedelta(days=rng.randint(60, 900) + 20 * depth)
    out = []
    for i, code in enumerate(STEP_CODES[:depth]):
        day = min(day + timedelta(days=rng.randint(5, 40) if i else 0), today)
        if code in ("appraisal", "recognition_appraisal"):
            out.append(StepRecord(code, StepState.NOT_APPLICABLE))
            continue
        out.append(StepRecord(code, StepState.DONE, day, f"{rng.randint(1, 250)}-NQ/CB"))
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
        # A few percent of eligible-age members are candidates at some stage.
        adults = [
            m
            for m in people
            if m.dob and m.dob.is_full and m.dob.as_date() <= add_months(today, -17 * 12)
        ]
        chosen = rng.sample(adults, min(len(adults), max(3, n // 25)))
        store.steps.record_many(
            {m.uid: _procedure(rng, rng.choice(STAGE_DEPTH), today) for m in chosen}
        )
    return count
