"""A Youth Union member (đoàn viên) and the units they belong to."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.kinds import PRESENCE_ALIASES as PRESENCE_ALIASES  # re-exported
from dvdesk.domain.kinds import PRESENCE_LABELS as PRESENCE_LABELS
from dvdesk.domain.kinds import UNIT_KIND_LABELS as UNIT_KIND_LABELS
from dvdesk.domain.kinds import Presence as Presence
from dvdesk.domain.kinds import UnitKind as UnitKind
from dvdesk.domain.names import normalize_name


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"


GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: UnitKind
    id: int | None = None


def new_uid() -> str:
    return str(uuid.uuid4())


def _text(value: str) -> str:
    """NFC, trimmed, single spaces."""
    if not value:
        return value
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def _compact(value: str) -> str:
    return "".join(value.split()) if value else value


def _trimmed(value: str) -> str:
    if not value:
        return value
    return (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()


@lru_cache(maxsize=4096)
def _word(text: str) -> str:
    """An ethnicity or religion in storage form (a commune has a handful of each)."""
    return normalize_name(text)


@dataclass(frozen=True)
class Member:
    """One đoàn viên. `uid` is stable for life and travels in every export."""

    full_name: str
    unit_code: str
    dob: PartialDate | None = None
    gender: Gender | None = None
    cccd: str = ""  # số định danh cá nhân, 12 digits
    ethnicity: str = "Kinh"
    religion: str = "Không"
    hometown: str = ""
    address: str = ""
    school_class: str = ""  # lớp, for students
    school_year: str = ""  # niên khóa hiện tại, e.g. "2026-2027"
    graduation_year: int | None = None  # năm tốt nghiệp THPT dự kiến
    union_joined: date | None = None  # ngày vào Đoàn
    union_officer: bool = False  # cán bộ Đoàn: not flagged past 30
    union_extended: bool = False  # được kéo dài sinh hoạt Đoàn (≤ 35)
    presence: Presence = Presence.AT_HOME
    phone: str = ""
    notes: str = ""
    # Kept by the offices (sổ đoàn viên; format 1.3): see domain/fields.py.
    union_joined_place: str = ""  # nơi vào Đoàn
    union_card_no: str = ""  # số thẻ đoàn viên
    union_position: str = ""  # chức vụ Đoàn
    residence_commune: str = ""  # xã/phường of the address (two-level, since 1/7/2025)
    residence_province: str = ""  # tỉnh/thành phố of the address
    education: str = ""  # trình độ học vấn, e.g. "12/12" (an admission condition)
    occupation: str = ""  # nghề nghiệp / nơi học tập, làm việc
    uid: str = field(default_factory=new_uid)

    def normalized(self) -> Member:
        """The same member with text fields in storage form (NFC, trimmed).

        Called once per row of an import: only the fields that change are
        replaced, and a member already in storage form is returned as is.
        """
        values = {
            "full_name": normalize_name(self.full_name),
            "cccd": _compact(self.cccd),
            "phone": _text(self.phone),
            "ethnicity": _word(self.ethnicity),
            "religion": _word(self.religion),
            "hometown": _text(self.hometown),
            "address": _text(self.address),
            "school_class": _text(self.school_class).upper(),
            "school_year": _text(self.school_year),
            "notes": _trimmed(self.notes),
            "union_joined_place": _text(self.union_joined_place),
            "union_card_no": _compact(self.union_card_no),
            "union_position": _text(self.union_position),
            "residence_commune": _text(self.residence_commune),
            "residence_province": _text(self.residence_province),
            "education": _text(self.education),
            "occupation": _text(self.occupation),
        }
        changed: dict[str, Any] = {k: v for k, v in values.items() if v != getattr(self, k)}
        if not changed:
            return self
        # `replace` without its second __init__ (27 frozen fields): the values are the
        # same kinds, only in storage form.
        out = object.__new__(Member)
        out.__dict__.update(self.__dict__, **changed)
        return out
